"""Where every generated file lives, and relative links between them.

Pages link to each other with relative ``.md`` paths so that MkDocs checks and rewrites them.
Anchors that this generator adds always contain ``--`` (``kb--clocks``, ``clock--<id>``), which
the id rule (single hyphens only) forbids in provision ids, so they cannot collide with the
provision anchors of the original text.

SVG charts are inlined into pages, so links inside them are resolved by the browser against the
page URL: procedure charts use same-page ``#provision`` links; a citation chart uses
``svg_page_url`` from the page it is inlined in (``indexes/citations/`` → ``../../documents/<id>/``,
directory URLs, the MkDocs default); ``build`` rebases the links of the standalone SVG file.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

#: Top-level names inside ``docs/`` that the generator writes (everything else there is
#: hand-written).  The README and mkdocs.yml list the same names (a test holds them to it).
GENERATED_ROOTS = (
    "index.md", "documents", "topics", "training", "jurisdictions", "indexes", "data",
    "diagrams", "tools",
)

HOME = "index.md"
DOCUMENTS_INDEX = "documents/index.md"
TOPICS_INDEX = "topics/index.md"
JURISDICTIONS_INDEX = "jurisdictions/index.md"
INDEXES_INDEX = "indexes/index.md"
CLOCKS_INDEX = "indexes/clocks.md"
MATRIX_INDEX = "indexes/matrix.md"
CITATIONS_INDEX = "indexes/citations.md"
CODEBOOK_INDEX = "indexes/codebook.md"
CONFLICTS_INDEX = "indexes/conflicts.md"
DATA_INDEX = "data/index.md"
TRAINING_INDEX = "training/index.md"
CITATIONS_DIAGRAM = "diagrams/citations.svg"
CLOCKS_CSV = "data/clocks.csv"
#: The officer tools (generator/render/tools.py) and the holiday table their JavaScript reads.
ROUTE_PAGE = "tools/case-routing.md"
DUE_PAGE = "tools/due-dates.md"
HOLIDAYS_SCRIPT = "data/holidays.js"
CODEBOOK_CSV = "data/codebook.csv"
QUESTIONS_CSV = "data/questions.csv"

#: Downloads written by ``generator.export``; linked from the data page.
DOWNLOADS = (
    ("data/policykb.json", "JSON", "全部文件、条款与事实（完整数据）"),
    (CLOCKS_CSV, "CSV", "全部时限，一行一个时限"),
    ("data/duties.csv", "CSV", "全部职责，一行一项职责"),
    ("data/policykb.xlsx", "XLSX", "时限、职责与编码矩阵工作簿"),
    (CODEBOOK_CSV, "CSV", "编码矩阵：各文件对编码手册每个问题的回答、限定语和条款"),
    (QUESTIONS_CSV, "CSV", "编码手册：全部问题、定义与编码说明"),
    ("data/document.schema.json", "JSON Schema", "文件格式（JSON Schema）"),
)


#: The offline copy of the whole site (written by ``publish/bundle.py`` after the build).
OFFLINE_BUNDLE = "data/policykb-offline.zip"


def topic_downloads(topic_id: str) -> str:
    """Folder of a topic's CSV files (``export.topic_csv_path`` writes them there)."""
    return f"data/topics/{topic_id}"


def document_page(document_id: str) -> str:
    return f"documents/{document_id}.md"


def topic_page(topic_id: str) -> str:
    return f"topics/{topic_id}.md"


def training_page(topic_id: str) -> str:
    return f"training/{topic_id}.md"


# Parts of a page split along the jurisdiction tree (generator/render/paging.py).  ``key`` is a
# jurisdiction id or ``<id>--<n>``; the parts of an index live under ``indexes/`` even when the
# entry page does not (``documents/<id>.md`` belongs to the documents), so no id can collide.
def topic_part_page(topic_id: str, key: str) -> str:
    return f"topics/{topic_id}/{key}.md"


def index_part_page(index: str, key: str) -> str:
    """``indexes/clocks/<key>.md``, ``indexes/documents/<key>.md`` …"""
    return f"indexes/{index}/{key}.md"


def citations_part_diagram(key: str) -> str:
    """``diagrams/citations--<key>.svg`` (a document id cannot contain ``--``)."""
    return f"diagrams/citations--{key}.svg"


def page_url(page: str) -> str:
    """Site-relative URL of a docs page with MkDocs' directory URLs (``a/b.md`` → ``a/b/``)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def svg_page_url(page: str, target: str) -> str:
    """Link from a chart inlined in docs page ``page`` to docs page ``target``, both as the
    directory URLs MkDocs serves."""
    return posixpath.relpath(page_url(target) or ".", page_url(page) or ".") + "/"


def jurisdiction_page(jurisdiction_id: str) -> str:
    return f"jurisdictions/{jurisdiction_id}.md"


def procedure_diagram(document_id: str, procedure_id: str) -> str:
    return f"diagrams/{document_id}/{procedure_id}.svg"


def procedure_page(document_id: str, procedure_id: str) -> str:
    """One page per procedure (its chart inlined), beside the document page's directory URL."""
    return f"documents/{document_id}/{procedure_id}.md"


def procedure_clause_url(provision_id: str) -> str:
    """Link from a chart inlined in ``procedure_page`` to a clause on its document page.

    ``documents/<doc>/<proc>/`` → ``../#<provision>`` is ``documents/<doc>/#<provision>``;
    ``build`` rebases it for the standalone SVG file.
    """
    return f"../#{provision_id}"


def relative(source: str, target: str, anchor: str | None = None) -> str:
    """Link from page ``source`` to docs file ``target`` (optionally ``#anchor``)."""
    path = _relpath(source.rpartition("/")[0], target)
    return f"{path}#{anchor}" if anchor else path


@lru_cache(maxsize=1 << 16)
def _relpath(source_dir: str, target: str) -> str:
    """``posixpath.relpath`` is slow (it makes both paths absolute against the cwd) and a site
    asks for the same few thousand (directory, target) pairs hundreds of thousands of times."""
    return posixpath.relpath(target, source_dir or ".")


def anchor(value: str) -> str:
    """Same-page link."""
    return f"#{value}"


# Anchors this generator adds (all contain "--").
def section_anchor(name: str) -> str:
    return f"kb--{name}"


def clock_anchor(clock_id: str) -> str:
    return f"clock--{clock_id}"


def duty_anchor(duty_id: str) -> str:
    return f"duty--{duty_id}"


def quota_anchor(quota_id: str) -> str:
    return f"quota--{quota_id}"


def procedure_anchor(procedure_id: str) -> str:
    return f"proc--{procedure_id}"


def question_anchor(question_id: str) -> str:
    return f"q--{question_id}"


def actor_type_anchor(actor_type_id: str) -> str:
    return f"actor--{actor_type_id}"


def jurisdiction_anchor(jurisdiction_id: str) -> str:
    return f"jur--{jurisdiction_id}"


def document_anchor(document_id: str) -> str:
    return f"doc--{document_id}"
