"""The third stage: Markdown pages from the Site, through the templates.

Owns the page plan (`pages`, with the `Page` type in `page`), the Jinja2 environment and one
page's Markdown (`jinja`), record text embedded so that MkDocs' Markdown never reads it
(`embed`), the layouts the SVG templates draw (`chart`, `timeline`), the reference and rules
pages made from the models (`docs`), hand-written pages held to the same allow-list
(`handwritten`), and writing the Markdown where MkDocs reads it (`output`).
"""
