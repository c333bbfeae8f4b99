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


def _bans(row) -> str:
    start = _date(row, "start_date", "start_precision")
    end_precision = str(row["end_precision"])
    if end_precision == "ongoing":
        when = f"from {start}, still in force"
    elif end_precision == "unknown":
        when = f"from {start} (end not known)"
    else:
        when = f"{start} to {format_date(row['end_date'], end_precision)}"
    return (f"{row['country']}, {when}: {_SCOPES[str(row['scope'])]}, ordered by {row['ordered_by']}. "
            f"Reason given: {row['stated_reason']}.")


def _case_events(row) -> str:
    return f"{_date(row, 'date', 'date_precision')}: {row['event']}"


def _charges(row) -> str:
    text = f"Offence {row['number']}: {row['offence_en_ours']} (our translation)."
    if _present(row["max_prison_years"]):
        text += f" At most {row['max_prison_years']} years in prison"
        text += f" and a fine of {_number(row['max_fine_eur'])} euros." if _present(row["max_fine_eur"]) else "."
    else:
        text += " No source in the data states its maximum sentence."
    return text


def _users(row) -> str:
    return (f"{format_date(row['date'])}: {_number(row['users_millions'])} million {row['metric']}, "
            f"announced by {row['announced_by']} ({row['venue']}).")


def _dsa_eu(row) -> str:
    text = f"{_date(row, 'date', 'date_precision')}, {row['figure_kind']}: {_number(row['recipients_millions'])} million ({row['published_by']})."
    if _present(row["wording"]):
        text += f" In its words: “{row['wording']}”."
    return text


def _investigations(row) -> str:
    return (f"{row['country']}, {_date(row, 'date', 'date_precision')}: {row['what_happened']} "
            f"({row['investigated_by']}). Outcome: {row['outcome']}.")


def _encryption(row) -> str:
    e2e = "end-to-end encrypted" if bool(row["end_to_end"]) else "not end-to-end encrypted"
    return (f"{row['chat_type']}: {e2e}; the keys are held by {_KEYS[str(row['keys_held_by'])]}; "
            f"kept in Telegram's cloud: {row['stored_in_telegram_cloud']}.")


def _policy_changes(row) -> str:
    text = f"{_date(row, 'date', 'date_precision')}, {DOCUMENT_LABELS[str(row['document'])]}: {row['change']}"
    if _present(row["wording_after"]):
        text += f" The new wording: “{row['wording_after']}”"
    return text


def _government_requests(row) -> str:
    text = (f"{row['country']}, {format_date(row['period_start'])} to {format_date(row['period_end'])}: "
            f"{_number(row['requests_fulfilled'])} requests fulfilled")
    if _present(row["users_affected"]):
        text += f", {_number(row['users_affected'])} users affected"
    return text + f" ({_REPORTED_VIA[str(row['reported_via'])]})."


def _moderation(row) -> str:
    period = str(row["period"])
    when = f"({format_date(pd.Timestamp(period))})" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period) else f"in {period}"
    return (f"{METRIC_LABELS[str(row['metric'])]} {when}: {_VALUE_KINDS[str(row['value_kind'])]}{_number(row['value'])}. "
            f"Reported {_date(row, 'reported_on', 'date_precision')}: {row['reported_by']}.")


def _verdicts(row) -> str:
    return f"The book's verdict on passage {row['passage_id']}: {VERDICTS[str(row['verdict'])]}. {row['reason']}"


#: How the back of a card writes one row of each data set it may use.
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


# The same lines in French. A free-text field is written in French where the
# data set carries its French twin (``<field>_fr``, our translation); a field
# the data holds only in English (a quotation, an outlet's wording) is quoted
# as written, marked by _en().

def _country_fr(row) -> str:
    return country_name(str(row["country"]), row.get("iso3"))


_SCOPES_FR = {"full": "un blocage total", "partial": "un blocage partiel",
              "multi-platform": "un blocage de plusieurs plateformes à la fois",
              "ordered-not-executed": "un blocage ordonné mais jamais appliqué"}


def _bans_fr(row) -> str:
    start = _date(row, "start_date", "start_precision")
    end_precision = str(row["end_precision"])
    if end_precision == "ongoing":
        when = f"début : {start}, toujours en vigueur"
    elif end_precision == "unknown":
        when = f"début : {start} (fin inconnue)"
    else:
        when = f"{start} – {format_date(row['end_date'], end_precision)}"
    return (f"{_country_fr(row)}, {when} : {_SCOPES_FR[str(row['scope'])]}, ordonné par {_fr(row, 'ordered_by')}. "
            f"Motif avancé : {_fr(row, 'stated_reason')}.")


