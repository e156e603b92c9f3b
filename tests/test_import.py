"""`briefing import`: data sets in, editors' work never lost (issue #30)."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml

from generator.commands.cli import main
from generator.ingest.mapping import schema_text
from generator.ingest.merge import dump
from generator.session.build import render_site
from generator.settings import Settings
from generator.site.link import build_site

ROOT = Path(__file__).parent.parent
SOURCE = ROOT.parent / "shared" / "reference" / "nk-missile-tests"
CNS = ROOT / "mappings" / "cns-missile-tests.yaml"
ACLED = ROOT / "mappings" / "acled.yaml"
SAMPLE = ROOT / "tests" / "fixtures" / "acled" / "korea-sample.csv"
CURATED = "events/2024/2024-06-26-suspected-ballistic-missile-launch.yaml"
needs_reference = pytest.mark.skipif(
    not SOURCE.is_dir(), reason=f"reference data not found at {SOURCE}"
)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped content without its data records: what the editors wrote (the
    curated briefs that a data set's rows matched keep their provenance)."""
    out = tmp_path / "content"
    shutil.copytree(ROOT / "content", out)
    for path in out.glob("events/*/*.yaml"):
        if "\nstatus: data-record\n" in path.read_text(encoding="utf-8"):
            path.unlink()
    return out


