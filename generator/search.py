"""The search index: Pagefind, fed the pages MkDocs builds, or run over the built HTML.

Only pages with `data-pagefind-body` (briefs and actor profiles, marked through their front
matter) are indexed; filters, metadata and the date sort come from `data-pagefind-*` attributes
the page templates write.

A full build streams each page to Pagefind's indexing service (`pagefind --service`) as MkDocs
writes it (`Indexer`): Pagefind parses and indexes in its own process, on another core, while
MkDocs renders the rest, and only writing the bundle is left for the end. A build that skips
unchanged pages (`mkdocs build --dirty`) runs the Pagefind CLI over the whole site instead
(`index`).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from pagefind.service import get_executable

from generator.errors import BriefingError

log = logging.getLogger("briefing.search")

EXCLUDED = (".headerlink", ".key-facts thead", ".claims thead")
"""The toc's permalink signs, and the column labels of the key-facts and claims tables (the same
words on every page). Navigation-like parts of briefs and profiles are marked
`data-pagefind-ignore` in their templates."""

BODY_START = "<div data-pagefind-body>"
BODY_END = "<!-- /data-pagefind-body -->"
"""What templates/overrides/main.html writes around the part of a page that is searched."""


def index(site_dir: Path) -> None:
    """Write the Pagefind bundle for every page in ``site_dir`` to ``site_dir/pagefind/``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir)]
    command += ["--output-subdir", "pagefind", "--silent"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BriefingError(
            f"Pagefind failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        )
    log.info("briefing: search index written to %s", site_dir / "pagefind")


class Indexer:
    """One Pagefind index, built by `pagefind --service` from pages handed to it one by one.

    The service reads requests and writes responses as base64-encoded JSON, each followed by
    a comma, on its stdin and stdout: the protocol of Pagefind's own Node and Python clients.
    Their Python client waits a tenth of a second for every response, which would make 11,000
    pages take twenty minutes; here one thread writes the requests as they come and another
    collects the responses.
    """

    def __init__(self) -> None:
        executable = get_executable()
        if executable is None:
            raise BriefingError("Pagefind's binary is missing: install pagefind[bin]")
        self.process = subprocess.Popen(
            [str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
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

    def write(self, bundle: Path) -> None:
        """Start writing the bundle to ``bundle``, once every page sent is indexed; `wait` for
        it to finish."""
        self.bundle = bundle
        self.writer = threading.Thread(target=self._write, name="pagefind-write")
        self.writer.start()

    def wait(self) -> int:
        """Wait until the bundle is written and the service stopped. Returns the number of
        pages indexed."""
        self.writer.join()
        if self.errors or self.failure:
            problems = [*self.errors, self.failure] if self.failure else self.errors
            raise BriefingError("Pagefind failed:\n" + "\n".join(problems))
        log.info("briefing: search index of %d pages written to %s", self.indexed, self.bundle)
        return self.indexed

    def _write(self) -> None:
        try:
            self._wait(self.sent)  # every page indexed before the bundle is written
            payload = {"type": "WriteFiles", "index_id": self.index_id}
            reply = self._ask({**payload, "output_path": str(self.bundle)})
            if reply.get("type") != "WriteFiles":
                self.failure = str(reply)
        except BriefingError as exc:
            self.failure = str(exc)
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
        """Send ``payload`` and wait for its answer."""
        sent = self._send(payload)
        self._wait(sent)
        return self.replies[sent]

    def _wait(self, message: int) -> None:
        """Wait until messages 1 to ``message`` are all answered."""
        with self.arrived:
            self.arrived.wait_for(
                lambda: self.answered >= message or self.failure or not self.reader.is_alive()
            )
        if self.answered < message:
            raise BriefingError(self.failure or "Pagefind stopped:\n" + "\n".join(self.errors))

    def _read(self) -> None:
        assert self.process.stdout is not None
        output, pending = self.process.stdout.fileno(), b""
        try:
            while chunk := os.read(output, 1 << 16):
                *messages, pending = (pending + chunk).split(b",")
                for message in messages:
                    self._arrive(json.loads(base64.b64decode(message)))
        finally:
            with self.arrived:
                self.arrived.notify_all()

    def _arrive(self, response: dict[str, Any]) -> None:
        payload = response.get("payload", {})
        if payload.get("type") == "Error":
            self.errors.append(str(payload.get("message")))
        with self.arrived:  # every request has one response; an unreadable one has no id
            if payload.get("type") == "IndexedFile":
                self.indexed += 1
            elif response.get("message_id") is not None:
                self.replies[response["message_id"]] = payload
            self.answered += 1
            self.arrived.notify_all()
