"""Where was Telegram banned, and when? The data behind the chapter "Banned".

``bans.csv`` holds one row per episode: a country blocked Telegram (fully,
partly, or as one of several platforms), or a court ordered a block that was
never carried out. This module loads it with extra checks, answers "which
episodes were in force on a given day?" and "what was each country's status
on that day?", and draws the map and the timeline.

Two rules decide what "in force" means:

- An episode is in force from its ``start_date`` to its ``end_date``. A
  month-precision end covers the whole month.
- With no end date, a source shows the episode in force up to ``as_of``. If
  it was ``ongoing`` at that date, the book assumes it still is, but marks the
  status *unverified* for any later day. If its end is ``unknown``, the book
  counts it in force only up to ``as_of``.

The shapes come from Natural Earth (1:110m) through the npm package
``world-atlas`` (``data/geo/countries-110m.json``). ``tools/project_shapes.py``
cut them at the 180° meridian and projected them to Equal Earth once, into
``data/geo/world_shapes.csv``, which this module reads and draws
with matplotlib alone (no geopandas). Nothing is fetched at run time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .data import _stamp, load, row_error
from .display import format_date
from .i18n import translatable, country_name, label, language, tr
from .paths import data_dir, display_path
from .errors import DataError
from .style import PALETTE, figure, mark_statement

from matplotlib.collections import PatchCollection
from matplotlib.path import Path as MplPath
from matplotlib.patches import PathPatch

__all__ = [
    "SCOPES",
    "STATUSES",
    "active_on",
    "brief_blocks",
    "country_status",
    "episodes_as_text",
    "load_bans",
    "load_investigations",
    "load_world",
    "map_control",
    "newest_source_date",
    "plot_map",
    "plot_timeline",
    "scope_counts",
    "status_as_of",
    "status_summary",
    "unverified_statuses",
]

#: The scopes of an episode, from the strongest to the weakest.
SCOPES = ["full", "partial", "multi-platform", "ordered-not-executed"]

#: The status of a country on a date, from the strongest to the weakest.
STATUSES = ["blocked", "partially blocked", "formerly blocked", "never executed", "none"]

#: Colour (Okabe–Ito) and hatch of each status on the map. The hatches keep the
#: categories apart in greyscale; the lightness also decreases with the status.
STATUS_STYLE = {
    "blocked": {"color": PALETTE["vermillion"], "hatch": ""},
    "partially blocked": {"color": PALETTE["orange"], "hatch": "////"},
    "formerly blocked": {"color": PALETTE["sky_blue"], "hatch": "...."},
    "never executed": {"color": PALETTE["yellow"], "hatch": "xxx"},
    "none": {"color": "#EEEEEE", "hatch": ""},
}

#: Colour and hatch of each scope on the timeline.
SCOPE_STYLE = {
    "full": {"color": PALETTE["vermillion"], "hatch": "", "marker": "s"},
    "partial": {"color": PALETTE["orange"], "hatch": "////", "marker": "^"},
    "multi-platform": {"color": PALETTE["blue"], "hatch": "....", "marker": "o"},
    "ordered-not-executed": {"color": PALETTE["yellow"], "hatch": "xxx", "marker": "X"},
}

_EDGE = "#333333"
#: The projection of the shapes in ``world_shapes.csv``, in metres.
EQUAL_EARTH = "EPSG:8857"
#: The largest |x| and |y| of the Equal Earth projection of the whole globe, in metres.
EQUAL_EARTH_LIMITS = (17_243_960, 8_392_928)


def _date(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def status_label(status: str) -> str:
    """A status of :data:`STATUSES` as the reader sees it, in the book's language (``data/labels.csv``)."""
    return label("bans", "status", status)


def scope_label(scope: str) -> str:
    """A scope of :data:`SCOPES` as the reader sees it, in the book's language (``data/labels.csv``)."""
    return label("bans", "scope", scope)


