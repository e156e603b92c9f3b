"""The Pagefind service client (generator.search.Indexer), against the real pagefind binary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import search
from generator.errors import BriefingError

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
