"""The build, top to bottom: check, plan, render, publish (`build`), and the `serve` session.

`build.Builder` is one build of the site; `serve.Session` adds the incremental state a
`mkdocs serve` session keeps between rebuilds. MkDocs' events reach them through
`generator.adapter`; the ``briefing`` commands call `build` directly.
"""
