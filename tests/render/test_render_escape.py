"""The escaping module, context by context, checked through the real Markdown and Graphviz."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from markupsafe import Markup

from generator.render import escape
from generator.render.env import UnescapedValueError, environment

#: The extensions mkdocs.yml enables (no snippets, emoji, keys or arithmatex).
MKDOCS_EXTENSIONS = [
    "attr_list", "md_in_html", "tables", "toc", "admonition",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed",
]

#: reference/hostile-inputs.md items 14-21, as they would appear in a policy file.
HOSTILE = [
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "审批|办公室|额外列",
    "a\\|b {: onclick=alert(1) } [x](javascript:alert(1)) :smile: $x$ ++ctrl++",
    '--8<-- "sentinel.txt"',
    "{{ 7*7 }} {% raw %}",
    "标题 {#x onclick=alert(1)}",
    "路径 C:\\",
    "# 不是标题",
    "1. 不是列表",
    "    四个空格",
    "> 不是引用",
    "!!! note",
    "??? 折叠",
    '=== "Tab"',
    "---",
    "<!-- 注释",
    "&#60;实体&amp;",
    "~~删除~~ ==标记== ^^插入^^ *强调* _下划线_ `代码`",
    "![图](http://example.org/x.png) <http://example.org>",
    "[^1] *[HTML]: x",
    "\\N \\G \\\\",
]


class _Text(HTMLParser):
    """Visible text plus every tag and attribute seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def to_html(source: str, extensions: list[str] | None = None, **configs: object) -> str:
    md = markdown.Markdown(extensions=extensions or MKDOCS_EXTENSIONS,
                           extension_configs=configs)  # type: ignore[arg-type]
    return md.convert(source)


def parse(html_text: str) -> _Text:
    parser = _Text()
    parser.feed(html_text)
    return parser


def assert_inert(html_text: str) -> None:
    parser = parse(html_text)
    tags = {t for t, _ in parser.tags}
    assert not tags & {"script", "img", "kbd", "b", "i", "del", "mark", "ins", "em", "code",
                       "blockquote", "hr", "h1", "ol", "ul", "pre", "details", "sup"}, tags
    for _, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert "javascript" not in (value or "").lower()


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_is_literal(text: str) -> None:
    out = to_html(f"前缀 {escape.md_text(text)} 后缀")
    assert_inert(out)
    assert "".join(parse(out).text) == f"前缀 {' '.join(text.split(chr(10)))} 后缀".replace(
        "    四个空格", "四个空格")


@pytest.mark.parametrize("text", HOSTILE)
def test_block_text_at_line_start_is_literal(text: str) -> None:
    out = to_html(str(escape.html_block(text)))
    assert_inert(out)
    assert "".join(parse(out).text).strip() == text.strip()


def inline_matches(source: str) -> int:
    """How many inline-pattern matches Python-Markdown made while converting ``source``.

    Each one rebuilds the whole string of its paragraph, so a paragraph's cost is its length
    times this number: body text must not add to it, however many marks it holds.
    """
    md = markdown.Markdown(extensions=MKDOCS_EXTENSIONS)
    md.convert(source)
    return len(md.treeprocessors["inline"].stashed_nodes)  # type: ignore[attr-defined]


#: Every ASCII punctuation mark, and the entity-looking and Chinese text around them.
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ &amp; &#60; 第1条：（一）"


def test_body_text_is_stashed_whole_not_read_mark_by_mark() -> None:
    """A 151 KB provision of punctuation spent 44 s in mkdocs: one inline match (and one copy
    of the paragraph) per escaped mark.  As a raw HTML block it makes no inline match at all
    and still shows every character literally."""
    text = PUNCTUATION * 200
    source = f"标题\n\n{escape.html_block(text)}\n\n{escape.html_block('第二段')}\n"
    assert inline_matches(source) == 0
    out = to_html(source)
    assert_inert(out)
    assert [p.strip() for p in "".join(parse(out).text).split("\n") if p.strip()] == [
        "标题", text.strip(), "第二段"]


