"""SVG made inlinable: its own ids prefixed, links rebased for the standalone file."""

from __future__ import annotations

from generator.publish.graphviz import split_svg_stream
from generator.render.charts import id_prefix, inline_svg, rebase_links
from generator.render.links import page_url


def test_inline_svg_strips_prolog_and_prefixes_only_its_own_ids() -> None:
    svg = split_svg_stream(
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
        ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- Generated -->\n'
        '<svg><g id="node1"><a xlink:href="#s3-1"><path fill="url(#grad)"/></a></g>\n'
        '<linearGradient id="grad"/>\n\n<use xlink:href="#node1"/></svg>\n'
    )[0]
    out = inline_svg(svg, "dg-x")
    assert out.startswith("<svg")
    assert "<!--" not in out and "\n\n" not in out
    assert 'id="dg-x-node1"' in out and 'xlink:href="#s3-1"' in out
    assert "url(#dg-x-grad)" in out and 'xlink:href="#dg-x-node1"' in out


def test_rebase_links_for_the_standalone_file() -> None:
    svg = '<svg><a xlink:href="#s1"/><a href="../../documents/b/"/><a href="https://e.org/"/></svg>'
    out = rebase_links(svg, "documents/a/", "diagrams/a/p.svg")
    assert 'xlink:href="../../documents/a/#s1"' in out
    assert 'href="../../documents/b/"' in out
    assert 'href="https://e.org/"' in out
    assert page_url("index.md") == "" and page_url("documents/index.md") == "documents/"
    assert page_url("documents/a.md") == "documents/a/"
    assert id_prefix("diagrams/a/b.svg") == "dg-a-b"
