"""The second stage: the records cross-referenced into one `Site`.

Owns the shared types every later stage reads (`entries`: `Site`, `EventEntry`, `ActorEntry`),
the checks across records and the backlinks (`link`), the editorial lint on a linked Site
(`editorial`), the JSON Schema made from the models and the vocabulary (`schema`), where
generated pages land (`addresses`) and what ``content/pages/`` may hold beside them
(`pagefiles`), which search part each page goes into (`parts`), and the incremental state of
`mkdocs serve`: what an edit changes (`changes`), the Site patched in place (`relink`), and what
a build made from each record (`memo`).
"""
