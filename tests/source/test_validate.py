"""The validator: schema translation and cross-checks, each problem with its exact line.

Every test starts from ``tests/fixtures/valid-kb`` (which must check clean), changes one thing
and asserts the exact ``path:line:column: severity[code] message`` lines that follow — nothing
more, nothing less.  ``Tree.edit`` refuses a replacement that does not match exactly once, so a
test cannot pass by silently editing nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from broken_trees import materialise

from generator.diagnostics import CHECK_CODES, CODES, Severity
from generator.pipeline import check_policies, model
from generator.source.raw import fold_id
from generator.source.schema import RESERVED_IDS
from generator.source.typing_pass import explain_id

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALID = FIXTURES / "valid-kb"
BROKEN = FIXTURES / "broken"
SAMPLE = "documents/sample.yaml"
#: ``POLICYKB_UPDATE_FIXTURES=1 pytest tests/source/test_validate.py tests/cli/test_cli.py``
#: rewrites every broken fixture's expected.txt and the examples in
#: docs/reference/diagnostics.md; review the diff like any other change to public messages.
UPDATE = "POLICYKB_UPDATE_FIXTURES"
S = "policies/documents/sample.yaml"
#: The sample clock's limit and the question it answers (a by_date limit answers another).
CLOCK_LIMIT = "limit: {unit: working_days, value: 3}\n    answers: transfer-deadline"
BY_DATE_ANSWER = "    answers: transfer-system-deadline"
J = "policies/registries/jurisdictions.yaml"


class Tree:
    """A copy of the valid knowledge base under ``tmp_path/policies``, checked from tmp_path."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "policies"
        shutil.copytree(VALID, self.root)

    def read(self, rel: str = SAMPLE) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def edit(self, old: str, new: str, rel: str = SAMPLE) -> None:
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        self.write(rel, text.replace(old, new))

    def lines(self, only: list[Path] | None = None) -> list[str]:
        """The first line of every diagnostic, sorted as the CLI prints them."""
        _, report = check_policies(Path("policies"), only)
        return [d.format().split("\n")[0] for d in report.sorted()]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tree:
    monkeypatch.chdir(tmp_path)
    return Tree(tmp_path)


# --- the baseline ------------------------------------------------------------------------------


def test_valid_kb_is_clean_and_assembled(tree: Tree) -> None:
    kb, report = check_policies(Path("policies"))
    assert report.sorted() == []
    assert kb is not None
    assert sorted(d.id for d in kb.documents) == ["measures", "sample"]
    assert sorted(t.id for t in kb.topics) == ["case-transfer", "training-guidance"]
    modelled = model(kb)
    assert [d.id for d in modelled.documents] == ["measures", "sample"]
    assert modelled.jurisdiction_by_id["jinhu"].chain[0].id == "cn"


def test_every_diagnostic_has_a_hint_and_a_known_code(tree: Tree) -> None:
    tree.edit("quote: 应在3个工作日内移送县级部门\nclocks", "quote: 不存在\nclocks")
    tree.edit("kind: mechanism", "kind: mechanisms")
    _, report = check_policies(Path("policies"))
    assert len(report.sorted()) == 2
    for d in report.sorted():
        assert d.code in CODES and d.hint, d


# --- one broken fixture per code ---------------------------------------------------------------


FIXTURE_DIRS = sorted(p for p in BROKEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("fixture", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_broken_fixture_reports_exactly_its_lines(
    fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    materialise(fixture, tmp_path)
    monkeypatch.chdir(tmp_path)
    kb, report = check_policies(Path("policies"))
    got = "\n".join(d.format() for d in report.sorted()) + "\n"
    if os.environ.get(UPDATE):
        (fixture / "expected.txt").write_text(got, encoding="utf-8")
    assert got == (fixture / "expected.txt").read_text(encoding="utf-8")
    code = fixture.name.split("-")[0]
    assert code in {d.code for d in report.sorted()}
    assert (kb is None) == (CODES[code].severity is Severity.ERROR)


def test_every_check_code_has_exactly_one_fixture_and_cases_are_named_after_it() -> None:
    """``<code>-<name>/`` once per code (its example on the diagnostics page), plus one
    ``<code>-<name>--<case>/`` per further mistake the code names (listed on the page)."""
    base = [p.name for p in FIXTURE_DIRS if "--" not in p.name]
    assert sorted(n[:5] for n in base) == sorted(CHECK_CODES)
    assert set(CODES) - set(CHECK_CODES) == {f"PK40{i}" for i in range(1, 9)}  # build stage
    for p in FIXTURE_DIRS:
        stem, _, case = p.name.partition("--")
        assert stem == f"{p.name[:5]}-{CODES[p.name[:5]].name}", p.name
        assert case == "" or re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", case), p.name


# --- identity: duplicate ids in every collection -----------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      - id: s1-2\n", "      - id: s1-1\n",
            f"{S}:27:13: error[PK201] duplicate provision id 's1-1' (first defined at line 24)",
        ),
        (  # across levels of the tree, and case-insensitive
            "  - id: s2\n", "  - id: S1-1\n",
            f"{S}:30:9: error[PK201] duplicate provision id 'S1-1' (first defined at line 24)",
        ),
        (
            "  - id: county-dept\n", "  - id: township\n",
            f"{S}:38:9: error[PK201] duplicate actor id 'township' (first defined at line 34)",
        ),
        (
            "  - id: training-hours\n", "  - id: transfer-clock\n",
            None,  # quotas and clocks are different collections: no clash
        ),
    ],
)
def test_duplicate_ids_in_document(tree: Tree, old: str, new: str, expected: str | None) -> None:
    tree.edit(old, new)
    lines = [x for x in tree.lines() if "PK201" in x]
    assert lines == ([expected] if expected else [])


_SECOND_ITEMS = {
    "duties": (
        "duties:\n", "duties:\n  - id: transfer\n    actors: [township]\n    role: lead\n"
        "    topic: case-transfer\n    what: 再次移送\n    provision: s1-1\n"
        "    quote: 应在3个工作日内移送\n",
        f"{S}:50:9: error[PK201] duplicate duty id 'transfer' (first defined at line 43)",
    ),
    "clocks": (
        "clocks:\n", "clocks:\n  - id: transfer-clock\n    topic: case-transfer\n"
        "    actors: [township]\n    trigger: 发现\n    action: 移送\n"
        "    limit: {unit: immediately}\n    answers: acceptance-notice-deadline\n"
        "    provision: s1-1\n    quote: 移送\n",
        f"{S}:61:9: error[PK201] duplicate clock id 'transfer-clock' (first defined at line 52)",
    ),
    "quotas": (
        "quotas:\n", "quotas:\n  - id: training-hours\n    topic: training-guidance\n"
        "    what: 培训\n    value: 1\n    unit: 学时\n    answers: training-sessions\n"
        "    provision: s2\n    quote: 培训\n",
        f"{S}:82:9: error[PK201] duplicate quota id 'training-hours' (first defined at line 74)",
    ),
    "procedures": (
        "procedures:\n", "procedures:\n  - id: transfer-flow\n    title: 第二个\n"
        "    topic: case-transfer\n    lanes: [township]\n    steps:\n"
        "      - {id: a, actor: township, kind: start, label: 甲, provision: s1-1, quote: 移送}\n"
        "      - {id: b, actor: township, kind: end, label: 乙, provision: s1-1, quote: 移送}\n"
        "    edges:\n      - {from: a, to: b}\n",
        f"{S}:94:9: error[PK201] duplicate procedure id 'transfer-flow' (first defined at line "
        "85)",
    ),
    "citations": (
        "citations:\n", "citations:\n  - id: coordination-measures\n    title: 另一个\n"
        "    provision: s2\n    quote: 执行\n",
        f"{S}:101:9: error[PK201] duplicate citation id 'coordination-measures' (first defined "
        "at line 97)",
    ),
}


