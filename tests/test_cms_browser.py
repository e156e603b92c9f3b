"""The editing form at /admin/ (Decap CMS) end to end, in headless Chromium, with no network and
no GitHub: Decap's own local backend (`decap-server`, pinned in package.json, run from
node_modules) writes real files into a copy of the content, which `briefing check` then judges
and a real build publishes.

The built site's ``admin/config.yml`` is the generated one with one change: the local backend's
address, a free port of this machine (Decap's default, 8081, may be taken by another run)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from generator.publish import admin as admin_page
from generator.publish import csp, search
from tests.browser_support import CSP_REPORTER, SCREENSHOTS, serve
from tests.sitebuild import ROOT, config_for, free_port, mkdocs_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
TITLE = "Ninth wave of trash balloons"
NAME = "2024-07-24-ninth-wave-of-trash-balloons.yaml"
RELATED = "2024-05-28-north-korea-begins-trash-balloon-launches"


@pytest.fixture(scope="module")
def cms(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[dict[str, Any]]:
    """The shipped site built and served, and decap-server over a copy of the content."""
    if not SERVER.is_file():
        pytest.fail("decap-server is missing: run `npm ci` (package.json pins it)")
    folder = tmp_path_factory.mktemp("cms")
    repo = folder / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    site = folder / "site"
    result = mkdocs_build(config_for(folder / "build", ROOT / "content"), site)
    assert result.returncode == 0, result.stderr
    port = free_port()
    config = site / "admin" / "config.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nlocal_backend: true\n" in text
    local = f"\nlocal_backend:\n  url: http://127.0.0.1:{port}/api/v1\n"
    config.write_text(text.replace("\nlocal_backend: true\n", local), encoding="utf-8")
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs"}
    env["GIT_REPO_DIRECTORY"] = str(repo)
    log = (folder / "decap-server.log").open("w")
    server = subprocess.Popen(["node", str(SERVER)], env=env, stdout=log, stderr=log)
    try:
        _wait_for(f"http://127.0.0.1:{port}/api/v1")
        with serve(site) as url:
            yield {"url": url, "repo": repo, "port": port, "folder": folder, "site": site}
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _wait_for(url: str) -> None:
    request = urllib.request.Request(
        url, data=b'{"action":"info"}', headers={"Content-Type": "application/json"}
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"decap-server did not answer at {url}")


@pytest.fixture
def admin(browser: Browser, cms: dict[str, Any]) -> Iterator[Page]:
    """/admin/ logged in to the local backend; fails on script errors, CSP refusals and failed
    requests."""
    allowed = re.compile(rf"^http://127\.0\.0\.1:({cms['url'].rsplit(':', 1)[1]}|{cms['port']})/")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.set_default_timeout(15_000)
    context.route(
        re.compile(r".*"), lambda r: r.continue_() if allowed.match(r.request.url) else r.abort()
    )
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    problems: list[str] = []  # (Decap throws `undefined` when a save is refused: not counted)
    page.on("pageerror", lambda e: problems.append(str(e)) if str(e) != "undefined" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on(
        "response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    page.on(
        "console",
        lambda m: problems.append(m.text) if "CSP violation" in m.text else None,
    )
    page.goto(f"{cms['url']}/admin/")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_text("Briefs").first).to_be_visible()
    yield page
    context.close()
    assert not problems, problems


def _select(page: Page, field: Any, text: str) -> None:
    """Pick ``text`` in a react-select (Decap's select and relation widgets)."""
    field.click()
    page.keyboard.type(text)
    page.get_by_role("option", name=re.compile(re.escape(text), re.I)).first.click()


def _last(page: Page, name: str) -> Any:
    return page.locator(f"[id^={name}-field]").last


def _fill_event(page: Page) -> None:
    """A brief with two claims, an actor and a related event, through the form."""
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Date", exact=True).fill("2024-07-24")
    _select(page, _last(page, "type"), "Balloon campaign")
    _select(page, _last(page, "status"), "Developing")
    _last(page, "summary").fill("North Korea sent a ninth wave of balloons carrying rubbish.")
    page.get_by_role("button", name="Add actors").click()
    _select(page, _last(page, "id"), "North Korea")
    _last(page, "role").fill("launched the balloons")
    for n, said in enumerate(("It was a response to leaflets.", "No more balloons will come.")):
        page.get_by_role("button", name="Add claims").click()
        _select(page, _last(page, "by"), "North Korea")
        _last(page, "said").fill(said)
        page.locator("[id^=date-field]").last.fill("2024-07-24")
        page.get_by_role("button", name="Add sources").nth(n).click()  # (the claim's own list)
        _last(page, "item").fill("yonhap")
    page.get_by_role("button", name="Add related").click()
    _select(page, _last(page, "id"), "begins sending balloons")
    _select(page, _last(page, "relation"), "Part of")
    page.get_by_role("button", name="Add sources").last.click()
    _last(page, "key").fill("yonhap")
    _last(page, "publisher").fill("Yonhap")
    _last(page, "title").fill("N. Korea flies balloons again")
    _last(page, "url").fill("https://en.yna.co.kr/")
    _last(page, "published").fill("2024-07-25")


def _publish(page: Page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    now = page.get_by_text("Publish now")
    expect(now).to_be_visible()
    page.wait_for_timeout(500)  # (the menu opens with a transition)
    now.click()


def _written(repo: Path) -> Path:
    """The file the form wrote: ``content/events/<year>/<date>-<title>.yaml``."""
    for _ in range(100):
        found = list((repo / "content" / "events").glob(f"*/{NAME}"))
        if found:
            return found[0]
        time.sleep(0.1)
    pytest.fail(f"the form wrote no {NAME} in {repo}")


def _briefing(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)


def test_an_event_made_in_the_form_passes_the_check_and_is_published(
    admin: Page, cms: dict[str, Any]
) -> None:
    page = admin
    page.goto(f"{cms['url']}/admin/#/collections/events/new")
    _fill_event(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "cms-new-brief.png"))
    _publish(page)
    expect(page.get_by_text("Entry saved").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "cms-saved.png"))
    written = _written(cms["repo"])
    page.set_viewport_size({"width": 390, "height": 844})  # (a phone: the form as editors see it)
    page.goto(f"{cms['url']}/admin/#/collections/events")
    expect(page.get_by_text(TITLE).first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "cms-phone-list.png"))
    record = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert [c["said"] for c in record["claims"]] == [
        "It was a response to leaflets.",
        "No more balloons will come.",
    ]
    assert record["actors"] == [{"id": "north-korea", "role": "launched the balloons"}]
    assert record["related"] == [{"id": RELATED, "relation": "part-of"}]
    content = cms["repo"] / "content"
    checked = _briefing("check", "--strict", "--content", str(content))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    site = cms["folder"] / "published"
    result = mkdocs_build(config_for(cms["folder"] / "rebuild", content), site)
    assert result.returncode == 0, result.stderr
    brief = (site / "briefs" / written.stem / "index.html").read_text(encoding="utf-8")
    assert TITLE in brief
    assert "It was a response to leaflets." in brief
    assert "No more balloons will come." in brief


