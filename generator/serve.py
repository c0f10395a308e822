"""``policykb serve``: build, serve ``site/`` on localhost, rebuild when the sources change.

The watcher polls (no inotify dependency): every ``interval`` seconds it compares the size and
modification time of every file under ``policies/``, of the hand-written pages in ``docs/`` and
of ``mkdocs.yml``.  A rebuild goes through ``build_site`` like any build, so a failing rebuild
leaves the served site as it was and reports its diagnostics.

The HTTP server reads files from the ``site_dir`` path on every request, so it serves the new
site as soon as the build has swapped it in.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.build import GENERATED_ROOTS, BuildResult, Renderer, build_site

Snapshot = frozenset[tuple[str, int, int]]


def _default_report(result: BuildResult) -> None:
    if result.refused is not None:
        print(f"policykb serve: {result.refused}", file=sys.stderr)
        return
    for d in result.report.sorted():
        print(d.format(), file=sys.stderr)
    if result.written:
        print(result.summary(), file=sys.stderr)
    else:
        print("build failed; still serving the previous site", file=sys.stderr)


def snapshot(policies: Path, docs_dir: Path, config_file: Path) -> Snapshot:
    """(path, size, mtime) of every source file that a rebuild depends on."""
    entries: set[tuple[str, int, int]] = set()
    roots = [policies]
    if docs_dir.is_dir():
        roots += [p for p in docs_dir.iterdir() if p.name not in GENERATED_ROOTS]
    files = [config_file] if config_file.is_file() else []
    for root in roots:
        files += [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        entries.add((str(path), st.st_size, st.st_mtime_ns))
    return frozenset(entries)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def make_server(site_dir: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """A static file server for ``site_dir`` (``port`` 0 picks a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(
    policies: Path,
    docs_dir: Path,
    site_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    interval: float = 1.0,
    config_file: Path | None = None,
    render: Renderer | None = None,
    report: Callable[[BuildResult], None] = _default_report,
    on_ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Build, serve on ``http://host:port/`` and rebuild on changes until ``stop`` or Ctrl+C.

    Returns 0 when stopped.  ``on_ready`` receives the URL once the server listens (useful with
    ``port=0``); ``report`` receives every build result; ``render`` is passed to ``build_site``.
    """
    config_file = config_file or docs_dir.parent / "mkdocs.yml"
    stop = stop or threading.Event()

    def build() -> BuildResult:
        result = build_site(policies, docs_dir, site_dir, config_file=config_file, render=render)
        report(result)
        return result

    # listen first: a busy port is reported at once, not after a full build (OSError)
    server = make_server(site_dir, host, port)
    seen = snapshot(policies, docs_dir, config_file)
    if build().refused is not None:
        server.server_close()
        return 2
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://{host}:{server.server_address[1]}/"
    if on_ready is not None:
        on_ready(url)
    else:
        print(f"serving {site_dir} on {url} (Ctrl+C to stop)", file=sys.stderr)
    try:
        while not stop.wait(interval):
            current = snapshot(policies, docs_dir, config_file)
            if current != seen:
                seen = current
                build()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    return 0
