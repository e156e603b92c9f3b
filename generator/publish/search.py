"""The search index: Pagefind, fed the pages MkDocs builds, or run over the built HTML.

Only pages with `data-pagefind-body` (briefs and actor profiles, marked through their front
matter) are indexed; filters, metadata and the date sort come from `data-pagefind-*` attributes
the page templates write.

A full build streams each page to Pagefind's indexing service (`pagefind --service`) as MkDocs
writes it (`Indexer`): Pagefind parses and indexes in its own process, on another core, while
MkDocs renders the rest, and only writing the bundle is left for the end. A build that skips
unchanged pages (`mkdocs build --dirty`) runs the Pagefind CLI over the whole site instead
(`index`), given the pages' search data, which published pages leave out (`DATA_START`), from
the Markdown they were rendered from. Either way the bundle is checked before the build goes on
(`check_bundle`): a build whose search bundle is incomplete fails.

A site with more searchable pages than `Settings.search_part_pages` is indexed in parts
(`generator.site.parts`), each a bundle of its own: the build streams each part's pages to a service
of its own (`PartedIndexer`), the dirty build runs the CLI once a part (`index`).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.content.errors import BriefingError
from generator.publish import pagefind_binary
from generator.site import parts

_log = logging.getLogger("briefing.search")

EXCLUDED = (
    ".headerlink",
    ".key-facts thead",
    ".claims thead",
    ".claims td:not(:nth-child(2))",
)
"""The toc's permalink signs, the column labels of the key-facts and claims tables (the same
words on every page), and of the claims table all but what was said: who said it (an actor,
which the actor filter finds), when, and the numbers of its sources. Navigation-like parts of
briefs and profiles are marked `data-pagefind-ignore` in their templates."""

BODY_START = "<div data-pagefind-body>"
BODY_END = "<!-- /data-pagefind-body -->"
"""What templates/overrides/main.html writes around the part of a page that is searched."""
DATA_START = '<div class="search-data" hidden>'
DATA_END = "</div>"
"""What the page templates (brief.md.j2, actor.md.j2) write around a page's search data, last in
its search body: its filters, metadata, sort key and extra words (an actor's aliases), for
Pagefind alone. Pagefind is given the page with them; the page published leaves them out
(`without_data`), about 1 KB of every brief."""


def _data_at(page: str) -> tuple[int, int] | None:
    start = page.rfind(DATA_START)
    end = page.find(DATA_END, start) if start >= 0 else -1
    return None if end < 0 else (start, end + len(DATA_END))


def data_of(page: str) -> str:
    """The search data of ``page`` (its HTML, or the Markdown it is rendered from); "" if none.
    (Record text cannot hold `DATA_START`: the sanitizer allows no class attribute.)"""
    found = _data_at(page)
    return "" if found is None else page[found[0] : found[1]]


def without_data(page: str) -> str:
    """``page`` without its search data: the page readers get."""
    found = _data_at(page)
    return page if found is None else page[: found[0]] + page[found[1] :]


def with_data(page: str, block: str) -> str:
    """A published ``page`` with its search data (``block``) back where it was, last in its
    search body (which main.html closes just before `BODY_END`)."""
    close = page.rfind("</div>" + BODY_END)
    return page if close < 0 or not block else page[:close] + block + page[close:]


def index(site_dir: Path, blocks: Mapping[str, str], plan: Sequence[parts.Part] = ()) -> None:
    """Write the Pagefind bundles for every page in ``site_dir``, one for each part of ``plan``
    (`generator.site.parts`; none given: one bundle, ``site_dir/pagefind/``); ``blocks``: the
    search data of pages (by path in the site), which their HTML leaves out.

    The Pagefind CLI reads a folder of pages: it is given a copy of the searchable ones (with a
    search body) of one part at a time, each with its search data put back, and writes that
    part's bundle before the next is begun."""
    plan = plan or [parts.Part(parts.FIRST, (), 0)]
    with tempfile.TemporaryDirectory(prefix="briefing-search-") as staging:
        staged = {part.folder: 0 for part in plan}
        folders = {part.folder: Path(staging, str(n)) for n, part in enumerate(plan)}
        for path in site_dir.rglob("*.html"):
            page = path.read_text(encoding="utf-8")
            rel = path.relative_to(site_dir).as_posix()
            if BODY_START in page and not rel.startswith("pagefind/"):
                page = with_data(page, blocks.get(rel, ""))
                part = parts.part_for(plan, parts.year_of(data_of(page)))
                copy = folders[part.folder] / rel
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(page, encoding="utf-8")
                staged[part.folder] += 1
        for part in plan:
            folders[part.folder].mkdir(parents=True, exist_ok=True)
            _run_cli(folders[part.folder], site_dir / part.folder)
            check_bundle(site_dir / part.folder, staged[part.folder] if len(plan) > 1 else None)
    _log.info("briefing: search index written to %s", site_dir / parts.FIRST)


def _run_cli(pages: Path, bundle: Path) -> None:
    command = [str(pagefind_binary.executable()), "--site", str(pages), "--silent"]
    command += ["--output-path", str(bundle)]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BriefingError(
            f"Pagefind failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        )


def check_bundle(bundle: Path, pages: int | None = None) -> None:
    """Raise `BriefingError` unless ``bundle`` holds a whole Pagefind bundle (of ``pages`` pages,
    when given): its entry file, script and WebAssembly, and each language's metadata, none of
    them empty."""
    problems = []
    entry_file = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        languages = entry["languages"]
        needed = [f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()]
        needed += [f"wasm.{code}.pagefind" for code in languages]
        counted = sum(int(lang["page_count"]) for lang in languages.values())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problems.append(f"{entry_file} is missing or unreadable ({exc})")
        needed, counted = [], None
    for name in ["pagefind.js", "wasm.unknown.pagefind", *needed]:
        if not (bundle / name).is_file():
            problems.append(f"{bundle / name} is missing")
    problems += [f"{path} is empty" for path in bundle.rglob("*") if _empty(path)]
    if pages is not None and counted is not None and counted != pages:
        problems.append(f"{entry_file} counts {counted} pages, not the {pages} indexed")
    if problems:
        raise BriefingError("the search bundle is incomplete:\n" + "\n".join(sorted(problems)))


def _empty(path: Path) -> bool:
    return path.is_file() and path.stat().st_size == 0


class Indexer:
    """One Pagefind index, built by `pagefind --service` from pages handed to it one by one.

    The service reads requests and writes responses as base64-encoded JSON, each followed by
    a comma, on its stdin and stdout: the protocol of Pagefind's own Node and Python clients.
    Their Python client waits a tenth of a second for every response, which would make 11,000
    pages take twenty minutes; here one thread writes the requests as they come and another
    collects the responses.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(pagefind_binary.executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.sent = 0
        self.replies: dict[int, dict[str, Any]] = {}  # (pages indexed are only counted)
        self.indexed = 0
        self.answered = 0
        self.failure = ""
        self.errors: list[str] = []
        self.arrived = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True, name="pagefind")
        self.reader.start()
        # Requests are encoded and written by a thread of their own: the pipe's writes wait
        # for the service to read, and that waiting is no longer the build's.
        self.outbox: queue.SimpleQueue[tuple[int, dict[str, Any]] | None] = queue.SimpleQueue()
        self.sender = threading.Thread(target=self._deliver, daemon=True, name="pagefind-send")
        self.sender.start()
        config = {"exclude_selectors": list(EXCLUDED)}
        try:
            self.index_id = self._ask({"type": "NewIndex", "config": config})["index_id"]
        except BriefingError:
            self.close()
            raise

    def add(self, url: str, html: str) -> bool:
        """Index the page at ``url`` (relative to the site root) if it is marked for search.

        Pagefind reads only the page's language, its head and its search body: the rest of the
        page (header, navigation, footer, scripts) is left out of the message when the body
        ends with `BODY_END`, which makes the message a third as long.
        """
        start = html.find(BODY_START)
        if start < 0:
            return False
        end = html.find(BODY_END, start)
        head = html.find("<body")
        if 0 <= head < start and end >= 0:
            html = f"{html[:head]}<body>{html[start:end]}</body></html>"
        request = {"type": "AddFile", "index_id": self.index_id, "url": url}
        self._send({**request, "file_contents": html})
        return True

    def write(self, bundle: Path, keep: Sequence[str] = ()) -> None:
        """Start writing the bundle to ``bundle``, once every page sent is indexed; `wait` for
        it to finish. The folders ``keep`` of a bundle there already (other parts' bundles) stay
        in it."""
        self.bundle, self.keep = bundle, keep
        self.writer = threading.Thread(target=self._write, name="pagefind-write")
        self.writer.start()

    def wait(self) -> int:
        """Wait until the bundle is written and checked, and the service stopped. Returns the
        number of pages indexed."""
        self.writer.join()
        if self.errors or self.failure:
            problems = [*self.errors, self.failure] if self.failure else self.errors
            raise BriefingError("Pagefind failed:\n" + "\n".join(problems))
        _log.info("briefing: search index of %d pages written to %s", self.indexed, self.bundle)
        return self.indexed

    def _write(self) -> None:
        """The bundle, asked of the service (``GetFiles``) and written here.

        The service's own ``WriteFiles`` answers before its files are on disk: Pagefind writes
        them through tokio, whose writes finish on a pool of threads after the answer is sent,
        and the service ends with `exit(0)` the moment its input ends, so closing it after the
        answer could cut the last files short (an empty `pagefind.js` on a busy machine).
        Files handed over in the answer are whole by construction; they go to a new folder
        that replaces ``bundle`` once they are all written and checked.
        """
        fresh = self.bundle.with_name(self.bundle.name + ".new")
        try:
            self._wait(self.sent)  # every page indexed before the bundle is written
            reply = self._ask({"type": "GetFiles", "index_id": self.index_id})
            if reply.get("type") != "GetFiles":
                raise BriefingError(f"unexpected answer to GetFiles: {str(reply)[:200]}")
            shutil.rmtree(fresh, ignore_errors=True)
            for file in reply["files"]:
                path = fresh / file["path"]
                if not path.resolve().is_relative_to(fresh.resolve()):
                    raise BriefingError(f"Pagefind named a file outside its bundle: {path}")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(base64.b64decode(file["content"]))
            check_bundle(fresh, self.indexed)
            for name in self.keep:
                if (self.bundle / name).is_dir() and not (fresh / name).exists():
                    (self.bundle / name).rename(fresh / name)
            shutil.rmtree(self.bundle, ignore_errors=True)
            fresh.rename(self.bundle)
        except Exception as exc:  # (any failure fails the build: see wait)
            self.failure = self.failure or str(exc) or type(exc).__name__
            shutil.rmtree(fresh, ignore_errors=True)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the service (after `write`, or when the build failed)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.outbox.put(None)
        self.sender.join(timeout=30)
        # The service ends at the end of its input. (Closing fails to flush the last requests
        # if it has stopped already.)
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=30)
        self.process.stdout.close()

    def _send(self, payload: dict[str, Any]) -> int:
        if self.failure:
            raise BriefingError(self.failure)
        self.sent += 1
        self.outbox.put((self.sent, payload))
        return self.sent

    def _deliver(self) -> None:
        assert self.process.stdin is not None
        try:
            while (item := self.outbox.get()) is not None:
                number, payload = item
                message = json.dumps({"message_id": number, "payload": payload}, ensure_ascii=False)
                self.process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                if self.outbox.empty():
                    self.process.stdin.flush()
        except OSError as exc:
            with self.arrived:
                self.failure = f"Pagefind stopped: {exc}"
                self.arrived.notify_all()

    def _ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send ``payload`` and wait for its own answer."""
        sent = self._send(payload)
        self._wait(sent, lambda: sent in self.replies)
        return self.replies[sent]

    def _wait(self, message: int, answered: Callable[[], bool] | None = None) -> None:
        """Wait until messages 1 to ``message`` are all answered (or until ``answered()``).

        Only answers that carry a message id count: the service answers a message it cannot
        read with an error without one, which must not stand in for another message's answer.
        """
        done = answered or (lambda: self.answered >= message)
        with self.arrived:
            self.arrived.wait_for(lambda: done() or self.failure or not self.reader.is_alive())
            if done():
                return
        raise BriefingError(self.failure or "Pagefind stopped:\n" + "\n".join(self.errors))

    def _read(self) -> None:
        """Collect the answers. (One can be large: `GetFiles` brings the whole bundle.)"""
        assert self.process.stdout is not None
        output, pending = self.process.stdout.fileno(), bytearray()
        try:
            while chunk := os.read(output, 1 << 20):
                end = chunk.rfind(b",")
                if end < 0:
                    pending += chunk
                    continue
                pending += chunk[:end]
                for message in bytes(pending).split(b","):
                    self._arrive(json.loads(base64.b64decode(message)))
                pending = bytearray(chunk[end + 1 :])
        except Exception as exc:  # (an unreadable answer: the build fails, see _wait)
            self.failure = self.failure or f"unreadable answer from Pagefind: {exc}"
        finally:
            with self.arrived:
                self.arrived.notify_all()

    def _arrive(self, response: dict[str, Any]) -> None:
        payload = response.get("payload", {})
        if payload.get("type") == "Error":
            self.errors.append(str(payload.get("message")))
        with self.arrived:
            if response.get("message_id") is not None:  # (see _wait)
                if payload.get("type") == "IndexedFile":
                    self.indexed += 1  # (pages indexed are only counted)
                else:
                    self.replies[response["message_id"]] = payload
                self.answered += 1
            self.arrived.notify_all()


class PartedIndexer:
    """The search index in parts (`generator.site.parts`), each built by a `pagefind --service` of
    its own from the pages handed to it, and written on its own.

    Pagefind's service holds its whole index in memory, and about three times as much while it
    writes the bundle; one service a part, ended once its bundle is written, bounds the memory
    by the largest part. MkDocs builds the briefs oldest first, before the actor profiles, so an
    archive part is complete while MkDocs still builds the rest: it is written then, and its
    service ended, while the next part's pages are indexed. The bundles are written one at a
    time, the first part's last (its folder holds the others')."""

    def __init__(self, site_dir: Path, plan: Sequence[parts.Part]) -> None:
        self.site_dir, self.plan = site_dir, list(plan)
        self.open: dict[str, Indexer] = {}
        self.sent: dict[str, int] = dict.fromkeys((part.folder for part in self.plan), 0)
        self.done: set[str] = set()
        self.failures: list[str] = []
        self.indexed = 0
        self.stopped = False
        self.queue: queue.SimpleQueue[tuple[Indexer, parts.Part] | None] = queue.SimpleQueue()
        self.writer = threading.Thread(target=self._write_parts, daemon=True, name="pagefind-parts")
        self.writer.start()
        self._indexer(self.plan[0])  # (the first part's bundle is written even if empty)

    def add(self, url: str, html: str) -> bool:
        """Index the page at ``url`` in its part, if it is marked for search."""
        if BODY_START not in html:
            return False
        part = parts.part_for(self.plan, parts.year_of(data_of(html)))
        if part.folder in self.done:
            raise BriefingError(f"{url}: built after its search part ({part.folder}) was written")
        self._indexer(part).add(url, html)
        self.sent[part.folder] += 1
        if not part.first and self.sent[part.folder] == part.pages:
            self._finish(part)
        return True

    def write(self) -> None:
        """Write the parts not written yet, the first part last; `wait` for them."""
        for part in [*self.plan[1:], self.plan[0]]:
            if part.folder not in self.done and (part.first or part.folder in self.open):
                self._finish(part)
        self.queue.put(None)

    def wait(self) -> int:
        """Wait until every part is written and checked. Returns the number of pages indexed."""
        self.writer.join()
        if self.failures:
            raise BriefingError("\n".join(self.failures))
        return self.indexed

    def close(self) -> None:
        """Stop every service (when the build failed)."""
        self.stopped = True
        self.queue.put(None)
        for indexer in list(self.open.values()):
            indexer.close()
        self.open.clear()

    def _indexer(self, part: parts.Part) -> Indexer:
        if part.folder not in self.open:
            self.open[part.folder] = Indexer()
        return self.open[part.folder]

    def _finish(self, part: parts.Part) -> None:
        self.done.add(part.folder)
        self.queue.put((self.open.pop(part.folder), part))

    def _write_parts(self) -> None:
        while (item := self.queue.get()) is not None:
            indexer, part = item
            if self.stopped:
                indexer.close()
                continue
            keep = [parts.ARCHIVE.removeprefix(parts.FIRST + "/")] if part.first else []
            try:
                indexer.write(self.site_dir / part.folder, keep)
                self.indexed += indexer.wait()
            except BriefingError as exc:
                self.failures.append(str(exc))
