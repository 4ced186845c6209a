"""requirements.lock agrees with pyproject.toml: every declared dependency, runtime and test extra,
is pinned there with its hashes, at a version the declaration allows (`make lock` after a change)."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _pins() -> dict[str, tuple[str, int]]:
    """Each pinned package's version and number of hashes."""
    pins: dict[str, tuple[str, int]] = {}
    name = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if m := PIN.match(line):
            name = canonicalize_name(m.group(1))
            pins[name] = (m.group(2), 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


def test_every_declared_dependency_is_locked_at_an_allowed_version_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    pins = _pins()
    problems = []
    for req in declared:
        if req.marker is not None and not req.marker.evaluate({"extra": "test"}):
            continue
        version, hashes = pins.get(canonicalize_name(req.name), (None, 0))
        if version is None:
            problems.append(f"{req}: not in requirements.lock")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req}: locked at {version}")
        elif hashes == 0:
            problems.append(f"{req}: no hash")
    assert problems == [], "run `make lock`: " + "; ".join(problems)
