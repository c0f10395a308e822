"""Load stage: one YAML file → plain data (dict / list / str / None) with a location per node.

PyYAML's own constructors are never used: they type ``NO`` as false and ``3.10`` as 3.1, keep
the last of two duplicate keys and expand alias bombs.  Instead the libyaml *event* stream is
folded into plain data here, iteratively, so that

* every scalar stays text (only a plain ``null``, ``~`` or empty value becomes ``None``);
* anchors, aliases, merge keys and explicit tags are refused where they appear;
* duplicate keys are reported with both lines;
* nesting is capped while parsing (no recursion anywhere, so deep input cannot crash);
* size (from ``stat``, before reading), encoding, control and invisible characters and tab
  indentation are checked before any parsing, all at once, with line and column; characters
  written as escapes in double-quoted values (``"\0"``, ``"\u200b"``) are checked after;
* only regular files are read (a FIFO would block, ``/dev/zero`` would never end);
* a flood of one kind of problem is cut at ``MAX_REPORTS_PER_CODE`` lines plus one line saying
  how many more there are.

Nodes that were refused (an alias, a tagged value, a merge key) are listed in
``LoadedFile.refused`` so that the schema does not report them a second time.
"""

from __future__ import annotations

import bisect
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import CODES_BY_NAME, Diagnostic, SourceLocation, diag
from generator.source.authoring import SUSPECT_FIRST, AuthoringLint

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 30

#: Path of a node inside the document: mapping keys and sequence indexes.
NodePath = tuple[str | int, ...]

_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

try:  # libyaml when available: 7x faster; safe because we only consume events.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python fallback
    _Loader = yaml.SafeLoader


@dataclass
class LoadedFile:
    """Plain data plus where each node and each mapping key starts in the file."""

    path: str
    data: Any
    values: dict[NodePath, SourceLocation] = field(default_factory=dict)
    keys: dict[NodePath, SourceLocation] = field(default_factory=dict)
    #: Nodes already reported as refused (an alias, a tagged value): the schema skips them.
    refused: set[NodePath] = field(default_factory=set)
    #: Keys typed with input-method punctuation ('unit：hours', PK014): the field they were
    #: meant to be is not reported as missing.
    mistyped_keys: set[NodePath] = field(default_factory=set)

    def locate(self, node_path: NodePath, *, key: bool = False) -> SourceLocation:
        """Location of the deepest existing node on ``node_path`` (its key when ``key``)."""
        path = tuple(node_path)
        while path:
            table = self.keys if key and isinstance(path[-1], str) else self.values
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
            key = False
        return self.values.get((), SourceLocation(self.path, 1, 1))


#: Names for the controls people actually meet (unicodedata has no names for controls).
_CONTROL_NAMES = {
    0x00: "NULL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION, Word's Shift+Enter",
    0x0C: "FORM FEED, a page break", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE",
    0x85: "NEXT LINE", 0xFFFE: "a non-character", 0xFFFF: "a non-character",
}


def _char_name(ch: str) -> str:
    return unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "")


