"""The `briefing` command as editors run it: a real subprocess on real files."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from generator.site import schema
from generator.site.link import build_site
from tests.conftest import ContentFactory

ROOT = Path(__file__).parent.parent


def briefing(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_check_ok_prints_one_line_summary(make_content: ContentFactory, tmp_path: Path) -> None:
    make_content()
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 4 events, 4 actors, 2 tags checked in ")
    assert result.stdout.count("\n") == 1


def test_check_errors_exit_1_without_traceback(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    make_content(
        events={"bad": "title: [\n"}, actors={"x": "name: x\nkind: state\nsummary: X.\nwat: 1\n"}
    )
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "content/actors/x.yaml:4:1: wat: unknown field 'wat'",
        "content/events/2024/bad.yaml:2:1: YAML syntax error: did not find expected node content",
        "2 error(s) in 2 file(s)",
    ]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert briefing("frobnicate", cwd=tmp_path).returncode == 2
    result = briefing("new", "event", "Title", cwd=tmp_path)
    assert result.returncode == 2
    assert "new event needs --date and --type" in result.stderr


def test_missing_content_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = briefing("check", "--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[0] == "nowhere/vocabulary.yaml:1:1: vocabulary file is missing"
    )


@pytest.mark.slow  # (three `briefing` processes)
def test_new_event_writes_a_valid_skeleton_and_never_overwrites(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    make_content()
    (tmp_path / "templates").symlink_to(ROOT / "templates")
    args = [
        "new",
        "event",
        "Trash balloons cross the border",
        "--date",
        "2024-05-28",
        "--type",
        "statement",
    ]
    result = briefing(*args, "--actor", "north-korea", "--actor", "kim-jong-un", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "content/events/2024/2024-05-28-trash-balloons-cross-the-border.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/event.schema.json\n")
    # A skeleton fails `check` until every placeholder is filled in, each one pointed at.
    check = briefing("check", cwd=tmp_path)
    assert check.returncode == 1
    shown = "content/events/2024/2024-05-28-trash-balloons-cross-the-border.yaml"
    assert check.stderr.splitlines() == [
        f"{shown}:6:10: summary: placeholder 'TODO: what happened, in one paragraph o…' left by `briefing new`: replace it",
        f"{shown}:10:11: actors[0].role: placeholder 'TODO' left by `briefing new`: replace it",
        f"{shown}:12:11: actors[1].role: placeholder 'TODO' left by `briefing new`: replace it",
        f"{shown}:18:16: sources[0].publisher: placeholder 'TODO publisher' left by `briefing new`: replace it",
        f"{shown}:19:12: sources[0].title: placeholder 'TODO title of the report' left by `briefing new`: replace it",
        "5 error(s) in 1 file(s)",
    ]
    text = (
        text.replace(
            "TODO: what happened, in one paragraph of at most 600 characters.", "Balloons."
        )
        .replace("role: TODO", "role: sent them")
        .replace("TODO publisher", "Yonhap")
        .replace("TODO title of the report", "Balloons cross the border")
    )
    path.write_text(text, encoding="utf-8")
    site = build_site(tmp_path / "content")
    event = site.event_by_id["2024-05-28-trash-balloons-cross-the-border"]
    assert [a.actor.id for a in event.actors] == ["north-korea", "kim-jong-un"]
    path.write_text(text + "# edited\n", encoding="utf-8")
    again = briefing(*args, "--actor", "north-korea", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists; not overwriting it" in again.stderr
    assert path.read_text(encoding="utf-8").endswith("# edited\n")


def test_new_event_rejects_unknown_ids(make_content: ContentFactory, tmp_path: Path) -> None:
    make_content()
    (tmp_path / "templates").symlink_to(ROOT / "templates")
    result = briefing(
        "new",
        "event",
        "X",
        "--date",
        "2024-05-28",
        "--type",
        "statment",
        "--actor",
        "north-korea",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "briefing: unknown event type 'statment' (did you mean 'statement'?)"
    )


def test_new_outside_the_sites_folder_says_where_to_run_it(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    """Run from a folder without the site's templates: one line saying what to do, no
    traceback, and nothing written."""
    make_content()
    before = sorted(p for p in tmp_path.rglob("*"))
    result = briefing(
        "new",
        "event",
        "X",
        "--date",
        "2024-05-28",
        "--type",
        "statement",
        "--actor",
        "north-korea",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"briefing: no template records/event.yaml.j2 under {tmp_path}: run briefing in the "
        "site's folder (beside mkdocs.yml), or name its mkdocs.yml with --config"
    )
    assert sorted(p for p in tmp_path.rglob("*")) == before


@pytest.mark.slow  # (three `briefing` processes)
def test_new_actor(make_content: ContentFactory, tmp_path: Path) -> None:
    make_content()
    (tmp_path / "templates").symlink_to(ROOT / "templates")
    result = briefing("new", "actor", "Kim Yo Jong", "--kind", "person", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "content/actors/kim-yo-jong.yaml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/actor.schema.json\n"
    )
    check = briefing("check", cwd=tmp_path)
    assert check.stderr.splitlines()[0] == (
        "content/actors/kim-yo-jong.yaml:4:10: summary: placeholder 'TODO: who this is, in one paragraph of…' "
        "left by `briefing new`: replace it"
    )
    path.write_text(path.read_text(encoding="utf-8").replace("TODO: who", "Who"), encoding="utf-8")
    assert build_site(tmp_path / "content").actor_by_id["kim-yo-jong"].record.name == "Kim Yo Jong"
    assert briefing("new", "actor", "김여정", "--kind", "person", cwd=tmp_path).returncode == 1


def test_committed_json_schema_is_current() -> None:
    """Fails when the models or the content changed without `briefing schema` (make schema)."""
    for name, text in schema.for_site(build_site(ROOT / "content")).items():
        path = ROOT / "content" / "schema" / name
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `make schema`"


def test_json_schema_lists_vocabulary_and_fields(make_content: ContentFactory) -> None:
    vocabulary = build_site(make_content()).vocabulary
    event = json.loads(schema.render_schema(vocabulary)["event.schema.json"])
    assert event["properties"]["type"]["enum"] == ["missile-launch", "statement"]
    assert event["additionalProperties"] is False
    assert set(event["required"]) == {
        "title",
        "date",
        "type",
        "status",
        "summary",
        "actors",
        "sources",
        "published",
    }
    assert "local date" in event["properties"]["date"]["description"].lower()


@pytest.mark.parametrize("seed", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_synth_output_passes_the_check(tmp_path: Path, seed: int) -> None:
    out = tmp_path / "synth"
    result = briefing("synth", "--events", "300", "--actors", "40", "--seed", str(seed), str(out))
    assert result.returncode == 0, result.stderr
    site = build_site(out)
    assert len(site.events) == 300
    assert len(site.actors) == 40
    involvement = sorted((len(a.involvement) for a in site.actors), reverse=True)
    assert involvement[0] > 5 * involvement[len(involvement) // 2]  # Zipf: a few actors dominate
    precisions = {e.record.date.precision for e in site.events}
    assert precisions == {"day", "month"}
    assert any(e.record.date.is_interval for e in site.events)
    assert any(e.related for e in site.events)


@pytest.mark.slow  # (two synthetic trees, each a process)
def test_synth_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert (
            briefing("synth", "--events", "50", "--actors", "10", str(tmp_path / name)).returncode
            == 0
        )
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert files_a == files_b
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a
    )


def test_json_schema_completes_actor_and_event_ids(make_content: ContentFactory) -> None:
    texts = schema.for_site(build_site(make_content()))
    event = json.loads(texts["event.schema.json"])
    actor = json.loads(texts["actor.schema.json"])
    actors = ["kcna", "kim-jong-un", "north-korea", "rok-jcs"]
    assert event["properties"]["actors"]["items"]["anyOf"][0] == {"type": "string", "enum": actors}
    assert event["$defs"]["ActorRef"]["properties"]["id"]["enum"] == actors
    assert event["$defs"]["Claim"]["properties"]["by"]["enum"] == actors
    assert actor["properties"]["affiliation"]["anyOf"][0] == {"type": "string", "enum": actors}
    assert event["$defs"]["Related"]["properties"]["id"]["enum"] == [
        "balloons",
        "claim",
        "exercise",
        "launch",
    ]
    assert event["$defs"]["Assessment"]["properties"]["confidence"]["anyOf"][0]["enum"] == [
        "low",
        "high",
    ]


@pytest.mark.slow  # (runs the check, make schema and the check again on a copy of content/)
def test_check_says_when_the_schema_is_stale_and_how_to_refresh_it(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    def schema_lines(stderr: str) -> list[str]:
        return [line for line in stderr.splitlines() if line.startswith("content/schema/")]

    make_content()
    # No schema folder: the content does not use the editor schemas, nothing to say.
    assert schema_lines(briefing("check", cwd=tmp_path).stderr) == []
    assert briefing("schema", cwd=tmp_path).returncode == 0
    assert schema_lines(briefing("check", cwd=tmp_path).stderr) == []
    (tmp_path / "content/actors/kctv.yaml").write_text(
        "name: KCTV\nkind: state\nsummary: The state television.\n", encoding="utf-8"
    )
    (tmp_path / "content/schema/vocabulary.schema.json").unlink()
    result = briefing("check", cwd=tmp_path)
    assert schema_lines(result.stderr) == [
        "content/schema/actor.schema.json:1:1: out of date with the records and the vocabulary "
        "(schema-current: run `make schema` (or `briefing schema`) and commit content/schema/)",
        "content/schema/event.schema.json:1:1: out of date with the records and the vocabulary "
        "(schema-current: run `make schema` (or `briefing schema`) and commit content/schema/)",
        "content/schema/vocabulary.schema.json:1:1: missing "
        "(schema-current: run `make schema` (or `briefing schema`) and commit content/schema/)",
    ]
    assert result.stderr.splitlines()[-1] == "6 editorial warning(s) in 4 file(s)"
    assert briefing("schema", cwd=tmp_path).returncode == 0
    assert schema_lines(briefing("check", cwd=tmp_path).stderr) == []


def test_a_stale_schema_does_not_fail_the_strict_check(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content/actors/new-actor.yaml").write_text(
        "name: New actor\nkind: person\nsummary: Someone new.\n", encoding="utf-8"
    )
    result = briefing("check", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "content/schema/actor.schema.json:1:1: out of date" in result.stderr


@pytest.mark.parametrize(
    ("doc", "heading"),
    [
        ("README.md", "## The editor's first five minutes"),
        ("content/pages/editing.md", "# Editing"),
    ],
)
def test_documented_new_examples_work_on_the_shipped_content(
    tmp_path: Path, doc: str, heading: str
) -> None:
    """The `briefing new` commands of the README and of the site's Editing page, run as written
    on a copy of content/."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line) for line in section.splitlines() if " new " in line]
    assert [c[:3] for c in commands] == [
        [".venv/bin/briefing", "new", "event"],
        [".venv/bin/briefing", "new", "actor"],
    ]
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "templates").symlink_to(ROOT / "templates")
    written = []
    for command in commands:
        result = briefing(*command[1:], cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("wrote content/")
        written.append(result.stdout.removeprefix("wrote ").strip())
    # The skeletons fail the check only for their placeholders: every id they name exists.
    check = briefing("check", cwd=tmp_path)
    problems = check.stderr.splitlines()[:-1]
    assert problems
    assert all(p.split(":", 1)[0] in written and "placeholder" in p for p in problems), problems


PROGRAM = (
    "import atexit, sys\n"
    "from generator.commands import cli\n"
    "atexit.register(print, 'torn down')\n"
    "sys.argv = ['briefing', *sys.argv[1:]]\n"
    "raise SystemExit(cli.console())\n"
)
"""`briefing` as the console script runs it, with an exit handler that says when it runs."""


@pytest.mark.parametrize("events, code", [({}, 0), ({"bad": "title: [\n"}, 1)])
def test_the_program_exits_with_its_output_and_code_but_no_teardown(
    make_content: ContentFactory, tmp_path: Path, events: dict[str, str], code: int
) -> None:
    make_content(events=events)
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, "check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == code, result.stderr
    # The output is all there (a pipe is block-buffered), and the interpreter was not torn
    # down: freeing the records took about a second at 10,000 events.
    if code == 0:
        assert result.stdout.startswith("ok: 4 events")
    else:
        assert result.stderr.splitlines()[-1] == "1 error(s) in 1 file(s)"
    assert "torn down" not in result.stdout


def test_the_installed_program_is_the_console_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["briefing"] == "generator.commands.cli:console"


def test_a_closed_pipe_fails_the_program_as_it_fails_python(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    make_content()
    reading, writing = os.pipe()
    os.close(reading)  # (as `briefing check | head -0` would)
    try:
        result = subprocess.run(
            [sys.executable, "-c", PROGRAM, "check"],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            check=False,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
    finally:
        os.close(writing)
    # Python's own exit: the unwritten output is reported, status 120, and the exit handlers
    # run; no traceback from `console`.
    assert result.returncode == 120
    assert "Exception ignored" in result.stderr
    assert "BrokenPipeError" in result.stderr
    assert "Traceback" not in result.stderr


# -- every command reads mkdocs.yml ---------------------------------------------------------


def _site_settings(folder: Path, **options: object) -> None:
    """A mkdocs.yml in ``folder`` with the plugin's ``options`` (hand-written pages in
    content/pages/, MkDocs' default theme)."""
    lines = [f"      {name}: {value}" for name, value in options.items()]
    text = "site_name: Test\ndocs_dir: content/pages\nplugins:\n  - briefing:\n"
    (folder / "mkdocs.yml").write_text(text + "\n".join(lines) + "\n", encoding="utf-8")


def test_check_judges_the_page_size_the_build_will_use(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    """A hand-written page at an address of the timeline's second page of 2024 clashes only
    when the timeline has one (a page size of 1 in mkdocs.yml; 3 events of 2024): `check`
    reads mkdocs.yml as the build does, and without one the defaults (100 a page) apply."""
    make_content()
    page = tmp_path / "content/pages/timeline/2024/page/2.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Second\n\nText.\n", encoding="utf-8")
    assert briefing("check", cwd=tmp_path).returncode == 0  # (no mkdocs.yml: the defaults)
    _site_settings(tmp_path, page_size=1)
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        "content/pages/timeline/2024/page/2.md:1:1: the site generates timeline/2024/page/2.md"
    )
    config = tmp_path / "elsewhere.yml"
    (tmp_path / "mkdocs.yml").rename(config)  # (--config names it; mkdocs.yml is not read)
    assert briefing("check", cwd=tmp_path).returncode == 0
    assert briefing("check", "--config", str(config), cwd=tmp_path).returncode == 1


def test_every_command_reads_the_content_folder_of_mkdocs_yml(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    """mkdocs.yml's ``content_dir`` (and ``templates_dir``) are each command's; ``--content``
    given still wins."""
    make_content()
    shutil.move(tmp_path / "content", tmp_path / "records")
    (tmp_path / "content/pages").mkdir(parents=True)  # (MkDocs' docs_dir must be there)
    _site_settings(tmp_path, content_dir="records", templates_dir=ROOT / "templates")
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 4 events, 4 actors")
    assert briefing("schema", cwd=tmp_path).returncode == 0
    assert (tmp_path / "records/schema/event.schema.json").is_file()
    assert briefing("render", str(tmp_path / "out"), cwd=tmp_path).returncode == 0
    assert (tmp_path / "out/actors/north-korea.md").is_file()
    result = briefing("new", "actor", "Kim Yo Jong", "--kind", "person", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "records/actors/kim-yo-jong.yaml").is_file()
    result = briefing("check", "--content", "content", cwd=tmp_path)
    assert (
        result.stderr.splitlines()[0] == "content/vocabulary.yaml:1:1: vocabulary file is missing"
    )


def test_an_invalid_mkdocs_yml_is_one_message(make_content: ContentFactory, tmp_path: Path) -> None:
    make_content()
    _site_settings(tmp_path, page_size=0)
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Expected a whole number of at least 1, but received: 0" in result.stderr
    assert "briefing: mkdocs.yml: Aborted with a configuration error!" in result.stderr


def test_committed_cms_config_is_current() -> None:
    """Fails when the model or the vocabulary changed without `briefing cms-config`."""
    from generator.commands import cms
    from generator.commands.scaffold import vocabulary
    from generator.publish import admin
    from generator.settings import Settings

    committed = (ROOT / admin.ADMIN_CONFIG).read_text(encoding="utf-8")
    wanted = cms.committed_config(Settings(content_dir=ROOT / "content"))
    assert committed == wanted, "templates/admin/config.yml is stale: run `briefing cms-config`"
    config = yaml.safe_load(committed)
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] is True
    events = {f["name"]: f for f in config["collections"][0]["fields"]}
    actors = events["actors"]["fields"][0]
    assert (actors["widget"], actors["collection"]) == ("relation", "actors")
    assert events["claims"]["fields"][0]["collection"] == "actors"
    assert events["type"]["options"][0]["value"] == "missile-launch"
    assert events["sources"]["fields"][4]["pattern"][0] == "^[Hh][Tt][Tt][Pp][Ss]?://"
    assert events["body"]["editor_components"] == []
    assert "image" not in events["body"]["buttons"]
    assert events["imported"]["widget"] == "briefing-readonly"
    assert events["facts"]["widget"] == "hidden"
    helper = admin.config(
        vocabulary(ROOT / "content"), Settings(cms_auth="https://auth.example.org")
    )
    assert helper["backend"]["base_url"] == "https://auth.example.org"


def test_cms_config_carries_hostile_vocabulary_labels_as_data(
    make_content: ContentFactory,
) -> None:
    """A term's label is record text: in the form's configuration it is a YAML string, read
    back as written (Decap shows it as text), never a key, an anchor or a second document."""
    from generator.commands import cms
    from generator.settings import Settings

    content = make_content()
    vocabulary = content / "vocabulary.yaml"
    hostile = "</script><img src=x onerror=alert(1)> &a: *b\\n---\\nbackend: {name: evil}"
    text = vocabulary.read_text(encoding="utf-8")
    first = text.index("label: ") + len("label: ")
    end = text.index("\n", first)
    vocabulary.write_text(text[:first] + json.dumps(hostile) + text[end:], encoding="utf-8")
    written = cms.committed_config(Settings(content_dir=content))
    config = yaml.safe_load(written)
    assert config["backend"] == {"name": "github", "branch": "main"}
    labels = [
        o["label"]
        for c in config["collections"]
        for f in c["fields"]
        if f.get("options")
        for o in f["options"]
        if isinstance(o, dict)
    ]
    assert hostile in labels
