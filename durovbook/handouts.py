"""The tables of the printed worksheet and exit ticket, and their answer key, from the data.

A worksheet asks students to sort passages of the statement into claims of
fact, which a source could check, and arguments, which no source can. The
student's grid (:func:`sorting_grid`) shows each passage's words and empty
boxes to tick; the teacher's key (:func:`sorting_key`) gives the book's verdict
on each passage, from ``verdicts.csv``, so a changed verdict changes the key.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .display import HTML, table
from .passages import CHAPTER_TITLES, load_passages
from .verdicts import VERDICTS, load_verdicts

__all__ = ["sorting_grid", "sorting_key", "is_claim_of_fact"]


def is_claim_of_fact(verdict: str) -> bool:
    """Whether a verdict of ``verdicts.csv`` is given to a claim of fact (every verdict but ``argument``)."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; use one of {', '.join(VERDICTS)}")
    return verdict != "argument"


def _words(passage_ids, data) -> pd.DataFrame:
    passages = load_passages(data).set_index("id")
    unknown = [p for p in passage_ids if p not in passages.index]
    if unknown:
        raise KeyError(f"no passage {', '.join(map(repr, unknown))} in passages.csv")
    rows = []
    for pid in passage_ids:
        row = passages.loc[pid]
        words = row["en_original"] if isinstance(row["en_original"], str) else f"{row['en_ours']} (our translation)"
        rows.append({"passage": pid, "words": words})
    return pd.DataFrame(rows)


def sorting_grid(passage_ids: list[str], data: str | Path | None = None) -> HTML:
    """A grid for students: each passage's words, and empty boxes for "fact", "argument" and "why"."""
    frame = _words(passage_ids, data).assign(fact="", argument="", why="")
    return table(frame, {"passage": "Passage", "words": "Durov's words", "fact": "Claim of fact (tick)",
                         "argument": "Argument (tick)", "why": "Why? (a few words)"},
                 caption="Claim of fact or argument?")


def sorting_key(passage_ids: list[str], data: str | Path | None = None,
                caption: str = "Answer key: claim of fact or argument?") -> HTML:
    """The answer key to :func:`sorting_grid`: each passage's kind, the book's verdict, and where its evidence is.

    The key names the chapter and section that show the evidence rather than
    repeating the verdict's reason, which the verdict board and some evidence
    cards print: a teacher's key shares no sentence with a student's handout.
    """
    frame = _words(passage_ids, data)
    verdicts = load_verdicts(data).set_index("passage_id")
    frame["kind"] = ["claim of fact" if is_claim_of_fact(verdicts.loc[p, "verdict"]) else "argument"
                     for p in frame["passage"]]
    frame["verdict"] = [VERDICTS[verdicts.loc[p, "verdict"]] for p in frame["passage"]]
    frame["where"] = [f"{CHAPTER_TITLES[verdicts.loc[p, 'chapter']].split(':')[0]}, section “{verdicts.loc[p, 'section']}”"
                      for p in frame["passage"]]
    return table(frame, {"passage": "Passage", "kind": "Kind", "verdict": "The book's verdict",
                         "where": "The evidence is in"},
                 caption=caption)
