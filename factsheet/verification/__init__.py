"""The second stage: anchoring every citation to its pinned source (``anchor``, ``resolve``),
numbering the notes, and the rules over the resolved briefing (``rules``, with ``figures`` and
``corroboration``); drift and re-anchoring of changed sources (``reanchor``, ``fuzzy``).
Nothing here renders or writes."""
