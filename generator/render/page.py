"""One generated page: where it lands, which template renders it, with what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.site.changes import Unit
from generator.site.entries import ActorEntry, EventEntry


@dataclass(frozen=True)
class Page:
    """One generated page."""

    path: str
    """Relative, ``.md``."""
    template: str
    unit: Unit | None = None
    """The unit of `generator.site.changes` the page belongs to (None: a hub, always rendered)."""
    events: tuple[str, ...] | None = ()
    """The ids of the events the page lists, for a unit narrowed to some events; None if the
    page shows something of every event of its unit."""
    record: EventEntry | ActorEntry | None = None
    """The entry whose file the page's "edit" link opens."""
    context: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    """What the template gets besides the site-wide values; or what makes it, called when the
    page is rendered (`generator.render.pages.plan`)."""
