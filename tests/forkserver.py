"""``python -m factsheet ARGS`` in a process of its own, forked from one that has already started.

Starting the command costs more than most of what the hostile tests ask of it: about 0.4 s of
processor time to import factsheet before a broken file is refused in 0.05 s, and 2 s more to
import WeasyPrint and load its fonts before a small PDF is laid out in 0.7 s. The server started
here pays that once: it imports the command, builds the small fixture briefing (which imports and
warms everything a build uses), and then forks, for each request, a process that runs
``python -m factsheet`` as the interpreter would (``runpy``, ``sys.argv`` and ``sys.path[0]`` as
``-m`` sets them) in the request's folder, with the request's limits, writing to the caller's pipes.
Nothing of the warm-up is shared but what the process inherits: each command reads, checks,
renders and writes its own briefing, and its exit status, output and processor time are its own.
Its memory limit counts the address space it inherits (about 330 MB, where a fresh command that
fails early has mapped 80 MB and one that lays out the small PDF peaks at 355 MB), so the limit is,
if anything, stricter than for a command started afresh.

The server runs this file; the tests use ``ForkServer``.
"""

from __future__ import annotations

import io
import json
import os
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# --- the server -----------------------------------------------------------------------------------


def _warm_up(fixture: Path, templates: Path) -> None:
    import weasyprint  # noqa: F401 - what a build imports while it renders the page

    import factsheet.cli  # noqa: F401 - what `python -m factsheet` imports first
    from factsheet.pipeline import build

    folder = Path(tempfile.mkdtemp(prefix="factsheet-warm-"))
    try:
        shutil.copytree(fixture, folder / "content")
        build(folder / "content", folder / "out", templates)
    except Exception:  # noqa: BLE001 - a build that fails here fails in the commands too, each on its own
        import traceback

        traceback.print_exc()
    finally:
        shutil.rmtree(folder)


def _command(request: dict, out: int, err: int) -> None:
    """In the forked process: become ``python -m factsheet ARGS`` in the request's folder."""
    code = 1
    try:
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.close(out)
        os.close(err)
        os.chdir(request["cwd"])
        sys.path[0] = os.getcwd()  # what -m puts first on the path
        memory, cpu, fsize = request["memory"], request["cpu"], request["fsize"]
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))  # SIGXCPU, then SIGKILL
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if request["unprivileged"] and os.geteuid() == 0:
            drop_file_capabilities()
        import runpy

        if request["killable"]:  # as python -c "import signal; signal.signal(...); runpy.run_module(...)"
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            sys.argv = ["factsheet", *request["args"]]
            runpy.run_module("factsheet", run_name="__main__")
        else:
            sys.argv = ["-m", *request["args"]]
            runpy.run_module("factsheet", run_name="__main__", alter_sys=True)  # ends in os._exit
        code = 0
    except SystemExit as e:  # as the interpreter ends on one
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:
            print(e.code, file=sys.stderr)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - the process is ending either way
                pass
        os._exit(code)


FILE_CAPABILITIES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def drop_file_capabilities() -> None:
    """Root ignores file permissions; without these capabilities it does not, so a read-only
    folder is read-only to it too. Dropped from the bounding set (what a program this process
    starts may have) and from this process's own sets (what a program started by root after
    the bounding set is dropped would have: there is no exec here)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for cap in FILE_CAPABILITIES:
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3: two 32-bit words
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    keep = ~sum(1 << cap for cap in FILE_CAPABILITIES) & 0xFFFFFFFF
    for field in ("effective", "permitted", "inheritable"):
        setattr(data[0], field, getattr(data[0], field) & keep)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def _attend(listener: socket.socket, conn: socket.socket, request: dict, fds: list[int]) -> None:
    """In a forked process: fork the command, tell the caller its pid, wait, tell its status."""
    listener.close()
    try:
        pid = os.fork()
        if pid == 0:
            conn.close()
            _command(request, *fds)
        for fd in fds:
            os.close(fd)
        conn.sendall(f"{pid}\n".encode())
        _, status = os.waitpid(pid, 0)
        conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
    finally:
        os._exit(0)


def serve(path: str, fixture: Path, templates: Path) -> None:
    _warm_up(fixture, templates)
    import gc

    gc.collect()
    gc.freeze()  # the forked processes' collections leave the warm-up's objects (and their pages) alone
    sys.stdout.flush()
    sys.stderr.flush()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.settimeout(0.2)
    parent = os.getppid()
    while os.getppid() == parent:  # not outliving the tests, however they end
        try:  # reap the attendants: waiting for them adds their processor time (and the commands') to ours
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        conn.settimeout(None)
        message, fds, _, _ = socket.recv_fds(conn, 1 << 16, 2)
        request = json.loads(message)
        if request.get("stop"):
            conn.close()
            break
        if os.fork() == 0:
            _attend(listener, conn, request, fds)
        for fd in fds:
            os.close(fd)
        conn.close()
    listener.close()
    while True:  # every attendant waited for, so that all the processor time used is counted as ours
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break


# --- the client -----------------------------------------------------------------------------------

_ENCODING = io.TextIOWrapper(io.BytesIO()).encoding  # what subprocess decodes text output with


def _text(data: bytes) -> str:
    # As subprocess.run(text=True) reads a pipe: the default encoding, universal newlines.
    return data.decode(_ENCODING).replace("\r\n", "\n").replace("\r", "\n")


def cpu_ticks(pid: int) -> int | None:
    """Processor time a running process has used so far (user + system, in clock ticks)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return int(fields[11]) + int(fields[12])


