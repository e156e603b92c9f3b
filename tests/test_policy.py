"""The Content-Security-Policy: what it allows, where it stands in a page, the map's tiles, and
`mkdocs serve` under the same policy (a header, with a nonce for MkDocs' live-reload script)."""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
import wsgiref.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from mkdocs.config.base import ValidationError
from mkdocs.livereload import LiveReloadServer
from playwright.sync_api import Browser, ConsoleMessage

from generator import settings
from generator.adapter import preview
from generator.publish import admin, csp
from tests.browser_support import (
    BRIEF_ID,
    CSP_REPORTER,
    _dismissed,
    _open_context,
    open_page,
    serve,
)
from tests.conftest import FIXTURE
from tests.sitebuild import ROOT, config_for, free_port, mkdocs_build, mkdocs_serve

TILES = "https://tile.openstreetmap.org"
HOSTILE_PAGE = """\
# Inline

## before {: #marker }
"""
INLINE_SCRIPT = (
    "<script>window.ran = true; alert(document.domain)</script>"
    '<img src="x" onerror="window.ran = true">'
)
"""What no page can hold any more (hand-written pages are sanitized: `generator.render.handwritten`),
added to every page's content by an MkDocs hook after our plugin has run, to stand for whatever
the next parser disagreement would let in: the policy must refuse it, under serve too."""
INJECT_HOOK = f"""\
def on_page_context(context, page, config, nav):
    page.content += {INLINE_SCRIPT!r}
    return context
"""


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


def test_the_policy_allows_the_site_and_nothing_else() -> None:
    assert directives(csp.POLICY) == {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'none'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    more = directives(csp.policy(["x = 1"], [TILES]))
    assert more["img-src"] == ["'self'", "data:", TILES]
    assert more["script-src"] == ["'self'", "'wasm-unsafe-eval'", *csp.script_hashes(["x = 1"])]
    assert {k: v for k, v in more.items() if k not in ("img-src", "script-src")} == {
        k: v for k, v in directives(csp.POLICY).items() if k not in ("img-src", "script-src")
    }


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", TILES),
        (
            "https://{s}.tiles.example.org:8443/{z}/{x}/{y}@2x.png?key=1",
            "https://*.tiles.example.org:8443",
        ),
        ("", None),
    ],
)
def test_map_tiles_name_one_origin(value: str, origin: str | None) -> None:
    assert settings.Declared("", settings.tile_address).run_validation(value) == value
    assert settings.tile_origin(value) == origin


@pytest.mark.parametrize(
    "value",
    [
        "http://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://tile.openstreetmap.org/tiles.png",
        "https://tile.example.org/{z}/{x}/{y}.png; script-src *",
        "https://tile.example.org/{z}/{x}/{y}.png 'unsafe-inline'",
        "//tile.example.org/{z}/{x}/{y}.png",
    ],
)
def test_map_tiles_refuse_what_would_widen_the_policy(value: str) -> None:
    with pytest.raises(ValidationError, match="Expected an https address with"):
        settings.Declared("", settings.tile_address).run_validation(value)


# -- the policy in built pages ---


def _head(page: Path) -> list[Tag]:
    head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
    assert head is not None, page
    return [child for child in head.children if isinstance(child, Tag)]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content, built, one brief renamed (its old address is a page of its own)."""
    folder = tmp_path_factory.mktemp("policy")
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    record = content / "events" / "2024" / f"{BRIEF_ID}.yaml"
    record.write_text(record.read_text("utf-8") + "former_ids: [old-launch]\n", "utf-8")
    result = mkdocs_build(config_for(folder, content), folder / "site")
    assert result.returncode == 0, result.stderr
    return folder / "site"


@pytest.mark.slow
def test_every_page_starts_with_its_policy(shipped: Path) -> None:
    """In every page MkDocs built, the policy is the element right after the charset, so it
    governs everything else; by default (no `map_tiles`) the map page's is the same as every
    other's (tests/test_basemap.py builds one with tiles)."""
    pages = sorted(shipped.rglob("*.html"))
    assert len(pages) > 100
    moved = 0
    for page in pages:
        rel = page.relative_to(shipped).as_posix()
        head = _head(page)
        assert head[0].name == "meta" and head[0].get("charset") == "utf-8", rel
        assert head[1].name == "meta", rel
        assert head[1].get("http-equiv") == "Content-Security-Policy", rel
        if head[2].name == "title" and "noindex" in str(head[3]):
            # An old address of a renamed record (generator/publish/redirects.py): nothing at all.
            assert head[1].get("content") == "default-src 'none'", rel
            moved += 1
            continue
        if rel == "admin/index.html":  # the editing form's own (generator/publish/admin.py)
            assert head[1].get("content") == admin.ADMIN_POLICY
            continue
        assert head[1].get("content") == csp.POLICY, rel
    assert (shipped / "map/index.html") in pages
    assert moved == 1