@pytest.mark.parametrize("collection", sorted(_SECOND_ITEMS))
def test_duplicate_ids_in_every_fact_collection(tree: Tree, collection: str) -> None:
    old, new, expected = _SECOND_ITEMS[collection]
    tree.edit(old, new)
    assert tree.lines() == [expected]


def test_duplicate_step_ids(tree: Tree) -> None:
    tree.edit("{id: send, actor", "{id: found, actor")
    assert tree.lines() == [
        f"{S}:91:14: error[PK201] duplicate step id 'found' (first defined at line 90)",
        f"{S}:91:14: error[PK204] step 'found' is a dead end: no edge leaves it",
        f"{S}:92:14: error[PK204] step 'done' cannot be reached from the start step",
        f"{S}:94:27: error[PK202] unknown step 'send'",
        f"{S}:95:16: error[PK202] unknown step 'send'",
    ]


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (
            "registries/jurisdictions.yaml",
            "  - {id: jiangsu,", "  - {id: JinHu,",
            f"{J}:4:10: error[PK201] duplicate jurisdiction id 'jinhu' (first defined at line 3)",
        ),
        (
            "registries/topics.yaml",
            "  - id: training-guidance\n", "  - id: case-transfer\n",
            "policies/registries/topics.yaml:6:9: error[PK201] duplicate topic id "
            "'case-transfer' (first defined at line 3)",
        ),
        (
            "registries/actor-types.yaml",
            "  - {id: competent-department,", "  - {id: township,",
            "policies/registries/actor-types.yaml:3:10: error[PK201] duplicate actor type id "
            "'township' (first defined at line 2)",
        ),
    ],
)
def test_duplicate_ids_in_registries(
    tree: Tree, rel: str, old: str, new: str, expected: str
) -> None:
    tree.edit(old, new, rel)
    assert expected in tree.lines()


# --- references of every kind ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    actors: [township]\n    role", "    actors: [towns]\n    role",
         f"{S}:44:14: error[PK202] unknown actor 'towns'"),
        ("    recipient: [county-dept]", "    recipient: [county]",
         f"{S}:55:17: error[PK202] unknown actor 'county'"),
        ("    actors: [county-dept]", "    actors: [nobody]",
         f"{S}:76:14: error[PK202] unknown actor 'nobody'"),
        ("    lanes: [township, county-dept]", "    lanes: [township, county-dept, court]",
         f"{S}:88:36: error[PK202] unknown actor 'court'"),
        ("    type: competent-department", "    type: department",
         f"{S}:40:11: error[PK202] unknown actor type 'department'"),
        ("    topic: training-guidance", "    topic: training",
         f"{S}:75:12: error[PK202] unknown topic 'training'"),
        ("    provision: s2\n    quote: 每年", "    provision: s3\n    quote: 每年",
         f"{S}:82:16: error[PK202] unknown provision 's3'"),
        ("{from: found, to: send, clock: transfer-clock, variant: 0}",
         "{from: found, to: send, clock: transfer, variant: 0}",
         f"{S}:94:40: error[PK202] unknown clock 'transfer'"),
        ("clock: transfer-clock, variant: 0}", "clock: transfer-clock, variant: 1}",
         f"{S}:94:65: error[PK202] clock 'transfer-clock' has no variant 1 (it has 1)"),
        ("{from: found, to: send, clock: transfer-clock, variant: 0}",
         "{from: found, to: send, variant: 0}",
         f"{S}:94:42: error[PK202] variant given without a clock"),
        ("jurisdiction: jinhu\nkind", "jurisdiction: jin-hu\nkind",
         f"{S}:7:15: error[PK202] unknown jurisdiction 'jin-hu'"),
        ("    jurisdiction: jinhu\n", "    jurisdiction: huaian\n",
         f"{S}:6:19: error[PK202] unknown jurisdiction 'huaian'"),
        ("    document: measures", "    document: measure",
         f"{S}:99:15: error[PK202] unknown document 'measure'"),
    ],
)
def test_unknown_references(tree: Tree, old: str, new: str, expected: str) -> None:
    tree.edit(old, new)
    assert tree.lines() == [expected]


def test_unknown_step_in_edges(tree: Tree) -> None:
    tree.edit("{from: send, to: done}", "{from: sent, to: dne}")
    assert tree.lines() == [
        f"{S}:91:14: error[PK204] step 'send' is a dead end: no edge leaves it",
        f"{S}:92:14: error[PK204] step 'done' cannot be reached from the start step",
        f"{S}:95:16: error[PK202] unknown step 'sent'",
        f"{S}:95:26: error[PK202] unknown step 'dne'",
    ]


def test_unknown_reference_hint_suggests_the_closest_id(tree: Tree) -> None:
    tree.edit("    actors: [township]\n    role", "    actors: [townshp]\n    role")
    _, report = check_policies(Path("policies"))
    (d,) = report.sorted()
    assert d.hint == "did you mean 'township'? known actors: county-dept, township"


def test_unknown_jurisdiction_parent(tree: Tree) -> None:
    tree.edit("parent: jiangsu,", "parent: jiangsuu,", "registries/jurisdictions.yaml")
    assert tree.lines() == [f"{J}:4:51: error[PK202] unknown jurisdiction 'jiangsuu'"]


# --- quotes ------------------------------------------------------------------------------------


def test_quote_not_found(tree: Tree) -> None:
    tree.edit("    quote: 每年组织培训不少于60学时", "    quote: 每年组织培训不少于50学时")
    assert tree.lines() == [
        f"{S}:83:12: error[PK203] quote not found verbatim in provision "
        "'s2': '每年组织培训不少于50学时'"
    ]


def test_quote_that_differs_only_by_whitespace_is_accepted(tree: Tree) -> None:
    tree.edit("    quote: 每年组织培训不少于60学时",
              '    quote: "每年组织培训\\n  不少于 60\\t学时"')
    assert tree.lines() == []


def test_quote_with_half_width_comma_for_full_width_is_rejected(tree: Tree) -> None:
    tree.edit("        quote: 情况紧急的，应在24小时内移送",
              "        quote: 情况紧急的,应在24小时内移送")
    assert tree.lines() == [
        f"{S}:64:16: error[PK203] quote not found verbatim in provision 's1-1': "
        "'情况紧急的,应在24小时内移送'"
    ]


def test_quote_in_another_provision_is_rejected(tree: Tree) -> None:
    tree.edit("      provision: s1-2\n", "      provision: s2\n")
    assert tree.lines() == [
        f"{S}:70:14: error[PK203] quote not found verbatim in provision "
        "'s2': '最长不超过10个工作日'"
    ]


def test_quote_of_heading_is_accepted_and_blank_quote_is_rejected(tree: Tree) -> None:
    tree.edit("    provision: s2\n    quote: 《金湖县行政执法协调办法》",
              "    provision: s1\n    quote: 案件移送。")
    assert tree.lines() == []
    tree.edit("    quote: 案件移送。", '    quote: "  "')
    assert tree.lines() == [f"{S}:101:5: error[PK102] field 'quote' is blank"]


def test_quote_does_not_span_child_provisions(tree: Tree) -> None:
    tree.edit("    provision: s2\n    quote: 《金湖县行政执法协调办法》",
              "    provision: s1\n    quote: 县级部门应当及时书面告知受理情况")
    assert tree.lines() == [
        f"{S}:101:12: error[PK203] quote not found verbatim in provision 's1': "
        "'县级部门应当及时书面告知受理情况'"
    ]


