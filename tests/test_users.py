"""Telegram's announced users and the EU figures: loaders, growth arithmetic, estimate, plot."""

from __future__ import annotations

import math

import matplotlib
import pandas as pd
import pytest

from durovbook import DataError
from durovbook.style import STATEMENT_DATE
from durovbook.users import (
    Estimate,
    cagr,
    doubling_time,
    estimate,
    glue_numbers,
    growth,
    growth_steps,
    key_numbers,
    load_dsa,
    load_users,
    metric_changes,
    milestone,
    plot_users,
    vlop_threshold,
)

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def users():
    return load_users()


@pytest.fixture(scope="module")
def dsa():
    return load_dsa()


# -- loaders -----------------------------------------------------------------

def test_users_are_typed_sorted_and_sourced(users):
    assert str(users["date"].dtype).startswith("datetime64")
    assert users["users_millions"].dtype == "float64"
    assert users["date"].is_monotonic_increasing and users["date"].is_unique
    assert (users["users_millions"] > 0).all()
    assert set(users["confidence"]) <= {"confirmed", "likely"}
    assert users["source"].str.len().gt(0).all()


def test_the_950_million_milestone_is_the_july_2024_announcement(users):
    row = users[users["users_millions"] == 950].iloc[0]
    assert row["date"] == pd.Timestamp("2024-07-22")
    assert row["date"] < STATEMENT_DATE


def test_a_date_out_of_order_names_file_row_and_column(data_copy):
    rows = data_copy.rows("users")
    rows[3]["date"], rows[4]["date"] = rows[4]["date"], rows[3]["date"]
    data_copy.write("users", rows)
    with pytest.raises(DataError) as info:
        load_users(data_copy.folder)
    err = info.value
    assert err.path.endswith("users.csv")
    assert (err.row, err.column) == (6, "date")
    assert "after the previous milestone" in err.rule


def test_a_repeated_date_is_refused(data_copy):
    rows = data_copy.rows("users")
    rows[6]["date"] = rows[5]["date"]
    data_copy.write("users", rows)
    with pytest.raises(DataError) as info:
        load_users(data_copy.folder)
    assert (info.value.row, info.value.column) == (8, "date")


@pytest.mark.parametrize("name, row_id, column, value, words", [
    ("users", "users_2015_05", "users_millions", "-62", ["0 or more", "-62"]),
    ("users", "users_2018_03", "metric", "registered accounts", ["must be one of", "registered accounts"]),
    ("users", "users_2014_03", "source", "nosuchkey2014", ["nosuchkey2014"]),
    ("dsa_eu", "telegram_2024_08", "figure_kind", "estimate", ["must be one of", "estimate"]),
], ids=["negative-figure", "unknown-metric", "unknown-source", "unknown-figure-kind"])
def test_a_broken_cell_names_file_row_and_column(data_copy, name, row_id, column, value, words):
    loader = {"users": load_users, "dsa_eu": load_dsa}[name]
    err = data_copy.broken(loader, name, row_id, column, value)
    assert all(w in err.rule for w in words), err.rule


def test_dsa_rows_read_an_upper_bound_as_a_bound(dsa):
    assert vlop_threshold(dsa) == 45
    kinds = dict(zip(dsa["id"], dsa["figure_kind"]))
    assert kinds["telegram_2024_02"] == "reported figure"
    bounds = dsa[dsa["figure_kind"] == "upper bound"]
    assert len(bounds) >= 1
    assert (bounds["wording"].str.contains("fewer than")).all()
    assert (bounds["recipients_millions"] == vlop_threshold(dsa)).all()


def test_dsa_needs_exactly_one_threshold(data_copy):
    rows = data_copy.rows("dsa_eu")
    rows[1]["figure_kind"] = "legal threshold"
    data_copy.write("dsa_eu", rows)
    with pytest.raises(DataError) as info:
        load_dsa(data_copy.folder)
    assert info.value.column == "figure_kind" and "exactly one" in info.value.rule
    assert info.value.path.endswith("dsa_eu.csv")


def test_dsa_without_threshold_is_refused(data_copy):
    rows = [r for r in data_copy.rows("dsa_eu") if r["figure_kind"] != "legal threshold"]
    data_copy.write("dsa_eu", rows)
    with pytest.raises(DataError, match="found 0"):
        load_dsa(data_copy.folder)