@pytest.mark.slow
@pytest.mark.browser
def test_without_tiles_the_map_works_and_asks_no_other_host(
    tmp_path: Path, browser: Browser
) -> None:
    """``map_tiles: ""``: no tile layer, no credit for tiles, and no host in the policy."""
    config = config_for(tmp_path, FIXTURE, map_tiles="")
    site = tmp_path / "site"
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr
    head = _head(site / "map/index.html")
    assert head[1].get("content") == csp.POLICY
    html = (site / "map/index.html").read_text(encoding="utf-8")
    assert "data-tiles" in html and "tile.openstreetmap.org" not in html
    with serve(site) as url, open_page(browser, url) as page:
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{url}/map/")
        page.locator(".leaflet-marker-icon, .marker-cluster").first.wait_for()
        page.wait_for_load_state("networkidle")
        assert page.locator(".leaflet-tile").count() == 0
        assert all(a.startswith(url) or a.startswith("data:") for a in asked), asked


# -- mkdocs serve ---


def _live_reload_server(root: Path) -> LiveReloadServer:
    """MkDocs' own server application over ``root``, not listening: it injects its live-reload
    script into HTML files once it watches a folder, as under `mkdocs serve`."""
    server = LiveReloadServer(lambda: None, "127.0.0.1", 0, str(root))
    server.watch(str(root))  # (the observer is never started)
    return server


def _get(app: Any, path: str) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {"PATH_INFO": path}
    wsgiref.util.setup_testing_defaults(environ)
    answer: list[Any] = []
    body = app(environ, lambda status, headers, exc_info=None: answer.extend([status, headers]))
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):  # (as a WSGI server does)
            body.close()
    return answer[0], dict(answer[1]), data


def test_the_preview_sends_the_page_policy_with_a_nonce_for_live_reload(
    tmp_path: Path,
) -> None:
    policy = csp.policy(images=[TILES])
    page = (
        f'<!doctype html><html lang=en><head><meta charset=utf-8><meta content="{policy}" '
        "http-equiv=Content-Security-Policy><title>x</title></head><body><p>x</p>"
        "<script>alert(1)</script></body></html>"
    )
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "icon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    server = _live_reload_server(tmp_path)
    inner = server.get_app()
    assert inner is not None
    app = preview.Policy(inner)
    server.server_close()  # (never bound: the application is called directly)
    status, headers, body = _get(app, "/")
    assert status == "200 OK"
    sent = directives(headers["Content-Security-Policy"])
    nonce = re.fullmatch(r"'nonce-([A-Za-z0-9+/=]+)'", sent["script-src"][0])
    assert nonce is not None
    assert sent == {
        **directives(policy),
        "script-src": [sent["script-src"][0], "'self'", "'wasm-unsafe-eval'"],
    }
    text = body.decode("utf-8")
    assert "Content-Security-Policy" not in text  # (two policies would intersect)
    assert int(headers["Content-Length"]) == len(body)
    # The page's own script stays as it was; MkDocs' script, the last before </body>, runs.
    assert "<script>alert(1)</script>" in text
    scripts = re.findall(r"<script([^>]*)>", text)
    assert scripts == ["", f' nonce="{nonce[1]}"']
    assert text.index(f'<script nonce="{nonce[1]}">\nvar livereload') > text.index("alert(1)")
    # A new nonce for each response, and the site's policy for every other file.
    assert _get(app, "/")[1]["Content-Security-Policy"] != headers["Content-Security-Policy"]
    status, headers, body = _get(app, "/icon.svg")
    assert headers["Content-Security-Policy"] == csp.POLICY
    assert body.startswith(b"<svg")


