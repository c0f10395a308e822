"""The theme's 404 page in Chinese.

Why here: mkdocs-material writes ``404.html`` from a template of its own whose heading is the
English "404 - Not found", and the only ways to change it in mkdocs are a theme override
(``custom_dir``), which ``mkdocs.yml`` stays without so that Zensical can build the site, or
editing what mkdocs wrote.  This does the latter: it replaces that heading, where it is found,
with a Chinese one and a way back.  Links stay root-absolute like the rest of the page (it is
served for any missing path), under the site's root path.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

NOT_FOUND_PAGE = "404.html"
_THEME_HEADING = re.compile(r"<h1>\s*404\s*-\s*Not found\s*</h1>")


def chinese_not_found(page: str, root_path: str) -> str:
    """``page`` with the theme's English heading replaced (unchanged when it has none)."""
    root = html.escape(root_path, quote=True)
    body = (
        "<h1>页面不存在（404）</h1>\n"
        "<p>您要找的页面不存在，可能已被移动或删除，或网址有误。</p>\n"
        f'<p>请从<a href="{root}">首页</a>进入，或使用'
        f'<a href="{root}about/search/">全文搜索</a>查找文件、专题和条款。</p>'
    )
    return _THEME_HEADING.sub(lambda _m: body, page, count=1)


def translate_not_found(site_dir: Path, root_path: str) -> None:
    """Rewrite ``site_dir/404.html`` in Chinese (nothing when mkdocs wrote none)."""
    path = site_dir / NOT_FOUND_PAGE
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        translated = chinese_not_found(text, root_path)
        if translated != text:
            path.write_text(translated, encoding="utf-8")