def _case_events_fr(row) -> str:
    return f"{_date(row, 'date', 'date_precision')} : {_fr(row, 'event')}"


def _charges_fr(row) -> str:
    text = f"Infraction n° {row['number']} : {row['offence_fr']}."
    if _present(row["max_prison_years"]):
        text += f" Au plus {row['max_prison_years']} ans de prison"
        text += f" et {_number(row['max_fine_eur'])} euros d'amende." if _present(row["max_fine_eur"]) else "."
    else:
        text += " Aucune source des données n'indique sa peine maximale."
    return text


def _users_fr(row) -> str:
    return (f"{format_date(row['date'])} : {_number(row['users_millions'])} millions "
            f"({label('users', 'metric', row['metric'])}), annoncé par {_fr(row, 'announced_by')} ({_fr(row, 'venue')}).")


def _dsa_eu_fr(row) -> str:
    text = (f"{_date(row, 'date', 'date_precision')}, {label('dsa_eu', 'figure_kind', row['figure_kind'])} : "
            f"{_number(row['recipients_millions'])} millions ({_fr(row, 'published_by')}).")
    if _present(row["wording"]):
        text += f" Selon ses termes : « {_en(row['wording'])} »."
    return text


def _investigations_fr(row) -> str:
    return (f"{_country_fr(row)}, {_date(row, 'date', 'date_precision')} : {_fr(row, 'what_happened')} "
            f"({_fr(row, 'investigated_by')}). Issue : {_fr(row, 'outcome')}.")


def _encryption_fr(row) -> str:
    e2e = "chiffré de bout en bout" if bool(row["end_to_end"]) else "non chiffré de bout en bout"
    keys = "Telegram" if str(row["keys_held_by"]) == "telegram" else "les seuls appareils des utilisateurs"
    return (f"{row['chat_type_fr']} : {e2e} ; les clés sont détenues par {keys} ; conservé dans le cloud de "
            f"Telegram : {label('encryption', 'stored_in_telegram_cloud', row['stored_in_telegram_cloud'])}.")


def _policy_changes_fr(row) -> str:
    text = (f"{_date(row, 'date', 'date_precision')}, {label('policy_changes', 'document', row['document'])} : "
            f"{_fr(row, 'change')}")
    if _present(row["wording_after"]):
        text += f" La nouvelle formulation : « {_en(row['wording_after'])} »"
    return text


def _government_requests_fr(row) -> str:
    text = (f"{_country_fr(row)}, du {format_date(row['period_start'])} au "
            f"{format_date(row['period_end'])} : {_number(row['requests_fulfilled'])} demandes satisfaites")
    if _present(row["users_affected"]):
        text += f", {_number(row['users_affected'])} utilisateurs concernés"
    return text + f" ({label('government_requests', 'reported_via', row['reported_via'])})."


def _moderation_fr(row) -> str:
    period = str(row["period"])
    when = f"({format_date(pd.Timestamp(period))})" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period) else f"en {period}"
    kind = {"exact": "", "about": "environ ", "at_least": "au moins "}[str(row["value_kind"])]
    return (f"{label('moderation_2024', 'metric', row['metric'])} {when} : {kind}{_number(row['value'])}. "
            f"Publié le {_date(row, 'reported_on', 'date_precision')} : {_en(row['reported_by'])}.")


def _verdicts_fr(row) -> str:
    reason = row["reason_fr"] if _present(row.get("reason_fr")) else _en(row["reason"])
    return f"Le verdict du livre sur le passage {row['passage_id']} : {label('verdicts', 'verdict', row['verdict'])}. {reason}"


#: How the back of a French card writes one row of each data set.
FORMATS_FR = {
    "bans": _bans_fr,
    "case_events": _case_events_fr,
    "charges": _charges_fr,
    "users": _users_fr,
    "dsa_eu": _dsa_eu_fr,
    "investigations_2024": _investigations_fr,
    "encryption": _encryption_fr,
    "policy_changes": _policy_changes_fr,
    "government_requests": _government_requests_fr,
    "moderation_2024": _moderation_fr,
    "verdicts": _verdicts_fr,
}


def data_line(dataset: str, row) -> str:
    """One line of a card's back: the row ``row`` of ``dataset``, written in words, in the book's language."""
    return (FORMATS_FR if language() == "fr" else FORMATS)[dataset](row)


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
