"""The verdict board: what held up in Durov's statement of 5 September 2024.

``verdicts.csv`` gives every passage of the statement one verdict, one sentence
of reasons, the chapter section that shows the evidence, and the sources of
that evidence. The chapters' "In two minutes" boxes and the verdict board are
drawn from it, so a verdict changed in the data changes everywhere at once.
The verdicts hold as of the book's date (:func:`durovbook.asof.as_of`).

In the French edition (:mod:`durovbook.i18n`) the board and the lines are in
French: the verdicts' labels come from ``data/labels.csv``, the reasons from
the column ``reason_fr`` and the links lead to the French heading
``section_fr``; Durov's English words stay English, tagged ``lang="en"``, and a
passage no outlet carries in English is quoted in its published French.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pandas as pd

from .asof import as_of_text
from .data import load, row_error
from .display import HTML
from .errors import DataError
from .i18n import label, language, tr, translatable
from .passages import load_passages
from .paths import data_dir, display_path

#: The five verdicts, in the order the board counts them, with their English
#: labels (:func:`verdict_label` gives them in the current language).
VERDICTS = {
    "supported": "Supported",
    "partly-supported": "Partly supported",
    "contradicted": "Contradicted",
    "argument": "An argument, not a checkable fact",
    "not-verifiable": "Not verifiable",
}

#: What each verdict means, in a sentence a reader can hold a verdict to.
MEANINGS = {
    "supported": translatable("The sources confirm it."),
    "partly-supported": translatable(
        "Part of it holds and part does not, or it holds only with a caveat that changes its meaning."),
    "contradicted": translatable("The sources go against it."),
    "argument": translatable("It is an argument, an opinion or a feeling: no source can make it true or false."),
    "not-verifiable": translatable("It is a claim of fact, but no source we found can confirm or refute it."),
}

# A sentence ends at . ! or ? followed by a space and a capital letter.
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[A-ZÀ-Ý]")


def verdict_label(code: str) -> str:
    """The label of a verdict in the current language: "Partly supported", « Partiellement confirmé »."""
    return label("verdicts", "verdict", code)


def _french() -> bool:
    return language() == "fr"


def _reason(row) -> str:
    return row["reason_fr"] if _french() else row["reason"]


def _section(row) -> str:
    return row["section_fr"] if _french() else row["section"]


def section_id(title: str) -> str:
    """The HTML id that Sphinx gives a section with this title.

    It follows docutils' ``make_id``: accents dropped, lower case, every run of
    other characters turned into one hyphen, and leading digits and hyphens
    removed (so "5. The arguments" becomes ``the-arguments``).
    """
    text = unicodedata.normalize("NFKD", title.replace("*", "").replace("`", ""))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return re.sub(r"^[^a-z]+", "", text)


def load_verdicts(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``verdicts.csv``, checked against the passages.

    Besides the schema's checks: every verdict names a passage of
    ``passages.csv``, and every passage has a verdict; the reason is one
    sentence. Rows come back in the order of the statement.

    That the section is a heading of the chapter it names (so that its link
    leads somewhere) needs the chapters' MyST sources, which the student pack
    does not ship: ``tests/test_verdicts.py`` checks it with the book's MyST
    parser (:mod:`bookbuild.myst`).
    """
    verdicts = load("verdicts", data)
    passages = load_passages(data)
    known = list(passages["id"])
    for index, row in verdicts.iterrows():
        if row["passage_id"] not in known:
            raise row_error("verdicts", index, "passage_id", f"no passage with id {row['passage_id']!r} in passages.csv", data)
        for column in ("reason", "reason_fr"):
            reason = str(row[column]).strip()
            if not reason.endswith(".") or _SENTENCE_BREAK.search(reason):
                raise row_error("verdicts", index, column, "must be one sentence, ending with a full stop", data)
    missing = [pid for pid in known if pid not in set(verdicts["passage_id"])]
    if missing:
        path = data_dir(data) / "verdicts.csv"
        raise DataError(display_path(path), None, "passage_id", f"passage(s) {', '.join(missing)} have no verdict")
    order = {pid: i for i, pid in enumerate(known)}
    return verdicts.sort_values("passage_id", key=lambda s: s.map(order)).reset_index(drop=True)