# --- procedures --------------------------------------------------------------------------------


def test_zero_start_steps(tree: Tree) -> None:
    tree.edit("{id: found, actor: township, kind: start,", "{id: found, actor: township,")
    assert tree.lines() == [f"{S}:90:7: error[PK204] procedure 'transfer-flow' has 0 start steps; "
                            "it needs one"]


def test_two_start_steps(tree: Tree) -> None:
    tree.edit("{id: send, actor: township, label", "{id: send, actor: township, kind: start, label")
    assert tree.lines() == [f"{S}:90:7: error[PK204] procedure 'transfer-flow' has 2 start steps; "
                            "it needs one"]


def test_no_end_step(tree: Tree) -> None:
    tree.edit("actor: county-dept, kind: end,", "actor: county-dept, kind: task,")
    assert tree.lines() == [
        f"{S}:90:7: error[PK204] procedure 'transfer-flow' has no end step",
        f"{S}:92:14: error[PK204] step 'done' is a dead end: no edge leaves it",
    ]


def test_unreachable_step_and_dead_end(tree: Tree) -> None:
    tree.edit("      - {from: send, to: done}\n", "      - {from: done, to: send}\n")
    assert tree.lines() == [
        f"{S}:91:14: error[PK204] step 'send' is a dead end: no edge leaves it",
        f"{S}:92:14: error[PK204] step 'done' cannot be reached from the start step",
        f"{S}:95:16: error[PK204] edge leaves end step 'done'",
    ]


def test_lane_mismatch(tree: Tree) -> None:
    tree.edit("    lanes: [township, county-dept]", "    lanes: [county-dept]")
    assert tree.lines() == [
        f"{S}:90:28: error[PK208] step 'found' is in lane 'township', which is not one of the "
        "procedure's lanes",
        f"{S}:91:27: error[PK208] step 'send' is in lane 'township', which is not one of the "
        "procedure's lanes",
    ]


# --- dates and the jurisdiction tree -----------------------------------------------------------


def test_published_before_issued(tree: Tree) -> None:
    tree.edit("  published: 2021-03-05", "  published: 2021-02-28")
    assert tree.lines() == [
        f"{S}:12:14: error[PK205] published 2021-02-28 before issued 2021-03-01"
    ]


def test_retrieved_before_the_document_existed(tree: Tree) -> None:
    tree.edit("  retrieved: 2024-01-02", "  retrieved: 2020-01-02")
    assert tree.lines() == [
        f"{S}:17:14: error[PK205] retrieved 2020-01-02 before the document existed (2021-03-01)"
    ]


def test_verified_before_the_document_existed(tree: Tree) -> None:
    tree.edit("  retrieved: 2024-01-02", "  retrieved: 2024-01-02\n  verified: 2021-02-27")
    assert tree.lines() == [
        f"{S}:18:13: error[PK205] verified 2021-02-27 before the document existed (2021-03-01)"
    ]


def test_jurisdiction_self_parent(tree: Tree) -> None:
    tree.edit("parent: jiangsu,", "parent: jinhu,", "registries/jurisdictions.yaml")
    assert tree.lines() == [f"{J}:4:51: error[PK206] jurisdiction 'jinhu' is its own parent"]


def test_jurisdiction_cycle_reported_once_with_its_path(tree: Tree) -> None:
    tree.edit("parent: cn,", "parent: jinhu,", "registries/jurisdictions.yaml")
    assert tree.lines() == [f"{J}:3:55: error[PK206] parent chain loops: jiangsu → jinhu → jiangsu"]


# --- registries --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["jurisdictions.yaml", "actor-types.yaml", "topics.yaml"])
def test_missing_registry_is_one_error_without_cascade(tree: Tree, name: str) -> None:
    (tree.root / "registries" / name).unlink()
    assert tree.lines() == [
        f"policies/registries/{name}: error[PK207] registry file {name} is missing"
    ]


def test_broken_registry_does_not_make_every_reference_unknown(tree: Tree) -> None:
    tree.write("registries/topics.yaml", "topics: [\n")
    assert tree.lines() == [
        "policies/registries/topics.yaml:2:1: error[PK006] invalid YAML: did not find expected "
        "node content (while parsing a flow node)"
    ]


def test_registry_item_with_a_bad_field_still_defines_its_id(tree: Tree) -> None:
    tree.edit("level: county,", "level: town,", "registries/jurisdictions.yaml")
    assert tree.lines() == [
        f"{J}:4:35: error[PK103] jurisdictions.2.level: expected 'country', 'province', "
        "'prefecture', 'county' or 'township' (got 'town')"
    ]


def test_stray_files_are_warned_about_and_hidden_files_ignored(tree: Tree) -> None:
    tree.write("documents/draft.yml", "id: draft\n")
    tree.write("documents/Other.YAML", "id: other\n")
    tree.write("documents/old/sample.yaml", "id: old\n")
    tree.write("documents/old/deeper/x.yml", "id: x\n")
    tree.write("documents/backup/notes.txt", "notes\n")
    tree.write("documents/readme.txt", "notes\n")
    tree.write("documents/.#sample.yaml", "emacs lock file\n")
    tree.write("documents/.hidden.yaml", "- not a mapping\n")
    tree.write("registries/actor_types.yaml", "actor_types: []\n")
    tree.write("registries/Topics.yml", "topics: []\n")
    tree.write("top.yaml", "id: top\n")
    tree.write("jurisdictions.yaml", "jurisdictions: []\n")
    tree.write("README.md", "# not a policy\n")
    tree.write("document/misplaced.yaml", "id: misplaced\n")
    tree.write("notes/plain.txt", "no yaml here\n")
    kb, report = check_policies(Path("policies"))
    assert [d.format() for d in report.sorted()] == [
        "policies/document: warning[PK013] not read: only documents/ and registries/ are read in "
        "the policies folder\n  hint: move the documents into documents/ (is the folder's name "
        "misspelt?)",
        "policies/documents/Other.YAML: warning[PK013] not read: named *.YAML; only files ending "
        "in .yaml (lower case) are read\n  hint: rename it to Other.yaml",
        "policies/documents/backup: warning[PK013] not read: a sub-folder of documents/\n"
        "  hint: move it out of the policies folder",
        "policies/documents/draft.yml: warning[PK013] not read: named *.yml; only files ending "
        "in .yaml (lower case) are read\n  hint: rename it to draft.yaml",
        "policies/documents/old/deeper/x.yml: warning[PK013] not read: inside a sub-folder of "
        "documents/; only files directly in documents/ are read\n"
        "  hint: move it to documents/x.yaml",
        "policies/documents/old/sample.yaml: warning[PK013] not read: inside a sub-folder of "
        "documents/; only files directly in documents/ are read\n"
        "  hint: move it to documents/sample.yaml",
        "policies/documents/readme.txt: warning[PK013] not read: policy documents are files "
        "named *.yaml\n  hint: rename it, or move it out of the policies folder",
        "policies/jurisdictions.yaml: warning[PK013] not read: a file at the top of the "
        "policies folder\n  hint: move it to registries/jurisdictions.yaml",
        "policies/registries/Topics.yml: warning[PK013] not read: named *.yml; only files "
        "ending in .yaml (lower case) are read\n  hint: rename it to topics.yaml",
        "policies/registries/actor_types.yaml: warning[PK013] not read: the registries are "
        "jurisdictions.yaml, actor-types.yaml, topics.yaml, questions.yaml\n"
        "  hint: rename it, or move it out of the policies folder",
        "policies/top.yaml: warning[PK013] not read: a file at the top of the policies folder\n"
        "  hint: move it to documents/top.yaml",
    ]
    assert kb is not None  # warnings only


