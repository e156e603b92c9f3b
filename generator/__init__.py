"""Briefing: a static briefing-site generator.

The pipeline, one module per stage::

    load     content/*.yaml -> plain data with source positions
    model    plain data -> typed records (pydantic)
    link     typed records -> one cross-referenced Site
    render   Site -> Markdown pages through templates/
    plugin   MkDocs adapter over the stages above
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