@pytest.mark.parametrize(
    "page",
    [
        # The policy not where main.html writes it: the site's own policy is sent instead.
        "<!doctype html><html><head><meta charset=utf-8><title>x</title>"
        '<meta http-equiv=Content-Security-Policy content="script-src *"></head><body>'
        "<script>\nvar livereload = function(epoch, requestId) {}\nlivereload(1, 2);\n</script>"
        "<p>text</p></body></html>",
        "<p>no head</p><script>alert(1)</script></body>",
    ],
)
def test_the_preview_gives_no_nonce_to_the_page_and_keeps_the_policy(page: str) -> None:
    data = page.encode()
    assert preview.page_policy(data) == (csp.POLICY, data)
    assert preview.with_nonce(data, "abc") == data


def _hostile_config(folder: Path, content: Path) -> Path:
    """A mkdocs.yml like `config_for`'s with a hook that adds `INLINE_SCRIPT` to every page's
    content once our plugin has handed it back (hooks run after the configured plugins): the
    script is in the part made from Markdown, where record text lands, so it gets no hash."""
    hook = folder / "inject.py"
    hook.write_text(INJECT_HOOK, encoding="utf-8")
    config = config_for(folder, content)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["hooks"] = [str(hook)]
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return config


def _hostile_content(folder: Path) -> Path:
    content = folder / "content"
    shutil.copytree(FIXTURE, content)
    (content / "pages" / "inline.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    return content


@pytest.fixture
def preview_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`mkdocs serve --dirty` (as `make serve`) of the fixture with a page holding inline
    script: its address, and the content folder."""
    content = _hostile_content(tmp_path)
    port = free_port()
    with (tmp_path / "serve.log").open("w", encoding="utf-8") as log:
        server = mkdocs_serve(_hostile_config(tmp_path, content), port, log)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/inline/", timeout=5):
                        break
                except OSError:
                    assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                    time.sleep(0.3)
            yield url, content
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.mark.slow
@pytest.mark.browser
def test_serve_refuses_inline_script_and_still_reloads(
    preview_server: tuple[str, Path], browser: Browser
) -> None:
    """Under a real `mkdocs serve`, in Chromium: the page's inline script and handler are
    refused, nothing opens a dialog, and a saved edit still reloads the page."""
    url, content = preview_server
    with urllib.request.urlopen(f"{url}/inline/", timeout=10) as response:
        sent = response.headers["Content-Security-Policy"]
        assert "<meta http-equiv" not in response.read().decode("utf-8")
    assert "'nonce-" in sent and "'unsafe-inline'" not in sent
    context = _open_context(browser, url)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    reports: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("console", lambda message: reports.append(message.text))
    page.on("dialog", lambda dialog: _dismissed(dialog, dialogs))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        with page.expect_console_message(_live_reload_ready):
            page.goto(f"{url}/inline/")
        assert page.evaluate("window.ran === undefined")
        refused = [r for r in reports if r.startswith("CSP violation")]
        assert any(r.startswith("CSP violation: script-src-elem") for r in refused), reports
        assert any(r.startswith("CSP violation: script-src-attr") for r in refused), reports
        assert page.locator("#marker").inner_text() == "before"
        # Live reload: an edit is built and the page loads again, by MkDocs' script alone.
        edited = HOSTILE_PAGE.replace("before", "after")
        (content / "pages" / "inline.md").write_text(edited, encoding="utf-8")
        page.wait_for_function(
            "() => document.getElementById('marker')?.textContent === 'after'", timeout=60_000
        )
        assert page.evaluate("window.ran === undefined")
        assert dialogs == [] and errors == []
        # (Only the hostile page's script and handler were refused, on each load.)
        assert all("script-src-elem" in r or "script-src-attr" in r for r in refused), refused
    finally:
        context.close()


def _live_reload_ready(message: ConsoleMessage) -> bool:
    return message.text == "Enabled live reload"
