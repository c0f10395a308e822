"""The link and anchor checker over a built site, raw-HTML and SVG links included."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import CODES_BY_NAME, Severity
from generator.publish.linkcheck import check_site, site_diagnostics
from generator.runtime.cache import BuildCache

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="{up}assets/site.css"><script src="{up}assets/site.js"></script>
<script>var x = '<a href="nowhere.html">not a link</a>';</script>
</head><body><nav><a href="{up}">home</a></nav>
<article class="md-content__inner">{body}</article></body></html>"""


def write_site(root: Path, pages: dict[str, str]) -> Path:
    for path, body in pages.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.endswith(".html"):
            up = "../" * path.count("/")
            body = PAGE.format(up=up, body=body)
        target.write_text(body, encoding="utf-8")
    return root


def messages(root: Path) -> list[str]:
    return [p.format() for p in check_site(root)]


@pytest.fixture
def base() -> dict[str, str]:
    return {
        "index.html": '<h1 id="top-title">首页</h1><a href="documents/a/">A</a>',
        "assets/site.css": "",
        "assets/site.js": "",
        "documents/a/index.html": (
            '<h2 id="s1">一、</h2><a name="legacy"></a>'
            '<a href="#s1">self</a> <a href="../b/#s2">b</a> <a href="../../#top-title">home</a>'
            '<a href="#legacy">legacy</a> <a href="https://example.org/x#y">ext</a>'
            '<a href="mailto:a@b.c">mail</a> <a href="?q=1">query</a> <a href="#">top</a>'
        ),
        "documents/b/index.html": '<h2 id="s2">二、</h2><img src="../../assets/site.css">',
        "diagrams/a/p.svg": '<svg><a xlink:href="../../documents/a/#s1"><text>x</text></a></svg>',
    }


def test_a_clean_site_has_no_problems(tmp_path: Path, base: dict[str, str]) -> None:
    assert messages(write_site(tmp_path, base)) == []


def test_missing_files_and_anchors_are_reported(tmp_path: Path, base: dict[str, str]) -> None:
    base["documents/a/index.html"] += (
        '<a href="../c/">missing page</a><a href="../b/#s9">missing anchor</a>'
        '<a href="#nope">missing own anchor</a><img src="../../assets/none.png">'
    )
    assert messages(write_site(tmp_path, base)) == [
        "documents/a/index.html: href='#nope': no anchor #nope on this page",
        "documents/a/index.html: src='../../assets/none.png': no file assets/none.png",
        "documents/a/index.html: href='../b/#s9': no anchor #s9 in documents/b/index.html",
        "documents/a/index.html: href='../c/': no file documents/c/index.html",
    ]


def test_links_inside_inline_svg_are_checked(tmp_path: Path, base: dict[str, str]) -> None:
    base["documents/a/index.html"] += (
        '<div class="pk-diagram"><svg><g id="n1"><a xlink:href="#s7"><text>step</text></a>'
        '</g></svg></div>'
    )
    base["diagrams/a/p.svg"] = '<svg><a xlink:href="../../documents/a/#gone"/></svg>'
    assert messages(write_site(tmp_path, base)) == [
        "diagrams/a/p.svg: xlink:href='../../documents/a/#gone': "
        "no anchor #gone in documents/a/index.html",
        "documents/a/index.html: xlink:href='#s7': no anchor #s7 on this page",
    ]


def test_escaped_and_percent_encoded_values_are_decoded(tmp_path: Path,
                                                        base: dict[str, str]) -> None:
    base["documents/a/index.html"] += (
        '<h3 id="s3-1">x</h3><a href="#s3&#45;1">entity</a><a href="../b/index.html#s%32">pct</a>'
    )
    assert messages(write_site(tmp_path, base)) == []


def test_unsafe_markup_in_content_is_reported(tmp_path: Path, base: dict[str, str]) -> None:
    base["documents/b/index.html"] += (
        '<a href="javascript:alert(1)">x</a><a href="JaVaScRiPt:alert(1)">y</a>'
        '<img src="../../assets/site.css" onerror="alert(2)"><script>alert(3)</script>'
        '<b\nOnMouseOver="alert(4)">b</b>'
        '<iframe src="data:text/html,hi"></iframe>'
    )
    problems = check_site(write_site(tmp_path, base))
    assert {p.kind for p in problems} == {"unsafe-markup"}
    assert sorted(p.message for p in problems) == [
        "<iframe> element in page content",
        "<script> element in page content",
        "event handler onerror= on <img>",
        "event handler onmouseover= on <b>",
        "href='JaVaScRiPt:alert(1)': unsafe javascript: link",
        "href='javascript:alert(1)': unsafe javascript: link",
        "src='data:text/html,hi': unsafe data: link",
    ]


