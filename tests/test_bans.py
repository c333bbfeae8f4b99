"""The bans data set, its status logic, the map and the timeline."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.path import Path as MplPath
import numpy as np

from durovbook import DataError
from durovbook.paths import ROOT
from durovbook.bans import (
    EQUAL_EARTH,
    SCOPES,
    STATUS_STYLE,
    STATUSES,
    active_on,
    country_status,
    episodes_as_text,
    load_bans,
    load_investigations,
    load_world,
    newest_source_date,
    plot_map,
    plot_timeline,
    scope_counts,
    status_as_of,
    status_summary,
    unverified_statuses,
)

STATEMENT = "2024-09-05"


@pytest.fixture(scope="module")
def bans():
    return load_bans()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _status(bans, date):
    return status_as_of(bans, date).set_index("iso3")["status"].astype(str)


# --- the data ---------------------------------------------------------------

def test_every_row_is_sourced_dated_and_ordered(bans):
    assert len(bans) > 0
    assert bans["source"].str.len().gt(0).all()
    assert bans["start_date"].is_monotonic_increasing
    assert (bans["as_of"] >= bans["start_date"]).all()
    ended = bans["end_date"].notna()
    assert (bans.loc[ended, "end_date"] >= bans.loc[ended, "start_date"]).all()
    assert (bans["last_day"] >= bans["start_date"]).all()


def test_month_precision_end_covers_the_whole_month(bans):
    row = bans.set_index("id").loc["eth-2023"]
    assert row["end_precision"] == "month"
    assert row["last_day"] == row["end_date"] + pd.offsets.MonthEnd(0)


def test_investigations_cover_the_three_countries_of_seed_001():
    probes = load_investigations()
    assert set(probes["iso3"]) == {"IND", "IDN", "KOR"}
    assert probes["date"].between("2024-08-01", "2024-09-30").all()


# --- bad input --------------------------------------------------------------

@pytest.mark.parametrize(
    "episode, column, value, words",
    [
        ("bhr-2016", "iso3", "XYZ", "XYZ"),
        ("rus-2018", "end_date", "2017-01-01", "before start_date"),
        ("rus-2018", "end_precision", "ongoing", "must be empty"),  # the end date must then go
        ("chn-2015", "end_precision", "day", "must be given"),  # an end date is then missing
        ("irq-2023", "as_of", "2020-01-01", "before start_date"),
        ("irq-2023", "scope", "banned", "must be one of"),
    ],
)
def test_a_broken_cell_names_file_row_and_column(data_copy, episode, column, value, words):
    named = "end_date" if column == "end_precision" else None
    err = data_copy.broken(load_bans, "bans", episode, column, value, named)
    assert words in err.rule


def test_a_missing_shape_file_is_reported(data_copy):
    (data_copy.folder / "geo" / "world_shapes.csv").unlink()
    with pytest.raises(DataError, match="country shapes are missing"):
        load_world(data_copy.folder)


# --- active episodes and statuses -------------------------------------------

def test_active_on_the_statement_day(bans):
    active = active_on(bans, STATEMENT)
    assert {"chn-2015", "irn-2018"} <= set(active["id"])
    assert "rus-2018" not in set(active["id"])
    assert (active["scope"] != "ordered-not-executed").all()
    verified = active.set_index("id")["verified"]
    assert not verified["chn-2015"]  # newest source on China is from 2023
    assert verified["irn-2018"]


def test_orders_are_counted_only_on_request(bans):
    day = "2024-03-23"
    assert "esp-2024" not in set(active_on(bans, day)["id"])
    assert "esp-2024" in set(active_on(bans, day, include_orders=True)["id"])


def test_status_on_the_statement_day(bans):
    status = _status(bans, STATEMENT)
    assert status["IRN"] == "blocked"
    assert status["CHN"] == "blocked"
    assert status["RUS"] == "formerly blocked"
    assert status["ESP"] == "never executed"
    assert status["VNM"] == "none"  # Vietnam blocked Telegram only in May 2025


def test_russia_across_time(bans):
    assert _status(bans, "2017-12-31")["RUS"] == "none"
    assert _status(bans, "2019-01-01")["RUS"] == "blocked"
    assert _status(bans, "2021-01-01")["RUS"] == "formerly blocked"
    assert _status(bans, "2025-09-01")["RUS"] == "partially blocked"
    assert _status(bans, newest_source_date(bans))["RUS"] == "blocked"


def test_iran_two_events(bans):
    assert _status(bans, "2018-01-05")["IRN"] == "blocked"
    assert "irn-2017-protests" in status_as_of(bans, "2018-01-05").set_index("iso3").loc["IRN", "episodes"]
    assert _status(bans, "2018-02-01")["IRN"] == "partially blocked"  # voice calls only
    assert _status(bans, "2018-05-01")["IRN"] == "blocked"


def test_statuses_after_the_newest_source_are_flagged(bans):
    newest = newest_source_date(bans)
    assert newest == bans["as_of"].max()
    status = status_as_of(bans, newest).set_index("iso3")
    assert not status.loc["CHN", "verified"]
    assert status.loc["IND", "verified"]  # the newest source is about India's block of June 2026
    assert not status.loc["RUS", "verified"]  # Russia's full block rests on a source of 14 April 2026
    assert status_as_of(bans, "2026-04-14").set_index("iso3").loc["RUS", "verified"]
    assert set(status["status"].astype(str)) <= set(STATUSES)
    table = status_summary(bans, newest)
    assert "none" not in set(table["status"])
    china = table.set_index("country").loc["China", "checked"]
    assert china.startswith("no: newest source") and "2023" in china


# --- geometry -----------------------------------------------------------------

SHAPES = Path("geo") / "world_shapes.csv"


def _rings(folder: Path) -> list[dict]:
    with open(folder / SHAPES, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _points(row: dict) -> np.ndarray:
    return np.array(row["points"].split(), dtype=float).reshape(-1, 2)


def _equal_earth(lon, lat):
    """The Equal Earth projection (Šavrič, Patterson and Jenny 2018) on the WGS 84 sphere of EPSG:8857."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    lam, phi = np.radians(lon), np.radians(lat)
    # EPSG:8857 projects the ellipsoid through the authalic latitude
    e = 0.0818191908426215
    q = lambda p: (1 - e**2) * (np.sin(p) / (1 - e**2 * np.sin(p) ** 2) - np.log((1 - e * np.sin(p)) / (1 + e * np.sin(p))) / (2 * e))
    beta = np.arcsin(q(phi) / q(np.pi / 2))
    radius = 6378137 * np.sqrt(q(np.pi / 2) / 2)
    theta = np.arcsin(np.sqrt(3) / 2 * np.sin(beta))
    x = radius * 2 * np.sqrt(3) * lam * np.cos(theta) / (3 * (9 * a4 * theta**8 + 7 * a3 * theta**6 + 3 * a2 * theta**2 + a1))
    y = radius * theta * (a4 * theta**8 + a3 * theta**6 + a2 * theta**2 + a1)
    return x, y


