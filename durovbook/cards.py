"""The evidence cards of the classroom kit, written from the data so that they never drift.

``data/cards.csv`` holds one row per card: its claim (the front), the data set
and the rows of it that bear on the claim, a caveat, and the sources the card
cites. The back of each card is written here, from those rows, at the time the
book is built: a corrected figure or date in a data set corrects its card.

The card's own words hold no figure. A digit in ``claim`` or ``caveat`` is
refused, so every number and date on a card comes from a data row (dates are
written by :func:`durovbook.display.format_date`). A card may cite only the
sources of its own rows, so it cannot name a source that the data, and the
chapter built on it, never use.

    >>> from durovbook.cards import evidence_cards
    >>> evidence_cards(["E1", "E2"])     # doctest: +SKIP

Each card is an ``<article class="evidence-card">`` with a front
(``evidence-card-front``) and a back (``evidence-card-back``) side by side, so
that a printed card can be cut out and folded along the dashed line.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .asof import as_of
from .data import load, row_error
from .display import HTML, format_date
from .i18n import country_name, format_number, label, language, tr
from .passages import RENDERINGS, load_passages
from .privacy import DOCUMENT_LABELS, METRIC_LABELS
from .paths import bib_path, data_dir
from .sources import load_sources, split_keys
from .verdicts import VERDICTS

__all__ = ["Card", "load_cards", "build_cards", "evidence_cards", "data_line", "as_of_line"]

#: The data set of the cards themselves.
CARDS = "cards"

_DIGIT = re.compile(r"\d")

# How the card writes a few coded values of the data sets.
_SCOPES = {"full": "a full block", "partial": "a partial block",
           "multi-platform": "a block of several platforms at once", "ordered-not-executed": "a block ordered but not carried out"}
_KEYS = {"telegram": "Telegram", "devices": "the users' devices only"}
_REPORTED_VIA = {"durov_post": "figures Durov posted", "transparency_bot": "Telegram's transparency bot"}
_VALUE_KINDS = {"exact": "", "about": "about ", "at_least": "at least "}

@dataclass(frozen=True)
class Card:
    """One evidence card: what its front and its back say, in plain text."""

    id: str
    topic: str
    claim: str
    passage_id: str | None
    passage: str | None          # the passage's words, as the front quotes them
    passage_note: str | None     # whose words: the outlet, or "our translation"
    dataset: str
    rows: tuple[str, ...]
    data: tuple[str, ...]        # one line per row, written from the row
    caveat: str
    sources: tuple[str, ...]     # short citations: outlet and date
    as_of: str                   # when the facts on the card were last checked

    lang: str = "en"             # the language the card is written in
    passage_lang: str = "en"     # the language of the passage it quotes

    def rows_label(self) -> str:
        """The rows the back is written from: "row p03", "rows secret_chat, group_call"."""
        return tr("row " if len(self.rows) == 1 else "rows ", self.lang) + ", ".join(self.rows)

    def text(self) -> str:
        """The whole card as plain text, front then back."""
        front = [f"{self.id} · {self.topic}", self.claim]
        if self.passage:
            front += [self.passage, self.passage_note or ""]
        back = [tr("The data:", self.lang), *map(_plain, self.data),
                tr("Data: {file}, {rows}", self.lang, file=f"{self.dataset}.csv", rows=self.rows_label()),
                tr("As of: ", self.lang) + self.as_of, tr("Source: ", self.lang) + " · ".join(self.sources),
                tr("Caveat: ", self.lang) + self.caveat]
        return "\n".join(front + back)


#: In the French edition a card's back quotes some fields of the data in the
#: English they are written in; these marks (Unicode private use) enclose such
#: a fragment, which the page tags ``lang="en"`` and plain text drops.
_EN_START, _EN_END = "\ue000", "\ue001"


def _en(text) -> str:
    """A fragment of the data written in English, marked as such in the French edition."""
    return f"{_EN_START}{text}{_EN_END}" if language() == "fr" else str(text)


def _fr(row, column: str) -> str:
    """A free-text field of a row for a French card: its French twin (``<column>_fr``), else the English, marked."""
    french = row.get(f"{column}_fr")
    return str(french) if _present(french) else _en(row[column])


def _plain(line: str) -> str:
    return line.replace(_EN_START, "").replace(_EN_END, "")


def _line_html(line: str) -> str:
    escaped = html.escape(line, quote=True)
    return escaped.replace(_EN_START, '<span lang="en">').replace(_EN_END, "</span>")


def _present(value) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def _number(value) -> str:
    """A count with thousands separators (15,578,753; in French 15 578 753); a whole number without decimals."""
    value = float(value)
    decimals = 0 if value.is_integer() else len(repr(value).split(".")[1])
    return format_number(value, decimals)


def _date(row, column: str, precision_column: str | None = None) -> str:
    precision = str(row[precision_column]) if precision_column and _present(row.get(precision_column)) else "day"
    return format_date(row[column], precision)


# How a card writes a few coded values of the data sets. A code no table names
# is written as the data has it (in French: as data/labels.csv names it).
_CODES = {
    "en": {("bans", "scope"): _SCOPES, ("encryption", "keys_held_by"): _KEYS,
           ("government_requests", "reported_via"): _REPORTED_VIA, ("moderation_2024", "value_kind"): _VALUE_KINDS,
           ("policy_changes", "document"): DOCUMENT_LABELS, ("moderation_2024", "metric"): METRIC_LABELS,
           ("verdicts", "verdict"): VERDICTS},
    "fr": {("bans", "scope"): {"full": "un blocage total", "partial": "un blocage partiel",
                               "multi-platform": "un blocage de plusieurs plateformes à la fois",
                               "ordered-not-executed": "un blocage ordonné mais jamais appliqué"},
           ("encryption", "keys_held_by"): {"telegram": "Telegram", "devices": "les seuls appareils des utilisateurs"},
           ("moderation_2024", "value_kind"): {"exact": "", "about": "environ ", "at_least": "au moins "}},
}

def _text(row, column: str) -> str:
    """A free-text field: as written in English; in French its twin (``<column>_fr``), else the English, marked."""
    return _fr(row, column) if language() == "fr" else str(row[column])


def _code(dataset: str, column: str, value) -> str:
    """A coded value as a card writes it (see _CODES)."""
    french = language() == "fr"
    table = _CODES["fr" if french else "en"].get((dataset, column))
    if table is not None:
        return table[str(value)]
    return label(dataset, column, value) if french else str(value)


def _country(row) -> str:
    return country_name(str(row["country"]), row.get("iso3")) if language() == "fr" else str(row["country"])


def _bans(row) -> str:
    start = _date(row, "start_date", "start_precision")
    end_precision = str(row["end_precision"])
    if end_precision == "ongoing":
        when = tr("from {start}, still in force", start=start)
    elif end_precision == "unknown":
        when = tr("from {start} (end not known)", start=start)
    else:
        when = tr("{start} to {end}", start=start, end=format_date(row["end_date"], end_precision))
    return tr("{country}, {when}: {scope}, ordered by {by}. Reason given: {reason}.",
              country=_country(row), when=when, scope=_code("bans", "scope", row["scope"]),
              by=_text(row, "ordered_by"), reason=_text(row, "stated_reason"))


def _case_events(row) -> str:
    return tr("{date}: {event}", date=_date(row, "date", "date_precision"), event=_text(row, "event"))


def _charges(row) -> str:
    offence = row["offence_fr"] if language() == "fr" else row["offence_en_ours"]
    text = tr("Offence {number}: {offence} (our translation).", number=row["number"], offence=offence)
    if _present(row["max_prison_years"]):
        text += tr(" At most {years} years in prison", years=row["max_prison_years"])
        text += tr(" and a fine of {fine} euros.", fine=_number(row["max_fine_eur"])) if _present(row["max_fine_eur"]) else "."
    else:
        text += tr(" No source in the data states its maximum sentence.")
    return text


def _users(row) -> str:
    return tr("{date}: {n} million {metric}, announced by {by} ({venue}).",
              date=format_date(row["date"]), n=_number(row["users_millions"]),
              metric=_code("users", "metric", row["metric"]), by=_text(row, "announced_by"), venue=_text(row, "venue"))


def _dsa_eu(row) -> str:
    text = tr("{date}, {kind}: {n} million ({by}).", date=_date(row, "date", "date_precision"),
              kind=_code("dsa_eu", "figure_kind", row["figure_kind"]), n=_number(row["recipients_millions"]),
              by=_text(row, "published_by"))
    if _present(row["wording"]):
        text += tr(" In its words: “{wording}”.", wording=_en(row["wording"]))
    return text


def _investigations(row) -> str:
    return tr("{country}, {date}: {what} ({by}). Outcome: {outcome}.",
              country=_country(row), date=_date(row, "date", "date_precision"),
              what=_text(row, "what_happened"), by=_text(row, "investigated_by"), outcome=_text(row, "outcome"))


def _encryption(row) -> str:
    e2e = tr("end-to-end encrypted") if bool(row["end_to_end"]) else tr("not end-to-end encrypted")
    return tr("{chat}: {e2e}; the keys are held by {keys}; kept in Telegram's cloud: {cloud}.",
              chat=_text(row, "chat_type"), e2e=e2e, keys=_code("encryption", "keys_held_by", row["keys_held_by"]),
              cloud=_code("encryption", "stored_in_telegram_cloud", row["stored_in_telegram_cloud"]))


def _policy_changes(row) -> str:
    text = tr("{date}, {document}: {change}", date=_date(row, "date", "date_precision"),
              document=_code("policy_changes", "document", row["document"]), change=_text(row, "change"))
    if _present(row["wording_after"]):
        text += tr(" The new wording: “{wording}”", wording=_en(row["wording_after"]))
    return text


def _government_requests(row) -> str:
    text = tr("{country}, {start} to {end}: {n} requests fulfilled", country=_country(row),
              start=format_date(row["period_start"]), end=format_date(row["period_end"]),
              n=_number(row["requests_fulfilled"]))
    if _present(row["users_affected"]):
        text += tr(", {n} users affected", n=_number(row["users_affected"]))
    return text + f" ({_code('government_requests', 'reported_via', row['reported_via'])})."


def _moderation(row) -> str:
    period = str(row["period"])
    when = (f"({format_date(pd.Timestamp(period))})" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period)
            else tr("in {period}", period=period))
    return tr("{metric} {when}: {kind}{n}. Reported {date}: {by}.",
              metric=_code("moderation_2024", "metric", row["metric"]), when=when,
              kind=_code("moderation_2024", "value_kind", row["value_kind"]), n=_number(row["value"]),
              date=_date(row, "reported_on", "date_precision"), by=_en(row["reported_by"]))


def _verdicts(row) -> str:
    return tr("The book's verdict on passage {passage}: {verdict}. {reason}", passage=row["passage_id"],
              verdict=_code("verdicts", "verdict", row["verdict"]), reason=_text(row, "reason"))


#: How the back of a card writes one row of each data set it may use (in the book's language).
FORMATS = {
    "bans": _bans,
    "case_events": _case_events,
    "charges": _charges,
    "users": _users,
    "dsa_eu": _dsa_eu,
    "investigations_2024": _investigations,
    "encryption": _encryption,
    "policy_changes": _policy_changes,
    "government_requests": _government_requests,
    "moderation_2024": _moderation,
    "verdicts": _verdicts,
}


def data_line(dataset: str, row) -> str:
    """One line of a card's back: the row ``row`` of ``dataset``, written in words, in the book's language."""
    return FORMATS[dataset](row)


def as_of_line(rows: pd.DataFrame, book_as_of: pd.Timestamp) -> str:
    """When the card's facts were last checked: the rows' own ``as_of`` dates, else the book's.

    A row's own date (that of its newest source) is given where it is older
    than the book's as-of date, with the row's id when the rows' dates differ.
    """
    if "as_of" not in rows.columns:
        return format_date(book_as_of)
    older = {i: d for i, d in rows["as_of"].items() if _present(d) and d < book_as_of}
    if not older:
        return format_date(book_as_of)
    groups: dict[str, list[str]] = {}
    for i in rows.index:
        groups.setdefault(format_date(older.get(i, book_as_of)), []).append(str(i))
    if len(groups) == 1:
        return next(iter(groups))
    return "; ".join(f"{date} ({', '.join(ids)})" for date, ids in groups.items())


def _short_citation(source) -> str:
    date = str(source.date)
    precision = {10: "day", 7: "month", 4: "year"}.get(len(date))
    if precision and re.fullmatch(r"\d{4}(-\d{2}){0,2}", date):
        date = format_date(pd.Timestamp(date + {"day": "", "month": "-01", "year": "-01-01"}[precision]), precision)
    return f"{source.outlet}, {date}" if date else source.outlet


def _tables(datasets, data) -> dict[str, pd.DataFrame]:
    """Each data set named, loaded (validated) and indexed by its primary key."""
    descriptor = json.loads((data_dir(data) / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {r["name"]: r.get("schema") for r in descriptor.get("resources", [])}
    tables = {}
    for dataset in dict.fromkeys(datasets):
        table = load(dataset, data)  # validates, and refuses a name the package lacks
        fields = json.loads((data_dir(data) / schemas[dataset]).read_text(encoding="utf-8"))
        key = fields.get("primaryKey", ["id"])
        tables[dataset] = table.set_index(key[0] if isinstance(key, list) else key, drop=False)
    return tables


def load_cards(data: str | Path | None = None, ids: list[str] | None = None) -> pd.DataFrame:
    """Load ``cards.csv``, checked against the data sets it points to (only the cards ``ids``, if given).

    Besides its schema: the claim and the caveat hold no digit (figures come
    from the rows); the passage is one of ``passages.csv``; every id of
    ``row_ids`` is a row of the card's data set; every source the card cites is
    a source of one of those rows. Any failure is a :class:`DataError` naming
    ``cards.csv``, the card's row and the column at fault.
    """
    cards = load(CARDS, data)
    if ids is not None:
        unknown = [i for i in ids if i not in set(cards["id"])]
        if unknown:
            raise KeyError(f"no evidence card {', '.join(map(repr, unknown))}; known: {', '.join(cards['id'])}")
        cards = cards[cards["id"].isin(ids)]
    passages = set(load_passages(data)["id"])
    tables = _tables(cards["dataset"], data)
    for index, card in cards.iterrows():
        for column in ("claim", "caveat", "claim_fr", "caveat_fr"):
            if _DIGIT.search(str(card[column])):
                raise row_error(CARDS, index, column,
                                "must hold no figure (no digit): every number and date on a card comes from its data rows", data)
        if _present(card["passage_id"]) and card["passage_id"] not in passages:
            raise row_error(CARDS, index, "passage_id", f"no passage {card['passage_id']!r} in passages.csv", data)
        dataset = str(card["dataset"])
        table = tables[dataset]
        ids = split_keys(card["row_ids"])
        for row_id in ids:
            if row_id not in table.index:
                raise row_error(CARDS, index, "row_ids", f"no row {row_id!r} in {dataset}.csv", data)
        cited = {k for row_id in ids for k in split_keys(table.loc[row_id, "source"])}
        for key in split_keys(card["source"]):
            if key not in cited:
                raise row_error(CARDS, index, "source",
                                f"{key!r} is not a source of the card's rows in {dataset}.csv: a card cites only what its data cites", data)
    return cards


def build_cards(data: str | Path | None = None, ids: list[str] | None = None) -> list[Card]:
    """Every card of ``cards.csv`` (or those whose ids are given), in order, with its back written from the data."""
    cards = load_cards(data, ids)
    sources = load_sources(bib_path(data_dir(data)))
    passages = load_passages(data).set_index("id")
    book_as_of = as_of(data)
    tables = _tables(cards["dataset"], data)
    lang = language()
    french = lang == "fr"
    built = []
    for _, card in cards.iterrows():
        dataset = str(card["dataset"])
        table = tables[dataset]
        ids = tuple(split_keys(card["row_ids"]))
        quote = note = None
        quote_lang = "en"
        pid = str(card["passage_id"]) if _present(card["passage_id"]) else None
        if pid:
            row = passages.loc[pid]
            if _present(row["en_original"]):
                quote, note = str(row["en_original"]), tr(
                    "Durov's statement, passage {id}, as reproduced by {outlet}", lang,
                    id=pid, outlet=sources[row["en_source"]].outlet)
            elif french:
                # the French edition quotes a French rendering as published, never a translation of ours
                column = next(c for c in RENDERINGS if _present(row[c]))
                quote, quote_lang = str(row[column]), "fr"
                note = f"Déclaration de Durov, passage {pid}, dans la version française publiée par {sources[RENDERINGS[column]].outlet}"
            else:
                quote, note = str(row["en_ours"]), f"Durov's statement, passage {pid}: our translation of the French"
        built.append(Card(
            id=str(card["id"]), topic=label(CARDS, "topic", card["topic"]), claim=str(card["claim_fr" if french else "claim"]),
            passage_id=pid, passage=quote, passage_note=note, dataset=dataset, rows=ids,
            data=tuple(data_line(dataset, table.loc[i]) for i in ids),
            caveat=str(card["caveat_fr" if french else "caveat"]), lang=lang, passage_lang=quote_lang,
            sources=tuple(_short_citation(sources[k]) for k in split_keys(card["source"])),
            as_of=as_of_line(table.loc[list(ids)], book_as_of),
        ))
    return built


def _e(text) -> str:
    return html.escape(str(text), quote=True)


_CARD = ("display:flex;flex-wrap:wrap;margin:0 0 1em 0;border:1px solid;border-radius:4px;"
         "break-inside:avoid;page-break-inside:avoid")
_SIDE = "flex:1 1 16em;min-width:0;padding:0.6em 0.8em"
_FOLD = "border-left:1px dashed"
_SMALL = "margin:0 0 0.4em 0;font-size:0.85em"


def _card_html(card: Card) -> str:
    lang = card.lang
    front = [f'<p class="evidence-card-id" style="{_SMALL}"><strong>{_e(card.id)}</strong> · {_e(card.topic)} · {_e(tr("front", lang))}</p>',
             f'<p class="evidence-card-claim" style="margin:0 0 0.5em 0;font-size:1.15em;font-weight:700">{_e(card.claim)}</p>']
    if card.passage:
        front.append(f'<blockquote class="evidence-card-passage" lang="{card.passage_lang}" style="margin:0 0 0.3em 0;font-size:0.9em">'
                     f'<p style="margin:0">“{_e(card.passage)}”</p></blockquote>'
                     f'<p style="{_SMALL}">{_e(card.passage_note)}</p>')
    data = "".join(f"<li>{_line_html(line)}</li>" for line in card.data)
    back = [f'<p class="evidence-card-id" style="{_SMALL}"><strong>{_e(card.id)}</strong> · {_e(tr("back", lang))}</p>',
            f'<p style="margin:0"><strong>{_e(tr("The data", lang))}</strong></p>',
            f'<ul class="evidence-card-data" style="margin:0.2em 0 0.4em 0;padding-left:1.2em;font-size:0.9em">{data}</ul>',
            f'<p class="evidence-card-rows" style="{_SMALL}">'
            + _e(tr("Data: {file}, {rows}. As of {date}.", lang, file="\ue002", rows=card.rows_label(), date=card.as_of)).replace(
                "\ue002", f"<code>{_e(card.dataset)}.csv</code>") + "</p>",
            f'<p class="evidence-card-source" style="{_SMALL}"><strong>{_e(tr("Source:", lang))}</strong> {_e(" · ".join(card.sources))}</p>',
            f'<p class="evidence-card-caveat" style="margin:0;font-size:0.9em"><strong>{_e(tr("Caveat:", lang))}</strong> {_e(card.caveat)}</p>']
    return (f'<article class="evidence-card" id="card-{_e(card.id)}" aria-label="{_e(tr("Evidence card {id}", lang, id=card.id))}" style="{_CARD}">'
            f'<div class="evidence-card-front" style="{_SIDE}">{"".join(front)}</div>'
            f'<div class="evidence-card-back" style="{_SIDE};{_FOLD}">{"".join(back)}</div></article>')


def evidence_cards(ids: list[str] | None = None, data: str | Path | None = None) -> HTML:
    """Show the evidence cards (all of them, or those whose ids are given), front beside back.

    On a wide screen and on paper each card's back sits to the right of its
    front, across a dashed fold line; on a phone it comes underneath.
    """
    cards = build_cards(data, ids)
    return HTML('<div class="evidence-cards">' + "\n".join(_card_html(c) for c in cards) + "</div>")