@pytest.mark.parametrize("text", [*HOSTILE, "第一行\n第二行", "a\r\nb\u2028c"])
def test_table_cell_keeps_the_column_count(text: str) -> None:
    cell = escape.md_cell(text)
    out = to_html(f"| a | b | c |\n| --- | --- | --- |\n| x | {cell} | z |\n")
    assert_inert_cell(out)
    rows = re.findall(r"<tr>(.*?)</tr>", out, re.S)
    assert [len(re.findall(r"<t[hd]>", r)) for r in rows] == [3, 3]
    cells = re.findall(r"<td>(.*?)</td>", out, re.S)
    assert cells[0] == "x" and cells[2] == "z"
    lines = [x.strip(" ") for x in re.split(r"\r\n|[\n\r\u2028]", text) if x.strip(" ")]
    assert html.unescape(cells[1]).split("<br>") == lines


def assert_inert_cell(out: str) -> None:
    tags = {t for t, _ in parse(out).tags} - {"table", "thead", "tbody", "tr", "th", "td", "br"}
    assert not tags, tags


def test_cell_line_break_is_br_not_a_new_row() -> None:
    assert escape.md_cell("第一行\n第二行") == "第一行<br>第二行"


def test_dangerous_extensions_see_nothing(tmp_path: object) -> None:
    """Even with snippets, emoji, keys and arithmatex switched on, the text stays literal and a
    snippet line cannot pull a file in."""
    from pathlib import Path

    base = Path(str(tmp_path))
    (base / "sentinel.txt").write_text("SENTINEL-7f3a", encoding="utf-8")
    extensions = [
        *MKDOCS_EXTENSIONS, "pymdownx.snippets", "pymdownx.emoji", "pymdownx.keys",
        "pymdownx.arithmatex", "pymdownx.magiclink", "pymdownx.tilde", "pymdownx.caret",
        "pymdownx.mark", "footnotes", "abbr", "def_list", "smarty",
    ]
    configs = {"pymdownx.snippets": {"base_path": [str(base)], "check_paths": False}}
    # control: unescaped, these extensions do act on the text
    raw = to_html("\n\n".join(HOSTILE[:5]), extensions, **configs)
    assert "SENTINEL-7f3a" in raw and "<kbd" in raw and "emoji" in raw
    source = "\n\n".join(str(escape.html_block(t)) for t in HOSTILE)
    out = to_html(source, extensions, **configs)
    assert "SENTINEL-7f3a" not in out
    assert "49" not in out
    assert "arithmatex" not in out and "emoji" not in out
    assert_inert(out)


def test_front_matter_title_is_yaml_and_html_safe() -> None:
    title = HOSTILE[0] + "标题 {#x onclick=alert(1)} {{ 7*7 }}: - |"
    value = escape.front_matter(title)
    loaded = yaml.safe_load(f"title: {value}\n")["title"]
    assert "<" not in loaded and "{" not in loaded
    assert html.unescape(loaded) == title
    assert json.loads(str(value)) == loaded


def test_external_url_only_http() -> None:
    assert escape.external_url("javascript:alert(1)") is None
    assert escape.external_url(" JaVaScRiPt:alert(1)") is None
    assert escape.external_url("data:text/html,x") is None
    url = escape.external_url('https://example.org/p?q=<script>&x="1"(2) y')
    assert url == "https://example.org/p?q=%3Cscript%3E&x=%221%22%282%29%20y"
    out = to_html(f"[原文]({url})")
    assert 'href="https://example.org/p?q=%3Cscript%3E&amp;x=%221%22%282%29%20y"' in out


def test_generated_urls_are_checked() -> None:
    assert escape.url("../documents/a-b.md#s1-2") == "../documents/a-b.md#s1-2"
    for bad in ["javascript:alert(1)", "a b", "a)b", 'a"b']:
        with pytest.raises(ValueError):
            escape.url(bad)


def test_link_text_cannot_close_the_link() -> None:
    out = to_html(str(escape.md_link("a](javascript:alert(1)) [b", "x.md")))
    assert out == '<p><a href="x.md">a&#93;(javascript&#58;alert(1)) &#91;b</a></p>'


def test_md_link_checks_its_target_every_time() -> None:
    # the escapers are memoised: a refused URL must stay refused, not be remembered as good
    for _ in range(2):
        with pytest.raises(ValueError):
            escape.md_link("x", "javascript:alert(1)")
    assert escape.md_link("a|b", "x.md#s1") == "[a&#124;b](x.md#s1)"


