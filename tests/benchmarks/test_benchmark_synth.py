"""The benchmark's synthesiser: its documents pass the checker, and a seed fixes every byte."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synth import FALLBACK_TEMPLATES, synthesise  # noqa: E402
from generator.pipeline import check_policies  # noqa: E402

#: Builds whole sites (mkdocs, dot, Pagefind) or synthetic knowledge bases.
pytestmark = pytest.mark.slow



def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("templates", [ROOT / "policies", FALLBACK_TEMPLATES],
                         ids=["real-documents", "fixture"])
def test_synthetic_knowledge_base_passes_the_checker(tmp_path: Path, templates: Path) -> None:
    out = tmp_path / "policies"
    manifest = synthesise(15, out, seed=7, templates_root=templates)

    kb, report = check_policies(out)

    assert report.errors == []
    assert kb is not None
    assert len(kb.documents) == 15
    assert manifest["stats"]["documents"] == 15
    levels = {j.level.value for j in kb.jurisdictions}
    assert {"province", "prefecture", "county"} <= levels
    assert len(kb.jurisdictions) > 2000
    codes = [j.code for j in kb.jurisdictions if j.code]
    assert len(codes) == len(set(codes)), "division codes are unique"
    internal = [c for d in kb.documents for c in d.spec.citations if c.document is not None]
    assert internal, "synthetic documents cite one another"
    assert all(c.document in kb.document_by_id for c in internal)


def test_documents_vary(tmp_path: Path) -> None:
    out = tmp_path / "policies"
    synthesise(40, out, seed=11)
    kb, report = check_policies(out)
    assert kb is not None, [d.format() for d in report.errors]
    assert len({d.spec.jurisdiction for d in kb.documents}) > 30
    assert len({d.spec.title for d in kb.documents}) > 20  # some real titles name no place
    assert any(d.spec.script.value == "traditional" for d in kb.documents)
    values = {(c.limit.unit.value, c.limit.value) for d in kb.documents for c in d.spec.clocks}
    assert len(values) > 8, "clock values vary"


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    synthesise(8, tmp_path / "a", seed=5)
    synthesise(8, tmp_path / "b", seed=5)
    synthesise(8, tmp_path / "c", seed=6)

    first, second, other = (_tree(tmp_path / name) for name in "abc")
    assert first == second
    assert first != other


def test_rerun_replaces_previous_documents(tmp_path: Path) -> None:
    out = tmp_path / "policies"
    synthesise(6, out, seed=1)
    synthesise(3, out, seed=1)
    assert len(list((out / "documents").glob("*.yaml"))) == 3
