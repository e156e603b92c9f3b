"""Docs that cannot drift: the record reference, the command list and the plugin options follow the
code, each in the page that holds it; the README stays a short front door whose links lead somewhere."""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.utils.yaml import yaml_load

from generator import settings
from generator.commands import cli
from generator.ingest import mapping
from generator.render import docs

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


def converted(page: Path) -> BeautifulSoup:
    """A page as MkDocs' Markdown converts it, with the extensions mkdocs.yml lists."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as handle:
        listed = yaml_load(handle)["markdown_extensions"]
    names = [item if isinstance(item, str) else next(iter(item)) for item in listed]
    html = markdown.markdown(page.read_text(encoding="utf-8"), extensions=names)
    return BeautifulSoup(html, "html.parser")


def test_the_reference_page_shows_each_record_under_its_heading() -> None:
    """Each model's table ends before the next heading (Markdown reads on to a blank line)."""
    page = converted(ROOT / docs.REFERENCE_PAGE)
    assert [h.get_text() for h in page.find_all("h3")] == [m.__name__ for m in docs.MODELS]
    tables = page.find_all("table")
    assert len(tables) == len(docs.MODELS)
    assert all(row.td is None or row.td.code for table in tables for row in table.find_all("tr"))


def rows(page: Path) -> list[list[str]]:
    """The text of each cell of the first table of ``page``, row by row, the header left out."""
    table = converted(page).find("table")
    assert table is not None, f"{page} has no table"
    return [[cell.get_text() for cell in row.find_all("td")] for row in table.find_all("tr")[1:]]


def test_the_editors_pages_tables_keep_their_cells_whole() -> None:
    """A `|` inside code in a table cell splits the cell (Python-Markdown's tables do not
    know code spans): every command's usage stays one cell, whole."""
    usages = [row[0] for row in rows(PAGES / "editing.md")]
    assert all(u.startswith("briefing ") and u.count("[") == u.count("]") for u in usages)
    assert any("--format FORMAT" in u for u in usages)
    for row in rows(PAGES / "problems.md"):
        assert len(row) == 2 and all(cell.strip() for cell in row), row


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


def test_the_options_table_is_current() -> None:
    """docs/site.md's table of the plugin's options is made from their declarations."""
    expected = f"{docs.OPTIONS_BEGIN}\n{docs.options_table(ROOT / 'templates')}{docs.OPTIONS_END}"
    assert expected in SITE, "docs/site.md's options table is stale: run `make docs`"


def test_every_plugin_option_is_documented() -> None:
    for name, _ in settings.SCHEME:
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


def test_the_readme_and_docs_link_to_files_that_exist() -> None:
    """The README's links, and the maintainers' documents' links between them and to the
    pages (MkDocs checks the links of the pages themselves)."""
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    documents.append(ROOT / "tests" / "benchmarks" / "README.md")
    for document in documents:
        text = re.sub(r"`[^`\n]*`", "", document.read_text(encoding="utf-8"))  # (code)
        for link in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if not link.startswith(("http://", "https://")):
                target = document.parent / link
                assert target.is_file(), f"{document.relative_to(ROOT)} links to {link}"
    assert len(re.findall(r"\]\(([^)#]+)\)", README)) >= 10


def test_every_make_target_is_in_the_readme() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = makefile.split(".PHONY:", 1)[1].split("\n", 1)[0].split()
    assert "test-fast" in phony
    for target in phony:
        assert f"make {target}`" in README or f"make {target}," in README, target


IMPORTING = PAGES / "importing.md"
REPORT_LINE = re.compile(
    r"(added|changed|matched|gone) [a-z0-9-]+( \(.+\))?"
    r"|(dry run, nothing written: )?\d+ added, \d+ changed, \d+ matched, \d+ kept, \d+ gone"
)
"""The lines `briefing import` prints (`generator.ingest.run.report`)."""


def test_the_mapping_keys_are_generated_from_the_mapping_model() -> None:
    expected = docs.reference(ROOT / "templates", docs.MAPPING_MODELS)
    page = IMPORTING.read_text(encoding="utf-8")
    assert f"{docs.MAPPING_BEGIN}\n{expected}{docs.MAPPING_END}" in page, "run `make docs`"
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", expected, re.MULTILINE))
    for model in docs.MAPPING_MODELS:
        assert set(model.model_fields) <= documented, model.__name__
    parts = {
        m for m in vars(mapping).values() if isinstance(m, type) and issubclass(m, mapping.Spec)
    }
    assert parts - {mapping.Spec} == set(docs.MAPPING_MODELS), "list every part in MAPPING_MODELS"


def _content_with_data_records(folder: Path) -> Path:
    shutil.copytree(ROOT / "content", folder)
    vocabulary = folder / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    if "id: data-record" not in text:
        status = "  - id: data-record\n    label: Data record\n    description: Imported.\n"
        vocabulary.write_text(text.replace("statuses:\n", "statuses:\n" + status), "utf-8")
    return folder


def _blocks(text: str, kind: str) -> list[str]:
    return [block.split("```", 1)[0] for block in text.split(f"```{kind}\n")[1:]]


def test_every_import_command_shown_runs_and_its_output_is_the_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each `briefing` line of the Importing data page and of the README's section runs as
    written (into a copy of the content), and each output line the page shows is a line the
    command prints (its brief ids and counts as they were before the data set was shipped)."""
    monkeypatch.chdir(ROOT)
    readme = README.split("## Importing data", 1)[1].split("\n## ", 1)[0]
    page = IMPORTING.read_text(encoding="utf-8")
    lines = [
        line
        for block in _blocks(page, "sh") + _blocks(readme, "sh")
        for line in block.splitlines()
        if line.startswith(".venv/bin/briefing ")
    ]
    assert len(lines) == 3
    for n, line in enumerate(lines):
        args = shlex.split(line)[1:]
        if any(a.startswith("../shared/") for a in args) and not (ROOT.parent / "shared").is_dir():
            continue
        content = _content_with_data_records(tmp_path / f"content{n}")
        assert cli.main([*args, "--content", str(content)]) == 0, line
        printed = capsys.readouterr().out.splitlines()
        assert printed and all(REPORT_LINE.fullmatch(p) for p in printed)
    shown = _blocks(page.split("## The CNS missile tests", 1)[1], "text")[0].splitlines()
    assert shown and all(REPORT_LINE.fullmatch(s) for s in shown), shown


def test_the_example_mapping_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example,) = _blocks(IMPORTING.read_text(encoding="utf-8"), "yaml")
    mapping = tmp_path / "mine.yaml"
    mapping.write_text(example, encoding="utf-8")
    source = tmp_path / "launches.csv"
    source.write_text("when,what,where\n2024-05-27,Hwasong-11,Sohae\n", encoding="utf-8")
    content = _content_with_data_records(tmp_path / "content")
    args = ["import", str(source), "--mapping", str(mapping), "--content", str(content)]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert printed == "added 2024-05-27-launch\n1 added, 0 changed, 0 matched, 0 kept, 0 gone\n"
    assert cli.main(["check", "--content", str(content)]) == 0
