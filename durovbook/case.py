"""The French case against Pavel Durov, as a table of dated events."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .data import load


def load_case_events(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``case_events.csv``: one row per dated event, sorted by date."""
    events = load("case_events", data)
    return events.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def events_as_of(events: pd.DataFrame, date: str | pd.Timestamp) -> pd.DataFrame:
    """Keep the events that had happened on or before ``date``.

    A student can ask "what did a reader know on 5 September 2024?" by
    passing that date.
    """
    cutoff = pd.Timestamp(date)
    return events[events["date"] <= cutoff].reset_index(drop=True)


def days_between(events: pd.DataFrame, first: str, second: str) -> int:
    """Count the days from the event with id ``first`` to the event ``second``."""
    dates = events.set_index("id")["date"]
    missing = [e for e in (first, second) if e not in dates.index]
    if missing:
        raise KeyError(f"no event with id {', '.join(map(repr, missing))}")
    return int((dates[second] - dates[first]).days)
