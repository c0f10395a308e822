"""The strict loader: plain text in, plain data and exact positions out, or exact problems.

Each test feeds bytes to ``load_text`` (or a file to ``load_file``) and asserts the exact
``path:line:column: severity[code] message`` lines, or the data and positions produced.
"""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from generator.source.yaml_loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_REPORTS_PER_CODE,
    LoadedFile,
    load_file,
    load_text,
)

F = "f.yaml"


def lines(text: str | bytes) -> list[str]:
    """First lines of the diagnostics for ``text``, in output order."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    _, found = load_text(F, raw)
    return [d.format().split("\n")[0] for d in sorted(found)]


def data(text: str | bytes) -> Any:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    loaded, found = load_text(F, raw)
    assert found == [], [d.format() for d in found]
    assert loaded is not None
    return loaded.data


def loaded(text: str) -> LoadedFile:
    result, found = load_text(F, text.encode("utf-8"))
    assert found == [] and result is not None
    return result


# --- scalars stay text -------------------------------------------------------------------------


def test_yaml_1_1_implicit_types_stay_strings() -> None:
    assert data("country: NO\nenabled: off\nversion: 3.10\ncode: 010\ntime: 1:30\n"
                "hex: 0x1A\nexp: 1e3\nnan: .nan\ninf: -.inf\ndate: 2024-02-30\nyes: y\n") == {
        "country": "NO", "enabled": "off", "version": "3.10", "code": "010", "time": "1:30",
        "hex": "0x1A", "exp": "1e3", "nan": ".nan", "inf": "-.inf", "date": "2024-02-30",
        "yes": "y",
    }


def test_keys_that_would_collide_after_typing_are_kept_as_written() -> None:
    assert data("m:\n  1: 甲\n  true: 乙\n  01: 丙\n  1.0: 丁\n  ~: 戊\n") == {
        "m": {"1": "甲", "true": "乙", "01": "丙", "1.0": "丁", "~": "戊"}
    }


def test_only_plain_null_words_are_none() -> None:
    assert data('a:\nb: ~\nc: null\nd: NULL\ne: "null"\nf: \'~\'\ng: ""\nh: None\n') == {
        "a": None, "b": None, "c": None, "d": None, "e": "null", "f": "~", "g": "", "h": "None",
    }


def test_block_scalars_and_quoted_escapes() -> None:
    assert data('a: |\n  第一行\n  第二行\nb: >-\n  x\n  y\nc: "tab\\there"\n') == {
        "a": "第一行\n第二行\n", "b": "x y", "c": "tab\there",
    }


# --- positions ---------------------------------------------------------------------------------


def test_positions_count_characters_not_bytes() -> None:
    result = loaded("标题: 第一个值\nlist:\n  - {名称: 甲乙, id: x}\n")
    assert str(result.values[("标题",)]) == "f.yaml:1:5"
    assert str(result.keys[("list", 0, "id")]) == "f.yaml:3:14"
    assert str(result.values[("list", 0, "id")]) == "f.yaml:3:18"
    assert str(result.locate(("list", 0, "missing"))) == "f.yaml:3:5"
    assert str(result.locate(("list", 0, "id"), key=True)) == "f.yaml:3:14"


def test_crlf_file_loads_with_the_right_lines() -> None:
    text = "id: a\r\ntitle: 标题\r\nlist:\r\n  - x\r\n  - y\r\n"
    result, found = load_text(F, text.encode("utf-8"))
    assert found == [] and result is not None
    assert result.data == {"id": "a", "title": "标题", "list": ["x", "y"]}
    assert str(result.values[("list", 1)]) == "f.yaml:5:5"
    assert lines("a: 1\r\nb: 2\r\nb: 3\r\n") == [
        "f.yaml:3:1: error[PK008] duplicate key 'b' (first defined at line 2)"
    ]


def test_bom_is_skipped() -> None:
    result, found = load_text(F, b"\xef\xbb\xbfid: a\ntitle: b\n")
    assert found == [] and result is not None
    assert result.data == {"id": "a", "title": "b"}
    assert str(result.keys[("id",)]) == "f.yaml:1:1"


def test_astral_characters_count_as_one_column() -> None:
    result = loaded("a: 😀𠀀x\nb: c\nd: 😀\ne: [😀, x]\n")
    assert str(result.values[("e", 1)]) == "f.yaml:4:8"


# --- duplicate keys ----------------------------------------------------------------------------


def test_duplicate_key_top_level() -> None:
    assert lines("id: a\ntitle: 旧标题\ntitle: 新标题\n") == [
        "f.yaml:3:1: error[PK008] duplicate key 'title' (first defined at line 2)"
    ]


def test_duplicate_key_keeps_the_first_value_and_reports_the_second() -> None:
    result, found = load_text(F, b"id: a\nid: b\n")
    assert result is not None and result.data == {"id": "a"}
    assert [d.hint for d in found] == ["delete one of the two; YAML would silently keep the last"]


def test_duplicate_keys_at_nested_levels_and_in_flow_mappings() -> None:
    text = ("a:\n  b:\n    c: 1\n    c: 2\n  d: 3\nlist:\n  - {x: 1, y: 2, x: 3}\n"
            "  - x: 1\n    x: 2\na: again\n")
    assert lines(text) == [
        "f.yaml:4:5: error[PK008] duplicate key 'c' (first defined at line 3)",
        "f.yaml:7:18: error[PK008] duplicate key 'x' (first defined at line 7)",
        "f.yaml:9:5: error[PK008] duplicate key 'x' (first defined at line 8)",
        "f.yaml:10:1: error[PK008] duplicate key 'a' (first defined at line 1)",
    ]


def test_duplicate_keys_differing_only_in_quoting() -> None:
    assert lines('title: a\n"title": b\n\'title\': c\n') == [
        "f.yaml:2:1: error[PK008] duplicate key 'title' (first defined at line 1)",
        "f.yaml:3:1: error[PK008] duplicate key 'title' (first defined at line 1)",
    ]


def test_keys_differing_in_case_are_different_keys() -> None:
    assert data("Title: a\ntitle: b\n") == {"Title": "a", "title": "b"}


# --- refused YAML features ---------------------------------------------------------------------


def test_anchor_and_alias() -> None:
    assert lines("a: &x 1\nb: *x\n") == [
        "f.yaml:1:4: error[PK007] anchor &x is not allowed",
        "f.yaml:2:4: error[PK007] alias *x is not allowed",
    ]


def test_refused_alias_leaves_a_placeholder_the_schema_skips() -> None:
    result, _ = load_text(F, b"a: &x [1]\nb: *x\nc: [*x]\n*x : d\n")
    assert result is not None
    assert result.data == {"a": ["1"], "b": None, "c": [None]}
    assert result.refused == {("b",), ("c", 0)}


def test_merge_key() -> None:
    assert lines("base: {a: 1}\nchild:\n  <<: {a: 1}\n  b: 2\n") == [
        "f.yaml:3:3: error[PK007] merge key '<<' is not allowed"
    ]


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert data('"<<": x\n') == {"<<": "x"}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a: !!python/object/apply:os.system [echo pwned]\n", "!!python/object/apply:os.system"),
        ("a: !!python/object:os.system x\n", "!!python/object:os.system"),
        ("a: !!str 010\n", "!!str"),
        ("a: !!int 010\n", "!!int"),
        ("a: !!binary aGk=\n", "!!binary"),
        ("a: !custom x\n", "!custom"),
        ("a: !<tag:example.org,2024:x> x\n", "tag:example.org,2024:x"),
    ],
)
def test_explicit_tags(text: str, shown: str) -> None:
    assert lines(text) == [f"f.yaml:1:4: error[PK011] explicit tag {shown} is not allowed"]


def test_tag_on_a_key_and_on_a_collection() -> None:
    assert lines("!!str k: v\nm: !!map {a: 1}\n") == [
        "f.yaml:1:1: error[PK011] explicit tag !!str is not allowed",
        "f.yaml:2:4: error[PK011] explicit tag !!map is not allowed",
    ]


def test_the_non_specific_tag_is_harmless() -> None:
    assert data("a: ! 010\n") == {"a": "010"}


def test_multi_document_stream() -> None:
    assert lines("id: a\n---\nid: b\n") == [
        "f.yaml:2:1: error[PK006] more than one YAML document in the file"
    ]


def test_explicit_single_document_markers_are_fine() -> None:
    assert data("---\nid: a\n...\n") == {"id": "a"}


def test_flow_mapping_as_key() -> None:
    assert lines("{a: 1}: x\n") == ["f.yaml:1:1: error[PK006] a mapping or list used as a key"]


def test_list_as_key() -> None:
    assert lines("? [a, b]\n: x\n") == ["f.yaml:1:3: error[PK006] a mapping or list used as a key"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "f.yaml: error[PK010] the file is empty"),
        ("\n\n  \n", "f.yaml: error[PK010] the file is empty"),
        ("# only a comment\n", "f.yaml: error[PK010] the file holds no data"),
        ("---\n", "f.yaml: error[PK010] the file holds no data"),
        ("~\n", "f.yaml: error[PK010] the file holds no data"),
        ("- a\n- b\n", "f.yaml:1:1: error[PK010] the top level must be a mapping"),
        ("just text\n", "f.yaml:1:1: error[PK010] the top level must be a mapping"),
        ('"quoted"\n', "f.yaml:1:1: error[PK010] the top level must be a mapping"),
    ],
)
def test_not_a_mapping(text: str, expected: str) -> None:
    assert lines(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1, 2\n", "f.yaml:2:1: error[PK006] invalid YAML: did not find expected ',' or ']' "
                       "(while parsing a flow sequence)"),
        ("a:\n  b\n c: 1\n", "f.yaml:3:3: error[PK006] invalid YAML: mapping values are not "
                           "allowed in this context"),
        ("a: 'x\n", "f.yaml:2:1: error[PK006] invalid YAML: found unexpected end of stream "
                    "(while scanning a quoted scalar)"),
        ("a:\n  - x\n y: 1\n", "f.yaml:3:2: error[PK006] invalid YAML: did not find expected key "
                               "(while parsing a block mapping)"),
        ('a: "\\ud800"\n', "f.yaml:1:7: error[PK006] invalid YAML: found invalid Unicode "
                           "character escape code (while parsing a quoted scalar)"),
    ],
)
def test_syntax_errors_have_positions(text: str, expected: str) -> None:
    assert lines(text) == [expected]


# --- characters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("\x00", "forbidden control character U+0000 (NULL)"),
        ("\x0b", "forbidden control character U+000B (LINE TABULATION, Word's Shift+Enter)"),
        ("\x0c", "forbidden control character U+000C (FORM FEED, a page break)"),
        ("\x1b", "forbidden control character U+001B (ESCAPE)"),
        ("\x7f", "forbidden control character U+007F (DELETE)"),
        ("\x85", "forbidden control character U+0085 (NEXT LINE)"),
        ("\x9f", "forbidden control character U+009F"),
        ("\u2028", "forbidden control character U+2028 (LINE SEPARATOR)"),
        ("\u2029", "forbidden control character U+2029 (PARAGRAPH SEPARATOR)"),
        ("\ufffe", "forbidden control character U+FFFE (a non-character)"),
        ("\r", "forbidden control character U+000D (a carriage return not followed by a line "
               "feed)"),
    ],
)
def test_control_characters(char: str, message: str) -> None:
    assert lines(f"a: 1\ntitle: 第一行{char}第二行\n") == [f"f.yaml:2:11: error[PK003] {message}"]


def test_lone_cr_does_not_shift_later_line_numbers() -> None:
    # old Mac line ending: YAML would count a line more than the editor; we refuse it instead
    assert lines("a: 1\rb: 2\nc: [\n") == [
        "f.yaml:1:5: error[PK003] forbidden control character U+000D (a carriage return not "
        "followed by a line feed)"
    ]


@pytest.mark.parametrize(
    ("char", "name", "shown"),
    [
        ("\u200b", "ZERO WIDTH SPACE", "\\u200b"),
        ("\u200d", "ZERO WIDTH JOINER", "\\u200d"),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE", "\\u202e"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE", "\\u2066"),
        ("\u00ad", "SOFT HYPHEN", "\\xad"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE", "\\ufeff"),
        ("\U000e0041", "TAG LATIN CAPITAL LETTER A", "\\U000e0041"),
    ],
)
def test_invisible_characters(char: str, name: str, shown: str) -> None:
    assert lines(f"id: a{char}b\n") == [
        f"f.yaml:1:6: error[PK004] invisible character U+{ord(char):04X} {name} in 'id: a{shown}b'"
    ]


def test_every_format_character_in_this_python_is_refused() -> None:
    cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(cf) > 150
    text = "a: " + "x".join(cf) + "\n"
    _, found = load_text(F, text.encode("utf-8"))
    assert [d.code for d in found] == ["PK004"] * (MAX_REPORTS_PER_CODE + 1)
    assert found[-1].message == f"{len(cf) - MAX_REPORTS_PER_CODE} more like this from here on " \
                                "(not shown)"


def test_bidi_override_excerpt_is_escaped_and_short() -> None:
    text = "title: " + "甲" * 30 + "\u202e" + "乙" * 30 + "\n"
    assert lines(text) == [
        "f.yaml:1:38: error[PK004] invisible character U+202E RIGHT-TO-LEFT OVERRIDE in "
        "…'甲甲甲甲甲甲甲甲甲甲甲甲\\u202e乙乙乙乙乙乙乙乙乙乙乙乙'…"
    ]


def test_characters_written_as_escapes_in_double_quotes() -> None:
    assert lines('a: "x\\0y"\nb: "\\u200b"\nc: "\\e"\nd: "\\N"\ne: "\\r"\nf: "ok\\t\\n"\n') == [
        "f.yaml:1:4: error[PK003] forbidden control character U+0000 (NULL) (written as an escape "
        "in a double-quoted value)",
        "f.yaml:2:4: error[PK004] invisible character U+200B ZERO WIDTH SPACE (written as an "
        "escape in a double-quoted value) in '\\u200b'",
        "f.yaml:3:4: error[PK003] forbidden control character U+001B (ESCAPE) (written as an "
        "escape in a double-quoted value)",
        "f.yaml:4:4: error[PK003] forbidden control character U+0085 (NEXT LINE) (written as an "
        "escape in a double-quoted value)",
        "f.yaml:5:4: error[PK003] forbidden control character U+000D (CARRIAGE RETURN) (written "
        "as an escape in a double-quoted value)",
    ]


def test_tab_indentation() -> None:
    assert lines("steps:\n\t- 受理\n  \t- 办理\nok: \"a\tb\"\n") == [
        "f.yaml:2:1: error[PK005] tab character in indentation",
        "f.yaml:3:3: error[PK005] tab character in indentation",
    ]


def test_all_character_problems_at_once_before_parsing() -> None:
    assert lines("a:\n\t- x\x0b\nb: y\u200bz\n") == [
        "f.yaml:2:1: error[PK005] tab character in indentation",
        "f.yaml:2:5: error[PK003] forbidden control character U+000B (LINE TABULATION, Word's "
        "Shift+Enter)",
        "f.yaml:3:5: error[PK004] invisible character U+200B ZERO WIDTH SPACE in 'b: y\\u200bz'",
    ]


def test_a_flood_of_problems_is_capped_and_fast() -> None:
    started = time.process_time()
    found = lines("a: " + "\x0b" * 500_000 + "\n")
    assert time.process_time() - started < 2.0  # CPU ~0.3 s; quadratic: minutes
    assert len(found) == MAX_REPORTS_PER_CODE + 1
    assert found[-1] == "f.yaml:1:24: error[PK003] 499980 more like this from here on (not shown)"


def test_many_aliases_are_capped() -> None:
    text = "a: &a x\n" + "".join(f"k{i}: *a\n" for i in range(100))
    found = lines(text)
    assert len(found) == MAX_REPORTS_PER_CODE + 1
    assert found[-1] == "f.yaml:21:6: error[PK007] 81 more like this from here on (not shown)"


# --- encoding and size -------------------------------------------------------------------------


def test_gbk_file() -> None:
    assert lines("id: a\n部门: 办公室\n".encode("gbk")) == [
        "f.yaml:2:1: error[PK002] not valid UTF-8 (byte 0xb2); the file looks like GBK/GB18030"
    ]
    _, found = load_text(F, "id: a\n部门: 办公室\n".encode("gbk"))
    assert found[0].hint.endswith("or convert it: iconv -f GB18030 -t UTF-8")


def test_utf8_file_with_one_stray_byte_is_not_called_gbk() -> None:
    # valid UTF-8 characters come before the bad byte: a damaged UTF-8 file, not a GBK one
    assert lines("标题: 甲\n部门: ".encode() + "办公室".encode("gbk") + b"\n") == [
        "f.yaml:2:5: error[PK002] not valid UTF-8 (byte 0xb0)"
    ]


def test_bad_byte_column_counts_the_characters_before_it() -> None:
    assert lines("标题: 甲".encode() + b"\xff\n") == [
        "f.yaml:1:6: error[PK002] not valid UTF-8 (byte 0xff)"
    ]


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
     ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")],
)
def test_utf16_and_utf32_files_are_named(encoding: str, named: str) -> None:
    """With a byte-order mark (Notepad's 'Unicode') or without one (NULs between ASCII)."""
    raw = "id: a\ntitle: 金湖县执法协作机制\n".encode(encoding)
    _, found = load_text(F, raw)
    assert [d.format() for d in found] == [
        f"f.yaml: error[PK002] the file is {named}, not UTF-8\n  hint: save the file as UTF-8 "
        f"(in most editors: Save As → Encoding → UTF-8); or convert it: iconv -f {named} -t UTF-8"
    ]


def test_a_nul_in_a_utf8_file_is_a_control_character_not_utf16() -> None:
    assert lines("id: a\ntitle: 第一\x00行\n") == [
        "f.yaml:2:10: error[PK003] forbidden control character U+0000 (NULL)"
    ]


def test_file_at_the_size_limit_loads_and_one_byte_more_does_not() -> None:
    body = b"a: " + b"x" * (MAX_FILE_BYTES - 4) + b"\n"
    assert len(body) == MAX_FILE_BYTES
    assert lines(body) == []
    assert lines(body + b"\n") == [
        f"f.yaml: error[PK001] file is {MAX_FILE_BYTES + 1} bytes; limit is {MAX_FILE_BYTES}"
    ]


def test_ten_megabyte_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024)  # sparse: costs no disk and no reading time
    started = time.process_time()
    result, found = load_file(path, "huge.yaml")
    assert time.process_time() - started < 0.5  # a stat(), no reading
    assert result is None
    assert [d.format().split("\n")[0] for d in found] == [
        "huge.yaml: error[PK001] file is 10485760 bytes; limit is 1000000"
    ]