def test_symlink_outside_the_policies_folder_is_refused(tree: Tree, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: SENTINEL-7f3a\ntitle: SENTINEL-7f3a\n", encoding="utf-8")
    os.symlink(secret, tree.root / "documents" / "linked.yaml")
    _, report = check_policies(Path("policies"))
    lines = [d.format() for d in report.sorted()]
    assert [x.split("\n")[0] for x in lines] == [
        "policies/documents/linked.yaml: error[PK012] a link to a file outside the policies folder"
    ]
    assert "SENTINEL" not in "\n".join(lines)


# --- the format: typed scalars -----------------------------------------------------------------

#: (text to replace, its replacement with {v}, location of the value, dotted field path)
_INT_FIELDS = [
    ("limit: {unit: working_days, value: 3}", "limit: {unit: working_days, value: {v}}",
     "58:40", "clocks.0.limit.value"),
    ("        limit: {unit: hours, value: 24}", "        limit: {unit: hours, value: {v}}",
     "62:37", "clocks.0.variants.0.limit.value"),
    ("      max: {unit: working_days, value: 10}", "      max: {unit: working_days, value: {v}}",
     "67:40", "clocks.0.extension.max.value"),
    ("    value: 60\n", "    value: {v}\n", "78:12", "quotas.0.value"),
    ("clock: transfer-clock, variant: 0}", "clock: transfer-clock, variant: {v}}", "94:65",
     "procedures.0.edges.0.variant"),
]


@pytest.mark.parametrize("value", ["010", "0x1A", "1_000", "3.0", "+5", "1:30", "1e3"])
@pytest.mark.parametrize("spot", _INT_FIELDS, ids=[f[3] for f in _INT_FIELDS])
def test_integers_only_in_plain_digits(
    tree: Tree, spot: tuple[str, str, str, str], value: str
) -> None:
    old, new, where, field = spot
    tree.edit(old, new.replace("{v}", value))
    assert tree.lines() == [
        f"{S}:{where}: error[PK103] {field}: expected a whole number written in digits "
        f"(got {value!r})"
    ]


def test_integer_order_in_registry(tree: Tree) -> None:
    tree.edit("{id: township, order: 10,", "{id: township, order: 010,",
              "registries/actor-types.yaml")
    assert tree.lines() == [
        "policies/registries/actor-types.yaml:2:27: error[PK103] actor_types.0.order: expected "
        "a whole number written in digits (got '010')"
    ]


def test_integer_order_in_topics(tree: Tree) -> None:
    tree.edit("    name: 案件移送\n", "    name: 案件移送\n    order: 1:30\n",
              "registries/topics.yaml")
    assert tree.lines() == [
        "policies/registries/topics.yaml:5:12: error[PK103] topics.0.order: expected a whole "
        "number written in digits (got '1:30')"
    ]


def test_every_typed_field_of_the_format_is_covered_here() -> None:
    """When the format gains an int, bool or date field, add its YAML 1.1 cases above."""
    import inspect

    from pydantic import BaseModel

    from generator.source import schema
    from generator.source.typing_pass import _fields_by_key

    typed = {
        (name, key)
        for name, cls in vars(schema).items()
        if inspect.isclass(cls) and issubclass(cls, BaseModel)
        and cls.__module__ == "generator.source.schema"
        for key, (kind, _) in _fields_by_key(cls).items()
        if kind in {"int", "bool", "date", "digits"}
    }
    assert typed == {
        ("ActorType", "order"), ("Topic", "order"), ("Question", "order"), ("Limit", "value"),
        ("Limit", "upper_bound"),
        ("Dates", "issued"), ("Dates", "published"), ("Dates", "effective"),
        ("Source", "retrieved"), ("Source", "verified"), ("Quota", "value"),
        ("Edge", "variant"),
        ("Limit", "date"), ("Jurisdiction", "code"),
    }


@pytest.mark.parametrize("value", ["NO", "no", "off", "On", "yes", "y", "1", "t"])
def test_booleans_only_true_or_false(tree: Tree, value: str) -> None:
    tree.edit("limit: {unit: working_days, value: 3}",
              f"limit: {{unit: working_days, value: 3, upper_bound: {value}}}")
    assert tree.lines() == [
        f"{S}:58:56: error[PK103] clocks.0.limit.upper_bound: expected true or false "
        f"(got {value!r})"
    ]


@pytest.mark.parametrize("value", ["true", "True", "FALSE"])
def test_yaml_core_booleans_are_accepted(tree: Tree, value: str) -> None:
    tree.edit("limit: {unit: working_days, value: 3}",
              f"limit: {{unit: working_days, value: 3, upper_bound: {value}}}")
    assert tree.lines() == []


_DATE_FIELDS = [
    ("  issued: 2021-03-01", "  issued: {v}", "11:11"),
    ("  published: 2021-03-05", "  published: {v}", "12:14"),
    ("  effective: null", "  effective: {v}", "13:14"),
    ("  retrieved: 2024-01-02", "  retrieved: {v}", "17:14"),
    ("  retrieved: 2024-01-02", "  retrieved: 2024-01-02\n  verified: {v}", "18:13"),
]


@pytest.mark.parametrize(
    "value", ["1612137600", "0", "2021-03-01T00:00", "20210301", "2021-3-1", "2024-02-30",
              "2021-13-01"])
@pytest.mark.parametrize("spot", _DATE_FIELDS, ids=["issued", "published", "effective",
                                                    "retrieved", "verified"])
def test_dates_only_as_existing_yyyy_mm_dd(
    tree: Tree, spot: tuple[str, str, str], value: str
) -> None:
    old, new, where = spot
    tree.edit(old, new.replace("{v}", value))
    assert tree.lines() == [f"{S}:{where}: error[PK104] invalid date {value!r}"]


@pytest.mark.parametrize("value", ["2016-02-30", "2016-9", "2016-09-1", "16-09"])
def test_by_date_limit_dates(tree: Tree, value: str) -> None:
    tree.edit("limit: {unit: working_days, value: 3}", f"limit: {{unit: by_date, date: {value}}}")
    assert tree.lines() == [f"{S}:58:34: error[PK104] invalid date {value!r}"]


def test_by_date_limit_accepts_a_month(tree: Tree) -> None:
    tree.edit(CLOCK_LIMIT, "limit: {unit: by_date, date: 2016-09}\n    answers: "
              "transfer-system-deadline")
    assert tree.lines() == []


def test_yaml_1_1_spellings_stay_text_in_text_fields(tree: Tree) -> None:
    tree.edit("    what: 组织培训", "    what: NO")
    tree.edit("    unit: 学时", "    unit: 1:30")
    kb, report = check_policies(Path("policies"))
    assert report.sorted() == [] and kb is not None
    quota = kb.document_by_id["sample"].spec.quotas[0]
    assert (quota.what, quota.unit) == ("NO", "1:30")


def test_empty_required_field_points_at_its_key(tree: Tree) -> None:
    tree.edit("jurisdiction: jinhu\nkind", "jurisdiction:\nkind")
    assert tree.lines() == [f"{S}:7:1: error[PK102] field 'jurisdiction' is required"]


def test_missing_required_field_points_at_its_parent(tree: Tree) -> None:
    tree.edit("    what: 组织培训\n", "")
    assert tree.lines() == [f"{S}:74:5: error[PK102] field 'what' is required"]


def test_wrong_shapes_are_named_in_words(tree: Tree) -> None:
    tree.edit("kind: mechanism", "kind: [mechanism]")
    tree.edit("    actors: [county-dept]", "    actors: county-dept")
    tree.edit("  - id: s2\n    number: 二、\n", "  - id: s2\n    number: 二、\n    children: {}\n")
    assert tree.lines() == [
        f"{S}:8:7: error[PK103] kind: expected 'mechanism', 'implementing-opinion', "
        "'guiding-opinion' or 'work-report' (got a list)",
        f"{S}:32:15: error[PK103] provisions.1.children: expected a list (got a mapping)",
        f"{S}:77:13: error[PK103] quotas.0.actors: expected a list (got 'county-dept')",
    ]


def test_a_value_in_chinese_quotation_marks_is_kept_with_a_warning(tree: Tree) -> None:
    """An alias “X” is real text: a warning, and the value reaches the site unchanged."""
    tree.edit("    aliases: [县级部门]\n", "    aliases: [县级部门, “X”]\n")
    kb, report = check_policies(Path("policies"))
    assert [d.format().split("\n")[0] for d in report.sorted()] == [
        f"{S}:41:21: warning[PK303] Chinese quotation marks “…” around the whole value; YAML "
        "keeps them as part of the text"
    ]
    assert kb is not None
    assert kb.document_by_id["sample"].spec.actors[1].aliases == ["县级部门", "“X”"]
    tree.edit("    aliases: [县级部门, “X”]\n", "    aliases: [县级部门, '“X”']\n")  # on purpose
    assert tree.lines() == []


def test_text_that_yaml_read_as_a_list_says_why(tree: Tree) -> None:
    tree.edit("title: 金湖县镇街与县级部门执法协作机制", "title: [试行]")
    _, report = check_policies(Path("policies"))
    assert [d.format() for d in report.sorted()] == [
        f"{S}:2:8: error[PK103] title: expected text (got a list)\n  hint: a value starting with "
        "'[' or '{' is read as a list or a mapping: put text that starts with a bracket in "
        "quotes, e.g. title: \"[试行]办法\""
    ]


def test_unknown_field_hint_suggests_the_closest_field(tree: Tree) -> None:
    tree.edit("    what: 组织培训", "    what: 组织培训\n    scop: 每个镇")
    _, report = check_policies(Path("policies"))
    (d,) = report.sorted()
    assert d.format().split("\n")[0] == f"{S}:78:5: error[PK101] unknown field 'scop'"
    assert d.hint.startswith("did you mean 'scope'? allowed here: actors, answers, applies_to,")


def test_graphviz_attributes_are_unknown_fields(tree: Tree) -> None:
    tree.edit("{id: send, actor: township, label: 移送,",
              "{id: send, actor: township, URL: x, stylesheet: y, image: /etc/passwd, label: 移送,")
    assert tree.lines() == [
        f"{S}:91:37: error[PK101] unknown field 'URL'",
        f"{S}:91:45: error[PK101] unknown field 'stylesheet'",
        f"{S}:91:60: error[PK101] unknown field 'image'",
    ]


# --- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Policy-A", "upper-case letter 'P'; ids are lower case ('policy-a')"),
        ("a_b", "character '_' is not allowed; use lower-case ASCII letters, digits and single "
                "hyphens, at most 64 characters"),
        ("ｐolicy-a", "character 'ｐ' (U+FF50 FULLWIDTH LATIN SMALL LETTER P) is not allowed; "
                     "use lower-case ASCII letters, digits and single hyphens, at most 64 "
                     "characters"),
        ("a--b", "a hyphen at the start or end, or two in a row; use lower-case ASCII letters, "
                 "digits and single hyphens, at most 64 characters"),
        ("a" * 65, "65 characters; at most 64"),
        ("", "it is empty; use lower-case ASCII letters, digits and single hyphens, at most 64 "
             "characters"),
    ],
)
def test_explain_id(value: str, reason: str) -> None:
    assert explain_id(value).endswith(reason)
    assert explain_id(value).startswith("invalid id ")


