"""Typing pass: raw YAML data → pydantic models, every error a positioned diagnostic.

Every typed scalar is first checked against its one canonical spelling (``010``, ``NO`` and
``1612137600`` are refused rather than read as 10, false and a date); pydantic's errors are then
translated into our stable codes and mapped back to the YAML position of the offending key or
value.  A document with format errors still yields its valid items (``partial_document``), so
the cross-checks in ``validate`` can run on them.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.diagnostics import Diagnostic, diag, did_you_mean
from generator.source.schema import (
    ID_MAX_LENGTH,
    ID_PATTERN,
    RESERVED_IDS,
    TOO_LONG,
    AsciiDigits,
    Document,
)
from generator.source.yaml_loader import LoadedFile, NodePath

M = TypeVar("M", bound=BaseModel)

_INT_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_BOOL_TEXT = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A decimal digit other than 0-9 (``\d`` matches every script's digits in ``str`` patterns).
_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")


def _shape(annotation: Any) -> tuple[str, Any]:
    """What a field holds: ('model', cls), ('list', inner shape), ('int'|'bool'|'date'|'other')."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        if any(isinstance(meta, AsciiDigits) for meta in args[1:]):
            return ("digits", None)
        return _shape(args[0])
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _shape(options[0]) if len(options) == 1 else ("other", None)
    if origin is list:
        return ("list", _shape(args[0]))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return ("model", annotation)
        if issubclass(annotation, bool):
            return ("bool", None)
        if issubclass(annotation, int):
            return ("int", None)
        if issubclass(annotation, dt.date):
            return ("date", None)
    return ("other", None)


@cache
def _fields_by_key(model: type[BaseModel]) -> dict[str, tuple[str, Any]]:
    return {(f.alias or name): _shape(f.annotation) for name, f in model.model_fields.items()}


def _typed_scalars(
    loaded: LoadedFile, model: type[BaseModel]
) -> list[tuple[NodePath, Diagnostic]]:
    """Integers, booleans and dates written in anything but their one canonical spelling.

    Pydantic's lax mode would read ``010`` as 10, ``3.0`` as 3, ``NO`` and ``off`` as false and
    ``1612137600`` or ``0`` as a date; YAML 1.1 would read ``010`` as 8 and ``1:30`` as 90.  A
    reader cannot tell which was meant, so every such spelling is an error.
    """
    found: list[tuple[NodePath, Diagnostic]] = []
    stack: list[tuple[NodePath, tuple[str, Any], Any]] = [((), ("model", model), loaded.data)]
    while stack:
        path, (kind, inner), value = stack.pop()
        if kind == "model" and isinstance(value, dict):
            fields = _fields_by_key(inner)
            for key, item in value.items():
                if key in fields:
                    stack.append(((*path, key), fields[key], item))
        elif kind == "list" and isinstance(value, list):
            stack.extend(((*path, i), inner, item) for i, item in enumerate(value))
        elif isinstance(value, str) and kind in {"int", "bool", "date", "digits"}:
            problem = _typed_problem(loaded, path, kind, value)
            if problem is not None:
                found.append((path, problem))
    return sorted(found, key=lambda pair: pair[1])


def _typed_problem(
    loaded: LoadedFile, path: NodePath, kind: str, value: str
) -> Diagnostic | None:
    where = _where(path)
    location = loaded.locate(path)
    if kind != "bool" and _FOREIGN_DIGIT.search(value):
        return diag(
            "non-ascii-digit", location,
            f"{where}: {_digit_families(value)} in {value!r}",
            f"write ASCII digits: {_ascii_digits(value)!r} (switch the input method to "
            "half-width, 半角, before typing numbers and dates)",
        )
    if kind == "int" and not _INT_TEXT.fullmatch(value):
        return diag(
            "invalid-value", location,
            f"{where}: expected a whole number written in digits{_shown(value)}",
            "write digits only: no leading zero, sign, underscore, decimal point or time "
            "(YAML 1.1 would read 010 as 8 and 1:30 as 90)",
        )
    if kind == "bool" and value not in _BOOL_TEXT:
        return diag(
            "invalid-value", location,
            f"{where}: expected true or false{_shown(value)}",
            "YAML 1.1 reads yes/no/on/off as booleans; this format accepts only true and false",
        )
    if kind == "date" and not _DATE_TEXT.fullmatch(value):
        return diag(
            "invalid-date", location, f"invalid date {value!r}",
            "write an existing date as YYYY-MM-DD, or null when the text states none",
        )
    return None


