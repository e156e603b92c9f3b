"""The import stage: rows of an outside data set become event records (`briefing import`).

Owns the mapping an editor declares for a data set (`mapping`: its model, hence its JSON
Schema, read with positions like a record), the reading of CSV, JSON and XLSX files into rows
with their positions (`table`), the turning of rows into records (`convert`: dates to the
site's local date, units, unknown values, salvos grouped, lookups), and the merge into the
content folder that never destroys editors' work (`merge`). It comes after `content`, whose
models and loader it uses, and knows nothing of the linked site or of pages.
"""
