"""``python -m generator.publish.mkdocs_child CONFIG SITE RECORDS [--dirty]``: one mkdocs build.

Every log record of level WARNING and above goes to RECORDS as a JSON line (level, text, the
docs-relative page being handled), see ``generator.publish.mkdocs``.  The page is tracked through
mkdocs' public plugin events (a plugin added to the loaded configuration, so ``mkdocs.yml``
stays vanilla).  The build is not strict: the parent decides what a warning means.

One message is dropped: mkdocs warns on every dirty build ("A 'dirty' build is being
performed …").  ``policykb build`` only builds dirty on a copy of the previous site whose
layout it controls, and proves in its tests that the result equals a clean build.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any, TextIO

DIRTY_WARNING = "A 'dirty' build is being performed"


class _Pages:
    """The page mkdocs is reading or writing now (None between pages)."""

    current: str | None = None


class _PageTracker:
    """A mkdocs plugin in all but registration: only the events that bracket a page."""

    def on_pre_page(self, page: Any, **_: Any) -> Any:
        _Pages.current = page.file.src_uri
        return page

    def on_page_content(self, html: str, **_: Any) -> str:
        _Pages.current = None
        return html

    def on_page_context(self, context: Any, page: Any, **_: Any) -> Any:
        _Pages.current = page.file.src_uri
        return context

    def on_post_page(self, output: str, **_: Any) -> str:
        _Pages.current = None
        return output


class _Records(logging.Handler):
    def __init__(self, stream: TextIO) -> None:
        super().__init__(logging.WARNING)
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text.startswith(DIRTY_WARNING):
            return
        self.stream.write(json.dumps({"level": record.levelname, "text": text,
                                      "page": _Pages.current}, ensure_ascii=False) + "\n")
        self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mkdocs_child")
    parser.add_argument("config")
    parser.add_argument("site")
    parser.add_argument("records")
    parser.add_argument("--dirty", action="store_true")
    args = parser.parse_args(argv)

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with open(args.records, "w", encoding="utf-8") as stream:
        handler = _Records(stream)
        logging.getLogger().addHandler(handler)
        try:
            config = load_config(args.config, site_dir=args.site)
            config.plugins["policykb-page-tracker"] = _PageTracker()  # type: ignore[assignment]
            build(config, dirty=args.dirty)
        except MkDocsException as problem:  # a configuration error, a BuildError
            print(f"mkdocs: {problem}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