#: Characters refused anywhere in a file: C0 controls except TAB/LF/CR, DEL, C1 controls (NEL
#: U+0085 included), the Unicode line and paragraph separators (YAML 1.1 counts them as line
#: breaks, so every later line number would be off by one in an editor) and the non-characters
#: U+FFFE/U+FFFF (which the YAML reader refuses without a position).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
#: Invisible format characters (every code point of Unicode category Cf): zero-width spaces and
#: joiners, bidi controls such as U+202E, the soft hyphen, a BOM after the start, tag characters.
_ALWAYS_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
#: Two format characters belong to real text in one context each, and are refused elsewhere
#: (in an id, between Latin letters): U+180E MONGOLIAN VOWEL SEPARATOR between Mongolian letters
#: (Inner Mongolia's documents may carry Mongolian script; a free variation selector may sit
#: before it), and U+200D ZERO WIDTH JOINER between pictographs (emoji sequences such as 👨‍👩‍👧,
#: after a variation selector or a skin tone too).
_MONGOLIAN_LETTER = "\u1820-\u18aa"
_PICTOGRAPH = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf"
    "\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_IN_CONTEXT = re.compile(
    f"(?<=[\u180b-\u180d\u180f{_MONGOLIAN_LETTER}])\u180e(?=[{_MONGOLIAN_LETTER}])"
    f"|(?<=[{_PICTOGRAPH}\ufe0f\U0001f3fb-\U0001f3ff])\u200d(?=[{_PICTOGRAPH}])"
)
_INVISIBLE = _ALWAYS_INVISIBLE + "\u180e\u200d"
#: In the raw text a CR is fine only as part of CRLF.  A pure character class (the contextual
#: two are then tested one by one): alternatives with look-arounds would scan 2.5x slower.
_BAD_IN_TEXT = re.compile(f"[{_CONTROL}{_INVISIBLE}]|\r(?!\n)")
#: In a parsed value (written with a double-quoted escape such as "\0" or "\u200b") any CR is bad.
_BAD_IN_VALUE = re.compile(f"[{_CONTROL}{_INVISIBLE}\r]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
#: At most this many diagnostics of one code per file; one more line counts the rest.
MAX_REPORTS_PER_CODE = 20


def _out_of_context(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in ``text``, less a U+180E or U+200D in its own context."""
    for match in pattern.finditer(text):
        if match.group() not in "\u180e\u200d" or not _IN_CONTEXT.match(text, match.start()):
            yield match


def _more(code: str, count: int, where: SourceLocation) -> Diagnostic:
    return Diagnostic(where, code, f"{count} more like this from here on (not shown)",
                      "fix the problems above and check again")


def _cap(found: list[Diagnostic]) -> list[Diagnostic]:
    """At most ``MAX_REPORTS_PER_CODE`` of each code, then one line counting the rest."""
    kept: list[Diagnostic] = []
    counts: dict[str, int] = {}
    hidden: dict[str, SourceLocation] = {}
    for d in found:
        counts[d.code] = counts.get(d.code, 0) + 1
        if counts[d.code] <= MAX_REPORTS_PER_CODE:
            kept.append(d)
        else:
            hidden.setdefault(d.code, d.location)
    return kept + [_more(c, counts[c] - MAX_REPORTS_PER_CODE, w) for c, w in hidden.items()]


def _excerpt(line: str, col: int) -> str:
    """The text around column ``col`` (1-based), at most 12 characters either side."""
    start = max(0, col - 13)
    shown = repr(line[start : col + 12].rstrip("\r"))
    return ("…" if start > 0 else "") + shown + ("…" if col + 12 < len(line) else "")


def _character_problem(
    ch: str, where: SourceLocation, context: str, *, escaped: bool = False
) -> Diagnostic:
    code = ord(ch)
    how = " (written as an escape in a double-quoted value)" if escaped else ""
    if _INVISIBLE_RE.fullmatch(ch):
        return diag(
            "zero-width-character", where,
            f"invisible character U+{code:04X} {_char_name(ch)}{how} in {context}",
            "delete it; it is invisible in editors but changes keys, ids and quotes",
        )
    if ch == "\r" and not escaped:
        return diag(
            "control-character", where,
            "forbidden control character U+000D (a carriage return not followed by a line feed)",
            "save the file with Unix (LF) or Windows (CRLF) line endings",
        )
    return diag(
        "control-character", where,
        f"forbidden control character U+{code:04X}"
        + (f" ({_char_name(ch)})" if _char_name(ch) else "") + how,
        "delete it; for a line break inside a value use a block scalar (|)",
    )


def _scan_characters(path: str, text: str) -> list[Diagnostic]:
    """Control, invisible and tab-indentation problems, every one of them, before parsing."""
    kept: list[Diagnostic] = []
    counts: dict[str, int] = {}
    hidden: dict[str, SourceLocation] = {}
    line_starts: list[int] = []

    def place(pos: int) -> tuple[SourceLocation, str]:
        if not line_starts:
            line_starts.extend([0, *(m.end() for m in re.finditer("\n", text))])
        index = bisect.bisect_right(line_starts, pos) - 1
        start = line_starts[index]
        end = text.find("\n", start)
        line = text[start : end if end >= 0 else len(text)]
        return SourceLocation(path, index + 1, pos - start + 1), _excerpt(line, pos - start + 1)

    def count(name: str, pos: int) -> bool:
        """Count one problem; True while it is still to be shown (the cap keeps floods cheap)."""
        code = CODES_BY_NAME[name].id
        counts[code] = counts.get(code, 0) + 1
        if counts[code] == MAX_REPORTS_PER_CODE + 1:
            hidden[code] = place(pos)[0]
        return counts[code] <= MAX_REPORTS_PER_CODE

    for match in _TAB_INDENT.finditer(text):
        pos = match.end() - 1
        if count("tab-indentation", pos):
            kept.append(diag("tab-indentation", place(pos)[0], "tab character in indentation",
                             "indent with spaces (YAML forbids tabs for indentation)"))
    for match in _out_of_context(_BAD_IN_TEXT, text):
        ch = match.group()
        name = "zero-width-character" if _INVISIBLE_RE.fullmatch(ch) else "control-character"
        if count(name, match.start()):
            where, context = place(match.start())
            kept.append(_character_problem(ch, where, context))
    return kept + [_more(c, counts[c] - MAX_REPORTS_PER_CODE, w) for c, w in hidden.items()]


#: Byte-order marks of the encodings Windows editors save as 'Unicode'; UTF-32 first, since
#: the UTF-32 little-endian mark begins with the UTF-16 one.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)
_SAVE_AS_UTF8 = "save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)"


def _wide_encoding(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes are in one of them (a BOM, or NULs between ASCII)."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    # without a BOM: NUL bytes (never in UTF-8 text) in the high half of ASCII characters
    zeros = [i for i, byte in enumerate(raw[:256]) if byte == 0]
    if len(zeros) < 4:
        return None
    if len({i % 4 for i in zeros}) == 3 and len(zeros) * 2 >= len(raw[:256]):
        return "UTF-32"
    if len({i % 2 for i in zeros}) == 1:
        return "UTF-16"
    return None


def _decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    wide = _wide_encoding(raw)
    if wide is not None:
        return None, [diag("not-utf8", SourceLocation(path), f"the file is {wide}, not UTF-8",
                           _SAVE_AS_UTF8 + f"; or convert it: iconv -f {wide} -t UTF-8")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})"
        hint = _SAVE_AS_UTF8
        if _looks_like_gb18030(raw, exc.start):
            message += "; the file looks like GBK/GB18030"
            hint += "; or convert it: iconv -f GB18030 -t UTF-8"
        return None, [diag("not-utf8", SourceLocation(path, line, column), message, hint)]


def _looks_like_gb18030(raw: bytes, first_bad: int) -> bool:
    """True when the file is GBK/GB18030 rather than UTF-8 with one stray byte.

    A UTF-8 file with a stray byte has valid multi-byte characters before it; a GBK file's
    first non-ASCII byte is already invalid UTF-8 (and the whole file decodes as GB18030).
    """
    if not raw[:first_bad].isascii():
        return False
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


class _Frame:
    """A mapping or sequence being assembled from events."""

    __slots__ = ("container", "is_map", "key_marks", "node_path", "pending_key")

    def __init__(self, container: dict[str, Any] | list[Any], node_path: NodePath) -> None:
        self.container = container
        self.is_map = isinstance(container, dict)
        self.node_path = node_path
        self.pending_key: str | None = None
        self.key_marks: dict[str, int] = {}


def _loc(path: str, mark: Any) -> SourceLocation:
    return SourceLocation(path, mark.line + 1, mark.column + 1)


_ScalarEvent = yaml.ScalarEvent
_MappingStart = yaml.MappingStartEvent
_SequenceStart = yaml.SequenceStartEvent
_CollectionEnds = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Folder:
    """Folds the libyaml event stream of one file into plain data, with a location per node.

    One loop over the events (``fold``), no recursion; each kind of event has its handler, and
    scalars, most of the events, take the shortest path.
    """

    def __init__(self, path: str, text: str, first_key: str | None) -> None:
        self.path, self.text, self.first_key = path, text, first_key
        self.loaded = LoadedFile(path, None)
        self.problems: list[Diagnostic] = []
        self.stack: list[_Frame] = []
        self.documents = 0
        self.root_set = False
        #: Placeholders were left for duplicate keys or aliases (removed at the end).
        self.placeholders = False
        self.lint = AuthoringLint(path, text)

    # --- the loop ---------------------------------------------------------------------------

    def fold(self) -> tuple[LoadedFile | None, list[Diagnostic]]:
        scalar = self.scalar  # bound once: it runs for most events
        try:
            for event in yaml.parse(self.text, Loader=_Loader):
                cls = type(event)
                if cls is _ScalarEvent:
                    scalar(event)
                elif cls is _MappingStart or cls is _SequenceStart:
                    if not self.start_collection(event, cls is _MappingStart):
                        return None, self.problems
                elif cls in _CollectionEnds:
                    self.stack.pop()
                elif cls is yaml.AliasEvent:
                    self.alias(event)
                elif cls is yaml.DocumentStartEvent and not self.start_document(event):
                    break
                # stream start and end, document end: nothing to do
        except yaml.MarkedYAMLError as exc:
            self.syntax_error(exc)
            return None, self.problems
        except yaml.YAMLError as exc:
            self.problems.append(diag("yaml-syntax", SourceLocation(self.path),
                                      f"invalid YAML: {exc}",
                                      "check the file in an editor that shows YAML errors"))
            return None, self.problems
        return self.finish()

    # --- events -----------------------------------------------------------------------------

    def scalar(self, event: Any) -> None:
        mark = event.start_mark
        where = SourceLocation(self.path, mark.line + 1, mark.column + 1)
        tag = event.tag
        tagged = tag is not None and tag != "!"
        if tagged or event.anchor is not None:
            self.refuse_decorations(event, where)
        style = event.style
        raw: str = event.value
        lint = self.lint
        if style and lint.wants_spans:
            lint.verbatim(mark.index, event.end_mark.index)
        if style == '"' and _BAD_IN_VALUE.search(raw):
            # escapes such as "\0", "\e", "\N", "\u200b" bypass the raw-text scan
            self.problems.extend(
                _character_problem(m.group(), where, _excerpt(raw, 1), escaped=True)
                for m in _out_of_context(_BAD_IN_VALUE, raw)
            )
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.is_map and frame.pending_key is None:
            self.key(frame, raw, style, where, mark)
            return
        value = None if not style and raw in _NULL_WORDS else raw
        node_path = self.place(value, where)
        named = not style and not raw.isascii() and (  # every mistake holds non-ASCII
            raw[0] in SUSPECT_FIRST or raw[0] < "\x80"
            or (lint.comment_lines and event.end_mark.line in lint.comment_lines)
        ) and lint.plain_value(raw, mark, event.end_mark)
        if (tagged or named) and node_path is not None:
            self.loaded.refused.add(node_path)

    def key(self, frame: _Frame, key: str, style: str | None, where: SourceLocation,
            mark: Any) -> None:
        """A mapping key: merge keys refused, duplicates reported with both lines."""
        refused = self.loaded.refused
        if not style and key == "<<":
            self.problems.append(diag("anchor-alias", where, "merge key '<<' is not allowed",
                                      "write the merged keys out in full"))
            refused.add((*frame.node_path, key))
        first = frame.key_marks.get(key)
        if first is not None:
            self.problems.append(
                diag("duplicate-key", where,
                     f"duplicate key {key!r} (first defined at line {first})",
                     "delete one of the two; YAML would silently keep the last")
            )
            key = f"\0duplicate:{key}:{where.line}"
            self.placeholders = True
        else:
            frame.key_marks[key] = where.line
        frame.pending_key = key
        self.loaded.keys[(*frame.node_path, key)] = where
        if self.lint.odd_keys and not style and self.lint.plain_key(key, mark):
            refused.add((*frame.node_path, key))
            self.loaded.mistyped_keys.add((*frame.node_path, key))

    def start_collection(self, event: Any, mapping: bool) -> bool:
        """A mapping or list begins; False when the file cannot be read on (too deep, a
        collection used as a key)."""
        where = _loc(self.path, event.start_mark)
        tagged = self.refuse_decorations(event, where) or event.tag not in (None, "!")
        if len(self.stack) >= MAX_DEPTH:
            self.problems.append(_too_deep(where))
            return False
        if self.stack and self.stack[-1].is_map and self.stack[-1].pending_key is None:
            self.problems.append(diag("yaml-syntax", where, "a mapping or list used as a key",
                                      "keys must be plain text"))
            return False
        new: dict[str, Any] | list[Any] = {} if mapping else []
        node_path = self.place(new, where)
        if tagged and node_path is not None:
            self.loaded.refused.add(node_path)
        self.stack.append(_Frame(new, node_path if node_path is not None else ()))
        return True

    def alias(self, event: Any) -> None:
        where = _loc(self.path, event.start_mark)
        self.refuse_decorations(event, where)
        # an alias stands for a node: keep the structure with a placeholder
        if self.stack and self.stack[-1].is_map and self.stack[-1].pending_key is None:
            self.stack[-1].pending_key = "\0alias"
            self.placeholders = True
        else:
            node_path = self.place(None, where)
            if node_path is not None:
                self.loaded.refused.add(node_path)

    def start_document(self, event: Any) -> bool:
        """False at a second YAML document (one document per file)."""
        self.documents += 1
        if self.documents > 1:
            self.problems.append(diag("yaml-syntax", _loc(self.path, event.start_mark),
                                      "more than one YAML document in the file",
                                      "remove the '---' separator; one document per file"))
            return False
        return True

    # --- nodes ------------------------------------------------------------------------------

    def place(self, value: Any, where: SourceLocation) -> NodePath | None:
        """Attach a finished node to its parent; returns its path (None when it is a key)."""
        values = self.loaded.values
        if not self.stack:
            self.loaded.data = value
            values[()] = where
            self.root_set = True
            return ()
        frame = self.stack[-1]
        container: Any = frame.container
        if not frame.is_map:
            node_path = (*frame.node_path, len(container))
            container.append(value)
        else:
            key = frame.pending_key
            if key is None:
                return None  # the caller handles keys
            frame.pending_key = None
            node_path = (*frame.node_path, key)
            container[key] = value
        values[node_path] = where
        return node_path

    def refuse_decorations(self, event: Any, where: SourceLocation) -> bool:
        """Report an alias, anchor or explicit tag; True when the event is an alias."""
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            self.problems.append(
                diag("anchor-alias", where, f"alias *{anchor} is not allowed",
                     "write the value out in full (anchors and aliases are disabled); text that "
                     "starts with '*' goes in quotes")
            )
            return True
        if anchor is not None:
            self.problems.append(
                diag("anchor-alias", where, f"anchor &{anchor} is not allowed",
                     "remove the anchor (anchors and aliases are disabled); text that starts "
                     "with '&' goes in quotes")
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self.problems.append(
                diag("tagged-value", where,
                     f"explicit tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
                     "remove the tag (values are typed by the format, not by YAML tags); text "
                     "that starts with '!' goes in quotes")
            )
        return False

    # --- the end ----------------------------------------------------------------------------

    def syntax_error(self, exc: yaml.MarkedYAMLError) -> None:
        """libyaml stopped: name the authoring mistake behind it when one is found."""
        mark = exc.problem_mark or exc.context_mark
        location = _loc(self.path, mark) if mark is not None else SourceLocation(self.path)
        problem = exc.problem or "invalid YAML"
        if "maximum nesting depth" in problem:
            # libyaml (bundled with PyYAML >= 6.0.2) scans a run of '[' or '{' ahead of the
            # events, so its own cap of 1000 levels can fire before ours does
            self.problems.append(_too_deep(location))
            return
        mistakes, explained = self.lint.finish(exc)
        taken = {d.location for d in self.problems}  # an alias already reported there, say
        self.problems.extend(d for d in mistakes if d.location not in taken)
        if not explained:
            self.problems.append(
                diag("yaml-syntax", location,
                     f"invalid YAML: {problem}" + (f" ({exc.context})" if exc.context else ""),
                     "check indentation and quoting near this position")
            )

    def finish(self) -> tuple[LoadedFile | None, list[Diagnostic]]:
        """The data, once the stream ended: a mapping at the top, or why the file holds none."""
        problems, loaded, first_key = self.problems, self.loaded, self.first_key
        problems.extend(self.lint.finish()[0])
        if self.placeholders:
            _drop_marked_keys(loaded.data)
        if not self.root_set or loaded.data is None:
            what = "the file is empty" if not self.text.strip() else "the file holds no data"
            problems.append(
                diag("not-a-mapping", SourceLocation(self.path), what,
                     "a policy file is a mapping of fields such as 'id:' and 'title:'"
                     if first_key is None else
                     f"a registry file holds one list under '{first_key}:'; start the file with "
                     f"'{first_key}:' and list the entries under it")
            )
            return None, problems
        if not isinstance(loaded.data, dict):
            problems.append(
                diag("not-a-mapping", loaded.values[()], "the top level must be a mapping",
                     "start the file with fields such as 'id:'" if first_key is None else
                     f"start the file with '{first_key}:' and indent the entries under it")
            )
            return None, problems
        return loaded, problems


def _too_deep(where: SourceLocation) -> Diagnostic:
    return diag("too-deep", where, f"nesting deeper than {MAX_DEPTH}",
                "flatten the structure; no field of the format nests this deep")


def _fold_events(
    path: str, text: str, first_key: str | None = None
) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Fold the event stream into plain data (see ``_Folder``).

    ``first_key`` is a registry's list key (``topics``): the hints for a file without data
    name it instead of a document's ``id:``.
    """
    return _Folder(path, text, first_key).fold()


def _drop_marked_keys(data: Any) -> None:
    """Remove the placeholders left for duplicate keys and aliases (already reported)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in [k for k in node if k.startswith("\0")]:
                del node[key]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def read_policy_bytes(
    path: Path, display: str | None = None
) -> tuple[bytes | None, list[Diagnostic]]:
    """Read one policy file's bytes, refusing what is not a regular file of a sane size."""
    name = display or path.as_posix()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # a folder, a FIFO (reading would block) or a device such as /dev/zero (endless)
            return None, [diag("unreadable-file", SourceLocation(name), "not a regular file",
                               "policy files are plain .yaml files")]
        if info.st_size > MAX_FILE_BYTES:
            return None, [_too_large(name, info.st_size)]
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1), []  # the file may have grown since stat()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return None, [diag("unreadable-file", SourceLocation(name), f"cannot read: {reason}",
                           "check that the file exists and that you may read it")]


def load_file(
    path: Path, display: str | None = None, *, first_key: str | None = None
) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Read and parse one policy file; returns the data or the reasons it could not be read.

    ``first_key``: the list key of a registry file (for the hints), None for a document.
    """
    raw, problems = read_policy_bytes(path, display)
    if raw is None:
        return None, problems
    return load_text(display or path.as_posix(), raw, first_key=first_key)


def _too_large(name: str, size: int) -> Diagnostic:
    return diag(
        "file-too-large",
        SourceLocation(name),
        f"file is {size} bytes; limit is {MAX_FILE_BYTES}",
        "split the document or remove embedded data; nothing was parsed",
    )


def load_text(
    name: str, raw: bytes, *, first_key: str | None = None
) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Parse bytes already read (used by tests and by ``load_file``)."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(name, len(raw))]
    text, problems = _decode(name, raw)
    if text is None:
        return None, problems
    problems = _scan_characters(name, text)
    if problems:
        return None, problems
    loaded, problems = _fold_events(name, text, first_key)
    return loaded, _cap(problems)
