"""Dates with their precision: the subset of EDTF (ISO 8601-2) that records use.

``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD``, each optionally followed by ``~`` (approximate)
or ``?`` (uncertain), or an interval ``A/B`` of two of those. The common forms are parsed
directly with one regular expression: a general EDTF library costs milliseconds per date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["year", "month", "day"]
# ASCII digits only: ``\d`` would also take Arabic-Indic and other Unicode digits.
_POINT = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?])?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?]?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?]?)?$"
MONTHS = tuple(calendar.month_name)


@dataclass(frozen=True, order=True)
class Point:
    """One calendar date at year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: Literal["~", "?"] | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def first(self) -> dt.date:
        """The earliest day this point can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        """The latest day this point can mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def text(self, *, year: bool = True, month: bool = True) -> str:
        """Human form: ``2024``, ``May 2024``, ``26 June 2024`` (parts can be left out)."""
        parts = []
        if self.day is not None:
            parts.append(str(self.day))
        if self.month is not None and (month or self.day is None):
            parts.append(MONTHS[self.month])
        if year or self.month is None:
            parts.append(str(self.year))
        return " ".join(parts)

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        return out + (self.qualifier or "")


@dataclass(frozen=True)
class EdtfDate:
    """A date or interval as an editor wrote it; the precision is part of the value."""

    start: Point
    end: Point | None = None

    @property
    def is_interval(self) -> bool:
        return self.end is not None

    @property
    def precision(self) -> Precision:
        return self.start.precision

    @property
    def first(self) -> dt.date:
        return self.start.first

    @property
    def last(self) -> dt.date:
        return (self.end or self.start).last

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        return (self.first, self.last)

    @property
    def month(self) -> int:
        """The month the date starts in, 0 when only its year is known (lists group by it)."""
        return self.start.month or 0

    @property
    def is_day(self) -> bool:
        """A single day: the only kind of date a local time can go with."""
        return self.end is None and self.start.day is not None

    def display(self) -> str:
        """``May 2024``, ``c. May 2024``, ``26 June 2024 (uncertain)``, ``27–29 June 2024``."""
        if self.end is None:
            return _qualified(self.start, self.start.text())
        a, b = self.start, self.end
        same_year = a.year == b.year and a.precision == b.precision != "year"
        same_month = same_year and a.month == b.month and a.precision == "day"
        left = a.text(year=not same_year, month=not same_month)
        return f"{_qualified(a, left)}–{_qualified(b, b.text())}"

    def __str__(self) -> str:
        return str(self.start) if self.end is None else f"{self.start}/{self.end}"


def _qualified(point: Point, text: str) -> str:
    if point.qualifier == "~":
        return f"c. {text}"
    if point.qualifier == "?":
        return f"{text} (uncertain)"
    return text


def _point(text: str) -> Point:
    m = _POINT.fullmatch(text)
    if not m:
        raise ValueError(
            f"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, "
            "optionally followed by ~ (approximate) or ? (uncertain)"
        )
    year = int(m[1])
    if year == 0:
        raise ValueError(f"'{text}' is not a date: there is no year 0000 (years start at 0001)")
    month = int(m[2]) if m[2] else None
    day = int(m[3]) if m[3] else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{text}' has no month {month:02d}")
    if (
        day is not None
        and month is not None
        and not 1 <= day <= calendar.monthrange(year, month)[1]
    ):
        raise ValueError(f"'{text}' is not a real calendar date")
    qualifier = m[4] if m[4] in ("~", "?") else None
    return Point(year, month, day, qualifier)  # type: ignore[arg-type]


def parse(text: str) -> EdtfDate:
    """Parse ``text``; raise ``ValueError`` with an editor-facing message."""
    if not isinstance(text, str):
        raise ValueError("expected a date as text, e.g. 2024-06-26")
    if "/" in text:
        left, _, right = text.partition("/")
        start, end = _point(left), _point(right)
        if end.last < start.first:
            raise ValueError(f"interval '{text}' ends before it starts")
        return EdtfDate(start, end)
    return EdtfDate(_point(text))


def parse_day(text: str) -> dt.date:
    """A plain ``YYYY-MM-DD`` calendar date (for publication and change-log dates)."""
    if not isinstance(text, str) or not _DAY.fullmatch(text):
        raise ValueError(f"'{text}' is not a day: use YYYY-MM-DD")
    if text.startswith("0000"):
        raise ValueError(f"'{text}' is not a date: there is no year 0000 (years start at 0001)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar date") from None
