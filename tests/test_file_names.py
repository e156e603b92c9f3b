"""Folders and files under content/ whose names are not UTF-8, or not in Unicode's composed form
(NFC), are refused by `briefing check` and therefore by the build: one message each, naming the
path with its bad bytes escaped, never a traceback (a folder `x\\xff` ended the build in a
UnicodeEncodeError whenever the repository's address was known, for the edit links)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.conftest import EVENT, ContentFactory
from tests.sitebuild import config_for, mkdocs_build
from tests.test_cli import briefing

NOT_UTF8 = "content/events/x\\xff:1:1: folder name is not UTF-8 text: rename it"
DECOMPOSED = "cafe\u0301"
NOT_NFC = [
    f"content/actors/{DECOMPOSED}.yaml:1:1: file name is not in Unicode's composed form (NFC): "
    "its accents are characters of their own; rename it 'café.yaml', as typed",
    "content/notes\u0301.txt:1:1: file name is not in Unicode's composed form (NFC): its "
    "accents are characters of their own; rename it 'note\u015b.txt', as typed",
    f"content/pages/{DECOMPOSED}:1:1: folder name is not in Unicode's composed form (NFC): "
    "its accents are characters of their own; rename it 'café', as typed",
]


def _badly_named(root: Path) -> None:
    """A folder whose name is the bytes ``x\\xff`` (a valid record in it), a decomposed
    ``café.yaml`` among the actors and a decomposed ``café/`` folder among the pages."""
    folder = os.fsencode(root / "events") + b"/x\xff"
    os.mkdir(folder)
    with open(folder + b"/hidden-launch.yaml", "w", encoding="utf-8") as record:
        record.write(EVENT)
    (root / "actors" / f"{DECOMPOSED}.yaml").write_text("name: x\n", encoding="utf-8")
    (root / "pages" / DECOMPOSED).mkdir()
    (root / "pages" / DECOMPOSED / "index.md").write_text("# Café\n", encoding="utf-8")
    (root / "notes\u0301.txt").write_text("in the content folder itself\n", encoding="utf-8")


def test_check_names_the_paths(make_content: ContentFactory, tmp_path: Path) -> None:
    _badly_named(make_content())
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        NOT_NFC[0],
        NOT_UTF8,
        *NOT_NFC[1:],
        "4 error(s) in 4 file(s)",
    ]


def test_names_in_plain_ascii_or_composed_are_fine(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    root = make_content()
    (root / "pages" / "café.md").write_text("# Café\n", encoding="utf-8")
    (root / "events" / "année-2024").mkdir()
    (root / "events" / "année-2024" / "other-launch.yaml").write_text(EVENT, encoding="utf-8")
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_the_build_stops_with_the_same_messages(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    root = make_content()
    _badly_named(root)
    config = config_for(tmp_path / "build", root.resolve())
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["repo_url"] = "https://github.com/example/briefing"  # (edit links: the crash)
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr
    for line in [*NOT_NFC, NOT_UTF8]:
        assert line in result.stderr.splitlines(), result.stderr
