"""The first stage: records read and typed.

Owns everything about one record file on its own: strict YAML loading with the position of every
key and value (`load`), the schema declared once (`model`), positioned editor messages
(`errors`, `validate`), dates with their precision (`edtf`), what record text may hold and the
HTML it may become (`safe`, with `bounded` keeping Markdown's work linear), and the walk of the
content tree that reads every record (`records`). Nothing here knows of other records, pages or
MkDocs.
"""
