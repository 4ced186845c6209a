"""``factsheet add --refresh ID``: extract a source's text again from its kept original (or, with
``refetch``, fetch its URL into a new WARC file), and say what changed in the text.

The text file is rewritten and the ``original`` and ``pages`` blocks of its entry replaced, but
the text's pinned ``sha256`` is left as it was: a changed text is then drift, which ``check``
reports and ``reanchor --write`` repairs (re-placing every citation and pinning the new text),
the same path as any other change of a source.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from factsheet.curate.add import SOURCES, read_sources, sources_folder
from factsheet.errors import CaptureError
from factsheet.files import write_files
from factsheet.sources.capture import capture_url, extract_original, read_limited
from factsheet.sources.capture.entry import original_lines, page_lines

MAX_DIFF_LINES = 40


@dataclass(frozen=True)
class Refreshed:
    summary: str
    written: list[Path]


def refresh_source(content: Path, source_id: str, *, refetch: bool = False, timeout: float = 30.0) -> Refreshed:
    folder = sources_folder(content)
    text, doc = read_sources(folder)
    entries = doc.value if doc is not None else []
    index = next((i for i, e in enumerate(entries) if e["id"] == source_id), None)
    if doc is None or index is None:
        raise CaptureError(f"no source '{source_id}' in sources.yaml")
    entry = entries[index]
    original = entry.get("original")
    if original is None:
        raise CaptureError(f"source '{source_id}' has no original: its text is what was added, and there "
                           "is nothing to extract it from again")
    files: dict[str, bytes] = {}
    if refetch:
        url = original.get("url") or entry.get("url")
        if not url:
            raise CaptureError(f"source '{source_id}' has no URL to fetch again")
        capture = capture_url(url, timeout=timeout)
        extraction, fetch, warc = capture.extraction, capture.fetch, capture.original
        # capture_url always keeps the fetch's WARC file and records where the fetch ended.
        assert fetch is not None and warc is not None
        name = f"{source_id}.{fetch.fetched.replace('-', '').replace(':', '')}.warc.gz"
        if (folder / name).exists():
            raise CaptureError(f"content/sources/{name} already exists")
        files[name] = warc
        new_original: dict[str, str | int] = {"file": name, "sha256": hashlib.sha256(warc).hexdigest(),
                                              "media_type": capture.media_type}
    else:
        data = read_limited(folder / original["file"])
        if hashlib.sha256(data).hexdigest() != original["sha256"]:
            raise CaptureError(f"the original {original['file']} has changed since it was pinned; restore it "
                               "(or --refetch a URL source) before extracting again")
        extraction, fetch = extract_original(data, original["media_type"])
        new_original = {k: original[k] for k in ("file", "sha256", "media_type")}
    new_original["extractor"] = extraction.extractor
    if fetch is not None:
        new_original.update(url=fetch.url, status=fetch.status, fetched=fetch.fetched)
    old_text = read_limited(folder / entry["file"]).decode("utf-8", "replace")
    new_yaml = _edited(doc, index, new_original, extraction.pages)
    if extraction.text != old_text:
        files[entry["file"]] = extraction.text.encode("utf-8")
    if new_yaml != text:
        files[SOURCES] = new_yaml.encode("utf-8")
    written = write_files(folder, files) if files else []
    return Refreshed(_summary(source_id, old_text, extraction.text, extraction.extractor, original), written)


def _edited(doc, index: int, original: dict, pages) -> str:
    """sources.yaml with the entry's original and pages blocks written anew, nothing else touched."""
    file, text = doc.file, doc.text
    edits = [_block(file, (index, "original"), original_lines(original))]
    if (index, "pages") in file.value_at:
        edits.append(_block(file, (index, "pages"), page_lines(pages)))
    elif pages:
        end = edits[0][1]
        indent = " " * _column(text, file.key_at[(index, "original")])
        lines = "".join(f"\n{indent}  {line}" for line in page_lines(pages))
        edits.append((end, end, f"\n{indent}pages:{lines}"))
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def _block(file, node: tuple, lines: list[str]) -> tuple[int, int, str]:
    start = file.value_at[node]
    ends = [end for path, end in file.scalar_end.items() if path[: len(node)] == node]
    end = max(ends, default=start)
    while end < len(file.text) and file.text[end] in " }]":
        end += 1
    indent = " " * _column(file.text, start)
    return start, end, lines[0] + "".join(f"\n{indent}{line}" for line in lines[1:])


def _column(text: str, pos: int) -> int:
    return pos - (text.rfind("\n", 0, pos) + 1)


def _summary(source_id: str, old: str, new: str, extractor: str, original: dict) -> str:
    was = original.get("extractor")
    lines = [f"source '{source_id}': extracted with {extractor}" + (f" (was {was})" if was != extractor else "")]
    if old == new:
        lines.append("the text is unchanged")
        return "\n".join(lines) + "\n"
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "before", "after", lineterm="", n=1))
    changed = sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))
    lines.append(f"the text changed: {len(old)} → {len(new)} characters, {changed} line(s) differ:")
    lines += ["  " + line for line in diff[:MAX_DIFF_LINES]]
    if len(diff) > MAX_DIFF_LINES:
        lines.append(f"  … {len(diff) - MAX_DIFF_LINES} more diff lines")
    lines.append("its pinned sha256 is unchanged: `factsheet check` reports the drift, and "
                 "`factsheet reanchor --write` places the citations in the new text and pins it")
    return "\n".join(lines) + "\n"
