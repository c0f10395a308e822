"""Dirty rebuilds: let mkdocs render only the pages whose Markdown changed, on a copy of the site.

A rebuild whose configuration, generator code and package versions (``build_state``) are those
of the live site's build runs ``mkdocs build --dirty`` on a hard-linked copy of the previous
site; ``tests/publish/test_incremental.py`` proves the result equals a clean build.  The
record of each build (``SITE_MARK`` in the site: the build state and a hash of every docs file)
is written into the staging site and swapped in with it, so it always describes the site beside
it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

from generator.publish.docs import link_or_copy
from generator.publish.ownership import SITE_MARK
from generator.publish.staging import Staging
from generator.render.links import page_url
from generator.runtime.cache import code_fingerprint, content_key

#: Packages whose version changes what mkdocs writes for an unchanged page.
_SITE_PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2",
                  "pygments", "babel")


def build_state(config_file: Path, strict: bool) -> str:
    """Everything besides the Markdown that decides what mkdocs writes for a page."""
    versions = []
    for name in _SITE_PACKAGES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    try:
        config = config_file.read_bytes()
    except OSError:
        config = b""
    # values the configuration takes from the environment (``site_url: !ENV [...]``)
    names = sorted(set(_ENV_TAG.findall(config.decode("utf-8", "replace"))))
    env = [f"{name}={os.environ.get(name, '')}" for name in names]
    return content_key(code_fingerprint(), config, sys.version, str(strict), *versions, *env)


_ENV_TAG = re.compile(r"!ENV\s*\[?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)")


def prepare_dirty_site(
    state: str, site_dir: Path, stage: Staging, sources: dict[str, str]
) -> bool:
    """Copy the previous site into the staging folder for a dirty mkdocs build, if it fits.

    It fits when the site holds the record of a build made with the same ``state`` (the record
    is swapped in with the site, so it always describes the site beside it).  Outputs of docs
    files that no longer exist, or whose *content* differs from the recorded one, are deleted
    from the copy, so mkdocs writes them again: its own test compares modification times, which
    ``cp -p``, ``rsync -a`` or an unpacked archive can leave older than the output.  The search
    index is always made afresh, so it is not copied.  The copy is made of hard links (cheap for
    tens of thousands of files); see ``_unshare_outputs_to_rewrite`` for why that is safe.
    """
    record = read_record(site_dir)
    if record is None or record.get("state") != state:
        return False
    previous = record.get("sources")
    if not isinstance(previous, dict):
        return False
    shutil.copytree(site_dir, stage.site, symlinks=True, copy_function=link_or_copy,
                    ignore=lambda folder, _names: ["pagefind", SITE_MARK]
                    if Path(folder) == site_dir else [])
    stale = (set(previous) - set(sources)) | {
        source for source, digest in sources.items() if previous.get(source) != digest}
    for source in sorted(stale):
        output = stage.site / _output_of(str(source))
        if output.is_file() and output.resolve().is_relative_to(stage.site.resolve()):
            output.unlink()
            _remove_empty_parents(output.parent, stage.site)
    _unshare_outputs_to_rewrite(stage, sorted(sources))
    return True


#: Files mkdocs writes on every build, dirty or not (theme templates).
_ALWAYS_WRITTEN = ("404.html", "sitemap.xml", "sitemap.xml.gz")


def _unshare_outputs_to_rewrite(stage: Staging, sources: list[str]) -> None:
    """Unlink, in the hard-linked copy, every file mkdocs is about to write.

    mkdocs writes files in place (``open(path, "wb")``): writing through a hard link would
    change the live site before the swap.  It rewrites exactly the outputs whose source is
    newer than them (``File.is_modified``) and the theme templates; unlinking those first makes
    it create new files, so the live site is never touched.
    """
    for name in _ALWAYS_WRITTEN:
        with contextlib.suppress(FileNotFoundError):
            (stage.site / name).unlink()
    for source in sources:
        output = stage.site / _output_of(source)
        try:
            if output.stat().st_mtime < (stage.docs / source).stat().st_mtime:
                output.unlink()
        except FileNotFoundError:
            continue


def _output_of(source: str) -> str:
    """Where mkdocs writes ``source`` (directory URLs: ``a/b.md`` → ``a/b/index.html``)."""
    return page_url(source) + "index.html" if source.endswith(".md") else source


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def read_record(site_dir: Path) -> dict[str, object] | None:
    """The record of the build that made ``site_dir`` (None when absent or unreadable)."""
    try:
        record = json.loads((site_dir / SITE_MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def write_record(stage_site: Path, state: str, sources: dict[str, str]) -> None:
    """Mark the new site as this tool's and record what made it (for the next dirty build).

    Written into the staging site, so it is swapped in with the site or not at all; a failed
    write fails the build (``OSError`` reaches ``build_site``).
    """
    record = {"generator": "policykb", "state": state, "sources": sources}
    target = stage_site / SITE_MARK
    with contextlib.suppress(FileNotFoundError):
        target.unlink()  # a hard link to the previous site's record in a dirty build
    target.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True), encoding="utf-8")


# --- staging, swap and recovery --------------------------------------------------------------


