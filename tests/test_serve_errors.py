"""`mkdocs serve` with a broken record: the last good site answers at once, every error shows in
the browser (as text), and a good save takes them away."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, expect

from tests.browser_support import PHONE, _screenshot, open_page
from tests.test_site import _fetch, serving

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HOSTILE = "<img src=x onerror=alert(1)>"


def _errors(url: str) -> list[str] | None:
    """The errors the server lists, or None when it lists none (an empty list: the file is
    always there under serve, so that no page load asks for a missing file)."""
    with urllib.request.urlopen(f"{url}/briefing-errors.json", timeout=10) as response:
        return list(json.loads(response.read().decode("utf-8"))) or None


def _until(condition: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not callable(condition) or not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


def test_serve_shows_content_errors_over_the_last_good_site(
    tmp_path: Path, browser: Browser
) -> None:
    with serving(tmp_path) as (url, content):
        _fetch(f"{url}/briefs/exercise/", "Exercise over several days")
        assert _errors(url) is None
        record = content / "events" / "2023" / "exercise.yaml"
        good = record.read_text(encoding="utf-8")
        lines = good.splitlines()
        type_line = next(n for n, line in enumerate(lines, 1) if line.startswith("type:"))
        actors_line = next(n for n, line in enumerate(lines, 1) if line.startswith("actors:"))
        broken = good.replace(lines[type_line - 1], f'type: "{HOSTILE}"', 1)
        broken = broken.replace("Exercise over several days", "Half-edited title", 1)
        assert "acters" not in broken
        broken = broken.replace("actors:", "acters:", 1)
        record.write_text(broken, encoding="utf-8")
        _until(lambda: _errors(url) is not None, "the errors never reached the server")
        errors = _errors(url)
        assert errors is not None
        shown = str(record)
        expected = [
            f"{shown}:{actors_line}:1: acters: unknown field 'acters' (did you mean 'actors'?)",
            f"{shown}:{type_line}:7: type: '{HOSTILE}' is not a valid id: use lowercase a-z "
            "and 0-9 words joined by hyphens",
        ]
        assert set(expected) <= set(errors), errors
        # The last good site answers at once, with the last good text.
        started = time.monotonic()
        page = _fetch(f"{url}/briefs/exercise/", "Exercise over several days", timeout=10)
        assert time.monotonic() - started < 5
        assert "Half-edited title" not in page
        with open_page(browser, url) as tab:
            dialogs: list[str] = []

            def dismiss(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            tab.on("dialog", dismiss)
            tab.goto(f"{url}/briefs/exercise/")
            overlay = tab.locator("#briefing-errors")
            overlay.wait_for(state="visible")
            items = [text.strip() for text in overlay.locator("li").all_inner_texts()]
            assert items == errors
            assert any(HOSTILE in item for item in items)  # shown as text ...
            assert overlay.locator("img").count() == 0  # ... never as HTML
            assert tab.locator("h1").first.inner_text().startswith("Exercise over several days")
            _check_panel_on_a_phone(browser, url, len(errors))
            # A good save: the errors go, the page reloads with the edit.
            fixed = good.replace("Exercise over several days", "Exercise, fixed")
            record.write_text(fixed, encoding="utf-8")
            tab.wait_for_function(  # (a function: the preview's policy refuses eval)
                "() => document.querySelector('h1') && document.querySelector('h1')"
                ".textContent.includes('Exercise, fixed')",
                timeout=60_000,
            )
            tab.wait_for_load_state("load")
            assert tab.locator("#briefing-errors").count() == 0
            assert dialogs == []
        assert _errors(url) is None


def _check_panel_on_a_phone(browser: Browser, url: str, count: int) -> None:
    """On a phone the panel takes at most a quarter of the screen; its summary collapses it to
    one line, and it stays collapsed when the page reloads (as live reload does on each save)."""
    with open_page(browser, url, **PHONE) as phone:
        phone.goto(f"{url}/briefs/exercise/")
        panel = phone.locator("#briefing-errors")
        panel.wait_for(state="visible")
        box = panel.bounding_box()
        assert box is not None and box["height"] <= 844 / 4, box
        assert box["y"] + box["height"] == pytest.approx(844, abs=1)  # (at the foot)
        summary = panel.locator("summary")
        assert summary.inner_text().startswith(f"The content has {count} errors.")
        expect(panel.locator("li").first).to_be_visible()
        _screenshot(phone, "serve-errors-390", full_page=False)
        summary.click()
        expect(panel.locator("li").first).to_be_hidden()
        collapsed = panel.bounding_box()
        assert collapsed is not None and collapsed["height"] < 60, collapsed
        phone.reload()
        panel.wait_for(state="visible")
        expect(panel.locator("details")).not_to_have_attribute("open", "")
        expect(panel.locator("li").first).to_be_hidden()
        _screenshot(phone, "serve-errors-390-collapsed", full_page=False)
        panel.locator("summary").click()
        expect(panel.locator("li").first).to_be_visible()
