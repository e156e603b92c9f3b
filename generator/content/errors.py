"""Editor-facing errors: every problem carries the file, line and column it is about."""

from __future__ import annotations

import difflib
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

Loc = tuple[str | int, ...]


def warn(message: str) -> None:
    """Show ``message`` as MkDocs shows a warning, but not through MkDocs' loggers: under
    ``--strict`` (`make site`, the Pages workflow) each of their warnings fails the build, and
    these are to be read, not to stop it (a site nearing its size budget,
    `generator.publish.budget`; a local `site_url`, `generator.settings.address_warning`)."""
    log = logging.getLogger("briefing.notice")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.warning("briefing: %s", message)


def display_path(path: Path) -> str:
    """The path as an editor should see it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def field_path(loc: Loc) -> str:
    """``('actors', 2, 'id')`` -> ``actors[2].id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A `` (did you mean 'x'?)`` suffix, or an empty string when nothing is close."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one record, at the position of the offending value."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return one_line(f"{self.path}:{self.line}:{self.column}:{field} {self.message}")


def one_line(text: str) -> str:
    """``text`` with line breaks, control and other invisible characters written as escapes
    (``\\n``, ``\\x07``, ``\\u202e``), so that a message quoting a value stays on one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class BriefingError(Exception):
    """Base class of every error meant for an editor (printed without a traceback)."""


class ContentErrors(BriefingError):
    """Every problem found in the content, sorted by file and position."""

    def __init__(self, errors: Sequence[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))
