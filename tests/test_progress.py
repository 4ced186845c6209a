"""Stage lines go to a terminal, with the seconds elapsed; pipes and CI stay quiet."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

from tests.conftest import FIXTURES


def _check_on_a_terminal(env: dict) -> str:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "factsheet", "check", "--content", str(FIXTURES / "small")],
                              stdout=subprocess.DEVNULL, stderr=follower, env=env, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: everything has been read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert done.returncode == 0
    return b"".join(chunks).decode()


def test_a_terminal_gets_one_line_per_stage_with_its_own_time():
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    err = _check_on_a_terminal(env)
    stages = re.findall(r"^factsheet: (\w+): .* … \d+\.\d\ds\r?$", err, re.M)
    assert stages == ["load", "anchor", "check"]
    # The anchor line counts what the summary line counts, and says which citations those are.
    assert re.search(r"^factsheet: anchor: 8 citations in 2 sources … ", err, re.M)


def test_ci_stays_quiet_even_on_a_terminal():
    err = _check_on_a_terminal(dict(os.environ, CI="true"))
    assert "factsheet:" not in err
    assert "0 errors" in err
