"""Search excerpts show the page's own characters, including those the index uses as marks.

The shadow that Pagefind indexes (generator/search.py) stores marks beside the text (``^`` for a
space, a backtick at a block end, ``|`` after a widened punctuation mark, a private-use
character after a traditional one); the search page (docs/assets/policykb.js) decodes them.  A
page whose own text holds those very characters, their full-width forms, backslashes and
private-use characters must come back unchanged in a result's excerpt.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_MINI, Project, Server, _shared_build, make_project, serve_directory

pytestmark = pytest.mark.browser

#: One line of a provision; 摘录核对 occurs nowhere else.  Full-width and ASCII forms of every
#: mark, the escape character and private-use characters, next to each other and to Han text.
LINE = ("摘录核对：a^b `c` x|y ＾｀｜ ^`| C:\\d\\ ＼\\ \\^ \ue000私用\uf8fc区 "
        "&amp; *星* [括] <尖> 完。")
PAGE = "/documents/jinhu-mini/"


def _with_line(root: Path) -> Project:
    project = make_project(root, policies=KB_MINI)
    path = project.policies / "documents" / "jinhu-mini.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        key, _, value = line.partition(": ")
        if key.strip() == "text" and value.startswith("县级部门与镇街根据工作需要开展联合执法"):
            lines[i] = f"{key}: {json.dumps(value + chr(10) + LINE, ensure_ascii=False)}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def marks_server(shared_tmp: Path) -> Iterator[Server]:
    project = _shared_build(shared_tmp, "search-marks-site", _with_line)
    with serve_directory(project.site) as server:
        yield server


def excerpts(page: Any, server: Server, query: str) -> list[str]:
    page.goto(server.url + "about/search/?q=" + query)
    page.wait_for_selector("#pk-search[data-pk-state=done]")
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        f'.pk-result:has(h2 a[href$="{PAGE}"]) .pk-result__excerpt',
        "els => els.map(e => e.textContent)")


def test_excerpt_shows_every_original_character(page: Any, marks_server: Server) -> None:
    shown = excerpts(page, marks_server, "摘录核对")
    assert shown, "the page holding the line was not found"
    assert LINE in shown[0], shown[0]
    assert page.console_problems == []


def test_a_query_next_to_marks_still_finds_and_shows_them(page: Any,
                                                          marks_server: Server) -> None:
    """Words on either side of ^ ` | \\ and private-use characters are indexed as before."""
    shown = excerpts(page, marks_server, "私用")
    assert shown and "\ue000私用\uf8fc区" in shown[0], shown
    assert excerpts(page, marks_server, "xy") == []  # x|y: two words, as x^y or x,y would be
