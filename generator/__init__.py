"""Briefing: a static briefing-site generator.

The pipeline reads top-down in `generator.build`; one module per stage::

    load     content/*.yaml -> plain data with source positions
    model    plain data -> typed records (pydantic)
    records  the content tree -> every record read and typed
    link     typed records -> one cross-referenced Site
    pages    Site -> the page plan (each page's template and context)
    changes  which pages an edit can change
    render   one page -> Markdown through templates/
    output   Markdown pages -> the cache folder
    plugin   MkDocs adapter: MkDocs' events -> `build.Builder` calls
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
