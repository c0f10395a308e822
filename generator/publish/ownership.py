"""What a build owns, and the folders it must never replace.

Why: the build swaps whole folders (the site, the generated roots of ``docs/``) and deletes
staging folders left by killed builds.  A mistyped ``--site .`` or ``--site policies`` would
otherwise replace the project, the policies or the hand-written pages with HTML, and a folder that
merely *looks* like a staging folder (``~/.build-tools``) would be deleted.  So every folder the
build creates carries a mark, and nothing without the mark is ever renamed away or deleted:

* a site built here holds ``SITE_MARK`` (which is also the record of that build, see
  ``generator.build``: it is swapped in with the site, so it can never describe another site);
* a staging folder holds ``STAGING_MARK`` from the moment it is created.

``refuse_output_folders`` is the one check the build and the CLI run before anything is
touched; it returns the reason in plain words (the CLI's exit status 2) or None.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: In the root of every site this tool built (JSON: the record of that build).
SITE_MARK = ".policykb-site.json"
#: In every staging folder this tool created.
STAGING_MARK = ".policykb-staging"


def is_own_site(folder: Path) -> bool:
    return (folder / SITE_MARK).is_file()


def is_own_staging(folder: Path) -> bool:
    return (folder / STAGING_MARK).is_file()


@dataclass(frozen=True)
class ProjectFolders:
    """The folders of one build: what it reads (``policies``, the hand-written ``docs``), what it
    keeps (``cache``) and what it replaces (the generated roots of ``docs``, ``site``)."""

    root: Path
    policies: Path
    docs: Path
    site: Path
    cache: Path | None


def _real(path: Path) -> Path:
    """An absolute path with symlinks resolved as far as they exist (never raises)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, RuntimeError, ValueError):
        return Path(os.path.abspath(path))


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _is_empty_folder(path: Path) -> bool:
    try:
        return path.is_dir() and not any(path.iterdir())
    except OSError:
        return False


def _unwritable_parent(path: Path, what: str) -> str | None:
    """Why no folder can be created at ``path`` (None when one can)."""
    parent = path.parent
    while not parent.exists():
        if parent.is_symlink():
            return f"{what} {path} lies under a broken link ({parent})"
        if parent.parent == parent:
            break
        parent = parent.parent
    if not parent.is_dir():
        return f"{what} {path} lies under {parent}, which is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{what} {path} cannot be created: the folder {parent} is read-only"
    return None


def refuse_output_folders(folders: ProjectFolders) -> str | None:
    """Why the build may not write ``folders.site`` or ``folders.docs`` (None when it may).

    The site folder may not be, contain or lie inside the project's own folders (the root
    itself, ``.git``, ``policies``, ``docs``, the cache), and an existing site folder must be
    empty or carry ``SITE_MARK``.  The docs folder (whose generated roots are replaced) may not
    be the project root, ``.git``, the cache, or be, contain or lie inside ``policies``.
    """
    root = _real(folders.root)
    policies = _real(folders.policies)
    docs = _real(folders.docs)
    site = _real(folders.site)
    cache = _real(folders.cache) if folders.cache is not None else None
    git = root / ".git"
    named = [("the project folder", root), ("the project's .git folder", git),
             ("the policies folder", policies), ("the docs folder", docs)]
    if cache is not None:
        named.append(("the build cache", cache))

    for label, protected in named:
        if _within(protected, site):
            where = "is" if protected == site else "contains"
            return (f"refusing to build the site into {folders.site}: it {where} {label} "
                    f"({protected}), which the build would replace; choose a new folder such as "
                    "site/")
        if protected != root and _within(site, protected):
            return (f"refusing to build the site into {folders.site}: it lies inside {label} "
                    f"({protected}); choose a folder of its own such as site/")
    if folders.site.is_symlink() and not folders.site.exists():
        return f"refusing to build the site into {folders.site}: it is a broken link"
    if folders.site.exists():
        if not folders.site.is_dir():
            return (f"refusing to build the site into {folders.site}: it is a file, not a "
                    "folder")
        if not is_own_site(folders.site) and not _is_empty_folder(folders.site):
            return (f"refusing to replace {folders.site}: it is not empty and was not built by "
                    f"policykb (no {SITE_MARK} in it); delete it yourself or choose another "
                    "folder")
    else:
        problem = _unwritable_parent(folders.site, "the site folder")
        if problem:
            return problem

    for label, protected in [("the project folder", root), ("the project's .git folder", git)]\
            + ([("the build cache", cache)] if cache is not None else []):
        if docs == protected:
            return (f"refusing to write generated pages into {folders.docs}: it is {label}; "
                    "use a docs folder of its own such as docs/")
    if _within(docs, policies) or _within(policies, docs):
        return (f"refusing to write generated pages into {folders.docs}: it overlaps the "
                f"policies folder ({policies}); keep docs/ and policies/ apart")
    if _within(docs, site):
        return (f"refusing to write generated pages into {folders.docs}: it lies inside the "
                f"site folder ({site}), which the build replaces")
    if folders.docs.exists() and not folders.docs.is_dir():
        return f"refusing to write generated pages into {folders.docs}: it is a file"
    if not folders.docs.exists():
        return _unwritable_parent(folders.docs, "the docs folder")
    return None
