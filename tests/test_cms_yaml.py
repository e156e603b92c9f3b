"""What the editing form (Decap CMS) writes when it saves a shipped record unchanged: every
record, put through Decap's YAML output (`tests/decap_yaml.js`, with the `yaml` package Decap
uses, pinned in package.json), reads back to the same record and passes `briefing check
--strict`. Only the form changes: comments, quoting, folded lines."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands.scaffold import vocabulary
from generator.content.load import load_file
from generator.content.model import Actor, Event, Record
from generator.content.validate import to_record
from generator.publish import admin
from generator.settings import Settings
from tests.sitebuild import ROOT

pytestmark = pytest.mark.slow  # (runs Node and the check of a whole content tree)

SCRIPT = ROOT / "tests" / "decap_yaml.js"


def _decap(files: list[Path], order: list[str]) -> list[str]:
    if not (ROOT / "node_modules" / "yaml").is_dir():
        pytest.fail("the yaml package is missing: run `npm ci` (package.json pins it)")
    command = ["node", str(SCRIPT), json.dumps(order), *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    outputs: list[str] = json.loads(result.stdout)
    return outputs


def _record(path: Path, model: type[Record]) -> Record:
    errors: list = []  # type: ignore[type-arg]
    record = to_record(load_file(path), model, errors)
    assert record is not None, errors
    return record


def test_every_shipped_record_survives_a_save_by_the_form(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    config = admin.config(vocabulary(content), Settings(content_dir=content))
    collections = {c["name"]: c for c in config["collections"]}
    changed = 0
    for name, model in (("events", Event), ("actors", Actor)):
        order = [f["name"] for f in collections[name]["fields"]]
        files = sorted((content / name).rglob("*.yaml"))
        assert files
        for path, text in zip(files, _decap(files, order), strict=True):
            before = _record(path, model)
            changed += path.read_text(encoding="utf-8") != text
            path.write_text(text, encoding="utf-8")
            assert _record(path, model) == before, f"{path.name} reads back differently"
    assert changed  # (the form's YAML is not byte for byte the editors')
    command = [sys.executable, "-m", "generator", "check", "--strict", "--content", str(content)]
    checked = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert checked.returncode == 0, checked.stdout + checked.stderr
