"""The editorial lint: each rule, a record that breaks it, the exact warning and its position."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands import cli
from generator.commands.synth import generate
from generator.render import docs
from generator.render.jinja import when
from generator.site import editorial
from generator.site.editorial import Rule
from generator.site.link import build_site
from tests.conftest import EVENT, VOCABULARY, ContentFactory

ROOT = Path(__file__).parent.parent
P = "content/events/2024/launch.yaml"


def edit(old: str, new: str, text: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# The fixture event, made to follow every rule.
CLEAN = EVENT
for old, new in [
    ('Missiles: "1"', 'Missiles: "1 (JCS)"'),
    ("confidence: high", "confidence: low"),
    ("  precision: region\n", "  precision: region\n  source: ref\n"),
    (
        "published:",
        "  - key: ref\n    publisher: WorldAtlas\n"
        "    title: Where is North Korea (reference page, used for coordinates)\npublished:",
    ),
]:
    CLEAN = edit(old, new, CLEAN)


def warnings_for(make_content: ContentFactory, text: str) -> list[str]:
    root = make_content(events={"launch": text})
    return [str(w) for w in editorial.lint(build_site(root))]


def w(position: str, message: str, rule: Rule) -> str:
    return f"{P}:{position} {message} ({rule.id}: {rule.why})"


def test_clean_record_has_no_warnings(make_content: ContentFactory) -> None:
    assert warnings_for(make_content, CLEAN) == []


CASES = {
    "claim without date": (
        edit('    date: "2024-06-26"\n    sources: [jcs]', "    sources: [jcs]", CLEAN),
        w("19:5: claims[0]:", "the claim has no date", editorial.CLAIM_DATED),
    ),
    "claim without source": (
        edit("    sources: [jcs]\n", "", CLEAN),
        w("19:5: claims[0]:", "the claim cites no source", editorial.CLAIM_SOURCED),
    ),
    "claimant not among actors": (
        edit("  - by: rok-jcs", "  - by: kim-jong-un", CLEAN),
        w(
            "19:9: claims[0].by:",
            "'kim-jong-un' makes a claim but is not among the event's actors",
            editorial.CLAIMANT_ACTOR,
        ),
    ),
    "figure without source": (
        edit('Missiles: "1 (JCS)"', 'Missiles: "1"', CLEAN),
        w(
            "27:13: facts.Missiles:",
            "'1' gives a figure without its source",
            editorial.FIGURE_SOURCE,
        ),
    ),
    "figure with unknown source": (
        edit('Missiles: "1 (JCS)"', 'Missiles: "1 (Reuters)"', CLEAN),
        w(
            "27:13: facts.Missiles:",
            "'1 (Reuters)' names no source in brackets that is one of the event's actors or "
            "the publisher of one of its sources",
            editorial.FIGURE_SOURCE,
        ),
    ),
    "second figure without source": (
        edit('Missiles: "1 (JCS)"', 'Distance: "about 250 km (JCS); over 200 km"', CLEAN),
        w(
            "27:13: facts.Distance:",
            "'over 200 km' gives a figure without its source",
            editorial.FIGURE_SOURCE,
        ),
    ),
    "confidence above the sources": (
        edit("confidence: low", "confidence: high", CLEAN),
        w(
            "25:15: assessment.confidence:",
            "'high' needs at least 3 independent sources; this record has 1",
            editorial.CONFIDENCE_SOURCES,
        ),
    ),
    "claim dated after publication": (
        edit('    date: "2024-06-26"\n    sources', '    date: "2024-06-27"\n    sources', CLEAN),
        w(
            "21:11: claims[0].date:",
            "is dated 2024-06-27, later than published (2024-06-26), and no updates entry is "
            "dated on or after it",
            editorial.LATER_FACTS_UPDATED,
        ),
    ),
    "fact mentions a later date": (
        edit('Missiles: "1 (JCS)"', 'Next launch: "1 July"', CLEAN),
        w(
            "27:16: facts.Next launch:",
            "mentions 2024-07-01, later than published (2024-06-26), and no updates entry is "
            "dated on or after it",
            editorial.LATER_FACTS_UPDATED,
        ),
    ),
    "coordinates without source": (
        edit("  source: ref\n", "", CLEAN),
        w(
            "8:3: location:",
            "the coordinates name no source (location.source)",
            editorial.COORDINATES_SOURCED,
        ),
    ),
    "coordinates without precision": (
        edit("  precision: region\n", "", CLEAN),
        w(
            "8:3: location:",
            "the coordinates state no precision (location.precision)",
            editorial.COORDINATES_PRECISION,
        ),
    ),
}


# A data record: what `briefing import` writes (status data-record, no claims, no assessment,
# every fact naming its source), which the vocabulary must list.
DATA_VOCABULARY = edit(
    "statuses:\n",
    "statuses:\n  - id: data-record\n    label: Data record\n    description: Imported.\n",
    VOCABULARY,
)
DATA = edit("status: developing", "status: data-record", CLEAN)
DATA = DATA.split("claims:\n")[0] + "facts:" + DATA.split("\nfacts:", 1)[1]
DATA_CLAIM = edit("facts:", "claims:\n  - by: kim-jong-un\n    said: It worked.\nfacts:", DATA)
DATA_CASES = {
    "data record with an undated, unsourced claim by a non-actor": (
        DATA_CLAIM,
        w(
            "19:3: claims:",
            "a data record holds claims: curate it first",
            editorial.DATA_RECORD_UNASSESSED,
        ),
    ),
    "data record with an assessment above its sources": (
        DATA + "assessment:\n  text: Likely.\n  confidence: high\n",
        w(
            "32:3: assessment:",
            "a data record holds an assessment: curate it first",
            editorial.DATA_RECORD_UNASSESSED,
        ),
    ),
    "data record with a figure without source": (
        edit('Missiles: "1 (JCS)"', 'Missiles: "1"', DATA),
        w(
            "19:13: facts.Missiles:",
            "'1' gives a figure without its source",
            editorial.FIGURE_SOURCE,
        ),
    ),
    "data record with coordinates without source": (
        edit("  source: ref\n", "", DATA),
        w(
            "8:3: location:",
            "the coordinates name no source (location.source)",
            editorial.COORDINATES_SOURCED,
        ),
    ),
}


def test_a_data_record_passes_without_claims_or_assessment(make_content: ContentFactory) -> None:
    root = make_content(events={"launch": DATA}, vocabulary=DATA_VOCABULARY)
    site = build_site(root)
    assert site.event_by_id["launch"].record.status == "data-record"
    assert not site.event_by_id["launch"].record.claims
    assert editorial.lint(site) == []


@pytest.mark.parametrize("text, expected", DATA_CASES.values(), ids=DATA_CASES.keys())
def test_data_records_waive_judgement_rules_and_keep_sourcing_rules(
    make_content: ContentFactory, text: str, expected: str
) -> None:
    """The claim and confidence rules are not checked on a data record (its one warning is that
    it holds claims or an assessment at all); the sourcing rules are."""
    root = make_content(events={"launch": text}, vocabulary=DATA_VOCABULARY)
    assert [str(x) for x in editorial.lint(build_site(root))] == [expected]


def test_judgement_rules_are_the_waived_ones() -> None:
    waived = {rule.id for rule in editorial.RULES if not rule.data_records}
    assert waived == {"claim-dated", "claim-sourced", "claimant-actor", "confidence-sources"}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_rule_breach_gives_message_and_position(
    make_content: ContentFactory, text: str, expected: str
) -> None:
    assert warnings_for(make_content, text) == [expected]


def test_every_rule_has_a_case() -> None:
    cases = [*CASES.values(), *DATA_CASES.values()]
    tested = {case[1].rsplit(" (", 1)[1].split(":")[0] for case in cases}
    assert tested == {rule.id for rule in editorial.RULES}


def test_later_date_is_fine_with_an_update(make_content: ContentFactory) -> None:
    text = edit('Missiles: "1 (JCS)"', 'Next launch: "1 July"', CLEAN)
    text += 'updates:\n  - date: "2024-07-01"\n    note: Added the next launch.\n'
    assert warnings_for(make_content, text) == []


def test_sources_of_one_origin_count_once(make_content: ContentFactory) -> None:
    text = edit("confidence: low", "confidence: high", CLEAN)
    text = edit("    publisher: Korea Herald\n", "    publisher: Newsmax (Reuters)\n", text)
    text = edit(
        "published:",
        "  - key: b\n    publisher: Al Arabiya English (Reuters)\n    title: Same\n"
        "  - key: c\n    publisher: KBS World\n    title: Other\npublished:",
        text,
    )
    assert warnings_for(make_content, text) == [
        w(
            "25:15: assessment.confidence:",
            "'high' needs at least 3 independent sources; this record has 2",
            editorial.CONFIDENCE_SOURCES,
        )
    ]
    other = edit("(Reuters)\n    title: Same", "(AP)\n    title: Same", text)
    assert warnings_for(make_content, other) == []


@pytest.mark.parametrize(
    "bracket, names",
    [
        ("JCS", True),
        ("per JCS, Seoul", True),
        ("JCS-led count", True),
        ("JCSX", False),
        ("JCS_", False),
        ("JCSé", False),
        ("2JCS", False),
        ("XJCS, then JCS", True),  # (a later occurrence stands alone)
    ],
)
def test_a_bracket_names_a_source_as_whole_words(
    make_content: ContentFactory, bracket: str, names: bool
) -> None:
    part = f"1 ({bracket})"
    text = edit('Missiles: "1 (JCS)"', f'Missiles: "{part}"', CLEAN)
    expected = w(
        "27:13: facts.Missiles:",
        f"'{part}' names no source in brackets that is one of the event's actors or "
        "the publisher of one of its sources",
        editorial.FIGURE_SOURCE,
    )
    assert warnings_for(make_content, text) == ([] if names else [expected])


@pytest.mark.parametrize(
    "value, found",
    [
        ("about 10 (JCS)", ["about 10 (JCS)"]),
        ("27–29 June 2024", []),
        ("05:30 KST, 26 June 2024", []),
        ("USS Halsey (DDG-97), Carrier Air Wing 11; the 74th anniversary", []),
        ("Article 51 of the UN Charter; Hwasong-11Da-4.5", []),
        ("simulated 4.5-ton class (KCNA); 1974", ["simulated 4.5-ton class (KCNA)"]),
    ],
)
def test_what_counts_as_a_figure(value: str, found: list[str]) -> None:
    assert editorial.figures(value) == found


def test_check_warns_and_strict_fails(
    make_content: ContentFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content(events={"launch": EVENT})
    assert cli.main(["check"]) == 0
    out = capsys.readouterr()
    assert "ok: 4 events" in out.out
    assert out.err.splitlines()[-1] == "3 editorial warning(s) in 1 file(s)"
    assert cli.main(["check", "--strict"]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines()[0].startswith(f"{P}:8:3: location: the coordinates name no source")


def test_shipped_content_passes_the_strict_check() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--strict"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_methodology_page_lists_the_rules_as_the_code_states_them() -> None:
    page = (ROOT / "content" / "pages" / "methodology.md").read_text(encoding="utf-8")
    expected = f"{docs.RULES_BEGIN}\n{docs.rules(ROOT / 'templates')}{docs.RULES_END}"
    assert expected in page, "the Methodology page's rules are stale: run `make docs`"


def test_approximate_time_is_shown_as_about(make_content: ContentFactory) -> None:
    root = make_content(
        events={"launch": edit('time: "05:30"', 'time: "05:30"\ntime_approximate: "true"', CLEAN)}
    )
    assert when(build_site(root).event_by_id["launch"]) == (
        "26 June 2024, about 05:30 KST (20:30 UTC on 25 June)"
    )


def test_synthetic_content_follows_the_rules(tmp_path: Path) -> None:
    """Benchmarks time `briefing check` on synthetic content: it must not be full of warnings."""
    generate(tmp_path, events=300, actors=30, seed=3)
    assert editorial.lint(build_site(tmp_path)) == []
