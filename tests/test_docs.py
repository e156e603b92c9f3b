"""Docs that cannot drift: the README's reference and command list follow the code."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator import settings
from generator.commands import cli
from generator.render import docs

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_format_reference_is_generated_from_the_models() -> None:
    expected = f"{docs.BEGIN}\n{docs.reference(ROOT / 'templates')}{docs.END}"
    assert expected in README, "README reference is stale: run `make docs`"


def test_every_command_and_option_is_documented() -> None:
    parser = cli.parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        assert f"`briefing {name}" in README, f"command {name} is not in the README"
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in README, f"briefing {name} {option} is not in the README"


def test_the_options_table_is_current() -> None:
    """The README's table of the plugin's options is made from their declarations."""
    expected = f"{docs.OPTIONS_BEGIN}\n{docs.options(ROOT / 'templates')}{docs.OPTIONS_END}"
    assert expected in README, "README options table is stale: run `make docs`"


def test_every_plugin_option_is_documented() -> None:
    for name, _ in settings.SCHEME:
        assert f"`{name}`" in README, f"the plugin option {name} is not in the README"


def test_error_examples_are_real_messages() -> None:
    """Every example in "When something is wrong" is a message a test asserts exactly."""
    section = README.split("<!-- examples:begin", 1)[1].split("<!-- examples:end -->", 1)[0]
    examples = [line for line in section.splitlines()[2:] if line and line != "```"]
    assert len(examples) >= 10
    tests = (ROOT / "tests" / "test_check.py").read_text(encoding="utf-8")
    asserted = tests.replace("{P}", "content/events/2024/bad.yaml").replace(
        "{UNREADABLE}", "content/events/2024:1:1: cannot read folder: Permission denied"
    )
    for line in examples:
        assert line in asserted, f"README example is not asserted by tests/test_check.py: {line}"
