"""What makes long builds and `mkdocs serve` fast, and nothing else.

Pages rendered by a forked child (`background`), built pages written by another
(`pagewriter`), and the garbage collector's switches, the compressed shelf and the file
watcher's pace (`tuning`). The single-process, single-thread path is the reference; each of
these only makes it faster, and each sits behind one switch of `Speed`, so that a test can
build with it and without it and compare every file (tests/test_speed.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from generator.content.errors import BriefingError

ENVIRONMENT = "BRIEFING_SPEED"
"""The variable that names the fast paths a build takes (all of them when it is unset; none
when it is empty: the reference build), comma-separated: ``BRIEFING_SPEED=background,relink``."""


@dataclass(frozen=True)
class Speed:
    """Which fast paths a build takes. Each gives the reference build's output."""

    background: bool = True
    """Every page rendered by a forked child while MkDocs reads them (`background`)."""
    pagewriter: bool = True
    """Built pages minified, indexed and written by a forked child, in a build (`pagewriter`)."""
    relink: bool = True
    """Under `mkdocs serve --dirty`, the last Site patched by an edit, not read again
    (`generator.site.relink`)."""
    tuning: bool = True
    """The cyclic garbage collector kept off what lives to the end of a build (`tuning`)."""

    @classmethod
    def named(cls, names: str | None) -> Speed:
        """The fast paths ``names`` lists (see `ENVIRONMENT`); every one for None."""
        if names is None:
            return cls()
        wanted = {name.strip() for name in names.split(",") if name.strip()}
        known = {f.name for f in dataclasses.fields(cls)}
        if unknown := sorted(wanted - known):
            listed = ", ".join(sorted(known))
            raise BriefingError(f"{ENVIRONMENT}: no fast path {unknown[0]} (known: {listed})")
        return cls(**{name: name in wanted for name in known})


REFERENCE = Speed(background=False, pagewriter=False, relink=False, tuning=False)
"""No fast path: one process, one thread, the collector left alone."""
FAST = Speed()
"""Every fast path: what a build takes unless told otherwise."""
