"""Built pages written by a forked child: MkDocs' process hands each page's HTML down a pipe,
and the child gives it to the search index, minifies it and writes it.

MkDocs builds pages one after the other on one core. Of each page's time there, about a
sixth was this project's (the page minified: minify-html holds the interpreter's lock; the
search index's threads, which encode every page for Pagefind's services; Python's writing of
the file, a folder and a file for every page), while the other core, done with rendering,
was half idle. With the child, MkDocs' process only completes the page's Content-Security-
Policy and sends it: the rest is done on the other core, beside Pagefind.

Only in a build (`mkdocs serve` keeps its threads, and a process with threads cannot fork
safely), and only where `generator.speed.background.can_fork`. The child is forked as the build
starts, while MkDocs' process holds little: forked once every page is converted, it shared
them with MkDocs' process, and each one MkDocs touched after was copied (200 MB more at 10,000
events). It waits for the parts of the search index (`begin`), known once the records are
read, then for the pages. MkDocs is told the page is written by
an empty result from ``on_post_page``, which makes it skip writing; its log line for that is
left out (both: `generator.adapter.mkdocs_quirks`).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import pickle
import signal
import struct
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from generator.content.errors import BriefingError
from generator.publish import minify, search
from generator.site import parts

MESSAGE_HEADER = struct.Struct("<III")
"""A page's message: the lengths of its file's path, its address and its HTML (UTF-8), then
the three. A message of three zeros ends the pages. The first message is the plan of the
search index's parts (pickled), its length first."""

NICE = 5
"""How much lower the child's priority is than MkDocs' (and so its Pagefind services'): MkDocs
builds the pages one after the other, and the build takes as long as that. Left at the same
priority, the system shared the two cores evenly between MkDocs, the child and Pagefind, and
MkDocs ran two thirds of the time while the pages were built; niced, they take what MkDocs
leaves, which is enough (their work on a page takes about two thirds of MkDocs')."""

PIPE = 1 << 20
"""Bytes of the pipe's buffer and of each end's: MkDocs waits only once the child is a
megabyte behind."""


class PageWriter:
    """The child that writes the pages MkDocs builds (see the module's docstring)."""

    def __init__(self, site_dir: Path) -> None:
        read, write = os.pipe()
        answer, told = os.pipe()
        _grow(write)
        self.child = os.fork()
        if self.child == 0:
            os.close(write)
            os.close(answer)
            _child(site_dir, read, told)
        os.close(read)
        os.close(told)
        self.pipe: IO[bytes] = os.fdopen(write, "wb", buffering=PIPE)
        self.answer = answer

    def begin(self, plan: Sequence[parts.Part] | None) -> None:
        """Pages follow, to make the search index of, in the parts of ``plan`` (None: no
        index)."""
        self._send([pickle.dumps(None if plan is None else list(plan))])

    def add(self, path: str, url: str, html: str) -> None:
        """Have page ``url`` (from the site root) written to ``path``, indexed if searchable."""
        self._send([path.encode(), url.encode(), html.encode("utf-8", "surrogatepass")])

    def _send(self, fields: list[bytes]) -> None:
        try:
            self.pipe.write(MESSAGE_HEADER.pack(*map(len, fields), *[0] * (3 - len(fields))))
            for field in fields:
                self.pipe.write(field)
        except OSError:  # (the child stopped: it says why)
            raise BriefingError(self._ended()) from None

    def finish(self) -> int:
        """Wait for every page to be written and the search index's bundles; the number of
        pages indexed."""
        try:
            self.pipe.write(MESSAGE_HEADER.pack(0, 0, 0))
            self.pipe.close()
        except OSError:
            pass  # (the child stopped: it says why)
        outcome = self._ended()
        if not outcome.startswith("done "):
            raise BriefingError(outcome)
        return int(json.loads(outcome.removeprefix("done "))["indexed"])

    def stop(self) -> None:
        """End the child (the build failed)."""
        if self.child:
            os.kill(self.child, signal.SIGKILL)
            self._ended()

    def _ended(self) -> str:
        """What the child said last, once it has exited."""
        with os.fdopen(self.answer, "r", encoding="utf-8") as answer:
            said = answer.read().strip()
        os.waitpid(self.child, 0)
        self.child = 0
        with contextlib.suppress(OSError):
            self.pipe.close()
        return said or "writing the pages failed: the process stopped"


def _grow(fd: int) -> None:
    """The pipe's buffer to `PIPE` bytes where the system allows (Linux), else as it is."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE)
    except (ImportError, OSError):
        pass


def _child(site_dir: Path, read: int, told: int) -> None:
    """The child: index, minify and write each page it is sent; then the search bundles."""
    status = 1
    gc.freeze()  # (what MkDocs' process holds is not this process's business)
    os.nice(NICE)
    with os.fdopen(told, "w", encoding="utf-8") as answer:
        try:
            indexed = _write_all(site_dir, os.fdopen(read, "rb", buffering=PIPE))
            answer.write(f"done {json.dumps({'indexed': indexed})}\n")
            status = 0
        except BriefingError as exc:
            answer.write(f"{exc}\n")
        except Exception:
            answer.write(f"writing the pages failed:\n{traceback.format_exc()}\n")
    os._exit(status)


def _write_all(site_dir: Path, pipe: IO[bytes]) -> int:
    size = MESSAGE_HEADER.unpack(_exactly(pipe, MESSAGE_HEADER.size))[0]
    plan = pickle.loads(_exactly(pipe, size)) if size else None  # (nothing: the build failed)
    if not size:
        return 0
    indexer = search.PartedIndexer(site_dir, plan) if plan is not None else None
    try:
        with pipe:
            while True:
                sizes = MESSAGE_HEADER.unpack(_exactly(pipe, MESSAGE_HEADER.size))
                if not any(sizes):
                    break
                path, url, html = (_exactly(pipe, size) for size in sizes)
                page = html.decode("utf-8", "surrogatepass")
                if indexer is not None:
                    indexer.add(url.decode(), page)
                _write(Path(path.decode()), minify.page(search.without_data(page)))
        if indexer is None:
            return 0
        indexer.write()
        return indexer.wait()
    except BaseException:
        if indexer is not None:
            indexer.close()
        raise


def _exactly(pipe: IO[bytes], size: int) -> bytes:
    data = pipe.read(size)
    if len(data) != size:
        raise BriefingError("writing the pages failed: MkDocs' process stopped sending them")
    return data


def _write(path: Path, html: str) -> None:
    """As MkDocs writes a page (characters UTF-8 cannot hold as character references)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html.encode("utf-8", errors="xmlcharrefreplace"))
    except OSError as exc:
        raise BriefingError(f"cannot write the page {path}: {exc.strerror or exc}") from None
