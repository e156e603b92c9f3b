"""MkDocs' undocumented behaviour the plugin relies on (`generator.adapter.mkdocs_quirks`), held
against the real MkDocs: a tiny site built by MkDocs' own ``build`` with a hook module (MkDocs'
documented ``hooks``) that does what the plugin does, and MkDocs' own live-reload server.
Each failure names the reliance (numbered as in the module's docstring) an upgrade broke."""

from __future__ import annotations

import json
import logging
import wsgiref.simple_server
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import watchdog.observers.polling
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from generator.adapter import mkdocs_quirks, preview

PAGES = {
    "index.md": "# Home\n\nThe home page.\n",
    "skipped.md": "# Skipped\n\nWritten by someone else.\n",
    "forgetful.md": "# Forgetful heading\n\nIts Markdown is let go.\n",
    "kept.md": "# Kept heading\n\nIts Markdown is let go, its title kept first.\n",
}

HOOKS = '''
"""Does to a tiny site what generator.adapter.plugin does to ours."""
import json
from pathlib import Path

from generator.adapter import mkdocs_quirks

SEEN = {"events": [], "forgotten": "unset"}


def on_page_content(html, page, config, files):
    SEEN["events"].append(["content", page.file.src_uri])
    if page.file.src_uri == "forgetful.md":
        page.markdown = None
        SEEN["forgotten"] = page.title
    elif page.file.src_uri == "kept.md":
        mkdocs_quirks.keep_title(page)
        page.markdown = None
    return html


def on_page_context(context, page, config, nav):
    SEEN["events"].append(["context", page.file.src_uri])
    return context


def on_post_page(output, page, config):
    return mkdocs_quirks.SKIP_WRITE if page.file.src_uri == "skipped.md" else output


def on_post_build(config):
    Path(config.site_dir, "..", "seen.json").write_text(json.dumps(SEEN))
'''


class Built:
    def __init__(self, site: Path, seen: dict[str, Any], records: list[logging.LogRecord]):
        self.site, self.seen, self.records = site, seen, records


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The tiny site, built by MkDocs (its build logger's records kept)."""
    root = tmp_path_factory.mktemp("quirks")
    (root / "docs").mkdir()
    for name, text in PAGES.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Quirks\nhooks:\n  - hooks.py\n", encoding="utf-8")
    logger = logging.getLogger(mkdocs_quirks.BUILD_LOGGER)
    kept, level = _Kept(), logger.level
    logger.addHandler(kept)
    logger.setLevel(logging.INFO)
    try:
        build(load_config(str(root / "mkdocs.yml")))
    finally:
        logger.removeHandler(kept)
        logger.setLevel(level)
    seen = json.loads((root / "seen.json").read_text(encoding="utf-8"))
    return Built(root / "site", seen, kept.records)


def test_1_an_empty_page_is_not_written(built: Built) -> None:
    assert (built.site / "index.html").is_file()
    assert not (built.site / "skipped").exists(), (
        "mkdocs_quirks 1: MkDocs wrote a page whose on_post_page returned '' (SKIP_WRITE): "
        "the page writer's pages would be written twice"
    )


def test_2_mkdocs_logs_the_line_skipped_leaves_out(built: Built) -> None:
    lines = [r for r in built.records if "skipped.md" in r.getMessage()]
    assert len(lines) == 1, (
        "mkdocs_quirks 2: MkDocs no longer logs one line for a page it skips; "
        f"its build logger said: {[r.getMessage() for r in built.records]}"
    )
    skipped = mkdocs_quirks.Skipped()
    assert skipped.filter(lines[0])  # (not handed to the writer: shown)
    skipped.handed.add("skipped.md")
    assert not skipped.filter(lines[0]), (
        "mkdocs_quirks 2: MkDocs' line for a skipped page changed its text, "
        f"and Skipped no longer leaves it out: {lines[0].getMessage()!r}"
    )
    assert all(skipped.filter(r) for r in built.records if r is not lines[0])


def test_3_a_title_needs_the_markdown_unless_kept(built: Built) -> None:
    assert built.seen["forgotten"] is None, (
        "mkdocs_quirks 3: Page.title no longer answers None once the Markdown is let go "
        f"(it answered {built.seen['forgotten']!r}): keep_title may no longer be needed"
    )
    home = BeautifulSoup((built.site / "index.html").read_text(encoding="utf-8"), "html.parser")
    titles = [link.get_text(strip=True) for link in home.select("a")]
    assert "Kept heading" in titles, (
        "mkdocs_quirks 3: a title kept with keep_title before the Markdown is let go is not "
        f"in the other pages' navigation: {titles}"
    )


def test_4_every_page_is_converted_before_any_is_rendered(built: Built) -> None:
    kinds = [kind for kind, _ in built.seen["events"]]
    assert kinds == ["content"] * len(PAGES) + ["context"] * len(PAGES), (
        "mkdocs_quirks 4: MkDocs no longer converts every page (on_page_content) before it "
        f"renders any (on_page_context); the order was {built.seen['events']}: the shelf of "
        "converted pages (tuning.Shelf) would hand MkDocs empty pages"
    )


@pytest.fixture
def server(built: Built) -> Iterator[LiveReloadServer]:
    """MkDocs' live-reload server over the built site, as `mkdocs serve` has it at
    ``on_serve`` (not listening: it is called as the WSGI application it is)."""
    live = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(built.site))
    live.watch(str(built.site.parent / "docs"))
    yield live
    live.server_close()


def _get(app: Any, path: str) -> bytes:
    """The body ``app`` answers a request for ``path`` with."""
    return b"".join(app({"PATH_INFO": path}, lambda status, headers, *rest: None))


def test_5_the_server_takes_a_wrapped_application(server: LiveReloadServer) -> None:
    assert isinstance(server, wsgiref.simple_server.WSGIServer), (
        "mkdocs_quirks 5: MkDocs' LiveReloadServer is no longer a wsgiref WSGIServer"
    )
    asked: list[str] = []

    def wrap(app: Any) -> Any:
        def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
            asked.append(environ["PATH_INFO"])
            return app(environ, start_response)

        return wrapped

    mkdocs_quirks.wrap_app(server, wrap)
    page = _get(server.get_app(), "/index.html")
    assert asked == ["/index.html"] and b"The home page." in page, (
        "mkdocs_quirks 5: a request to MkDocs' server does not go through the application "
        "set with set_app"
    )


def test_6_the_live_reload_script_is_where_the_policy_expects_it(
    server: LiveReloadServer,
) -> None:
    page = _get(server.get_app(), "/index.html")
    assert preview.with_nonce(page, "n0nce") != page, (
        "mkdocs_quirks 6: MkDocs' live-reload script changed its place or shape "
        "(LIVE_RELOAD): under serve, its pages would run without live reload"
    )
    assert b'<script nonce="n0nce">' in preview.with_nonce(page, "n0nce")


def test_7_the_servers_watcher_is_a_polling_one_not_yet_started(
    server: LiveReloadServer, built: Built
) -> None:
    observer = getattr(server, "observer", None)
    assert type(observer) is watchdog.observers.polling.PollingObserver, (
        "mkdocs_quirks 7: MkDocs' server.observer is no longer watchdog's PollingObserver: "
        "tuning.notified keeps MkDocs' polling"
    )
    assert not observer.is_alive()
    watched = [watch.raw_path for watch in observer._handlers]
    assert watched == [str(built.site.parent / "docs")], (
        "mkdocs_quirks 7: the watches made before the server starts are no longer in "
        "watchdog's _handlers: tuning.notified could not move them to file notifications"
    )