def test_join_and_concat_refuse_unescaped_text() -> None:
    parts = [escape.md_text("a<b"), Markup("<br>"), escape.md_cell("c|d")]
    assert escape.concat(*parts) == "a&lt;b<br>c&#124;d"
    assert escape.join(Markup("、"), parts) == "a&lt;b、<br>、c&#124;d"
    assert type(escape.concat(*parts)) is Markup
    for unescaped in ["<script>", 1]:
        with pytest.raises(TypeError):
            escape.join(Markup("、"), [parts[0], unescaped])  # type: ignore[list-item]
        with pytest.raises(TypeError):
            escape.concat(parts[0], unescaped)  # type: ignore[arg-type]


def test_html_attribute() -> None:
    assert escape.html_attr('a"b<c>&\'') == "a&quot;b&lt;c&gt;&amp;&#x27;"


@pytest.mark.parametrize("text,expected", [
    ('路径 C:\\', '"路径 C:\\\\"'),
    ('"是" -> \\"', '"\\"是\\" -> \\\\\\""'),
    ("a\nb", '"a\\nb"'),
    ("<b>&amp;</b>", '"<b>&amp;amp;</b>"'),
])
def test_dot_string(text: str, expected: str) -> None:
    assert escape.dot_string(text) == expected


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz not installed")
@pytest.mark.parametrize("text", HOSTILE)
def test_dot_label_and_tooltip_round_trip(text: str) -> None:
    src = (f"digraph G {{ a [label={escape.dot_string(text)}, "
           f"tooltip={escape.dot_tooltip(text)}, URL=\"#x\"]; }}")
    run = subprocess.run(["dot", "-Tsvg"], input=src, capture_output=True, text=True,
                         check=True)
    assert run.stderr == ""
    svg = run.stdout
    label = html.unescape(re.findall(r"<text[^>]*>(.*?)</text>", svg)[0])
    title = html.unescape(re.findall(r'xlink:title="(.*?)"', svg)[0])
    flat = " ".join(x.strip(" ") for x in text.split("\n"))
    assert label == flat.strip()
    assert title == flat.strip()
    assert "<script" not in svg


def test_templates_refuse_unescaped_values() -> None:
    env = environment()
    with pytest.raises(UnescapedValueError):
        env.from_string("{{ x }}").render(x="<script>")
    with pytest.raises(UnescapedValueError):
        env.from_string("{{ x }}").render(x=None)
    assert env.from_string("{{ x | text }} {{ n }}").render(x="<b>", n=3) == "&lt;b&gt; 3"
    assert env.from_string("{{ x }}").render(x=Markup("ok")) == "ok"


def test_values_are_never_templates() -> None:
    env = environment()
    assert env.from_string("{{ x | text }}").render(x="{{ 7*7 }}") == (
        "&#123;&#123; 7&#42;7 &#125;&#125;")


#: Line breaks that html_attr would fold and ES2017 string literals do not allow.
BREAKS = "a\u2028b\u2029c\x85d\ne\rf\tg"


@pytest.mark.parametrize("text", [*HOSTILE, BREAKS, " 前后空格 "])
def test_json_in_a_data_attribute_of_a_table_cell_reads_back(text: str) -> None:
    """The 计算期限 control's data: JSON in a data- attribute inside a Markdown table cell."""
    value = {"case": text, "options": [{"limit": {"label": text, "value": 24}}]}
    cell = Markup('<span class="pk-due" data-pk-due=\'') + escape.json_attr(value) + \
        Markup("'></span>")
    page = f"| a | b |\n| --- | --- |\n| {escape.md_cell(text)}{cell} | x |\n"
    html_text = to_html(page)
    parsed = parse(html_text)
    [attrs] = [a for t, a in parsed.tags if t == "span"]
    assert json.loads(dict(attrs)["data-pk-due"]) == value
    assert html_text.count("<td>") == 2


@pytest.mark.parametrize("text", [*HOSTILE, BREAKS])
def test_json_script_is_one_line_of_safe_javascript(text: str) -> None:
    script = escape.json_script("PolicykbRouteDocuments", {"label": text}, key=text)
    assert not {"<", ">", "&", "\u2028", "\u2029", "\x85"} & set(script)
    lines = script.splitlines()
    assert len(lines) == 2 and script.endswith(";\n")
    target, _, body = lines[1].partition(" = ")
    assert json.loads(target.removeprefix("window.PolicykbRouteDocuments[").rstrip("]")) == text
    assert json.loads(body.rstrip(";")) == {"label": text}
    with pytest.raises(ValueError, match="not a JavaScript name"):
        escape.json_script("a.b", 1)
