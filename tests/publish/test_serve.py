"""``policykb serve``: a failed build shows in the browser, and the last good site stays."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

from generator.publish.serve import PROBLEMS_PATH, serve

PROBLEM = "policies/documents/x.yaml:12:3: error[PK201] unknown actor 'township2'"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_a_failed_rebuild_is_shown_on_every_page_over_the_last_good_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "documents").mkdir(parents=True)
    (site / "index.html").write_text("<html><body><h1>首页</h1></body></html>", "utf-8")
    (site / "documents" / "index.html").write_text("<html><body class=x>文件</body></html>",
                                                   "utf-8")
    (site / "style.css").write_text("body{}", "utf-8")
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "a.yaml").write_text("a: 1\n", "utf-8")
    outcomes = [[], [PROBLEM]]  # the first build works, the rebuild after the edit fails
    built = threading.Event()
    ready: list[str] = []
    stop = threading.Event()

    def build() -> list[str]:
        outcome = outcomes.pop(0) if outcomes else [PROBLEM]
        if not outcomes:
            built.set()
        return outcome

    thread = threading.Thread(target=serve, kwargs={
        "build": build, "policies": policies, "docs_dir": tmp_path / "docs",
        "site_dir": site, "config_file": tmp_path / "mkdocs.yml", "port": 0,
        "interval": 0.05, "on_ready": ready.append, "stop": stop}, daemon=True)
    thread.start()
    try:
        while not ready:
            threading.Event().wait(0.02)
        url = ready[0]
        status, page = fetch(url)
        assert status == 200 and "首页" in page and "生成失败" not in page
        assert fetch(url + PROBLEMS_PATH.lstrip("/"))[0] == 404  # nothing to show yet

        (policies / "a.yaml").write_text("a: 2\nb: 3\n", "utf-8")  # an edit: a rebuild
        assert built.wait(10)
        threading.Event().wait(0.2)
        status, page = fetch(url + "documents/")
        assert status == 200
        assert page.index("网站生成失败") < page.index("文件")  # the banner, then the old page
        assert "policies/documents/x.yaml:12:3" in page
        status, listing = fetch(url + PROBLEMS_PATH.lstrip("/"))
        assert status == 200 and "error[PK201]" in listing and "x.yaml:12:3" in listing
        assert fetch(url + "style.css") == (200, "body{}")  # assets untouched
    finally:
        stop.set()
        thread.join(10)
