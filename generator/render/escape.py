"""The one place where text from the policies meets an output syntax.

Every string that comes from YAML reaches a page, a table or a chart through exactly one of the
functions below, chosen by the context it lands in.  Each returns :class:`markupsafe.Markup`, and
the Jinja environment (``render/env.py``) refuses to print anything that is not ``Markup`` (or an
``int``), so a template cannot forget to escape a field.

Markdown contexts use HTML character references rather than backslash escapes: ``&#124;`` is not a
``|`` to the tables extension, ``&#123;`` is not a ``{`` to attr_list, ``&#45;&#45;8&lt;`` is not a
snippet line, ``&#58;smile&#58;`` is not an emoji, and Jinja or a macros plugin never sees ``{{``.
Python-Markdown passes character references through untouched and the browser shows the literal
character, so the reader sees exactly the text of the policy.

Body text (provisions, summaries, descriptions) goes into raw HTML ``<p>`` blocks instead of
Markdown paragraphs.  Why: Python-Markdown replaces every inline match (each ``&#42;``) by a
placeholder by rebuilding the whole paragraph string, so a paragraph with k escaped marks costs k
times its length — a 151 KB provision of ASCII punctuation spent 44 s in mkdocs.  A raw HTML
block is stashed whole, once, and needs only ``& < >`` escaped (plus ``{ }``, for a macros plugin
or Jinja that reads the page source before Markdown does): 1 MB of punctuation then costs about
a second.  Inline contexts (table cells, headings, link text) stay Markdown, so their cost still
grows with length times escaped marks: those fields are short.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, urlsplit

from markupsafe import Markup

#: ASCII characters that some Markdown syntax or extension in the build gives a meaning to, at
#: the start of a line or anywhere.  Full-width punctuation (，。（）：) is never special.
_MARKDOWN_SPECIAL = "\\`*_{}[]#+-.!|:$~^=?<>&\"'"
_MD_TABLE = str.maketrans(
    {c: f"&#{ord(c)};" for c in _MARKDOWN_SPECIAL}
    | {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
)

#: Text inside a raw HTML block: Markdown never reads it (Python-Markdown stashes the block before
#: any inline pattern runs, and its block processors see only the placeholder), so only HTML's own
#: characters are escaped, and the braces that a template engine reading the page would take.
_HTML_BLOCK = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;",
                             "}": "&#125;"})

#: Every way a text can break a line; Python-Markdown only knows ``\n`` but browsers and
#: ``str.splitlines`` know more.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_INTERNAL_URL = re.compile(r"^[A-Za-z0-9._~/#-]*$")
_URL_SAFE = "/:?#@!$&+,;=%-._~"


def _lines(text: str) -> list[str]:
    """Split on every line break; strip ASCII spaces at line edges (indentation is code)."""
    return [line.replace("\t", " ").strip(" ") for line in _LINE_BREAKS.split(text)]


def _md(line: str) -> str:
    return line.translate(_MD_TABLE)


# The escapers build plain ``str`` and wrap it in ``Markup`` once: ``Markup`` concatenation
# re-escapes and re-wraps on every ``+``, which dominated render time.  The pure text escapers
# are memoised because names, labels and quotes repeat thousands of times across a site.


@lru_cache(maxsize=1 << 16)
def _md_text(text: str) -> str:
    return " ".join(_md(line) for line in _lines(text) if line)


@lru_cache(maxsize=1 << 16)
def md_text(text: str) -> Markup:
    """Inline Markdown text (a list item, a heading, link text): line breaks become spaces."""
    return Markup(_md_text(text))


@lru_cache(maxsize=1 << 16)
def md_cell(text: str) -> Markup:
    """A Markdown table cell: ``|`` cannot split the row, a line break becomes ``<br>``."""
    return Markup("<br>".join(_md(line) for line in _lines(text) if line))


def html_block(text: str) -> Markup:
    """Body text: every non-empty line its own ``<p>``, a raw HTML block (see the module
    docstring).  The template must start it on a line of its own, at the top level or inside
    an HTML element marked ``markdown``; never inside a list or a ``>`` quote, where the ``<p>``
    would be inline HTML and its text Markdown again."""
    return Markup("\n\n".join(f"<p>{line}</p>" for line in html_lines(text)))


def html_lines(text: str) -> list[Markup]:
    """The non-empty lines of ``text``, escaped for the body of a ``<p>`` block that the
    template writes (same rules as ``html_block``); used where the first line shares its
    paragraph with an anchor or a bold lead."""
    return list(_html_lines(text))


@lru_cache(maxsize=1 << 12)
def _html_lines(text: str) -> tuple[Markup, ...]:
    return tuple(Markup(line.translate(_HTML_BLOCK)) for line in _lines(text) if line)


@lru_cache(maxsize=1 << 16)
def _checked_url(path: str) -> str:
    if not _INTERNAL_URL.match(path):
        raise ValueError(f"unexpected character in generated URL {path!r}")
    return path


@lru_cache(maxsize=1 << 16)
def url(path: str) -> Markup:
    """A link target this generator built (relative path, ``#anchor``); ids are already slugs."""
    return Markup(_checked_url(path))


def external_url(value: str) -> Markup | None:
    """An http(s) URL from a policy, percent-encoded for a Markdown link; None if not http(s)."""
    scheme = urlsplit(value.strip()).scheme.lower()
    if scheme not in {"http", "https"}:
        return None
    return Markup(quote(value.strip(), safe=_URL_SAFE))


def md_link(text: str, target: str) -> Markup:
    """``[text](target)`` for a generated target."""
    return Markup(f"[{_md_text(text)}]({_checked_url(target)})")


def join(separator: Markup, parts: Iterable[Markup]) -> Markup:
    """``separator.join(parts)`` for values that are all ``Markup`` already, wrapped once.

    ``Markup.join`` escapes every item again; this one refuses anything that is not ``Markup``
    instead, so it is exactly as safe and does not re-wrap each part.
    """
    items = tuple(parts)
    _check_escaped(items)
    return Markup(str.join(separator, items))


def concat(*parts: Markup) -> Markup:
    """``a + b + c`` for ``Markup`` values without re-escaping and re-wrapping at every ``+``."""
    _check_escaped(parts)
    return Markup("".join(parts))


def _check_escaped(parts: tuple[Markup, ...]) -> None:
    for part in parts:
        if not isinstance(part, Markup):
            raise TypeError(f"refusing to join an unescaped {type(part).__name__}")


@lru_cache(maxsize=1 << 16)
def html_text(text: str) -> Markup:
    """Text inside raw HTML that this generator writes (line breaks become spaces)."""
    return Markup(html.escape(" ".join(line for line in _lines(text) if line), quote=False))


@lru_cache(maxsize=1 << 16)
def html_attr(text: str) -> Markup:
    """A quoted HTML attribute value."""
    return Markup(html.escape(" ".join(line for line in _lines(text) if line), quote=True))


#: Characters that end a ``<script>`` or a JavaScript line (ES2017 does not allow U+2028 and
#: U+2029 in string literals), or that ``html_attr`` would read as a line break, written as JSON
#: escapes instead: the value stays the same JSON.
_JSON_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u0085", "\\u0085"),
                ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def json_text(value: object) -> str:
    """Compact JSON that is safe inside a ``<script>``, a script file and an HTML attribute."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_UNSAFE:  # str.replace: far faster than translate on long text
        text = text.replace(char, escaped)
    return text


#: In a single-quoted attribute that Markdown also reads (a table cell): what HTML needs (the
#: quote, ``&``; ``<``/``>`` are already ``\u003c``… from ``json_text``), and what Markdown acts
#: on before it sees the tag as raw HTML (a row splits at ``|``; backticks, ``\``, ``[…]`` and
#: ``{…}`` are read first).  JSON's own double quotes and colons stay as they are: written as
#: character references they made a clock's data six times longer.
_JSON_ATTR = str.maketrans({"&": "&amp;", "'": "&#39;", "|": "&#124;", "`": "&#96;",
                            "\\": "&#92;", "[": "&#91;", "]": "&#93;", "{": "&#123;",
                            "}": "&#125;"})


def json_attr(value: object) -> Markup:
    """A JSON value for a SINGLE-quoted ``data-`` attribute (``data-x='…'``), also where
    Markdown reads it; the browser decodes the character references in the value."""
    return Markup(json_text(value).translate(_JSON_ATTR))


def json_script(name: str, value: object, key: str | None = None) -> str:
    """``window.<name> = <JSON>;`` (or ``window.<name>[<key>] = …``, one entry of a table that
    several files fill): data for the site's JavaScript as a script file, which a page opened
    from disk can load, where it could not fetch JSON."""
    if not name.isidentifier() or not name.isascii():
        raise ValueError(f"not a JavaScript name: {name!r}")
    if key is None:
        return f"window.{name} = {json_text(value)};\n"
    return (f"window.{name} = window.{name} || {{}};\n"
            f"window.{name}[{json_text(key)}] = {json_text(value)};\n")


def front_matter(text: str) -> Markup:
    """A YAML front-matter string.  Themes print ``page.meta.title`` into HTML unescaped, so the
    value gets the same character references as Markdown text (``&lt;``, ``&#123;`` …, which the
    browser shows as the literal characters), then is written as a double-quoted (JSON) scalar."""
    return Markup(json.dumps(str(md_text(text)), ensure_ascii=False))


@lru_cache(maxsize=1 << 16)
def dot_string(text: str) -> Markup:
    """A double-quoted Graphviz string (never an HTML ``<…>`` label).

    Backslash and quote are escaped, so a label ending in ``\\`` cannot swallow the closing
    quote and ``\\N``/``\\G``/``\\l`` are shown as written; line breaks become ``\\n``; ``&`` is
    written as ``&amp;`` because Graphviz decodes character references in labels.
    """
    return _dot_quoted(text, "\\\\")


@lru_cache(maxsize=1 << 16)
def dot_tooltip(text: str) -> Markup:
    """A quoted Graphviz ``tooltip``.  Graphviz expands ``\\N``, ``\\G``, ``\\E`` … in tooltips even
    after ``\\\\``, so a literal backslash is written as four (verified by the DOT tests)."""
    return _dot_quoted(text, "\\\\\\\\")


def _dot_quoted(text: str, backslash: str) -> Markup:
    lines = []
    for line in _lines(text):
        escaped = line.replace("\\", backslash).replace('"', '\\"').replace("&", "&amp;")
        lines.append(escaped)
    return Markup('"' + "\\n".join(lines) + '"')


@lru_cache(maxsize=1 << 16)
def dot_id(value: str) -> Markup:
    """A Graphviz id this generator made up (``n0``, ``pk--proc--n0``), quoted."""
    if not _INTERNAL_URL.match(value):
        raise ValueError(f"unexpected character in generated DOT id {value!r}")
    return Markup('"' + value + '"')