def test_huge_single_line_within_the_limit_loads() -> None:
    started = time.process_time()
    assert data("a: " + "长" * 300_000 + "\n") == {"a": "长" * 300_000}
    assert time.process_time() - started < 2.0


# --- files that are not plain files ------------------------------------------------------------


def _load_lines(path: Path) -> list[str]:
    _, found = load_file(path, path.name)
    return [d.format().split("\n")[0] for d in found]


def test_missing_file(tmp_path: Path) -> None:
    assert _load_lines(tmp_path / "gone.yaml") == [
        "gone.yaml: error[PK012] cannot read: No such file or directory"
    ]


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    assert _load_lines(tmp_path / "dir.yaml") == ["dir.yaml: error[PK012] not a regular file"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    assert _load_lines(tmp_path / "pipe.yaml") == ["pipe.yaml: error[PK012] not a regular file"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_symlink_to_an_endless_device_is_not_read(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    assert _load_lines(tmp_path / "zero.yaml") == ["zero.yaml: error[PK012] not a regular file"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("id: a\n", encoding="utf-8")
    path.chmod(0)
    assert _load_lines(path) == ["secret.yaml: error[PK012] cannot read: Permission denied"]


# --- depth -------------------------------------------------------------------------------------


def test_nesting_at_the_limit_loads_and_one_more_level_does_not() -> None:
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert lines(ok) == []
    deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert lines(deep) == [f"f.yaml:1:{3 + MAX_DEPTH}: error[PK009] nesting deeper than 30"]


def test_deep_block_nesting() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(40))
    assert lines(text) == ["f.yaml:31:61: error[PK009] nesting deeper than 30"]


# --- invisible characters that belong to real text ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "title: ᠰᠢᠯᠢ ᠶᠢᠨ ᠭᠣᠣᠯ ᠠᠶᠢᠮᠠᠭ ᠬᠣᠲᠠ\u180eᠠ\n",  # Mongolian vowel separator before a final a
        "title: ᠬᠣᠲ\u180b\u180eᠠ\n",  # after a free variation selector
        "title: 家庭👨\u200d👩\u200d👧\n",  # emoji ZWJ sequence
        "title: ❤\ufe0f\u200d🔥 🏳\ufe0f\u200d🌈 👩🏽\u200d💻\n",  # after VS16 and a skin tone
        'title: "ᠬ\\u180eᠠ 👨\\u200d👩"\n',  # the same written as escapes
    ],
)
def test_mongolian_vowel_separator_and_emoji_joiner_in_their_context(text: str) -> None:
    assert lines(text) == []


@pytest.mark.parametrize(
    ("text", "where", "char"),
    [
        ("id: a\u200db\n", "1:6", "\u200d"),  # between Latin letters
        ("title: 金\u200d湖\n", "1:9", "\u200d"),  # between Chinese characters
        ("title: 👨\u200d\n", "1:9", "\u200d"),  # a joiner that joins nothing
        ("id: a\u180eb\n", "1:6", "\u180e"),  # the vowel separator between Latin letters
        ("title: \u180eᠠ\n", "1:8", "\u180e"),  # not after a Mongolian letter
        ("title: ᠠ\u180e\n", "1:9", "\u180e"),  # not before one
    ],
)
def test_the_same_characters_elsewhere_are_still_refused(text: str, where: str, char: str) -> None:
    found = lines(text)
    assert len(found) == 1
    assert found[0].startswith(f"f.yaml:{where}: error[PK004] invisible character "
                               f"U+{ord(char):04X}")


# --- authoring mistakes of a Chinese input method (PK014, PK015), named where made ---------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # input-method punctuation where YAML needs ASCII (PK014)
        ("id: a\ntitle：标题\nkind: x\n",
         "f.yaml:2:6: error[PK014] full-width colon '：' where YAML needs ': '"),
        ("dates:\n  issued: 2021-03-01\n  published：2021-03-05\n",
         "f.yaml:3:12: error[PK014] full-width colon '：' where YAML needs ': '"),
        ("issuers:\n  - name：县政府\n",
         "f.yaml:2:9: error[PK014] full-width colon '：' where YAML needs ': '"),
        ("limit: {unit：hours, value: 24}\n",
         "f.yaml:1:13: error[PK014] full-width colon '：' where YAML needs ': '"),
        ("id: a\ntitle:\u3000标题\nkind: x\n",
         "f.yaml:2:7: error[PK014] ideographic space U+3000 after ':' where YAML needs an ASCII "
         "space"),
        ("a:\n  b: 1\n\u3000\u3000c: 2\n",
         "f.yaml:3:1: error[PK014] ideographic space U+3000 used for indentation"),
        ("a:\n  - b: 1\n  \u3000 c: 2\n",
         "f.yaml:3:3: error[PK014] ideographic space U+3000 used for indentation"),
        ("lanes:\n  － a\n",
         "f.yaml:2:3: error[PK014] '－' at the start of a line is text to YAML, not a list item"),
        ("provisions:\n— id: s1\n  text: x\n",
         "f.yaml:2:1: error[PK014] '—' at the start of a line is text to YAML, not a list item"),
        ("notes:\n  • 第一\n", "f.yaml:2:3: error[PK014] '•' at the start of a line is text to "
                            "YAML, not a list item"),
        ("notes:\n  ・ 第一\n",
         "f.yaml:2:3: error[PK014] '・' at the start of a line is text to YAML, not a list item"),
        ("＃ 注释\nid: a\n",
         "f.yaml:1:1: error[PK014] full-width '＃' at the start of a line: YAML comments start "
         "with '#'"),
        ("id: a\ntitle: “a: b”\nkind: x\n",
         "f.yaml:2:8: error[PK014] Chinese quotation mark '“' where YAML needs an ASCII "
         "quote '\"'"),
        ("title: “金湖县执法协作机制”\n", "f.yaml:1:8: warning[PK303] Chinese quotation marks “…” "
                                    "around the whole value; YAML keeps them as part of the text"),
        ("title: 「金湖县」\n", "f.yaml:1:8: warning[PK303] Chinese quotation marks 「…」 around "
                            "the whole value; YAML keeps them as part of the text"),
        ("lanes: [a，b]\n", "f.yaml:1:10: error[PK014] full-width '，' between values where YAML "
                           "needs ', '; YAML reads 'a，b' as one value"),
        ("lanes: [a、 b]\n", "f.yaml:1:10: error[PK014] full-width '、' between values where "
                            "YAML needs ', '; YAML reads 'a、 b' as one value"),
        ("limit: {unit: hours， value: 24}\n",
         "f.yaml:1:20: error[PK014] full-width '，' between values where YAML needs ', '; YAML "
         "reads 'hours， value' as one value"),
        ("lanes: 【a, b】\n", "f.yaml:1:8: error[PK014] full-width brackets 【 】 where YAML "
                            "needs [ ] or { }; YAML reads '【a, b】' as one piece of text"),
        ("limit: ｛unit: hours, value: 24｝\n",
         "f.yaml:1:8: error[PK014] full-width bracket '｛' where YAML needs '[' or '{'"),
        ("text: ｜\n  第一段\n", "f.yaml:1:7: error[PK014] full-width '｜' where YAML needs '|' "
                             "to start a block of text"),
        # text that YAML reads as syntax (PK015)
        ("text: 第一条 #注释\n", "f.yaml:1:11: error[PK015] ' #' inside Chinese text starts a YAML "
                              "comment: the rest of the line is dropped; the value is cut to "
                              "'第一条'"),
        ("a: [第一条 #注释, b]\n",
         "f.yaml:1:9: error[PK015] ' #' inside Chinese text starts a YAML comment: the rest of "
         "the line is dropped; the value is cut to '第一条'"),
        ("a: [b,\n  第一条 #注释\n  ]\n", "f.yaml:2:7: error[PK015] ' #' inside Chinese text "
                                       "starts a YAML comment: the rest of the line is dropped; "
                                       "the value is cut to '第一条'"),
        ("id: a\ntitle: 金湖县: 执法\n",
         "f.yaml:2:11: error[PK015] ': ' inside a value: YAML reads it as the start of another "
         "key"),
        ("id: a\ntext: 第一行\n  第二行: 续\n",
         "f.yaml:3:6: error[PK015] ': ' inside a value: YAML reads it as the start of another "
         "key"),
        ("id: a\ntitle: *注意\n",
         "f.yaml:2:8: error[PK015] a value starting with '*' is read as an alias (*name)"),
        ("id: a\ntitle: &注意 x\n",
         "f.yaml:2:8: error[PK015] a value starting with '&' is read as an anchor (&name)"),
        ("id: a\ntitle: !重要 通知\n",
         "f.yaml:2:8: error[PK015] a value starting with '!' is read as a tag (!name)"),
        ("id: a\ntitle: %50以上\n", "f.yaml:2:8: error[PK015] a value starting with '%' is read "
                                  "as a directive"),
        ("id: a\ntitle: @某某\n", "f.yaml:2:8: error[PK015] a value starting with '@' is read as "
                                "a reserved character"),
        ("id: a\ntitle: `x`\n", "f.yaml:2:8: error[PK015] a value starting with '`' is read as a "
                              "reserved character"),
        ("id: a\ntitle: |第一\n", "f.yaml:2:8: error[PK015] a value starting with '|' is read as "
                                "the start of a block of text on the following lines"),
        ("id: a\nwhat: >10人\n", "f.yaml:2:7: error[PK015] a value starting with '>' is read as "
                               "the start of a folded block of text on the following lines"),
        ("id: a\ntitle: ? 是否\n", "f.yaml:2:8: error[PK015] a value starting with '?' is read as "
                                 "the start of a complex key"),
        ("id: a\ntitle: - 标题\n", "f.yaml:2:8: error[PK015] a value starting with '-' is read as "
                                 "a list item"),
        ("id: a\ntitle: [试行]办法\n", "f.yaml:2:8: error[PK015] a value starting with '[' is read "
                                   "as a list, and the text after it cannot follow"),
        ("id: a\ntitle: {试行}办法\n", "f.yaml:2:8: error[PK015] a value starting with '{' is read "
                                   "as a mapping, and the text after it cannot follow"),
        ('id: a\nquote: "1"是指\n', "f.yaml:2:8: error[PK015] a value starting with a double quote "
                                  "(\") is read as a quoted value, and the text after it cannot "
                                  "follow"),
        ("id: a\nquote: '1'是指\n", "f.yaml:2:8: error[PK015] a value starting with a single quote "
                                  "(') is read as a quoted value, and the text after it cannot "
                                  "follow"),
    ],
)
def test_authoring_mistakes_are_named_where_they_are_made(text: str, expected: str) -> None:
    assert lines(text) == [expected]


