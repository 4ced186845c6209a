"""The first stage: reading the content folder (YAML with positions, the schema, the source texts)
into one model. Nothing here renders or checks citations."""
