"""Problems as GitHub workflow commands, so that a pull request shows each one on its line.

Under GitHub Actions (``GITHUB_ACTIONS=true``) or with ``briefing check --format github``, every
error becomes ``::error file=…,line=…,col=…,title=…::message`` and every editorial warning
``::warning …``; GitHub puts them on the changed lines of the pull request's diff. Elsewhere the
house format ``path:line:col: field: message`` is printed unchanged.

Escaping follows GitHub's toolkit (``@actions/core`` ``command.ts``): in the message ``%``,
``\\r`` and ``\\n`` are written ``%25``, ``%0D`` and ``%0A``; in properties ``:`` and ``,`` as
``%3A`` and ``%2C`` as well. Other invisible characters are written as escapes (``\\x07``), as
in the house format, so that a message quoting a pasted value cannot hide anything.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Literal, TextIO

from generator.content.errors import ContentError
from generator.site.editorial import EditorialWarning

Style = Literal["text", "github"]
STYLES: tuple[Style, ...] = ("text", "github")


def style(requested: str | None, environ: Mapping[str, str] | None = None) -> Style:
    """The output style: the one asked for, else ``github`` under GitHub Actions, else text."""
    if requested == "github":
        return "github"
    if requested == "text":
        return "text"
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def _visible(text: str) -> str:
    return "".join(c if c.isprintable() or c in "\r\n" else repr(c)[1:-1] for c in text)


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, carriage returns and line feeds escaped."""
    return _visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(
    kind: Literal["error", "warning"], path: str, line: int, col: int, title: str, message: str
) -> str:
    """One workflow command, e.g. ``::error file=a.yaml,line=3,col=5,title=type::message``."""
    properties = {"file": path, "line": str(line), "col": str(col), "title": title}
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{kind} {props}::{escape_data(message)}"


def error_command(error: ContentError) -> str:
    """An error, titled by its field (``briefing check`` when it is about the whole file)."""
    title = error.field or "briefing check"
    return command("error", error.path, error.line, error.column, title, error.message)


def warning_command(warning: EditorialWarning) -> str:
    """An editorial warning, titled by its field and rule; the message keeps the reason."""
    title = f"{warning.field} ({warning.rule})" if warning.field else warning.rule
    message = f"{warning.message} ({warning.rule}: {warning.why})"
    return command("warning", warning.path, warning.line, warning.column, title, message)


def print_errors(errors: Sequence[ContentError], chosen: Style, out: TextIO | None = None) -> None:
    """Every error, then the count line (on standard error; commands on standard output)."""
    for error in errors:
        if chosen == "github":
            print(error_command(error), file=out or sys.stdout)
        else:
            print(error, file=out or sys.stderr)
    files = len({e.path for e in errors})
    print(f"{len(errors)} error(s) in {files} file(s)", file=sys.stderr)


def print_warnings(
    warnings: Sequence[EditorialWarning], chosen: Style, out: TextIO | None = None
) -> None:
    """Every editorial warning, then the count line when there is any."""
    for warning in warnings:
        if chosen == "github":
            print(warning_command(warning), file=out or sys.stdout)
        else:
            print(warning, file=out or sys.stderr)
    if warnings:
        files = len({w.path for w in warnings})
        print(f"{len(warnings)} editorial warning(s) in {files} file(s)", file=sys.stderr)
