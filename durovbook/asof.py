"""The book's own "as of" date: the day on which its facts were last checked.

It is set in one place, the property ``as_of`` of ``data/datapackage.json``, so
that the website and the student pack (which ships the data folder) agree. Each
data row keeps its own ``as_of`` (the date of its newest source); a page shows
that date only where it is older than the book's.

    >>> from durovbook.asof import as_of, as_of_text
    >>> as_of_text()                     # doctest: +SKIP
    '2 December 2026'
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from .display import format_date
from .errors import DataError
from .paths import data_dir, display_path

__all__ = ["as_of", "as_of_text"]


def as_of(data: str | Path | None = None) -> pd.Timestamp:
    """The book's as-of date, read from ``datapackage.json`` (property ``as_of``)."""
    path = data_dir(data) / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(display_path(path), None, None, "the data package descriptor is missing") from exc
    except json.JSONDecodeError as exc:
        raise DataError(display_path(path), None, None, f"is not valid JSON ({exc.msg})") from exc
    value = descriptor.get("as_of")
    if not value:
        raise DataError(display_path(path), None, "as_of",
                        "the book's as-of date is missing: add \"as_of\": \"YYYY-MM-DD\"")
    try:
        return pd.Timestamp(date.fromisoformat(str(value)))
    except ValueError as exc:
        raise DataError(display_path(path), None, "as_of",
                        f"must be a date written YYYY-MM-DD (got {value!r})") from exc


def as_of_text(data: str | Path | None = None) -> str:
    """The book's as-of date in words, for example ``2 December 2026``."""
    return format_date(as_of(data), "day", long=True)
