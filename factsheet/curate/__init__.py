"""The curator's tools around the pipeline: ``locate`` words and get a citation, ``init`` a new
briefing, ``report`` coverage, ``watch`` and rebuild, ``reanchor`` drifted sources."""
