"""``python -m generator.mkdocs_runner build …``: the mkdocs command line, fit for rebuilds.

Why not plain ``mkdocs build --dirty --strict``: mkdocs logs a warning on every dirty build
("A 'dirty' build is being performed …") and ``--strict`` turns that warning into a failure.
``policykb build`` only uses a dirty build on a copy of the previous site whose layout it
controls (no per-page navigation: see ``mkdocs.yml``), and proves in its tests that the result
equals a clean build, so exactly that one message is dropped here; every other warning still
fails the strict build.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from urllib.parse import urlsplit

import yaml

DIRTY_WARNING = "A 'dirty' build is being performed"


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


def site_root_path(config_file: Path) -> str:
    """The path part of ``site_url`` (``/kb/`` for ``https://example.org/kb/``; ``/`` when
    unset): where MkDocs points the root-absolute links of ``404.html``."""
    from mkdocs.config import load_config

    url = None
    with contextlib.suppress(Exception):  # mkdocs itself reports a broken configuration
        url = load_config(str(config_file))["site_url"]
    path = urlsplit(url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


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


def main() -> None:
    from mkdocs.__main__ import cli

    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    cli(prog_name="mkdocs")


if __name__ == "__main__":
    main()
