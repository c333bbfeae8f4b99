"""The twelve offences of the French judicial investigation into Telegram.

``charges.csv`` holds one row per offence, in the order of the Paris
prosecutor's communiqué of 26 August 2024: the French wording as the outlets
reproduced it, our own English rendering, our grouping into four categories,
whether the offence is charged as complicity, and a maximum penalty only where
a cited source states one.

Everything here writes in the current language (:mod:`durovbook.i18n`). The
French edition shows the communiqué's French without our English rendering,
the categories' French labels (``data/labels.csv``) and the French columns of
``procedure_stages.csv`` (``who_fr``, ``not_the_same_as_fr``).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from .data import load, row_error, schema
from .display import HTML, table
from .case import latest_event, load_case_events, plot_timeline, timeline_table
from .display import format_date
from .i18n import label, language, tr
from .style import CYCLE, HATCHES, PALETTE, figure

#: The day of the Paris prosecutor's communiqué that lists the offences.
COMMUNIQUE_DATE = pd.Timestamp("2024-08-26")


def _french() -> bool:
    return language() == "fr"


def _category(value) -> str:
    return label("charges", "category", value)

#: What the chapter "Twelve offences" imports with ``from durovbook.charges import *``. The
#: case's timeline is drawn in this chapter, so its chart and table come from here too
#: (loading the events, shared with the chapter on the statement, comes from ``durovbook``).
__all__ = [
    "COMPLICITY_PREFIX", "categories", "charges_by_category", "load_charges", "max_penalty", "penalty_table",
    "plot_by_category", "plot_timeline", "side_by_side", "timeline_table",
    "load_procedure", "plot_procedure", "procedure_table",
]

#: The word that opens every complicity charge in the communiqué.
COMPLICITY_PREFIX = "Complicité"


def categories(data: str | Path | None = None) -> list[str]:
    """The four categories, in the order the schema lists them."""
    fields = {f["name"]: f for f in schema("charges", data)["fields"]}
    return list(fields["category"]["constraints"]["enum"])


def load_charges(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``charges.csv``: one row per offence, in the communiqué's order.

    Besides the schema's checks (types, the four categories, numbers from 1 to
    12 used once), the numbers must run from 1 without a gap, and a row is a
    complicity charge exactly when its French wording starts with
    "Complicité". A fine without a prison term is refused too: no source gives
    one alone, so it would be a typing slip.
    """
    charges = load("charges", data)
    ordered = charges.sort_values("number", kind="stable")
    for expected, (index, row) in enumerate(ordered.iterrows(), start=1):
        if int(row["number"]) != expected:
            raise row_error("charges", index, "number",
                            f"the offences must be numbered 1, 2, 3 ... without a gap; expected {expected} here "
                            f"(got {row['number']})", data)
    for index, row in charges.iterrows():
        starts = str(row["offence_fr"]).startswith(COMPLICITY_PREFIX)
        if bool(row["complicity"]) != starts:
            raise row_error("charges", index, "complicity",
                            f"must be true exactly when offence_fr starts with '{COMPLICITY_PREFIX}'", data)
        if pd.notna(row["max_fine_eur"]) and pd.isna(row["max_prison_years"]):
            raise row_error("charges", index, "max_prison_years",
                            "a sourced maximum fine needs the sourced maximum prison term beside it", data)
    return ordered.reset_index(drop=True)


def charges_by_category(charges: pd.DataFrame) -> pd.DataFrame:
    """Count the offences in each category, largest first.

    Returns one row per category (all four, even an empty one) with the
    number of offences, the share of the list in per cent, and the offences'
    numbers in the communiqué.
    """
    order = categories()
    total = len(charges)
    rows = []
    for category in order:
        numbers = sorted(int(n) for n in charges.loc[charges["category"] == category, "number"])
        rows.append({
            "category": category,
            "offences": len(numbers),
            "share_percent": round(100 * len(numbers) / total, 1) if total else 0.0,
            "numbers": ", ".join(str(n) for n in numbers),
        })
    frame = pd.DataFrame(rows)
    frame["rank"] = [order.index(c) for c in frame["category"]]
    frame = frame.sort_values(["offences", "rank"], ascending=[False, True], kind="stable")
    return frame.drop(columns="rank").reset_index(drop=True).astype(
        {"category": "string", "offences": "Int64", "share_percent": "float64", "numbers": "string"})


