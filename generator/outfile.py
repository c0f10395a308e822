"""Write a command's output to the file the user named, as a shell redirection would.

Why not "write a temporary file and rename it over the target" for every target: the rename
replaces whatever the name pointed at.  A symlink became a regular file, a FIFO's reader got
nothing, and as root ``--out /dev/full`` replaced the device node.  So:

* a regular file (or a new name) is replaced atomically: a temporary file in the same folder,
  then a rename, so a reader never sees half a file and a failure leaves the old one;
* a symlink is followed: the file it points at is replaced, the link stays a link;
* anything else that exists and is not a folder (a FIFO, a device, a socket) is opened and
  written in place, like ``> target``;
* a folder is refused.

Failures are ``OutputError`` with a plain message; ``usage`` tells the CLI whether the path was
wrong (exit status 2) or the writing failed (a full disk: exit status 3).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

#: Errors that mean the path itself cannot be written (the user's mistake, not the machine's).
_PATH_ERRORS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EACCES, errno.EPERM,
                          errno.EROFS, errno.ELOOP, errno.ENAMETOOLONG})


class OutputError(Exception):
    def __init__(self, message: str, *, usage: bool) -> None:
        super().__init__(message)
        self.usage = usage


def _fail(target: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    return OutputError(f"cannot write {target}: {reason}", usage=error.errno in _PATH_ERRORS)


def write_output(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` (see the module docstring for what each kind of target gets)."""
    try:
        info = os.stat(target)  # follows symlinks
    except FileNotFoundError:
        info = None
    except OSError as error:  # a symlink loop, a path through a file
        raise _fail(target, error) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {target}: it is a folder; name a file", usage=True)
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_in_place(target, data)
        return
    real = Path(os.path.realpath(target))
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _fail(target, error) from None
    _replace(target, real, data, mode=stat.S_IMODE(info.st_mode) if info is not None else None)


def _write_in_place(target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise _fail(target, error) from None


def _replace(shown: Path, real: Path, data: bytes, *, mode: int | None) -> None:
    """Write a temporary file beside ``real`` and rename it over ``real``; never leave it behind."""
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as error:
        raise _fail(shown, error) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        else:  # what a plain `open(..., "w")` would give: 0o666 less the umask
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, real)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _fail(shown, error) from None
