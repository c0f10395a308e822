"""The offline bundle: the built site as one zip, with a local server, for isolated networks.

Government networks are often cut off from the internet.  ``data/policykb-offline.zip`` holds
the whole site under ``site/`` (the bundle itself excepted), ``serve.py`` (``offline_server``:
search and directory URLs need a server, browsers refuse both from ``file://``), a Windows
launcher and a note in Chinese.  Entries are sorted and dated ``SOURCE_DATE_EPOCH``'s day, so
the same site gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from generator.publish import offline_server
from generator.render.links import OFFLINE_BUNDLE

README = """执法协作知识库 · 离线包

1. 把整个文件夹复制到内网电脑并解压。
2. 启动本地服务（需已安装 Python 3，不需要联网）：
   - Windows：双击“启动本地服务.bat”；
   - 其他系统：在本文件夹中运行 python3 serve.py
3. 浏览器会自动打开 http://127.0.0.1:8000/ ；如果没有，请手动打开这个地址。
   端口被占用时可以换一个：python3 serve.py 8001

本地服务只在本机监听（127.0.0.1），不对外提供访问，也不向外发送任何请求。
浏览器不允许从本地文件（file://）运行搜索，目录形式的链接也需要服务才能打开，
所以请通过本地服务使用；直接双击 site/index.html 只能查看首页。
"""
LAUNCHER = "@echo off\r\ncd /d %~dp0\r\npy -3 serve.py || python serve.py\r\npause\r\n"


def _entry(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_bundle(site_dir: Path, epoch: int) -> Path:
    """Write ``site_dir/data/policykb-offline.zip`` from the site as it is now."""
    target = site_dir / OFFLINE_BUNDLE
    when = max(dt.datetime.fromtimestamp(epoch, dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    files = sorted(p for p in site_dir.rglob("*") if p.is_file() and p != target)
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w") as bundle:
        bundle.writestr(_entry("使用说明.txt", when), README)
        bundle.writestr(_entry("serve.py", when),
                        Path(offline_server.__file__).read_text(encoding="utf-8"))
        bundle.writestr(_entry("启动本地服务.bat", when), LAUNCHER)
        for path in files:
            rel = path.relative_to(site_dir).as_posix()
            if rel.endswith(".zip.part"):
                continue
            bundle.writestr(_entry(f"site/{rel}", when), path.read_bytes())
    partial.replace(target)
    return target
