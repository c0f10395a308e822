"""Search index step: Pagefind over the built site, with substring matching for Chinese.

Why not Pagefind's own Chinese mode: it segments pages with jieba when indexing and queries with
the browser's ``Intl.Segmenter`` (ICU) when searching, and the two disagree.  Measured on a
3,000-page synthetic site, ``24小时`` found 0 of the 719 pages that contain it; ``联席`` found
nothing on a page holding ``联席会议`` (ICU splits the query into 联 + 席, jieba indexed one word).
Chinese readers expect Ctrl+F behaviour instead: every page that contains the typed string.

What this step does instead (index and query use the same rules, so they cannot disagree):

* Pagefind does not read the site itself but a *shadow copy*: the ``<article>`` of every page,
  with every text node folded — traditional → simplified one character at a time (OpenCC's
  table, via ``generator.chinese.script``), NFKC for characters that fold to letters, digits or Han
  characters (full-width → half-width) — and a space before every Han character and every run
  of ASCII letters or digits.  Punctuation stays attached to a neighbour, so it never takes a
  word position.  The shadow is declared ``lang="und"`` so that Pagefind does not segment the
  text.  Inline charts (``<svg>``) and elements marked ``data-pagefind-ignore`` are left out.
* The shadow also carries what the search page needs to show the *original* text in excerpts,
  as marks that Pagefind keeps in the stored text but strips from indexed words (ASCII
  punctuation: it adds no index entries): ``^`` where the page shows a space, a backtick at the
  end of a block (it also stops Pagefind from appending ". "), ``|`` after an ASCII punctuation
  mark that is full-width on the page (``，`` → ``,|``).  After a simplified character that is
  traditional on the page comes ``U+E000 + k`` (``k``: the pair's place in OpenCC's table).
  The page's own ``^`` ``|`` backtick, backslash and private-use characters are written after a
  backslash (``\\^``), which makes them text, never a mark: an excerpt shows every character
  of the page.
* The search page (``docs/assets/policykb.js``) folds the query with the same table
  (``pagefind/policykb-t2s.json``, written here: only the pairs whose simplified character
  occurs on the site), splits it the same way, and runs an exact phrase search
  (``"联 席 会 议"``: substring semantics) to decide which pages match and an ordinary search over
  the same characters to rank them.  It finds the phrase in each shown result's stored text and
  builds the excerpt itself, in the page's own script.

* Pages carry a hidden marker of their facets (``render/facets.py``): a result's title names
  the place (``【浙江省】发现案件…``), an overview page (a topic or a document) has its ``<h1>``
  weighted so that it ranks first for its title's words (移送 → 专题：案件移送), and the
  jurisdiction, topics and validity go to two files: ``pagefind/policykb-facets.json``
  (``FACETS_FILE``: the values of each facet and how many pages have each, for the filter
  menus; loaded with the search) and ``pagefind/policykb-facet-pages.json``
  (``FACET_PAGES_FILE``: the facets of every page, keyed by the id Pagefind gives the page's
  result; loaded only when a filter is chosen, since it grows with the site: 1.4 MB at 3,000
  documents, more than the rest of a first query).  Why not Pagefind's own filters: their
  files come out of a hash map in a different order on every run, and the same input must give
  the same bytes.
* Numerals: the search page also looks for the other way of writing a number in the query
  (二十四小时 ↔ 24小时, 三个工作日 ↔ 3个工作日, 两个 ↔ 2个) and shows the union; see
  ``numeral_variants`` in docs/assets/policykb.js (tests hold it to
  ``generator/deadlines/numerals.py``).

The site's own HTML is not changed: traditional pages stay traditional.  Pages carrying the
attribute ``data-pk-noindex`` (the search page, the benchmark figures) and ``404.html`` are not
indexed; pages carrying ``data-pk-lowrank`` (the pages about the site) rank below the rest.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.chinese.script import to_simplified
from generator.render.search_marks import (
    FACET_ATTRIBUTES,
    FACET_SEPARATOR,
    FACETS_MARKER,
    IGNORE_MARKER,
    LOWRANK_MARKER,
    NOINDEX_MARKER,
    OVERVIEW_ATTRIBUTE,
)
from generator.runtime.cache import BuildCache, code_fingerprint, content_key
from generator.runtime.children import die_with_parent
from generator.runtime.workers import cached_map

BUNDLE_DIR = "pagefind"
T2S_FILE = "policykb-t2s.json"
FACETS_FILE = "policykb-facets.json"
FACET_PAGES_FILE = "policykb-facet-pages.json"
#: How Pagefind starts a decompressed fragment (the JSON of one page follows).
_FRAGMENT_SIGNATURE = b"pagefind_dcd"
#: Weight of the pages marked ``LOWRANK_MARKER``, and of an overview page's title.
LOWRANK_WEIGHT = "0.1"
OVERVIEW_TITLE_WEIGHT = "10"
#: Marks in the shadow (see the module docstring).  Pagefind keeps them in the stored text and
#: drops them from words: ASCII punctuation is stripped from a word without a trace, any other
#: symbol would make it index the word a second time with the symbol.
#: ``PUA_BASE + k`` after a simplified character: it was the traditional one of the k-th pair of
#: ``t2s_table`` (traditional pages only, so a private-use character is affordable there).
PUA_BASE = 0xE000
SPACE_MARK = "^"  # the page shows a space here
BLOCK_MARK = "`"  # end of a block (also stops Pagefind from appending ". ")
WIDE_MARK = "|"  # after an ASCII punctuation mark: the page has its full-width form (，→ ,|)
#: Before a character of the page that would otherwise read as a mark (a mark itself, this
#: escape, a private-use character): the character after it is text.
ESCAPE_MARK = "\\"
_MARKED = (SPACE_MARK, BLOCK_MARK, WIDE_MARK, ESCAPE_MARK)
#: The page's own marks and private-use characters, each written after ``ESCAPE_MARK``.
_MARK_ESCAPES = {ord(c): ESCAPE_MARK + c for c in _MARKED} | {
    cp: ESCAPE_MARK + chr(cp) for cp in range(0xE000, 0xF900)}
TIMEOUT_SECONDS = 1800
#: Pages read and shadowed at a time.
SHADOW_BATCH = 2000
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
#: Tags that end a block of text: the text before them gets ``BLOCK_MARK``.
_BLOCK_TAG = re.compile(
    r"</?(?:p|li|ul|ol|dl|dt|dd|td|th|tr|table|caption|h[1-6]|div|details|summary|blockquote|"
    r"pre|figure|figcaption|section|br|hr)\b",
    re.IGNORECASE,
)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                        "meta", "source", "track", "wbr"})


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


@lru_cache(maxsize=1)
def _shadow_table() -> dict[int, str]:
    """Every Han character → a space, its simplified form and (if traditional) its mark."""
    pairs = {cp: k for k, cp in enumerate(sorted(t2s_table()))}
    t2s = t2s_table()
    table: dict[int, str] = {}
    for first, last in _HAN_RANGES:
        for cp in range(first, last + 1):
            k = pairs.get(cp)
            table[cp] = " " + (t2s[cp] + chr(PUA_BASE + k) if k is not None else chr(cp))
    return table


#: Code points outside ASCII whose NFKC form may differ (the rest of Unicode has none we fold).
_NFKC_RANGES = ((0x80, 0xFFFF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF), (0x2F800, 0x2FA1F))


@lru_cache(maxsize=1)
def _nfkc_table() -> dict[int, str]:
    """What ``shadow_fold`` writes for a character that NFKC changes.

    Letters, digits and Han characters take their NFKC form (２ → 2, ① → 1); a full-width ASCII
    punctuation mark becomes the ASCII one and ``WIDE_MARK`` (， → ,|).
    """
    word = re.compile(f"[{_WORD}]")
    table: dict[int, str] = {}
    for first, last in _NFKC_RANGES:
        for cp in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if folded == chr(cp) or folded.isspace():
                continue
            if word.search(folded):
                table[cp] = folded
            elif 0xFF01 <= cp <= 0xFF5E and len(folded) == 1 and folded.isascii():
                table[cp] = (ESCAPE_MARK if folded in _MARKED else "") + folded + WIDE_MARK
    return table


#: A run of whitespace the page shows as a space: no line break in it (that is source
#: formatting) and not a text node of its own (between two ``_NODE`` separators).
_SHOWN_SPACE = re.compile(
    rf"(?<=[^\s{_NODE}])[^\S\n]+(?!\s)|(?<!\s)[^\S\n]+(?=[^\s{_NODE}])"
)


def shadow_fold(text: str) -> str:
    """``fold`` for the shadow: the same words, with the marks that restore the original text.

    Only characters that fold to letters, digits or Han characters are normalised; a full-width
    punctuation mark becomes its ASCII form and ``WIDE_MARK`` (Pagefind strips ASCII
    punctuation from words); a traditional character becomes its simplified form followed by
    its ``PUA_BASE + k`` mark; shown spaces get ``SPACE_MARK``; the page's own mark characters
    follow ``ESCAPE_MARK``.  ``search_tokens`` of the result equals ``search_tokens(text)``.
    """
    text = text.translate(_MARK_ESCAPES)
    text = _SHOWN_SPACE.sub(SPACE_MARK + r"\g<0>", text)
    text = _BEFORE_ALNUM.sub(r"\1 ", text.translate(_nfkc_table()))
    return _LEADING_PUNCT.sub(r"\1\2", " " + text.translate(_shadow_table()))[1:]


def _drop_ignored(fragment: str) -> str:
    """``fragment`` without the elements marked ``data-pagefind-ignore`` (and their content)."""
    if IGNORE_MARKER not in fragment:
        return fragment
    parts = _TAG_OR_TEXT.split(fragment)
    out: list[str] = []
    depth = 0  # open elements inside the ignored one (0: not ignoring)
    for i, part in enumerate(parts):
        tag = _TAG_NAME.match(part) if i % 2 else None
        if depth:
            if tag and tag.group(2).lower() not in _VOID_TAGS and not part.endswith("/>"):
                depth += -1 if tag.group(1) else 1
            continue
        if tag and not tag.group(1) and IGNORE_MARKER in part:
            void = tag.group(2).lower() in _VOID_TAGS or part.endswith("/>")
            depth = 0 if void else 1
            continue
        out.append(part)
    return "".join(out)


def shadow_html(fragment: str) -> str:
    """The shadow of an HTML fragment: text nodes through ``shadow_fold``, block ends marked.

    Tags are left as they are.  The last text of every block gets ``BLOCK_MARK``, glued to its
    last character so that it never stands alone as a word.
    """
    fragment = _drop_ignored(_SKIP_ELEMENTS.sub("", _HEADERLINK.sub("", fragment)))
    parts = _TAG_OR_TEXT.split(fragment.replace(_NODE, ""))
    texts = shadow_fold(_NODE.join(html.unescape(p) for p in parts[0::2])).split(_NODE)
    last = -1
    for i, text in enumerate(texts):
        if text.strip():
            last = i
        ends_block = i + 1 == len(texts) or _BLOCK_TAG.match(parts[2 * i + 1])
        if ends_block and last >= 0:
            body = texts[last].rstrip()
            texts[last] = body + BLOCK_MARK + texts[last][len(body):]
            last = -1
    parts[0::2] = [html.escape(text, quote=False) for text in texts]
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


_FACETS = re.compile(rf"<div\b[^>]*\b{FACETS_MARKER}\b[^>]*>")
_H1_START = re.compile(r"<h1\b")


def page_facets(page: str) -> tuple[dict[str, list[str]], bool]:
    """The page's facets (filter → values) and whether it is an overview page."""
    m = _FACETS.search(page)
    if m is None:
        return {}, False
    tag = m.group(0)
    facets = {}
    for name, attribute in FACET_ATTRIBUTES.items():
        value = re.search(rf'\b{attribute}="([^"]*)"', tag)
        if value:
            facets[name] = [v for v in html.unescape(value.group(1)).split(FACET_SEPARATOR) if v]
    return facets, re.search(rf"\b{OVERVIEW_ATTRIBUTE}\b", tag) is not None