def _digit_families(value: str) -> str:
    """'full-width digits', 'Arabic-Indic digits' … for the non-ASCII digits in ``value``."""
    families: list[str] = []
    for match in _FOREIGN_DIGIT.finditer(value):
        name = unicodedata.name(match.group(), "").rsplit(" DIGIT ", 1)[0]
        family = "full-width" if name == "FULLWIDTH" else name.title()
        if family not in families:
            families.append(family)
    return " and ".join(families) + " digits"


def _ascii_digits(value: str) -> str:
    """``value`` with every digit (and full-width punctuation such as '－') made ASCII."""
    folded = unicodedata.normalize("NFKC", value)
    return _FOREIGN_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), folded)


def _where(path: NodePath) -> str:
    return ".".join(str(p) for p in path) or "top level"


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f" (got {value!r})" if len(value) <= 60 else f" (got {value[:57]!r}…)"
    if isinstance(value, dict):
        return " (got a mapping)"
    if isinstance(value, list):
        return " (got a list)"
    return ""


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names (aliases) of the model that ``loc`` points into, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field_info = getattr(current, "model_fields", {}).get(part)
        if field_info is None:
            by_alias = {f.alias: f for f in getattr(current, "model_fields", {}).values()}
            field_info = by_alias.get(part)
        if field_info is None:
            return []
        current = _inner_model(field_info.annotation)
    if current is None or not hasattr(current, "model_fields"):
        return []
    return sorted(f.alias or name for name, f in current.model_fields.items())


def _inner_model(annotation: Any) -> Any:
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
        stack.extend(getattr(item, "__args__", ()))
    return None


def _data_path(loaded: LoadedFile, loc: tuple[Any, ...]) -> NodePath:
    """Drop pydantic's union-branch and validator names that are not keys in the data."""
    node: Any = loaded.data
    out: list[str | int] = []
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and out[-1:] != [part]:
            # a missing field or an unknown one: keep the name, the location is its parent's
            out.append(part)
            break
    return tuple(out)


_ID_RULE = (
    f"lower-case ASCII letters, digits and single hyphens, at most {ID_MAX_LENGTH} characters"
)


def explain_id(value: str) -> str:
    """Why ``value`` is not a valid id, in words (empty when it is valid)."""
    shown = repr(value) if len(value) <= 40 else repr(value[:37]) + "…"
    if value in RESERVED_IDS:
        return f"invalid id {shown}: the name is reserved (it would collide with a site file)"
    if value.lower() in RESERVED_IDS:
        return (f"invalid id {shown}: the name is reserved in any case (it would collide with a "
                "site file)")
    if re.fullmatch(ID_PATTERN, value) and len(value) <= ID_MAX_LENGTH:
        return ""
    if not value:
        return f"invalid id {shown}: it is empty; use {_ID_RULE}"
    for ch in value:
        if "A" <= ch <= "Z":
            return (f"invalid id {shown}: upper-case letter {ch!r}; ids are lower case "
                    f"({value.lower()!r})")
        if not ch.isascii():
            name = unicodedata.name(ch, "")
            named = f" {name}" if name else ""
            if unicodedata.category(ch)[0] in "LNPS":  # visible on its own
                return (f"invalid id {shown}: character {ch!r} (U+{ord(ch):04X}{named}) is not "
                        f"allowed; use {_ID_RULE}")
            return (f"invalid id {shown}: character U+{ord(ch):04X}{named} is not allowed; "
                    f"use {_ID_RULE}")
        if not (ch.isdigit() or "a" <= ch <= "z" or ch == "-"):
            return f"invalid id {shown}: character {ch!r} is not allowed; use {_ID_RULE}"
    if len(value) > ID_MAX_LENGTH:
        return f"invalid id {shown}: {len(value)} characters; at most {ID_MAX_LENGTH}"
    return f"invalid id {shown}: a hyphen at the start or end, or two in a row; use {_ID_RULE}"


