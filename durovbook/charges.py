"""The twelve offences of the French judicial investigation into Telegram.

``charges.csv`` holds one row per offence, in the order of the Paris
prosecutor's communiqué of 26 August 2024: the French wording as the outlets
reproduced it, our own English rendering, our grouping into four categories,
whether the offence is charged as complicity, and a maximum penalty only where
a cited source states one.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from .data import load, row_error, schema
from .display import HTML, table
from .case import plot_timeline, timeline_table
from .style import CYCLE, HATCHES, figure

#: What the chapter "Twelve offences" imports with ``from durovbook.charges import *``. The
#: case's timeline is drawn in this chapter, so its chart and table come from here too
#: (loading the events, shared with the chapter on the statement, comes from ``durovbook``).
__all__ = [
    "COMPLICITY_PREFIX", "categories", "charges_by_category", "load_charges", "max_penalty", "penalty_table",
    "plot_by_category", "plot_timeline", "side_by_side", "timeline_table",
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
    labels = [c[0].upper() + c[1:] for c in counts["category"]]
    y = list(range(len(counts)))[::-1]
    for i, (label, value) in enumerate(zip(labels, counts["offences"])):
        ax.barh(y[i], int(value), color=CYCLE[i % len(CYCLE)], hatch=HATCHES[i % len(HATCHES)],
                edgecolor="white", height=0.62)
        ax.annotate(str(int(value)), xy=(int(value), y[i]), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=10)
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.set_xlabel("Offences in the communiqué of 26 Aug 2024")
    ax.set_xlim(0, int(counts["offences"].max()) + 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    top = counts.iloc[0]
    ax.set_title(f"{int(top['offences'])} of the {len(charges)} offences:\n{textwrap.fill(str(top['category']), 48)}")
    return fig


def side_by_side(charges: pd.DataFrame, caption: str | None = None) -> HTML:
    """Show the offences with the French wording and our English side by side.

    The French column is tagged ``lang="fr"``; the English column is labelled
    as our rendering, because it is not an official translation.
    """
    return table(
        charges,
        {
            "number": "No.",
            "offence_fr": "The communiqué's wording (French)",
            "offence_en_ours": "Our English rendering",
            "category": "Category (ours)",
        },
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
            "number": "No.",
            "offence_fr": "Offence (French)",
            "max_prison_years": "Maximum prison (years)",
            "max_fine_eur": "Maximum fine (euros)",
            "source": "Sources",
        },
        caption=caption or f"Offences with a sourced maximum penalty: {len(known)} of {len(charges)}",
        lang={"offence_fr": "fr"},
    )
