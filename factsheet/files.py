"""The one way the tool writes files: atomically, all or nothing.

Every command that writes (build, publish, the build cache, reanchor --write, init) goes through
``write_files``: the bytes are written and synced under no name (or a hidden temporary one) in
the target folder, then renamed over their final names only when all are ready. A failure, or a
process killed in the middle, leaves the previous files exactly as they were.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from factsheet.errors import OutputError


def write_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file's bytes first, then name them, then rename all into place in ``out``.

    The bytes go to unnamed files (``O_TMPFILE``) where the file system has them, so a build
    killed while writing leaves no trace at all. Only when every file is written does each get a
    hidden temporary name, at once renamed over its output; a failure leaves the previous
    files exactly as they were. A file replaced keeps its permissions.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create output folder {out}: {e.strerror}") from None
    _sweep(out, files)
    for name in files:
        if (out / name).is_dir() and not (out / name).is_symlink():
            raise OutputError(f"cannot write {out / name}: a folder of that name is in the way; "
                              "previous files are unchanged")
    staged: list[_Staged] = []
    try:
        for name, data in files.items():
            staged.append(_Staged(out, name))
            staged[-1].write(data)
            _keep_mode(out / name, staged[-1].fd)
        for item in staged:
            item.name()
    except OSError as e:
        for item in staged:
            item.discard()
        raise OutputError(f"cannot write to {out}: {e.strerror}; previous files are unchanged") from None
    for item in staged:
        os.replace(item.tmp, out / item.final)
    return [out / item.final for item in staged]


class _Staged:
    """One output's bytes on disk, unnamed (or under a hidden name) until it is committed."""

    def __init__(self, out: Path, final: str):
        self.out, self.final, self.tmp = out, final, ""
        fd = _unnamed_file(out)
        if fd is None:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{final}.", suffix=".tmp", dir=out)
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp's 0600 would hide outputs from a web server
        self.fd = fd

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        os.fsync(self.fd)

    def name(self) -> None:
        if not self.tmp:
            tmp = f".{self.final}.{os.getpid()}.{self.fd}.tmp"
            # A folder fd makes os.link call linkat(), which follows /proc's link to the open file.
            folder = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.link(f"/proc/self/fd/{self.fd}", tmp, dst_dir_fd=folder, follow_symlinks=True)
            finally:
                os.close(folder)
            self.tmp = str(self.out / tmp)
        os.close(self.fd)
        self.fd = -1

    def discard(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.tmp:
            _remove(self.tmp)


def _unnamed_file(out: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(out, flag | os.O_WRONLY, 0o666)
    except OSError as e:
        if e.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None  # a file system without unnamed files: fall back to named ones
        raise


def _sweep(out: Path, names: Iterable[str]) -> None:
    # Hidden names live only between naming and renaming; one left over is from a build killed
    # in that instant, and nothing else writes names of this shape.
    for name in names:
        for leftover in out.glob(f".{glob.escape(name)}.*.tmp"):
            _remove(str(leftover))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_file(path: Path, data: bytes) -> Path:
    """One file, atomically (see ``write_files``)."""
    return write_files(path.parent, {path.name: data})[0]


def _keep_mode(existing: Path, fd: int) -> None:
    # An edited content file keeps its permissions; a new file gets the umask's.
    try:
        mode = os.stat(existing, follow_symlinks=False).st_mode
    except OSError:
        return
    if stat.S_ISREG(mode):
        os.fchmod(fd, stat.S_IMODE(mode))