def test_explain_id_accepts_valid_and_refuses_every_reserved_name() -> None:
    assert explain_id("jinhu-2021-coordination") == ""
    for name in RESERVED_IDS:
        assert explain_id(name).endswith("the name is reserved (it would collide with a site file)")


def test_fold_id_joins_case_width_and_normal_forms() -> None:
    assert fold_id("Policy-A") == fold_id("policy-a") == fold_id("ｐｏｌｉｃｙ-ａ")
    assert fold_id(unicodedata.normalize("NFD", "café")) == fold_id("café")


def test_invalid_id_in_a_fact_still_checks_the_rest_of_the_document(tree: Tree) -> None:
    tree.edit("  - id: training-hours", "  - id: Training_Hours")
    tree.edit("    quote: 应在3个工作日内移送县级部门\nclocks", "    quote: 不在原文\nclocks")
    assert tree.lines() == [
        f"{S}:50:12: error[PK203] quote not found verbatim in provision "
        "'s1-1': '不在原文'",
        f"{S}:74:9: error[PK105] invalid id 'Training_Hours': upper-case letter 'T'; ids are "
        "lower case ('training_hours')",
    ]


# --- all problems at once; only some files -----------------------------------------------------


def test_five_different_problems_give_five_lines(tree: Tree) -> None:
    tree.edit("id: sample\n", "id: sample\ncolour: red\n")  # +1 line from here on
    tree.edit("  published: 2021-03-05", "  published: 2021-02-05")
    tree.edit("    actors: [township]\n    role", "    actors: [townsip]\n    role")
    tree.edit("    value: 60\n", "    value: 060\n")
    tree.edit("    quote: 《金湖县行政执法协调办法》", "    quote: 《金湖县行政执法协调规定》")
    assert tree.lines() == [
        f"{S}:2:1: error[PK101] unknown field 'colour'",
        f"{S}:13:14: error[PK205] published 2021-02-05 before issued 2021-03-01",
        f"{S}:45:14: error[PK202] unknown actor 'townsip'",
        f"{S}:79:12: error[PK103] quotas.0.value: expected a whole number written in digits "
        "(got '060')",
        f"{S}:102:12: error[PK203] quote not found verbatim in provision "
        "'s2': '《金湖县行政执法协调规定》'",
    ]


def test_a_fact_with_a_format_problem_is_cross_checked_once_it_is_fixed(tree: Tree) -> None:
    # the granularity of partial checking is the item: this quota's quote waits for its value
    tree.edit("    value: 60\n", "    value: 060\n")
    tree.edit("    quote: 每年组织培训不少于60学时", "    quote: 每年组织培训不少于80学时")
    assert [x.split(" error")[1][:7] for x in tree.lines()] == ["[PK103]"]
    tree.edit("    value: 060\n", "    value: 60\n")
    assert [x.split(" error")[1][:7] for x in tree.lines()] == ["[PK203]"]


def test_only_reports_the_requested_file_but_still_resolves_across_files(tree: Tree) -> None:
    tree.edit("title: 金湖县行政执法协调办法", "title: 金湖县行政执法协调办法\nbad: 1",
              "documents/measures.yaml")
    tree.edit("    quote: 每年组织培训不少于60学时", "    quote: 每年组织培训不少于80学时")
    assert len(tree.lines()) == 2
    assert tree.lines([Path("policies/documents/sample.yaml")]) == [
        f"{S}:83:12: error[PK203] quote not found verbatim in provision "
        "'s2': '每年组织培训不少于80学时'"
    ]
    assert tree.lines([Path("policies/documents/measures.yaml")]) == [
        "policies/documents/measures.yaml:3:1: error[PK101] unknown field 'bad'"
    ]


