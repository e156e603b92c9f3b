"""Tuning for long builds and for `mkdocs serve`: when the garbage collector runs, and how edits
are noticed. Nothing here changes what is built; each step says what it saves.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
import watchdog.observers.polling

log = logging.getLogger("mkdocs.plugins.briefing.tuning")  # (MkDocs shows its loggers only)


class Collector:
    """When the cyclic garbage collector runs, around builds."""

    def __init__(self, serving: bool) -> None:
        self.serving = serving
        self.timer: threading.Timer | None = None

    def build_starts(self) -> None:
        """A (re)build starts: no collection from the timer now (one running, it waits for)."""
        if self.timer is not None:
            self.timer.cancel()

    def records_read(self) -> None:
        """A build (not serve) read the records: they live until the end of the build. Out of
        the collector's sight, every full collection while MkDocs builds pages is shorter."""
        if not self.serving:
            gc.freeze()

    def pages_read(self) -> None:
        """MkDocs has read and converted every page: what it holds now (pages, their tables of
        contents, the navigation) stays until the build ends, while building each page's HTML
        makes short-lived objects only. One full collection (of the converted pages' garbage),
        then freezing them: no later full collection goes over them again. (Without it, full
        collections took about twice as long as in a plain MkDocs build of the same pages:
        tests/benchmarks/README.md.)"""
        if not self.serving:
            gc.collect()
            gc.freeze()

    def build_ends(self) -> None:
        """The build is done or failed: undo `records_read`; serving, collect a second later."""
        if not self.serving:
            gc.unfreeze()
        elif not gc.isenabled():
            self.timer = threading.Timer(1.0, gc.collect)
            self.timer.daemon = True
            self.timer.start()

    def serving_starts(self) -> None:
        """After the first build of `mkdocs serve`.

        What is alive now (the records, compiled templates, modules) lives as long as the
        server. Taking it out of the collector's sight saves each rebuild a full collection
        over all of it; the first Site, replaced on the first edit, is the only thing
        this keeps for good. From now on the collector runs between rebuilds, not during them
        (`build_ends`): each rebuild leaves the last Site as garbage, and a full collection
        that fell inside a rebuild made that edit visibly slower.
        """
        gc.collect()
        gc.freeze()
        gc.disable()


class Untuned(Collector):
    """The collector left as Python runs it: the reference (`generator.speed.Speed.tuning` off)."""

    def __init__(self) -> None:
        super().__init__(serving=False)

    def build_starts(self) -> None:
        pass

    def records_read(self) -> None:
        pass

    def pages_read(self) -> None:
        pass

    def build_ends(self) -> None:
        pass

    def serving_starts(self) -> None:
        pass


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """A block whose objects all stay alive until it ends (`briefing check`: the records, then
    what the checks make of them) runs without the cyclic garbage collector.

    With it, each full collection would go over every record again, for nothing: a good part
    of a large check. Nor is it turned back on as it was: its first pass would then go over
    everything made in the block. Freezing the objects, then unfreezing them, puts them
    in the oldest generation with the counts set to zero, so they wait for a full collection.
    """
    enabled = gc.isenabled()
    # (Under serve the collector is off, and millions of objects are frozen: counting them,
    # which walks their list, took half a second of each edit at 50,000 events.)
    frozen = enabled and gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if enabled and not frozen:  # (what a `Collector` froze stays frozen)
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


class Shelf:
    """Converted pages' HTML, compressed while it waits for MkDocs to build the pages.

    MkDocs converts every page's Markdown before it builds any page's HTML, so at the end of
    its first pass it holds every page's converted HTML (a brief's is about 10 KB). Compressed
    (zlib at its fastest level: a third of a millisecond for both ways) it takes about a
    quarter of that, and the process's memory stays that much lower for the rest of the build:
    the room freed after a page is built is reused, not given back to the system.
    """

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}

    def put(self, key: str, html: str) -> str:
        """Keep ``html`` for page ``key``; returns what MkDocs holds instead (nothing)."""
        self.pages[key] = zlib.compress(html.encode("utf-8"), 1)
        return ""

    def take(self, key: str, held: str | None) -> str | None:
        """The HTML kept for page ``key``; ``held`` (what MkDocs holds) if none was."""
        packed = self.pages.pop(key, None)
        return held if packed is None else zlib.decompress(packed).decode("utf-8")


# What changes a watched file (as MkDocs' polling sees it: its contents, times or size).
# Opening or reading one (inotify reports both) does not, and taken for an edit, it would
# start a rebuild for every rebuild that reads the records.
CHANGES = [
    watchdog.events.FileAttribEvent,  # (its modification time, as `touch` sets it)
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileMovedEvent,
]


def watch(server: Any, folders: Iterable[Path], *, poll: bool) -> None:
    """Have `mkdocs serve` rebuild on edits in ``folders``; unless ``poll``, noticed through
    the system's file notifications (see `notified`)."""
    for folder in folders:
        server.watch(str(folder))
    if not poll and (watcher := notified(server)):
        log.info("briefing: edits noticed through file notifications (%s)", watcher)


def notified(server: Any) -> str | None:
    """Make `mkdocs serve` notice edits through the system's file notifications (inotify, FSEvents,
    ReadDirectoryChangesW); the name of the watcher now used, or None if MkDocs' is kept.

    MkDocs 1.6 polls: twice a second, its watcher lists and stats every watched file, which
    costs the rebuild's process time in proportion to the records, and a save waits a
    quarter of a second on average to be seen. Its watcher (``server.observer``) is replaced
    before it starts, with the watches made so far moved over.
    """
    polling = getattr(server, "observer", None)
    native: Any = watchdog.observers.Observer
    if (
        native is watchdog.observers.polling.PollingObserver
        or type(polling) is not watchdog.observers.polling.PollingObserver
        or polling.is_alive()
    ):
        return None

    class Notified(native):  # type: ignore[misc]
        def schedule(self, handler: Any, path: str, **options: Any) -> Any:
            return super().schedule(handler, path, **{"event_filter": CHANGES, **options})

    observer = Notified()
    try:
        for watch, handlers in list(polling._handlers.items()):  # (watchdog keeps no public list)
            for handler in handlers:
                observer.schedule(handler, watch.raw_path, recursive=watch.is_recursive)
    except OSError as exc:  # (out of inotify watches, say)
        log.info("briefing: file notifications unavailable (%s); MkDocs polls for edits", exc)
        return None
    server.observer = observer
    return str(native.__name__)
