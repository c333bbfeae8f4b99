"""The bans data set, its status logic, the map and the timeline."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from shapely.geometry import MultiPolygon, Polygon

from durovbook import DataError
from durovbook.bans import (
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
    split_antimeridian,
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
    (data_copy.folder / "geo" / "countries-110m.json").unlink()
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

def test_the_world_is_equal_earth_with_iso3_codes():
    world = load_world()
    assert world.crs.to_epsg() == 8857
    assert {"RUS", "IRN", "CHN", "FJI"} <= set(world["iso3"])
    assert "ATA" not in set(world["iso3"])


def test_no_polygon_spans_the_antimeridian():
    world = load_world()
    width = world.total_bounds[2] - world.total_bounds[0]
    parts = world.explode(index_parts=False)
    bounds = parts.bounds
    widest = ((bounds["maxx"] - bounds["minx"]) / width)
    by_name = pd.Series(widest.values, index=parts["name"].values)
    assert widest.max() < 0.5
    assert by_name["Russia"].max() < 0.5 and by_name["Fiji"].max() < 0.05


def test_split_antimeridian_cuts_a_wrapping_ring():
    ring = Polygon([(170, 0), (-170, 0), (-170, 10), (170, 10)])  # 20° wide across 180°
    split = split_antimeridian(ring)
    assert isinstance(split, MultiPolygon) and len(split.geoms) == 2
    assert split.area == pytest.approx(200)
    assert all(g.bounds[2] - g.bounds[0] <= 10 + 1e-9 for g in split.geoms)
    small = Polygon([(0, 0), (1, 0), (1, 1)])
    assert split_antimeridian(small) is small


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