def test_authoring_mistakes_come_with_what_to_type() -> None:
    _, found = load_text(F, "id: a\ntitle: 金湖县: 执法协作机制\n".encode())
    assert found[0].hint == ("put the whole value in quotes (title: \"金湖县: 执法协作机制\"), or "
                             "type the full-width colon '：' of Chinese text")
    _, found = load_text(F, "id: a\ntitle: *重要* 通知\n".encode())
    assert found[0].hint == 'put the whole value in quotes: title: "*重要* 通知"'
    _, found = load_text(F, "id: a\ntitle：标题\n".encode())
    assert found[0].hint == "type an ASCII colon and a space after the key: title: …"


def test_a_mistyped_value_is_not_reported_again_by_the_schema(tmp_path: Path) -> None:
    loaded_file, found = load_text(F, "lanes: [a，b]\nlimit: {unit：hours, value: 24}\n".encode())
    assert loaded_file is not None and len(found) == 2
    assert ("lanes", 0) in loaded_file.refused
    assert ("limit", "unit：hours") in loaded_file.mistyped_keys


@pytest.mark.parametrize(
    "text",
    [
        "quote: “1”是指综合行政执法办公室牵头\n",  # opens with a quotation mark, goes on
        "aliases: ['“X”', \"“Y”\"]\n",  # quotation marks inside YAML quotes: kept on purpose
        "title: 关于“放管服”改革的通知\n",
        "text: 信息共享主要内容：案件信息\n",  # a full-width colon inside text
        "name: 阿拉坦·敖其尔\n",
        "text: 县司法局、县公安局，镇（街道）\n",
        "text: |\n  　　第一段：正文\n  － 项目\n  · 子项\n  title：x\n  第一条 #二\nb: c\n",
        'text: "第一\n  － 项目\n  title：x"\nb: "a #注释"\n',
        "text: >\n  第一段\n  ・第二段\n",
        "# --- 三、（一）案件移送\nid: a  # 英文注释\nvalue: 3 # 三个工作日\n"
        "note: null  # 原文无\n",
        "text: 第一条#不是注释\n",  # '#' without a space before it is text
        "text:\n  　　第一段\n",  # an indented paragraph: text, not indentation
        "url: https://example.org/a#b\n",
        "lanes: [a, b]\nkind: x\n",
    ],
)
def test_legitimate_text_is_not_flagged(text: str) -> None:
    assert lines(text) == []