def test_diagnostics_do_not_depend_on_file_creation_order(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = []
    for order in (["a", "b", "c"], ["c", "a", "b"]):
        base = tmp_path / "".join(order)
        base.mkdir()
        monkeypatch.chdir(base)
        tree = Tree(base)
        for name in order:
            tree.write(f"documents/{name}.yaml", tree.read().replace("id: sample", f"id: {name}x")
                       .replace("quote: 移送县级部门}", "quote: 移送县级部门了}"))
        outputs.append(tree.lines())
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 3  # a, b and c each quote once wrongly


# --- implausible dates (PK107): judged against the day of the check -----------------------------

TODAY = dt.date(2025, 6, 1)


def lines_on(today: dt.date) -> list[str]:
    _, report = check_policies(Path("policies"), today=today)
    return [d.format().split("\n")[0] for d in report.sorted()]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  issued: 2021-03-01", "  issued: 1949-09-30",
         f"{S}:11:11: error[PK107] issued 1949-09-30 is before 1949-10-01"),
        ("  issued: 2021-03-01", "  issued: 1949-10-01", None),
        ("  published: 2021-03-05", "  published: 2025-06-03",
         f"{S}:12:14: error[PK107] published 2025-06-03 is in the future"),
        ("  published: 2021-03-05", "  published: 2025-06-02", None),  # a day of grace
        ("  retrieved: 2024-01-02", "  retrieved: 2099-01-02",
         f"{S}:17:14: error[PK107] retrieved 2099-01-02 is in the future"),
        ("  retrieved: 2024-01-02", "  retrieved: 2024-01-02\n  verified: 2025-06-03",
         f"{S}:18:13: error[PK107] verified 2025-06-03 is in the future"),
        ("  retrieved: 2024-01-02", "  retrieved: 2024-01-02\n  verified: 2025-06-02", None),
        # effective: up to 366 days after the later of issued (03-01) and published (03-05)
        ("  effective: null", "  effective: 2022-03-06", None),
        ("  effective: null", "  effective: 2022-03-07",
         f"{S}:13:14: error[PK107] effective 2022-03-07 is more than a year after the "
         "document's date (2021-03-05)"),
        # a by_date deadline: at most 30 years after that date
        (CLOCK_LIMIT, f"limit: {{unit: by_date, date: 2051-03}}\n{BY_DATE_ANSWER}", None),
        (CLOCK_LIMIT, f"limit: {{unit: by_date, date: 2051-04}}\n{BY_DATE_ANSWER}",
         f"{S}:58:34: error[PK107] by_date deadline 2051-04 is more than 30 years after the "
         "document's date (2021-03-05)"),
        (CLOCK_LIMIT, f"limit: {{unit: by_date, date: 1949-09}}\n{BY_DATE_ANSWER}",
         f"{S}:58:34: error[PK107] deadline 1949-09 is before 1949-10-01"),
        ("        limit: {unit: hours, value: 24}\n        answers: transfer-urgent-deadline",
         "        limit: {unit: by_date, date: 2201-01}\n"
         "        answers: transfer-system-deadline",
         f"{S}:62:38: error[PK107] by_date deadline 2201-01 is more than 30 years after the "
         "document's date (2021-03-05)"),
    ],
)
def test_implausible_dates_at_their_line(
    tree: Tree, old: str, new: str, expected: str | None
) -> None:
    tree.edit(old, new)
    assert lines_on(TODAY) == ([expected] if expected else [])


def test_without_issued_or_published_an_effective_date_is_judged_from_today(tree: Tree) -> None:
    tree.edit("  issued: 2021-03-01\n  published: 2021-03-05\n  effective: null",
              "  issued: null\n  published: null\n  effective: 2026-06-03")
    tree.edit("  retrieved: 2024-01-02", "  retrieved: null")
    assert lines_on(TODAY) == [
        f"{S}:13:14: error[PK107] effective 2026-06-03 is more than a year after today"
    ]
    assert lines_on(dt.date(2025, 6, 2)) == []


def test_the_year_2201_and_2099_are_refused_today(tree: Tree) -> None:
    """The issue's own examples, against the real date: 2201 broke mkdocs' sitemap writer."""
    tree.edit("  issued: 2021-03-01\n  published: 2021-03-05",
              "  issued: 2201-03-01\n  published: 2099-03-05")
    assert [x for x in tree.lines() if "PK107" in x] == [
        f"{S}:11:11: error[PK107] issued 2201-03-01 is in the future",
        f"{S}:12:14: error[PK107] published 2099-03-05 is in the future",
    ]


def test_dates_are_judged_outside_the_check_cache(tree: Tree, tmp_path: Path) -> None:
    """A cached check stays valid tomorrow, when a date that was in the future no longer is."""
    from generator.runtime.cache import BuildCache

    tree.edit("  published: 2021-03-05", "  published: 2025-06-05")
    cache = BuildCache(tmp_path / "cache")
    _, before = check_policies(Path("policies"), cache=cache, today=TODAY)
    _, after = check_policies(Path("policies"), cache=cache, today=dt.date(2025, 6, 4))
    assert cache.hits > 0
    assert [d.code for d in before.sorted()] == ["PK107"]
    assert after.sorted() == []


# --- procedures: chart limits (PK109), duplicates (PK209), end steps (PK204) --------------------


def test_chart_limits_are_the_constants_of_the_format() -> None:
    from generator.source import schema

    assert (schema.MAX_PROCEDURE_STEPS, schema.MAX_STEP_LABEL, schema.MAX_EDGE_CONDITION) == (
        60, 20, 30)


@pytest.mark.parametrize(("length", "ok"), [(20, True), (21, False)])
def test_step_label_length(tree: Tree, length: int, ok: bool) -> None:
    tree.edit("label: 移送,", f"label: {'移' * length},")
    assert tree.lines() == ([] if ok else [
        f"{S}:91:44: error[PK109] step label is {length} characters; at most 20"])


@pytest.mark.parametrize(("length", "ok"), [(30, True), (31, False)])
def test_edge_condition_length(tree: Tree, length: int, ok: bool) -> None:
    tree.edit("      - {from: send, to: done}", f"      - {{from: send, to: done, condition: "
              f"{'急' * length}}}")
    assert tree.lines() == ([] if ok else [
        f"{S}:95:43: error[PK109] edge condition is {length} characters; at most 30"])


def _chain(steps: int) -> str:
    """A procedure of ``steps`` steps in one line of edges."""
    body = ["    steps:\n"]
    for i in range(steps):
        kind = ", kind: start" if i == 0 else ", kind: end" if i == steps - 1 else ""
        body.append(f"      - {{id: s{i}, actor: township{kind}, label: 第{i}步, "
                    "provision: s1-1, quote: 移送县级部门}\n")
    body.append("    edges:\n")
    body += [f"      - {{from: s{i}, to: s{i + 1}}}\n" for i in range(steps - 1)]
    return "".join(body)


