"""Reader-facing prose is Chinese: the check behind PK304.

Everything a site reader sees is Chinese, and the editorial text of a policy file (summaries,
notes, descriptions, what a duty is, a clock's trigger and action, labels, coding notes,
attribution reasons …) lands on the pages as it is written.  A field is taken for English when it
holds a run of three or more Latin words ("the text states none"): words of two letters or more
with a lower-case letter, separated only by spaces and ASCII punctuation.  Ids, URLs, 文号
(苏办发〔2018〕26号), numbers with units, all-capital abbreviations (GB/T, PDF), identifiers and
paths (``dates.effective``, ``benchmarks/synth.py``) and a stray word or two ("1+X+Y", "App")
stay fine.  Text quoted from the source (provisions, quotes, titles and
names as printed) is not checked: it is what the document says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.source.yaml_loader import LoadedFile, NodePath

#: A run this long of Latin words makes a field "not Chinese".
MIN_LATIN_RUN = 3
_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
#: A Latin word or identifier (``dates.effective``, ``benchmarks/synth.py``, ``doc_number``,
#: ``s2-1``), or one character that ends a run (Chinese, a digit, full-width punctuation …);
#: spaces and ASCII punctuation are skipped.
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_./'’-]*[A-Za-z0-9_]|[A-Za-z]"
                    r"|[^\sA-Za-z,.;:!?()\[\]\"'/&+*=<>-]")
#: A word of prose: letters, perhaps with an apostrophe or a hyphen (an identifier is not one).
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_LOWER = re.compile("[a-z]")
#: Cheap first test: a field with fewer than three runs of two Latin letters cannot fail (most
#: fields are all Chinese, and tokenising them character by character is what costs).
_LETTERS = re.compile("[A-Za-z]{2,}")
#: Subtrees holding no editorial prose: the text as printed.
_SKIP = frozenset({"provisions"})

#: Keys whose values are editorial prose in a document file (lists: every item).
DOCUMENT_PROSE = frozenset({
    "summary", "notes", "description", "what", "trigger", "action", "when", "condition",
    "requires", "consequence", "note", "label", "title", "attribution_reason", "applies_to",
})
#: Keys whose values are prose in a registry file.
REGISTRY_PROSE = frozenset({
    "name", "question", "description", "definition", "include", "exclude",
})
#: Values as printed in the source, not editorial prose: the document's own titles, the title of
#: a cited document.
_AS_PRINTED: tuple[NodePath, ...] = (("title",), ("notice_title",))


def latin_run(text: str) -> str | None:
    """The first run of ``MIN_LATIN_RUN`` or more Latin words in ``text``, or None."""
    if len(_LETTERS.findall(text)) < MIN_LATIN_RUN:
        return None
    run: list[str] = []
    for token in _TOKEN.findall(_URL.sub(" ", text)):
        if not token[0].isascii() or not token[0].isalpha():
            run = []  # a Chinese character, a digit …: the run ends
        elif len(token) >= 2 and _WORD.fullmatch(token) and _LOWER.search(token):
            run.append(token)
            if len(run) >= MIN_LATIN_RUN:
                start = text.find(run[0])
                end = text.find(run[-1], start) + len(run[-1])
                return text[start:end] if start >= 0 and end > start else " ".join(run)
    return None


def _strings(data: Any, keys: frozenset[str]) -> Iterator[tuple[NodePath, str]]:
    """(path, text) of every string under one of ``keys``, in file order."""
    stack: list[tuple[NodePath, Any, bool]] = [((), data, False)]
    while stack:
        path, node, prose = stack.pop()
        if isinstance(node, str):
            if prose:
                yield path, node
        elif isinstance(node, dict):
            stack.extend(((*path, k), v, isinstance(k, str) and k in keys)
                         for k, v in reversed(list(node.items())) if k not in _SKIP)
        elif isinstance(node, list):
            stack.extend(((*path, i), v, prose) for i, v in reversed(list(enumerate(node))))


def not_chinese(loaded: LoadedFile, keys: frozenset[str]) -> list[Diagnostic]:
    """A warning for every reader-facing field of ``loaded`` whose prose is not Chinese."""
    found = []
    for path, text in _strings(loaded.data, keys):
        if path in _AS_PRINTED or (len(path) > 2 and path[0] == "citations"):
            continue
        run = latin_run(text)
        if run is not None:
            shown = run if len(run) <= 40 else run[:40] + "…"
            found.append(diag(
                "not-chinese", loaded.locate(path),
                f"{path[-1] if isinstance(path[-1], str) else path[-2]}: readers see this text, "
                f"and it is not Chinese: {shown!r}",
                "write it in Chinese, in plain words (ids, URLs, 文号, numbers and abbreviations "
                f"may stay); {MIN_LATIN_RUN} or more Latin words in a row count as not Chinese"))
    return found
