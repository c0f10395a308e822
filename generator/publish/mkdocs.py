"""mkdocs at the edge: what ``mkdocs.yml`` says, and a build whose messages come back as data.

Why a child process: mkdocs holds every page of the site in memory (10.8 GB at 3,000 documents)
on top of the knowledge base the generator holds; a child gives that memory back when it ends and
can be stopped after ``MKDOCS_TIMEOUT_SECONDS``.  Why not its text output: message wording
changes between mkdocs 1.6, its forks and Zensical.  The child (``generator.publish.mkdocs_child``)
records every log record of level WARNING and above as one JSON line, with the page being built
when it was logged (tracked through mkdocs' public plugin events), and never aborts on warnings:
whether a warning fails the build is the build mode's decision, made here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.runtime.children import die_with_parent

MKDOCS_TIMEOUT_SECONDS = 3600


@dataclass(frozen=True)
class MkdocsMessage:
    """One log record of the mkdocs build: ``page`` is the docs-relative source being handled."""

    level: str
    text: str
    page: str | None = None


@dataclass(frozen=True)
class MkdocsRun:
    messages: list[MkdocsMessage]
    #: Why the build failed (exit status and last lines of its output), None when it did not.
    failure: str | None


def run_mkdocs(
    config_file: Path, site_dir: Path, records: Path, *, epoch: int, dirty: bool
) -> MkdocsRun:
    """``mkdocs build`` of ``config_file`` into ``site_dir`` (``records``: a scratch file)."""
    command = [sys.executable, "-m", "generator.publish.mkdocs_child", str(config_file),
               str(site_dir), str(records)]
    if dirty:
        command.append("--dirty")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1",
           "NO_COLOR": "1"}
    try:
        proc = subprocess.run(command, capture_output=True, timeout=MKDOCS_TIMEOUT_SECONDS,
                              check=False, env=env, cwd=config_file.parent,
                              preexec_fn=die_with_parent())
    except subprocess.TimeoutExpired:
        return MkdocsRun(_read(records),
                         f"mkdocs build did not finish within {MKDOCS_TIMEOUT_SECONDS} s")
    failure = None
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).decode("utf-8", "replace").strip()
        tail = " | ".join(output.splitlines()[-5:]) or "no output"
        failure = f"mkdocs build exited with status {proc.returncode}: {tail}"
    return MkdocsRun(_read(records), failure)


def _read(records: Path) -> list[MkdocsMessage]:
    messages = []
    with contextlib.suppress(OSError):
        for line in records.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError, KeyError, TypeError):
                item = json.loads(line)
                messages.append(MkdocsMessage(str(item["level"]), str(item["text"]),
                                              item.get("page")))
    return messages


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without mkdocs: tags such as ``!ENV`` and ``!!python/name`` become None."""


_TolerantLoader.add_multi_constructor("", lambda _loader, _suffix, _node: None)


def configured_folders(config_file: Path) -> tuple[Path, Path]:
    """``docs_dir`` and ``site_dir`` of ``config_file`` (relative to its folder, as mkdocs reads
    them), else ``docs`` and ``site`` beside it.  A broken file gives the defaults: the build
    reports it when mkdocs reads it."""
    folder = config_file.parent
    values: dict[str, object] = {}
    with contextlib.suppress(OSError, yaml.YAMLError, UnicodeDecodeError):
        loaded = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
        if isinstance(loaded, dict):
            values = loaded
    docs, site = values.get("docs_dir"), values.get("site_dir")
    return (folder / (docs if isinstance(docs, str) else "docs"),
            folder / (site if isinstance(site, str) else "site"))


def site_root_path(config_file: Path) -> str:
    """The path part of ``site_url`` (``/kb/`` for ``https://example.org/kb/``; ``/`` when
    unset): where MkDocs points the root-absolute links of ``404.html``."""
    from mkdocs.config import load_config

    url = None
    with contextlib.suppress(Exception):  # mkdocs itself reports a broken configuration
        url = load_config(str(config_file))["site_url"]
    path = urlsplit(url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def source_date_epoch(policies: Path, dates: Iterable[dt.date]) -> int:
    """``SOURCE_DATE_EPOCH``, else the last git commit's time, else the newest of ``dates``.

    It dates the sitemap (and the gzip header of ``sitemap.xml.gz``): the same input gives the
    same bytes on any day.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if value.isdigit():
        return int(value)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        proc = subprocess.run(
            ["git", "-C", str(policies), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, timeout=30, check=False,
        )
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return int(proc.stdout.strip())
    known = list(dates)
    if not known:
        return 0
    # `check` refuses implausible dates; a date past today still never reaches the sitemap
    # (and a gzip header holds 32 bits: a year like 2201 would crash its writer)
    newest = min(max(known), dt.datetime.now(dt.UTC).date())
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())