@pytest.mark.parametrize(("steps", "ok"), [(60, True), (61, False)])
def test_steps_per_procedure(tree: Tree, steps: int, ok: bool) -> None:
    text = tree.read()
    start = text.index("    steps:\n", text.index("procedures:"))
    end = text.index("citations:")
    tree.write(SAMPLE, text[:start] + _chain(steps) + text[end:])
    expected = [] if ok else [
        f"{S}:150:9: error[PK109] procedure has 61 steps; at most 60 (this is step 61)"]
    assert tree.lines() == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    lanes: [township, county-dept]", "    lanes: [township, township, county-dept]",
         f"{S}:88:23: error[PK209] lane 'township' listed twice (first at column 13)"),
        ("      - {from: send, to: done}\n",
         "      - {from: send, to: done}\n      - {from: send, to: done}\n",
         f"{S}:96:9: error[PK209] edge send → done listed twice (first at line 95)"),
        ("      - {from: send, to: done}\n",
         "      - {from: send, to: done, condition: 是}\n      - {from: send, to: done, "
         "condition: 是, clock: transfer-clock}\n",
         f"{S}:96:9: error[PK209] edge send → done (是) listed twice (first at line 95)"),
        ("      - {from: send, to: done}\n",  # another condition: another edge
         "      - {from: send, to: done, condition: 是}\n      - {from: send, to: done, "
         "condition: 否}\n", None),
        ("    actors: [township]\n    role", "    actors: [township, township]\n    role",
         f"{S}:44:24: error[PK209] actor 'township' listed twice (first at column 14)"),
        ("    recipient: [county-dept]", "    recipient: [county-dept, county-dept]",
         f"{S}:55:30: error[PK209] recipient 'county-dept' listed twice (first at column 17)"),
        ("    actors: [county-dept]\n    what", "    actors: [county-dept, county-dept]\n    what",
         f"{S}:76:27: error[PK209] actor 'county-dept' listed twice (first at column 14)"),
        ("        quote: 情况紧急的，应在24小时内移送\n",
         "        quote: 情况紧急的，应在24小时内移送\n      - when: 情况紧急\n"
         "        limit: {unit: immediately}\n        quote: 情况紧急的，应在24小时内移送\n",
         f"{S}:65:9: error[PK209] variant '情况紧急' listed twice (first at line 61)"),
    ],
)
def test_entries_listed_twice(tree: Tree, old: str, new: str, expected: str | None) -> None:
    tree.edit(old, new)
    assert tree.lines() == ([expected] if expected else [])


def test_edge_leaving_an_end_step(tree: Tree) -> None:
    tree.edit("      - {from: send, to: done}\n",
              "      - {from: send, to: done}\n      - {from: done, to: send}\n")
    assert tree.lines() == [f"{S}:96:16: error[PK204] edge leaves end step 'done'"]


# --- quotes: one part of one provision (PK203), long enough (PK210) -----------------------------


def test_quote_running_from_heading_into_text(tree: Tree) -> None:
    tree.edit("        number: （一）\n", "        number: （一）\n        heading: 移送时限。\n")
    tree.edit("    quote: 应在3个工作日内移送县级部门\nclocks",
              "    quote: 移送时限。镇街发现\nclocks")
    assert tree.lines() == [
        f"{S}:51:12: error[PK203] quote runs from the heading into the text of provision "
        "'s1-1': '移送时限。镇街发现'"
    ]


@pytest.mark.parametrize(("quote", "ok"), [
    ("，", False), ("的", False), ("24", False), ("3个", False), (" 县 ", False),
    ("移送", True), ("24小时", True), ("发现违法", True),
])
def test_quote_minimum(tree: Tree, quote: str, ok: bool) -> None:
    tree.edit("    quote: 应在3个工作日内移送县级部门\nclocks", f"    quote: '{quote}'\nclocks")
    assert tree.lines() == ([] if ok else [
        f"{S}:50:12: error[PK210] quote {quote!r} is too short to prove a fact"])


def test_quote_minimum_counts_letters_and_digits() -> None:
    from generator.source.quotes import too_short

    assert too_short("ab1") and not too_short("ab12") and not too_short("GB/T2260")
    assert too_short("县") and not too_short("县级") and too_short("，。；") and too_short("")


def test_heading_and_text_quoted_on_their_own(tree: Tree) -> None:
    tree.edit("    quote: 每年组织培训不少于60学时\n", "    quote: 每年组织培训不少于60学时\n")
    tree.edit("        number: （一）\n", "        number: （一）\n        heading: 移送时限。\n")
    tree.edit("    quote: 应在3个工作日内移送县级部门\nclocks", "    quote: 移送时限\nclocks")
    assert tree.lines() == []


def test_nested_duplicate_provision_is_reported_once_and_quotes_use_the_first(
    tree: Tree,
) -> None:
    """Before: the later provision won, and every quote of the first one failed (3 lines)."""
    tree.edit("    text: 县级部门每年组织培训不少于60学时。依据《金湖县行政执法协调办法》执行。\n",
              "    text: 县级部门每年组织培训不少于60学时。依据《金湖县行政执法协调办法》执行。\n"
              "    children:\n      - id: s1-1\n        text: 另一段文字。\n")
    assert tree.lines() == [
        f"{S}:34:13: error[PK201] duplicate provision id 's1-1' (first defined at line 24)"
    ]


# --- digits (PK108): ASCII only, in every typed field -------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  issued: 2021-03-01", "  issued: ２０２１-０３-０１",
         f"{S}:11:11: error[PK108] dates.issued: full-width digits in '２０２１-０３-０１'"),
        ("  retrieved: 2024-01-02", "  retrieved: ٢٠٢٤-01-02",
         f"{S}:17:14: error[PK108] source.retrieved: Arabic-Indic digits in '٢٠٢٤-01-02'"),
        ("limit: {unit: working_days, value: 3}", "limit: {unit: working_days, value: ５}",
         f"{S}:58:40: error[PK108] clocks.0.limit.value: full-width digits in '５'"),
        ("    value: 60\n", "    value: ۶0\n",
         f"{S}:78:12: error[PK108] quotas.0.value: Extended Arabic-Indic digits in '۶0'"),
        ("clock: transfer-clock, variant: 0}", "clock: transfer-clock, variant: ０}",
         f"{S}:94:65: error[PK108] procedures.0.edges.0.variant: full-width digits in '０'"),
        ("limit: {unit: working_days, value: 3}", "limit: {unit: by_date, date: ２０１６-０９}",
         f"{S}:58:34: error[PK108] clocks.0.limit.date: full-width digits in '２０１６-０９'"),
    ],
)
def test_non_ascii_digits(tree: Tree, old: str, new: str, expected: str) -> None:
    tree.edit(old, new)
    assert tree.lines() == [expected]


def test_non_ascii_digits_hint_gives_the_ascii_spelling(tree: Tree) -> None:
    tree.edit("code: \"320831\"", "code: \"３２０８３१\"", "registries/jurisdictions.yaml")
    _, report = check_policies(Path("policies"))
    assert [d.format() for d in report.sorted()] == [
        f"{J}:4:66: error[PK108] jurisdictions.2.code: full-width and Devanagari digits in "
        "'３２０８３१'\n  hint: write ASCII digits: '320831' (switch the input method to "
        "half-width, 半角, before typing numbers and dates)"
    ]


# --- registries with a problem: no cascade (PK202), hints naming the registry (PK010) -----------


def test_registry_with_a_bad_entry_does_not_make_its_ids_unknown(tree: Tree) -> None:
    tree.edit("    question: 谁负责培训，有多少学时要求？\n", "", "registries/topics.yaml")
    tree.edit("    topic: case-transfer\n    what: 移送违法线索",
              "    topic: dispute\n    what: 移送违法线索")
    _, report = check_policies(Path("policies"))
    assert [d.format() for d in report.sorted()] == [
        f"{S}:46:12: error[PK202] unknown topic 'dispute'\n"
        "  hint: registries/topics.yaml has problems (reported with it); fix them first",
        "policies/registries/topics.yaml:6:5: error[PK102] field 'question' is required\n"
        "  hint: give topics.1.question a value (write null only where the format allows it)",
    ]


def test_registry_under_a_misspelt_key_still_defines_its_ids(tree: Tree) -> None:
    tree.edit("topics:\n", "topic:\n", "registries/topics.yaml")
    assert tree.lines() == [
        "policies/registries/topics.yaml:2:1: error[PK101] unknown field 'topic'",
        "policies/registries/topics.yaml:2:1: error[PK102] field 'topics' is required",
    ]


