"""Dates keep their precision: parsing, bounds and the reader-facing text."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.content import edtf


@pytest.mark.parametrize(
    "text, shown",
    [
        ("2024", "2024"),
        ("2024-05", "May 2024"),
        ("2024-05~", "c. May 2024"),
        ("2024-06-26", "26 June 2024"),
        ("2024-06-26?", "26 June 2024 (uncertain)"),
        ("2024-06-27/2024-06-29", "27–29 June 2024"),
        ("2024-06-28/2024-07-02", "28 June–2 July 2024"),
        ("2023-12/2024-02", "December 2023–February 2024"),
        ("2023/2024", "2023–2024"),
    ],
)
def test_display_respects_precision(text: str, shown: str) -> None:
    date = edtf.parse(text)
    assert date.display() == shown
    assert str(date) == text


def test_month_means_the_whole_month() -> None:
    may = edtf.parse("2024-05")
    assert may.precision == "month"
    assert (may.first, may.last) == (dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    assert not may.is_day
    assert edtf.parse("2024-02").last == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    "bad",
    [
        *("2024-13", "2024-00", "2023-02-29", "24-05", "2024-5-1", "2024-05-01T05:30", ""),
        *("0000", "0000-01/2024", "\u0662\u0660\u0662\u0664", "2024-0\u0665"),
    ],
)
def test_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        edtf.parse(bad)


@pytest.mark.parametrize("bad", ["0000-01-01", "2024-06-\u0662\u0666", "2024-06-26\n"])
def test_days_reject(bad: str) -> None:
    with pytest.raises(ValueError):
        edtf.parse_day(bad)
