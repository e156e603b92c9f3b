"""Briefing: a static briefing-site generator.

One subpackage per stage of the pipeline, each importing only from the stages before it
(`tests/test_structure.py` holds them to it); `generator.session.build` runs them in order::

    content   content/*.yaml -> positioned data -> typed records (pydantic)
    site      typed records -> one cross-referenced Site; what an edit changes
    render    Site -> the page plan -> Markdown through templates/
    publish   built pages -> feeds, open data, cards, sitemap, search index, policy
    speed     forks, the page writer, the garbage collector's switches
    session   the build, top to bottom, and what `mkdocs serve` keeps between rebuilds
    adapter   MkDocs' events -> session calls; `mkdocs serve` under the policy
    commands  the ``briefing`` command line

`generator.settings` stands below them all.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