def _friendly(kind: str, message: str, ctx: dict[str, Any]) -> str:
    """Pydantic's message in the words of this format."""
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "expected a mapping of fields (key: value)"
    if kind == "list_type":
        return "expected a list"
    if kind == "string_type":
        return "expected text"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "expected a whole number written in digits"
    if kind in {"bool_parsing", "bool_type"}:
        return "expected true or false"
    if kind == "too_short" and "min_length" in ctx:
        n = ctx["min_length"]
        return f"needs at least {n} item{'s' if n != 1 else ''}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in {"enum", "literal_error"} and "expected" in ctx:
        return f"expected {ctx['expected']}"
    if kind == "string_pattern_mismatch" and "pattern" in ctx:
        return f"expected text matching {ctx['pattern']}"
    return message.replace("Input should be", "should be")


def translate_errors(
    loaded: LoadedFile,
    model: type[BaseModel],
    error: ValidationError,
    skip: frozenset[NodePath] = frozenset(),
) -> list[Diagnostic]:
    """Pydantic errors → diagnostics with our codes, messages and positions.

    Errors at a path in ``skip`` (already reported by the canonical-spelling check) are dropped.
    """
    found: list[Diagnostic] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path = _data_path(loaded, loc)
        if path in skip or any(path[: len(r)] == r for r in loaded.refused):
            continue
        kind = item["type"]
        if kind == "missing" and any(k[:-1] == path[:-1] for k in loaded.mistyped_keys):
            continue  # a mistyped key in that mapping ('unit：hours') is the missing one
        message = str(item["msg"]).removeprefix("Value error, ")
        ctx = dict(item.get("ctx") or {})
        field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
        where = _where(path)
        if kind == "extra_forbidden":
            name = str(loc[-1])
            location = loaded.locate(path, key=True)
            invisible = [c for c in name if unicodedata.category(c) in {"Cf", "Cc", "Zs"}
                         and c != " "]
            allowed = _allowed_fields(model, loc[:-1])
            hint = did_you_mean(name, allowed) + (
                f"allowed here: {', '.join(allowed)}" if allowed else "remove the key")
            extra = ""
            if invisible:
                c = invisible[0]
                extra = f"; it contains U+{ord(c):04X} {unicodedata.name(c, 'a control')}"
            found.append(diag("unknown-field", location, f"unknown field {name!r}{extra}", hint))
            continue
        present = path in loaded.values
        value = item.get("input")
        blank = kind == "value_error" and message.startswith("text is blank")
        if kind == "missing" or (value is None and kind.endswith("_type")) or blank:
            found.append(
                diag(
                    "missing-field",
                    loaded.locate(path, key=True),
                    f"field {field_name!r} is " + ("blank" if blank else "required"),
                    f"give {where} a value (write null only where the format allows it)",
                )
            )
            continue
        location = loaded.locate(path, key=not present)
        if kind == "value_error" and TOO_LONG in message:
            found.append(diag(
                "text-too-long", location,
                f"field {field_name!r}: {message.split('Value error, ', 1)[-1]}",
                "keep only the words that prove the fact (a quote) or name it (a title, a "
                "phrase); the full text belongs in the provision"))
        elif kind == "string_pattern_mismatch" and field_name == "date":
            found.append(
                diag("invalid-date", location, f"invalid date {value!r}",
                     "a by_date limit is written YYYY-MM or YYYY-MM-DD")
            )
        elif kind.startswith("date_") or "invalid date" in message:
            shown = value if isinstance(value, str) else ""
            if not shown and (*path, "date") in loaded.values:  # from Limit's own check
                location = loaded.values[(*path, "date")]
            found.append(
                diag(
                    "invalid-date",
                    location,
                    f"invalid date {shown!r}" if shown else message,
                    "write an existing date as YYYY-MM-DD, or null when the text states none",
                )
            )
        elif "invalid id" in message:
            explained = explain_id(value) if isinstance(value, str) else ""
            found.append(
                diag(
                    "invalid-id",
                    location,
                    explained or message,
                    "ids become file names and anchors: e.g. jinhu-2021-coordination",
                )
            )
        elif "URL scheme" in message:
            found.append(diag("url-scheme", location, message, "only http(s) links are kept"))
        else:
            text = _friendly(kind, message, ctx)
            hint = "see the field reference: docs/reference/format.md"
            if kind == "string_type" and isinstance(value, list | dict):
                hint = ("a value starting with '[' or '{' is read as a list or a mapping: put "
                        "text that starts with a bracket in quotes, e.g. title: \"[试行]办法\"")
            found.append(diag("invalid-value", location, f"{where}: {text}{_shown(value)}", hint))
    return found


