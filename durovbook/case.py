"""The French case against Pavel Durov, as a table of dated events.

``case_events.csv`` holds one row per dated step of the case, from the
preliminary investigation of early 2024 to the newest development the book has
verified. Some events are known only to the month (``date_precision`` is
``month``); they are stored on the first day of that month and always shown as
a month, never as a day.

Everything here writes in the current language (:mod:`durovbook.i18n`): the
French edition's tables and timelines use the French columns of the data
(``label_fr``, ``event_fr``, ``actor_fr``) and French dates.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd

from .data import load, row_error
from .display import HTML, format_date, table
from .i18n import axis_date_formatter, label, language, tr
from .style import PALETTE, figure, mark_statement

#: How each kind of event is drawn: colour and marker (the marker keeps the
#: kinds apart in greyscale). The legend's words are the kind's label in
#: ``data/labels.csv`` (``label`` here is the English one).
KIND_STYLE = {
    "procedure": {"color": PALETTE["blue"], "marker": "o", "label": "Step of the French case"},
    "statement": {"color": PALETTE["orange"], "marker": "D", "label": "Durov's statement"},
    "platform": {"color": PALETTE["green"], "marker": "s", "label": "Change to Telegram"},
}

_WEEKDAYS = {"en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
             "fr": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]}


def _text(events: pd.DataFrame, column: str) -> pd.Series:
    """A text column of the events in the current language: ``label`` or, in French, ``label_fr``."""
    return events[f"{column}_fr"] if language() == "fr" else events[column]


def _write_day(x, _pos, lang: str) -> str:
    from .i18n import month_name

    day = mdates.num2date(x)
    return f"{_WEEKDAYS[lang][day.weekday()]}\n{day.day:02d} {month_name(day.month, False, lang)}"


def _day_formatter():
    """Day ticks "Sat\n24 Aug" ("sam.\n24 août"): matplotlib's own follow the C locale, so are English only.

    A module-level function, not a closure: the phone drawing copies the
    figure with ``pickle`` (:func:`durovbook.style.phone_layout`).
    """
    import functools

    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(functools.partial(_write_day, lang=language()))


def load_case_events(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``case_events.csv``: one row per dated event, sorted by date.

    Events of the same day keep the order of the file, which is the order in
    which they happened. Besides the schema's checks, an event known only to
    the month must be stored on the first day of that month.
    """
    events = load("case_events", data)
    for index, row in events.iterrows():
        if row["date_precision"] == "month" and row["date"].day != 1:
            raise row_error("case_events", index, "date",
                            "an event known only to the month must be dated on the 1st of that month", data)
    return events.sort_values("date", kind="stable").reset_index(drop=True)


