"""What the libraries WeasyPrint writes a PDF with are made to cost less, each a small process-wide
fix applied before a PDF is laid out, and each guarded: it is applied only to the code it was
written against (pydyf 0.13, tinyhtml5 2.x), and anything else is left as it is.

- pydyf rebuilds ``PDF.page_references`` (every page's reference) on each read, and WeasyPrint's
  tagging reads it once for every element of the structure tree: pages × elements, 43.9 M of the
  141.5 M Python calls of a 1,000-fact briefing's PDF. It is now built once per page count.
- With a file identifier, pydyf serialises every object twice (the second time to hash the file),
  compressing every stream again: ``serialise_once``, WeasyPrint's ``finisher``, makes each
  object's bytes once.
- tinyhtml5 stores each regular expression of its tokenizer's cache under the wrong key, so every
  lookup misses and the expression is rebuilt for each attribute: the cache is keyed as it is read.
- pydyf compresses streams at zlib's level 9; level 6 (zlib's default) takes a quarter of the time
  for 4% more bytes.

And WeasyPrint itself is imported without searching for its C libraries (``import_weasyprint``).

The PDF is the same byte for byte with and without the first three (tests/test_pdflibs.py).
"""

from __future__ import annotations

import io
import re
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager


def apply() -> None:
    """Apply every fix (once: each is idempotent)."""
    _cache_page_references()
    _cache_tokenizer_regexes()
    _deflate_at_default_level()