def test_dsa_dates_in_order_and_checked_after_the_fact(data_copy):
    original = data_copy.rows("dsa_eu")
    rows = [dict(r) for r in original]
    rows[1]["date"], rows[2]["date"] = rows[2]["date"], rows[1]["date"]
    data_copy.write("dsa_eu", rows)
    with pytest.raises(DataError) as info:
        load_dsa(data_copy.folder)
    assert (info.value.row, info.value.column) == (4, "date")
    rows = [dict(r) for r in original]
    rows[3]["as_of"] = "2020-01-01"
    data_copy.write("dsa_eu", rows)
    with pytest.raises(DataError) as info:
        load_dsa(data_copy.folder)
    assert (info.value.row, info.value.column) == (5, "as_of")


# -- finding milestones ----------------------------------------------------------

def test_milestone_by_id_and_by_nearby_date(users):
    by_id = milestone(users, "users_2018_03")
    assert milestone(users, "2018-03-01")["id"] == by_id["id"]
    assert milestone(users, pd.Timestamp("2018-04-15"))["id"] == "users_2018_03"


def test_milestone_refuses_a_date_far_from_any_announcement(users):
    with pytest.raises(ValueError, match="no milestone within"):
        milestone(users, "2017-01-01")
    with pytest.raises(ValueError, match="neither a milestone id nor a date"):
        milestone(users, "not-a-date")


# -- growth arithmetic --------------------------------------------------------------

def test_growth_between_two_milestones(users):
    g = growth(users, "users_2018_03", "users_2024_07")
    a, b = milestone(users, "users_2018_03"), milestone(users, "users_2024_07")
    assert g["from_millions"] == a["users_millions"] and g["to_millions"] == b["users_millions"]
    assert g["added_millions"] == b["users_millions"] - a["users_millions"]
    assert g["times"] == pytest.approx(b["users_millions"] / a["users_millions"])
    assert g["years"] == pytest.approx((b["date"] - a["date"]).days / 365.25, abs=0.01)
    assert g["same_metric"] == (a["metric"] == b["metric"])


def test_growth_flags_a_change_of_metric(users):
    # 2020 said "monthly users", 2021 "monthly active users".
    assert not growth(users, "users_2020_04", "users_2021_01")["same_metric"]
    assert growth(users, "users_2022_06", "users_2023_07")["same_metric"]


def test_growth_refuses_to_run_backwards(users):
    with pytest.raises(ValueError, match="must come after"):
        growth(users, "users_2024_07", "users_2018_03")
    with pytest.raises(ValueError, match="must come after"):
        cagr(users, "users_2018_03", "users_2018_03")


def test_cagr_and_doubling_time_agree_with_the_definition(users):
    a, b = milestone(users, "users_2018_03"), milestone(users, "users_2024_07")
    years = (b["date"] - a["date"]).days / 365.25
    rate = cagr(users, "users_2018_03", "users_2024_07")
    # growing at the rate for the period reproduces the end figure
    assert 200 * (1 + rate) ** years == pytest.approx(950, rel=1e-3)
    t2 = doubling_time(users, "users_2018_03", "users_2024_07")
    assert (1 + rate) ** t2 == pytest.approx(2, rel=1e-6)


def test_doubling_time_on_a_known_doubling(users):
    # 100 million (Feb 2016) to 200 million (Mar 2018): one doubling, so the
    # doubling time is the time between the two announcements.
    years = (pd.Timestamp("2018-03-22") - pd.Timestamp("2016-02-23")).days / 365.25
    assert doubling_time(users, "users_2016_02", "users_2018_03") == pytest.approx(years)


def test_doubling_time_refuses_a_falling_figure(users):
    with pytest.raises(ValueError, match="did not grow"):
        doubling_time(users, "users_2015_05", "users_2015_09")


def test_growth_table_has_one_row_per_step(users):
    table = growth_steps(users)
    assert len(table) == len(users) - 1
    assert (table["to"] > table["from"]).all()
    falling = table[table["to_millions"] < table["from_millions"]]
    assert len(falling) >= 1 and falling["doubling_years"].isna().all()
    assert (falling["yearly_growth_pct"] < 0).all()
    step = table.iloc[4]  # Feb 2016 to Mar 2018, a doubling
    assert step["doubling_years"] == pytest.approx(step["years"], abs=0.01)


def test_metric_changes_start_with_the_first_wording(users):
    changes = metric_changes(users)
    assert changes.iloc[0]["id"] == users.iloc[0]["id"]
    assert (changes["metric"] != changes["metric"].shift()).iloc[1:].all()
    assert "users_2024_07" in set(changes["id"])  # "active users", after "monthly active users"


# -- the estimate ------------------------------------------------------------------

