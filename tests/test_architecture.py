"""The package's shape: data flows one way through the stage packages, and every module stays small.

Read from the imports themselves (``ast``), so a new module is held to the rule the day it lands.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "factsheet"
# Each module's layer; a module may import its own layer and earlier ones, never a later one.
# The commands (cli, publish, curate) come after the pipeline they drive; the curation app
# (serve) drives the curator's commands.
LAYERS = [
    {"factsheet", "factsheet.errors", "factsheet.places", "factsheet.records", "factsheet.model", "factsheet.digests", "factsheet.text", "factsheet.diagnostics",
     "factsheet.files"},
    {"factsheet.sources"},
    {"factsheet.verification"},
    {"factsheet.outputs"},
    {"factsheet.cache", "factsheet.pipeline"},
    {"factsheet.sites", "factsheet.curate", "factsheet.project"},
    {"factsheet.serve"},
    {"factsheet.cli", "factsheet.__main__"},
]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best = -1
    for i, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and name != "factsheet":
                best = i
    return 0 if best == -1 and module == "factsheet" else best


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("factsheet"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names
                         if (PACKAGE.parent / f"{node.module}.{a.name}".replace(".", "/")).is_dir()
                         or (PACKAGE.parent / (f"{node.module}.{a.name}".replace(".", "/") + ".py")).is_file())
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("factsheet"))
    return found


def test_every_module_has_a_layer():
    unplaced = [_module(p) for p in PACKAGE.rglob("*.py") if _layer(_module(p)) < 0]
    assert unplaced == []


def test_no_module_imports_a_later_stage():
    backwards = []
    for path in PACKAGE.rglob("*.py"):
        here = _module(path)
        if here == "factsheet":
            continue  # the API names the stages, importing them lazily on first use
        for target in _imports(path):
            if _layer(target) > _layer(here):
                backwards.append(f"{here} imports {target}")
    assert backwards == []


def test_modules_stay_small():
    long = {_module(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 320}
    assert long == {}
