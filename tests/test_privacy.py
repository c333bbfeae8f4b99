"""Privacy against security: encryption, policy changes, moderation figures, data requests."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from durovbook.errors import DataError
from durovbook.privacy import (
    SELF_REPORTED,
    encryption_table,
    moderation_table,
    policy_table,
    requests_table,
    readable_table,
    country_totals_table,
    latest_figures,
    load_encryption,
    load_government_requests,
    load_moderation,
    load_policy_changes,
    plot_government_requests,
    plot_moderation,
    readable_by_telegram,
    remainder_of_period,
    requests_by_country,
    share_of_total,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- encryption ---------------------------------------------------------------


def test_only_secret_chats_and_calls_are_end_to_end():
    enc = load_encryption()
    e2e = set(enc.loc[enc["end_to_end"].astype(bool), "id"])
    assert e2e == {"secret_chat", "one_to_one_call", "group_call"}  # group calls documented by 2025
    # what a user gets by default and can write in is a cloud chat Telegram can read
    readable = readable_by_telegram(enc)
    assert set(readable["id"]) == set(enc["id"]) - e2e
    assert readable["default"].all()
    assert (readable["keys_held_by"] == "telegram").all()


@pytest.mark.parametrize("name, row_id, column, value, words", [
    ("encryption", "secret_chat", "keys_held_by", "telegram", "devices"),
    ("encryption", "secret_chat", "stored_in_telegram_cloud", "yes", "cannot be readable"),
    ("encryption", "cloud_private_chat", "keys_held_by", "the government", "must be one of"),
    ("policy_changes", "faq_illegal_content_2024", "source", "nosuchkey2024", "nosuchkey2024"),
    ("moderation_2024", "blocked_2024_later", "self_reported", "false", "must be true"),
    ("moderation_2024", "blocked_2024_dec11", "value", "-5", "0 or more"),
    ("government_requests", "bra_2024_q1", "period_end", "2023-12-31", "before period_start"),
    ("government_requests", "ind_2024", "users_affected", "10", "cannot be smaller"),
    ("government_requests", "ind_2024_q1", "requests_fulfilled", "about 2,000", "whole number"),
], ids=["keys-against-encryption", "end-to-end-in-the-cloud", "unknown-key-holder", "unknown-source",
        "not-self-reported", "negative-figure", "ends-before-it-starts", "fewer-users-than-requests",
        "count-not-a-number"])
def test_a_broken_cell_names_file_row_and_column(data_copy, name, row_id, column, value, words):
    loaders = {"encryption": load_encryption, "policy_changes": load_policy_changes,
               "moderation_2024": load_moderation, "government_requests": load_government_requests}
    err = data_copy.broken(loaders[name], name, row_id, column, value)
    assert words in err.rule


# --- policy changes -----------------------------------------------------------


def test_policy_changes_are_in_date_order_and_the_2024_change_widens_disclosure():
    changes = load_policy_changes()
    assert changes["date"].is_monotonic_increasing
    row = changes.set_index("id").loc["privacy_policy_2024_valid_orders"]
    assert row["date"] == pd.Timestamp("2024-09-23")
    assert "terror suspect" in row["wording_before"]
    assert "terror" not in row["wording_after"] and "criminal activities" in row["wording_after"]
    # the 2018 wording is the one the 2024 change replaced
    assert changes.set_index("id").loc["privacy_policy_2018_terror", "wording_after"] == row["wording_before"]


def test_a_change_that_changes_nothing_is_an_error(data_copy):
    row_id = "privacy_policy_2024_valid_orders"
    before = next(r for r in data_copy.rows("policy_changes") if r["id"] == row_id)["wording_before"]
    data_copy.broken(load_policy_changes, "policy_changes", row_id, "wording_after", before)


# --- moderation ---------------------------------------------------------------


def test_every_moderation_figure_is_self_reported():
    mod = load_moderation()
    assert mod["self_reported"].astype(bool).all()


def test_latest_figure_is_the_largest_exact_running_total():
    mod = load_moderation()
    latest = latest_figures(mod).set_index("metric")
    assert latest.index.is_unique
    for metric, group in mod.groupby("metric"):
        exact = group[group["value_kind"] == "exact"]
        expected = (exact if len(exact) else group)["value"].max()
        assert latest.loc[metric, "value"] == expected
    assert latest["label"].notna().all()


def test_latest_figures_fall_back_to_rounded_values():
    mod = pd.DataFrame({
        "metric": ["groups_channels_blocked"] * 2,
        "value": [100, 150],
        "value_kind": ["about", "at_least"],
    })
    assert latest_figures(mod).loc[0, "value"] == 150


def test_share_of_total_uses_latest_figures():
    mod = load_moderation()
    latest = latest_figures(mod).set_index("metric")["value"]
    share = share_of_total(mod, "csam_groups_channels_blocked")
    assert share == pytest.approx(latest["csam_groups_channels_blocked"] / latest["groups_channels_blocked"])
    assert 0 < share < 1
    with pytest.raises(KeyError, match="nope"):
        share_of_total(mod, "nope")


def test_plot_moderation_labels_bars_and_carries_the_caveat():
    mod = load_moderation()
    fig = plot_moderation(mod)
    ax = fig.axes[0]
    assert len(ax.patches) == 3
    assert SELF_REPORTED in ax.get_xlabel()
    total = latest_figures(mod).set_index("metric").loc["groups_channels_blocked", "value"]
    assert f"{total / 1e6:.1f} million" in ax.get_title(loc="left").replace("\n", " ")
    assert f"{int(total):,}" in [t.get_text() for t in ax.texts]
    assert fig.get_facecolor()[3] == 1.0


def test_plot_moderation_without_blocking_figures_fails():
    mod = load_moderation()
    with pytest.raises(ValueError):
        plot_moderation(mod[mod["metric"] == "terrorist_content_removed_with_etidal"])
    fig = plot_moderation(mod[mod["metric"] == "csam_groups_channels_blocked"])
    assert "figures for 2024" in fig.axes[0].get_title(loc="left")


# --- government requests ------------------------------------------------------


def test_quarterly_sums_match_durovs_rounded_totals():
    by_country = requests_by_country(load_government_requests()).set_index("country")
    # Durov's totals as reported: "over 200" from Brazil, "nearly 7,000" from India (MENAFN)
    assert by_country.loc["Brazil", "requests_fulfilled"] > 200
    assert abs(by_country.loc["India", "requests_fulfilled"] - 7000) < 100
    assert (by_country["quarters"] == 3).all()
    with pytest.raises(ValueError):
        requests_by_country(load_government_requests(), reported_via="nowhere")


def test_remainder_of_period_is_the_fourth_quarter():
    req = load_government_requests()
    india = req[req["country"] == "India"]
    rem = remainder_of_period(req, "India")
    full = int(india.loc[india["id"] == "ind_2024", "requests_fulfilled"].iloc[0])
    quarters = int(india.loc[india["reported_via"] == "durov_post", "requests_fulfilled"].sum())
    assert rem["whole"] == full and rem["counted_in_parts"] == quarters
    assert rem["remainder"] == full - quarters
    assert rem["remainder_from"] == "2024-10-01"
    assert rem["whole_period"] == ("2024-01-01", "2024-12-31")
    with pytest.raises(KeyError, match="Atlantis"):
        remainder_of_period(req, "Atlantis")


def test_remainder_of_a_single_period_is_the_whole():
    req = load_government_requests()
    one = req[req["id"] == "usa_2024"]
    rem = remainder_of_period(one, "United States")
    assert rem["counted_in_parts"] == 0 and rem["remainder"] == rem["whole"]
    assert rem["remainder_from"] == "2024-01-01"


def test_a_year_smaller_than_its_quarters_is_rejected(data_copy):
    data_copy.set_cell("government_requests", "bra_2024", "users_affected", "")
    err = data_copy.broken(load_government_requests, "government_requests", "bra_2024", "requests_fulfilled", "150")
    assert "bra_2024_q1" in err.rule


def test_plot_government_requests_shows_each_quarter_and_the_ratio():
    req = load_government_requests()
    fig = plot_government_requests(req)
    ax = fig.axes[0]
    assert len(ax.patches) == 6
    assert SELF_REPORTED in ax.get_xlabel()
    totals = requests_by_country(req).set_index("country")["requests_fulfilled"]
    ratio = totals["India"] / totals["Brazil"]
    title = ax.get_title(loc="left").replace("\n", " ")
    assert f"about {ratio:.0f} times" in title
    assert title.startswith("Telegram says"), "a self-reported figure is attributed in the title"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Q1 2024", "Q2 2024", "Q3 2024"]
    with pytest.raises(ValueError):
        plot_government_requests(req, countries=("Atlantis",))
    single = plot_government_requests(req, countries=("India",))
    assert "by quarter" in single.axes[0].get_title(loc="left")


# --- tables -------------------------------------------------------------------


def test_encryption_table_says_yes_no_and_names_key_holders():
    html = encryption_table(load_encryption()).html
    assert "<table>" in html and "True" not in html and "False" not in html
    assert "not stated" in html  # calls: storage not stated by the sources
    assert "the participants&#x27; devices" in html and "<td>Telegram</td>" in html


def test_policy_table_quotes_both_wordings():
    changes = load_policy_changes()
    html = policy_table(changes).html
    assert html.count("<tr>") == len(changes) + 1
    assert "terror suspect" in html and "23 Sep 2024" in html
    assert "<td>FAQ</td>" in html and "<td>Privacy Policy</td>" in html


def test_moderation_table_marks_rounded_figures_and_the_caveat():
    mod = load_moderation()
    html = moderation_table(mod).html
    assert SELF_REPORTED in html
    assert "more than 100,000,000" in html and "about 15,400,000" in html
    assert "11 Dec 2024" in html and "Dec 2024" in html


def test_requests_table_formats_counts():
    req = load_government_requests()
    html = requests_table(req).html
    assert SELF_REPORTED in html and "14,641" in html and "Durov&#x27;s post" in html
    assert html.count("<tr>") == len(req) + 1


def test_readable_and_country_totals_tables():
    enc = load_encryption()
    html = readable_table(enc).html
    for chat in readable_by_telegram(enc)["chat_type"]:
        assert chat in html
    assert "Secret chat" not in html
    req = load_government_requests()
    totals = requests_by_country(req)
    html = country_totals_table(req).html
    assert f"{int(totals.set_index('country').loc['India', 'requests_fulfilled']):,}" in html
    assert SELF_REPORTED in html


@pytest.mark.parametrize("make", [
    lambda: encryption_table(load_encryption()),
    lambda: policy_table(load_policy_changes()),
    lambda: moderation_table(load_moderation()),
    lambda: requests_table(load_government_requests()),
])
def test_wide_tables_are_focusable_labelled_regions(make):
    html = make().html
    assert 'role="region"' in html and 'tabindex="0"' in html and 'aria-label="' in html
    assert re.search(r'aria-label="([^"]+)"', html).group(1) != "Table"
    assert "<caption>" in html  # its dark-mode contrast comes from _static/durovsite.css (checked by axe)
