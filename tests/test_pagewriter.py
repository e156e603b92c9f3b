"""The page writer: in a build, a forked child indexes, minifies and writes the pages MkDocs
builds, and MkDocs' process only sends them."""

from __future__ import annotations

import gzip
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from generator.content.errors import BriefingError
from generator.publish import search
from generator.session.serve import Session
from generator.settings import Settings
from generator.site.link import build_site
from generator.speed.background import can_fork
from generator.speed.pagewriter import NICE, PageWriter
from tests.conftest import FIXTURE
from tests.sitebuild import config_for

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is needed")


@pytest.mark.slow  # (a real `mkdocs build`)
def test_mkdocs_build_has_the_writer_write_the_pages(tmp_path: Path) -> None:
    """`mkdocs build` as `make site` runs it (its own process, where nothing else runs): the
    writer makes the search index (only it says so) and MkDocs' line for each page it did not
    write itself is left out."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    config, site = config_for(tmp_path, FIXTURE), tmp_path / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)]
    result = subprocess.run(
        [*command, "-d", str(site)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "briefing: search index of 8 pages written" in result.stderr
    assert "Page skipped" not in result.stderr
    event = build_site(FIXTURE).events[-1]
    page = (site / "briefs" / event.id / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in page and search.DATA_START not in page
    assert "\n  <" not in page  # (minified: the theme's indentation is gone)


@pytest.mark.slow  # (a real MkDocs build, in-process)
def test_a_build_hands_its_pages_to_the_writer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _forkable()
    config = load_config(str(config_for(tmp_path, FIXTURE)), site_dir=str(tmp_path / "site"))
    returned: dict[str, str] = {}

    class Probe(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
            returned[page.file.src_uri] = output  # (after the briefing plugin's)
            return output

    config.plugins["probe"] = Probe()
    config.plugins.on_startup(command="build", dirty=False)  # (as `mkdocs build` does)
    with caplog.at_level(logging.INFO):
        build(config)
    assert len(returned) > 10 and set(returned.values()) == {""}  # (MkDocs wrote none)
    assert "Page skipped" not in caplog.text  # (MkDocs' line for each is left out)
    event = build_site(FIXTURE).events[-1]
    page = (tmp_path / "site" / "briefs" / event.id / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in page and search.DATA_START not in page
    assert "\n  <" not in page  # (minified: the theme's indentation is gone)
    search.check_bundle(tmp_path / "site" / "pagefind", None)
    assert f"/briefs/{event.id}/" in _indexed_urls(tmp_path / "site" / "pagefind")


def _indexed_urls(bundle: Path) -> str:
    """Every page address in the bundle's fragments (gzip-compressed, "pagefind_dcd" first)."""
    found = []
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        found.append(gzip.decompress(fragment.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(found)


def test_serve_writes_its_pages_itself(tmp_path: Path) -> None:
    """`mkdocs serve` keeps threads (a process with threads cannot fork safely): its pages are
    returned to MkDocs to write, minified, as before."""
    builder = Session(Settings(pagefind=False))
    builder.run.site_dir = tmp_path
    builder.prepare(tmp_path)
    builder.pages_read([])
    assert builder.writer is None and builder.run.writer is None
    html = "<html><head><title>T</title></head>\n  <body>\n    <p>text</p>\n  </body></html>"
    assert builder.page_built("/t/", html, str(tmp_path / "t.html")) == (
        "<html><head><title>T</title></head><body><p>text</p></body></html>"
    )


# The writer forks wherever it is made: these tests make it directly, even when another
# test's thread still runs (the shared browser's); the child they start uses no lock.
FORKS_ANYWAY = pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")


@FORKS_ANYWAY
def test_a_page_that_cannot_be_written_fails_the_build(tmp_path: Path) -> None:
    (tmp_path / "briefs").write_text("a file where the folder should be", encoding="utf-8")
    writer = PageWriter(tmp_path)
    writer.begin(None)
    writer.add(str(tmp_path / "briefs" / "x" / "index.html"), "/briefs/x/", "<p>x</p>")
    with pytest.raises(BriefingError, match=r"cannot write the page .*briefs/x/index\.html"):
        writer.finish()


@FORKS_ANYWAY
def test_the_writer_stops_when_the_build_fails(tmp_path: Path) -> None:
    writer = PageWriter(tmp_path)
    child = writer.child
    writer.stop()
    with pytest.raises(ChildProcessError):  # (ended and reaped)
        os.waitpid(child, 0)


@FORKS_ANYWAY
def test_the_writer_gives_way_to_mkdocs(tmp_path: Path) -> None:
    """MkDocs' process builds the pages one by one: the child (and the Pagefind services it
    starts) runs at a lower priority."""
    writer = PageWriter(tmp_path)
    try:
        wanted = min(os.getpriority(os.PRIO_PROCESS, 0) + NICE, 19)
        for _ in range(500):  # (the child lowers its own priority as it starts)
            if os.getpriority(os.PRIO_PROCESS, writer.child) == wanted:
                break
            time.sleep(0.01)
        assert os.getpriority(os.PRIO_PROCESS, writer.child) == wanted
    finally:
        writer.stop()


def _forkable() -> None:
    """Skip the test where this process may not fork (another test left a thread running)."""
    if not can_fork():
        pytest.skip("another thread runs: this process does not fork")
