"""MkDocs' undocumented behaviour the plugin relies on (`generator.adapter.mkdocs_quirks`), held
against the real MkDocs: a tiny site built by MkDocs' own ``build`` with a hook module (MkDocs'
documented ``hooks``) that does what the plugin does, and MkDocs' own live-reload server.
Each failure names the reliance (numbered as in the module's docstring) an upgrade broke."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
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

LINKED = "elsewhere.md"
"""A page added as a link target only (8), in its own folder; index.md links to it."""

HOOKS = '''
"""Does to a tiny site what generator.adapter.plugin does to ours."""
import json
from pathlib import Path

from generator.adapter import mkdocs_quirks

SEEN = {"events": [], "forgotten": "unset"}
CONVERTED = mkdocs_quirks.Converted()


def on_files(files, config):
    cache = str(Path(config.config_file_path).parent / "cache")
    files.append(mkdocs_quirks.link_target("elsewhere.md", cache, config.site_dir, True))
    return files


def on_page_read_source(page, config):
    SEEN["events"].append(["read", page.file.src_uri])


def on_page_content(html, page, config, files):
    SEEN["events"].append(["content", page.file.src_uri])
    if page.file.src_uri == "forgetful.md":
        page.markdown = None
        SEEN["forgotten"] = page.title
    elif page.file.src_uri == "kept.md":
        mkdocs_quirks.keep_title(page)
        page.markdown = None
    return CONVERTED.hold(page, html)


def on_env(env, config, files):
    SEEN["events"].append(["env", None])
    return env


def on_page_context(context, page, config, nav):
    SEEN["events"].append(["context", page.file.src_uri])
    CONVERTED.give_back(page)
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
    (root / "docs" / "index.md").write_text(
        PAGES["index.md"] + f"\nSee [elsewhere]({LINKED}).\n", encoding="utf-8"
    )
    (root / "cache").mkdir()
    (root / "cache" / LINKED).write_text("# Elsewhere\n\nNever read.\n", encoding="utf-8")
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Quirks\nhooks:\n  - hooks.py\n", encoding="utf-8")
    logger = logging.getLogger(mkdocs_quirks.BUILD_LOGGER)
    kept, level = _Kept(), logger.level
    logging.getLogger("mkdocs").addHandler(kept)  # (MkDocs' warnings too: a link not found)
    logger.setLevel(logging.INFO)
    try:
        build(load_config(str(root / "mkdocs.yml")))
    finally:
        logging.getLogger("mkdocs").removeHandler(kept)
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
    records = [r for r in built.records if r.name == mkdocs_quirks.BUILD_LOGGER]
    lines = [r for r in records if "skipped.md" in r.getMessage()]
    assert len(lines) == 1, (
        "mkdocs_quirks 2: MkDocs no longer logs one line for a page it skips; "
        f"its build logger said: {[r.getMessage() for r in records]}"
    )
    skipped = mkdocs_quirks.Skipped()
    assert skipped.filter(lines[0])  # (not handed to the writer: shown)
    skipped.handed.add("skipped.md")
    assert not skipped.filter(lines[0]), (
        "mkdocs_quirks 2: MkDocs' line for a skipped page changed its text, "
        f"and Skipped no longer leaves it out: {lines[0].getMessage()!r}"
    )
    assert all(skipped.filter(r) for r in records if r is not lines[0])


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
    kinds = [kind for kind, _ in built.seen["events"] if kind != "read"]
    assert kinds == ["content"] * len(PAGES) + ["env"] + ["context"] * len(PAGES), (
        "mkdocs_quirks 4: MkDocs no longer converts every page (on_page_content) before "
        f"on_env and before it renders any (on_page_context); the order was "
        f"{built.seen['events']}: Converted would hand MkDocs empty pages, and the build's "
        "collector would freeze pages not yet read"
    )
    for name in ("index.md", "forgetful.md"):  # (their HTML came back from Converted)
        built_page = "index.html" if name == "index.md" else f"{name[:-3]}/index.html"
        body = (built.site / built_page).read_text(encoding="utf-8")
        assert PAGES[name].splitlines()[-1] in body, f"{name}: its HTML was not given back"


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
        "mkdocs_quirks.notified keeps MkDocs' polling"
    )
    assert not observer.is_alive()
    watched = [watch.raw_path for watch in observer._handlers]
    assert watched == [str(built.site.parent / "docs")], (
        "mkdocs_quirks 7: the watches made before the server starts are no longer in "
        "watchdog's _handlers: mkdocs_quirks.notified could not move them to file notifications"
    )


def test_7_the_moved_watches_start_mkdocs_rebuilds(server: LiveReloadServer, built: Built) -> None:
    """`notified` on MkDocs' own server: its watcher replaced, and an edit in a watched folder
    asks the server for a rebuild through the watches moved over."""
    polling = server.observer
    name = mkdocs_quirks.notified(server)
    assert name is not None and server.observer is not polling, (
        "mkdocs_quirks 7: notified kept MkDocs' polling watcher on its own server"
    )
    assert mkdocs_quirks.notified(server) is None  # (once only)
    server.observer.start()
    try:
        (built.site.parent / "docs" / "index.md").write_text("# Home\n\nEdited.\n", "utf-8")
        deadline = time.monotonic() + 10
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.observer.stop()
        server.observer.join()
        (built.site.parent / "docs" / "index.md").write_text(PAGES["index.md"], "utf-8")
    assert server._want_rebuild, (
        "mkdocs_quirks 7: an edit in a folder MkDocs' server watched did not ask it for a "
        "rebuild once its watches were moved to file notifications (MkDocs' handler changed?)"
    )


def test_8_a_link_only_file_is_neither_read_nor_built_and_links_resolve(built: Built) -> None:
    touched = [uri for _, uri in built.seen["events"] if uri == LINKED]
    assert not touched, (
        "mkdocs_quirks 8: MkDocs read, converted or rendered a File whose "
        f"is_documentation_page() is False ({built.seen['events']}): link_target saves nothing"
    )
    assert not (built.site / "elsewhere").exists(), (
        "mkdocs_quirks 8: MkDocs built or copied a link-only File (LinkTarget): it would "
        "overwrite the page's current HTML"
    )
    home = BeautifulSoup((built.site / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a.get("href") for a in home.select("a")]
    assert "elsewhere/" in links, (
        f"mkdocs_quirks 8: a link to a link-only File no longer resolves to its page: {links}"
    )
    unresolved = [r.getMessage() for r in built.records if LINKED in r.getMessage()]
    assert not unresolved, f"mkdocs_quirks 8: MkDocs did not find the link target: {unresolved}"


DIRTY_HOOKS = '''
"""Notes what a `mkdocs build` reads and whether it was told it is dirty."""
import json
from pathlib import Path

SEEN = {"dirty": None, "read": []}


def on_startup(command, dirty):
    SEEN["dirty"] = dirty


def on_page_read_source(page, config):
    SEEN["read"].append(page.file.src_uri)


def on_post_build(config):
    Path(config.site_dir, "..", "seen.json").write_text(json.dumps(SEEN))
'''


def _mkdocs_build(root: Path, *more: str) -> dict[str, Any]:
    """`mkdocs build` of the site at ``root`` (MkDocs' own command line): what the hooks saw."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")]
    subprocess.run([*command, *more], check=True, env=env, cwd=root)
    seen: dict[str, Any] = json.loads((root / "seen.json").read_text(encoding="utf-8"))
    return seen


def test_9_a_dirty_build_goes_by_modification_times(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    for name in ("edited.md", "current.md"):
        (tmp_path / "docs" / name).write_text(f"# {name}\n", encoding="utf-8")
    (tmp_path / "hooks.py").write_text(DIRTY_HOOKS, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Dirty\nhooks:\n  - hooks.py\n", "utf-8")
    assert _mkdocs_build(tmp_path) == {"dirty": False, "read": ["current.md", "edited.md"]}
    site = tmp_path / "site"
    (site / "stale.html").write_text("left by an earlier build", encoding="utf-8")
    html = {name: site / name / "index.html" for name in ("edited", "current")}
    built_at = html["current"].stat().st_mtime
    os.utime(tmp_path / "docs" / "current.md", (built_at - 60, built_at - 60))
    os.utime(tmp_path / "docs" / "edited.md", (built_at + 60, built_at + 60))
    seen = _mkdocs_build(tmp_path, "--dirty")
    assert seen["dirty"] is True, "mkdocs_quirks 9: on_startup was not told the build is dirty"
    assert seen["read"] == ["edited.md"], (
        "mkdocs_quirks 9: a dirty build no longer reads only the pages whose source is newer "
        f"than their HTML (it read {seen['read']}): generated pages would be built again, or "
        "an edited one not"
    )
    assert html["current"].stat().st_mtime == built_at, (
        "mkdocs_quirks 9: a dirty build wrote a page whose HTML is newer than its source"
    )
    assert (site / "stale.html").is_file(), (
        "mkdocs_quirks 9: a dirty build emptied the site folder: the published files kept "
        "between edits would be lost"
    )
