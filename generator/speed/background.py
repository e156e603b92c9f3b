"""The background renderer: every page rendered and written by a forked child process.

MkDocs converts a page in about ten times the time it takes to render, so, with rendering on
the other core, a full build waits for the first page only. The child renders the pages in the
order MkDocs reads them and reports each one on a pipe once it is on disk; the parent asks for
a page (`Background.ready`) just before MkDocs reads it.

A thread of the parent reads the pipe as the child writes it, so the child never waits for
MkDocs: it exits as soon as its work is done, long before MkDocs has read every page, and its
memory (a copy of the records, pages shared with the parent apart) goes with it. Left to
MkDocs' pace, the pipe's 64 KB filled after some 13,000 pages and the child stayed, holding its
memory, until MkDocs had read nearly every one (figures in tests/benchmarks/README.md).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from generator.content.errors import BriefingError
from generator.render import output
from generator.render.jinja import Renderer
from generator.render.page import Page
from generator.render.pages import plan
from generator.settings import Settings
from generator.site.entries import Site


@dataclass(frozen=True)
class Written:
    rendered: int
    """How many pages were rendered."""
    written: set[str]
    """The paths of the pages whose files changed."""


def can_fork() -> bool:
    """Whether `Background` may be used: os.fork exists and no other thread runs."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Background:
    """Every page of the site, rendered and written under the cache folder by a child process.

    `ready` blocks until a page is on disk; `finish` waits for the rest. Only where `can_fork`.
    """

    def __init__(
        self,
        site: Site,
        settings: Settings,
        then: Callable[[], object] | None = None,
        planned: Sequence[Page] | None = None,
    ) -> None:
        """``then``: more work for the child, done after the pages are written. ``planned``:
        the pages (`generator.render.pages.plan`), when already known."""
        planned = plan(site, settings.page_size) if planned is None else planned
        self.paths = [page.path for page in planned]
        self.order = {path: number for number, path in enumerate(self.paths)}
        self.done = 0  # pages on disk, in order
        self.summary: dict[str, Any] | None = None
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        read, write = os.pipe()
        self.child = os.fork()
        if self.child == 0:
            os.close(read)
            _child(site, settings, planned, write, then)
        os.close(write)
        self.problem: str | None = None
        self.changed = threading.Condition()
        self.reader = threading.Thread(
            target=self._read, args=(os.fdopen(read, encoding="utf-8"),), daemon=True
        )
        self.reader.start()

    def ready(self, path: str) -> None:
        """Return once page ``path`` is written (at once for a path that is not generated)."""
        number = self.order.get(path)
        if number is not None:
            self._wait(lambda: self.done > number)

    def finish(self) -> Written:
        """Wait for every page and for the child; what was rendered and written."""
        self._wait(lambda: False)
        self.stop()
        assert self.summary is not None
        return Written(self.summary["rendered"], set(self.summary["written"]))

    def stop(self) -> None:
        """End the child (done, or the build failed)."""
        if self.child:
            if self.summary is None:
                os.kill(self.child, signal.SIGKILL)
            os.waitpid(self.child, 0)
            self.child = 0
        self.reader.join()

    def _wait(self, until: Callable[[], bool]) -> None:
        """Wait until ``until()``, or the child's summary; raise what the child reported."""
        with self.changed:
            self.changed.wait_for(lambda: until() or self.summary is not None or self.problem)
            if until():  # (a page written before a later one failed is still good to read)
                return
        if self.problem is not None:
            self.stop()
            raise BriefingError(f"rendering failed: {self.problem}")

    def _read(self, pipe: IO[str]) -> None:
        """The reader thread: every line the child writes, until it closes the pipe."""
        with pipe:
            for line in pipe:
                kind, _, rest = line.partition(" ")
                with self.changed:
                    if kind == "page\n":
                        self.done += 1
                    elif kind == "done":
                        self.summary = json.loads(rest)
                    else:
                        self.problem = json.loads(rest) if kind == "error" else line
                    self.changed.notify_all()
        with self.changed:
            if self.summary is None and self.problem is None:
                self.problem = "the process stopped"
            self.changed.notify_all()


def _child(
    site: Site,
    settings: Settings,
    planned: Sequence[Page],
    fd: int,
    then: Callable[[], object] | None,
) -> None:
    """The child: render and write every page, report each on ``fd``, run ``then``; exit."""
    status = 1
    gc.freeze()  # (the records live until the child exits: no collection need go over them)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", buffering=1) as pipe:  # a flush every line
            try:
                written = _render_all(site, settings, planned, pipe)
                if then is not None:
                    then()
                summary = {"rendered": len(planned), "written": written}
                pipe.write(f"done {json.dumps(summary)}\n")
                status = 0
            except BriefingError as exc:  # (a template's error, with its position)
                pipe.write(f"error {json.dumps(str(exc))}\n")
            except Exception:
                pipe.write(f"error {json.dumps(traceback.format_exc())}\n")
    finally:
        os._exit(status)


def _render_all(
    site: Site, settings: Settings, planned: Sequence[Page], pipe: IO[str]
) -> list[str]:
    """Render and write each page, reporting it; remove pages no longer generated. The paths
    of the files written."""
    renderer, out = Renderer(site, settings), settings.cache_dir
    written: list[str] = []
    for page in planned:
        if output.write_page(out / page.path, renderer.render(page)):
            written.append(page.path)
        pipe.write("page\n")
    output.keep_only((page.path for page in planned), out)
    return written