def plot_by_category(charges: pd.DataFrame):
    """Draw a horizontal bar chart of the offences per category.

    The title states the largest category and its count, computed from the
    data. Each bar has its own hatch so the chart reads in greyscale, and its
    count is written at its end. Returns the figure.
    """
    counts = charges_by_category(charges)
    if counts["offences"].sum() == 0:
        raise ValueError("there are no offences to plot")
    fig, ax = figure(width=8, height=3.8)
    labels = [_category(c)[0].upper() + _category(c)[1:] for c in counts["category"]]
    y = list(range(len(counts)))[::-1]
    for i, (label, value) in enumerate(zip(labels, counts["offences"])):
        ax.barh(y[i], int(value), color=CYCLE[i % len(CYCLE)], hatch=HATCHES[i % len(HATCHES)],
                edgecolor="white", height=0.62)
        ax.annotate(str(int(value)), xy=(int(value), y[i]), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=10)
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.set_xlabel(tr("Offences in the communiqué of {date}", date=format_date(COMMUNIQUE_DATE)))
    ax.set_xlim(0, int(counts["offences"].max()) + 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    top = counts.iloc[0]
    ax.set_title(tr("{n} of the {total} offences:\n{category}", n=int(top["offences"]), total=len(charges),
                    category=textwrap.fill(_category(top["category"]), 48)))
    return fig


def side_by_side(charges: pd.DataFrame, caption: str | None = None) -> HTML:
    """Show the offences with the French wording and our English side by side.

    The French column is tagged ``lang="fr"``; the English column is labelled
    as our rendering, because it is not an official translation. The French
    edition leaves our English out: its readers have the communiqué's words.
    """
    columns = {
        "number": tr("No."),
        "offence_fr": tr("The communiqué's wording (French)"),
        "offence_en_ours": "Our English rendering",
        "category": tr("Category (ours)"),
    }
    if _french():
        del columns["offence_en_ours"]
    return table(
        charges.assign(category=charges["category"].map(_category)),
        columns,
        caption=caption,
        lang={"offence_fr": "fr"},
    )


def max_penalty(charges: pd.DataFrame) -> pd.Series:
    """The heaviest maximum penalty among the offences, where a source gives one.

    Returns the row of that offence (number, wording, ``max_prison_years``,
    ``max_fine_eur``) with one more field, ``offences_with_penalty``: how many
    offences have a sourced penalty at all. Raises ``ValueError`` if none has.
    """
    known = charges[charges["max_prison_years"].notna()]
    if known.empty:
        raise ValueError("no offence has a sourced maximum penalty")
    top = known.sort_values(["max_prison_years", "number"], ascending=[False, True], kind="stable").iloc[0].copy()
    top["offences_with_penalty"] = len(known)
    return top


def penalty_table(charges: pd.DataFrame, caption: str | None = None) -> HTML:
    """Show the offences that have a sourced maximum penalty, heaviest first.

    The French wording is tagged ``lang="fr"``. Offences without a sourced
    penalty are left out: for them the data holds no figure at all.
    """
    known = charges[charges["max_prison_years"].notna()].sort_values(
        ["max_prison_years", "number"], ascending=[False, True], kind="stable")
    if known.empty:
        raise ValueError("no offence has a sourced maximum penalty")
    return table(
        known,
        {
            "number": tr("No."),
            "offence_fr": tr("Offence (French)"),
            "max_prison_years": tr("Maximum prison (years)"),
            "max_fine_eur": tr("Maximum fine (euros)"),
            "source": tr("Sources"),
        },
        caption=caption or tr("Offences with a sourced maximum penalty: {n} of {total}", n=len(known), total=len(charges)),
        lang={"offence_fr": "fr"},
    )


# --- The French procedure, as a flowchart ------------------------------------------


def _ids(value) -> list[str]:
    return [] if pd.isna(value) else [v.strip() for v in str(value).split(";") if v.strip()]


def load_procedure(data: str | Path | None = None, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load ``procedure_stages.csv``: the stages of the procedure, in order.

    Besides the schema: every id in ``leads_to`` names a stage of the file and
    comes at a later step, and every ``case_event`` is an event of
    ``case_events.csv`` (``events``, loaded from the same folder if not given).
    """
    stages = load("procedure_stages", data)
    events = load_case_events(data) if events is None else events
    steps = dict(zip(stages["id"], stages["step"]))
    for index, row in stages.iterrows():
        for target in _ids(row["leads_to"]):
            if target not in steps:
                raise row_error("procedure_stages", index, "leads_to", f"names no stage {target!r}", data)
            if steps[target] <= row["step"]:
                raise row_error("procedure_stages", index, "leads_to",
                                f"leads back to {target!r}, which is not a later step", data)
        if not pd.isna(row["case_event"]) and row["case_event"] not in set(events["id"]):
            raise row_error("procedure_stages", index, "case_event",
                            f"{row['case_event']!r} is not an event of case_events.csv", data)
    return stages.sort_values(["step", "id"], kind="stable").reset_index(drop=True)


def _reached(stages: pd.DataFrame, events: pd.DataFrame) -> dict[str, str]:
    """Each stage Durov's case has reached -> the date of its event, at the precision it is known to."""
    rows = events.set_index("id")
    return {row["id"]: format_date(rows.loc[row["case_event"], "date"], rows.loc[row["case_event"], "date_precision"])
            for _, row in stages.iterrows() if not pd.isna(row["case_event"]) and row["case_event"] in rows.index}


def plot_procedure(stages: pd.DataFrame, events: pd.DataFrame):
    """Draw the procedure as a flowchart, top to bottom, with Durov's case marked.

    A stage his case has reached (its ``case_event`` is in ``events``) is
    filled and dated; a stage not reached has a dashed outline. Under a
    stage's name, a line names its false friend ("Not an indictment"). A note
    marks the last stage reached, as of the newest event, while no outcome is
    reached. On a phone (``fig.phone``) the boxes are narrower and the note
    goes under the title. Returns the figure.
    """
    fig = _draw_procedure(stages, events, phone=False)
    fig.phone = lambda: _draw_procedure(stages, events, phone=True)
    return fig


def _draw_procedure(stages: pd.DataFrame, events: pd.DataFrame, phone: bool):
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    reached = _reached(stages, events)
    levels = sorted(stages["step"].unique())
    fig, ax = figure(width=3.0 if phone else 7.5, height=(1.4 + 1.5 * len(levels)) if phone else 1.0 + 1.35 * len(levels))
    big, small = (10, 9.5) if phone else (11, 10.5)
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.2, len(levels) * 1.35 + 0.1)
    ax.axis("off")
    where = {}
    for level, step in enumerate(levels):
        row_stages = stages[stages["step"] == step]
        width = (9.6 if phone else 6.2) if len(row_stages) == 1 else 4.6
        centres = [5.0 if phone else 4.1] if len(row_stages) == 1 else [2.45, 7.55][:len(row_stages)]
        for centre, (_, row) in zip(centres, row_stages.iterrows()):
            y = (len(levels) - 1 - level) * 1.35 + 0.65
            where[row["id"]] = (centre, y)
            done = row["id"] in reached
            ax.add_patch(FancyBboxPatch((centre - width / 2, y - 0.5), width, 1.0, boxstyle="round,pad=0.03",
                                        facecolor="#DCEBF7" if done else "white",
                                        edgecolor=PALETTE["blue"] if done else "#333333",
                                        linewidth=2.2 if done else 1.2, linestyle="-" if done else "--"))
            if _french():
                name = textwrap.fill(row["stage_fr"], 14 if width < 5 else 30) if phone else row["stage_fr"]
            elif phone:
                name = f"{textwrap.fill(row['stage_fr'], 14 if width < 5 else 30)}\n{row['stage_en_ours']}"
            elif width > 5:
                name = f"{row['stage_fr']}: {row['stage_en_ours'].lower()}"
            else:
                name = f"{row['stage_fr']}\n{row['stage_en_ours']}"
            ax.text(centre, y + 0.2, name, ha="center", va="center", fontsize=big, fontweight="bold")
            lines = [tr("Durov: {date}", date=reached[row["id"]]) if done else tr("Not reached")]
            friend = row["not_the_same_as_fr"] if _french() else row["not_the_same_as"]
            if not pd.isna(friend):
                lines.append(tr("Not {false_friend}", false_friend=str(friend).split(":")[0]))
            inline = width > 5 and not phone
            ax.text(centre, y - 0.26 if inline else y - 0.3, "   |   ".join(lines) if inline else "\n".join(lines),
                    ha="center", va="center", fontsize=small, color="#1a1a1a")
    for _, row in stages.iterrows():
        for target in _ids(row["leads_to"]):
            (x0, y0), (x1, y1) = where[row["id"]], where[target]
            ax.add_patch(FancyArrowPatch((x0, y0 - 0.53), (x1, y1 + 0.53), arrowstyle="-|>", mutation_scale=14,
                                         color="#333333", linewidth=1.3))
    outcomes = [s for s in stages["id"] if not _ids(stages.set_index("id").loc[s, "leads_to"])]
    if reached and not set(outcomes) & set(reached):
        # the newest stage reached, whose arrows lead to the outcomes not reached yet
        last = stages[stages["id"].isin(list(reached))].iloc[-1]["id"]
        x, y = where[last]
        newest = latest_event(events)
        when = format_date(newest["date"], newest["date_precision"])
        if phone:
            ax.set_title(tr("The French procedure, step by step\nDurov's case is at the last blue box:\n"
                            "no dismissal, no trial yet\n(as of {date})", date=when), loc="left", fontsize=10)
            return fig
        ax.annotate(tr("Durov's case\nis here:\nno dismissal,\nno trial yet\n(as of {date})", date=when), xy=(x + 3.15, y - 0.1),
                    xytext=(8.7, y + 0.2), ha="center", va="center", fontsize=10.5, color="#A63C00",
                    fontweight="bold", arrowprops={"arrowstyle": "-|>", "color": PALETTE["vermillion"],
                                                   "linewidth": 1.5})
    ax.set_title(tr("The French procedure, step by step"), loc="left")
    return fig


def procedure_table(stages: pd.DataFrame, events: pd.DataFrame | None = None) -> HTML:
    """The stages of :func:`plot_procedure` as a table, with the date Durov's case reached each.

    ``events`` defaults to ``case_events.csv``.
    """
    events = load_case_events() if events is None else events
    reached = _reached(stages, events)
    french = _french()
    shown = stages.assign(
        reached=[reached.get(s, tr("Not reached")) for s in stages["id"]],
        not_the_same_as=stages["not_the_same_as_fr" if french else "not_the_same_as"].fillna(""),
        who=stages["who_fr" if french else "who"],
    )
    columns = {"stage_fr": tr("Stage (French)"), "stage_en_ours": "In English (ours)", "who": tr("Who acts"),
               "not_the_same_as": tr("Not the same as"), "reached": tr("Durov's case")}
    if french:
        del columns["stage_en_ours"]
    return table(shown, columns, caption=tr("The French procedure, and where Durov's case stands"))