def import_weasyprint():
    """Import WeasyPrint (once), its C libraries loaded by name without a search.

    WeasyPrint tries several names for each library (Pango, HarfBuzz, fontconfig…), the usual
    sonames last. cffi hands each name it cannot open directly to ``ctypes.util.find_library``,
    which on Linux runs ``ldconfig``, then ``gcc`` and ``ld``: about 19 ms for each failed name,
    twelve or more of them, so about a third of a second, a third of the whole import. The
    sonames open directly from the same places the dynamic loader looks, so on Linux the search is
    skipped while WeasyPrint loads: the same library files are mapped (tests/test_pdflibs.py). A
    library only a search finds (in a folder the loader does not know, but ``gcc`` does) fails the
    first import, and WeasyPrint is then imported again as it is, search included. Nothing else in
    factsheet looks libraries up, and the search is back as soon as the import ends.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = _no_search
    try:
        import weasyprint

        return weasyprint
    except OSError:
        pass
    finally:
        ctypes.util.find_library = search
    import weasyprint  # some library lies where only the search finds it

    return weasyprint


def _no_search(name: str) -> None:
    return None


def parse_html(html: str):
    """``html`` parsed as WeasyPrint parses a string it is given (tinyhtml5, from a text stream,
    elements without a namespace): for a process that has time to spare before another lays the
    document out (``pdfprocess``). The tree pickles. None where WeasyPrint parses otherwise."""
    try:
        import tinyhtml5  # type: ignore[import-untyped]
    except ImportError:
        return None
    _cache_tokenizer_regexes()
    return tinyhtml5.parse(io.StringIO(html), namespace_html_elements=False)


@contextmanager
def parsed_already(html: str, tree) -> Iterator[None]:
    """While this block runs, WeasyPrint asked to parse ``html`` is given ``tree`` (``parse_html``'s
    tree of that same text) instead; anything else it parses as before. Should WeasyPrint stop
    parsing strings this way, ``html`` is parsed again: the same PDF, only later."""
    import tinyhtml5

    parse = tinyhtml5.parse

    def given(source, *args, **kwargs):
        if (not args and kwargs == {"namespace_html_elements": False} and isinstance(source, io.StringIO)
                and source.tell() == 0 and source.getvalue() == html):
            return tree
        return parse(source, *args, **kwargs)

    tinyhtml5.parse = given
    try:
        yield
    finally:
        tinyhtml5.parse = parse


def _cache_page_references() -> None:
    """Make pydyf's ``PDF.page_references`` build its tuple once per page count, not once a call.

    The property rebuilds a tuple of every page's reference on each use, and WeasyPrint's tagging
    uses it once for every element of the structure tree: a cost of pages × elements (0.6 M of
    11 M Python calls for the 40-page briefing, and growing with the square of the length). The
    cached tuple is the same tuple: it is rebuilt whenever a page has been added since. Applied
    once, and only to the property this was written against (pydyf 0.13).
    """
    import pydyf  # type: ignore[import-untyped]

    prop = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(prop, property) or prop.fget is None or getattr(prop.fget, "factsheet_cached", False):
        return
    build = prop.fget

    def page_references(self):
        count = len(self.pages["Kids"])
        cached = self.__dict__.get("_factsheet_page_references")
        if cached is None or cached[0] != count:
            cached = self.__dict__["_factsheet_page_references"] = (count, build(self))
        return cached[1]

    setattr(page_references, "factsheet_cached", True)  # noqa: B010 (a function's own attribute)
    pydyf.PDF.page_references = property(page_references, doc=prop.__doc__)


class _TokenizerRegexes(dict):
    """tinyhtml5's cache of the regular expressions its tokenizer scans runs of characters with,
    keyed as it looks them up. tinyhtml5 (2.0) stores each new expression under the expression
    itself (``characters = cache[key] = regex`` assigns ``characters`` first), so every lookup
    misses and the expression's source is rebuilt, character by character, for each attribute
    name and value: 0.2 s of the 0.36 s WeasyPrint takes to parse the real briefing's print HTML.
    Built here on the first miss, stored under the key looked up; the same expressions, the same
    tree (compared on the real briefing's print HTML and on Pandoc's)."""

    def __missing__(self, key):
        characters, opposite = key
        source = "".join(f"\\x{ord(c):02x}" for c in characters)
        value = self[key] = re.compile(f"[{source}]+" if opposite else f"[^{source}]+")
        return value


def _cache_tokenizer_regexes() -> None:
    try:
        from tinyhtml5 import inputstream
    except ImportError:  # an older WeasyPrint, parsing with html5lib
        return
    if type(getattr(inputstream, "characters_until_regex", None)) is dict:
        inputstream.characters_until_regex = _TokenizerRegexes()


class _Deflate:
    """Stands for the ``zlib`` module in pydyf, which compresses every stream at level 9. Level 6
    (zlib's default) takes a quarter of the time on the real briefing's streams (0.10 s against
    0.37 s for one pass over them) for 4% more bytes; the PDF is as reproducible as before (the same
    content, templates and versions give the same bytes)."""

    LEVEL = 6

    def __getattr__(self, name):
        return getattr(zlib, name)

    def compressobj(self, level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(self.LEVEL if level == 9 else level, *args, **kwargs)


def _deflate_at_default_level() -> None:
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Deflate()


class _Once:
    """Mixed into a pydyf object's class by ``serialise_once``: its bytes are made once."""

    @property
    def data(self):
        try:
            return self.__dict__["_factsheet_data"]
        except KeyError:
            data = self.__dict__["_factsheet_data"] = super().data  # type: ignore[misc]
            return data


_SERIALISED_ONCE: dict[type, type] = {}


def serialise_once(document, pdf) -> None:
    """WeasyPrint's ``finisher``, run on the finished pydyf PDF just before it is written: each
    object keeps its bytes once made. With a file identifier, pydyf serialises every object twice,
    the second time to hash the whole file for the identifier's second half, compressing every
    stream again (zlib level 9). Nothing changes the objects once the finisher runs, so the bytes
    written are the same (compared byte for byte on the real briefing's PDF)."""
    for obj in pdf.objects:
        if getattr(obj, "free", "f") == "f" or not hasattr(obj, "__dict__"):
            continue
        kind = type(obj)
        once = _SERIALISED_ONCE.get(kind)
        if once is None:
            once = _SERIALISED_ONCE[kind] = type(kind.__name__, (_Once, kind), {"__module__": kind.__module__})
        obj.__class__ = once
