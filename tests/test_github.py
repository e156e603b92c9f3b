"""`briefing check` under GitHub Actions: every problem as a workflow command on its line."""

from __future__ import annotations

import pytest

from generator.commands import cli, github
from tests.conftest import EVENT, ContentFactory

P = "content/events/2024/launch.yaml"
BAD_ACTOR = "name: x\nkind: state\nsummary: X.\nwat: 1\n"


def test_escaping_follows_the_github_toolkit() -> None:
    assert github.escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # Other invisible characters are shown, as in the house format.
    assert github.escape_data("bell\x07 rtl\u202e") == "bell\\x07 rtl\\u202e"


def test_style_is_github_only_under_actions_or_when_asked() -> None:
    assert github.style(None, {}) == "text"
    assert github.style(None, {"GITHUB_ACTIONS": "true"}) == "github"
    assert github.style("text", {"GITHUB_ACTIONS": "true"}) == "text"
    assert github.style("github", {}) == "github"


def test_errors_become_error_commands(
    make_content: ContentFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content(events={"bad": "title: [\n"}, actors={"x": BAD_ACTOR})
    assert cli.main(["check", "--format", "github"]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "::error file=content/actors/x.yaml,line=4,col=1,title=wat::unknown field 'wat'",
        "::error file=content/events/2024/bad.yaml,line=2,col=1,title=briefing check"
        "::YAML syntax error: did not find expected node content",
    ]
    assert out.err == "2 error(s) in 2 file(s)\n"


def test_warnings_become_warning_commands_under_github_actions(
    make_content: ContentFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    undated = EVENT.replace('    date: "2024-06-26"\n    sources', "    sources")
    make_content(events={"launch": undated})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli.main(["check", "--strict"]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"::warning file={P},line=8,col=3,title=location (coordinates-sourced)"
        "::the coordinates name no source (location.source) (coordinates-sourced: coordinates "
        "are facts like any other and need a source that can be checked)",
        f"::warning file={P},line=18,col=5,title=claims[0] (claim-dated)"
        "::the claim has no date (claim-dated: a claim is an assertion made at a point in "
        "time, and readers need that time to weigh it)",
        f"::warning file={P},line=23,col=15,title=assessment.confidence (confidence-sources)"
        "::'high' needs at least 3 independent sources; this record has 1 (confidence-sources: "
        "the confidence levels are defined by the number of sources behind the judgement)",
        f"::warning file={P},line=25,col=13,title=facts.Missiles (figure-source)"
        "::'1' gives a figure without its source (figure-source: figures differ between "
        "sources; the site gives each with its source and never picks one silently)",
    ]
    assert out.err == "4 editorial warning(s) in 1 file(s)\n"


def test_locally_nothing_changes(
    make_content: ContentFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_content(actors={"x": BAD_ACTOR})
    assert cli.main(["check"]) == 1
    out = capsys.readouterr()
    assert (out.out, out.err) == (
        "",
        "content/actors/x.yaml:4:1: wat: unknown field 'wat'\n1 error(s) in 1 file(s)\n",
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli.main(["check", "--format", "text"]) == 1
    assert capsys.readouterr().err.startswith("content/actors/x.yaml:4:1: wat: unknown field")
