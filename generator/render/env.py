"""The Jinja environment: templates render values, values are never templates.

``finalize`` refuses to print anything that did not pass through :mod:`generator.render.escape`
(which returns ``Markup``) apart from integers, so a template that writes ``{{ doc.title }}``
instead of ``{{ doc.title | text }}`` fails the build instead of leaking raw text.  Undefined
names are errors too (``StrictUndefined``), so ``None`` or an empty string never reaches a page
by accident.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.render import escape

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


class UnescapedValueError(TypeError):
    """A template printed a value that no escaping filter has seen."""


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise UnescapedValueError(
        f"template printed an unescaped {type(value).__name__} {str(value)[:60]!r}; "
        "pass it through an escaping filter (text, cell, block, url, attr, html, dot, yaml)"
    )


def _external(value: str) -> Markup:
    escaped = escape.external_url(value)
    if escaped is None:
        raise ValueError(f"refusing to link to a non-http(s) URL {value!r}")
    return escaped


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        text=escape.md_text,
        cell=escape.md_cell,
        block=escape.html_block,
        url=escape.url,
        external_url=_external,
        attr=escape.html_attr,
        html=escape.html_text,
        dot=escape.dot_string,
        dot_id=escape.dot_id,
        yaml=escape.front_matter,
    )
    return env


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with a view model."""
    return environment().get_template(template).render(**context)
