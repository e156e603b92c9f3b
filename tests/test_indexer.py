"""The Pagefind service client (generator.publish.search.Indexer), against the real pagefind binary."""

from __future__ import annotations

import functools
import io
import json
import multiprocessing
import os
import subprocess
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from generator.content.errors import BriefingError
from generator.publish import pagefind_binary, search

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<header>Site header, not searched</header>
<div data-pagefind-body><h1>{title}</h1><p>{text}</p></div><!-- /data-pagefind-body -->
<footer>Footer words</footer></body></html>"""


def test_only_marked_pages_are_indexed_and_counted(tmp_path: Path) -> None:
    indexer = search.Indexer()
    assert indexer.add("/one/", PAGE.format(title="Launch", text="A missile was fired."))
    assert indexer.add("/two/", PAGE.format(title="Talks", text="Envoys met at Panmunjom."))
    assert not indexer.add("/hub/", "<html lang='en'><body><p>No search body</p></body></html>")
    indexer.write(tmp_path / "pagefind")
    assert indexer.wait() == 2
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == 2
    assert indexer.process.returncode == 0


def test_a_stopped_service_is_an_error_not_a_hang(tmp_path: Path) -> None:
    indexer = search.Indexer()
    indexer.process.kill()
    indexer.process.wait()
    with pytest.raises(BriefingError, match="Pagefind stopped"):
        indexer.add("/one/", PAGE.format(title="Launch", text="A missile was fired. " * 1000))
        indexer.write(tmp_path / "pagefind")
        indexer.wait()
    assert not (tmp_path / "pagefind").exists()


def _burn(stop: Any) -> None:
    while not stop.is_set():
        sum(i * i for i in range(10_000))


@pytest.mark.slow  # (keeps the machine busy on purpose: seconds)
def test_every_bundle_is_whole_when_the_machine_is_busy(tmp_path: Path) -> None:
    # Pagefind's own WriteFiles answered before tokio's writes reached the disk, and the
    # service exits as soon as its input closes: on a busy machine one bundle in about thirty
    # came out with empty files (pagefind.js, pagefind-entry.json), yet the build passed.
    # Here every core is kept busy while bundles are written again and again.
    stop = multiprocessing.Event()
    burners = [
        multiprocessing.Process(target=_burn, args=(stop,)) for _ in range(os.cpu_count() or 2)
    ]
    for burner in burners:
        burner.start()
    try:
        written = []
        for number in range(40):
            indexer = search.Indexer()
            for page in range(3):
                indexer.add(f"/p{page}/", PAGE.format(title=f"Page {page}", text="Missile. " * 99))
            bundle = tmp_path / str(number) / "pagefind"
            indexer.write(bundle)
            assert indexer.wait() == 3
            written.append(bundle)
    finally:
        stop.set()
        for burner in burners:
            burner.join()
    script = (written[0] / "pagefind.js").read_bytes()
    assert len(script) > 1000
    for bundle in written:
        search.check_bundle(bundle, 3)
        assert (bundle / "pagefind.js").read_bytes() == script
        assert not (bundle.parent / "pagefind.new").exists()


def test_an_incomplete_bundle_is_an_error(tmp_path: Path) -> None:
    indexer = search.Indexer()
    indexer.add("/one/", PAGE.format(title="Launch", text="A missile was fired."))
    indexer.write(tmp_path / "pagefind")
    indexer.wait()
    search.check_bundle(tmp_path / "pagefind", 1)
    with pytest.raises(BriefingError, match="counts 1 pages, not the 2 indexed"):
        search.check_bundle(tmp_path / "pagefind", 2)
    (tmp_path / "pagefind" / "pagefind.js").write_bytes(b"")
    with pytest.raises(BriefingError, match=r"incomplete:\n.*pagefind\.js is empty"):
        search.check_bundle(tmp_path / "pagefind")
    (tmp_path / "pagefind" / "pagefind-entry.json").unlink()
    with pytest.raises(BriefingError, match=r"pagefind-entry\.json is missing or unreadable"):
        search.check_bundle(tmp_path / "pagefind")


def test_an_answer_without_an_id_answers_no_message(tmp_path: Path) -> None:
    # The service answers a message it cannot read with an error that has no id. Counted as an
    # answer, it let the bundle's request return before its own answer arrived: the writer
    # thread died on a KeyError, the service was closed mid-write, and the build passed.
    indexer = search.Indexer()
    indexer.add("/one/", PAGE.format(title="Launch", text="A missile was fired."))
    indexer._arrive({"message_id": None, "payload": {"type": "Error", "message": "unreadable"}})
    indexer.write(tmp_path / "pagefind")
    with pytest.raises(BriefingError, match="Pagefind failed:\nunreadable"):
        indexer.wait()
    search.check_bundle(tmp_path / "pagefind", 1)  # (its own answer was waited for)


def test_the_binary_is_the_pinned_release(tmp_path: Path) -> None:
    """The site's search scripts are written for one Pagefind release; the index must be its."""
    assert "PAGEFIND_BINARY_PATH" not in os.environ, "this test checks the pinned binary"
    out = subprocess.run([pagefind_binary.executable(), "--version"], capture_output=True)
    assert out.stdout.decode().split() == ["pagefind", pagefind_binary.VERSION]
    indexer = search.Indexer()
    indexer.add("/one/", PAGE.format(title="Launch", text="A missile was fired."))
    indexer.write(tmp_path / "pagefind")
    indexer.wait()
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["version"] == pagefind_binary.VERSION


