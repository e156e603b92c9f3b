"""Maintainers' tools that are not part of the site generator (run each with ``python -m``)."""
