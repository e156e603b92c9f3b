"""Docs that cannot drift: the record reference, the command list and the plugin options follow the
code, each in the page that holds it; the README stays a short front door whose links lead somewhere."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from generator.commands import cli
from generator.render import docs
from generator.settings import BriefingConfig

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = ROOT / "content" / "pages"
EDITING = (PAGES / "editing.md").read_text(encoding="utf-8")
"""The editors' guide, a page of the site: it documents every `briefing` command."""
PROBLEMS = (PAGES / "problems.md").read_text(encoding="utf-8")
SITE = (ROOT / "docs" / "site.md").read_text(encoding="utf-8")
"""The maintainers' document on how the site is made: it names every plugin option."""


def test_format_reference_is_generated_from_the_models() -> None:
    expected = f"{docs.BEGIN}\n{docs.reference(ROOT / 'templates')}{docs.END}"
    page = (ROOT / docs.REFERENCE_PAGE).read_text(encoding="utf-8")
    assert expected in page, "the record reference page is stale: run `make docs`"


def test_make_docs_writes_the_reference_into_its_page(tmp_path: Path) -> None:
    """`docs.update` puts the generated text between the markers of the page it is given, and
    leaves the page's own text alone."""
    page = tmp_path / "reference.md"
    page.write_text(f"# Record reference\n\nBefore.\n\n{docs.BEGIN}\nold\n{docs.END}\n\nAfter.\n")
    assert docs.update(page, docs.BEGIN, docs.END, "new\n")
    assert page.read_text() == (
        f"# Record reference\n\nBefore.\n\n{docs.BEGIN}\nnew\n{docs.END}\n\nAfter.\n"
    )
    assert not docs.update(page, docs.BEGIN, docs.END, "new\n")


def test_every_command_and_option_is_documented() -> None:
    parser = cli.parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        assert f"`briefing {name}" in EDITING, f"command {name} is not in content/pages/editing.md"
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in EDITING, f"briefing {name} {option} is not in editing.md"


def test_every_plugin_option_is_documented() -> None:
    for name, _ in BriefingConfig._schema:
        assert f"`{name}`" in SITE, f"the plugin option {name} is not in docs/site.md"


def test_error_examples_are_real_messages() -> None:
    """Every example in "When something is wrong" is a message a test asserts exactly."""
    section = PROBLEMS.split("<!-- examples:begin", 1)[1].split("<!-- examples:end -->", 1)[0]
    examples = [line for line in section.splitlines()[2:] if line and line != "```"]
    assert len(examples) >= 10
    tests = (ROOT / "tests" / "test_check.py").read_text(encoding="utf-8")
    asserted = tests.replace("{P}", "content/events/2024/bad.yaml").replace(
        "{UNREADABLE}", "content/events/2024:1:1: cannot read folder: Permission denied"
    )
    for line in examples:
        assert line in asserted, f"the example is not asserted by tests/test_check.py: {line}"


def test_the_readme_is_a_short_front_door() -> None:
    """At most 300 lines, and a Quickstart of exactly the two commands a newcomer runs."""
    assert len(README.splitlines()) <= 300
    quickstart = README.split("## Quickstart", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in quickstart.splitlines()]
    assert commands == ["make site", "make test"]


def test_the_readme_links_to_files_that_exist() -> None:
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert len(links) >= 10
    for link in links:
        assert (ROOT / link).is_file(), f"the README links to {link}, which does not exist"


def test_every_make_target_is_in_the_readme() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = makefile.split(".PHONY:", 1)[1].split("\n", 1)[0].split()
    assert "test-fast" in phony
    for target in phony:
        assert f"make {target}`" in README or f"make {target}," in README, target
