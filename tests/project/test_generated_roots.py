"""One list of generated roots: the build's, and the same names in mkdocs.yml, the README and
.gitignore (the generated pages are never committed)."""

from __future__ import annotations

from pathlib import Path

from generator.render.links import GENERATED_ROOTS

ROOT = Path(__file__).resolve().parents[2]


def _listed() -> str:
    return ", ".join(r if r.endswith(".md") else f"{r}/" for r in GENERATED_ROOTS)


def test_mkdocs_yml_and_the_readme_name_every_generated_root() -> None:
    listed = _listed()
    for name in ("mkdocs.yml", "README.md"):
        text = " ".join((ROOT / name).read_text(encoding="utf-8").replace("`", "").split())
        assert listed in text.replace("# ", ""), f"{name} must list: {listed}"


def test_every_generated_root_is_git_ignored() -> None:
    ignored = {line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()}
    for root in GENERATED_ROOTS:
        entry = f"/docs/{root}" if root.endswith(".md") else f"/docs/{root}/"
        assert entry in ignored, entry