def events_as_of(events: pd.DataFrame, date: str | pd.Timestamp) -> pd.DataFrame:
    """Keep the events that had happened on or before ``date``.

    A student can ask "what did a reader know on 5 September 2024?" by
    passing that date. An event known only to the month counts from the first
    day of its month.
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


def when(events: pd.DataFrame) -> pd.Series:
    """Write each event's date as precisely as it is known.

    "8 Jul 2024" for an event known to the day, "Feb 2024" for one known only
    to the month.
    """
    return pd.Series([format_date(d, p) for d, p in zip(events["date"], events["date_precision"])],
                     index=events.index, dtype="string")


def latest_event(events: pd.DataFrame) -> pd.Series:
    """The newest event of the table: the "as of" point of the case."""
    if events.empty:
        raise ValueError("the table of events is empty")
    return events.sort_values("date", kind="stable").iloc[-1]


def timeline_table(events: pd.DataFrame, caption: str | None = None) -> HTML:
    """Show events as an accessible table: when, what happened, who acted, confidence."""
    shown = events.assign(when=when(events), event=_text(events, "event"), actor=_text(events, "actor"),
                          confidence=events["confidence"].map(lambda v: label("case_events", "confidence", v)))
    return table(
        shown,
        {"when": tr("Date"), "event": tr("What happened"), "actor": tr("Who acted"), "confidence": tr("Confidence")},
        caption=caption,
    )


def plot_timeline(events: pd.DataFrame, title: str | None = None):
    """Draw the case as a timeline, one event per row, oldest at the top.

    Each event is a marker at its date (a bar across the month when only the
    month is known), coloured and shaped by kind. The dashed line marks
    Durov's statement of 5 September 2024; the shaded band, when the table has
    both events, is the time he was barred from leaving France. Returns the
    figure.
    """
    if events.empty:
        raise ValueError("there are no events to plot")
    events = events.sort_values("date", kind="stable").reset_index(drop=True)
    unknown = sorted(set(events["kind"]) - set(KIND_STYLE))
    if unknown:
        raise ValueError(f"unknown kind(s) of event: {', '.join(unknown)}")
    n = len(events)
    fig, ax = figure(width=8.5, height=1.6 + 0.36 * n)
    y = list(range(n, 0, -1))

    ids = list(events["id"])
    if "controle_judiciaire" in ids and "travel_ban_lifted" in ids:
        start = events.loc[ids.index("controle_judiciaire"), "date"]
        end = events.loc[ids.index("travel_ban_lifted"), "date"]
        ax.axvspan(start, end, color=PALETTE["grey"], alpha=0.12, zorder=0,
                   label=tr("Barred from leaving France (fully or in part)"))

    for kind, style in KIND_STYLE.items():
        mask = events["kind"] == kind
        if not mask.any():
            continue
        rows = events[mask]
        ys = [y[i] for i in rows.index]
        ax.scatter(rows["date"], ys, color=style["color"], marker=style["marker"], s=46,
                   zorder=3, label=label("case_events", "kind", kind), edgecolor="white", linewidth=0.6)
        for i, row in rows.iterrows():
            if row["date_precision"] == "month":
                month_end = row["date"] + pd.offsets.MonthEnd(0)
                ax.plot([row["date"], month_end], [y[i], y[i]], color=style["color"],
                        linewidth=5, alpha=0.5, solid_capstyle="butt", zorder=2)

    ax.set_yticks(y)
    ax.set_yticklabels(_text(events, "label"), fontsize=9)
    ax.set_ylim(0.3, n + 0.9)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(axis_date_formatter(year=True))
    pad = pd.Timedelta(days=20)
    ax.set_xlim(events["date"].min() - pad, events["date"].max() + pad)
    mark_statement(ax, y=0.995)
    newest = latest_event(events)
    ax.set_title(title or tr("The French case, {first} to {last}", first=when(events).iloc[0], last=when(events).iloc[-1]))
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=8)
    newest_label = newest["label_fr"] if language() == "fr" else newest["label"]
    ax.set_xlabel(tr("Newest event in the data: {event}, {date}", event=newest_label, date=when(events).iloc[-1]), fontsize=9)
    return fig


def plot_days(events: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp,
              first: str = "detention_le_bourget", last: str = "mise_en_examen"):
    """Zoom the timeline on the days from ``start`` to ``end``, one column per day.

    Only events known to the day are drawn (a month-only event has no place on
    a day axis). An arrow spans the events ``first`` and ``last``, when both
    are shown, labelled with :func:`days_between`. Returns the figure.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"the end ({end:%Y-%m-%d}) comes before the start ({start:%Y-%m-%d})")
    shown = events[(events["date"] >= start) & (events["date"] <= end) & (events["date_precision"] == "day")]
    if shown.empty:
        raise ValueError(f"no event known to the day from {start:%Y-%m-%d} to {end:%Y-%m-%d}")
    shown = shown.sort_values("date", kind="stable").reset_index(drop=True)
    n = len(shown)
    fig, ax = figure(width=7.5, height=1.9 + 0.5 * n)
    y = list(range(n, 0, -1))
    for i, row in shown.iterrows():
        style = KIND_STYLE[row["kind"]]
        ax.scatter([row["date"]], [y[i]], color=style["color"], marker=style["marker"], s=70, zorder=3,
                   edgecolor="white", linewidth=0.6)
    ids = list(shown["id"])
    if first in ids and last in ids:
        a, b = shown.loc[ids.index(first), "date"], shown.loc[ids.index(last), "date"]
        ax.annotate("", xy=(b, 0.45), xytext=(a, 0.45), arrowprops={"arrowstyle": "<->", "color": "#333333"})
        ax.text(a + (b - a) / 2, 0.55, tr("{n} days", n=days_between(shown, first, last)), ha="center", va="bottom",
                fontsize=11, backgroundcolor="white")
    ax.set_yticks(y)
    ax.set_yticklabels(_text(shown, "label"), fontsize=11)
    ax.set_ylim(0.1, n + 0.6)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(mdates.DayLocator())
    ax.xaxis.set_major_formatter(_day_formatter())
    ax.tick_params(axis="x", labelsize=11)
    ax.set_xlim(start - pd.Timedelta(hours=12), end + pd.Timedelta(hours=12))
    ax.set_title(tr("{start} to {end}, day by day", start=format_date(start), end=format_date(end)), loc="left")
    return fig
