"""The twelve offences: data, counts, tables, charts and bad input."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from durovbook.charges import (
    categories,
    charges_by_category,
    load_charges,
    max_penalty,
    penalty_table,
    plot_by_category,
    side_by_side,
)
from durovbook.data import schema
from durovbook.errors import DataError
from durovbook.paths import ROOT
from durovbook.sources import load_sources, split_keys

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def charges() -> pd.DataFrame:
    return load_charges()


def test_there_are_twelve_offences_numbered_in_order(charges):
    assert len(charges) == 12
    assert list(charges["number"]) == list(range(1, 13))
    assert charges["id"].is_unique


def test_every_row_has_known_sources(charges):
    bib = load_sources(ROOT / "references.bib")
    for _, row in charges.iterrows():
        keys = split_keys(row["source"])
        assert keys, row["id"]
        assert all(k in bib for k in keys), row["id"]


def test_french_wording_and_our_rendering_are_both_present(charges):
    assert charges["offence_fr"].str.len().gt(10).all()
    assert charges["offence_en_ours"].str.len().gt(10).all()
    # our English is ours: it must not be a copy of the French
    assert (charges["offence_fr"] != charges["offence_en_ours"]).all()


def test_complicity_matches_the_french_wording(charges):
    starts = charges["offence_fr"].str.startswith("Complicité")
    assert (charges["complicity"] == starts).all()


def test_penalties_are_blank_unless_sourced(charges):
    with_penalty = charges[charges["max_prison_years"].notna()]
    # only offence 1 has a maximum penalty stated by a source (the communiqué of 28 August 2024)
    assert list(with_penalty["number"]) == [1]
    assert charges["max_fine_eur"].notna().sum() == len(with_penalty)


def test_categories_come_from_the_schema():
    fields = {f["name"]: f for f in schema("charges")["fields"]}
    assert categories() == fields["category"]["constraints"]["enum"]
    assert len(categories()) == 4


def test_charges_by_category_counts_every_offence_once(charges):
    counts = charges_by_category(charges)
    assert set(counts["category"]) == set(categories())
    assert counts["offences"].sum() == len(charges)
    assert counts["offences"].is_monotonic_decreasing
    # the numbers listed per category partition 1..12
    listed = sorted(int(n) for cell in counts["numbers"] if cell for n in cell.split(", "))
    assert listed == list(range(1, 13))
    for _, row in counts.iterrows():
        expected = int((charges["category"] == row["category"]).sum())
        assert row["offences"] == expected
        assert row["share_percent"] == pytest.approx(100 * expected / len(charges), abs=0.05)


def test_charges_by_category_keeps_an_empty_category(charges):
    only_crypto = charges[charges["category"] == "cryptology declaration offences"]
    counts = charges_by_category(only_crypto)
    assert len(counts) == 4
    assert counts.iloc[0]["category"] == "cryptology declaration offences"
    assert (counts.iloc[1:]["offences"] == 0).all()


def test_plot_by_category_draws_one_bar_per_category_and_states_the_largest(charges):
    fig = plot_by_category(charges)
    ax = fig.axes[0]
    widths = sorted(int(p.get_width()) for p in ax.patches)
    assert widths == sorted(int(v) for v in charges_by_category(charges)["offences"])
    top = charges_by_category(charges).iloc[0]
    assert str(int(top["offences"])) in ax.get_title()
    assert top["category"] in ax.get_title().replace("\n", " ")
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    plt.close(fig)


def test_plot_by_category_refuses_an_empty_table(charges):
    with pytest.raises(ValueError, match="no offences"):
        plot_by_category(charges.iloc[0:0])


def test_side_by_side_tags_the_french_and_labels_our_english(charges):
    html = side_by_side(charges, caption="The offences").html
    assert html.count('<td lang="fr">') == 12
    assert "Our English rendering" in html
    assert "<caption>The offences</caption>" in html
    assert "Complicité" in html


def test_max_penalty_is_the_sourced_ten_years(charges):
    top = max_penalty(charges)
    assert top["number"] == 1
    assert top["max_prison_years"] == charges["max_prison_years"].max()
    assert top["offences_with_penalty"] == charges["max_prison_years"].notna().sum()


def test_max_penalty_without_any_sourced_penalty_fails(charges):
    with pytest.raises(ValueError, match="no offence"):
        max_penalty(charges[charges["max_prison_years"].isna()])


# --- bad input -------------------------------------------------------------

@pytest.mark.parametrize("row_id, column, value, words", [
    ("narcotics", "category", "terrorism", "must be one of"),
    ("csam-possession", "source", "", "must not be empty"),
    ("crypto-import", "number", "13", "12 or less"),
    ("interception-refusal", "complicity", "true", "Complicité"),
    ("illicit-platform", "max_prison_years", "-10", "0 or more"),
], ids=["unknown-category", "missing-source", "number-out-of-range", "complicity-against-wording", "negative-penalty"])
def test_a_broken_cell_names_file_row_and_column(data_copy, row_id, column, value, words):
    err = data_copy.broken(load_charges, "charges", row_id, column, value)
    assert words in err.rule


def test_a_gap_in_the_numbers_is_refused(data_copy):
    rows = [r for r in data_copy.rows("charges") if r["number"] != "5"]
    data_copy.write("charges", rows)
    with pytest.raises(DataError) as info:
        load_charges(data_copy.folder)
    assert info.value.column == "number" and "without a gap" in info.value.rule
    assert info.value.row == data_copy.row_of("charges", rows[4]["id"])  # holds number 6, where 5 was expected


def test_a_fine_without_a_prison_term_is_refused(data_copy):
    row = data_copy.set_cell("charges", "csam-distribution", "max_fine_eur", "75000")
    with pytest.raises(DataError) as info:
        load_charges(data_copy.folder)
    assert info.value.row == row and info.value.column == "max_prison_years"


def test_figure_keeps_the_interactive_mode_the_backend_turned_on(monkeypatch):
    # In a notebook the first figure loads the inline backend, which switches
    # interactive mode on inside style.figure(); it must stay on afterwards, or
    # the chapter's second figure is never displayed.
    from durovbook import style

    real_subplots = plt.subplots

    def subplots_that_load_a_backend(*args, **kwargs):
        matplotlib.interactive(True)
        return real_subplots(*args, **kwargs)

    was = matplotlib.is_interactive()
    matplotlib.interactive(False)
    monkeypatch.setattr(plt, "subplots", subplots_that_load_a_backend)
    try:
        fig, _ = style.figure()
        assert matplotlib.is_interactive()
        plt.close(fig)
    finally:
        matplotlib.interactive(was)


def test_penalty_table_lists_only_sourced_penalties(charges):
    html = penalty_table(charges).html
    known = int(charges["max_prison_years"].notna().sum())
    assert html.count("<tr>") == known + 1
    assert f"{known} of {len(charges)}" in html
    assert '<td lang="fr">Complicité' in html
    with pytest.raises(ValueError, match="no offence"):
        penalty_table(charges[charges["max_prison_years"].isna()])