def _topojson_points(name: str) -> np.ndarray:
    """Every vertex of one country in the committed TopoJSON, in degrees (decoded as the TopoJSON spec says)."""
    topology = json.loads((ROOT / "data" / "geo" / "countries-110m.json").read_text(encoding="utf-8"))
    scale, shift = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + shift for arc in topology["arcs"]]
    country = next(g for g in topology["objects"]["countries"]["geometries"] if g["properties"]["name"] == name)
    polygons = country["arcs"] if country["type"] == "MultiPolygon" else [country["arcs"]]
    index = [i for polygon in polygons for ring in polygon for i in ring]
    return np.vstack([arcs[i if i >= 0 else ~i] for i in index])


def test_the_shapes_are_the_natural_earth_ones_projected_to_equal_earth():
    # The committed CSV is the TopoJSON, projected: every vertex of Iran (one
    # that does not cross the 180th meridian) is there, to the metre.
    rings = [r for r in _rings(ROOT / "data") if r["name"] == "Iran"]
    stored = np.vstack([_points(r) for r in rings])
    lon, lat = _topojson_points("Iran").T
    projected = np.column_stack(_equal_earth(lon, lat))
    distance = np.abs(projected[:, None, :] - stored[None, :, :]).max(axis=2).min(axis=1)
    assert distance.max() <= 1.0, distance.max()
    assert len(np.unique(stored, axis=0)) == len(np.unique(np.rint(projected), axis=0))


def test_the_world_is_equal_earth_with_iso3_codes():
    world = load_world()
    assert EQUAL_EARTH == "EPSG:8857"
    assert {"RUS", "IRN", "CHN", "FJI"} <= set(world["iso3"].dropna())
    assert "ATA" not in set(world["iso3"].dropna())
    assert world["name"].is_unique and len(world) == 176
    assert world.loc[world["name"] == "Kosovo", "id"].isna().all()
    # South Africa's path holds Lesotho as a hole: two rings
    south_africa = world.set_index("iso3").loc["ZAF", "path"]
    assert sum(code == MplPath.MOVETO for code in south_africa.codes) == 2