class ForkServer:
    """The server, started in ``folder`` with ``env``; ``run`` runs one command."""

    def __init__(self, folder: Path, env: dict[str, str], fixture: Path, templates: Path):
        self.path = str(folder / "forkserver.sock")
        # Its standard streams are pipes, as a command's are: the forked command's sys.stdout and
        # sys.stderr are the server's, over the caller's pipes (a file would be seekable).
        self.proc = subprocess.Popen([sys.executable, __file__, self.path, str(fixture), str(templates)],
                                     env=env, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def _connect(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        began = time.monotonic()
        while True:
            try:
                sock.connect(self.path)
                return sock
            except (FileNotFoundError, ConnectionRefusedError):
                if self.proc.poll() is not None or time.monotonic() - began > 300:
                    sock.close()
                    self.proc.kill()
                    _, err = self.proc.communicate()
                    raise RuntimeError(f"the fork server did not start:\n{err.decode()}") from None
                time.sleep(0.05)

    def run(self, args: list[str], cwd: Path, *, memory: int, cpu: int, fsize: int | None, stall: float,
            timeout: float, killable: bool = False, unprivileged: bool = False) -> subprocess.CompletedProcess:
        """``subprocess.run([python, -m, factsheet, *args], capture_output=True, text=True)`` with
        the limits set in the process, stopped as a hang (raising TimeoutExpired) if it goes
        ``stall`` seconds without using processor time, or runs ``timeout``. ``killable``: with
        SIGXFSZ at its default action (Python ignores it), so that the file size limit kills the
        process at the first write past it; ``unprivileged``: without root's power over file
        permissions."""
        argv = [sys.executable, "-m", "factsheet", *args]
        request = {"args": args, "cwd": str(cwd), "memory": memory, "cpu": cpu, "fsize": fsize,
                   "killable": killable, "unprivileged": unprivileged}
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        with self._connect() as sock:
            socket.send_fds(sock, [json.dumps(request).encode()], [out_w, err_w])
            os.close(out_w)
            os.close(err_w)
            replies = sock.makefile("rb")
            pid = int(replies.readline())
            chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
            began = time.monotonic()
            ticks, since, killed = None, began, False
            with selectors.DefaultSelector() as selector:
                for fd in chunks:
                    selector.register(fd, selectors.EVENT_READ)
                while selector.get_map():
                    for key, _ in selector.select(timeout=1):
                        data = os.read(key.fd, 1 << 16)
                        if data:
                            chunks[key.fd].append(data)
                        else:
                            selector.unregister(key.fd)
                            os.close(key.fd)
                    now, used = time.monotonic(), cpu_ticks(pid)
                    if used != ticks:
                        ticks, since = used, now
                    if not killed and (now - since > stall or now - began > timeout):
                        os.kill(pid, signal.SIGKILL)
                        killed = True
            code = int(replies.readline())
        out, err = (_text(b"".join(chunks[fd])) for fd in (out_r, err_r))
        if killed:
            raise subprocess.TimeoutExpired(argv, time.monotonic() - began, out, err)
        return subprocess.CompletedProcess(argv, code, out, err)

    def close(self) -> None:
        """Stop the server once it has waited for every process it forked (their processor time is
        then the server's, and so the caller's once it is waited for)."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(self.path)
                sock.sendall(json.dumps({"stop": True}).encode())
            self.proc.communicate(timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.communicate()


if __name__ == "__main__":
    serve(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
