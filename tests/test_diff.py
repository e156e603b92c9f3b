"""`briefing diff`: what a change does to the site, on a throwaway git repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tree

ROOT = Path(__file__).parent.parent

LATER = """\
title: More balloons cross the border
date: "2024-06-28"
type: statement
status: developing
summary: Balloons again.
actors: [north-korea]
tags: [balloon]
sources:
  - key: yonhap
    publisher: Yonhap
    title: More balloons
published: "2024-06-28"
"""

KCTV = "name: KCTV\nkind: state\nsummary: The state television.\n"


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def briefing(
    repo: Path, *args: str, summary: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": os.environ["PATH"], "HOME": str(repo)}
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run(
        [sys.executable, "-m", "generator", "diff", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit holds the test content, and whose second commit changes
    a brief's status, confidence and change log, adds a brief and a profile, and renames one."""
    repo = tmp_path / "repo"
    content = repo / "content"
    write_tree(content)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "base")
    launch = content / "events/2024/launch.yaml"
    text = launch.read_text(encoding="utf-8")
    text = text.replace("status: developing", "status: confirmed")
    text = text.replace("confidence: high", "confidence: low")
    text = text.replace(
        'published: "2024-06-26"',
        'updates:\n  - date: "2024-06-27"\n    note: The JCS confirmed the failure.\n'
        'published: "2024-06-26"',
    )
    launch.write_text(text, encoding="utf-8")
    (content / "events/2024/later.yaml").write_text(LATER, encoding="utf-8")
    (content / "actors/kctv.yaml").write_text(KCTV, encoding="utf-8")
    git(repo, "mv", "content/events/2024/claim.yaml", "content/events/2024/warhead-claim.yaml")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "change")
    return repo


TEXT = """\
What HEAD changes on the site, compared with HEAD~1:

Briefs
  added    later: More balloons cross the border
  renamed  claim -> warhead-claim: Claim with *stars*, <b>tags</b> | pipes & [brackets]
  changed  launch: status, assessment, updates
           status: developing -> confirmed
           confidence: high -> low
           new update 2024-06-27: The JCS confirmed the failure.

Profiles
  added    kctv: KCTV

Pages whose URL changes
  moved    briefs/claim/ -> briefs/warhead-claim/
  new      tags/balloon/
"""


def test_diff_between_two_commits_prints_what_changes(repo: Path) -> None:
    result = briefing(repo, "HEAD~1", "HEAD")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == TEXT


def test_diff_writes_markdown_to_the_job_summary(repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = briefing(repo, "HEAD~1", "HEAD", summary=summary)
    assert result.stdout == TEXT
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + MARKDOWN


MARKDOWN = """\
### What this change does to the site

Compared with HEAD~1.

#### Briefs

- **added** `later`: More balloons cross the border
- **renamed** `claim` → `warhead-claim`: Claim with &#42;stars&#42;, &#60;b&#62;tags&#60;/b&#62; &#124; pipes &amp; &#91;brackets&#93;
- **changed** `launch`: status, assessment, updates
  - status: developing → **confirmed**
  - confidence: high → **low**
  - new update, 2024-06-27: The JCS confirmed the failure.

#### Profiles

- **added** `kctv`: KCTV

#### Pages whose URL changes

- moved `briefs/claim/` → `briefs/warhead-claim/` (the old URL stops working)
- new `tags/balloon/`
"""


@pytest.mark.slow  # (a git repository and three `briefing diff` processes)
def test_diff_defaults_to_the_work_tree(repo: Path) -> None:
    launch = repo / "content/events/2024/launch.yaml"
    launch.write_text(
        launch.read_text(encoding="utf-8").replace("status: confirmed", "status: developing"),
        encoding="utf-8",
    )
    result = briefing(repo, "HEAD")
    assert result.stdout == (
        "What the work tree changes on the site, compared with HEAD:\n"
        "\n"
        "Briefs\n"
        "  changed  launch: status\n"
        "           status: confirmed -> developing\n"
    )
    assert briefing(repo, "HEAD", "HEAD").stdout == (
        "What HEAD changes on the site, compared with HEAD:\n  no brief or profile changes\n"
    )


@pytest.mark.slow  # (a git repository and five `briefing diff` processes)
def test_diff_explains_what_it_cannot_compare(repo: Path) -> None:
    assert briefing(repo, "nope").stderr == "briefing: unknown revision 'nope'\n"
    (repo / "content/actors/kcna.yaml").write_text("name: [\n", encoding="utf-8")
    assert briefing(repo, "HEAD").stderr == (
        "briefing: the content at the work tree has 1 error(s); run `briefing check` on it first\n"
    )
    outside = repo.parent / "elsewhere"
    outside.mkdir()
    assert briefing(repo, "HEAD", "--content", str(outside)).returncode == 1