def _french_text(row, column: str):
    """A free-text field in the book's language: its French twin (``<column>_fr``) in French, where given."""
    french = row.get(f"{column}_fr") if language() == "fr" else None
    return french if isinstance(french, str) and french.strip() else row[column]


def _unaccented(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()


def _countries(frame: pd.DataFrame) -> pd.Series:
    """The ``country`` column in the book's language (:func:`durovbook.i18n.country_name`)."""
    if language() == "en":
        return frame["country"]
    return pd.Series([country_name(c, i) for c, i in zip(frame["country"], frame["iso3"])], index=frame.index)


def load_bans(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``bans.csv``, check it, and return one row per episode, by start date.

    Besides the schema's checks, a row fails with :class:`DataError` if its
    ``iso3`` is not an ISO 3166-1 alpha-3 code, if it ends before it starts, if
    its end date does not match ``end_precision`` (a date for ``day`` and
    ``month``, none for ``ongoing`` and ``unknown``), or if its ``as_of`` date
    comes before its start.

    Two columns are added: ``last_day``, the last day the episode is known to
    have been in force, and ``open_ended``, true for an ``ongoing`` episode.
    """
    bans = load("bans", data)
    codes = set(load("iso3166", data)["iso3"])
    for index, row in bans.iterrows():
        if row["iso3"] not in codes:
            raise row_error("bans", index, "iso3", f"unknown ISO 3166-1 alpha-3 code {row['iso3']!r}", data)
        has_end = not pd.isna(row["end_date"])
        if row["end_precision"] in ("day", "month") and not has_end:
            raise row_error("bans", index, "end_date", f"must be given when end_precision is {row['end_precision']!r}", data)
        if row["end_precision"] in ("ongoing", "unknown") and has_end:
            raise row_error("bans", index, "end_date", f"must be empty when end_precision is {row['end_precision']!r}", data)
        if has_end and row["end_date"] < row["start_date"]:
            raise row_error("bans", index, "end_date",
                            f"must not be before start_date ({row['end_date']:%Y-%m-%d} < {row['start_date']:%Y-%m-%d})", data)
        if row["as_of"] < row["start_date"]:
            raise row_error("bans", index, "as_of", "must not be before start_date", data)
    month_end = bans["end_date"] + pd.offsets.MonthEnd(0)
    last = bans["end_date"].where(bans["end_precision"] != "month", month_end)
    bans["last_day"] = last.where(last.notna(), bans["as_of"])
    bans["open_ended"] = (bans["end_precision"] == "ongoing").astype("boolean")
    return bans.sort_values(["start_date", "id"], kind="stable").reset_index(drop=True)


def load_investigations(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``investigations_2024.csv``: the 2024 probes in India, Indonesia and South Korea."""
    return load("investigations_2024", data).sort_values("date", kind="stable").reset_index(drop=True)


def newest_source_date(bans: pd.DataFrame) -> pd.Timestamp:
    """The date of the newest source in the data set: the latest ``as_of``."""
    return bans["as_of"].max()


def active_on(bans: pd.DataFrame, date, include_orders: bool = False) -> pd.DataFrame:
    """Return the episodes in force on ``date``.

    An ``ongoing`` episode stays in force after its ``as_of`` date; the column
    ``verified`` is false when ``date`` is later than that, because no source
    found confirms it. Orders that were never executed are left out unless
    ``include_orders`` is true.
    """
    day = _date(date)
    started = bans["start_date"] <= day
    running = (bans["last_day"] >= day) | bans["open_ended"].astype(bool)
    keep = started & running
    if not include_orders:
        keep &= bans["scope"] != "ordered-not-executed"
    out = bans[keep].copy()
    out["verified"] = (out["last_day"] >= day).astype("boolean")
    return out.reset_index(drop=True)


def status_as_of(bans: pd.DataFrame, date) -> pd.DataFrame:
    """Give each country of the data set its status on ``date``.

    The status is the strongest that applies:

    - ``blocked``: a full block is in force;
    - ``partially blocked``: a partial or multi-platform block is in force;
    - ``formerly blocked``: a block happened before, none is in force;
    - ``never executed``: only orders that were never carried out;
    - ``none``: nothing had happened yet.

    Columns: ``country``, ``iso3``, ``status``, ``episodes`` (the ids that set
    the status), ``since`` (their earliest start), ``verified_until`` (the
    newest ``as_of`` among them) and ``verified`` (false when the status rests
    on an ongoing episode that no source confirms on ``date``).
    """
    day = _date(date)
    active = active_on(bans, day)
    rows = []
    for iso3, episodes in bans.groupby("iso3", sort=True):
        country = episodes["country"].iloc[0]
        past = episodes[episodes["start_date"] <= day]
        executed = past[past["scope"] != "ordered-not-executed"]
        now = active[active["iso3"] == iso3]
        if (now["scope"] == "full").any():
            status, basis = "blocked", now[now["scope"] == "full"]
        elif len(now):
            status, basis = "partially blocked", now
        elif len(executed):
            status, basis = "formerly blocked", executed
        elif len(past):
            status, basis = "never executed", past
        else:
            status, basis = "none", episodes.iloc[0:0]
        in_force = status in ("blocked", "partially blocked")
        rows.append({
            "country": country,
            "iso3": iso3,
            "status": status,
            "episodes": ", ".join(basis["id"]),
            "since": basis["start_date"].min() if len(basis) else pd.NaT,
            "verified_until": basis["as_of"].max() if len(basis) else pd.NaT,
            "verified": bool(basis["verified"].all()) if in_force else True,
        })
    out = pd.DataFrame(rows)
    out["status"] = pd.Categorical(out["status"], categories=STATUSES, ordered=True)
    out["verified"] = out["verified"].astype("boolean")
    return out.sort_values(["status", "country"], kind="stable").reset_index(drop=True)


def status_summary(bans: pd.DataFrame, date) -> pd.DataFrame:
    """The data behind :func:`plot_map`, as a DataFrame to show with ``table()``.

    One row per country with a status other than ``none``, with the columns
    ``country``, ``status``, ``since`` (the start of the earliest episode
    behind the status, written "Feb 2016" when only the month is known),
    ``episodes`` and ``checked`` ("yes", or "no: newest source <date>" when
    the status is not confirmed on ``date``).
    """
    status = status_as_of(bans, date)
    status = status[status["status"] != "none"].copy()
    status["status"] = status["status"].astype(str)
    precision = bans.set_index("id")["start_precision"]
    starts = bans.set_index("id")["start_date"]
    status["since"] = [
        "" if not episodes else format_date(starts[first], precision[first])
        for episodes in status["episodes"]
        for first in [min(episodes.split(", "), key=lambda e: starts[e]) if episodes else None]
    ]
    status["checked"] = [
        tr("yes") if ok else tr("no: newest source {date}", date=format_date(until))
        for ok, until in zip(status["verified"], status["verified_until"])
    ]
    status["country"] = _countries(status)
    status["status"] = status["status"].map(status_label)
    return status[["country", "status", "since", "episodes", "checked"]].reset_index(drop=True)


def country_status(bans: pd.DataFrame, country: str, dates) -> pd.DataFrame:
    """The status of one country (name or ISO alpha-3 code) on each of ``dates``.

    Returns one row per date with the columns ``date``, ``status``,
    ``episodes`` and ``verified``.
    """
    known = bans[(bans["country"] == country) | (bans["iso3"] == country)]
    if known.empty:
        raise KeyError(f"no episode for {country!r} in the data set")
    iso3 = known["iso3"].iloc[0]
    rows = []
    for date in dates:
        row = status_as_of(bans, date).set_index("iso3").loc[iso3]
        rows.append({"date": _date(date), "status": status_label(row["status"]), "episodes": row["episodes"],
                     "verified": bool(row["verified"])})
    return pd.DataFrame(rows)


def unverified_statuses(bans: pd.DataFrame, date=None) -> pd.DataFrame:
    """The statuses that no source confirms on ``date`` (default: the newest source).

    These are countries shown as blocked or partially blocked because an
    episode was ongoing at its newest source, which is older than ``date``.
    """
    day = newest_source_date(bans) if date is None else _date(date)
    table = status_summary(bans, day)
    return table[table["checked"] != tr("yes")].reset_index(drop=True)


def episodes_as_text(bans: pd.DataFrame) -> pd.DataFrame:
    """The episodes as text, ready to show: one row per episode, by start date.

    ``start`` and ``end`` are written to their precision ("Feb 2016" when only
    the month is known). An open end reads "ongoing (newest source …)" or
    "unknown (last reported …)".
    """
    rows = []
    for _, row in bans.iterrows():
        if row["end_precision"] == "ongoing":
            end = tr("ongoing (newest source {date})", date=format_date(row["as_of"]))
        elif row["end_precision"] == "unknown" and row["as_of"] > row["start_date"]:
            end = tr("unknown (last reported {date})", date=format_date(row["as_of"]))
        elif row["end_precision"] == "unknown":
            end = tr("unknown")
        else:
            end = format_date(row["end_date"], row["end_precision"])
        rows.append({
            "id": row["id"], "country": row["country"], "scope": scope_label(row["scope"]),
            "start": format_date(row["start_date"], row["start_precision"]), "end": end,
            "ordered_by": _french_text(row, "ordered_by"), "stated_reason": _french_text(row, "stated_reason"),
            "confidence": label("bans", "confidence", row["confidence"]), "source": row["source"], "iso3": row["iso3"],
        })
    out = pd.DataFrame(rows)
    out["country"] = _countries(out)
    return out.drop(columns="iso3")


def scope_counts(bans: pd.DataFrame) -> pd.DataFrame:
    """Count episodes and countries by scope, strongest scope first."""
    grouped = bans.groupby("scope", observed=True)
    out = pd.DataFrame({"episodes": grouped.size(), "countries": grouped["iso3"].nunique()})
    out = out.reindex([s for s in SCOPES if s in out.index]).rename_axis("scope").reset_index()
    total = pd.DataFrame([{"scope": "all", "episodes": len(bans), "countries": bans["iso3"].nunique()}])
    out = pd.concat([out, total], ignore_index=True)
    out["scope"] = [tr("all") if s == "all" else scope_label(s) for s in out["scope"]]
    return out


SHAPES = "world_shapes"


def _ring(text: str, row: int, data) -> np.ndarray:
    """The points of one ring ("x y x y ..."), checked: closed, at least a triangle, on the globe."""
    try:
        xy = np.array(text.split(), dtype=np.int64).reshape(-1, 2)
    except (OverflowError, ValueError):
        raise row_error(SHAPES, row, "points", "must hold an even number of whole metres, each of at most 18 digits",
                        data) from None
    if len(xy) < 4 or (xy[0] != xy[-1]).any():
        raise row_error(SHAPES, row, "points", "a ring needs at least 4 points, the last repeating the first"
                        f" (got {len(xy)} point{'s' if len(xy) != 1 else ''})", data)
    limits = np.array(EQUAL_EARTH_LIMITS)
    outside = np.flatnonzero((np.abs(xy) > limits).any(axis=1))
    if len(outside):
        x, y = xy[outside[0]]
        raise row_error(SHAPES, row, "points", f"point {outside[0] + 1} ({x} {y}) lies outside the Equal Earth "
                        f"map of the globe (|x| <= {limits[0]}, |y| <= {limits[1]} metres)", data)
    return xy.astype(float)


@lru_cache(maxsize=2)
def _world(folder: str, stamp: tuple) -> pd.DataFrame:
    rings = load(SHAPES, folder)
    codes = load("iso3166", folder).set_index("iso_numeric")["iso3"]
    countries, seen = [], set()
    for index, row in rings.iterrows():
        key = ("" if pd.isna(row["id"]) else row["id"], row["name"])
        polygon, ring = int(row["polygon"]), int(row["ring"])
        new = not countries or countries[-1]["key"] != key
        if new:
            if key in seen:
                raise row_error(SHAPES, index, "name", f"the rings of {key[1]!r} must be on consecutive rows", folder)
            if key[0] and key[0] not in codes.index:
                raise row_error(SHAPES, index, "id", f"unknown ISO 3166-1 numeric code {key[0]!r}", folder)
            seen.add(key)
            countries.append({"key": key, "rings": [], "polygons": 0, "last": (-1, 0)})
        country = countries[-1]
        last_polygon, last_ring = country["last"]
        if polygon not in (last_polygon, last_polygon + 1):
            allowed = "0" if last_polygon < 0 else f"{last_polygon} or {last_polygon + 1}"
            raise row_error(SHAPES, index, "polygon", f"must be {allowed} (a country's polygons are numbered "
                            f"0, 1, 2 ... on consecutive rows; got {polygon})", folder)
        expected = 0 if polygon != last_polygon else last_ring + 1
        if ring != expected:
            raise row_error(SHAPES, index, "ring", f"must be {expected} (each polygon starts with its exterior, ring 0, "
                            f"then its holes 1, 2 ...; got {ring})", folder)
        country["last"] = (polygon, ring)
        country["rings"].append(_ring(row["points"], index, folder))
    return pd.DataFrame({
        "id": pd.array([c["key"][0] or pd.NA for c in countries], dtype="string"),
        "name": pd.array([c["key"][1] for c in countries], dtype="string"),
        "iso3": pd.array([codes.get(c["key"][0], pd.NA) for c in countries], dtype="string"),
        "path": [MplPath.make_compound_path(*[MplPath(r, closed=True) for r in c["rings"]]) for c in countries],
    })


def load_world(data: str | Path | None = None) -> pd.DataFrame:
    """Country shapes (Natural Earth 1:110m) in the Equal Earth projection, in metres.

    One row per country, in the order of the source: ``id`` (ISO 3166-1
    numeric, empty for a few disputed areas such as Kosovo or Somaliland),
    ``name``, ``iso3`` and ``path`` (a matplotlib ``Path`` holding every ring
    of the country, holes included). Antarctica is left out; polygons that
    cross the 180° meridian are cut there (``tools/project_shapes.py``).

    Raises :class:`DataError` naming the row and the column of
    ``world_shapes.csv`` that is malformed: a broken ring, a
    point off the globe, an unknown code, or rings out of order.
    """
    folder = data_dir(data)
    path = folder / "geo" / "world_shapes.csv"
    if not path.exists():
        raise DataError(display_path(path), None, None, "the country shapes are missing (see data/README.md)")
    # read afresh when the shapes or the codes change (as data.load does)
    return _world(str(folder.resolve()), (_stamp(folder, SHAPES), _stamp(folder, "iso3166"))).copy()


def _draw_countries(ax, part: pd.DataFrame, **style) -> PatchCollection:
    """Draw the countries of ``part`` as one collection, as geopandas used to (one patch per country)."""
    collection = PatchCollection([PathPatch(p) for p in part["path"]], **style)
    ax.add_collection(collection, autolim=True)
    ax.autoscale_view()
    return collection


#: A block in force for at most this many days in all is drawn as brief on the map.
BRIEF_DAYS = 31

#: Style of a block (full or partial) that lasts a few days: the status's
#: colour as a hatch on white, so a week-long block never looks like a
#: decade-long ban.
BRIEF_STYLE = {"color": "white", "hatch": "////"}


def brief_blocks(bans: pd.DataFrame, date) -> set[str]:
    """The countries blocked (fully or partly) on ``date`` by episodes that each last at most :data:`BRIEF_DAYS`.

    An episode still ongoing at its newest source, or with no known end, is never brief.
    """
    day = _date(date)
    active = active_on(bans, day)
    out = set()
    for iso3, episodes in active.groupby("iso3"):
        ended = episodes["end_precision"].isin(["day", "month"])
        days = (episodes["last_day"] - episodes["start_date"]).dt.days + 1
        if ended.all() and (days <= BRIEF_DAYS).all():
            out.add(iso3)
    return out


def _map_categories(bans, day, world):
    status = status_as_of(bans, day).set_index("iso3")
    brief = brief_blocks(bans, day)
    world["status"] = world["iso3"].map(status["status"].astype(str)).fillna("none")
    world["brief"] = world["iso3"].isin(brief)
    return status, brief


def plot_map(bans: pd.DataFrame, date, data: str | Path | None = None):
    """Draw the world map of Telegram's status on ``date``; return the Figure.

    Each status has its own colour and hatch (see ``STATUS_STYLE``), so the
    legend reads in greyscale and for colour-blind readers. A block that lasts
    a few days (see :func:`brief_blocks`) is drawn hatched on white, apart
    from a lasting one. The title carries the date; a note under the map names
    the countries whose status no source confirms on that date. Countries too
    small for the 1:110m shapes (such as Bahrain) do not appear: the table of
    :func:`status_summary` lists them. On a phone the book shows the drawing of
    ``_draw_map(..., phone=True)``: the legend and notes under the map, in
    larger type.
    """
    fig = _draw_map(bans, date, data, phone=False)
    fig.phone = lambda: _draw_map(bans, date, data, phone=True)
    return fig


def _draw_map(bans, date, data, phone: bool):
    day = _date(date)
    world = load_world(data)
    status, brief = _map_categories(bans, day, world)
    small = 9.5 if phone else 9
    if phone:
        fig = plt_figure_grid(3.0, 5.6)
        ax, key = fig.axes
        key.set_axis_off()
    else:
        fig, ax = figure(9, 5.0)
        key = ax
    ax.set_axis_off()
    ax.set_aspect("equal")
    handles = []
    for name in STATUSES:
        style = STATUS_STYLE[name]
        count = int((status["status"] == name).sum()) if name != "none" else None
        briefs = sum(1 for c in brief if c in status.index and status.loc[c, "status"] == name)
        # "none" would read as "no country": grey means no episode in our sources.
        label = tr("no block recorded") if count is None else f"{status_label(name)} ({count - briefs})"
        if count is None or count - briefs or not briefs:
            handles.append(Patch(facecolor=style["color"], hatch=style["hatch"], edgecolor=_EDGE, linewidth=0.6,
                                 label=label))
        if briefs:
            handles.append(Patch(facecolor=BRIEF_STYLE["color"], hatch=BRIEF_STYLE["hatch"], edgecolor=style["color"],
                                 linewidth=1.2, label=tr("{status} for {days} days or less ({count})",
                                                         status=status_label(name), days=BRIEF_DAYS, count=briefs)))
        for short in (False, True):
            part = world[(world["status"] == name) & (world["brief"] == short)]
            if part.empty:
                continue
            face, hatch, edge = ((BRIEF_STYLE["color"], BRIEF_STYLE["hatch"], style["color"]) if short
                                 else (style["color"], style["hatch"], "#555555"))
            # Without antialiasing the PNG is about half as heavy; at 1:110m the
            # borders stay legible.
            collection = _draw_countries(ax, part, facecolor=face, hatch=hatch, edgecolor=edge,
                                         linewidth=0.8 if short else 0.3, antialiased=False)
            collection.set_gid(name + (" brief" if short else ""))
            collection.iso3 = list(part["iso3"])
    title = tr("Telegram blocked by governments, as of {date}", date=format_date(day))
    if phone:
        fig.suptitle(tr("Telegram blocked by governments,\nas of {date}", date=format_date(day)), x=0.02, ha="left",
                     fontsize=11, fontweight="bold")
    else:
        ax.set_title(title, loc="left")
    key.legend(handles=handles, loc="upper left" if phone else "lower left", fontsize=small,
               title=tr("Status of the country"), title_fontsize=small)
    status = status.assign(country=_countries(status.reset_index()).to_numpy())
    unverified = status[~status["verified"].astype(bool)]
    notes = [tr("Not confirmed by a source on this date: ") + ", ".join(
        tr("{country} (newest source {date})", country=c, date=format_date(u))
        for c, u in zip(unverified["country"], unverified["verified_until"]))
             if len(unverified) else tr("Every status shown is confirmed by a source on this date.")]
    hidden = status[(status["status"] != "none") & ~status.index.isin(world["iso3"])]
    if len(hidden):
        notes.append(tr("Too small to draw at this scale: ") + ", ".join(
            f"{c} ({status_label(s)})" for c, s in zip(hidden["country"], hidden["status"].astype(str))) + ".")
    if phone:
        import textwrap

        fig.supxlabel("\n".join(textwrap.fill(n, 40) for n in notes), x=0.02, ha="left", fontsize=small)
    else:
        fig.text(0.01, 0.01, "\n".join(notes), fontsize=8, ha="left", va="bottom", wrap=True)
    return fig


def plt_figure_grid(width: float, height: float):
    """A figure in the book's style with a map above and its legend below (for phones)."""
    fig, _ax = figure(width, height)
    _ax.remove()
    grid = fig.add_gridspec(2, 1, height_ratios=[1.1, 1])
    fig.add_subplot(grid[0])
    fig.add_subplot(grid[1])
    return fig


def plot_timeline(bans: pd.DataFrame, end=None):
    """Draw the episodes as a Gantt chart, one line per episode; return the Figure.

    Bars are coloured and hatched by scope. A bar runs from the start to the
    last day a source shows the episode in force; an arrow marks an episode
    still ongoing at its newest source, a question mark one whose end no
    source gives. A marker of the scope's colour and shape marks each start,
    so that blocks of a few days stay visible. The dashed line is the statement's date, 5 September 2024.
    """
    episodes = bans.assign(country=_countries(bans))
    # by the name the reader sees, accents aside ("Éthiopie" between "Espagne" and "Inde")
    episodes = episodes.sort_values(["country", "start_date"], kind="stable",
                                    key=lambda c: c.map(_unaccented) if c.name == "country" else c)
    episodes = episodes.reset_index(drop=True)
    right = _date(end) if end is not None else newest_source_date(bans) + pd.Timedelta(days=120)
    fig, ax = figure(9, 0.28 * len(episodes) + 1.6)
    labels = []
    for y, row in episodes.iterrows():
        style = SCOPE_STYLE[row["scope"]]
        start, last = row["start_date"], row["last_day"]
        width = (last - start) + pd.Timedelta(days=1)
        ax.barh(y, width, left=start, height=0.6, color=style["color"], hatch=style["hatch"],
                edgecolor=_EDGE, linewidth=0.5, zorder=2)
        ax.plot([start], [y], marker=style["marker"], markersize=7, markerfacecolor=style["color"],
                markeredgecolor=_EDGE, markeredgewidth=0.8, zorder=3, linestyle="none")
        if row["end_precision"] == "ongoing":
            ax.annotate("", xy=(right, y), xytext=(last, y),
                        arrowprops={"arrowstyle": "->", "color": _EDGE, "linestyle": ":", "linewidth": 1}, zorder=2)
        elif row["end_precision"] == "unknown":
            ax.text(last + pd.Timedelta(days=40), y, "?", va="center", fontsize=9, fontweight="bold", color=_EDGE)
        labels.append(f"{row['country']}, {format_date(row['start_date'], 'month')}")
    ax.set_yticks(range(len(episodes)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp("2015-01-01"), right)
    ax.grid(axis="y", visible=False)
    mark_statement(ax, y=0.995)
    ax.set_title(tr("Episodes of blocking, by scope (bar: in force according to the sources)"), loc="left", fontsize=11)
    handles = [(Patch(facecolor=s["color"], hatch=s["hatch"], edgecolor=_EDGE),
                Line2D([], [], marker=s["marker"], markerfacecolor=s["color"], markeredgecolor=_EDGE, linestyle="none"))
               for s in SCOPE_STYLE.values()]
    ax.legend(handles=handles, labels=[scope_label(s) for s in SCOPE_STYLE],
              handler_map={tuple: HandlerTuple(ndivide=None, pad=0.6)},
              loc="lower left", fontsize=8, title=tr("Scope (bar and start marker)"), title_fontsize=8)
    return fig



def map_control(bans: pd.DataFrame, date=None):
    """A date control for the page: each country's status on any date, without Python.

    Returns HTML: a table of every country of the data set with its status on
    ``date`` (default: the newest source) and whether a source confirms it,
    computed here as :func:`status_as_of` does; the episodes, as JSON; and a
    small script (``mapcontrol.js``, no request to any other host) that shows
    a date field and redraws the table for the date a reader picks. Without
    JavaScript the table for ``date`` stays, and the field stays hidden.
    """
    import html as _html
    import json

    from .display import HTML

    day = newest_source_date(bans) if date is None else _date(date)
    status = status_as_of(bans, day).sort_values("country", kind="stable")
    status["country"] = _countries(status)
    episodes = [{"iso3": r["iso3"], "scope": r["scope"], "start": f"{r['start_date']:%Y-%m-%d}",
                 "last": f"{r['last_day']:%Y-%m-%d}", "open": bool(r["open_ended"])} for _, r in bans.iterrows()]
    low, high = bans["start_date"].min() - pd.Timedelta(days=365), newest_source_date(bans)
    e = _html.escape
    rows = "".join(
        f'<tr data-iso3="{e(r["iso3"])}"><th scope="row">{e(r["country"])}</th>'
        f'<td data-status="">{e(status_label(r["status"]))}</td>'
        f'<td data-verified="">{e(tr("yes") if r["verified"] else tr("no"))}</td></tr>'
        for _, r in status.iterrows())
    # The script writes the statuses it computes in the page's language.
    words = {s: status_label(s) for s in STATUSES}
    words.update({w: tr(w) for w in ("yes", "no", translatable("Statuses on {date}: {counts}."))})
    labels = (f" data-labels='{e(json.dumps(words, ensure_ascii=False), quote=False)}'"
              if language() != "en" else "")
    script = (Path(__file__).with_name("mapcontrol.js")).read_text(encoding="utf-8")
    data = json.dumps(episodes, separators=(",", ":")).replace("</", "<\\/")
    caption = tr("Status of each country on the chosen date")
    return HTML(
        f'<div class="durov-mapcontrol"{labels}>'
        f'<form hidden><label for="durov-map-date">{e(tr("Show the statuses on "))}</label>'
        f'<input type="date" id="durov-map-date" value="{day:%Y-%m-%d}" min="{low:%Y-%m-%d}" max="{high:%Y-%m-%d}" />'
        f' <button type="submit">{e(tr("Show"))}</button></form>'
        f'<p data-said="" aria-live="polite">{e(tr("Statuses on {date}.", date=f"{day:%Y-%m-%d}"))}</p>'
        f'<div class="durov-table" role="region" tabindex="0" aria-label="{e(caption)}" '
        f'style="overflow-x:auto;max-width:100%"><table><caption>{e(caption)}</caption>'
        f'<thead><tr><th scope="col">{e(tr("Country"))}</th><th scope="col">{e(tr("Status"))}</th>'
        f'<th scope="col">{e(tr("Confirmed by a source?"))}</th></tr></thead>'
        f'<tbody>{rows}</tbody></table></div>'
        f'<script type="application/json">{data}</script><script>{script}</script></div>')
