"""MkDocs' side: the plugin (`plugin`), `mkdocs serve` under the site's policy (`preview`),
and what every page would repeat that readers do not need (`trim`).

The plugin is a thin adapter: each MkDocs event becomes a call into `generator.session`.
"""