def _import(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["import", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _files(folder: Path) -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*") if p.is_file()}


def _read(path: Path) -> dict[str, object]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # type: ignore[no-any-return]


@needs_reference
def test_cns_import_writes_the_shipped_data_records(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The data records in content/ are exactly what the shipped mapping makes of the data set:
    salvos, local dates, month-only dates, "unknown" left out; a second run writes nothing."""
    code, out = _import(
        capsys, str(SOURCE / "test.en.json"), "--mapping", str(CNS), "--content", str(content)
    )
    assert code == 0, out
    assert out.endswith("162 added, 0 changed, 0 matched, 4 kept, 0 gone\n")
    for path in (content / "events").glob("*/*-missile-test.yaml"):
        shipped = ROOT / "content" / path.relative_to(content)
        assert path.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8"), path.name
    events = content / "events"
    assert not list(events.glob("*/2024-06-25-missile-test.yaml"))  # 20:28 UTC = 26 June KST
    assert not list(events.glob("*/2024-06-26-missile-test.yaml"))  # the curated brief is it
    months = [
        p
        for p in events.glob("*/*-missile-test.yaml")
        if len(p.stem) == len("1998-08-missile-test")
    ]
    assert months and all(len(_read(p)["date"]) == 7 for p in months)  # type: ignore[arg-type]
    salvo = _read(events / "2022" / "2022-11-02-missile-test.yaml")
    assert salvo["facts"]["Missiles"] == "7 (CNS)"  # type: ignore[index]
    assert salvo["location"]["source"] == "nk-missile-tests"  # type: ignore[index]
    assert "unknown" not in json.dumps(salvo["facts"]).lower()
    rocket = _read(events / "2023" / "2023-11-21-missile-test.yaml")  # Chollima-1: a carrier
    assert rocket["type"] == "satellite-launch"
    assert main(["check", "--strict", "--content", str(content)]) == 0

    files = _files(content)
    code, out = _import(
        capsys, str(SOURCE / "test.en.json"), "--mapping", str(CNS), "--content", str(content)
    )
    assert "0 added, 0 changed, 0 matched, 166 kept, 0 gone\n" in out
    assert _files(content) == files  # nothing rewritten, not even touched


# A curated brief about the launch of 31 October 2024 (its CNS row: 22:11 UTC on 30 October).
LAUNCH = "2024-10-31-missile-test"
ROW = "2024-10-30 22:11 (UTC) hwasong-19"
CURATED_BRIEF = f"""\
# yaml-language-server: $schema=../../schema/event.schema.json
title: North Korea tests the Hwasong-19
date: "2024-10-31"
type: missile-launch
status: confirmed
summary: North Korea launched a long-range missile, named by KCNA as the Hwasong-19.
actors:
  - id: north-korea
    role: launched it
  - kcna
claims:
  - by: kcna
    date: "2024-11-01"
    said: >-
      KCNA said it was the   Hwasong-19.
    sources: [kh]
facts:
  Apogee: "about 7,000 km (The Korea Herald)"   # the editors' figure, kept
sources:
  - key: kh
    publisher: The Korea Herald
    title: Report on the launch
body: |
  An editor's  *analysis*.
updates:
  - date: "2024-11-01"
    note: Added KCNA's name for the missile.
published: "2024-10-31"
data_rows:
  - dataset: cns-missile-tests
    row: "{ROW}"
"""


def _curated(content: Path, text: str) -> Path:
    (content / "events" / "2024" / f"{LAUNCH}.yaml").unlink(missing_ok=True)
    path = content / "events" / "2024" / "2024-10-31-hwasong-19.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _cns(tmp_path: Path, match: str) -> Path:
    """The shipped CNS mapping with another `match` rule."""
    text = CNS.read_text(encoding="utf-8")
    start = text.index("\nmatch:\n")
    end = text.index("\n", text.index("reference: true", start))
    mapping = tmp_path / "cns.yaml"
    mapping.write_text(text[:start] + f"\nmatch: {match}" + text[end:], encoding="utf-8")
    return mapping


@needs_reference
def test_a_curated_brief_naming_the_row_gains_the_data_set_and_keeps_its_text(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shipped rule: same local date, same type, and the brief names the row."""
    brief = _curated(content, CURATED_BRIEF)
    code, out = _import(
        capsys, str(SOURCE / "test.en.json"), "--mapping", str(CNS), "--content", str(content)
    )
    assert code == 0, out
    assert "matched 2024-10-31-hwasong-19" in out
    assert not (content / "events" / "2024" / f"{LAUNCH}.yaml").exists()
    after = brief.read_text(encoding="utf-8")
    lines = iter(after.splitlines())
    assert all(line in lines for line in CURATED_BRIEF.splitlines()), "an editor's line changed"
    record = _read(brief)
    assert record["facts"]["Apogee"] == "about 7,000 km (The Korea Herald)"  # type: ignore[index]
    assert record["facts"]["Distance"] == "1,001 km (CNS)"  # type: ignore[index]
    assert [s["key"] for s in record["sources"]] == ["kh", "cns"]  # type: ignore[attr-defined]
    assert record["imported"]["rows"] == [ROW]  # type: ignore[index]
    assert record["status"] == "confirmed"
    assert record["updates"][-1]["note"].startswith("Matched with CNS")  # type: ignore[index]
    assert main(["schema", "--content", str(content)]) == 0  # (the ids changed)
    assert main(["check", "--strict", "--content", str(content)]) == 0


@needs_reference
@pytest.mark.parametrize(
    "edit, rule, matched",
    [
        (("data_rows:", "other_rows:"), "{same: [date, type], reference: true}", False),
        (
            (ROW, "2024-10-30 22:11 (UTC) hwasong-18"),
            "{same: [date, type], reference: true}",
            False,
        ),
        (
            ("type: missile-launch", "type: satellite-launch"),
            "{same: [date, type], reference: true}",
            False,
        ),
        (
            ("type: missile-launch", "type: satellite-launch"),
            "{same: [date], reference: true}",
            True,
        ),
        (("data_rows:", "other_rows:"), "{same: [date, type]}", True),
        (('date: "2024-10-31"', 'date: "2024-10-30"'), "{reference: true}", True),
        (('date: "2024-10-31"', 'date: "2024-10-30"'), "{same: [date], reference: true}", False),
    ],
    ids=[
        "no reference",
        "another row",
        "another type",
        "type not asked",
        "date and type only",
        "reference only",
        "reference, another date",
    ],
)
def test_both_ways_of_matching(
    content: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: tuple[str, str],
    rule: str,
    matched: bool,
) -> None:
    text = CURATED_BRIEF.replace(*edit)
    if edit[0] == "data_rows:":  # (a field the model does not know: drop the reference)
        text = text.split("other_rows:")[0]
    _curated(content, text)
    mapping = _cns(tmp_path, rule)
    code, out = _import(
        capsys, str(SOURCE / "test.en.json"), "--mapping", str(mapping), "--content", str(content)
    )
    assert code == 0, out
    assert ("matched 2024-10-31-hwasong-19" in out) is matched, out
    assert (f"added {LAUNCH}" in out) is not matched


@needs_reference
def test_changed_rows_update_owned_fields_only_and_vanished_rows_are_listed(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((SOURCE / "test.en.json").read_text(encoding="utf-8"))
    source = tmp_path / "test.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert _import(capsys, str(source), "--mapping", str(CNS), "--content", str(content))[0] == 0
    record = content / "events" / "2023" / "2023-07-12-missile-test.yaml"
    editor = "claims:\n  - by: kcna\n    said: >-\n      KCNA said it was a Hwasong-18.\n"
    editor += "body: |-\n  An editor's  *analysis*,\n  kept as written.\n"
    record.write_text(record.read_text(encoding="utf-8") + editor, encoding="utf-8")
    for time_bin in data["timeBins"]:
        for entry in time_bin["data"]:
            if entry["date"] == "2023-07-12":
                entry["apogee"] = "6,700 km"
        time_bin["data"] = [e for e in time_bin["data"] if not e["date"].startswith("1984")]
    source.write_text(json.dumps(data), encoding="utf-8")
    other = content / "events" / "2023" / "2023-07-19-missile-test.yaml"
    untouched = other.stat().st_mtime_ns

    code, out = _import(
        capsys, str(source), "--mapping", str(CNS), "--content", str(content), "--dry-run"
    )
    assert "changed 2023-07-12-missile-test" in out and "dry run" in out
    assert editor not in out and record.read_text(encoding="utf-8").endswith(editor)
    code, out = _import(capsys, str(source), "--mapping", str(CNS), "--content", str(content))
    assert code == 0, out
    assert (
        "gone 1984-09-missile-test" in out
        and (content / "events" / "1984" / "1984-09-missile-test.yaml").exists()
    )
    text = record.read_text(encoding="utf-8")
    assert editor in text
    updated = _read(record)
    assert updated["facts"]["Apogee"] == "6,700 km (CNS)"  # type: ignore[index]
    assert "Apogee 6,648 km (CNS) → 6,700 km (CNS)" in updated["updates"][-1]["note"]  # type: ignore[index]
    assert other.stat().st_mtime_ns == untouched
    assert main(["check", "--content", str(content)]) == 0


def test_acled_rows_become_located_records(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _import(capsys, str(SAMPLE), "--mapping", str(ACLED), "--content", str(content))
    assert code == 0, out
    assert "added 2024-05-27-acled-prk1001" in out
    assert "matched 2024-06-04-south-korea-suspends-2018-military-agreement" in out
    record = _read(content / "events" / "2024" / "2024-05-27-acled-prk1001.yaml")
    assert record["location"] == {  # (the notes column, ACLED's prose, is not imported)
        "name": "Sohae, North Pyongan",
        "country": "KP",
        "lat": "39.6596",
        "lon": "124.7057",
        "precision": "approximate",
        "source": "acled",
    }
    assert record["imported"]["rows"] == ["PRK1001"]  # type: ignore[index]
    assert main(["check", "--content", str(content)]) == 0


def _xlsx(rows: list[list[str]], path: Path) -> None:
    """A minimal workbook of inline strings (what a spreadsheet program saves, reduced)."""

    def cell(value: str) -> str:
        return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    sheet = "".join(f"<row>{''.join(cell(v) for v in row)}</row>" for row in rows)
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{main_ns}" xmlns:r="{rel_ns}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel_ns}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet xmlns="{main_ns}"><sheetData>{sheet}</sheetData></worksheet>',
        )


def test_xlsx_reads_like_csv(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SAMPLE.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))
    _xlsx(rows, tmp_path / "sample.xlsx")
    code, out = _import(
        capsys,
        str(tmp_path / "sample.xlsx"),
        "--mapping",
        str(ACLED),
        "--content",
        str(content),
        "--dry-run",
    )
    assert code == 0, out
    # (the curated briefs of 27 and 30 May hold the CNS data set's provenance: a brief is
    # matched with one data set, so ACLED's rows of those days are records of their own)
    assert out.endswith("2 added, 0 changed, 2 matched, 0 kept, 0 gone\n")


def test_bad_rows_are_all_reported_and_nothing_is_written(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace(",timestamp\n", ",timestamp,extra\n", 1)
    lines = [line + ",x" for line in text.splitlines()[1:]]
    lines[0] = lines[0].replace("2024-05-27", "27/05/2024")
    lines[2] = lines[2].replace("Government of South Korea (2022-)", "Government of Japan")
    bad = tmp_path / "bad.csv"
    bad.write_text(text.splitlines()[0] + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    files = _files(content)
    code, out = _import(capsys, str(bad), "--mapping", str(ACLED), "--content", str(content))
    assert code == 1
    assert f"{bad}:1:32: extra: unknown column 'extra'" in out or "unknown column 'extra'" in out
    assert ":2:2: event_date: '27/05/2024' is not a date in the mapping's formats" in out
    assert ":4:8: actor1: 'Government of Japan' is not in the lookup table 'actors'" in out
    assert _files(content) == files


def test_mapping_errors_are_positioned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        ACLED.read_text(encoding="utf-8").replace('  title: "{{', '  titel: "{{'), "utf-8"
    )
    code, out = _import(capsys, str(SAMPLE), "--mapping", str(mapping), "--content", "content")
    assert code == 1
    assert "m.yaml:40:3: record.titel: unknown field 'titel' (did you mean 'title'?)" in out


def test_the_mapping_schema_is_current() -> None:
    assert (ROOT / "mappings" / "mapping.schema.json").read_text(encoding="utf-8") == schema_text()


def _tree_hash(folder: Path) -> str:
    """One digest of every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_reimport_without_changes_writes_no_file(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = (str(SAMPLE), "--mapping", str(ACLED), "--content", str(content))
    assert _import(capsys, *args)[0] == 0
    files = _files(content)
    code, out = _import(capsys, *args)
    assert code == 0, out
    assert out.endswith("0 added, 0 changed, 0 matched, 4 kept, 0 gone\n")
    assert _files(content) == files  # the same files, bytes and modification times


def test_every_kind_of_bad_input_in_one_run_and_nothing_written(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row of the wrong width (a malformed file), an unknown column, an unmapped vocabulary
    value and an unparseable date: each `file:row:column: message`, all in one run."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("fatalities,", "casualties,")
    lines[1] = lines[1].replace("2024-05-27", "May 27th 2024")
    lines[2] = lines[2].replace("Explosions/Remote violence", "Battles")
    lines[3] = lines[3] + ",one too many"
    bad = tmp_path / "export.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _tree_hash(content)
    code, out = _import(capsys, str(bad), "--mapping", str(ACLED), "--content", str(content))
    assert code == 1
    assert f"{bad}:4:1: has 32 values; the header has 31 columns" in out
    assert f"{bad}:2:29: casualties: unknown column 'casualties'" in out
    assert f"{bad}:2:2: event_date: 'May 27th 2024' is not a date in the mapping's formats" in out
    assert f"{bad}:3:6: event_type: 'Battles' is not in the lookup table 'event-types'" in out
    assert "Traceback" not in out
    assert _tree_hash(content) == before
    page = (ROOT / "content" / "pages" / "importing.md").read_text(encoding="utf-8")
    shown = page.split("## When the input is wrong", 1)[1].split("```text\n", 1)[1]
    examples = shown.split("```", 1)[0].splitlines()
    assert len(examples) == 4
    for example in examples:  # the Importing data page's examples are these messages
        assert example.replace("export.csv", str(bad)) in out.splitlines(), example


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("broken.json", '[{"date": "2024-06-26",\n  "missile" "KN-23"}]', "broken.json:2:13: "),
        ("list.json", '[{"date": "2024-06-26"}, "a row that is text"]', "list.json:2:1: expected"),
        ("sheet.xlsx", "not a zip archive", "sheet.xlsx:1:1: not a readable XLSX file"),
        ("binary.csv", b"\xff\xfe\x00bad", "binary.csv:1:1: cannot read the file"),
        ("empty.csv", "", "empty.csv:1:1: the file is empty"),
        ("rows.txt", "a,b\n", "rows.txt:1:1: give a .csv, .json or .xlsx file"),
    ],
)
def test_a_malformed_file_is_one_positioned_message(
    content: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str | bytes,
    expected: str,
) -> None:
    source = tmp_path / name
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        source.write_text(text, encoding="utf-8")
    before = _tree_hash(content)
    code, out = _import(capsys, str(source), "--mapping", str(ACLED), "--content", str(content))
    assert code == 1
    assert f"{source.parent}/{expected}" in out, out
    assert "Traceback" not in out
    assert _tree_hash(content) == before


def test_a_new_record_never_takes_the_name_of_an_editors_file(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = content / "events" / "2024" / "2024-05-27-acled-prk1001.yaml"
    mine.write_text(
        (content / CURATED)
        .read_text(encoding="utf-8")
        .replace("type: missile-launch", "type: statement"),
        encoding="utf-8",
    )
    before = _tree_hash(content)
    code, out = _import(capsys, str(SAMPLE), "--mapping", str(ACLED), "--content", str(content))
    assert code == 1
    assert (
        "record 2024-05-27-acled-prk1001: " in out
        and "exists, not imported from this data set" in out
    )
    assert _tree_hash(content) == before


def test_records_are_written_as_safe_dump_writes_them() -> None:
    """The import's own way to YAML gives yaml.safe_dump's bytes, hostile text included."""
    hostile = [
        "yes",
        "No",
        "null",
        "~",
        "1.10",
        "0x1F",
        "2024-06-26",
        "12:30",
        "- item",
        "key: value",
        "#comment",
        "a # b",
        "'quoted'",
        '"double"',
        "&anchor",
        "*alias",
        "!tag",
        "%directive",
        "@at",
        "`tick`",
        " leading",
        "trailing ",
        "",
        "line\nbreak",
        "tab\there",
        "한국어 텍스트",
        "emoji 🚀",
        "\u2028sep",
        "x" * 150,
        "word " * 40,
        "{flow: map}",
        "[flow, list]",
        "? key",
        "<script>alert(1)</script>",
    ]
    data: dict[str, object] = {
        "title": "North Korea launches 2 missiles",
        "facts": {text or "empty": text for text in hostile},
        "actors": [{"id": "north-korea", "role": text} for text in hostile[:6]],
        "tags": hostile,
        "empty": [],
        "none": {},
    }
    expected = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    assert dump(data) == expected
    assert yaml.load(dump(data), Loader=yaml.BaseLoader) == data
    lost = {"said": "next\x85line 🚀"}  # (PyYAML's own emitter loses U+0085: libyaml's is kept)
    assert yaml.load(dump(lost), Loader=yaml.BaseLoader) == lost


def test_synth_acled_rows_import_with_the_shipped_mapping(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "acled.csv"
    assert main(["synth", "--acled", "--events", "300", "--seed", "3", str(source)]) == 0
    with source.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["event_id_cnty", "event_date", "year"] and len(header) == 31
    code, out = _import(capsys, str(source), "--mapping", str(ACLED), "--content", str(content))
    assert code == 0, out
    added = int(out.rsplit("\n", 2)[-2].split(" added")[0])
    assert added >= 280
    assert main(["check", "--content", str(content)]) == 0


def test_a_curated_brief_is_the_twin_of_one_event_and_reimport_still_writes_nothing(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two rows of the curated brief's date and type: the first is matched, the second is a
    brief of its own (not a second provenance fighting for the same file)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines.append(next(x for x in lines if x.startswith("KOR2001,")).replace("KOR2001", "KOR2003"))
    source = tmp_path / "twice.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = (str(source), "--mapping", str(ACLED), "--content", str(content))
    code, out = _import(capsys, *args)
    assert code == 0, out
    assert out.count("matched 2024-06-04-south-korea-suspends-2018-military-agreement") == 1
    assert "added 2024-06-04-acled-kor2003" in out
    files = _files(content)
    code, out = _import(capsys, *args)
    assert out.endswith("0 added, 0 changed, 0 matched, 5 kept, 0 gone\n"), out
    assert _files(content) == files


def test_a_folder_without_a_vocabulary_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _import(capsys, str(SAMPLE), "--mapping", str(ACLED), "--content", str(tmp_path))
    assert code == 1
    assert f"{tmp_path}:1:1: no vocabulary.yaml here: give the content folder with --content" in out
    assert list(tmp_path.iterdir()) == []


def test_the_shipped_content_holds_the_missile_record_on_the_map(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue #30: every CNS test is in content/ (committed, so this runs without ../shared),
    located at its facility with the coordinates cited, and the whole passes the strict check."""
    site = build_site(ROOT / "content")
    located = [e for e in site.events if e.record.location and e.record.location.lat is not None]
    places = {(e.record.location.lat, e.record.location.lon) for e in located if e.record.location}
    assert len(located) >= 150 and len(places) >= 40, (len(located), len(places))
    records = [e for e in site.events if e.record.status == "data-record"]
    rows = [key for e in site.events if e.record.imported for key in e.record.imported.rows]
    assert len(records) == 162 and len(rows) == 339
    for event in records:
        record = event.record
        assert record.imported is not None and record.imported.dataset == "cns-missile-tests"
        assert not record.claims and record.assessment is None
        assert record.sources[0].title == "CNS North Korea Missile Test Database"
        if record.location is not None:
            assert record.location.source == "nk-missile-tests"
    for name in ("05-27", "05-30", "06-26", "07-01"):  # Sohae, Sunan, Pyongyang, Jangyon
        (brief,) = [
            e for e in site.events if str(e.record.date) == f"2024-{name}" and e.record.data_rows
        ]
        assert brief.record.status != "data-record" and brief.record.imported is not None
        assert brief.record.location and brief.record.location.source == "nk-missile-tests"
    code = main(["check", "--strict", "--content", str(ROOT / "content")])
    assert code == 0, capsys.readouterr().err


def test_readers_see_data_records_as_such() -> None:
    """The badge on the brief and in the lists, the search facet and the search result's line."""
    settings = Settings(site_name="Briefing", templates_dir=ROOT / "templates")
    marks = str.maketrans("", "", "\ufdd0\ufdd1")  # (the markers of record text, unmarked later)
    pages = {
        k: v.translate(marks)
        for k, v in render_site(build_site(ROOT / "content"), settings).items()
    }
    brief = pages["briefs/2017-03-06-missile-test.md"]
    assert '<span class="badge badge--data-record">Data record</span>' in brief
    assert 'data-pagefind-filter="status:Data record"' in brief
    assert 'data-pagefind-meta="status:Data record"' in brief
    curated = pages["briefs/2024-06-26-suspected-ballistic-missile-launch.md"]
    assert "Data record" not in curated and "badge--confirmed" in curated
    year = pages["timeline/2017.md"]
    assert year.count("badge--data-record") == year.count("-missile-test") > 0
    css = (ROOT / "templates" / "overrides" / "assets" / "briefing.css").read_text("utf-8")
    assert ".badge--data-record {" in css and 'slate"] .badge--data-record {' in css
