"""The GitHub Pages workflow: clean under zizmor and GitHub's workflow schema, a fast content
check apart from the code tests, and a deploy that publishes only the site the check built."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOW = GITHUB / "workflows" / "pages.yml"
DEPENDABOT = GITHUB / "dependabot.yml"
DEPLOY_IF = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
ON_PR = "github.event_name == 'pull_request'"
NOT_ON_PR = "github.event_name != 'pull_request'"
BIN = Path(sys.executable).parent

Mapping = dict[Any, Any]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    # --offline: no GitHub API calls; the default persona, as `make lint` runs it. (Plain text:
    # under CI=true zizmor colours its output even into a pipe.)
    return run("zizmor", "--offline", "--quiet", "--no-progress", "--color=never", str(path))


def schema_check(
    path: Path, schema: str = "vendor.github-workflows"
) -> subprocess.CompletedProcess[str]:
    return run("check-jsonschema", "--builtin-schema", schema, str(path))


def workflow() -> Mapping:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(flow: Mapping) -> Mapping:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    on = flow[True] if True in flow else flow["on"]
    assert isinstance(on, dict)
    return on


def job(name: str) -> Mapping:
    found = workflow()["jobs"][name]
    assert isinstance(found, dict)
    return found


def steps(of: Mapping) -> list[Mapping]:
    found = of["steps"]
    assert isinstance(found, list)
    return found


def action(step: Mapping) -> str:
    """The action a step uses, without its version: "actions/checkout"."""
    return str(step.get("uses", "")).partition("@")[0]


def index_of(of: Mapping, predicate: str) -> int:
    """Position of the first step that uses the action, or whose `run` contains the text."""
    for number, step in enumerate(steps(of)):
        if action(step) == predicate or predicate in str(step.get("run", "")):
            return number
    raise AssertionError(f"no step uses or runs {predicate!r}")


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    return broken


# -- linters ---------------------------------------------------------------------------------


def test_github_folder_has_no_zizmor_findings() -> None:
    result = zizmor(GITHUB)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("No findings to report.")


@pytest.mark.parametrize(
    ("old", "new", "audit"),
    [
        (
            "actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0",
            "actions/checkout@v6",
            "unpinned-uses",
        ),
        ("          persist-credentials: false\n          # The", "          # The", "artipacked"),
        (
            "run: .venv/bin/briefing diff HEAD^1 HEAD",
            "run: .venv/bin/briefing diff ${{ github.head_ref }}",
            "template-injection",
        ),
    ],
    ids=["tag-pin", "persisted-credentials", "template-injection"],
)
def test_zizmor_reports_a_weakened_workflow(tmp_path: Path, old: str, new: str, audit: str) -> None:
    result = zizmor(broken_copy(tmp_path, old, new))
    assert result.returncode != 0
    assert f"[{audit}]" in result.stdout


@pytest.mark.parametrize(
    ("path", "schema"), [(WORKFLOW, "vendor.github-workflows"), (DEPENDABOT, "vendor.dependabot")]
)
def test_files_match_githubs_schemas(path: Path, schema: str) -> None:
    result = schema_check(path, schema)
    assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    runs-on: ubuntu-latest\n", "    runs-om: ubuntu-latest\n"),
        ("timeout-minutes: 15", "timeout-minutes: soon"),
    ],
    ids=["misspelt-key", "wrong-type"],
)
def test_schema_check_reports_a_broken_workflow(tmp_path: Path, old: str, new: str) -> None:
    result = schema_check(broken_copy(tmp_path, old, new))
    assert result.returncode == 1
    assert "Schema validation errors were encountered." in result.stdout


def test_every_action_is_pinned_by_commit_sha_with_its_version() -> None:
    lines = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert len(lines) >= 8  # (checkout, setup-python, setup-node, upload, pages, deploy...)
    for line in lines:
        assert re.fullmatch(r" +(- )?uses: [\w-]+/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_no_checkout_keeps_the_token() -> None:
    for name, of in workflow()["jobs"].items():
        for step in steps(of):
            if action(step) == "actions/checkout":
                assert step["with"]["persist-credentials"] is False, name


def test_dependabot_updates_actions_and_pip() -> None:
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    assert {(u["package-ecosystem"], u["directory"]) for u in config["updates"]} == {
        ("github-actions", "/"),
        ("pip", "/"),
    }


# -- what runs where -------------------------------------------------------------------------


def test_triggers_are_pull_requests_and_pushes_to_main_and_manual_runs() -> None:
    on = triggers(workflow())
    assert on["pull_request"]["branches"] == ["main"]
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on


def test_token_grants_nothing_by_default_and_only_reads_in_the_checks() -> None:
    assert workflow()["permissions"] == {}
    assert job("content")["permissions"] == {"contents": "read", "pages": "read"}
    assert job("code")["permissions"] == {"contents": "read"}


def test_content_job_checks_summarises_and_builds_without_the_dev_tools() -> None:
    content = job("content")
    assert "if" not in content and "needs" not in content
    order = [
        index_of(content, text)
        for text in (
            "pip install --quiet -e .",
            "briefing check --strict",
            "briefing diff HEAD^1 HEAD",
            "mkdocs build --strict",
        )
    ]
    assert order == sorted(order)
    runs = " ".join(str(step.get("run", "")) for step in steps(content))
    assert "[dev]" not in runs and "make install" not in runs and "pytest" not in runs
    checkout = steps(content)[index_of(content, "actions/checkout")]
    assert checkout["with"]["fetch-depth"] == 2  # the diff's base: HEAD^1


def test_a_pull_request_gets_its_preview_as_an_artifact() -> None:
    content = job("content")
    upload = steps(content)[index_of(content, "actions/upload-artifact")]
    assert upload["if"] == ON_PR
    assert upload["with"]["path"] == "site"
    build = steps(content)[index_of(content, "mkdocs build --strict")]
    assert build["if"] == ON_PR and "BRIEFING_SITE_URL" not in build["env"]


def test_on_main_the_content_job_builds_for_pages_and_uploads_the_pages_artifact() -> None:
    content = job("content")
    all_steps = steps(content)
    configure = index_of(content, "actions/configure-pages")
    epoch = index_of(content, "git log -1 --format=%ct")
    build = next(
        n
        for n, s in enumerate(all_steps)
        if "mkdocs build" in str(s.get("run")) and s["if"] == NOT_ON_PR
    )
    upload = index_of(content, "actions/upload-pages-artifact")
    assert epoch < configure < build < upload
    assert all_steps[configure]["if"] == all_steps[upload]["if"] == NOT_ON_PR
    assert all_steps[configure]["id"] == "pages"
    assert all_steps[build]["env"]["BRIEFING_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert all_steps[upload]["with"]["path"] == "site"


def test_code_job_runs_the_linters_and_tests_but_not_the_browser_tests() -> None:
    code = job("code")
    tests = steps(code)[index_of(code, "make test")]
    assert tests["env"]["PYTEST_ADDOPTS"] == '-m "not browser"'
    # Comments may name it; no key or value of the parsed workflow does.
    assert "BRIEFING_REQUIRE_BROWSER" not in repr(workflow())


def test_deploy_publishes_the_checked_site_and_builds_nothing() -> None:
    deploy = job("deploy")
    assert deploy["needs"] == ["content", "code"]
    assert deploy["if"] == DEPLOY_IF
    assert [action(step) for step in steps(deploy)] == ["actions/deploy-pages"]
    assert steps(deploy)[0]["id"] == "deployment"


def test_deploy_job_has_the_pages_permissions_and_environment() -> None:
    deploy = job("deploy")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }


def test_a_deploy_in_progress_is_never_cancelled() -> None:
    assert job("deploy")["concurrency"] == {"group": "pages", "cancel-in-progress": False}


@pytest.mark.parametrize("name", ["content", "code"])
def test_every_check_job_sets_up_python_with_a_pip_cache(name: str) -> None:
    setups = [step for step in steps(job(name)) if action(step) == "actions/setup-python"]
    assert len(setups) == 1
    assert setups[0]["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "pyproject.toml",
    }