def _replace(page: Page, field: Any, text: str) -> None:
    """Type ``text`` over a field's value, as an editor would (Playwright's ``fill`` on Decap's
    inputs, which it keeps in step with its store, can leave the old value in front)."""
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    expect(field).to_have_value(text)


def test_the_form_refuses_an_unknown_actor_a_malformed_date_and_a_javascript_url(
    admin: Page, cms: dict[str, Any]
) -> None:
    page = admin
    page.goto(f"{cms['url']}/admin/#/collections/events/new")
    _fill_event(page)
    _replace(page, page.get_by_label("Date", exact=True), "24 July 2024")
    _replace(page, _last(page, "url"), "javascript:alert(1)")
    page.get_by_role("button", name="Add actors").click()
    _last(page, "id").click()
    page.keyboard.type("kim-jong-il")
    expect(page.get_by_role("option", name=re.compile("kim.jong.il", re.I))).to_have_count(0)
    page.keyboard.press("Escape")
    before = sorted(p.name for p in (cms["repo"] / "content" / "events").rglob("*.yaml"))
    _publish(page)
    expect(page.get_by_text("missed a required field").first).to_be_visible()
    expect(page.get_by_text("date: not an EDTF date")).to_be_visible()
    expect(
        page.get_by_text("url: a web address must start with http:// or https://")
    ).to_be_visible()
    page.get_by_text("url: a web address").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "cms-refused.png"))
    after = sorted(p.name for p in (cms["repo"] / "content" / "events").rglob("*.yaml"))
    assert after == before  # nothing was written


def test_the_form_has_its_own_policy_and_is_in_no_sitemap_search_or_feed(
    cms: dict[str, Any],
) -> None:
    site: Path = cms["site"]
    page = html.unescape((site / "admin" / "index.html").read_text(encoding="utf-8"))
    assert f'content="{admin_page.ADMIN_POLICY}"' in page
    assert "https://" not in page.replace(admin_page.ADMIN_POLICY, "")  # no CDN
    assert search.BODY_START not in page  # (Pagefind indexes only pages with a search body)
    others = [p for p in site.rglob("*.html") if p.parent.name != "admin"]
    assert len(others) > 50
    start = csp.POLICY.split("'wasm-unsafe-eval'")[0]
    for other in others:
        text = other.read_text(encoding="utf-8")
        if "Content-Security-Policy" in text:
            assert f'content="{start}' in text, other
            assert admin_page.ADMIN_POLICY not in text, other
    listed = [*site.glob("sitemap*.xml"), *site.glob("sitemaps/*.xml"), *site.rglob("*.atom")]
    listed += [*site.rglob("feeds/**/*.xml")]
    assert listed
    for path in listed:
        assert "/admin" not in path.read_text(encoding="utf-8"), path
    fragments = list((site / "pagefind").rglob("*"))
    assert fragments and not any("admin" in p.name for p in fragments)


def test_an_edit_keeps_what_the_form_does_not_show(admin: Page, cms: dict[str, Any]) -> None:
    """A brief's `facts` (no widget edits a mapping of free labels) stay, in their place."""
    stem = "2024-06-02-north-korea-says-it-will-pause-balloon-launches"
    path = cms["repo"] / "content" / "events" / "2024" / f"{stem}.yaml"
    before = yaml.safe_load(path.read_text(encoding="utf-8"))
    admin.goto(f"{cms['url']}/admin/#/collections/events/entries/2024/{stem}")
    admin.get_by_role("button", name="Add tags").click()
    _last(admin, "item").fill("pause")
    _publish(admin)
    expect(admin.get_by_text("Entry saved").first).to_be_visible()
    after = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert after["facts"] == before["facts"]
    assert after["tags"] == [*before["tags"], "pause"]
    assert list(after).index("facts") < list(after).index("tags")  # (in the form's order)
