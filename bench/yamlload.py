"""The baseline `check` is compared with at scale: PyYAML's C loader loading every YAML file of a
content folder and the source texts read and decoded, nothing verified.

Usage: python bench/yamlload.py CONTENT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main() -> int:
    root = Path(sys.argv[1])
    for path in sorted(root.rglob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for path in sorted((root / "sources").iterdir()):
        if path.suffix != ".yaml" and path.is_file():
            path.read_bytes().decode("utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
