"""A knowledge base for the 案件去向 guide's tests: kb-mini plus what it lacks.

- ``jiangsu-mini``: a province-level copy of jinhu-mini, so that 金湖县 has two applicable
  documents (its own, more specific, and its province's) and 盱眙县 (added to the registry,
  without documents) falls back to the province's.
- ``routing-mini`` (tests/fixtures/routing/): procedures of every shape the guide handles.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KB_MINI = ROOT / "tests" / "fixtures" / "kb-mini"
ROUTING_DOC = ROOT / "tests" / "fixtures" / "routing" / "routing-mini.yaml"
#: A county of 淮安市 without documents of its own.
NO_DOCUMENTS = '  - {id: xuyi, name: 盱眙县, level: county, parent: huaian, code: "320830"}\n'


def province_copy(jinhu: str) -> str:
    """jinhu-mini as the province's document (same text and facts, another place and id)."""
    text = jinhu.replace("id: jinhu-mini", "id: jiangsu-mini")
    text = text.replace("jurisdiction: jinhu", "jurisdiction: jiangsu")
    return text.replace("title: 金湖县镇街综合行政执法协调联动机制（节选）",
                        "title: 江苏省镇街综合行政执法协调联动机制（测试）")


def routing_policies(dest: Path) -> Path:
    """Write the policies into ``dest`` (a new folder) and return it."""
    shutil.copytree(KB_MINI, dest)
    documents = dest / "documents"
    jinhu = (documents / "jinhu-mini.yaml").read_text(encoding="utf-8")
    (documents / "jiangsu-mini.yaml").write_text(province_copy(jinhu), encoding="utf-8")
    shutil.copy2(ROUTING_DOC, documents / ROUTING_DOC.name)
    registry = dest / "registries" / "jurisdictions.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + NO_DOCUMENTS, encoding="utf-8")
    return dest
