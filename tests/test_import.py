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
    """A copy of the shipped content, with the data-record status."""
    out = tmp_path / "content"
    shutil.copytree(ROOT / "content", out)
    vocabulary = out / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    if "id: data-record" not in text:
        status = "  - id: data-record\n    label: Data record\n    description: Imported.\n"
        vocabulary.write_text(text.replace("statuses:\n", "statuses:\n" + status), "utf-8")
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
def test_cns_salvos_local_dates_months_and_curated_twins(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (content / CURATED).read_text(encoding="utf-8")
    code, out = _import(
        capsys, str(SOURCE / "test.en.json"), "--mapping", str(CNS), "--content", str(content)
    )
    assert code == 0, out
    assert out.endswith("163 added, 0 changed, 3 matched, 0 kept, 0 gone\n")
    events = content / "events"
    assert not list(events.glob("*/2024-06-25-missile-test.yaml"))  # 20:28 UTC = 26 June KST
    assert not list(events.glob("*/2024-06-26-missile-test.yaml"))  # the curated brief is it
    curated = _read(content / CURATED)
    assert curated["imported"]["owns"] == ["facts.Facility", "facts.Landing", "sources.cns"]  # type: ignore[index]
    assert curated["sources"][-1]["key"] == "cns"  # type: ignore[index]
    after = (content / CURATED).read_text(encoding="utf-8")
    for field in ("claims:", "assessment:", "body:", "updates:"):
        block = before.split(f"\n{field}")[1].split("\n", 1)[1]
        block = block.split("\n" + next(x for x in block.splitlines() if x and x[0] not in " -#"))[
            0
        ]
        assert block in after, field
    months = [
        p
        for p in events.glob("*/*-missile-test.yaml")
        if len(p.stem) == len("1998-08-missile-test")
    ]
    assert months and all(len(_read(p)["date"]) == 7 for p in months)  # type: ignore[arg-type]
    salvo = _read(events / "2022" / "2022-11-02-missile-test.yaml")
    assert int(salvo["facts"]["Missiles"]) == 7  # type: ignore[index]
    assert salvo["location"]["source"] == "nk-missile-tests"  # type: ignore[index]
    assert "unknown" not in json.dumps(salvo["facts"]).lower()
    assert main(["check", "--content", str(content)]) == 0

    files = _files(content)
    code, out = _import(
        capsys, str(SOURCE / "test.en.json"), "--mapping", str(CNS), "--content", str(content)
    )
    assert "0 added, 0 changed, 0 matched, 166 kept, 0 gone\n" in out
    assert _files(content) == files  # nothing rewritten, not even touched


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
    assert updated["facts"]["Apogee"] == "6,700 km"  # type: ignore[index]
    assert "Apogee 6,648 km → 6,700 km" in updated["updates"][-1]["note"]  # type: ignore[index]
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
    assert out.endswith("1 added, 0 changed, 3 matched, 0 kept, 0 gone\n")


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
    lines.append(next(x for x in lines if x.startswith("PRK1002,")).replace("PRK1002", "PRK1003"))
    source = tmp_path / "twice.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = (str(source), "--mapping", str(ACLED), "--content", str(content))
    code, out = _import(capsys, *args)
    assert code == 0, out
    assert out.count("matched 2024-05-30-srbm-salvo-sunan") == 1
    assert "added 2024-05-30-acled-prk1003" in out
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