def test_a_tarball_that_is_not_the_pinned_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registry (here a local one) that serves other bytes under the release's name gets
    nothing run: the digest is checked before anything is unpacked or written."""
    name = "linux-x64"
    package = tmp_path / "registry" / "@pagefind" / name / "-"
    package.mkdir(parents=True)
    with tarfile.open(package / f"{name}-{pagefind_binary.VERSION}.tgz", "w:gz") as archive:
        info = tarfile.TarInfo("package/bin/pagefind_extended")
        info.size = len(b"#!/bin/sh\necho pwned\n")
        archive.addfile(info, io.BytesIO(b"#!/bin/sh\necho pwned\n"))
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "registry"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", f"http://127.0.0.1:{server.server_address[1]}/")
    target = tmp_path / "bin" / "pagefind_extended"
    try:
        with pytest.raises(BriefingError, match=r"is not the Pagefind 1\.6\.0 release pinned here"):
            pagefind_binary.fetch(name, target)
        monkeypatch.setenv("NPM_CONFIG_REGISTRY", "http://127.0.0.1:9/")  # nothing listens
        with pytest.raises(BriefingError, match=r"could not download Pagefind 1\.6\.0 from"):
            pagefind_binary.fetch(name, target)
    finally:
        server.shutdown()
        server.server_close()
    assert not target.parent.exists()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class Endless(BaseHTTPRequestHandler):
    """Sends far more than any release, in chunks, with its length said (``/said``) or not,
    and counts what it got to send before the client hung up (``sent``)."""

    sent: ClassVar[dict[str, int]] = {}
    TOTAL = 4 * pagefind_binary.PAGEFIND_LIMIT

    def do_GET(self) -> None:
        said = self.path.startswith("/said/")
        self.send_response(200)
        if said:
            self.send_header("Content-Length", str(self.TOTAL))
        self.end_headers()
        chunk, sent = b"\0" * 65_536, 0
        try:
            while sent < self.TOTAL:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # (the client stopped reading)
        self.sent["said" if said else "unsaid"] = sent

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_download_past_the_limit_stops_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registry (a real local server) that sends more than the release's size: stopped at
    once when it says so, after `MAX_DOWNLOAD` bytes when it does not, and nothing written."""
    Endless.protocol_version = "HTTP/1.0"  # (no length said: the body ends when it closes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = tmp_path / "bin" / "pagefind_extended"
    try:
        for kind in ("said", "unsaid"):
            address = f"http://127.0.0.1:{server.server_address[1]}/{kind}/"
            monkeypatch.setenv("NPM_CONFIG_REGISTRY", address)
            with pytest.raises(BriefingError, match=r"sends more than 16 MB, far more than the"):
                pagefind_binary.fetch("linux-x64", target)
    finally:
        server.shutdown()
        server.server_close()
    assert not target.parent.exists()
    # Stopped early: what the server got to send is what the client read, and the buffers.
    assert Endless.sent["said"] < Endless.TOTAL / 2, Endless.sent
    assert Endless.sent["unsaid"] < Endless.TOTAL / 2, Endless.sent


def test_a_binary_named_that_is_not_there_is_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing"))
    with pytest.raises(BriefingError, match="PAGEFIND_BINARY_PATH names no program to run: "):
        search.Indexer()