def test_no_polygon_spans_the_antimeridian():
    rings = _rings(ROOT / "data")
    xs = [_points(r)[:, 0] for r in rings]
    width = max(x.max() for x in xs) - min(x.min() for x in xs)
    widest = {}
    for row, x in zip(rings, xs):
        widest[row["name"]] = max(widest.get(row["name"], 0), (x.max() - x.min()) / width)
    assert max(widest.values()) < 0.5
    assert widest["Russia"] < 0.5 and widest["Fiji"] < 0.05


def _break_shapes(folder: Path, row: int, column: str, value: str) -> None:
    rows = _rings(folder)
    rows[row - 2][column] = value
    with open(folder / SHAPES, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _row_of(folder: Path, name: str, polygon: int = 0, ring: int = 0) -> int:
    rows = _rings(folder)
    return next(i for i, r in enumerate(rows, 2) if (r["name"], r["polygon"], r["ring"]) == (name, str(polygon), str(ring)))


@pytest.mark.parametrize("name, polygon, ring, column, value, words", [
    ("Iran", 0, 0, "points", "1 2 3 4 1 2", "at least 4 points"),
    ("Iran", 0, 0, "points", "1 2 3 4 5 6 7 8", "the last repeating the first"),
    ("Iran", 0, 0, "points", "0 0 1 0 1 99999999 0 0", "point 3 (1 99999999) lies outside"),
    ("Iran", 0, 0, "points", "0 0 1 0 1 x 0 0", "must match the pattern"),
    ("Iran", 0, 0, "points", "0 0 1 0 1", "must match the pattern"),
    ("Iran", 0, 0, "points", "", "must not be empty"),
    ("Iran", 0, 0, "points", "0 0 1 0 1 99999999999999999999 0 0", "at most 18 digits"),
    ("Iran", 0, 0, "id", "999", "unknown ISO 3166-1 numeric code '999'"),
    ("Iran", 0, 0, "id", "IR", "must match the pattern"),
    ("Iran", 0, 0, "ring", "1", "must be 0"),
    ("Iran", 0, 0, "polygon", "2", "must be 0"),
    ("Iran", 0, 0, "polygon", "-1", "must be 0 or more"),
    ("Canada", 1, 0, "polygon", "3", "must be 0 or 1"),
    ("South Africa", 0, 1, "ring", "3", "must be 1"),
])
def test_a_malformed_shape_names_file_row_and_column(data_copy, name, polygon, ring, column, value, words):
    row = _row_of(data_copy.folder, name, polygon, ring)
    _break_shapes(data_copy.folder, row, column, value)
    with pytest.raises(DataError) as info:
        load_world(data_copy.folder)
    err = info.value
    assert f"world_shapes.csv, row {row}, column '{column}'" in str(err), err
    assert words in err.rule, err


def test_the_rings_of_a_country_must_be_together(data_copy):
    # Fiji's last polygon moved after Tanzania's ring: Fiji appears twice
    rows = _rings(data_copy.folder)
    last = max(i for i, r in enumerate(rows) if r["name"] == "Fiji")
    moved = rows.pop(last)
    after = max(i for i, r in enumerate(rows) if r["name"] == "Tanzania")
    rows.insert(after + 1, moved)
    with open(data_copy.folder / SHAPES, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataError, match=rf"world_shapes.csv, row {after + 3}, column 'name': the rings of 'Fiji' "
                                        "must be on consecutive rows"):
        load_world(data_copy.folder)


def test_the_script_that_wrote_the_shapes_writes_the_schema_s_columns():
    import importlib.util

    spec = importlib.util.spec_from_file_location("project_shapes", ROOT / "tools" / "project_shapes.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)  # geopandas is imported only when the script runs
    fields = json.loads((ROOT / "data" / "schemas" / "world_shapes.schema.json").read_text(encoding="utf-8"))["fields"]
    assert script.FIELDS == [f["name"] for f in fields]
    assert script.OUT == ROOT / "data" / "geo" / "world_shapes.csv"
    header = (ROOT / "data" / "geo" / "world_shapes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == script.FIELDS


def test_a_fixed_shape_file_is_read_afresh(data_copy):
    row = _row_of(data_copy.folder, "Iran")
    good = _rings(data_copy.folder)[row - 2]["points"]
    _break_shapes(data_copy.folder, row, "points", "1 2 3 4 1 2")
    with pytest.raises(DataError):
        load_world(data_copy.folder)
    _break_shapes(data_copy.folder, row, "points", good)
    assert "IRN" in set(load_world(data_copy.folder)["iso3"].dropna())


# --- figures ------------------------------------------------------------------

def _face_of(fig, iso3):
    for collection in fig.axes[0].collections:
        codes = getattr(collection, "iso3", [])
        if iso3 in codes:
            faces = collection.get_facecolor()
            return tuple(faces[codes.index(iso3) if len(faces) > 1 else 0]), collection.get_gid()
    raise AssertionError(f"{iso3} is not drawn")


def test_the_statement_map_colours_iran_china_and_russia(bans):
    fig = plot_map(bans, STATEMENT)
    for iso3, status in [("IRN", "blocked"), ("CHN", "blocked"), ("RUS", "formerly blocked"), ("USA", "none")]:
        face, gid = _face_of(fig, iso3)
        assert gid == status
        assert face == pytest.approx(to_rgba(STATUS_STYLE[status]["color"]))
    assert "5 Sep 2024" in fig.axes[0].get_title(loc="left")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0] == "blocked (2)"
    assert labels[-1] == "no block recorded"


def test_the_legend_tells_statuses_apart_without_colour():
    hatches = [STATUS_STYLE[s]["hatch"] for s in STATUSES if s != "none"]
    assert len(set(hatches)) == len(hatches)
    grey = [sum(matplotlib.colors.to_rgb(STATUS_STYLE[s]["color"])) for s in STATUSES]
    assert grey == sorted(grey)  # lighter as the status weakens


def test_the_newest_map_names_unverified_and_hidden_countries(bans):
    fig = plot_map(bans, newest_source_date(bans))
    face, gid = _face_of(fig, "RUS")
    assert gid == "blocked"
    note = fig.texts[-1].get_text()
    assert "China" in note and "Bahrain" in note


def test_the_timeline_has_a_bar_per_episode_and_the_statement_line(bans):
    fig = plot_timeline(bans)
    ax = fig.axes[0]
    assert len(ax.patches) == len(bans)
    assert len(ax.get_yticklabels()) == len(bans)
    statement = pd.Timestamp(STATEMENT)
    vertical = [line for line in ax.get_lines()
                if len(line.get_xdata()) == 2 and all(pd.Timestamp(x) == statement for x in line.get_xdata())]
    assert vertical, "the statement's date is not marked"
    assert any("5 Sep 2024" in t.get_text() for t in ax.texts)


# --- tables for the page -----------------------------------------------------

def test_episodes_table_writes_dates_to_their_precision(bans):
    table = episodes_as_text(bans).set_index("id")
    assert len(table) == len(bans)
    assert table.loc["bhr-2016", "start"] == "Jun 2016"
    assert table.loc["rus-2018", "start"] == "16 Apr 2018" and table.loc["rus-2018", "end"] == "18 Jun 2020"
    assert table.loc["irn-2018", "end"].startswith("ongoing (newest source")
    assert table.loc["cub-2021", "end"].startswith("unknown (last reported")
    assert table.loc["eth-2021", "end"] == "unknown"


def test_scope_counts_add_up(bans):
    counts = scope_counts(bans).set_index("scope")
    assert list(counts.index[:-1]) == [s for s in SCOPES if s in set(bans["scope"])]
    assert counts.loc["all", "episodes"] == len(bans) == counts["episodes"].iloc[:-1].sum()
    assert counts.loc["all", "countries"] == bans["iso3"].nunique()


def test_unverified_statuses_default_to_the_newest_source(bans):
    newest = unverified_statuses(bans)
    assert {"China", "Russia"} <= set(newest["country"]) and "India" not in set(newest["country"])
    assert newest["checked"].str.startswith("no:").all()
    # On 1 Jan 2017 every ongoing episode had a source dated later.
    assert unverified_statuses(bans, "2017-01-01").empty
    assert "Bahrain" in set(unverified_statuses(bans, "2018-04-30")["country"])


def test_country_status_follows_one_country_through_time(bans):
    russia = country_status(bans, "Russia", ["2018-01-01", "2019-01-01", "2025-09-01"])
    assert list(russia["status"]) == ["none", "blocked", "partially blocked"]
    assert country_status(bans, "RUS", ["2019-01-01"])["episodes"].iloc[0] == "rus-2018"
    with pytest.raises(KeyError, match="Atlantis"):
        country_status(bans, "Atlantis", ["2019-01-01"])


def test_the_map_png_stays_light(bans):
    import io

    buffer = io.BytesIO()
    plot_map(bans, STATEMENT).savefig(buffer, format="png", bbox_inches="tight")
    assert 10_000 < len(buffer.getvalue()) < 100_000  # a page carries two maps
