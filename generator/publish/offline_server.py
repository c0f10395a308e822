"""The offline bundle's local server: ``python3 serve.py`` in the unpacked folder.

Standalone on purpose (standard library only, no ``generator`` import): it is copied into the
bundle as ``serve.py`` and runs on an intranet machine that has Python 3 and nothing else.  Why
a server at all: browsers refuse to run the search (ES modules, fetch, WebAssembly) from
``file://``, and the site's directory URLs (``documents/x/``) need a server to find
``index.html``.  It listens on 127.0.0.1 only, so nothing is offered to the network.
"""

from __future__ import annotations

import functools
import http.server
import sys
import webbrowser
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    """``serve.py [PORT] [--no-browser]``: serve ``site/`` beside this file until Ctrl+C."""
    args = sys.argv[1:] if argv is None else argv
    numbers = [a for a in args if a.isdigit()]
    port = int(numbers[0]) if numbers else DEFAULT_PORT
    site = Path(__file__).resolve().parent / "site"
    handler = functools.partial(_Handler, directory=str(site))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        print(f"无法使用端口 {port}（{error.strerror}）。请换一个端口：python3 serve.py 8001")
        return 1
    url = f"http://{HOST}:{server.server_address[1]}/"
    print(f"执法协作知识库已在本机启动：{url}\n按 Ctrl+C 停止。")
    if "--no-browser" not in args:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
