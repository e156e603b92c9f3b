"""The build, top to bottom: the stages run in order (`build`).

One build of the site, and the incremental state a `mkdocs serve` session keeps between
rebuilds. MkDocs' events reach it through `generator.adapter`; the ``briefing`` commands call
it directly.
"""
