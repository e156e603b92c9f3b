"""The size budget: a warning at 80%, a failure above 100%, naming the largest contributors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.errors import BriefingError
from generator.publish import budget
from tests.sitebuild import ROOT, config_for, mkdocs_build


def _largest(found: dict[str, int]) -> str:
    top = sorted(found.items(), key=lambda item: -item[1])[: budget.LARGEST]
    return ", ".join(f"{name} {size / 1e6:,.1f} MB" for name, size in top)


def test_contributors_by_folder() -> None:
    assert budget.contributor(Path("briefs/x/index.html")) == "briefs pages (briefs/)"
    assert budget.contributor(Path("pagefind/fragment/a.pf_fragment")) == (
        "the search bundle (pagefind/)"
    )
    assert budget.contributor(Path("data/events.csv")) == "data exports (data/)"
    assert budget.contributor(Path("index.html")) == "other pages and files"
    assert budget.contributor(Path("about/index.html")) == "other pages and files"


def test_under_the_warning_line_says_nothing(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_bytes(b"x" * 799)
    assert budget.check(tmp_path, 1000) is None


def test_warning_and_failure_messages(tmp_path: Path) -> None:
    (tmp_path / "briefs" / "a").mkdir(parents=True)
    (tmp_path / "briefs" / "a" / "index.html").write_bytes(b"x" * 600_000)
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "pagefind.js").write_bytes(b"x" * 300_000)
    assert budget.check(tmp_path, 1_000_000) == (
        "the site is 0.9 MB, 90% of its size budget of 1.0 MB (size_budget in mkdocs.yml). "
        "Largest: briefs pages (briefs/) 0.6 MB, the search bundle (pagefind/) 0.3 MB"
    )
    with pytest.raises(BriefingError) as failed:
        budget.check(tmp_path, 800_000)
    assert str(failed.value) == (
        "the site is 0.9 MB, over its size budget of 0.8 MB (112%; size_budget in mkdocs.yml). "
        "Largest: briefs pages (briefs/) 0.6 MB, the search bundle (pagefind/) 0.3 MB"
    )


@pytest.mark.slow
def test_a_real_build_warns_then_fails(tmp_path: Path) -> None:
    """The shipped content, built three times: within budget, at 90% of it (a warning that
    `--strict` does not turn into a failure), and at twice its budget (a failure)."""
    first = mkdocs_build(config_for(tmp_path / "a", ROOT / "content"), tmp_path / "a" / "site")
    assert first.returncode == 0, first.stderr
    assert "size budget" not in first.stderr
    found = budget.sizes(tmp_path / "a" / "site")
    total = sum(found.values())
    assert "the search bundle (pagefind/)" in found and "data exports (data/)" in found

    limit = int(total / 0.9)
    config = config_for(tmp_path / "b", ROOT / "content", size_budget=limit)
    warned = mkdocs_build(config, tmp_path / "b" / "site")
    assert warned.returncode == 0, warned.stderr
    site = budget.sizes(tmp_path / "b" / "site")
    assert (
        f"WARNING -  briefing: the site is {sum(site.values()) / 1e6:,.1f} MB, "
        f"{sum(site.values()) / limit:.0%} of its size budget of {limit / 1e6:,.1f} MB "
        f"(size_budget in mkdocs.yml). Largest: {_largest(site)}\n"
    ) in warned.stderr

    limit = total // 2
    config = config_for(tmp_path / "c", ROOT / "content", size_budget=limit)
    failed = mkdocs_build(config, tmp_path / "c" / "site")
    assert failed.returncode == 1
    site = budget.sizes(tmp_path / "c" / "site")
    assert (
        f"the site is {sum(site.values()) / 1e6:,.1f} MB, over its size budget of "
        f"{limit / 1e6:,.1f} MB ({sum(site.values()) / limit:.0%}; size_budget in mkdocs.yml). "
        f"Largest: {_largest(site)}"
    ) in failed.stderr