def test_theme_scripts_outside_the_article_are_fine(tmp_path: Path, base: dict[str, str]) -> None:
    # PAGE itself carries <script> elements in <head>; only the article is content.
    assert not [p for p in check_site(write_site(tmp_path, base)) if p.kind == "unsafe-markup"]


def test_absolute_links_are_reported_except_on_the_404_page(tmp_path: Path,
                                                            base: dict[str, str]) -> None:
    base["documents/b/index.html"] += '<a href="/documents/a/">abs</a>'
    base["404.html"] = '<a href="/documents/a/">home</a><a href="/missing/">x</a>'
    assert messages(write_site(tmp_path, base)) == [
        "404.html: href='/missing/': no file missing/index.html",
        "documents/b/index.html: href='/documents/a/': absolute link (breaks under a sub-path);"
        " use a relative one",
    ]


def test_the_404_page_is_checked_against_the_sites_root_path(tmp_path: Path,
                                                             base: dict[str, str]) -> None:
    base["404.html"] = ('<a href="/kb/documents/a/#s1">home</a><a href="/kb">root</a>'
                        '<a href="/kb/missing/">x</a><a href="/documents/a/">outside</a>')
    found = [p.format() for p in check_site(write_site(tmp_path, base), root_path="/kb/")]
    assert found == [
        "404.html: href='/documents/a/': absolute link outside the site's root /kb/",
        "404.html: href='/kb/missing/': no file missing/index.html",
    ]


def test_links_leaving_the_site_are_reported(tmp_path: Path, base: dict[str, str]) -> None:
    base["index.html"] += '<a href="../outside.html">out</a>'
    assert messages(write_site(tmp_path, base)) == [
        "index.html: href='../outside.html': link leaves the site",
    ]


def test_the_search_bundle_is_not_checked(tmp_path: Path, base: dict[str, str]) -> None:
    base["pagefind/fragment/x.html"] = '<a href="nowhere">x</a>'
    assert messages(write_site(tmp_path, base)) == []


def test_broken_links_take_the_severity_of_the_build_mode(tmp_path: Path,
                                                        base: dict[str, str]) -> None:
    site = write_site(tmp_path / "site", base)
    (site / "index.html").write_text(
        '<article><a href="missing.html">x</a><a href="&#106;avascript:alert(1)">y</a>'
        '<DIV OnClick="x()">z</DIV></article>', encoding="utf-8")
    for severity in (Severity.ERROR, Severity.WARNING):
        found = site_diagnostics(site, "site", BuildCache(None), root_path="/",
                                 severity=severity)
        by_code = {(d.code, d.severity) for d in found}
        assert (CODES_BY_NAME["broken-link"].id, severity) in by_code
        # unsafe markup is an error whatever the mode, found through entities and any case
        unsafe = [d for d in found if d.code == CODES_BY_NAME["unsafe-markup"].id]
        assert {d.severity for d in unsafe} == {Severity.ERROR}
        assert any("javascript" in d.message for d in unsafe)
        assert any("onclick=" in d.message for d in unsafe)


def test_pages_parsed_in_worker_processes_give_the_same_report(
    tmp_path: Path, base: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.runtime import workers

    for i in range(40):  # enough pages for the worker pool; every other one has a broken link
        base[f"documents/p{i}/index.html"] = (
            f'<h2 id="p{i}">{i}</h2><a href="../p{(i + 1) % 40}/#p{(i + 1) % 40}">next</a>'
            + ('<a href="../a/#missing">broken</a>' if i % 2 else "")
        )
    root = write_site(tmp_path, base)
    monkeypatch.setenv("POLICYKB_WORKERS", "1")
    sequential = messages(root)
    monkeypatch.setenv("POLICYKB_WORKERS", "2")
    pooled: list[int] = []
    run_pickled = workers._run_pickled

    def spy(calls: list[tuple[object, object]]) -> list[bytes]:
        pooled.append(len(calls))
        return run_pickled(calls)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "_run_pickled", spy)
    assert messages(root) == sequential
    assert pooled == [44]  # 43 pages and one chart, parsed in the pool
    assert len(sequential) == 20 and all("no anchor #missing" in m for m in sequential)