def test_estimate_is_labelled_and_log_linear(users):
    e = estimate(users, "2024-05-16")
    assert isinstance(e, Estimate) and e.kind == "estimate"
    assert e.between == ("users_2024_03", "users_2024_07")
    assert 900 < e.users_millions < 950
    a, b = pd.Timestamp("2024-03-11"), pd.Timestamp("2024-07-22")
    share = (pd.Timestamp("2024-05-16") - a).days / (b - a).days
    assert math.log(e.users_millions) == pytest.approx(math.log(900) + share * math.log(950 / 900))
    assert str(e).startswith("Estimate, not an announcement")
    assert "Estimate, not an announcement" in e._repr_html_()
    assert "16 May 2024" in str(e)


def test_estimate_on_an_announcement_day_returns_that_figure(users):
    e = estimate(users, "2024-07-22")
    assert e.users_millions == 950 and e.kind == "estimate"


def test_estimate_refuses_dates_outside_the_announcements(users):
    with pytest.raises(ValueError, match="outside the announcements"):
        estimate(users, "2013-01-01")
    with pytest.raises(ValueError, match="outside the announcements"):
        estimate(users, "2026-01-01")


# -- numbers for the text, and the plot ---------------------------------------------

def test_key_numbers_are_plain_floats_computed_from_the_data(users, dsa):
    numbers = key_numbers(users, dsa)
    assert all(type(v) is float for v in numbers.values())
    assert numbers["users_first_millions"] == users.iloc[0]["users_millions"]
    assert numbers["users_950_millions"] == 950
    assert numbers["eu_gap_millions"] == numbers["eu_threshold_millions"] - numbers["eu_reported_millions"]
    assert numbers["users_doubling_2018_2024"] == doubling_time(users, "users_2018_03", "users_2024_07")
    assert numbers["users_n_metric_changes"] == len(metric_changes(users)) - 1


def test_key_numbers_follow_the_data(data_copy):
    data_copy.set_cell("users", "users_2014_03", "users_millions", "70")
    numbers = key_numbers(load_users(data_copy.folder), load_dsa(data_copy.folder))
    assert numbers["users_first_millions"] == 70


def test_glue_numbers_glues_each_number_without_display():
    calls = []
    names = glue_numbers({"a": 1, "b": 2.5}, glue=lambda name, value, display: calls.append((name, value, display)))
    assert names == ["a", "b"]
    assert calls == [("a", 1.0, False), ("b", 2.5, False)]


@pytest.mark.parametrize("log", [False, True])
def test_plot_users_marks_points_metrics_and_the_statement(users, log):
    fig = plot_users(users, log=log)
    ax = fig.axes[0]
    assert ax.get_yscale() == ("log" if log else "linear")
    points = sum(len(c.get_offsets()) for c in ax.collections)
    assert points == len(users)
    texts = [t.get_text() for t in ax.texts]
    for metric in metric_changes(users)["metric"]:
        assert f'"{metric}"' in texts
    assert any("Statement" in t for t in texts)
    lines = [l for l in ax.get_lines() if l.get_linestyle() == "--"]
    assert any(pd.Timestamp(l.get_xdata()[0]) == STATEMENT_DATE for l in lines)
    assert "over 1 billion" in ax.get_title(loc="left")
    assert fig.get_facecolor()[3] == 1.0
    matplotlib.pyplot.close(fig)


def test_tables_write_figures_for_readers(users, dsa):
    from durovbook.users import dsa_table, steps_table, users_table

    html = users_table(users).html
    assert "<caption>" in html and "1,000" in html and "1000.0" not in html
    assert html.count("<tr>") == len(users) + 1
    steps = steps_table(users).html
    assert steps.count("<tr>") == len(users)  # one row per step, plus the header
    assert "-5.6" in steps  # the 2015 fall is shown, not hidden
    eu = dsa_table(dsa).html
    assert "upper bound" in eu and "41" in eu and "41.0" not in eu


def test_glue_numbers_records_as_myst_nb_does_when_myst_nb_is_missing(monkeypatch):
    # The student pack leaves myst-nb out: the numbers are then recorded by
    # users.py itself, in the very form myst_nb.glue gives them.
    import sys

    import IPython.display
    import myst_nb.ext.glue

    shown = []
    record = lambda obj, **kwargs: shown.append((obj, kwargs))
    monkeypatch.setattr(IPython.display, "display", record)
    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display", record)
    myst_nb.ext.glue.glue("users_n", 13.0, display=False)
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb now fails
    assert glue_numbers({"users_n": 13}) == ["users_n"]
    assert len(shown) == 2 and shown[0] == shown[1]
    bundle, kwargs = shown[1]
    assert bundle == {"application/papermill.record/text/plain": "13.0"}
    assert kwargs["metadata"]["scrapbook"] == {"name": "users_n", "mime_prefix": "application/papermill.record/"}
