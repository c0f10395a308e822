"""Authoring mistakes made with a Chinese input method, named where the author made them.

Editors type policy files with a Chinese input method switched on.  Full-width punctuation
looks like YAML syntax but is text to YAML (``title：标题`` is one string, ``－ a`` is no list
item), and YAML syntax inside Chinese text changes the data (in ``第一条 #注释`` the ``#注释`` is
a comment and is dropped).  The YAML reader then either accepts the file with the wrong data or
fails some lines later with a message about something else.  Here each such mistake is named at
its own line and column, with what to type instead: PK014 for input-method punctuation, PK015
for text that YAML reads as syntax.

The evidence comes from three places, each cheap enough for thousands of files:

* the raw text, scanned once with a compiled regex for marks at the start of a line (an
  ideographic space before a key, a full-width list marker, a key followed by '：'), kept only
  where the line is not inside a block or quoted scalar (``verbatim``);
* the plain scalars the loader folds (``plain_key``, ``plain_value``): a value wrapped in “ ”,
  ids joined by '，', Chinese text cut short by ' #';
* when the parse fails, the failing line (``finish``): a value that starts with '*', '“' or
  '[' …, or ': ' inside a value.  The parser's own message (PK006) is replaced only when a
  named mistake lies on the failing line, on the line the parser names as context, or on the
  line before.

Real text legitimately holds “ ”, ：, · and 、, so nothing is flagged inside a block scalar or
a quoted value, and in a plain value only where the mark changes what YAML reads.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from generator.diagnostics import Diagnostic, Severity, SourceLocation, diag

#: Marks an input method types for '-': full-width hyphen, dashes, minus signs, bullets, dots.
_MARKERS = "－—–―‐‑‒−﹣⁃・•·‧∙●◦▪"
#: A key as a line begins it (every key of the format is lower-case ASCII).
_KEY = "[a-z_][a-z0-9_]*"
_LEAD = "^[ ]*(?:-[ ]+)*"
_LINE_START = re.compile(
    rf"{_LEAD}(?:"
    rf"(?P<ideographic>\u3000+)(?=[ \u3000]*(?:-[ ]|[{_MARKERS}][ \u3000]|{_KEY}[ \u3000]*[:：]))"
    rf"|(?P<marker>[{_MARKERS}])(?=[ \u3000]+\S|{_KEY}[ \u3000]*[:：])"
    rf"|(?P<hash>＃)"
    rf"|(?P<key>{_KEY})[ \u3000]*(?P<colon>：)"
    rf"|(?P<key2>{_KEY}):(?P<after_colon>\u3000)"
    rf")",
    re.MULTILINE,
)
_KEY_MISTAKE = re.compile(rf"(?P<key>{_KEY})(?:[ \u3000]*(?P<colon>：)|:(?P<after_colon>\u3000))")
#: The characters every line-start mistake contains: found first, at C speed (a regex that
#: tried every line start would cost a fifth of the YAML parse).
_RARE = re.compile(f"[\u3000{_MARKERS}：＃]")
#: '#' followed by non-ASCII text (comments are rare: a literal-prefixed search is fast).
_HASH = re.compile(r"#[ \t]*[^\x00-\x7f]")
_COMMENT_AT = re.compile(r"[ \t]+(?P<hash>#)[ \t]*(?=[^\x00-\x7f])")
#: Ids joined by a full-width comma, an enumeration comma or a full-width semicolon.
_JOINED_IDS = re.compile(r"[a-z0-9_-]+(?:[ \u3000]*[，、；][ \u3000]*[a-z0-9_-]+)+")
_JOINER = re.compile("[，、；]")
_JOINED_ON_LINE = re.compile(r"[a-z0-9_-]+[ ]*(?P<joiner>[，、；])[ ]*[a-z0-9_]")
#: First characters of a plain value worth a closer look (``plain_value``): besides these, the
#: loader passes values that start with ASCII and hold other text (ids joined by '，').
SUSPECT_FIRST = frozenset("“‘「『＂＇【［｛〔｜＞")
_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "＂": "＂", "＇": "＇"}
_BRACKET_PAIRS = {"【": "】", "［": "］", "｛": "｝", "〔": "〕"}
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
#: The value on a line: after the indentation, list dashes and a 'key: ' (keys are ASCII).
_LINE_VALUE = re.compile(r"[ ]*(?:-[ ]+)*(?:(?P<key>[A-Za-z_][\w-]*):[ ]+)?")
#: What YAML makes of a value that starts with each indicator.
_INDICATORS = {
    "*": "an alias (*name)", "&": "an anchor (&name)", "!": "a tag (!name)",
    "%": "a directive", "@": "a reserved character", "`": "a reserved character",
    "|": "the start of a block of text on the following lines",
    ">": "the start of a folded block of text on the following lines",
    "?": "the start of a complex key", "-": "a list item",
    "[": "a list", "{": "a mapping", '"': "a quoted value", "'": "a quoted value",
}
#: Indicators that open a complete value (a list, a quoted string): the mistake is text after it.
_OPENERS = "[{\"'"
_SHOWN = {'"': 'a double quote (")', "'": "a single quote (')"}

_INDENT = ("ime-punctuation", "ideographic space U+3000 used for indentation",
           "indent with ASCII spaces (the input method's half-width mode, 半角)")


def _colon(key: str) -> tuple[str, str, str]:
    return ("ime-punctuation", "full-width colon '：' where YAML needs ': '",
            f"type an ASCII colon and a space after the key: {key}: …")


def _after_colon(key: str) -> tuple[str, str, str]:
    return ("ime-punctuation", "ideographic space U+3000 after ':' where YAML needs an ASCII space",
            f"type an ASCII space after the colon: {key}: … (half-width mode, 半角)")


def _marker(mark: str) -> tuple[str, str, str]:
    return ("ime-punctuation",
            f"'{mark}' at the start of a line is text to YAML, not a list item",
            "for a list item type '- ' (an ASCII hyphen and a space); if the mark belongs to "
            "the text, write the value as a block scalar (text: |)")


def _wrapped_in_quotes(value: str) -> bool:
    """'“…”' with no other such mark inside: the marks were meant as YAML quotes."""
    first, last = value[0], value[-1]
    if _QUOTE_PAIRS.get(first) != last or len(value) < 2:
        return False
    if first == last:
        return value.count(first) == 2
    return value.count(first) == 1 and value.count(last) == 1


def _short(value: str) -> str:
    return value if len(value) <= 24 else value[:23] + "…"


def _quoted(key: str | None, value: str, quote: str = '"') -> str:
    """How the line reads with its value in YAML quotes: 'title: "金湖县: 执法"'."""
    return (f"{key}: " if key else "") + f"{quote}{_short(value)}{quote}"


class AuthoringLint:
    """Collects the named mistakes of one file while the loader reads it."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self._found: dict[tuple[int, int], Diagnostic] = {}
        self._verbatim: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        hits = list(_RARE.finditer(text))
        #: Whether a key can hold '：' or U+3000 at all (the loader skips ``plain_key`` if not).
        self.odd_keys = any(h.group() in "：\u3000" for h in hits)
        self._starts = self._line_start_marks(hits)
        #: Text indexes of a ' #' (then non-ASCII text) after something else on its line.
        self._hashes = [m.start() for m in _HASH.finditer(text) if self._after_text(m.start())]
        #: 0-based lines holding such a ' #' (usually none).
        self.comment_lines = {self._line_of(i) for i in self._hashes}
        #: Whether block and quoted scalars must be reported (``verbatim``): only to rule out
        #: marks found in the raw text.
        self.wants_spans = bool(self._starts or self._hashes)

    def _line_start_marks(self, hits: list[re.Match[str]]) -> list[re.Match[str]]:
        """Lines that begin with a mistake: only the lines holding a rare mark are tried."""
        found: list[re.Match[str]] = []
        tried: set[int] = set()
        for hit in hits:
            begin = self.text.rfind("\n", 0, hit.start()) + 1
            if begin not in tried:
                tried.add(begin)
                match = _LINE_START.match(self.text, begin)
                if match is not None:
                    found.append(match)
        return found

    def _after_text(self, index: int) -> bool:
        """Whether the '#' at ``index`` follows a space that follows text on its line."""
        begin = self.text.rfind("\n", 0, index) + 1
        return index > begin and self.text[index - 1] in " \t" and bool(
            self.text[begin:index].strip())

    # --- positions ------------------------------------------------------------------------------

    def _line_of(self, index: int) -> int:
        if not self._line_starts:  # filled in place: callers may hold the list already
            self._line_starts.extend([0, *(m.end() for m in re.finditer("\n", self.text))])
        return bisect.bisect_right(self._line_starts, index) - 1

    def _at(self, index: int) -> SourceLocation:
        line = self._line_of(index)
        return SourceLocation(self.path, line + 1, index - self._line_starts[line] + 1)

    def _report(self, where: SourceLocation, case: tuple[str, str, str]) -> None:
        name, message, hint = case
        self._found.setdefault((where.line, where.column), diag(name, where, message, hint))

    def _in_verbatim(self, index: int) -> bool:
        """Whether ``index`` lies inside a block or quoted scalar (spans come in text order)."""
        k = bisect.bisect_left(self._verbatim, (index,)) - 1
        return k >= 0 and self._verbatim[k][0] < index < self._verbatim[k][1]

    # --- what the loader tells -------------------------------------------------------------------

    def verbatim(self, start: int, end: int) -> None:
        """A block or quoted scalar spans text indexes ``start``..``end``: its lines are text."""
        self._verbatim.append((start, end))

    def plain_key(self, key: str, mark: Any) -> bool:
        """A key such as 'unit：hours' in a flow mapping ({unit：hours}); True when named."""
        match = _KEY_MISTAKE.match(key)
        if match is None:
            return False
        if match.group("colon"):
            self._report(self._at(mark.index + match.start("colon")), _colon(match["key"]))
        else:
            self._report(self._at(mark.index + match.start("after_colon")),
                         _after_colon(match["key"]))
        return True

    def plain_value(self, value: str, start: Any, end: Any) -> bool:
        """A plain value wrapped in Chinese quotes or full-width brackets, ids joined by '，',
        Chinese text cut by ' #'; True when an error was named (the schema then skips the
        value: a warning must not hide it)."""
        before = len(self._found)
        first, last = value[0], value[-1]
        if _wrapped_in_quotes(value):
            # a warning: an alias “X” is real text, and nothing tells it from a slip
            self._report(self._at(start.index), (
                "chinese-quotes-kept",
                f"Chinese quotation marks {first}…{last} around the whole value; YAML keeps "
                "them as part of the text",
                "for YAML quotes type ASCII quotes: \"…\"; if the marks belong to the text, "
                f"write the value inside ASCII quotes to say so: '{first}…{last}'",
            ))
        elif _BRACKET_PAIRS.get(first) == last and not _HAN.search(value):
            self._report(self._at(start.index), (
                "ime-punctuation",
                f"full-width brackets {first} {last} where YAML needs [ ] or {{ }}; YAML reads "
                f"{_short(value)!r} as one piece of text",
                "type ASCII brackets, e.g. lanes: [a, b]",
            ))
        elif first in "｜＞" and (len(value) == 1 or value[1] in " \u3000"):
            ascii_mark = "|" if first == "｜" else ">"
            self._report(self._at(start.index), (
                "ime-punctuation",
                f"full-width '{first}' where YAML needs '{ascii_mark}' to start a block of text",
                f"type an ASCII '{ascii_mark}' after the key and put the text on the following "
                "lines, indented",
            ))
        elif _JOINED_IDS.fullmatch(value):
            joiner = _JOINER.search(value)
            assert joiner is not None
            where = start.index + joiner.start() if start.line == end.line else start.index
            self._report(self._at(where), (
                "ime-punctuation",
                f"full-width '{joiner.group()}' between values where YAML needs ', '; YAML "
                f"reads {_short(value)!r} as one value",
                "type an ASCII comma and a space, e.g. [a, b]",
            ))
        if end.line in self.comment_lines and not value.isascii():
            cut = _COMMENT_AT.match(self.text, end.index)
            if cut is not None:
                self._comment(cut.start("hash"), value)
        return any(d.severity is Severity.ERROR for d in list(self._found.values())[before:])

    def _comment(self, index: int, value: str | None) -> None:
        kept = f"; the value is cut to {_short(value)!r}" if value is not None else ""
        self._report(self._at(index), (
            "text-read-as-yaml",
            "' #' inside Chinese text starts a YAML comment: the rest of the line is dropped"
            + kept,
            "to keep the text, put the whole value in quotes (text: \"第一条 #二\"); for a "
            "comment, put it on a line of its own",
        ))

    # --- the end -------------------------------------------------------------------------------

    def finish(self, failure: Any = None) -> tuple[list[Diagnostic], bool]:
        """The named mistakes, and whether one explains the parse ``failure`` (a YAML error).

        Without a failure, every line-start mark outside block and quoted scalars counts.  With
        one, only those up to the failing line (the reader saw nothing beyond), and then the
        failing line itself is looked at.
        """
        mark = None if failure is None else failure.problem_mark or failure.context_mark
        limit = len(self.text)
        if mark is not None:
            newline = self.text.find("\n", mark.index)
            limit = newline if newline >= 0 else len(self.text)
        for match in self._starts:
            case = match.lastgroup
            assert case is not None
            index = match.start(case)
            if index > limit:
                break
            if self._in_verbatim(index):
                continue
            where = self._at(index)
            if case == "ideographic":
                self._report(where, _INDENT)
            elif case == "marker":
                self._report(where, _marker(match[case]))
            elif case == "hash":
                self._report(where, (
                    "ime-punctuation",
                    "full-width '＃' at the start of a line: YAML comments start with '#'",
                    "type an ASCII '#' (the input method's half-width mode, 半角)",
                ))
            elif case == "colon":
                self._report(where, _colon(match["key"]))
            else:
                self._report(where, _after_colon(match["key2"]))
        if mark is None:
            return sorted(self._found.values()), failure is None
        lines = {mark.line + 1, self._previous_line(mark.index)}
        if failure.context_mark is not None:
            lines.add(failure.context_mark.line + 1)
        self._comments_before(limit)
        if not self._named_lines() & lines:
            self._explain(failure, mark, limit)
        return sorted(self._found.values()), bool(self._named_lines() & lines)

    def _named_lines(self) -> set[int]:
        return {line for line, _ in self._found}

    def _previous_line(self, index: int) -> int:
        """1-based number of the last non-blank line before the one holding ``index``."""
        line = self._line_of(index)
        while line > 0:
            line -= 1
            start, end = self._line_starts[line], self._line_starts[line + 1]
            if self.text[start:end].strip():
                return line + 1
        return 0

    def _comments_before(self, limit: int) -> None:
        """' #' after Chinese text, up to where the reader failed (no values to go by)."""
        for hash_at in self._hashes:
            if hash_at > limit:
                break
            before = self.text[self._line_starts[self._line_of(hash_at)]: hash_at]
            if not before.isascii() and not self._in_verbatim(hash_at):
                self._comment(hash_at, None)

    def _explain(self, failure: Any, mark: Any, limit: int) -> None:
        """Name the mistake on the line where the reader failed, if it is one of ours."""
        begin = self._line_starts[self._line_of(mark.index)]
        line = self.text[begin:limit]
        lead = _LINE_VALUE.match(line)
        assert lead is not None  # every part is optional
        key, value = lead["key"], line[lead.end():].rstrip()
        problem = failure.problem or ""
        where = self._at(begin + lead.end())
        case: tuple[str, str, str] | None = None
        first = value[:1]
        text_follows = "expected key" in problem or "expected <block end>" in problem
        if first and _QUOTE_PAIRS.get(first) == value[-1] and len(value) > 1:
            case = ("ime-punctuation",
                    f"Chinese quotation mark '{first}' where YAML needs an ASCII quote '\"'",
                    f"type ASCII quotes around the value: {_quoted(key, value)} (the Chinese "
                    "marks may stay inside them)")
        elif first in _BRACKET_PAIRS:
            case = ("ime-punctuation",
                    f"full-width bracket '{first}' where YAML needs '[' or '{{'",
                    "type ASCII brackets, e.g. limit: {unit: hours, value: 24}; if the bracket "
                    "belongs to the text, put the whole value in quotes")
        elif first in _INDICATORS and (first not in _OPENERS or text_follows):
            shown = _SHOWN.get(first, f"'{first}'")
            after = ", and the text after it cannot follow" if first in _OPENERS else ""
            if first in "\"'":
                other = "'" if first == '"' else '"'
                hint = (f"quote the whole value with the other kind of quote: "
                        f"{_quoted(key, value, other)}, or use the Chinese quotation marks "
                        "of the source text")
            else:
                hint = f"put the whole value in quotes: {_quoted(key, value)}"
            case = ("text-read-as-yaml",
                    f"a value starting with {shown} is read as {_INDICATORS[first]}{after}", hint)
        elif problem.startswith("mapping values are not allowed") and mark.index >= begin + len(
            lead.group()
        ):  # inside the value; the line's own 'key:' failing is an indentation mistake
            where = SourceLocation(self.path, mark.line + 1, mark.column + 1)
            example = _quoted(key, value) if key else 'title: "金湖县: 执法"'
            case = ("text-read-as-yaml",
                    "': ' inside a value: YAML reads it as the start of another key",
                    f"put the whole value in quotes ({example}), or type the full-width colon "
                    "'：' of Chinese text")
        elif (joined := _JOINED_ON_LINE.search(line)) is not None:
            where = self._at(begin + joined.start("joiner"))
            case = ("ime-punctuation",
                    f"full-width '{joined['joiner']}' between values where YAML needs ', '",
                    "type an ASCII comma and a space, e.g. {unit: hours, value: 24}")
        if case is not None:
            self._report(where, case)
