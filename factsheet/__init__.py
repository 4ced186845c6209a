"""factsheet: curated facts, each linked to the exact words of its sources, rendered as a briefing.

The pipeline, in the order ``build`` runs it:

1. ``load``    YAML content and source texts -> model objects, every node with its file:line:col;
2. ``anchor``  each citation's quote -> the exact span of its pinned source text;
3. ``check``   rules over the resolved briefing -> diagnostics (errors, warnings);
4. ``render``  the briefing -> Markdown (Jinja2, every curated character escaped) and JSON;
5. ``html``    that Markdown -> a standalone HTML page;
6. ``pdf``     that HTML -> PDF (WeasyPrint, fetching nothing but the templates' own assets).

Nothing is written until every stage has succeeded (``build.write_outputs``).
"""

__version__ = "0.1.0"
