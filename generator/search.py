"""Search index step: Pagefind over the built site, with substring matching for Chinese.

Why not Pagefind's own Chinese mode: it segments pages with jieba when indexing and queries with
the browser's ``Intl.Segmenter`` (ICU) when searching, and the two disagree.  Measured on a
3,000-page synthetic site, ``24小时`` found 0 of the 719 pages that contain it; ``联席`` found
nothing on a page holding ``联席会议`` (ICU splits the query into 联 + 席, jieba indexed one word).
Chinese readers expect Ctrl+F behaviour instead: every page that contains the typed string.

What this step does instead (index and query use the same rules, so they cannot disagree):

* Pagefind does not read the site itself but a *shadow copy*: the ``<article>`` of every page,
  with every text node folded — NFKC (full-width → half-width), traditional → simplified one
  character at a time (OpenCC's table, via ``generator.script``) — and a space before every Han
  character and every run of ASCII letters or digits.  Punctuation stays attached to a
  neighbour, so it never takes a word position.  The shadow is declared ``lang="und"`` so that
  Pagefind neither segments the text nor the query.  Inline charts (``<svg>``) are left out:
  every flowchart's steps are also on the page as text.
* The search page (``docs/assets/policykb.js``) folds the query with the same table
  (``pagefind/policykb-t2s.json``, written here), splits it the same way, and runs an exact
  phrase search (``"联 席 会 议"``: substring semantics) to decide which pages match and an
  ordinary search over the same characters to rank them.

The site's own HTML is not changed: traditional pages stay traditional.  Pages carrying the
attribute ``data-pk-noindex`` (the search page) and ``404.html`` are not indexed.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.script import to_simplified

BUNDLE_DIR = "pagefind"
T2S_FILE = "policykb-t2s.json"
NOINDEX_MARKER = "data-pk-noindex"
TIMEOUT_SECONDS = 1800
#: Below this many pages per extra process, the shadow copy is written in-process.
PAGES_PER_WORKER = 150
#: Pagefind's UI bundles; the site uses its own UI on top of ``pagefind.js``.
_UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)

_HAN_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FFFF),
)
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_WORD = f"{_HAN}0-9A-Za-z"
#: Separates the text nodes of a page while they are folded together (see ``fold_html``).
_NODE = "\x00"
#: Where a space goes before an ASCII letter or digit: after a Han character (and any punctuation
#: after it), and after punctuation inside a run of letters and digits (3.14, 2023-05-15).
_BEFORE_ALNUM = re.compile(
    rf"([{_HAN}][^\s{_WORD}]*|[0-9A-Za-z][^\s{_NODE}{_WORD}]+)(?=[0-9A-Za-z])"
)
#: Punctuation standing alone (after a space or at the start) sticks to the next word.
_LEADING_PUNCT = re.compile(rf"(\s{_NODE}*)([^\s{_NODE}{_WORD}]+)\s+(?=[{_WORD}])")
_TOKEN = re.compile(f"[{_HAN}]|[0-9a-z]+")
_TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article>", re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_SKIP_ELEMENTS = re.compile(r"<(script|style|template|svg)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


@dataclass
class SearchIndexResult:
    """What the indexer did; ``errors`` is empty when the index was written."""

    pages_indexed: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """Traditional → simplified, one character to one character (OpenCC's character table)."""
    table: dict[int, str] = {}
    for first, last in _HAN_RANGES:
        for cp in range(first, last + 1):
            ch = chr(cp)
            simple = to_simplified(ch)
            if simple != ch and len(simple) == 1:
                table[cp] = simple
    return table


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Every Han character → a space and its simplified form (one ``str.translate`` pass)."""
    t2s = t2s_table()
    return {
        cp: " " + t2s.get(cp, chr(cp))
        for first, last in _HAN_RANGES
        for cp in range(first, last + 1)
    }


def fold(text: str) -> str:
    """The search form of ``text``: NFKC, simplified characters, spaced Han characters.

    Every Han character and every run of ASCII letters and digits becomes its own word (the
    words ``search_tokens`` finds); punctuation sticks to a neighbour so that it never takes a
    word position of its own.
    """
    text = _BEFORE_ALNUM.sub(r"\1 ", unicodedata.normalize("NFKC", text))
    return _LEADING_PUNCT.sub(r"\1\2", " " + text.translate(_fold_table()))[1:]


def search_tokens(text: str) -> list[str]:
    """The words Pagefind sees in ``text`` (and the search page sends for a query)."""
    return _TOKEN.findall(fold(text).lower())


def fold_html(fragment: str) -> str:
    """``fold`` applied to the text of an HTML fragment; tags are left as they are.

    All text nodes are folded in one call, joined by a NUL character: one pass over a page
    instead of one per table cell.  A Han character followed by a letter in the next node (an
    inline tag between them) gets its space like any other pair.
    """
    parts = _TAG_OR_TEXT.split(_SKIP_ELEMENTS.sub("", fragment.replace(_NODE, "")))
    folded = fold(html.unescape(_NODE.join(parts[0::2])))
    parts[0::2] = html.escape(folded, quote=False).split(_NODE)
    return "".join(parts)


def page_title(page: str) -> str:
    """The page's own title: its first ``<h1>`` or else the ``<title>`` element."""
    m = _H1.search(page)
    raw = _HEADERLINK.sub("", m.group(1)) if m else ""
    if not raw.strip():
        t = _TITLE.search(page)
        raw = t.group(1) if t else ""
    text = html.unescape(re.sub(r"<[^>]*>", "", raw))
    return " ".join(text.split())


def shadow_page(page: str) -> str | None:
    """What Pagefind indexes for one built page, or ``None`` when the page is not indexed."""
    if NOINDEX_MARKER in page:
        return None
    m = _ARTICLE.search(page)
    if m is None:
        return None
    title = html.escape(page_title(page), quote=False)
    return (
        '<!DOCTYPE html>\n<html lang="und"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><main data-pagefind-body>"
        f'<p data-pagefind-meta="title" data-pagefind-ignore>{title}</p>\n'
        f"{fold_html(_HEADERLINK.sub('', m.group(1)))}\n</main></body></html>\n"
    )


def _pages(site_dir: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "404.html" or rel.startswith(BUNDLE_DIR + "/"):
            continue
        yield rel, path


def _write_shadows(job: tuple[Path, list[tuple[str, Path]]]) -> int:
    """Write the shadow of each page of ``job``; the number of pages that are indexed."""
    shadow, pages = job
    written = 0
    for rel, path in pages:
        text = shadow_page(path.read_text(encoding="utf-8"))
        if text is None:
            continue
        target = shadow / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written += 1
    return written


def write_shadow_site(site_dir: Path, shadow: Path) -> int:
    """The shadow copy Pagefind indexes, written by one process per core on large sites."""
    pages = list(_pages(site_dir))
    workers = min(os.cpu_count() or 1, len(pages) // PAGES_PER_WORKER)
    if workers <= 1:
        return _write_shadows((shadow, pages))
    jobs = [(shadow, pages[i::workers * 4]) for i in range(workers * 4)]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return sum(pool.map(_write_shadows, jobs))


def build_search_index(site_dir: Path, work_dir: Path) -> SearchIndexResult:
    """Write ``site_dir/pagefind/``; ``work_dir`` (created, then removed) holds the shadow."""
    started = time.perf_counter()
    result = SearchIndexResult()
    shadow = work_dir / "shadow"
    shutil.rmtree(shadow, ignore_errors=True)
    result.pages_indexed = write_shadow_site(site_dir, shadow)
    bundle = site_dir / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)
    if result.pages_indexed:
        result.errors.extend(_run_pagefind(shadow, bundle))
    else:
        bundle.mkdir(parents=True)
    shutil.rmtree(shadow, ignore_errors=True)
    if not result.errors:
        for name in _UNUSED_BUNDLE_FILES:
            (bundle / name).unlink(missing_ok=True)
        write_t2s_table(bundle / T2S_FILE)
        files = [p for p in bundle.rglob("*") if p.is_file()]
        result.files = len(files)
        result.bytes = sum(p.stat().st_size for p in files)
    result.seconds = time.perf_counter() - started
    return result


def write_t2s_table(path: Path) -> None:
    """The query-side copy of the folding table: one string of (traditional, simplified) pairs."""
    table = t2s_table()
    pairs = "".join(chr(cp) + table[cp] for cp in sorted(table))
    path.write_text(json.dumps({"t2s": pairs}, ensure_ascii=False), encoding="utf-8")


def _run_pagefind(shadow: Path, bundle: Path) -> list[str]:
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(shadow),
        "--output-path", str(bundle),
        "--silent",
    ]
    try:
        proc = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return [f"pagefind did not finish within {TIMEOUT_SECONDS} s"]
    output = (proc.stdout + proc.stderr).decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        return [f"pagefind exited with status {proc.returncode}: {output or 'no output'}"]
    if not (bundle / "pagefind.js").is_file():
        return [f"pagefind wrote no pagefind.js: {output or 'no output'}"]
    return []
