"""Render passages of the statement and tables as accessible HTML.

The same HTML is shown on the website and in a running notebook, because both
display a cell's ``text/html`` output. French text always carries
``lang="fr"`` so that screen readers pronounce it correctly, and any English we
wrote ourselves is labelled "our translation".

Everything here writes in the current language (:mod:`durovbook.i18n`). In
the French edition, Durov's English stays English (``lang="en"``), labelled in
French; the French renderings stay as published; and where the English edition
gives our own English translation of a French-only passage, the French edition
shows the French renderings alone.

Naming rule for every module of the package: a function whose name ends in
``_table`` returns an :class:`HTML` table ready to show on the page (built with
:func:`table`). A function that returns the numbers or text behind a table, as
a pandas DataFrame a student can sort or filter, is named for what it holds
(``growth_steps``, ``status_summary``, ``verdict_counts``), never ``*_table``.
Dates are written by :func:`format_date`, at the precision they are known to.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .i18n import format_date, label, labels, language, tr, tr_given  # format_date is re-exported: durovbook.display.format_date
from .passages import CHAPTER_TITLES, RENDERINGS, english_sources, passage_row
from .paths import bib_path, data_dir
from .sources import load_sources

_BOX = "border-left:4px solid #0072B2;padding:0.2em 0 0.2em 0.9em;margin:1.2em 0"
_NOTE = "margin:0.2em 0 0 0;font-size:0.9em"

#: What each verification status of ``passages.csv`` means, in a sentence (in
#: English; :func:`verification` gives it in the current language, from ``data/labels.csv``).
VERIFICATION = {
    "english-confirmed": "The English words are the same in two or more outlets.",
    "english-one-outlet": "One outlet carries these English words; we found no second copy to compare.",
    "french-only": (
        "We found no outlet that carries the English words, so this book quotes "
        "the French renderings, with our translation."
    ),
}


def verification(status: str) -> str:
    """What a verification status of ``passages.csv`` means, in the current language."""
    return label("passages", "verification", status)


def _french() -> bool:
    return language() == "fr"


def _cell_text(value) -> str:
    """A cell's text: a number with a decimal comma in French ("1,5"), as is in English."""
    text = str(value)
    if _french() and isinstance(value, (float, int)) and not isinstance(value, bool):
        text = text.replace(".", ",")
    return text


def _in_french(frame: pd.DataFrame, column: str) -> pd.Series:
    """In French, a text column's French twin (``<column>_fr``) where the data has one, cell by cell.

    The data sets carry our French translation of some free-text fields
    (``stated_reason_fr``, ``what_happened_fr``...): the French edition shows
    it; a cell with no French keeps its English.
    """
    twin = f"{column}_fr"
    if not _french() or twin not in frame.columns:
        return frame[column]
    return frame[twin].where(frame[twin].map(_present), frame[column])


def _labelled(frame: pd.DataFrame, column: str) -> pd.Series:
    """In French, a column of category codes written with their French labels (``data/labels.csv``).

    A chapter's code cell may show a column of codes as they are in the data
    ("complicity in content or conduct crimes"); the French edition shows its
    label instead. The column is relabelled only when its name is a labelled
    field and every value is one of that field's codes, with one label each.
    """
    values = frame[column]
    if not _french() or column not in _LABELLED_FIELDS():
        return values
    present = {str(v) for v in values if _present(v)}
    for dataset, field in _LABELLED_FIELDS()[column]:
        found = {key[2]: texts["fr"] for key, texts in labels().items() if key[:2] == (dataset, field)}
        if present and present <= set(found):
            return values.map(lambda v: found[str(v)] if _present(v) else v)
    return values


def _LABELLED_FIELDS() -> dict[str, list[tuple[str, str]]]:
    fields: dict[str, list[tuple[str, str]]] = {}
    for dataset, field, _value in labels():
        if (dataset, field) not in fields.setdefault(field, []):
            fields[field].append((dataset, field))
    return fields


