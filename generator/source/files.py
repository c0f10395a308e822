"""Where the policy files are: the folder layout, paths as the user types them, strays.

A file placed where the loader does not look (``documents/sub/x.yaml``, ``x.yml``, a document at
the top of the policies folder) is named as a warning, so that nothing is silently left out.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.diagnostics import Diagnostic, SourceLocation, diag

REGISTRY_DIR = "registries"
DOCUMENT_DIR = "documents"
#: Registry key → file name in ``registries/``.
REGISTRY_NAMES = {
    "jurisdictions": "jurisdictions.yaml",
    "actor_types": "actor-types.yaml",
    "topics": "topics.yaml",
    "questions": "questions.yaml",
}


def display_path(path: Path) -> str:
    """Path as the user would type it: relative to the working directory when possible.

    Bytes of a file name that are not UTF-8 (a name saved by a GBK system: 部 is b'\\xb2\\xbf')
    are shown as escapes such as ``\\xb2\\xbf``, so that the user can tell which file it is and
    printing or JSON-encoding a diagnostic can never fail.
    """
    try:  # abspath, not resolve: a symlink is shown under its own name
        shown = Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        shown = path.as_posix()
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def find_root(paths: list[Path]) -> Path | None:
    """The policies folder: the first path (or an ancestor) that holds ``registries/``."""
    for start in paths:
        for candidate in [start, *Path(os.path.realpath(start)).parents]:
            if (candidate / REGISTRY_DIR).is_dir():
                return candidate
    return None



def document_paths(root: Path) -> list[Path]:
    """The document files that are read: ``documents/*.yaml``, sorted."""
    folder = root / DOCUMENT_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("."))


def stray_files(root: Path) -> list[Diagnostic]:
    """Warnings for every file in the policies folder that is not read."""
    return [*_stray_registries(root / REGISTRY_DIR), *_stray_documents(root / DOCUMENT_DIR),
            *_stray_top_level(root)]


_YAML_SUFFIXES = (".yaml", ".yml")


def _is_yaml_name(name: str) -> bool:
    return name.lower().endswith(_YAML_SUFFIXES) and not name.startswith(".")


def _yaml_files_under(folder: Path) -> list[Path]:
    """YAML files anywhere under ``folder`` (links to folders are not followed), sorted."""
    try:
        return sorted(p for p in folder.rglob("*") if _is_yaml_name(p.name))
    except OSError:  # a folder that vanished or cannot be listed: nothing to report in it
        return []


def _ignored(entry: Path, message: str, hint: str) -> Diagnostic:
    return diag("ignored-file", SourceLocation(display_path(entry)), message, hint)


def _misnamed(entry: Path, wanted: str) -> Diagnostic:
    """A .yml or upper-case .YAML file that is meant to be read as ``wanted``."""
    return _ignored(entry, f"not read: named *{entry.suffix}; only files ending in .yaml (lower "
                           "case) are read", f"rename it to {wanted}")


def _stray_documents(folder: Path) -> list[Diagnostic]:
    """Entries of documents/ that are not read: a .yml, a .YAML, a sub-folder, a backup …"""
    found = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.name.startswith(".") or entry.name.endswith(".yaml"):
            continue
        if entry.is_dir():
            inside = _yaml_files_under(entry)
            found += [_ignored(p, f"not read: inside a sub-folder of {DOCUMENT_DIR}/; only files "
                                  f"directly in {DOCUMENT_DIR}/ are read",
                               f"move it to {DOCUMENT_DIR}/{p.stem}.yaml") for p in inside]
            if not inside:
                found.append(_ignored(entry, f"not read: a sub-folder of {DOCUMENT_DIR}/",
                                      "move it out of the policies folder"))
        elif _is_yaml_name(entry.name):
            found.append(_misnamed(entry, entry.name[: -len(entry.suffix)] + ".yaml"))
        else:
            found.append(_ignored(entry, "not read: policy documents are files named *.yaml",
                                  "rename it, or move it out of the policies folder"))
    return found


def _stray_registries(folder: Path) -> list[Diagnostic]:
    """Entries of registries/ other than the registry files (a topics.yml names its mistake)."""
    names = list(REGISTRY_NAMES.values())
    by_stem = {n.removesuffix(".yaml").lower(): n for n in names}
    found = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.name.startswith(".") or entry.name in names:
            continue
        meant = by_stem.get(entry.name.lower().removesuffix(entry.suffix.lower()))
        if meant is not None and _is_yaml_name(entry.name):
            found.append(_misnamed(entry, meant))
        else:
            found.append(_ignored(entry, "not read: the registries are " + ", ".join(names),
                                  "rename it, or move it out of the policies folder"))
    return found


def _stray_top_level(root: Path) -> list[Diagnostic]:
    """YAML files, and folders holding some, at the top of the policies folder (never read)."""
    found = []
    for entry in sorted(root.iterdir()) if root.is_dir() else []:
        if entry.name.startswith(".") or entry.name in (DOCUMENT_DIR, REGISTRY_DIR):
            continue
        if entry.is_dir() and _yaml_files_under(entry):
            found.append(_ignored(entry, f"not read: only {DOCUMENT_DIR}/ and {REGISTRY_DIR}/ "
                                         "are read in the policies folder",
                                  f"move the documents into {DOCUMENT_DIR}/ (is the folder's "
                                  "name misspelt?)"))
        elif entry.is_file() and _is_yaml_name(entry.name):
            registry = entry.name in list(REGISTRY_NAMES.values())
            home = REGISTRY_DIR if registry else DOCUMENT_DIR
            found.append(_ignored(entry, "not read: a file at the top of the policies folder",
                                  f"move it to {home}/{entry.name}"))
    return found


def inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except (ValueError, OSError):
        return False
    return True


def outside_link(name: str) -> Diagnostic:
    return diag("unreadable-file", SourceLocation(name),
                "a link to a file outside the policies folder",
                "copy the file into the policies folder instead of linking to it")


