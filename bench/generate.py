"""Synthetic briefings in the real content format, at any scale, for the benchmark.

Source texts look like captured news articles: curly quotes and apostrophes, non-breaking spaces in
figures, en and em dashes, dates, a few non-ASCII names (the cited spans hold figures, quotation
marks, apostrophes and dates in about the shares the spans of content/ do; a test compares them),
a boilerplate phrase repeated through each article (so some citations need a prefix to pick one
occurrence), a few CRLF captures and page furniture. Citations quote their sources the way
curators do: mostly verbatim, some with straight quotes or plain spaces (typographic differences
the matcher ignores), some with a prefix, some with start/end offsets.

``drift`` edits some sources after they are pinned (a paragraph inserted, a word changed in a few
quoted sentences), the way a re-captured page drifts: `factsheet check` then reports errors.

Usage: python bench/generate.py --scale small|medium|large|realistic --out DIR [--drift N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from factsheet.verification.figures import figures

# scale: (sources, facts, citations per fact, sentences per source)
SCALES = {
    "realistic": (5, 80, 2, 45),
    "small": (10, 100, 3, 40),
    "medium": (100, 1000, 3, 40),
    "large": (1000, 10000, 3, 40),
}
BOILERPLATE = "the spokesperson said."
FURNITURE = "Share this story"
NBSP, LQ, RQ, APOS, EN, EM = "\u00a0", "\u201c", "\u201d", "\u2019", "\u2013", "\u2014"
_STRAIGHT = str.maketrans({LQ: '"', RQ: '"', APOS: "'", NBSP: " ", EN: "-", EM: "-"})


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    onsets = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "br", "st", "tr", "pl"]
    vowels = ["a", "e", "i", "o", "u", "ea", "ou", "ai"]
    codas = ["", "n", "r", "s", "t", "l", "nd", "st", "ck"]
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.randint(1, 3)
        word = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables))
        # A made-up word that spells a number ("ten") would be a figure the citations don't support.
        if not figures(word):
            words.add(word)
    return sorted(words)


COMMON = ["the", "a", "of", "to", "in", "and", "on", "for", "with", "that", "said", "was", "were", "by", "at",
          "from", "has", "have", "its", "their"]
NAMES = ["Ana Ruiz", "Tom Becker", "Mira Osei", "Li Wen", "Sam O\u2019Neill", "Jo Varga", "Ravi Menon"]
ACCENTED = ["Zoë Brückner", "José Núñez", "Łucja Wójcik", "Søren Ødegård"]
APOSTROPHES = ["the council\u2019s", "it\u2019s", "the mayor\u2019s", "the city\u2019s", "the board\u2019s"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "March", "May", "July", "October", "December"]


def _upper_first(text: str) -> str:
    # Not str.capitalize: that would lower-case the names and months inside.
    return text[:1].upper() + text[1:]


@dataclass
class Sentence:
    text: str
    start: int = 0  # set when the article is assembled
    repeated_tail: bool = False  # ends with the boilerplate phrase


@dataclass
class Article:
    id: str
    file: str
    title: str
    crlf: bool
    sentences: list[Sentence] = field(default_factory=list)
    text: str = ""


class Writer:
    """Deterministic text and YAML for one generated briefing."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)

    def phrase(self, n: int) -> str:
        rng = self.rng
        return " ".join(rng.choice(COMMON) if rng.random() < 0.3 else rng.choice(self.words) for _ in range(n))

    def sentence(self) -> Sentence:
        """A sentence of news prose. Its features are drawn independently, in about the shares the
        cited spans of content/ have: a figure or a date in three in ten (a date in a quarter),
        quotation marks in three in ten, an apostrophe in nearly half; a few names are non-ASCII."""
        rng = self.rng
        if rng.random() < 0.1:
            return Sentence(f"{_upper_first(self.phrase(rng.randint(9, 16)))}, {BOILERPLATE}", repeated_tail=True)
        parts = [self.phrase(rng.randint(9, 15))]
        if rng.random() < 0.58:
            parts.insert(rng.randint(0, 1), rng.choice(APOSTROPHES))
        if rng.random() < 0.3:
            parts.append(rng.choice([f"cost {rng.randint(2, 99)}{NBSP}million",
                                     f"by {rng.randint(5, 9)}{EN}{rng.randint(0, 4)}",
                                     f"{rng.randint(2, 60)} per cent"]))
        if rng.random() < 0.24:
            parts.insert(0, rng.choice([f"on {rng.choice(DAYS)}",
                                        f"on {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2024)}"]))
        body = _upper_first(" ".join(parts))
        who = rng.choice(ACCENTED if rng.random() < 0.1 else NAMES)
        kind = rng.random()
        if kind < 0.34:
            return Sentence(f"{LQ}{body},{RQ} {who} said.")
        if kind < 0.44:
            return Sentence(f"{body} {EM} {self.phrase(4)} {EM} {who} wrote.")
        return Sentence(f"{body}.")

    def article(self, n: int, sentences: int) -> Article:
        crlf = n % 7 == 3
        art = Article(f"src-{n:04d}", f"src-{n:04d}.txt", f"{self.phrase(5).capitalize()}", crlf)
        art.sentences = [self.sentence() for _ in range(sentences)]
        newline = "\r\n" if crlf else "\n"
        parts, pos = [art.title + newline + newline], len(art.title) + 2 * len(newline)
        for i, s in enumerate(art.sentences):
            s.start = pos
            sep = newline + newline if i % 4 == 3 else " "
            parts.append(s.text + sep)
            pos += len(s.text) + len(sep)
        parts.append(FURNITURE + newline)
        art.text = "".join(parts)
        return art

    def citation(self, art: Article) -> dict:
        rng = self.rng
        s = rng.choice(art.sentences)
        kind = rng.random()
        if s.repeated_tail and kind < 0.5:
            # The boilerplate alone occurs many times: a prefix picks this one.
            at = s.start + len(s.text) - len(BOILERPLATE)
            return {"source": art.id, "quote": BOILERPLATE, "prefix": art.text[at - 30 : at]}
        if kind < 0.2:
            return {"source": art.id, "quote": s.text.translate(_STRAIGHT)}
        if kind < 0.3:
            return {"source": art.id, "quote": s.text, "start": s.start, "end": s.start + len(s.text)}
        if kind < 0.4:
            words = s.text.split(" ")
            return {"source": art.id, "quote": " ".join(words[: max(6, len(words) // 2)])}
        return {"source": art.id, "quote": s.text}


def _q(value: str) -> str:
    # JSON strings are YAML double-quoted scalars: every value stays exactly the text written.
    return json.dumps(value, ensure_ascii=False)


def _yaml_item(fields: dict, indent: str = "") -> str:
    lines = []
    for i, (key, value) in enumerate(fields.items()):
        lead = indent + ("- " if i == 0 else "  ")
        if isinstance(value, list):
            lines.append(f"{lead}{key}:")
            lines.extend(_yaml_item(item, indent + "    ") for item in value)
        elif isinstance(value, int):
            lines.append(f"{lead}{key}: {value}")
        else:
            lines.append(f"{lead}{key}: {_q(value)}")
    return "\n".join(lines)


_DATED = frozenset(DAYS + MONTHS)


def statement(cites: list[dict], n: int) -> str:
    """What a curator writes: the words of a cited quote (no figures), so the support rules pass.
    No weekday or month either: random statements sharing a name would otherwise give two dates
    for what the contradiction rule takes for one event."""
    quote = next((c["quote"] for c in cites if c["quote"] != BOILERPLATE), cites[0]["quote"])
    words = [w for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", quote) if w.capitalize() not in _DATED]
    return " ".join(words[:n]).capitalize() + "."


def generate(out: Path, n_sources: int, n_facts: int, per_fact: int, sentences: int, *,
             seed: int = 1, drift: int = 0, facts_per_file: int = 200) -> dict:
    """Write a content folder at ``out``; returns counts (sources, facts, citations, bytes)."""
    w = Writer(seed)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    (out / "facts").mkdir(exist_ok=True)
    articles = [w.article(n, sentences) for n in range(n_sources)]
    n_sections = max(2, min(12, n_facts // 10))
    sections = [{"id": f"sec-{i}", "title": w.phrase(3).capitalize(), "intro": w.phrase(12).capitalize() + "."}
                for i in range(n_sections)]
    (out / "briefing.yaml").write_text(
        f"title: {_q('Synthetic briefing: ' + w.phrase(4))}\nsubtitle: {_q(w.phrase(8))}\n"
        f"date: \"2024-05-07\"\nlanguage: en\nauthors: [\"Bench Desk\"]\n"
        f"summary: {_q(w.phrase(15).capitalize() + '.')}\nkeywords: [bench, synthetic]\nsections:\n"
        + "\n".join(_yaml_item(s, "  ") for s in sections) + "\n", encoding="utf-8")

    citations = 0
    facts = []
    for i in range(n_facts):
        chosen = w.rng.sample(articles, min(per_fact, len(articles)))
        cites = [w.citation(a) for a in chosen]
        citations += len(cites)
        facts.append({"id": f"fact-{i:05d}", "section": sections[i % n_sections]["id"],
                      "statement": statement(cites, w.rng.randint(10, 24)), "citations": cites})
    for f in range(0, n_facts, facts_per_file):
        body = "\n".join(_yaml_item(fact) for fact in facts[f : f + facts_per_file])
        (out / "facts" / f"facts-{f // facts_per_file:03d}.yaml").write_text(body + "\n", encoding="utf-8")

    # Every source is cited at least once, so a clean corpus has no warnings either.
    entries = []
    for art in articles:
        data = art.text.encode("utf-8")
        entries.append({"id": art.id, "file": art.file, "title": art.title, "publisher": "Bench Gazette",
                        "url": f"https://bench.example/{art.id}", "published": "2024-05-07",
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "furniture": [{"quote": FURNITURE}]})
        (out / "sources" / art.file).write_bytes(data)
    (out / "sources" / "sources.yaml").write_text(
        "\n".join(_yaml_item(e) for e in entries) + "\n", encoding="utf-8")
    for art in w.rng.sample(articles, min(drift, len(articles))):
        (out / "sources" / art.file).write_bytes(drifted(w, art).encode("utf-8"))
    size = sum(len(a.text.encode("utf-8")) for a in articles)
    return {"sources": n_sources, "facts": n_facts, "citations": citations, "source_bytes": size}


def drifted(w: Writer, art: Article, edits: float = 0.15) -> str:
    """The article re-captured: a paragraph inserted near the top, a word changed in some sentences."""
    newline = "\r\n" if art.crlf else "\n"
    text = art.text
    for s in sorted(art.sentences, key=lambda s: -s.start):
        if w.rng.random() < edits:
            words = s.text.split(" ")
            k = w.rng.randrange(1, len(words) - 1)
            words[k] = w.rng.choice(w.words)
            text = text[: s.start] + " ".join(words) + text[s.start + len(s.text):]
    cut = text.index(newline + newline) + 2 * len(newline)
    inserted = " ".join(w.sentence().text for _ in range(3)) + newline + newline
    return text[:cut] + inserted + text[cut:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--drift", type=int, default=0, help="number of sources to drift after pinning")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"generate: {args.out} is not empty", file=sys.stderr)
        return 2
    counts = generate(args.out, *SCALES[args.scale], seed=args.seed, drift=args.drift)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
