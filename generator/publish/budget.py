"""The site's size against its budget: GitHub Pages refuses a published site over 1 GB.

Once the site folder is complete (pages, search bundle, open data, feeds), `check` adds up its
files. At `WARN_AT` of the budget (the plugin's ``size_budget``) the build warns; at the budget
itself it fails. Either message names the largest contributors, so that an editor learns what to
trim, or that the site needs another host (see docs/scaling.md, "When the site outgrows GitHub
Pages"), from the build and not from a failed deploy.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from generator.content.errors import BriefingError

WARN_AT = 0.8
"""The share of the budget from which the build warns."""
LARGEST = 4
"""Contributors a message names, largest first."""

SECTIONS = {"briefs", "actors", "tags", "timeline"}
"""Top folders whose HTML is counted as the pages of a section."""
_NAMED = {
    "pagefind": "the search bundle (pagefind/)",
    "data": "data exports (data/)",
    "feeds": "topic feeds (feeds/)",
    "assets": "theme and site assets (assets/)",
}


def contributor(rel: Path) -> str:
    """What a file of the site, at ``rel`` in the site folder, is counted under."""
    top = rel.parts[0] if len(rel.parts) > 1 else ""
    if top in _NAMED:
        return _NAMED[top]
    if top in SECTIONS and rel.suffix == ".html":
        return f"{top} pages ({top}/)"
    return "other pages and files"


def sizes(site_dir: Path) -> Counter[str]:
    """Bytes of the files in ``site_dir``, by contributor."""
    found: Counter[str] = Counter()
    for folder, _, names in os.walk(site_dir):
        for name in names:
            path = Path(folder, name)
            found[contributor(path.relative_to(site_dir))] += path.stat().st_size
    return found


def megabytes(size: float) -> str:
    return f"{size / 1e6:,.1f} MB"


def check(site_dir: Path, budget: int) -> str | None:
    """A warning when the site in ``site_dir`` takes `WARN_AT` of ``budget`` bytes or more;
    `BriefingError` when it takes more than ``budget``; else None."""
    found = sizes(site_dir)
    total = sum(found.values())
    if total < WARN_AT * budget:
        return None
    largest = ", ".join(f"{name} {megabytes(size)}" for name, size in found.most_common(LARGEST))
    share = f"{total / budget:.0%}"
    if total > budget:
        raise BriefingError(
            f"the site is {megabytes(total)}, over its size budget of {megabytes(budget)} "
            f"({share}; size_budget in mkdocs.yml). Largest: {largest}"
        )
    return (
        f"the site is {megabytes(total)}, {share} of its size budget of {megabytes(budget)} "
        f"(size_budget in mkdocs.yml). Largest: {largest}"
    )