@pytest.mark.parametrize(("content", "line"), [
    ("", "policies/registries/topics.yaml: error[PK010] the file is empty\n  hint: a registry "
     "file holds one list under 'topics:'; start the file with 'topics:' and list the entries "
     "under it"),
    ("- id: case-transfer\n", "policies/registries/topics.yaml:1:1: error[PK010] the top level "
     "must be a mapping\n  hint: start the file with 'topics:' and indent the entries under it"),
])
def test_registry_without_its_list_gets_a_hint_naming_its_key(
    tree: Tree, content: str, line: str
) -> None:
    tree.write("registries/topics.yaml", content)
    _, report = check_policies(Path("policies"))
    assert [d.format() for d in report.sorted()] == [line]


# --- the codebook: answers, attribution, qualifiers (PK211-PK214), prose (PK304) -----------------

Q = "policies/registries/questions.yaml"


def test_a_question_of_an_unknown_topic_is_located_in_the_registry(tree: Tree) -> None:
    tree.edit("  - id: transfer-actor\n    topic: case-transfer",
              "  - id: transfer-actor\n    topic: case-transfr", "registries/questions.yaml")
    assert tree.lines() == [f"{Q}:22:12: error[PK202] unknown topic 'case-transfr'"]


def test_the_direction_of_stricter_must_fit_the_kind_of_answer(tree: Tree) -> None:
    tree.edit("    kind: actor\n    stricter: none", "    kind: actor\n    stricter: shorter",
              "registries/questions.yaml")
    (line,) = tree.lines()
    assert line.startswith(f"{Q}:21:5: error[PK103] ") and "stricter 'shorter' does not fit " \
        "questions of kind 'actor'; use none" in line


def test_an_unknown_question_in_a_variant_is_a_located_reference(tree: Tree) -> None:
    tree.edit("        answers: transfer-urgent-deadline", "        answers: transfer-urgent")
    assert tree.lines() == [f"{S}:63:18: error[PK202] unknown question 'transfer-urgent'"]


def test_editorial_attribution_and_its_reason_go_together(tree: Tree) -> None:
    tree.edit("    answers: transfer-actor\n",
              "    answers: transfer-actor\n    attribution: editorial\n")
    assert [x.split(" error")[1][:7] for x in tree.lines()] == ["[PK103]"]
    tree.edit("    attribution: editorial\n", "    attribution_reason: 原文无主语\n")
    (line,) = tree.lines()
    assert "attribution_reason is for editorial attributions only" in line


def test_an_actor_not_named_needs_a_declared_editorial_attribution(tree: Tree) -> None:
    tree.edit("    aliases: [镇街]\n", "")
    assert tree.lines() == [
        f"{S}:43:14: error[PK213] actor 'township' (镇（街道）) is not named in provision 's1-1'",
        f"{S}:53:14: error[PK213] actor 'township' (镇（街道）) is not named in provision 's1-1'",
    ]
    tree.edit("    answers: transfer-actor\n", "    answers: transfer-actor\n"
              "    attribution: editorial\n    attribution_reason: 原文为“镇街”\n")
    tree.edit("    answers: transfer-deadline\n", "    answers: transfer-deadline\n"
              "    attribution: editorial\n    attribution_reason: 原文为“镇街”\n")
    assert tree.lines() == []


def test_applies_to_tells_two_answers_of_one_document_apart(tree: Tree) -> None:
    second = ("quotas:\n  - id: town-hours\n    topic: training-guidance\n    what: 培训\n"
              "    value: 60\n    unit: 学时\n    answers: training-hours\n"
              "    applies_to: 镇\n    provision: s2\n    quote: 每年组织培训不少于60学时\n")
    tree.edit("quotas:\n", second)
    assert tree.lines() == [
        f"{S}:90:14: error[PK212] question 'training-hours' is answered twice in this document "
        "(first by the quota at line 74)"]
    tree.edit("    answers: training-hours\n    provision: s2\n    quote: 每年组织培训不少于60学时",
              "    answers: training-hours\n    applies_to: 镇\n    provision: s2\n"
              "    quote: 每年组织培训不少于60学时")
    assert tree.lines() == [
        f"{S}:90:14: error[PK212] question 'training-hours' is answered twice in this document "
        "(first by the quota at line 74), both for '镇'"]
    tree.edit("    per: year\n    answers: training-hours\n    applies_to: 镇\n",
              "    per: year\n    answers: training-hours\n    applies_to: 街道\n")
    assert tree.lines() == []


def test_a_qualifier_is_a_word_of_the_quote(tree: Tree) -> None:
    tree.edit("    answers: transfer-deadline\n",
              "    answers: transfer-deadline\n    qualifier: in_principle\n")
    assert tree.lines() == [
        f"{S}:60:16: error[PK214] qualifier 'in_principle' (原则上/原則上) is not in the quote"]
    tree.edit("应在3个工作日内移送县级部门，情况紧急的",
              "原则上应在3个工作日内移送县级部门，情况紧急的")
    tree.edit("    provision: s1-1\n    quote: 应在3个工作日内移送县级部门\nquotas:",
              "    provision: s1-1\n    quote: 原则上应在3个工作日内移送县级部门\nquotas:")
    assert tree.lines() == []


def test_a_clock_answers_by_its_limit_and_an_uncapped_extension_answers_a_duration(
        tree: Tree) -> None:
    tree.edit("      max: {unit: working_days, value: 10}\n", "")
    assert tree.lines() == []  # 可适当延长 without a cap still answers "how long at most"
    tree.edit("    answers: transfer-deadline\n", "    answers: transfer-system-deadline\n")
    (line,) = tree.lines()
    assert "clock answers 'transfer-system-deadline', a deadline question; its limit " \
        "(working_days) answers duration questions" in line


@pytest.mark.parametrize(("text", "run"), [
    ("Issuer: the text carries no closing lines", "Issuer: the text"),
    ("the text states none; doc_number is null", "the text states"),
    ("The “Y” of the model, on call", "of the model"),
])
def test_three_latin_words_in_a_row_are_not_chinese(text: str, run: str) -> None:
    from generator.source.prose import latin_run

    assert latin_run(text) == run


@pytest.mark.parametrize("text", [
    "依据苏办发〔2018〕26号文件，见 https://example.org/a/b/c?x=the-long-path",
    "status 记为 unknown，dates.effective 留空",  # schema words, but never three in a row
    "“1+X+Y”运行模式，按 GB/T 2260 编码，PDF 和 WPS 文件",
    "每年不少于60学时（s2-2-5），XLSX、CSV、JSON 三种格式",
    "App 与 Web 端",
    "由 benchmarks/synth.py 合成，见 dates.effective 和 source.url",
])
def test_ids_urls_document_numbers_and_abbreviations_stay_chinese(text: str) -> None:
    from generator.source.prose import latin_run

    assert latin_run(text) is None


def test_reader_facing_prose_in_english_is_a_warning_where_it_is_written(tree: Tree) -> None:
    tree.edit("    what: 移送违法线索", "    what: transfer the case file")
    tree.edit("    name: 年度培训学时", "    name: hours of training", "registries/questions.yaml")
    assert tree.lines() == [
        f"{S}:47:11: warning[PK304] what: readers see this text, and it is not Chinese: "
        "'transfer the case'",
        f"{Q}:29:11: warning[PK304] name: readers see this text, and it is not Chinese: "
        "'hours of training'",
    ]


def test_quotes_provisions_and_titles_as_printed_are_not_prose(tree: Tree) -> None:
    """What the source says is kept as printed, even in English: only editorial text is
    checked."""
    tree.edit("title: 金湖县镇街与县级部门执法协作机制", "title: Rules of the county office")
    tree.edit("        text: 县级部门应当及时书面告知受理情况。",
              "        text: 县级部门应当及时书面告知受理情况。 See the county rules here.")
    assert [x for x in tree.lines() if "PK304" in x] == []
