"""The command line: exit codes, the summary line, --help, and the README kept honest."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT, run


def test_check_passes_on_the_fixture_with_a_summary_line(small, capsys):
    code, _, err = run(capsys, "check", "--content", "content", "--strict")
    assert code == 0
    assert err == "5 facts, 8 citations, 2 sources: 0 errors, 0 warnings\n"


def test_strict_turns_warnings_into_failure(small, capsys):
    briefing = small / "briefing.yaml"
    briefing.write_text(briefing.read_text(encoding="utf-8") + "  - id: empty\n    title: Empty\n",
                        encoding="utf-8")
    assert run(capsys, "check", "--content", "content")[0] == 0
    code, _, err = run(capsys, "check", "--content", "content", "--strict")
    assert code == 1
    assert "content/briefing.yaml:14:9: warning: section 'empty' has no facts [empty-section]" in err


def test_bad_usage_exits_2(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", "--content", "nowhere")
    assert code == 2 and err == "factsheet: error: content folder not found: nowhere\n"


def test_python_dash_m_and_unknown_command(tmp_path):
    done = subprocess.run([sys.executable, "-m", "factsheet", "frobnicate"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert "invalid choice: 'frobnicate'" in done.stderr and "Traceback" not in done.stderr


def test_readme_quick_start_is_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_in_help_is_documented_in_the_readme(capsys):
    import pytest

    from factsheet.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    commands = re.findall(r"^    (\w+)\s", help_text, re.M)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert commands, help_text
    for command in commands:
        assert f"factsheet {command}" in readme, command