def shadow_page(page: str) -> str | None:
    """What Pagefind indexes for one built page, or ``None`` when the page is not indexed."""
    if NOINDEX_MARKER in page:
        return None
    m = _ARTICLE.search(page)
    if m is None:
        return None
    facets, overview = page_facets(page)
    title = page_title(page)
    if facets.get("place"):
        title = f"【{facets['place'][0]}】{title}"
    title = html.escape(title, quote=False)
    body = shadow_html(m.group(1))
    if overview:
        body = _H1_START.sub(f'<h1 data-pagefind-weight="{OVERVIEW_TITLE_WEIGHT}"', body, count=1)
    if LOWRANK_MARKER in page:
        body = f'<div data-pagefind-weight="{LOWRANK_WEIGHT}">{body}</div>'
    return (
        '<!DOCTYPE html>\n<html lang="und"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><main data-pagefind-body>"
        f'<p data-pagefind-meta="title" data-pagefind-ignore>{title}</p>\n'
        f"{body}\n</main></body></html>\n"
    )


def _pages(site_dir: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "404.html" or rel.startswith(BUNDLE_DIR + "/"):
            continue
        yield rel, path


Facets = dict[str, list[str]]


def shadow_entry(raw: bytes) -> tuple[str, str, Facets] | None:
    """The shadow of one built page, its Han characters (simplified), which decide the pairs
    the query-side table needs, and its facets; ``None`` when the page is not indexed."""
    page = raw.decode("utf-8")
    text = shadow_page(page)
    if text is None:
        return None
    return text, "".join(sorted(ch for ch in set(text) if ord(ch) > 0x3000)), page_facets(page)[0]


def write_shadow_site(
    site_dir: Path, shadow: Path, cache: BuildCache | None = None
) -> tuple[int, set[str], dict[str, Facets]]:
    """The shadow copy Pagefind indexes; a page whose HTML has not changed since the last build
    takes its shadow from ``cache``, the others are made on every core.

    Returns the number of pages indexed, the set of characters (above U+3000) they hold and the
    facets of each page that has any, by the URL Pagefind gives it (``/documents/x/``).
    """
    cache = cache if cache is not None else BuildCache(None)
    fingerprint = code_fingerprint()
    pages = list(_pages(site_dir))
    written = 0
    chars: set[str] = set()
    facets: dict[str, Facets] = {}
    for start in range(0, len(pages), SHADOW_BATCH):  # batches bound the memory held
        batch = pages[start:start + SHADOW_BATCH]
        raw = [path.read_bytes() for _, path in batch]
        keys = [content_key(fingerprint, data) for data in raw]
        for (rel, _), entry in zip(batch, cached_map(shadow_entry, raw, keys, cache, "shadow"),
                                   strict=True):
            if entry is None:
                continue
            text, han, found = entry
            if found:
                facets["/" + rel.removesuffix("index.html")] = found
            target = shadow / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            chars.update(han)
            written += 1
    return written, chars, facets


def build_search_index(
    site_dir: Path, work_dir: Path, cache: BuildCache | None = None
) -> SearchIndexResult:
    """Write ``site_dir/pagefind/``; ``work_dir`` (created, then removed) holds the shadow."""
    started = time.perf_counter()
    result = SearchIndexResult()
    shadow = work_dir / "shadow"
    shutil.rmtree(shadow, ignore_errors=True)
    result.pages_indexed, chars, facets = write_shadow_site(site_dir, shadow, cache)
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
        write_t2s_table(bundle / T2S_FILE, chars)
        write_facets(bundle, facets)
        files = [p for p in bundle.rglob("*") if p.is_file()]
        result.files = len(files)
        result.bytes = sum(p.stat().st_size for p in files)
    result.seconds = time.perf_counter() - started
    return result


def t2s_entries(site_chars: set[str] | None = None) -> str:
    """The query-side table: (mark, traditional, simplified) triples, one string.

    Only pairs whose simplified character is in ``site_chars`` (all pairs for ``None``): a query
    character whose simplified form is nowhere on the site finds nothing either way.  The mark
    is the ``PUA_BASE + k`` character the shadow puts after that simplified character.
    """
    table = t2s_table()
    return "".join(
        chr(PUA_BASE + k) + chr(cp) + table[cp]
        for k, cp in enumerate(sorted(table))
        if site_chars is None or table[cp] in site_chars
    )


def write_t2s_table(path: Path, site_chars: set[str] | None = None) -> None:
    """Write ``t2s_entries`` as ``{"t2s": "..."}`` (read by docs/assets/policykb.js)."""
    text = json.dumps({"t2s": t2s_entries(site_chars)}, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")


def write_facets(bundle: Path, facets: dict[str, Facets]) -> None:
    """Write ``FACETS_FILE``: ``{"values": {facet: [value …]}, "counts": {facet: [pages with
    the value …]}}`` and ``FACET_PAGES_FILE``: ``{"pages": {result id: {facet: [index …]}}}``,
    values sorted, pages by id (read by docs/assets/policykb.js)."""
    ids: dict[str, str] = {}
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(_FRAGMENT_SIGNATURE)
        ids[json.loads(data)["url"]] = fragment.stem
    values = {name: sorted({v for page in facets.values() for v in page.get(name, [])})
              for name in FACET_ATTRIBUTES}
    index = {name: {v: i for i, v in enumerate(vs)} for name, vs in values.items()}
    pages = {ids[url]: {name: [index[name][v] for v in found[name]] for name in sorted(found)}
             for url, found in facets.items() if url in ids}
    counts = {name: [0] * len(vs) for name, vs in values.items()}
    for found in pages.values():
        for name, indexes in found.items():
            for i in set(indexes):
                counts[name][i] += 1
    for name, content in ((FACETS_FILE, {"values": values, "counts": counts}),
                          (FACET_PAGES_FILE, {"pages": dict(sorted(pages.items()))})):
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        (bundle / name).write_text(text, encoding="utf-8")


def _run_pagefind(shadow: Path, bundle: Path) -> list[str]:
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(shadow),
        "--output-path", str(bundle),
        "--silent",
    ]
    try:
        proc = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
                              preexec_fn=die_with_parent())
    except subprocess.TimeoutExpired:
        return [f"pagefind did not finish within {TIMEOUT_SECONDS} s"]
    output = (proc.stdout + proc.stderr).decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        return [f"pagefind exited with status {proc.returncode}: {output or 'no output'}"]
    if not (bundle / "pagefind.js").is_file():
        return [f"pagefind wrote no pagefind.js: {output or 'no output'}"]
    return []