@dataclass
class ParsedFile:
    """Outcome of typing one file: the model when clean, the diagnostics, the failing paths."""

    model: Any
    problems: list[Diagnostic]
    bad_paths: list[NodePath]


def parse_file(loaded: LoadedFile, model: type[BaseModel]) -> ParsedFile:
    typed = _typed_scalars(loaded, model)
    skip = frozenset(path for path, _ in typed)
    problems = [d for _, d in typed]
    try:
        parsed: Any = model.model_validate(loaded.data)
        bad: list[NodePath] = list(skip)
    except ValidationError as exc:
        problems += translate_errors(loaded, model, exc, skip)
        parsed = None
        bad = [*skip, *(tuple(e["loc"]) for e in exc.errors(include_url=False))]
    return ParsedFile(None if problems else parsed, problems, bad)


def parse_model(loaded: LoadedFile, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Type one loaded file; the model is returned only when there is no problem at all."""
    result = parse_file(loaded, model)
    return result.model, result.problems


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


#: Document fields holding a list of models: items are kept one by one in a partial document.
_ITEM_LISTS = ("issuers", "provisions", "actors", "duties", "clocks", "quotas", "procedures",
               "citations")


def partial_document(
    loaded: LoadedFile, bad_paths: list[NodePath]
) -> tuple[Document, dict[str, list[int]]]:
    """The valid part of a document that failed validation, for the cross-checks.

    Top-level fields with a problem become None; list items with a problem are left out and
    ``positions`` maps each kept item back to its index in the file.  Nothing built here is
    rendered: the knowledge base is only assembled when there is no error at all.
    """
    data = loaded.data if isinstance(loaded.data, dict) else {}
    bad_fields = {str(p[0]) for p in bad_paths if len(p) == 1 or (p and p[0] not in _ITEM_LISTS)}
    bad_items: dict[str, set[int]] = {}
    for p in bad_paths:
        if len(p) >= 2 and p[0] in _ITEM_LISTS and isinstance(p[1], int):
            bad_items.setdefault(str(p[0]), set()).add(p[1])
    if () in bad_paths:
        bad_fields.add("*")
    values: dict[str, Any] = {}
    positions: dict[str, list[int]] = {}
    for name, info in Document.model_fields.items():
        raw = data.get(name)
        if name in _ITEM_LISTS:
            items = raw if isinstance(raw, list) and name not in bad_fields else []
            kept: list[Any] = []
            positions[name] = []
            item_type = typing.get_args(info.annotation)[0]
            for i, item in enumerate(items):
                if i in bad_items.get(name, set()):
                    continue
                try:
                    kept.append(_adapter(item_type).validate_python(item))
                except ValidationError:
                    continue
                positions[name].append(i)
            values[name] = kept
        elif name in bad_fields or "*" in bad_fields or name not in data:
            values[name] = None if info.is_required() else info.get_default(
                call_default_factory=True)
        else:
            try:
                values[name] = _adapter(typing.cast(Any, info.annotation)).validate_python(raw)
            except ValidationError:
                values[name] = None
    return Document.model_construct(**values), positions
