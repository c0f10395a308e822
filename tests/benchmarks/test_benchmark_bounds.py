"""The benchmark's cases at the input limits pass the checker and sit at the limits."""

from __future__ import annotations

import shutil
import string
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bounds import (  # noqa: E402
    CASES,
    MAX_PROCEDURE_STEPS,
    MAX_STEP_LABEL,
    REGISTRIES,
    case_document,
)
from generator.domain.model import KnowledgeBase  # noqa: E402
from generator.pipeline import load_knowledge_base  # noqa: E402
from generator.source.yaml_loader import MAX_FILE_BYTES  # noqa: E402

#: Builds whole sites (mkdocs, dot, Pagefind) or synthetic knowledge bases.
pytestmark = pytest.mark.slow



def _checked(tmp_path: Path, name: str) -> tuple[bytes, KnowledgeBase]:
    shutil.copytree(REGISTRIES, tmp_path / "registries")
    data, _ = case_document(name)
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "case.yaml").write_bytes(data)
    kb, report = load_knowledge_base(tmp_path)
    assert kb is not None, "\n".join(d.format() for d in report.sorted())
    assert not report.warnings, [d.format() for d in report.warnings]
    return data, kb


@pytest.mark.parametrize("name", list(CASES))
def test_every_case_passes_the_checker(tmp_path: Path, name: str) -> None:
    _checked(tmp_path, name)


def test_the_provision_fills_the_file_size_cap(tmp_path: Path) -> None:
    data, kb = _checked(tmp_path, "provision")
    assert MAX_FILE_BYTES - 64 <= len(data) <= MAX_FILE_BYTES
    text = kb.documents[0].provisions[0].text or ""
    assert set(text) == set(string.punctuation)
    assert len(text) == case_document("provision")[1]["provision_chars"] > 900_000


def test_the_procedure_is_at_the_step_and_label_caps(tmp_path: Path) -> None:
    _, kb = _checked(tmp_path, "procedure")
    (procedure,) = kb.documents[0].procedures
    labels = [step.label for step in procedure.steps]
    assert len(labels) == MAX_PROCEDURE_STEPS
    assert {len(label) for label in labels} == {MAX_STEP_LABEL}
    assert len(set(labels)) == len(labels)
    assert len(procedure.lanes) == 4