def verdict_counts(verdicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many passages got each verdict, in the order of :data:`VERDICTS` (labels in the current language)."""
    verdicts = load_verdicts() if verdicts is None else verdicts
    counts = verdicts["verdict"].value_counts()
    return pd.DataFrame({"verdict": [verdict_label(code) for code in VERDICTS],
                         "passages": [int(counts.get(code, 0)) for code in VERDICTS]})


def evidence_href(row, prefix: str = "") -> str:
    """The link to the section that shows a verdict's evidence.

    ``prefix`` is the way from the linking page to the chapters: ``""`` from a
    chapter, ``"chapters/"`` from a page at the top of the book. In the French
    edition the link leads to the French heading (``section_fr``); the French
    pages have the same paths as the English ones, so the prefix is the same.
    """
    return f"{prefix}{row['chapter']}.html#{section_id(_section(row))}"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _first_words(text, words: int) -> str:
    split = str(text).split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def _opening(row, words: int = 9) -> str:
    """The first words of a passage, as quoted on the board.

    In French: Durov's English as he wrote it (``lang="en"``), in « guillemets »;
    a passage no outlet carries in English is quoted in its published French
    (Lian News ABMedia's, else Journal du Coin's), never in our translation.
    """
    has_english = not pd.isna(row["en_original"])
    if _french():
        if has_english:
            return f'«\u00a0<span lang="en">{_e(_first_words(row["en_original"], words))}</span>\u00a0»'
        french = next(row[c] for c in ("fr_001", "fr_000") if not pd.isna(row[c]))
        return f"«\u00a0{_e(_first_words(french, words))}\u00a0»"
    english = row["en_original"] if has_english else row["en_ours"]
    text = _first_words(english, words)
    label = "" if has_english else " (our translation)"
    return f"“{_e(text)}”{label}"


def _badge(code: str) -> str:
    return f'<strong class="durov-verdict durov-verdict-{_e(code)}">{_e(verdict_label(code))}</strong>'


def verdict_board(data: str | Path | None = None) -> HTML:
    """The verdict board: every passage of the statement with its verdict.

    One row per passage, verdict first so that it stays in view on a phone,
    then the opening words of the passage (linked to the passage in the whole
    statement), the reason and the link to the evidence.
    """
    verdicts = load_verdicts(data)
    passages = load_passages(data).set_index("id")
    caption = tr("Verdicts on the {n} passages of the statement, as of {date}", n=len(verdicts), date=as_of_text(data))
    heads = "".join(f'<th scope="col">{_e(h)}</th>' for h in (tr("Verdict"), tr("Passage"), tr("Why"), tr("Evidence")))
    out = [f'<div class="durov-table" role="region" tabindex="0" aria-label="{_e(caption)}" style="overflow-x:auto;max-width:100%">',
           "<table>", f"<caption>{_e(caption)}</caption>", f"<thead><tr>{heads}</tr></thead>", "<tbody>"]
    for _, row in verdicts.iterrows():
        pid = row["passage_id"]
        out.append(
            f'<tr id="verdict-{_e(pid)}"><td>{_badge(row["verdict"])}</td>'
            f'<td><a href="statement_whole.html#passage-{_e(pid)}">{_e(pid)}</a> {_opening(passages.loc[pid])}</td>'
            f'<td>{_e(_reason(row))}</td>'
            f'<td><a href="{_e(evidence_href(row, "chapters/"))}">{_e(_section(row))}</a></td></tr>'
        )
    out.append("</tbody></table></div>")
    return HTML("\n".join(out))


def verdict_key() -> HTML:
    """The five verdicts and what each means, as a definition list."""
    items = "".join(f"<dt>{_badge(code)}</dt><dd>{_e(tr(MEANINGS[code]))}</dd>" for code in VERDICTS)
    return HTML(f'<dl class="durov-verdict-key">{items}</dl>')


def verdict_lines(chapter: str, data: str | Path | None = None) -> HTML:
    """The verdicts on the passages a chapter examines, folded until opened.

    Used in the "In two minutes" box at the top of each chapter. The passages
    are those whose evidence the chapter shows; the box ends with the counts
    for the whole statement and a link to the verdict board.
    """
    verdicts = load_verdicts(data)
    mine = verdicts[verdicts["chapter"] == chapter]
    if mine.empty:
        raise KeyError(f"no verdict points to the chapter {chapter!r}")
    passages = load_passages(data).set_index("id")
    lines = []
    for _, row in mine.iterrows():
        pid = row["passage_id"]
        colon = "\u00a0:" if _french() else ":"
        lines.append(f'<li>{_badge(row["verdict"])}{colon} <a href="../statement_whole.html#passage-{_e(pid)}">{_e(pid)}</a> '
                     f'{_opening(passages.loc[pid])}. {_e(_reason(row))} '
                     f'<a href="{_e(evidence_href(row))}">{_e(tr("See the evidence"))}</a>.</li>')
    counted = [tr("{n} {verdict}", n=n, verdict=name.lower()) for name, n in verdict_counts(verdicts).itertuples(index=False) if n]
    counts = ("\u00a0; " if _french() else ", ").join(counted)
    summary = tr("Our verdicts on the {n} passages this chapter examines (as of {date})" if len(mine) > 1 else
                 "Our verdicts on the {n} passage this chapter examines (as of {date})", n=len(mine), date=as_of_text(data))
    board = f'<a href="../verdicts.html">{_e(tr("The verdict board"))}</a>'
    return HTML(
        f'<details class="durov-verdicts" style="border-left:4px solid #0072B2;padding:0.2em 0 0.2em 0.9em;margin:0 0 1.2em 0">'
        f"<summary>{_e(summary)}</summary><ul>{''.join(lines)}</ul>"
        f"<p>{tr('All {n} passages of the statement: {counts}.', n=len(verdicts), counts=_e(counts))} "
        f"{tr('{board} lists them all.', board=board)}</p></details>"
    )
