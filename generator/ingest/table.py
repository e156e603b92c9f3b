"""Rows of a CSV, JSON or XLSX file, each value as text, with where it is in the file."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any

from python_calamine import CalamineWorkbook

from generator.content.errors import ContentError, ContentErrors, display_path


@dataclass(frozen=True)
class Row:
    """One row: its number in the file (a CSV line, a sheet row, an entry of the JSON list)
    and its values as text by column name."""

    number: int
    values: dict[str, str]
    columns: dict[str, int]
    """Column name -> its 1-based column number (for messages)."""


@dataclass(frozen=True)
class Table:
    path: str
    header: list[str]
    rows: list[Row]
    problems: list[ContentError] = field(default_factory=list)
    """Rows that could not be read (left out of `rows`): reported with the rest of the run's."""

    def error(self, row: Row, column: str, message: str) -> ContentError:
        """``file:row:column: column-name: message``."""
        return ContentError(self.path, row.number, row.columns.get(column, 1), column, message)


def read_table(path: Path, rows: str | None = None) -> Table:
    """The rows of ``path`` by its suffix (.csv, .json, .xlsx); raise ``ContentErrors``."""
    shown = display_path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return _grid(shown, csv.reader(handle))  # (row by row: no copy of the file)
        if suffix == ".xlsx":
            return _grid(shown, _sheet(path))
        if suffix == ".json":
            return _json(shown, json.loads(path.read_text("utf-8-sig")), rows)
    except json.JSONDecodeError as exc:
        raise _fail(shown, exc.msg, exc.lineno, exc.colno) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise _fail(shown, f"cannot read the file: {exc}") from None
    except Exception as exc:  # calamine's errors have no common class
        raise _fail(shown, f"not a readable XLSX file: {exc}") from None
    raise _fail(shown, "give a .csv, .json or .xlsx file")


def _fail(shown: str, message: str, line: int = 1, column: int = 1) -> ContentErrors:
    return ContentErrors([ContentError(shown, line, column, "", message)])


def _text(value: Any) -> str:
    """A cell as text: 1380.0 is "1380", a date is ISO 8601, nothing is ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):  # (kept as JSON text: a column to ignore, or to map)
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _sheet(path: Path) -> list[list[str]]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [[_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]


def _grid(shown: str, lines: Iterable[list[str]]) -> Table:
    """A header line, then rows; a row of another width is an error."""
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        raise ContentErrors([ContentError(shown, 1, 1, "", "the file is empty")])
    header = [h.strip() for h in first]
    columns = {name: n + 1 for n, name in enumerate(header)}
    found, errors = [], []
    for number, line in enumerate(lines, start=2):
        if not any(cell.strip() for cell in line):
            continue
        if len(line) != len(header):
            message = f"has {len(line)} values; the header has {len(header)} columns"
            errors.append(ContentError(shown, number, 1, "", message))
            continue
        values = {h: intern(v) if len(v) < 40 else v for h, v in zip(header, line, strict=True)}
        found.append(Row(number, values, columns))  # (short values repeat: kept once each)
    return Table(shown, header, found, errors)


def _json(shown: str, data: Any, path: str | None) -> Table:
    """The objects at ``path`` (``a[].b[]``: each item of list a, then each of its list b)."""
    items = [data]
    for part in (path or "[]").split("."):
        name, many = part.removesuffix("[]"), part.endswith("[]")
        if name:
            items = [item.get(name) for item in items if isinstance(item, dict)]
        if many:
            items = [x for item in items if isinstance(item, list) for x in item]
    header: dict[str, None] = {}
    found, errors = [], []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(ContentError(shown, number, 1, "", "expected an object of values"))
            continue
        header.update(dict.fromkeys(item))
        columns = {k: n + 1 for n, k in enumerate(item)}
        found.append(Row(number, {k: _text(v) for k, v in item.items()}, columns))
    return Table(shown, list(header), found, errors)
