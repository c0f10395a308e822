"""Load stage: one YAML file → plain data (dict / list / str / None) with a location per node.

PyYAML's own constructors are never used: they type ``NO`` as false and ``3.10`` as 3.1, keep
the last of two duplicate keys and expand alias bombs.  Instead the libyaml *event* stream is
folded into plain data here, iteratively, so that

* every scalar stays text (only a plain ``null``, ``~`` or empty value becomes ``None``);
* anchors, aliases, merge keys and explicit tags are refused where they appear;
* duplicate keys are reported with both lines;
* nesting is capped while parsing (no recursion anywhere, so deep input cannot crash);
* size, encoding, control and invisible characters and tab indentation are checked before any
  parsing, all at once, with line and column.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, SourceLocation, diag

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 30

#: Path of a node inside the document: mapping keys and sequence indexes.
NodePath = tuple[str | int, ...]

_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_ALLOWED_CONTROLS = frozenset("\t\n\r")
#: Invisible characters that change meaning without showing: zero-width and bidi controls.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"
)

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


def _char_name(ch: str) -> str:
    return unicodedata.name(ch, "control character")


def _decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return None, [
            diag(
                "not-utf8",
                SourceLocation(path, line, column),
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)",
            )
        ]


def _scan_characters(path: str, text: str) -> list[Diagnostic]:
    """Control, invisible and tab-indentation problems, every one of them, before parsing."""
    found: list[Diagnostic] = []
    for line_no, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            col = line.index("\t") + 1
            found.append(
                diag(
                    "tab-indentation",
                    SourceLocation(path, line_no, col),
                    "tab character in indentation",
                    "indent with spaces (YAML forbids tabs for indentation)",
                )
            )
        for col, ch in enumerate(line, start=1):
            code = ord(ch)
            if (code < 0x20 and ch not in _ALLOWED_CONTROLS) or 0x7F <= code <= 0x9F:
                found.append(
                    diag(
                        "control-character",
                        SourceLocation(path, line_no, col),
                        f"forbidden control character U+{code:04X}",
                        "delete it; for a line break inside a value use a block scalar (|)",
                    )
                )
            elif ch in _INVISIBLE:
                found.append(
                    diag(
                        "zero-width-character",
                        SourceLocation(path, line_no, col),
                        f"invisible character U+{code:04X} {_char_name(ch)} in {line.strip()!r}",
                        "delete it; it is invisible in editors but changes keys and ids",
                    )
                )
            elif ch == "\r" and col != len(line):
                found.append(
                    diag(
                        "control-character",
                        SourceLocation(path, line_no, col),
                        "forbidden control character U+000D (a lone carriage return)",
                        "save the file with Unix (LF) or Windows (CRLF) line endings",
                    )
                )
    return found


class _Frame:
    """A mapping or sequence being assembled from events."""

    __slots__ = ("container", "first_line", "key_marks", "node_path", "pending_key")

    def __init__(self, container: dict[str, Any] | list[Any], node_path: NodePath) -> None:
        self.container = container
        self.node_path = node_path
        self.pending_key: str | None = None
        self.key_marks: dict[str, int] = {}


def _loc(path: str, mark: Any) -> SourceLocation:
    return SourceLocation(path, mark.line + 1, mark.column + 1)


def _fold_events(path: str, text: str) -> tuple[LoadedFile | None, list[Diagnostic]]:
    loaded = LoadedFile(path, None)
    problems: list[Diagnostic] = []
    stack: list[_Frame] = []
    documents = 0
    root_set = False

    def place(value: Any, mark: Any) -> NodePath | None:
        """Attach a finished node to its parent; returns its path (None for a key)."""
        nonlocal root_set
        if not stack:
            loaded.data = value
            loaded.values[()] = _loc(path, mark)
            root_set = True
            return ()
        frame = stack[-1]
        if isinstance(frame.container, list):
            node_path = (*frame.node_path, len(frame.container))
            frame.container.append(value)
            loaded.values[node_path] = _loc(path, mark)
            return node_path
        if frame.pending_key is None:
            return None  # caller handles keys
        key = frame.pending_key
        frame.pending_key = None
        node_path = (*frame.node_path, key)
        frame.container[key] = value
        loaded.values[node_path] = _loc(path, mark)
        return node_path

    def refuse_decorations(event: Any) -> bool:
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            problems.append(
                diag(
                    "anchor-alias",
                    _loc(path, event.start_mark),
                    f"alias *{anchor} is not allowed",
                    "write the value out in full; anchors and aliases are disabled",
                )
            )
            return True
        if anchor is not None:
            problems.append(
                diag(
                    "anchor-alias",
                    _loc(path, event.start_mark),
                    f"anchor &{anchor} is not allowed",
                    "remove the anchor; anchors and aliases are disabled",
                )
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            problems.append(
                diag(
                    "tagged-value",
                    _loc(path, event.start_mark),
                    f"explicit tag {tag} is not allowed",
                    "remove the tag; values are typed by the format, not by YAML tags",
                )
            )
        return False

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.append(
                        diag(
                            "yaml-syntax",
                            _loc(path, event.start_mark),
                            "more than one YAML document in the file",
                            "remove the '---' separator; one document per file",
                        )
                    )
                    break
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                  yaml.DocumentEndEvent)):
                continue
            if refuse_decorations(event):
                # An alias stands for a node: keep the structure consistent with a None.
                if stack and isinstance(stack[-1].container, dict) and (
                    stack[-1].pending_key is None
                ):
                    stack[-1].pending_key = "\0alias"
                else:
                    place(None, event.start_mark)
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    problems.append(
                        diag(
                            "too-deep",
                            _loc(path, event.start_mark),
                            f"nesting deeper than {MAX_DEPTH}",
                            "flatten the structure; no field of the format nests this deep",
                        )
                    )
                    return None, problems
                if stack and isinstance(stack[-1].container, dict) and (
                    stack[-1].pending_key is None
                ):
                    problems.append(
                        diag(
                            "yaml-syntax",
                            _loc(path, event.start_mark),
                            "a mapping or list used as a key",
                            "keys must be plain text",
                        )
                    )
                    return None, problems
                container: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                node_path = place(container, event.start_mark)
                stack.append(_Frame(container, node_path if node_path is not None else ()))
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if isinstance(event, yaml.ScalarEvent):
                plain = not event.style
                value: str | None = event.value
                if plain and event.value in _NULL_WORDS:
                    value = None
                frame = stack[-1] if stack else None
                if (
                    frame is not None
                    and isinstance(frame.container, dict)
                    and frame.pending_key is None
                ):
                    key = event.value
                    if plain and key == "<<":
                        problems.append(
                            diag(
                                "anchor-alias",
                                _loc(path, event.start_mark),
                                "merge key '<<' is not allowed",
                                "write the merged keys out in full",
                            )
                        )
                    if key in frame.key_marks:
                        problems.append(
                            diag(
                                "duplicate-key",
                                _loc(path, event.start_mark),
                                f"duplicate key {key!r} (first defined at line "
                                f"{frame.key_marks[key]})",
                                "delete one of the two; YAML would silently keep the last",
                            )
                        )
                        key = f"\0duplicate:{key}:{_loc(path, event.start_mark).line}"
                    else:
                        frame.key_marks[key] = _loc(path, event.start_mark).line
                    frame.pending_key = key
                    loaded.keys[(*frame.node_path, key)] = _loc(path, event.start_mark)
                    continue
                place(value, event.start_mark)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = _loc(path, mark) if mark is not None else SourceLocation(path)
        problem = exc.problem or "invalid YAML"
        problems.append(
            diag(
                "yaml-syntax",
                location,
                f"invalid YAML: {problem}" + (f" ({exc.context})" if exc.context else ""),
                "check indentation and quoting near this position; quote values with ': '",
            )
        )
        return None, problems
    except yaml.YAMLError as exc:
        problems.append(diag("yaml-syntax", SourceLocation(path), f"invalid YAML: {exc}"))
        return None, problems

    _drop_marked_keys(loaded.data)
    if not root_set or loaded.data is None:
        problems.append(
            diag("not-a-mapping", SourceLocation(path), "the file is empty",
                 "a policy file is a mapping of fields such as 'id:' and 'title:'")
        )
        return None, problems
    if not isinstance(loaded.data, dict):
        problems.append(
            diag("not-a-mapping", loaded.values[()], "the top level must be a mapping",
                 "start the file with fields such as 'id:'")
        )
        return None, problems
    return loaded, problems


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


def load_file(path: Path, display: str | None = None) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Read and parse one policy file; returns the data or the reasons it could not be read."""
    name = display or path.as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                diag(
                    "file-too-large",
                    SourceLocation(name),
                    f"file is {size} bytes; limit is {MAX_FILE_BYTES}",
                    "split the document or remove embedded data; nothing was parsed",
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [diag("unreadable-file", SourceLocation(name), f"cannot read: {exc.strerror}")]
    return load_text(name, raw)


def load_text(name: str, raw: bytes) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Parse bytes already read (used by tests and by ``load_file``)."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            diag(
                "file-too-large",
                SourceLocation(name),
                f"file is {len(raw)} bytes; limit is {MAX_FILE_BYTES}",
                "split the document or remove embedded data; nothing was parsed",
            )
        ]
    text, problems = _decode(name, raw)
    if text is None:
        return None, problems
    problems = _scan_characters(name, text)
    if problems:
        return None, problems
    return _fold_events(name, text)
