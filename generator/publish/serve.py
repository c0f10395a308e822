"""``policykb serve``: serve ``site/`` on localhost and rebuild when the sources change.

The watcher polls (no inotify dependency): every ``interval`` seconds it compares the size and
modification time of every file under ``policies/``, of the hand-written pages in ``docs/`` and
of ``mkdocs.yml``.  A rebuild is whatever ``build`` the caller passes (the CLI passes the
pipeline's build, which leaves the served site as it was when it fails).

The HTTP server reads files from the ``site_dir`` path on every request, so it serves the new
site as soon as the build has swapped it in.  Nothing here prints: the caller's ``build`` and
``on_ready`` report.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.render.links import GENERATED_ROOTS

Snapshot = frozenset[tuple[str, int, int]]


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
    build: Callable[[], bool],
    policies: Path,
    docs_dir: Path,
    site_dir: Path,
    config_file: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    interval: float = 1.0,
    on_ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> bool:
    """Build, serve on ``http://host:port/`` and rebuild on changes until ``stop`` or Ctrl+C.

    ``build`` builds the site and returns False when it refused to (the output folders are not
    its own): then nothing is served and ``serve`` returns False.  The port is taken first, so a
    busy port fails at once (``OSError``), not after a full build.  ``on_ready`` receives the
    URL once the server listens (useful with ``port=0``).
    """
    stop = stop or threading.Event()
    server = make_server(site_dir, host, port)
    seen = snapshot(policies, docs_dir, config_file)
    if not build():
        server.server_close()
        return False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    if on_ready is not None:
        on_ready(f"http://{host}:{server.server_address[1]}/")
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
    return True
