"""Diagnostics as data: every stage returns them, only the CLI prints them.

Codes are public API: they are listed in ``CODES``, documented on the diagnostics page and each
has one deliberately broken fixture under ``tests/fixtures/broken/``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A position in a policy file; line and column are 1-based, 0 means 'whole file'."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line == 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Code:
    id: str
    name: str
    summary: str
    severity: Severity = Severity.ERROR


_CODE_LIST = [
    # reading the file (load.py)
    Code("PK001", "file-too-large", "the file exceeds the size limit; nothing was parsed"),
    Code("PK002", "not-utf8", "the file is not valid UTF-8"),
    Code("PK003", "control-character", "a forbidden control character"),
    Code("PK004", "zero-width-character", "an invisible zero-width or bidi character"),
    Code("PK005", "tab-indentation", "a tab character in indentation"),
    Code("PK006", "yaml-syntax", "the file is not valid YAML"),
    Code("PK007", "anchor-alias", "YAML anchors, aliases and merge keys are not allowed"),
    Code("PK008", "duplicate-key", "a key appears twice in the same mapping"),
    Code("PK009", "too-deep", "nesting deeper than the limit"),
    Code("PK010", "not-a-mapping", "the file's top level is not a mapping"),
    Code("PK011", "tagged-value", "explicit YAML tags (!!python/…, !foo) are not allowed"),
    Code("PK012", "unreadable-file", "the file cannot be read"),
    Code(
        "PK013", "ignored-file", "a file in the policies folder that is not read",
        Severity.WARNING,
    ),
    # authoring mistakes made with a Chinese input method, named where they are made (authoring.py)
    Code("PK014", "ime-punctuation",
         "a full-width character (：，【 “ －, an ideographic space) where YAML needs ASCII"),
    Code("PK015", "text-read-as-yaml",
         "text that YAML reads as syntax: a ' #' comment, ': ' or a leading * & ! [ { \" '"),
    # the format (schema.py)
    Code("PK101", "unknown-field", "a key the format does not define"),
    Code("PK102", "missing-field", "a required field is absent or empty"),
    Code("PK103", "invalid-value", "a value of the wrong type or outside the allowed set"),
    Code("PK104", "invalid-date", "a date that does not exist or is not YYYY-MM-DD"),
    Code("PK105", "invalid-id", "an id that is not a safe ASCII slug or is reserved"),
    Code("PK106", "url-scheme", "a URL whose scheme is not http or https"),
    Code("PK107", "implausible-date", "a date before 1949-10-01 or too far in the future"),
    Code("PK108", "non-ascii-digit", "a date, number or code written with non-ASCII digits"),
    Code("PK109", "chart-limit",
         "a procedure with too many steps, or a label or condition too long for its chart"),
    Code("PK110", "text-too-long",
         "a quote or a short text longer than the format allows"),
    # references between facts (validate.py)
    Code("PK201", "duplicate-id", "two things share an id (case-insensitive, NFKC)"),
    Code("PK202", "unknown-reference", "a reference to an id that does not exist"),
    Code("PK203", "quote-not-found", "a quote that is not verbatim in its provision"),
    Code("PK204", "procedure-shape",
         "a procedure that is not one flow from its start step to its end steps"),
    Code("PK205", "date-order", "dates in an impossible order"),
    Code("PK206", "jurisdiction-cycle", "the jurisdiction tree has a cycle"),
    Code("PK207", "missing-registry", "a registry file is missing"),
    Code("PK208", "lane-mismatch", "a step's actor is not one of its procedure's lanes"),
    Code("PK209", "duplicate-entry",
         "the same lane, actor, edge or variant listed twice in one place"),
    Code("PK210", "quote-too-short", "a quote too short to prove a fact"),
    # the codebook: what each fact answers, and who the text says bears it (answers.py)
    Code("PK211", "answer-mismatch",
         "a fact answers a question of another topic or of another kind of answer"),
    Code("PK212", "duplicate-answer",
         "two facts of one document answer the same question without applies_to telling them "
         "apart"),
    Code("PK213", "undeclared-attribution",
         "an actor its provision does not name, without attribution: editorial"),
    Code("PK214", "qualifier-not-in-quote",
         "a qualifier (原则上, 一般, 可, 视情, 不超过) whose word is not in the fact's quote"),
    # content warnings
    Code(
        "PK301", "traditional-in-simplified",
        "traditional characters in a document declared simplified", Severity.WARNING,
    ),
    Code(
        "PK302", "empty-provision", "a provision heading or text that is blank",
        Severity.WARNING,
    ),
    Code(
        "PK303", "chinese-quotes-kept",
        "a value wrapped in Chinese quotation marks, which YAML keeps as text", Severity.WARNING,
    ),
    Code(
        "PK304", "not-chinese",
        "reader-facing prose (summary, notes, descriptions, labels …) that is not Chinese",
        Severity.WARNING,
    ),
    # the build (build.py); listed here so that CODES is complete whatever was imported
    Code("PK401", "render-failed", "the render stage failed; nothing was written"),
    Code("PK402", "diagram-failed", "Graphviz could not render a chart"),
    Code("PK403", "mkdocs-failed", "mkdocs build failed"),
    Code("PK404", "search-index-failed", "the search indexer (Pagefind) failed"),
    Code("PK405", "broken-link",
         "a link or anchor in the built site points nowhere (an error in a strict build)"),
    Code("PK406", "unsafe-markup", "a script, event handler or javascript: link in the site"),
    Code("PK407", "output-failed", "an unsafe generated path, or the output could not be written"),
    Code("PK408", "site-warning",
         "a warning from Graphviz or mkdocs (an error in a strict build)", Severity.WARNING),
]
CODES: dict[str, Code] = {c.id: c for c in _CODE_LIST}
#: Codes that ``policykb check`` reports (reading, format, references, content).  Each has one
#: deliberately broken fixture under ``tests/fixtures/broken/``; the PK4xx build codes do not.
CHECK_CODES: tuple[str, ...] = tuple(c.id for c in _CODE_LIST if c.id < "PK400")
CODES_BY_NAME: dict[str, Code] = {c.name: c for c in _CODE_LIST}


@dataclass(frozen=True, order=True)
class Diagnostic:
    location: SourceLocation
    code: str
    message: str
    hint: str = ""
    #: Set when the mode decides (a site warning fails a strict build); else the code's own.
    level: Severity | None = None

    @property
    def severity(self) -> Severity:
        return self.level or CODES[self.code].severity

    def format(self) -> str:
        text = f"{self.location}: {self.severity.value}[{self.code}] {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def diag(name: str, location: SourceLocation, message: str, hint: str = "", *,
         severity: Severity | None = None) -> Diagnostic:
    """Build a diagnostic by its stable name, e.g. ``diag("duplicate-key", loc, ...)``;
    ``severity`` overrides the code's own (the build mode decides for site warnings)."""
    return Diagnostic(location, CODES_BY_NAME[name].id, message, hint, severity)


def closest(value: str, options: Iterable[str]) -> str | None:
    """The one of ``options`` (in their order) closest to ``value``, if any is close."""
    close = difflib.get_close_matches(value, list(options), n=1)
    return close[0] if close else None


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """``did you mean 'x'? `` when one of ``options`` is close to ``value`` (a hint's opening),
    else nothing."""
    close = closest(value, options)
    return f"did you mean {close!r}? " if close is not None else ""


@dataclass
class Report:
    """Collects diagnostics from every stage; sorted, de-duplicated output."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, d: Diagnostic) -> None:
        self.diagnostics.append(d)

    def extend(self, ds: list[Diagnostic]) -> None:
        self.diagnostics.extend(ds)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))
