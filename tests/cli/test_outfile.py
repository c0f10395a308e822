"""`--out` writes like a shell redirection: through symlinks, into FIFOs and devices, never
replacing them; a folder is a usage error; a full disk is exit status 3, never a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import KB_MINI, ROOT

from generator.cli import main
from generator.outfile import OutputError, write_output


def test_a_new_file_and_a_replaced_file_leave_no_temporary_behind(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.json"
    write_output(target, b"one")
    target.chmod(0o640)
    write_output(target, b"two")
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.json"]


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_output(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_fifo_gets_the_data_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_output(fifo, b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_full_device_is_a_write_failure_and_stays_a_device() -> None:
    with pytest.raises(OutputError) as caught:
        write_output(Path("/dev/full"), b"x" * 100_000)
    assert not caught.value.usage and "No space left" in str(caught.value)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_folder_or_a_path_under_a_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        write_output(tmp_path, b"x")
    assert caught.value.usage and "it is a folder" in str(caught.value)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError) as caught:
        write_output(tmp_path / "file" / "out.json", b"x")
    assert caught.value.usage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_export_to_a_folder_exits_2_and_writes_nothing(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["export", "--policies", str(KB_MINI), "--out", str(folder)]) == 2
    assert "it is a folder" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_out_dash_is_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--out", "-"]) == 0
    assert capsys.readouterr().out.startswith("{")


@pytest.mark.parametrize("args", [
    ["schema"],
    ["export", "--policies", str(KB_MINI)],
    ["check", "--format", "json", str(KB_MINI)],
])
def test_a_full_stdout_is_one_line_and_exit_3(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "generator.cli", *args], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert proc.stderr.strip().endswith("No space left on device")
    assert proc.stderr.strip().count("\n") == 0


def test_serve_on_a_port_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--port", "70000"])
    assert caught.value.code == 2
    assert "not a port number" in capsys.readouterr().err


def test_serve_on_a_busy_port_fails_before_building(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        site = tmp_path / "site"
        status = main(["serve", "--port", str(port), "--policies", str(KB_MINI),
                       "--docs", str(tmp_path / "docs"), "--site", str(site)])
    assert status == 2
    assert "cannot listen" in capsys.readouterr().err
    assert not site.exists() and not (tmp_path / "docs").exists()
