"""Telegram's announced user counts, and the EU figures under the Digital Services Act.

Every figure in ``users.csv`` is a number that Telegram or Pavel Durov
*announced*; nobody audited it. The helpers here compute how fast those
announced numbers grew (:func:`growth`, :func:`cagr`, :func:`doubling_time`)
and give a labelled estimate between two announcements (:func:`estimate`).
An estimate is our arithmetic, never an announcement, and it says so.

Two rules cannot be written in a Table Schema, so :func:`load_users` and
:func:`load_dsa` check them here and raise :class:`~durovbook.errors.DataError`
through :func:`durovbook.data.row_error`:

* the milestones of ``users.csv`` come in strictly increasing date order;
* ``dsa_eu.csv`` holds exactly one legal threshold, its rows come in date
  order, and no row was checked (``as_of``) before its own date.

Everything here writes in the current language (:mod:`durovbook.i18n`):
tables, figures and the glued numbers (:func:`glue_numbers`), which the French
edition receives already written in French ("3,9"), to be quoted without a
format spec.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from .data import load, row_error
from .display import HTML, format_date, table
from .i18n import format_number, label, language, tr, translatable
from .style import PALETTE, STATEMENT_DATE, figure, mark_statement

__all__ = [
    "Estimate",
    "cagr",
    "doubling_time",
    "dsa_table",
    "steps_table",
    "users_table",
    "estimate",
    "glue_numbers",
    "growth",
    "growth_steps",
    "key_numbers",
    "load_dsa",
    "load_users",
    "metric_changes",
    "milestone",
    "plot_users",
    "vlop_threshold",
]

#: How far (in days) a date may lie from a milestone and still name it.
MATCH_DAYS = 62

_DAYS_PER_YEAR = 365.25

#: One marker shape per metric, so the wording stays visible without colour.
_METRIC_MARKERS = {
    "users": "s",
    "active users": "^",
    "monthly users": "D",
    "monthly active users": "o",
    "daily active users": "v",
}


def load_users(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``users.csv``: one row per announced milestone, in date order.

    The schema checks types, allowed metrics, non-negative figures and sources;
    this function adds the rule that each milestone comes after the previous
    one, so that growth between rows is always measured forwards in time.
    """
    users = load("users", data)
    dates = users["date"]
    for index in range(1, len(users)):
        if dates.iloc[index] <= dates.iloc[index - 1]:
            raise row_error(
                "users", index, "date",
                f"must come after the previous milestone ({dates.iloc[index - 1]:%Y-%m-%d}); "
                f"got {dates.iloc[index]:%Y-%m-%d}",
                data,
            )
    return users.reset_index(drop=True)


