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

from .display import HTML, chapter_title, table
from .i18n import language, tr, translatable
from .passages import RENDERINGS, load_passages
from .verdicts import VERDICTS, load_verdicts, verdict_label

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
    french = language() == "fr"
    rows = []
    for pid in passage_ids:
        row = passages.loc[pid]
        if isinstance(row["en_original"], str):
            words, lang = row["en_original"], "en"
        elif french:  # the French edition gives the French as published, never a translation of ours
            words, lang = next(row[c] for c in RENDERINGS if isinstance(row[c], str)), "fr"
        else:
            words, lang = f"{row['en_ours']} (our translation)", "en"
        rows.append({"passage": pid, "words": words, "lang": lang})
    return pd.DataFrame(rows)


def _words_lang(frame: pd.DataFrame) -> dict[str, str]:
    """Tag the words ``lang="en"`` in the French edition when they are all Durov's English."""
    return {"words": "en"} if language() == "fr" and (frame["lang"] == "en").all() else {}


def sorting_grid(passage_ids: list[str], data: str | Path | None = None) -> HTML:
    """A grid for students: each passage's words, and empty boxes for "fact", "argument" and "why"."""
    frame = _words(passage_ids, data).assign(fact="", argument="", why="")
    return table(frame, {"passage": tr("Passage"), "words": tr("Durov's words"), "fact": tr("Claim of fact (tick)"),
                         "argument": tr("Argument (tick)"), "why": tr("Why? (a few words)")},
                 caption=tr("Claim of fact or argument?"), lang=_words_lang(frame))


def sorting_key(passage_ids: list[str], data: str | Path | None = None,
                caption: str = translatable("Answer key: claim of fact or argument?")) -> HTML:
    """The answer key to :func:`sorting_grid`: each passage's kind, the book's verdict, and where its evidence is.

    The key names the chapter and section that show the evidence rather than
    repeating the verdict's reason, which the verdict board and some evidence
    cards print: a teacher's key shares no sentence with a student's handout.
    """
    frame = _words(passage_ids, data)
    verdicts = load_verdicts(data).set_index("passage_id")
    frame["kind"] = [tr("claim of fact") if is_claim_of_fact(verdicts.loc[p, "verdict"]) else tr("argument")
                     for p in frame["passage"]]
    frame["verdict"] = [verdict_label(verdicts.loc[p, "verdict"]) for p in frame["passage"]]
    section = "section_fr" if language() == "fr" else "section"
    frame["where"] = [tr("{chapter}, section “{section}”", chapter=chapter_title(verdicts.loc[p, "chapter"]).split(":")[0].strip(),
                         section=verdicts.loc[p, section])
                      for p in frame["passage"]]
    return table(frame, {"passage": tr("Passage"), "kind": tr("Kind"), "verdict": tr("The book's verdict"),
                         "where": tr("The evidence is in")},
                 caption=caption)
