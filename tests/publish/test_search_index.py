"""generator/publish/search.py: the shadow Pagefind indexes, its marks, and the query-side table.

The shadow must give Pagefind exactly the words ``search_tokens`` finds in the page (what the
browser tests' oracle assumes) and carry enough to show the page's own text again:
``shown`` below decodes a stored word the way docs/assets/policykb.js does (``showWord``).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from generator.publish.search import (
    BLOCK_MARK,
    ESCAPE_MARK,
    PUA_BASE,
    SPACE_MARK,
    WIDE_MARK,
    build_search_index,
    fold,
    fold_html,
    search_tokens,
    shadow_fold,
    shadow_html,
    shadow_page,
    t2s_entries,
    t2s_table,
)

SAMPLES = [
    "規范執法，鎮（街道）應當在２４小時內移送。",
    "Guanyun County 鎮街 bear 主體責任, 24小时 3.14 ３．１４ 2023-05-15 PK105号",
    "（一）甲 — 乙；“联席会议”：每季度召开1次！",
    "a^b `c` x|y ＾｀｜ \ue000私用\uf8fc区",  # the marks themselves, and private-use text
    "灌云縣\u00a0人民政府\u3000辦公室\n  第二行 ① ㈠ Ⅱ ℃",
    "",
    "   ",
]


def marks() -> dict[str, str]:
    entries = t2s_entries()
    return {entries[i]: entries[i + 1] for i in range(0, len(entries), 3)}


def shown(word: str, table: dict[str, str]) -> str:
    """One stored word as the search page shows it (policykb.js ``showWord``)."""
    out = ""
    chars = list(word)
    i = 0
    while i < len(chars):
        c = chars[i]
        text = c == ESCAPE_MARK and i + 1 < len(chars)
        if text:
            i += 1
            c = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if nxt == WIDE_MARK and "!" <= c <= "~" and not c.isalnum():
            out += chr(ord(c) + 0xFEE0)
            i += 1
        elif text:
            out += c
        elif c in table:
            out = out[:-1] + table[c]
        elif c in (SPACE_MARK, BLOCK_MARK):
            out += " "
        elif c != WIDE_MARK and not "\ue000" <= c <= "\uf8ff":
            out += c
        i += 1
    return out


def shown_text(stored: str) -> str:
    table = marks()
    return re.sub(r"\s+", " ", "".join(shown(w, table) for w in stored.split())).strip()


@pytest.mark.parametrize("text", SAMPLES)
def test_shadow_has_the_words_of_the_page(text: str) -> None:
    assert search_tokens(shadow_fold(text)) == search_tokens(text)
    # marks never take a word position of their own: no more words than the plain fold
    assert len(shadow_fold(text).split()) <= len(fold(text).split())


@pytest.mark.parametrize("text", [
    "規范執法，鎮（街道）應當在24小時內移送。",
    "Guanyun County 鎮街 bear 主體責任, 24小时 3.14 2023-05-15 PK105号",
    "（一）甲 — 乙；“联席会议”：每季度召开1次！",
    "灌云縣 人民政府 辦公室",
])
def test_shadow_shows_the_original_text_again(text: str) -> None:
    assert shown_text(shadow_fold(text)) == text


@pytest.mark.parametrize("text", [
    "a^b `c` x|y ＾｀｜ ^`| ＼\\ \\^",  # the marks, the escape, their full-width forms
    "\ue000私用\uf8fc区 規\ue000 规\ue001",  # private-use characters, also after a Han one
    "C:\\ ，| ,| |， a\\|b",  # a mark next to a full-width and an ASCII comma
])
def test_the_mark_characters_of_a_page_are_shown_as_they_are(text: str) -> None:
    """^ ` | are marks and a private-use character after a Han one is a traditional mark: in a
    page's own text they (and the escape, \\) are written after the escape, and shown as is."""
    assert shown_text(shadow_fold(text)) == text
    assert search_tokens(shadow_fold(text)) == search_tokens(text)


def test_full_width_letters_and_digits_are_folded_for_the_index() -> None:
    stored = shadow_fold("２４小时 ＰＫ１０５")
    assert search_tokens(stored) == ["24", "小", "时", "pk105"]
    assert shown_text(stored) == "24小时 PK105"  # the one place the original form is not kept


def test_a_traditional_character_carries_its_own_mark() -> None:
    table = t2s_table()
    k = sorted(table).index(ord("規"))
    assert shadow_fold("規") == " 规" + chr(PUA_BASE + k)
    assert shadow_fold("规") == " 规"


def test_shadow_html_marks_block_ends_and_drops_ignored_elements() -> None:
    fragment = (
        '<h2 id="s1">一、移送<a class="headerlink" href="#s1">¶</a></h2>\n'
        "<p><strong>首问</strong>负责 <em>制度</em></p>\n"
        '<div data-pagefind-ignore><p>不<br>索<img src="x">引<span>的</span></p></div>'
        '<table><tr><td>—</td><td></td><td>甲</td></tr></table>'
        "<svg><text>图</text></svg><p>末</p>"
    )
    shadow = shadow_html(fragment)
    text = html.unescape(re.sub(r"<[^>]+>", "", shadow))
    assert search_tokens(text) == list("一移送首问负责制度甲末")
    assert re.search(r"<h2 id=\"s1\"> 一、 移 送`</h2>", shadow)
    assert "¶" not in shadow and "不" not in shadow and "图" not in shadow
    assert re.search(r"<td> 甲`</td>", shadow) and "<td></td>" in shadow  # empty: no mark
    for word in text.split():
        assert word.strip(BLOCK_MARK + SPACE_MARK), "a mark stands alone as a word"


