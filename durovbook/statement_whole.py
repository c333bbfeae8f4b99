"""Durov's statement of 5 September 2024, whole, with its two French renderings.

One row per passage of ``passages.csv``: the English on one side, labelled with
the outlet that reproduces it (or as our translation where no outlet does), and
the French of the two seed articles on the other, each as published and tagged
``lang="fr"``. The two sides sit next to each other on a wide screen and one
after the other on a narrow one, without a media query: each column is a flex
item at least 16em wide, so they wrap when the page is narrower than two.

In the French edition (:mod:`durovbook.i18n`) the labels are French, Durov's
English stays English (``lang="en"``), and a passage no outlet carries in
English is given in its published French renderings only: the French edition
never shows our English translation.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .display import HTML, format_date
from .i18n import language, tr
from .passages import RENDERINGS, load_passages
from .paths import bib_path, data_dir
from .sources import load_sources
from .style import STATEMENT_DATE
from .verdicts import load_verdicts, verdict_label

_ROW = "display:flex;flex-wrap:wrap;gap:0.4em 1.5em;margin:0 0 1.1em 0;padding:0 0 0 0.9em;border-left:4px solid #0072B2"
_COLUMN = "flex:1 1 16em;min-width:0"
_LABEL = "margin:0.15em 0 0 0;font-size:0.85em"


def _french() -> bool:
    return language() == "fr"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _present(value) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def _outlet(source) -> str:
    name = f"<cite>{_e(source.outlet)}</cite>"
    return f'<a href="{_e(source.url)}">{name}</a>' if source.url else name


def whole_statement(data: str | Path | None = None) -> HTML:
    """Show the whole statement, passage by passage, English beside French.

    The English column reads as one continuous text. Each passage names the
    outlet whose copy it follows; a passage no outlet carries gives our
    translation, labelled as ours. The French column gives Lian News ABMedia's
    full translation and, where it quotes the passage, Journal du Coin's. A
    small line links each passage to its verdict.
    """
    passages = load_passages(data)
    sources = load_sources(bib_path(data_dir(data)))
    verdicts = load_verdicts(data).set_index("passage_id")
    out = ['<div class="durov-whole">']
    for _, row in passages.iterrows():
        pid = row["id"]
        if _present(row["en_original"]):
            english = (f'<blockquote lang="en" style="margin:0"><p>{_e(row["en_original"])}</p></blockquote>'
                       f'<p style="{_LABEL}">' + tr("As reproduced by {outlet}", outlet=_outlet(sources[row["en_source"]]))
                       + "</p>")
        elif _french():
            english = f'<p style="{_LABEL}">' + _e(tr("No English copy found: the statement's words are known here only in French")) + "</p>"
        else:
            english = (f'<p style="margin:0"><span lang="en">{_e(row["en_ours"])}</span></p>'
                       f'<p style="{_LABEL}"><strong>Our translation</strong> of the French: no English copy found</p>')
        french = []
        for column in ("fr_001", "fr_000"):
            if _present(row[column]):
                french.append(f'<blockquote lang="fr" style="margin:0"><p>{_e(row[column])}</p></blockquote>'
                              f'<p style="{_LABEL}">{_outlet(sources[RENDERINGS[column]])}</p>')
        verdict = verdict_label(verdicts.loc[pid, "verdict"])
        link = f'<a href="verdicts.html#verdict-{_e(pid)}">{_e(verdict)}</a>'
        out.append(
            f'<section class="durov-whole-passage" id="passage-{_e(pid)}" aria-label="{_e(tr("Passage {id}", id=pid))}" style="{_ROW}">'
            f'<div style="{_COLUMN}">{english}</div>'
            f'<div style="{_COLUMN}">{"".join(french)}</div>'
            f'<p style="{_LABEL};flex-basis:100%">{_e(pid)} · {tr("verdict: {link}", link=link)}</p></section>'
        )
    out.append("</div>")
    return HTML("\n".join(out))


_COLUMNS = "column-width:18em;column-gap:1.6em;font-size:0.92em;line-height:1.45"
_MARK = "font-size:0.75em;font-weight:700"


def _marked(pid: str, text: str, lang: str) -> str:
    return f'<span style="{_MARK}">[{_e(pid)}]</span> <span lang="{lang}">{_e(text)}</span>'


def statement_handout(data: str | Path | None = None) -> HTML:
    """The whole statement on one or two printed pages: the English, then both French renderings.

    A compact variant of :func:`whole_statement` for a handout. Each text runs
    on as one block, with each passage's id in brackets ([p01]) so a class can
    point to it. The English names, at its end, the outlet whose copy each
    passage follows; a passage no outlet carries in English is our
    translation, and says so. Then come Lian News ABMedia's full French
    translation and the passages Journal du Coin quotes, as published, tagged
    ``lang="fr"``. On paper and on a wide screen the texts flow in columns.
    In the French edition the English leaves out the passages no outlet carries
    in English (the French texts below give them) and the labels are French.
    """
    passages = load_passages(data)
    sources = load_sources(bib_path(data_dir(data)))
    english, outlets = [], {}
    for _, row in passages.iterrows():
        pid = row["id"]
        if _present(row["en_original"]):
            english.append(_marked(pid, row["en_original"], "en"))
            outlets.setdefault(sources[row["en_source"]].outlet, []).append(pid)
        elif not _french():
            english.append(_marked(pid, row["en_ours"], "en") + ' <em style="font-size:0.85em">(our translation)</em>')
    copies = "; ".join(f"<cite>{_e(outlet)}</cite> ({_e(', '.join(ids))})" for outlet, ids in outlets.items())
    if _french():
        english_note = tr("Pavel Durov, on his Telegram channel, {date}, as copied by news outlets. "
                          "The passages with no English copy are known only in French: read them below.",
                          date=format_date(STATEMENT_DATE, long=True))
    else:
        english_note = (f"Pavel Durov, on his Telegram channel, {format_date(STATEMENT_DATE, long=True)}, as copied by news "
                        'outlets. Where we found no English copy, the English is our translation of the French, marked '
                        '"our translation": do not quote it as his.')
    out = [f'<div class="statement-handout" style="{_COLUMNS}">',
           f'<section class="statement-handout-en" aria-label="{_e(tr("The statement in English"))}">',
           f'<p style="margin:0 0 0.4em 0"><strong>{_e(tr("English."))}</strong> {english_note}</p>',
           f'<p style="margin:0 0 0.4em 0">{" ".join(english)}</p>',
           f'<p style="margin:0 0 1em 0;font-size:0.85em">{tr("English copies followed: {copies}.", copies=copies)}</p></section>']
    for column, label in (("fr_001", tr("the whole statement, in its own translation")),
                          ("fr_000", tr("the passages it quotes"))):
        outlet = sources[RENDERINGS[column]].outlet
        texts = [_marked(row["id"], row[column], "fr") for _, row in passages.iterrows() if _present(row[column])]
        heading = tr("<strong>French, <cite>{outlet}</cite></strong>: {label}, as published.", outlet=_e(outlet), label=_e(label))
        out.append(f'<section class="statement-handout-fr" aria-label="{_e(tr("French, {outlet}", outlet=outlet))}">'
                   f'<p style="margin:0 0 0.4em 0">{heading}</p>'
                   f'<p style="margin:0 0 1em 0">{" ".join(texts)}</p></section>')
    out.append("</div>")
    return HTML("\n".join(out))
