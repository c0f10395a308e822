"""``policykb serve``: serve ``site/`` on localhost and rebuild when the sources change.

The watcher polls (no inotify dependency): every ``interval`` seconds it compares the size and
modification time of every file under ``policies/``, of the hand-written pages in ``docs/`` and
of ``mkdocs.yml``.  A rebuild is whatever ``build`` the caller passes (the CLI passes the
pipeline's build, which leaves the served site as it was when it fails).

A failed build shows in the browser, not only in the terminal: while the last build has
problems, every page served carries a banner naming the first of them (``file:line: …``) and
linking to ``/__policykb__/build-problems`` (``PROBLEMS_PATH``), which lists them all; the rest
of the page is the last good site, still there to read.  Nothing here prints: the caller's
``build`` and ``on_ready`` report.
"""

from __future__ import annotations

import functools
import html
import http.server
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.render.links import GENERATED_ROOTS

Snapshot = frozenset[tuple[str, int, int]]
#: Where the list of the last build's problems is served.
PROBLEMS_PATH = "/__policykb__/build-problems"
_BODY_START = "<body"


@dataclass
class BuildState:
    """The last build's problems (``file:line:col: error[PKnnn] message`` lines), shared
    between the watcher and the request handlers."""

    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set(self, problems: Sequence[str]) -> None:
        with self.lock:
            self.problems = list(problems)

    def get(self) -> list[str]:
        with self.lock:
            return list(self.problems)


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


def problems_page(problems: Sequence[str]) -> str:
    """The page listing a failed build's problems, in Chinese around the diagnostics."""
    items = "\n".join(f"<li><pre>{html.escape(p)}</pre></li>" for p in problems)
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        "<title>生成失败 · 执法协作知识库</title></head>\n<body>\n"
        "<h1>网站生成失败</h1>\n"
        f"<p>最近一次生成发现 {len(problems)} 个问题，网站没有更新。"
        "请按下列位置（文件:行:列）修改后保存，网站会自动重新生成。"
        '<a href="/">仍可浏览上一次成功生成的网站</a>。</p>\n'
        f"<ol>\n{items}\n</ol>\n</body></html>\n"
    )


def problems_banner(problems: Sequence[str]) -> str:
    """The banner put at the top of every page while the last build has problems."""
    first = html.escape(problems[0].splitlines()[0]) if problems else ""
    more = f"（共 {len(problems)} 个问题）" if len(problems) > 1 else ""
    return (
        '<div role="alert" data-pk-build-problems style="position:sticky;top:0;z-index:10;'
        "padding:.6em 1em;background:#b71c1c;color:#fff;font:14px/1.5 sans-serif\">"
        f"网站生成失败，以下仍是上一次成功生成的版本{more}：<code>{first}</code> "
        f'<a href="{PROBLEMS_PATH}" style="color:#fff;text-decoration:underline">查看全部问题</a>'
        "</div>"
    )


def with_banner(page: str, problems: Sequence[str]) -> str:
    """``page`` with ``problems_banner`` right after its ``<body …>`` tag."""
    start = page.find(_BODY_START)
    end = page.find(">", start) + 1 if start >= 0 else 0
    return page[:end] + problems_banner(problems) + page[end:]


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: BuildState

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        problems = self.state.get()
        path = self.path.split("?", 1)[0]
        if path == PROBLEMS_PATH:
            self._send(200 if problems else 404, problems_page(problems))
            return
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if problems and target.suffix == ".html" and target.is_file():
            self._send(200, with_banner(target.read_text(encoding="utf-8"), problems))
            return
        super().do_GET()

    def _send(self, status: int, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def make_server(site_dir: Path, host: str, port: int,
                state: BuildState | None = None) -> http.server.ThreadingHTTPServer:
    """A static file server for ``site_dir`` (``port`` 0 picks a free port) that shows the
    problems of ``state``'s last build on every page."""
    handler_class = type("Handler", (_Handler,), {"state": state or BuildState()})
    handler = functools.partial(handler_class, directory=str(site_dir))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(
    build: Callable[[], list[str] | None],
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

    ``build`` builds the site and returns its problems (``[]`` when it built), or ``None`` when
    it refused to (the output folders are not its own): then nothing is served and ``serve``
    returns False.  The port is taken first, so a busy port fails at once (``OSError``), not
    after a full build.  ``on_ready`` receives the URL once the server listens (useful with
    ``port=0``).
    """
    stop = stop or threading.Event()
    state = BuildState()
    server = make_server(site_dir, host, port, state)
    seen = snapshot(policies, docs_dir, config_file)
    first = build()
    if first is None:
        server.server_close()
        return False
    state.set(first)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    if on_ready is not None:
        on_ready(f"http://{host}:{server.server_address[1]}/")
    try:
        while not stop.wait(interval):
            current = snapshot(policies, docs_dir, config_file)
            if current != seen:
                seen = current
                state.set(build() or [])
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    return True