def test_shadow_page_keeps_the_original_title_as_metadata() -> None:
    page = ('<html><head><title>標題 - 站</title></head><body><article class="md-content">'
            '<h1 id="t">規范</h1><p>內容</p></article></body></html>')
    shadow = shadow_page(page)
    assert shadow is not None
    assert 'data-pagefind-meta="title" data-pagefind-ignore>規范</p>' in shadow
    assert '<html lang="und">' in shadow


def test_query_table_holds_only_the_pairs_the_site_needs() -> None:
    entries = t2s_entries({"规", "范", "执"})
    triples = [entries[i:i + 3] for i in range(0, len(entries), 3)]
    assert {t[2] for t in triples} == {"规", "范", "执"}
    assert {"規", "範", "執"} <= {t[1] for t in triples}
    for mark, trad, simp in triples:
        assert shadow_fold(trad) == " " + simp + mark
    assert len(t2s_entries()) == 3 * len(t2s_table())


def test_build_search_index_writes_a_small_table_for_a_small_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for rel, body in {
        "index.html": "<p>規范执法</p>",
        "a/index.html": "<p>联席会议</p>",
        "about/search/index.html": '<div id="pk-search" data-pk-noindex></div>',
        "404.html": "<p>找不到</p>",
    }.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><head><title>T</title></head><body><article><h1>页</h1>{body}"
                        "</article></body></html>", encoding="utf-8")
    result = build_search_index(site, tmp_path / "work")
    assert result.errors == []
    assert result.pages_indexed == 2
    table = json.loads((site / "pagefind" / "policykb-t2s.json").read_text(encoding="utf-8"))
    simplified = set(table["t2s"][2::3])
    assert simplified <= set("页规范执法联席会议")
    assert {"规", "范", "执", "联", "会", "议"} <= simplified
    assert not (tmp_path / "work" / "shadow").exists()


def test_facet_values_and_counts_come_apart_from_the_facets_of_each_page(
        tmp_path: Path) -> None:
    """The filter menus need the values and their counts with the first query; the facets of
    every page (1.4 MB at 3,000 documents) only once a filter is chosen."""
    site = tmp_path / "site"
    marker = '<div hidden data-pk-facets data-pk-place="{}" data-pk-topic="{}"></div>'
    for rel, facets in {
        "a/index.html": marker.format("金湖县", "案件移送|争议协调"),
        "b/index.html": marker.format("金湖县", "案件移送"),
        "c/index.html": marker.format("浙江省", "争议协调"),
        "d/index.html": "",
    }.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><head><title>T</title></head><body><article><h1>页</h1>"
                        f"<p>移送</p>{facets}</article></body></html>", encoding="utf-8")
    assert build_search_index(site, tmp_path / "work").errors == []
    menus = json.loads((site / "pagefind" / "policykb-facets.json").read_text("utf-8"))
    assert set(menus) == {"values", "counts"}
    assert menus["values"]["place"] == sorted(["金湖县", "浙江省"])
    place = dict(zip(menus["values"]["place"], menus["counts"]["place"], strict=True))
    topic = dict(zip(menus["values"]["topic"], menus["counts"]["topic"], strict=True))
    assert place == {"金湖县": 2, "浙江省": 1} and topic == {"案件移送": 2, "争议协调": 2}
    pages = json.loads((site / "pagefind" / "policykb-facet-pages.json").read_text("utf-8"))
    assert len(pages["pages"]) == 3  # d has no facets
    for name, values in menus["values"].items():
        for i, count in enumerate(menus["counts"][name]):
            assert count == sum(i in page.get(name, []) for page in pages["pages"].values())
        assert values == sorted(values)


# --- folding -------------------------------------------------------------------------------------


def test_fold_spaces_han_characters_and_folds_script_and_width() -> None:
    def words(text: str) -> list[str]:
        return fold(text).split()

    assert words("規范執法") == ["规", "范", "执", "法"]
    assert words("２４小时内") == ["24", "小", "时", "内"]
    assert words("镇（街道）") == ["镇(", "街", "道)"]  # punctuation never stands alone
    assert words("（一）甲 — 乙") == ["(一)", "甲", "—乙"]
    assert words("PK105号 3.14 2023-05-15") == ["PK105", "号", "3.", "14", "2023-", "05-", "15"]
    tokens = ["镇", "街", "道", "24", "小", "时", "pk105"]
    assert search_tokens("镇（街道）２４小时 PK105") == tokens


def test_fold_html_keeps_words_apart_across_inline_tags() -> None:
    folded = fold_html("<p>（一）<b>首问</b>负责<i>24</i>小时，<i>（二）</i>甲&amp;乙</p>")
    text = re.sub(r"<[^>]+>", "", folded)
    assert text.split() == ["(一)", "首", "问", "负", "责", "24", "小", "时,(", "二)", "甲&amp;",
                            "乙"]


def test_shadow_page_keeps_anchors_and_skips_marked_pages() -> None:
    page = (
        "<html><head><title>T - 站</title></head><body><article class=\"md-content__inner\">"
        '<h1 id="t">標題<a class="headerlink" href="#t">¶</a></h1>'
        '<h2 id="s1">一、移送</h2><p><strong>首问</strong>负责</p></article></body></html>'
    )
    shadow = shadow_page(page)
    assert shadow is not None
    assert 'data-pagefind-meta="title" data-pagefind-ignore>標題</p>' in shadow
    assert re.search(r'<h2 id="s1">\s*一、\s+移\s+送`</h2>', shadow)  # block-end mark
    assert re.search(r"首\s+问\s*</strong>\s+负\s+责", shadow)
    assert "¶" not in shadow
    assert shadow_page(page.replace("<article", "<article data-pk-noindex")) is None