def test_the_parsers_own_message_stays_when_no_mistake_explains_it() -> None:
    # a ' #' in Chinese text is named, but the unclosed bracket later is another mistake
    assert lines("text: 第一条 #注释\na: [b\n") == [
        "f.yaml:1:11: error[PK015] ' #' inside Chinese text starts a YAML comment: the rest of "
        "the line is dropped; the value is cut to '第一条'",
        "f.yaml:3:1: error[PK006] invalid YAML: did not find expected ',' or ']' (while parsing "
        "a flow sequence)",
    ]
    # a misindented key is not ': ' inside a value
    assert lines("a: b\n  c: 1\n") == [
        "f.yaml:2:4: error[PK006] invalid YAML: mapping values are not allowed in this context"
    ]


def test_registry_hints_name_the_registry_key() -> None:
    _, found = load_text(F, b"", first_key="topics")
    assert found[0].hint == ("a registry file holds one list under 'topics:'; start the file "
                             "with 'topics:' and list the entries under it")


def test_looking_for_authoring_mistakes_stays_linear() -> None:
    """10,000 candidate lines inside a block scalar (all legitimate text) and 10,000 values."""
    body = "text: |\n" + "  　　－ 第一条 #注释：title：x\n" * 10_000
    values = "".join(f"k{i}: 第{i}条，a，b “引” #x\n" for i in range(10_000))
    started = time.process_time()
    assert lines(body + values) == []
    assert time.process_time() - started < 3.0  # ~0.5 s; quadratic would be minutes
