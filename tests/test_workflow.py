"""The GitHub Pages workflow: clean under actionlint, and publishing only what passed its checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
DEPLOY_IF = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"

Mapping = dict[Any, Any]


def actionlint() -> str:
    """The actionlint beside this interpreter (the venv's), else on PATH, else a loud skip."""
    beside = Path(sys.executable).parent / "actionlint"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("actionlint")
    if found is None:
        pytest.skip("actionlint not found beside the interpreter or on PATH; workflow lint skipped")
    return found


def lint(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Empty -shellcheck= and -pyflakes= turn the optional external linters off, so the result
    # does not depend on what else happens to be installed.
    command = [actionlint(), "-shellcheck=", "-pyflakes=", "-no-color", "-oneline", str(path)]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


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
    jobs = workflow()["jobs"]
    assert isinstance(jobs, dict)
    found = jobs[name]
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


def test_workflow_passes_actionlint() -> None:
    result = lint(WORKFLOW, ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("old", "new", "culprit", "rule"),
    [
        ("needs: check", "needs: chek", '"chek"', "[job-needs]"),
        ("pages: write", "pages: writ", '"writ"', "[permissions]"),
        ("steps.deployment.outputs", "steps.deploy.outputs", '"deploy"', "[expression]"),
        (
            "        with:\n          path: site",
            "        with:\n          paht: site",
            '"paht"',
            "[action]",
        ),
        # A Node 20 action: its runtime is deprecated on GitHub's runners.
        ("actions/deploy-pages@v5", "actions/deploy-pages@v4", '"node20"', "[action]"),
    ],
    ids=["unknown-needs", "bad-permission", "unknown-step-output", "unknown-input", "old-runtime"],
)
def test_actionlint_reports_a_broken_workflow(
    tmp_path: Path, old: str, new: str, culprit: str, rule: str
) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = lint(broken, tmp_path)
    assert result.returncode == 1
    [problem] = result.stdout.splitlines()
    assert culprit in problem
    assert problem.endswith(rule)


def test_triggers_are_pull_requests_and_pushes_to_main_and_manual_runs() -> None:
    on = triggers(workflow())
    assert on["pull_request"]["branches"] == ["main"]
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on


def test_token_is_read_only_by_default_and_for_the_check_job() -> None:
    flow = workflow()
    assert flow["permissions"] == {"contents": "read"}
    check = job("check")
    effective = check.get("permissions", flow["permissions"])
    assert effective == {"contents": "read"}
    assert "pages" not in effective
    assert "id-token" not in effective


def test_check_job_runs_on_pull_requests_and_checks_everything_before_building() -> None:
    check = job("check")
    assert "if" not in check
    order = [index_of(check, text) for text in ("briefing check", "make test", "make site")]
    assert order == sorted(order)
    used = {action(step) for step in steps(check)}
    assert used.isdisjoint(
        {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"}
    )


def strings(value: object) -> list[str]:
    """Every key and value in the parsed workflow, as text (comments are not in it)."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in strings(key) + strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [str(value)]


def test_browser_tests_are_neither_required_nor_run_on_github() -> None:
    assert not [text for text in strings(workflow()) if "BRIEFING_REQUIRE_BROWSER" in text]
    check = job("check")
    tests = steps(check)[index_of(check, "make test")]
    assert tests["env"]["PYTEST_ADDOPTS"] == '-m "not browser"'


def test_deploy_job_runs_only_after_check_and_only_on_main() -> None:
    deploy = job("deploy")
    assert deploy["needs"] == "check"
    assert deploy["if"] == DEPLOY_IF


def test_deploy_job_has_the_pages_permissions_and_environment() -> None:
    deploy = job("deploy")
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }


def test_deploy_job_builds_with_the_pages_url_and_a_commit_date_then_publishes() -> None:
    deploy = job("deploy")
    all_steps = steps(deploy)
    configure = index_of(deploy, "actions/configure-pages")
    epoch = index_of(deploy, "git log -1 --format=%ct")
    build = index_of(deploy, "make site")
    upload = index_of(deploy, "actions/upload-pages-artifact")
    publish = index_of(deploy, "actions/deploy-pages")
    assert configure < build < upload < publish
    assert epoch < build
    assert all_steps[configure]["id"] == "pages"
    assert "SOURCE_DATE_EPOCH=" in all_steps[epoch]["run"]
    assert "$GITHUB_ENV" in all_steps[epoch]["run"]
    assert all_steps[build]["env"]["BRIEFING_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert all_steps[upload]["with"]["path"] == "site"
    assert all_steps[publish]["id"] == "deployment"


def test_a_deploy_in_progress_is_never_cancelled() -> None:
    assert job("deploy")["concurrency"] == {"group": "pages", "cancel-in-progress": False}


@pytest.mark.parametrize("name", ["check", "deploy"])
def test_every_job_sets_up_python_with_a_pip_cache(name: str) -> None:
    setups = [step for step in steps(job(name)) if action(step) == "actions/setup-python"]
    assert len(setups) == 1
    assert setups[0]["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "pyproject.toml",
    }