def load_dsa(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``dsa_eu.csv``: Telegram's EU disclosures and the DSA threshold.

    Read ``recipients_millions`` together with ``figure_kind``: on an
    ``upper bound`` row the number is the ceiling Telegram says it stays under
    ("significantly fewer than 45 million"), not a count.
    """
    dsa = load("dsa_eu", data)
    for index in range(1, len(dsa)):
        if dsa["date"].iloc[index] < dsa["date"].iloc[index - 1]:
            raise row_error("dsa_eu", index, "date", "rows must come in date order", data)
    for index, row in dsa.iterrows():
        if row["as_of"] < row["date"]:
            raise row_error("dsa_eu", index, "as_of", "cannot be earlier than the row's date", data)
    thresholds = dsa.index[dsa["figure_kind"] == "legal threshold"]
    if len(thresholds) != 1:
        where = thresholds[1] if len(thresholds) > 1 else len(dsa) - 1
        raise row_error("dsa_eu", where, "figure_kind",
                        f"the file needs exactly one 'legal threshold' row (found {len(thresholds)})", data)
    return dsa.reset_index(drop=True)


def vlop_threshold(dsa: pd.DataFrame) -> float:
    """The DSA's threshold for a very large online platform, in millions."""
    return float(dsa.loc[dsa["figure_kind"] == "legal threshold", "recipients_millions"].iloc[0])


def milestone(users: pd.DataFrame, when: str | pd.Timestamp) -> pd.Series:
    """Find one milestone by its ``id`` or by a date near its announcement.

    ``milestone(users, "users_2018_03")`` and ``milestone(users, "2018-03-01")``
    return the same row: a date picks the closest announcement, if one lies
    within two months of it. Otherwise the function refuses, rather than
    silently comparing the wrong years.
    """
    if isinstance(when, str) and when in set(users["id"]):
        return users[users["id"] == when].iloc[0]
    try:
        day = pd.Timestamp(when)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{when!r} is neither a milestone id nor a date") from exc
    gaps = (users["date"] - day).abs()
    nearest = gaps.idxmin()
    if gaps[nearest].days > MATCH_DAYS:
        known = ", ".join(f"{d:%Y-%m-%d}" for d in users["date"])
        raise ValueError(f"no milestone within {MATCH_DAYS} days of {day:%Y-%m-%d}; the announcements are: {known}")
    return users.loc[nearest]


def _pair(users: pd.DataFrame, start, end) -> tuple[pd.Series, pd.Series, float]:
    first, last = milestone(users, start), milestone(users, end)
    years = (last["date"] - first["date"]).days / _DAYS_PER_YEAR
    if years <= 0:
        raise ValueError(f"the end ({last['date']:%Y-%m-%d}) must come after the start ({first['date']:%Y-%m-%d})")
    return first, last, years


def growth(users: pd.DataFrame, start, end) -> pd.Series:
    """Compare two milestones: how many users were added, and how many times over.

    ``start`` and ``end`` are milestone ids or dates (see :func:`milestone`).
    The result also says whether both announcements counted the same thing
    (``same_metric``): if not, part of the "growth" may be a change of words.
    """
    first, last, years = _pair(users, start, end)
    return pd.Series(
        {
            "from": first["id"],
            "to": last["id"],
            "from_date": first["date"],
            "to_date": last["date"],
            "from_millions": float(first["users_millions"]),
            "to_millions": float(last["users_millions"]),
            "added_millions": float(last["users_millions"] - first["users_millions"]),
            "times": float(last["users_millions"] / first["users_millions"]),
            "years": round(years, 2),
            "same_metric": bool(first["metric"] == last["metric"]),
        },
        name="growth",
    )


def cagr(users: pd.DataFrame, start, end) -> float:
    """The compound annual growth rate between two milestones, as a fraction.

    It is the constant yearly rate that would take the first figure to the
    second: ``(end / start) ** (1 / years) - 1``. A result of 0.25 means the
    announced figure grew by 25 % a year on average.
    """
    first, last, years = _pair(users, start, end)
    return float((last["users_millions"] / first["users_millions"]) ** (1 / years) - 1)


def doubling_time(users: pd.DataFrame, start, end) -> float:
    """How many years the announced figure took, on average, to double.

    Computed from the compound growth between the two milestones:
    ``years * ln 2 / ln(end / start)``. Refuses if the figure did not grow,
    since a shrinking or flat figure never doubles.
    """
    first, last, years = _pair(users, start, end)
    ratio = last["users_millions"] / first["users_millions"]
    if ratio <= 1:
        raise ValueError(f"the figure did not grow from {first['id']} to {last['id']}, so it has no doubling time")
    return float(years * math.log(2) / math.log(ratio))


def growth_steps(users: pd.DataFrame) -> pd.DataFrame:
    """One row per step from a milestone to the next: years, growth and doubling time.

    ``added_per_year_millions`` is the growth in users (how many were added,
    per year); ``yearly_growth_pct`` is the growth in percent (the compound
    annual growth rate of the step). ``doubling_years`` is empty where the
    figure did not grow.
    """
    rows = []
    for (_, a), (_, b) in zip(users.iloc[:-1].iterrows(), users.iloc[1:].iterrows()):
        years = (b["date"] - a["date"]).days / _DAYS_PER_YEAR
        ratio = b["users_millions"] / a["users_millions"]
        rows.append({
            "from": a["date"],
            "to": b["date"],
            "from_millions": float(a["users_millions"]),
            "to_millions": float(b["users_millions"]),
            "years": round(years, 2),
            "added_per_year_millions": round((b["users_millions"] - a["users_millions"]) / years, 1),
            "yearly_growth_pct": round(100 * (ratio ** (1 / years) - 1), 1),
            "doubling_years": round(years * math.log(2) / math.log(ratio), 2) if ratio > 1 else None,
        })
    return pd.DataFrame(rows)


def metric_changes(users: pd.DataFrame) -> pd.DataFrame:
    """The milestones whose metric differs from the announcement before them.

    The first milestone is included: it sets the first wording. Each other row
    marks a place where the words changed, so the two figures on either side
    may not count the same thing.
    """
    changed = (users["metric"] != users["metric"].shift()).fillna(True).astype(bool)
    return users.loc[changed, ["id", "date", "users_millions", "metric", "wording"]].reset_index(drop=True)


@dataclass(frozen=True)
class Estimate:
    """A figure we computed between two announcements. It is not an announcement.

    ``kind`` is always ``"estimate"``; ``between`` names the two milestones it
    was interpolated from, and ``method`` says how.
    """

    date: pd.Timestamp
    users_millions: float
    between: tuple[str, str]
    kind: str = "estimate"
    method: str = translatable("log-linear interpolation between the surrounding announcements")

    def describe(self) -> str:
        """The estimate in one sentence, without its label."""
        return tr("about {n} million users on {date}, by {method} ({first} and {second}).",
                  n=format_number(self.users_millions), date=format_date(self.date, "day", long=True),
                  method=tr(self.method), first=self.between[0], second=self.between[1])

    def __str__(self) -> str:
        return f"{tr('Estimate, not an announcement:')} {self.describe()}"

    def _repr_html_(self) -> str:
        return (f'<p class="durov-estimate"><strong>{html.escape(tr("Estimate, not an announcement:"))}</strong> '
                f"{html.escape(self.describe())}</p>")


def estimate(users: pd.DataFrame, date: str | pd.Timestamp) -> Estimate:
    """Estimate the user count on a date between two announcements.

    The estimate assumes steady *percentage* growth between the milestone just
    before the date and the one just after it (log-linear interpolation). It
    refuses dates before the first or after the last announcement: nothing in
    the data says what happened there.
    """
    day = pd.Timestamp(date)
    first, last = users["date"].iloc[0], users["date"].iloc[-1]
    if day < first or day > last:
        raise ValueError(
            f"{day:%Y-%m-%d} is outside the announcements ({first:%Y-%m-%d} to {last:%Y-%m-%d}); "
            "an estimate there would be a guess, not an interpolation"
        )
    after = int((users["date"] >= day).to_numpy().argmax())
    b = users.iloc[after]
    if b["date"] == day:
        return Estimate(day, float(b["users_millions"]), (b["id"], b["id"]))
    a = users.iloc[after - 1]
    share = (day - a["date"]).days / (b["date"] - a["date"]).days
    log_value = math.log(a["users_millions"]) + share * (math.log(b["users_millions"]) - math.log(a["users_millions"]))
    return Estimate(day, float(math.exp(log_value)), (a["id"], b["id"]))


def _added_per_year(users: pd.DataFrame, start, end) -> float:
    g = growth(users, start, end)
    return g["added_millions"] / ((g["to_date"] - g["from_date"]).days / _DAYS_PER_YEAR)


def key_numbers(users: pd.DataFrame, dsa: pd.DataFrame) -> dict[str, float]:
    """The numbers the chapter "950 million" states, computed from the data.

    Returned as plain floats so that they can be glued into the text.
    """
    first, last = users.iloc[0], users.iloc[-1]
    jul24 = milestone(users, "users_2024_07")
    eu = dsa[dsa["figure_kind"] == "reported figure"].iloc[0]
    threshold = vlop_threshold(dsa)
    return {
        "users_n_milestones": float(len(users)),
        "users_first_millions": float(first["users_millions"]),
        "users_last_millions": float(last["users_millions"]),
        "users_times_overall": float(last["users_millions"] / first["users_millions"]),
        "users_cagr_overall_pct": 100 * cagr(users, first["id"], last["id"]),
        "users_doubling_overall": doubling_time(users, first["id"], last["id"]),
        "users_doubling_2014_2018": doubling_time(users, first["id"], "users_2018_03"),
        "users_doubling_2018_2024": doubling_time(users, "users_2018_03", "users_2024_07"),
        "users_cagr_2018_2024_pct": 100 * cagr(users, "users_2018_03", "users_2024_07"),
        "users_doubling_2021_2024": doubling_time(users, "users_2021_01", "users_2024_07"),
        "users_950_millions": float(jul24["users_millions"]),
        "users_950_added_since_900": float(growth(users, "users_2024_03", "users_2024_07")["added_millions"]),
        "users_950_cagr_pct": 100 * cagr(users, "users_2024_03", "users_2024_07"),
        "users_950_added_per_year": _added_per_year(users, "users_2024_03", "users_2024_07"),
        "users_added_per_year_2018_2021": _added_per_year(users, "users_2018_03", "users_2021_01"),
        "users_added_per_year_2021_2024": _added_per_year(users, "users_2021_01", "users_2024_07"),
        "users_estimate_statement_day": estimate(users, STATEMENT_DATE).users_millions,
        "users_n_metrics": float(users["metric"].nunique()),
        "users_n_metric_changes": float(len(metric_changes(users)) - 1),
        "eu_reported_millions": float(eu["recipients_millions"]),
        "eu_threshold_millions": threshold,
        "eu_gap_millions": threshold - float(eu["recipients_millions"]),
        "eu_share_of_world_pct": 100 * float(eu["recipients_millions"]) / estimate(users, eu["date"]).users_millions,
        "eu_world_estimate_feb24": estimate(users, eu["date"]).users_millions,
    }


def _glue_without_myst_nb(name: str, value, display: bool = True) -> None:
    """Record ``value`` under ``name`` as ``myst_nb.glue`` does, without myst-nb.

    A display_data output whose metadata names it (``scrapbook``), hidden
    unless ``display``: a notebook run in the student pack carries the same
    glued outputs as one the book's build runs.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show

    bundle, metadata = format_display_data(value)
    prefix = "" if display else "application/papermill.record/"
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    show({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


#: The decimals the chapter's prose writes each glued number with: the format
#: spec of its ``{glue:text}`` role in ``chapters/users.md`` (``.1f`` is 1).
#: ``tests/test_i18n.py`` checks it against the English chapter.
GLUE_DECIMALS = {
    "users_doubling_overall": 1, "users_doubling_2014_2018": 1, "users_doubling_2018_2024": 1,
    "users_doubling_2021_2024": 1, "eu_share_of_world_pct": 1,
}


def glue_numbers(numbers: Mapping[str, float], glue: Callable | None = None) -> list[str]:
    """Glue each number into the page (myst-nb), without showing it; return the names.

    The chapter's prose then quotes them with ``{glue:text}`name:.0f```, so a
    change in the data changes the text. ``glue`` is the gluing function; it
    defaults to ``myst_nb.glue`` (tests pass their own), or, where myst-nb is
    not installed (the student pack leaves it out), to a function that records
    the numbers exactly as it does.

    In French the numbers are glued as text already written in French, with
    the decimals of :data:`GLUE_DECIMALS` (0 for the others) and the French
    grouping: "3,9", "1 000". myst-nb formats a role's value with Python's
    ``format``, which can only write "3.9", so the French chapter quotes every
    number with no format spec: ``{glue:text}`users_doubling_2014_2018```.
    """
    if glue is None:
        try:  # imported here: only a notebook needs it
            from myst_nb import glue as glue
        except ImportError:
            glue = _glue_without_myst_nb
    french = language() == "fr"
    for name, value in numbers.items():
        glued = format_number(value, GLUE_DECIMALS.get(name, 0), "fr") if french else float(value)
        glue(name, glued, display=False)
    return list(numbers)


def _number(value) -> str:
    """Write a figure for a reader: 1,000 rather than 1000.0; empty if missing."""
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return format_number(value, 0 if value.is_integer() else 1)


def users_table(users: pd.DataFrame) -> HTML:
    """Show the milestones as an accessible table, figures written out."""
    french = language() == "fr"
    shown = users.assign(users_millions=users["users_millions"].map(_number),
                         metric=users["metric"].map(lambda v: label("users", "metric", v)),
                         confidence=users["confidence"].map(lambda v: label("users", "confidence", v)))
    if french:
        shown = shown.assign(announced_by=users["announced_by_fr"], venue=users["venue_fr"])
    return table(shown, {"date": tr("Announced"), "users_millions": tr("Millions"), "metric": tr("Metric as announced"),
                         "announced_by": tr("By"), "venue": tr("Where"), "confidence": tr("Confidence")},
                 caption=tr("Telegram's user counts, as announced"))


def steps_table(users: pd.DataFrame) -> HTML:
    """Show :func:`growth_steps` as an accessible table, figures written out."""
    steps = growth_steps(users)
    for column in ("from_millions", "to_millions", "added_per_year_millions", "yearly_growth_pct", "doubling_years"):
        steps[column] = steps[column].map(_number if column.endswith("millions") else
                                          (lambda v: "" if v is None or pd.isna(v) else format_number(v, 1)))
    return table(steps, {"from": tr("From"), "to": tr("To"), "from_millions": tr("Millions before"),
                         "to_millions": tr("Millions after"), "added_per_year_millions": tr("Added per year (millions)"),
                         "yearly_growth_pct": tr("Growth per year (%)"), "doubling_years": tr("Doubling time (years)")},
                 caption=tr("From one announcement to the next"))


def dsa_table(dsa: pd.DataFrame) -> HTML:
    """Show the EU disclosures and the DSA threshold, with how to read each number."""
    shown = dsa.assign(recipients_millions=dsa["recipients_millions"].map(_number),
                       figure_kind=dsa["figure_kind"].map(lambda v: label("dsa_eu", "figure_kind", v)))
    if language() == "fr":
        shown = shown.assign(published_by=dsa["published_by_fr"])
    return table(shown, {"date": tr("Date"), "recipients_millions": tr("Millions"), "figure_kind": tr("How to read the number"),
                         "wording": tr("Wording"), "published_by": tr("Published by")},
                 caption=tr("Telegram's EU figures under the Digital Services Act"), precision="month",
                 lang={"wording": "en"} if language() == "fr" else None)


def _g(value: float) -> str:
    """A number as ``:g`` writes it, with a decimal comma in French."""
    text = f"{value:g}"
    return text.replace(".", ",") if language() == "fr" else text


def _plural_fr(text: str, value: float) -> str:
    """French puts "million" and "milliard" in the plural from 2 on ("950 millions"); English never."""
    return text + "s" if language() == "fr" and value >= 2 else text


def _millions(value: float, _pos=None) -> str:
    """An axis tick: "500 M", "1 billion" ("1 milliard")."""
    if value >= 1000:
        return _plural_fr(tr("{n} billion", n=_g(value / 1000)), value / 1000)
    return f"{_g(value)} M"


def _millions_words(value: float) -> str:
    """A count in the title: "35 million", "1 billion" ("35 millions", "1 milliard")."""
    if value >= 1000:
        return _millions(value)
    return _plural_fr(tr("{n} million", n=_g(value)), value)


def plot_users(users: pd.DataFrame, log: bool = False):
    """Plot the announced user counts: one point per announcement.

    Filled points are confirmed, open points likely. Where the wording of the
    metric changes, the new wording is written beside the point. The dotted
    line only links the points in time order: nothing was measured between
    them. The statement of 5 September 2024 is marked. With ``log=True`` the
    vertical axis is logarithmic, so equal steps mean equal *percentage* growth.
    Returns the figure; it neither saves nor shows it.
    """
    fig, ax = figure(8, 5)
    ax.plot(users["date"], users["users_millions"], linestyle=":", color=PALETTE["grey"], linewidth=1.2, zorder=2)
    for metric in [m for m in _METRIC_MARKERS if m in set(users["metric"])]:
        for confidence, face in (("confirmed", PALETTE["blue"]), ("likely", "white")):
            rows = users[(users["metric"] == metric) & (users["confidence"] == confidence)]
            if len(rows):
                ax.scatter(rows["date"], rows["users_millions"], s=52, zorder=3, facecolor=face,
                           edgecolor=PALETTE["blue"], linewidth=1.6, marker=_METRIC_MARKERS[metric],
                           label=tr('"{metric}" ({confidence})', metric=label("users", "metric", metric),
                                    confidence=label("users", "confidence", confidence)))
    # Write the new wording beside each point where it changes, vertically, on
    # the side a rising series leaves empty: above the early points, below the
    # late ones.
    changes = metric_changes(users)
    middle = users["date"].iloc[0] + (users["date"].iloc[-1] - users["date"].iloc[0]) / 2
    for _, row in changes.iterrows():
        late = row["date"] > middle
        ax.annotate(
            tr('"{metric}"', metric=label("users", "metric", row["metric"])), xy=(row["date"], row["users_millions"]),
            xytext=(0, -12 if late else 12), textcoords="offset points", rotation=90,
            ha="center", va="top" if late else "bottom", fontsize=8, color=PALETTE["black"],
        )
    mark_statement(ax, y=0.35)
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(FixedLocator([20, 50, 100, 200, 500, 1000]))
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(FuncFormatter(_millions))
    ax.set_ylabel(tr("Users announced (log scale)") if log else tr("Users announced"))
    first, last = users.iloc[0], users.iloc[-1]
    floor = "over" in str(last["wording"])
    ax.set_title(
        tr("Announced users: {first} ({first_year}) to over {last} ({last_year})" if floor else
           "Announced users: {first} ({first_year}) to {last} ({last_year})",
           first=_millions_words(first["users_millions"]), first_year=f"{first['date']:%Y}",
           last=_millions_words(last["users_millions"]), last_year=f"{last['date']:%Y}"),
        loc="left",
    )
    ax.legend(loc="upper left", fontsize=8.5, title=tr("Metric as announced (open: likely)"), title_fontsize=8.5)
    ax.set_xlabel(tr("Date of the announcement"))
    return fig
