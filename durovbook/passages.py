"""The statement of 5 September 2024, passage by passage."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .data import load, row_error
from .sources import split_keys

#: The chapters a passage can be ``examined_in``, with their titles. The package
#: owns this list because the student pack has no ``chapters/`` folder to read;
#: a test checks it against the first heading of every ``chapters/*.md``.
CHAPTER_TITLES = {
    "statement": "The statement: what did Durov say on 5 September 2024?",
    "users": "950 million users: how fast did Telegram grow, and who counted them?",
    "charges": "Twelve offences: what was Durov actually placed under formal investigation for?",
    "bans": "Banned: was Telegram blocked in Russia and Iran because it refused?",
    "privacy": "Privacy against security: what does Telegram encrypt, disclose and remove?",
    "coverage": "Reading the coverage: what did two French articles get right?",
}

#: Columns of ``passages.csv`` that hold a French rendering, with the seed article each comes from.
RENDERINGS = {"fr_000": "seed000journalducoin", "fr_001": "seed001liannews"}

#: The verification statuses of a passage whose English original an outlet carries.
ENGLISH_STATUSES = ("english-confirmed", "english-one-outlet")


def english_sources(source_cell: str) -> list[str]:
    """The keys of a ``source`` cell that are outlets carrying the English words."""
    return [k for k in split_keys(source_cell) if k not in RENDERINGS.values()]


def load_passages(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``passages.csv``: one row per passage, in the order of the statement.

    Besides the schema's checks, a passage must have at least one rendering
    (an English original or a French one). An English original names the
    outlet it follows (``en_source``), which must be one of its sources: one
    outlet is enough (``english-one-outlet``); ``english-confirmed`` means two
    or more outlets carry the same words. A passage without English needs our
    translation.
    """
    passages = load("passages", data)
    for index, row in passages.iterrows():
        has_en = not pd.isna(row["en_original"])
        if not has_en and pd.isna(row["fr_000"]) and pd.isna(row["fr_001"]):
            raise row_error("passages", index, "en_original", "a passage needs an English original or a French rendering", data)
        if (row["verification"] in ENGLISH_STATUSES) != has_en:
            raise row_error("passages", index, "verification",
                            "'english-confirmed' and 'english-one-outlet' go with an en_original, and only with one", data)
        english = english_sources(row["source"])
        if has_en and (pd.isna(row["en_source"]) or row["en_source"] not in english):
            raise row_error("passages", index, "en_source",
                            "an English original must name the outlet it follows, one of the row's sources", data)
        if not has_en and not pd.isna(row["en_source"]):
            raise row_error("passages", index, "en_source", "must be blank when there is no English original", data)
        if row["verification"] == "english-confirmed" and len(english) < 2:
            raise row_error("passages", index, "source",
                            "verification 'english-confirmed' needs two or more outlets carrying the English "
                            "(one outlet is 'english-one-outlet')", data)
        if row["verification"] == "english-one-outlet" and len(english) != 1:
            raise row_error("passages", index, "source",
                            "verification 'english-one-outlet' names exactly one outlet carrying the English", data)
        if not has_en and pd.isna(row["en_ours"]):
            raise row_error("passages", index, "en_ours", "a French-only passage needs our English translation", data)
    return passages.sort_values("order").reset_index(drop=True)


def passage_row(passage_id: str, data: str | Path | None = None) -> pd.Series:
    """The row of ``passages.csv`` whose id is ``passage_id``; ``KeyError`` (naming the known ids) if none."""
    passages = load_passages(data)
    match = passages[passages["id"] == passage_id]
    if match.empty:
        raise KeyError(f"no passage with id {passage_id!r}; known ids: {', '.join(passages['id'])}")
    return match.iloc[0]


def checkable(passages: pd.DataFrame) -> pd.DataFrame:
    """The passages that make a claim another chapter checks against data."""
    return passages[passages["examined_in"].notna()][["id", "topic", "examined_in"]].reset_index(drop=True)
