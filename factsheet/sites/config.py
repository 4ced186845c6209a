"""Which site a folder holds and where it reads pages from, from the site's own configuration.

MkDocs, Hugo, Jekyll and Quarto configurations are data (YAML, TOML or JSON) and are read. A
Docusaurus or Astro configuration is a JavaScript program, which is never run: those sites are
recognised by the file's name, and their conventional folders (``docs/``, ``src/pages/``) used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from factsheet.errors import UsageError

GENERATORS = ("mkdocs", "hugo", "jekyll", "quarto", "docusaurus", "astro")
NAMES = {"mkdocs": "MkDocs", "hugo": "Hugo", "jekyll": "Jekyll", "quarto": "Quarto",
         "docusaurus": "Docusaurus", "astro": "Astro"}
_JS = ("js", "mjs", "cjs", "ts", "mts")


@dataclass(frozen=True)
class Site:
    generator: str
    root: Path
    content: Path  # the folder the site reads pages from
    config_path: Path
    config: dict  # the configuration as data; empty where it is a program
    static: Path | None = None  # where files are copied as they are (Astro's public/), if not beside pages


def find_site(generator: str, root: Path) -> Site:
    """The site's content folder, read from its configuration; a UsageError if it is not there."""
    if generator not in GENERATORS:
        raise UsageError(f"unknown site generator {generator!r}; choose one of {', '.join(GENERATORS)}")
    if not root.is_dir():
        raise UsageError(f"site folder {root} does not exist")
    site = _FINDERS[generator](root)
    if not site.content.is_dir():
        raise UsageError(f"the {NAMES[generator]} site's content folder {site.content} does not exist")
    return site


def _config(root: Path, names: tuple[str, ...], generator: str, *, parse: bool = True) -> tuple[Path, dict]:
    for name in names:
        path = root / name
        if path.is_file():
            return path, (read_config(path) if parse else {})
    raise UsageError(f"{root} is not a {NAMES[generator]} site: none of {', '.join(names)} found")


def read_config(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    data: object
    try:
        if path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = _yaml(text)
    except Exception as e:  # any parse error: the user's config, reported, never a traceback
        raise UsageError(f"cannot read {path}: {e}") from None
    return data if isinstance(data, dict) else {}


def _yaml(text: str) -> object:
    import yaml

    class Loader(yaml.SafeLoader):
        """Safe loading that reads custom tags (MkDocs' !ENV, !relative, python names) as None."""

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(text, Loader=Loader)  # noqa: S506 (a SafeLoader subclass)


def _mkdocs(root: Path) -> Site:
    path, config = _config(root, ("mkdocs.yml", "mkdocs.yaml"), "mkdocs")
    return Site("mkdocs", root, root / str(config.get("docs_dir") or "docs"), path, config)


def _hugo(root: Path) -> Site:
    names = tuple(f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json"))
    path, config = _config(root, names, "hugo")
    return Site("hugo", root, root / str(config.get("contentDir") or config.get("contentdir") or "content"),
                path, config)


def _jekyll(root: Path) -> Site:
    path, config = _config(root, ("_config.yml", "_config.yaml", "_config.toml"), "jekyll")
    return Site("jekyll", root, root / str(config.get("source") or "."), path, config)


def _quarto(root: Path) -> Site:
    path, config = _config(root, ("_quarto.yml", "_quarto.yaml"), "quarto")
    return Site("quarto", root, root, path, config)


def _docusaurus(root: Path) -> Site:
    path, _ = _config(root, tuple(f"docusaurus.config.{ext}" for ext in _JS), "docusaurus", parse=False)
    return Site("docusaurus", root, root / "docs", path, {})


def _astro(root: Path) -> Site:
    path, _ = _config(root, tuple(f"astro.config.{ext}" for ext in _JS), "astro", parse=False)
    return Site("astro", root, root / "src" / "pages", path, {}, static=root / "public")


_FINDERS = {"mkdocs": _mkdocs, "hugo": _hugo, "jekyll": _jekyll, "quarto": _quarto,
            "docusaurus": _docusaurus, "astro": _astro}
