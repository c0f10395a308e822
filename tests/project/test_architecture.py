"""Dependencies point one way (docs/contributing/architecture.md): each stage imports only the
stages before it, and no module imports itself back through another."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[2] / "generator"

BASE = {"generator", "diagnostics", "vocabulary", "chinese", "runtime", "outfile"}
#: Stage → the stages it may import (besides itself and the base).
ALLOWED = {
    "source": set(),
    "domain": {"source"},
    "deadlines": {"domain"},
    "render": {"domain", "deadlines"},
    "export": {"domain"},
    "publish": {"render"},
    "pipeline": {"source", "domain", "deadlines", "render", "export", "publish"},
    "reference_docs": {"source", "render"},
    "cli": {"source", "domain", "deadlines", "render", "export", "publish", "pipeline",
            "reference_docs"},
}
#: The one place export reads the file format: the JSON Schema it publishes as a download.
EXCEPTIONS = {("generator.export.contract", "generator.source.schema")}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module(path)
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        # importing a package's submodule runs the package's __init__, but that is no edge
        # back to the package's own modules
        names = {n for n in names if not module.startswith(n + ".")}
        found[module] = {n for n in names if n.startswith("generator.")}
    return found


def _stage(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_each_stage_imports_only_the_stages_before_it() -> None:
    modules = _imports()
    wrong = []
    for module, imported in modules.items():
        stage = _stage(module)
        if stage in BASE:
            allowed = BASE
        else:
            assert stage in ALLOWED, f"{module}: a stage the architecture page does not name"
            allowed = BASE | ALLOWED[stage] | {stage}
        for target in imported:
            if target not in modules:
                continue  # a name imported from a module, checked through the module itself
            if _stage(target) not in allowed and (module, target) not in EXCEPTIONS:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_cycles() -> None:
    modules = _imports()
    graph = nx.DiGraph()
    for module, imported in modules.items():
        graph.add_edges_from((module, t) for t in imported if t in modules and t != module)
    assert list(nx.simple_cycles(graph)) == []
