"""The search index: Pagefind, run over the built HTML at the end of the build.

Only pages with `data-pagefind-body` (briefs and actor profiles, marked through their front
matter) are indexed; filters, metadata and the date sort come from `data-pagefind-*` attributes
the page templates write.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from generator.errors import BriefingError

log = logging.getLogger("briefing.search")


def index(site_dir: Path) -> None:
    """Write the Pagefind bundle to ``site_dir/pagefind/``."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        "pagefind",
        "--silent",
    ]
    # The toc's permalink signs, and the column labels of the key-facts and claims tables (the
    # same words on every page). Navigation-like parts of briefs and profiles are marked
    # `data-pagefind-ignore` in their templates.
    for selector in (".headerlink", ".key-facts thead", ".claims thead"):
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BriefingError(
            f"Pagefind failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        )
    log.info("briefing: search index written to %s", site_dir / "pagefind")
