"""Pure analysis functions: figures, interval overlaps, sentences, coverage; and a lean check path."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from factsheet.curate.report import merge, sentences
from factsheet.verification.corroboration import overlapping_pairs
from factsheet.verification.figures import attributions, figures

ranges = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1])),
                  max_size=12)


@given(ranges, ranges)
def test_overlapping_pairs_finds_exactly_the_overlaps(left, right):
    lefts = [(a, b, ("L", i)) for i, (a, b) in enumerate(left)]
    rights = [(a, b, ("R", i)) for i, (a, b) in enumerate(right)]
    want = sorted((x[2], y[2]) for x in lefts for y in rights if x[0] < y[1] and y[0] < x[1])
    assert sorted(overlapping_pairs(lefts, rights)) == want


@given(ranges)
def test_merge_covers_the_same_points(rs):
    points = {p for a, b in rs for p in range(a, b)}
    merged = merge(rs)
    assert {p for a, b in merged for p in range(a, b)} == points
    assert all(b1 < a2 for (_, b1), (a2, _) in pairwise(merged))


def test_figures_values_and_what_is_not_a_figure():
    found = [(f.text, f.value, f.percent) for f in figures(
        "On 21 March 2018 shares fell 8.5% ($46bn); one of the founders said five days; 5m of cable.",
        bare_one=False)]
    assert found == [("21", 21.0, False), ("2018", 2018.0, False), ("8.5%", 8.5, True),
                     ("$46bn", 46e9, False), ("five", 5.0, False), ("5m", 5.0, False)]


def test_counts_of_reports_are_attributions_not_figures():
    text = "Two reports said 50 million; three other outlets said more."
    assert [f.text for f in figures(text)] == ["50 million"]
    assert [(f.text, f.value) for f in attributions(text)] == [("Two reports", 2.0), ("three other outlets", 3.0)]


def test_sentences_split_at_end_punctuation_and_blank_lines():
    text = "Headline\n\nFirst one. “Second,” he said. Third?\nNext line"
    assert [text[a:b] for a, b in sentences(text)] == [
        "Headline", "First one.", "“Second,” he said.", "Third?", "Next line"]


def test_check_does_not_import_heavy_modules(tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "small"
    code = ("import sys; from factsheet.cli import main; rc = main(['check', '--content', sys.argv[1]]); "
            "print(rc, sorted(m for m in ('rapidfuzz', 'weasyprint', 'markdown', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(fixture)], capture_output=True, text=True, check=True)
    assert out.stdout == "0 []\n"