@dataclass
class HTML:
    """A piece of HTML that Jupyter and the book both display as HTML."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:  # plain-text fallback: the HTML without its tags
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.html)).strip()


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _link(source) -> str:
    name = f"<cite>{_e(source.outlet)}</cite>"
    return f'<a href="{_e(source.url)}">{name}</a>' if source.url else name


def _scroll_box(label: str) -> str:
    """The box around a table, which scrolls sideways when the table is wider than the page.

    On a phone a wide table scrolls inside this box. A keyboard user can only
    scroll a box that takes the focus, and a focusable region needs a name
    (WCAG 2.1.1; axe-core's rule ``scrollable-region-focusable``).
    """
    return (f'<div class="durov-table" role="region" tabindex="0" aria-label="{_e(label)}" '
            'style="overflow-x:auto;max-width:100%">')


#: A table with more columns than this reflows into one card per row on a phone.
CARD_COLUMNS = 3

#: The columns that say what a row is about, in order of preference: on a
#: phone the first of them that a table shows opens each card.
KEY_COLUMNS = ("verdict", "status", "category", "confidence", "scope")


def key_column(columns: list[str]) -> str:
    """The column that opens a row's card on a phone: a verdict, status or category, else the first.

    A column matches a key name when its name is that name or starts with it
    followed by ``_`` (``status_on_date``).
    """
    for key in KEY_COLUMNS:
        for column in columns:
            name = str(column).lower()
            if name == key or name.startswith(key + "_"):
                return column
    return columns[0]


def _css_string(text: str) -> str:
    return '"' + re.sub(r'[\\"<>\n]', lambda m: f"\\{ord(m.group(0)):x} ", text) + '"'


def _as_cards(out: list[str], names: list[str], labels: list[str]) -> list[str]:
    """Mark a table's box to read as one card per row on a phone (``_static/durovsite.css``).

    The cells stay plain ``<td>``: a small style sheet for this table alone,
    keyed on its box's id, writes each column's label before its cells
    (with empty alternative text, so a screen reader, which reads the column
    headers, does not hear them twice) and puts the key column first.
    """
    import hashlib

    body = "\n".join(out)
    uid = "durov-t" + hashlib.sha1(body.encode("utf-8")).hexdigest()[:10]
    key = names.index(key_column(names)) + 1
    rules = "".join(
        f"#{uid} td:nth-child({i})::before{{content:{_css_string(card_label(label) + ' ')};"
        f"content:{_css_string(card_label(label) + ' ')} / \"\"}}"
        for i, label in enumerate(labels, 1))
    rules += f"#{uid} td:nth-child({key}){{order:-1;font-weight:700}}"
    out[0] = out[0].replace('<div class="durov-table"', f'<div class="durov-table" id="{uid}" data-cards=""', 1)
    return [f"<style>@media (max-width: 600px){{{rules}}}</style>", *out]


def card_label(label: str) -> str:
    """A column's label as a card shows it before a value: "Country:", but "Confirmed?" as it is."""
    label = str(label).strip()
    if label.endswith(("?", ":", "!")):
        return label
    return label + ("\u00a0:" if _french() else ":")


def chapter_title(name: str) -> str | None:
    """Return the title of the chapter ``name`` (``chapters/<name>.md``), or ``None`` if there is none.

    The titles come from :data:`durovbook.passages.CHAPTER_TITLES` (in the
    current language, from ``data/labels.csv``), not from the chapter files,
    so a notebook of the student pack (which has no ``chapters/`` folder)
    links to the same chapters as the website.
    """
    return label("verdicts", "chapter", name) if name in CHAPTER_TITLES else None


def _present(value) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def passage(passage_id: str, data: str | Path | None = None) -> HTML:
    """Show one passage of Durov's statement of 5 September 2024.

    The passage is shown as the outlets published it: the English original
    where two or more outlets carry the same words, and the French renderings
    of the two seed articles. Each rendering names its outlet, with a link
    where the source has one. A French-only passage comes with our own English
    translation, labelled as such (in the French edition, the French renderings
    alone). If another chapter examines the claim, a link leads there.
    """
    row = passage_row(passage_id, data)
    sources = load_sources(bib_path(data_dir(data)))
    english = [sources[k] for k in english_sources(row["source"])]

    parts = [f'<div class="durov-passage" id="passage-{_e(passage_id)}" style="{_BOX}">']
    if _present(row["en_original"]):
        parts.append(f'<blockquote lang="en" style="margin:0"><p>{_e(row["en_original"])}</p></blockquote>')
        outlets = ", ".join(_link(s) for s in english)
        carried = (tr("in the same words in {outlets}", outlets=outlets) if len(english) > 1
                   else tr("as reproduced by {outlets}", outlets=outlets))
        parts.append(f'<p style="{_NOTE}">'
                     + tr("Pavel Durov, statement of 5 September 2024: the English original, {carried}.", carried=carried)
                     + "</p>")
    for column, key in RENDERINGS.items():
        if _present(row[column]):
            seed = sources[key]
            parts.append(f'<blockquote lang="fr" style="margin:0.8em 0 0 0"><p>{_e(row[column])}</p></blockquote>')
            parts.append(f'<p style="{_NOTE}">' + tr("French rendering published by {outlet}.", outlet=_link(seed)) + "</p>")
    if not _present(row["en_original"]) and _present(row["en_ours"]) and not _french():
        parts.append(
            f'<p style="margin:0.8em 0 0 0"><strong>Our translation</strong> of the French: '
            f"<span>{_e(row['en_ours'])}</span></p>"
        )
    notes = [_e(verification(str(row["verification"])))]
    if _present(row["examined_in"]):
        title = chapter_title(str(row["examined_in"]))
        if title:
            link = f'<a href="{_e(row["examined_in"])}.html">{_e(title)}</a>'
            notes.append(tr("Examined in the chapter {link}.", link=link))
    parts.append(f'<p style="margin:0.6em 0 0 0;font-size:0.9em">{" ".join(notes)}</p>')
    parts.append("</div>")
    return HTML("\n".join(parts))


def table(
    frame: pd.DataFrame,
    columns: dict[str, str] | list[str] | None = None,
    caption: str | None = None,
    lang: dict[str, str] | None = None,
    precision: str | None = None,
) -> HTML:
    """Show a DataFrame as an accessible HTML table.

    ``columns`` picks the columns to show, optionally renaming them
    (``{"date": "Date"}``). ``lang`` tags the cells of some columns with a
    language, for example ``{"offence_fr": "fr"}``. Dates are written by
    :func:`format_date` at the precision of their row's ``date_precision``
    column ("5 Sep 2024", or "Feb 2024" for ``month``), or at ``precision``
    for every row when it is given; missing values are an empty cell.

    A table of more than three columns reads as one card per row on a phone
    (``_static/durovsite.css``): each cell carries its column's label
    (``data-label``), and the key column (see :func:`key_column`) comes first.

    In French the caption and the columns' labels a chapter passes in English
    are translated (:func:`durovbook.i18n.tr_given`), and a column of category
    codes shows their French labels.
    """
    named = isinstance(columns, dict)  # labels given: translate them; column names shown as they are
    if columns is None:
        columns = {c: c for c in frame.columns}
    elif isinstance(columns, list):
        columns = {c: c for c in columns}
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"no such column(s): {', '.join(missing)}")
    lang = lang or {}
    if named:
        columns = {column: tr_given(text) for column, text in columns.items()}
    caption = tr_given(caption)
    if _french():
        frame = frame.assign(**{c: _in_french(frame, c) for c in columns})
        frame = frame.assign(**{c: _labelled(frame, c) for c in columns})
    out = [_scroll_box(caption or tr("Table")), "<table>"]
    if caption:
        out.append(f"<caption>{_e(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col">{_e(label)}</th>' for label in columns.values()) + "</tr></thead>")
    out.append("<tbody>")
    for _, record in frame.iterrows():
        cells = []
        for column in columns:
            value = record[column]
            if not _present(value):
                text = ""
            elif isinstance(value, pd.Timestamp):
                text = format_date(value, precision or str(record.get("date_precision", "day")))
            else:
                text = _cell_text(value)
            attr = f' lang="{_e(lang[column])}"' if column in lang and text else ""
            cells.append(f"<td{attr}>{_e(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    if len(columns) > CARD_COLUMNS:
        out = _as_cards(out, list(columns), list(columns.values()))
    out.append("</tbody></table></div>")
    return HTML("\n".join(out))


def passages(*passage_ids: str, data: str | Path | None = None) -> HTML:
    """Show several passages of the statement, one after the other."""
    return HTML("\n".join(passage(pid, data).html for pid in passage_ids))


def renderings(passage_id: str, data: str | Path | None = None) -> HTML:
    """Put the wordings of one passage side by side in a table.

    One row per version: the English original (if verified), then each seed
    article's French rendering, then our translation (not in the French
    edition, which has the French itself), each tagged with its language.
    Useful to compare how two outlets translated the same sentence.
    """
    row = passage_row(passage_id, data)
    sources = load_sources(bib_path(data_dir(data)))
    versions = []
    if _present(row["en_original"]):
        versions.append((tr("English original"), "en", row["en_original"]))
    for column, key in RENDERINGS.items():
        if _present(row[column]):
            versions.append((tr("French, {outlet}", outlet=sources[key].outlet), "fr", row[column]))
    if _present(row["en_ours"]) and not _french():
        versions.append(("Our translation", "en", row["en_ours"]))
    frame = pd.DataFrame(versions, columns=["version", "language", "wording"])
    caption = tr("The wordings of passage {id}", id=passage_id)
    out = [_scroll_box(caption), "<table>", f"<caption>{_e(caption)}</caption>",
           f'<thead><tr><th scope="col">{_e(tr("Version"))}</th><th scope="col">{_e(tr("Wording"))}</th></tr></thead>',
           "<tbody>"]
    for _, version in frame.iterrows():
        out.append(f'<tr><th scope="row">{_e(version["version"])}</th>'
                   f'<td lang="{version["language"]}">{_e(version["wording"])}</td></tr>')
    out.append("</tbody></table></div>")
    return HTML("\n".join(out))
