"""Developer reference pages generated from the code, so the docs cannot drift.

``docs/reference/format.md`` (every field of the format, from the pydantic models) and
``docs/reference/cli.md`` (every command, from argparse) are committed; a test regenerates them
and fails on any difference.  ``policykb reference --write`` rewrites both.
"""

from __future__ import annotations

import argparse
import enum
import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.diagnostics import CODES
from generator.render.search_marks import LOWRANK_MARKER
from generator.source import schema

FORMAT_PAGE = Path("docs/reference/format.md")
CLI_PAGE = Path("docs/reference/cli.md")

_MODELS: list[tuple[str, type[BaseModel], str]] = [
    ("documents/*.yaml", schema.Document, "One file per policy document."),
    ("", schema.Issuer, "An issuing body."),
    ("", schema.Dates, "Dates stated in the text; null when not stated."),
    ("", schema.Source, "Where the text comes from."),
    ("", schema.Provision, "One node of the document's own numbering."),
    ("", schema.Actor, "A party in the document's own wording."),
    ("", schema.Duty, "Who must do what, on which topic."),
    ("", schema.Clock, "A time limit from a trigger to an action."),
    ("", schema.Limit, "The length of a clock."),
    ("", schema.Variant, "A different limit under a condition."),
    ("", schema.Extension, "How a clock may be extended."),
    ("", schema.Quota, "A minimum or maximum quantity."),
    ("", schema.Procedure, "Steps in actor lanes with conditional edges."),
    ("", schema.Step, "One step of a procedure."),
    ("", schema.Edge, "A transition between steps."),
    ("", schema.Citation, "A document the policy cites."),
    ("registries/jurisdictions.yaml", schema.Jurisdiction, "Administrative divisions."),
    ("registries/actor-types.yaml", schema.ActorType, "Shared kinds of party."),
    ("registries/topics.yaml", schema.Topic, "Subjects compared across jurisdictions."),
    ("registries/questions.yaml", schema.Question,
     "The codebook: the questions every fact answers, compared one by one."),
]


_SCALAR_NAMES = {"str": "text", "int": "integer", "bool": "true/false", "date": "date YYYY-MM-DD"}


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    if isinstance(annotation, type):
        return _SCALAR_NAMES.get(annotation.__name__, annotation.__name__)
    return str(annotation)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


#: Pages about the site rank below the policies' own pages in search (generator.publish.search).
LOWRANK = f"<div {LOWRANK_MARKER} hidden></div>"


def format_reference() -> str:
    lines = [
        "<!-- DO NOT EDIT: generated from generator/source/schema.py by "
        "`policykb reference --write` -->",
        "# 数据格式 · File format reference",
        "",
        LOWRANK,
        "",
        "Every field of a policy file and of the registries. Unknown keys are errors (PK101);",
        "every scalar is read as text and typed here, so `NO` stays `NO` and `3.10` stays",
        "`3.10`. Ids are lower-case ASCII slugs (`^[a-z0-9]+(-[a-z0-9]+)*$`, at most "
        f"{schema.ID_MAX_LENGTH} characters), not one of: "
        + ", ".join(f"`{r}`" for r in sorted(schema.RESERVED_IDS)) + ".",
        "The JSON Schema is `policykb schema` (also downloadable from the site's data page).",
        "",
    ]
    for where, model, summary in _MODELS:
        lines += [f"## {model.__name__}", ""]
        lines.append(f"{summary}" + (f" File: `{where}`." if where else ""))
        lines += ["", "| field | type | required | meaning |", "| --- | --- | --- | --- |"]
        for name, field in model.model_fields.items():
            key = field.alias or name
            required = "yes" if field.is_required() else "no"
            description = field.description or ""
            lines.append(
                f"| `{key}` | {_type_name(field.annotation)} | {required} | {_cell(description)} |"
            )
        lines.append("")
    return "\n".join(lines)


def cli_reference(parser: argparse.ArgumentParser) -> str:
    lines = [
        "<!-- DO NOT EDIT: generated from generator/cli.py by `policykb reference --write` -->",
        "# 命令行 · Command-line reference",
        "",
        LOWRANK,
        "",
        "Exit codes: `0` success (warnings may be printed), `1` problems in the policies,",
        "`2` usage error (bad arguments; an output path that is a folder, lies under a file or",
        "cannot be created; a `--site` or `--docs` folder the build does not own; a busy port),",
        "`3` failure outside the policies (dot, mkdocs, search indexer, a full disk or stdout).",
        "",
        "`build` and `serve` never replace a folder they did not build: the site folder may not",
        "be, contain or lie inside the project, `.git`, `policies/`, `docs/` or the cache, and",
        "an existing one must be empty or hold the `.policykb-site.json` mark of an earlier",
        "build. `--out FILE` writes like a shell redirection: through a symlink, into a FIFO or",
        "a device; `--out -` is standard output.",
        "Diagnostics go to standard error as `path:line:column: severity[code] message` with a",
        f"`hint:` line; the {len(CODES)} codes are listed in [diagnostics](diagnostics.md).",
        "",
        "```text",
        _normalise_help(parser.format_help()),
        "```",
        "",
    ]
    subparsers = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    for name, sub in sorted(subparsers.choices.items()):
        usage = _normalise_help(sub.format_help())
        lines += [f"## policykb {name}", "", "```text", usage, "```", ""]
    return "\n".join(lines)


def _normalise_help(text: str) -> str:
    return re.sub(r"[ \t]+\n", "\n", text).rstrip()


def _fixed_width(prog: str) -> argparse.HelpFormatter:
    """argparse wraps to the terminal's width; a fixed width keeps the page stable."""
    return argparse.HelpFormatter(prog, width=100)


def expected_pages(parser: argparse.ArgumentParser) -> dict[Path, str]:
    """The reference pages as they must read: the format from the schema, the commands from
    ``parser`` (the CLI's own, passed in: this module does not import the CLI)."""
    parser.formatter_class = _fixed_width
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.formatter_class = _fixed_width
    return {FORMAT_PAGE: format_reference(), CLI_PAGE: cli_reference(parser)}
