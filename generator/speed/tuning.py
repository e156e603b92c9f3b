"""Tuning for long builds and for `mkdocs serve`: when the garbage collector runs, and a
compressed shelf for HTML that waits. Nothing here changes what is built; each step says what
it saves. (How `mkdocs serve` notices edits is MkDocs' own behaviour, changed through
`generator.adapter.mkdocs_quirks`.)
"""

from __future__ import annotations

import contextlib
import gc
import threading
import zlib
from collections.abc import Iterator


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
    """Pages' HTML by key, compressed while it waits to be used
    (`generator.adapter.mkdocs_quirks.Converted` keeps MkDocs' converted pages here until it
    builds them).

    A process that holds every page's HTML at once (a brief's is about 10 KB) holds it here
    compressed (zlib at its fastest level: a third of a millisecond for both ways), in about a
    quarter of the room, and its memory stays that much lower for the rest of the build: the
    room freed after a page is built is reused, not given back to the system.
    """

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}

    def put(self, key: str, html: str) -> None:
        """Keep ``html`` for page ``key``."""
        self.pages[key] = zlib.compress(html.encode("utf-8"), 1)

    def take(self, key: str, held: str | None) -> str | None:
        """The HTML kept for page ``key`` (no longer kept); ``held`` if none was."""
        packed = self.pages.pop(key, None)
        return held if packed is None else zlib.decompress(packed).decode("utf-8")
