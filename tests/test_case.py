"""The case timeline."""

from __future__ import annotations

import pytest

from durovbook import DataError, days_between, events_as_of, load_case_events


def test_events_are_sorted_and_sourced():
    events = load_case_events()
    assert events["date"].is_monotonic_increasing
    assert events["source"].str.len().gt(0).all()


def test_events_as_of_a_date_keep_only_the_past():
    events = load_case_events()
    before = events_as_of(events, "2024-08-26")
    assert before["date"].max().strftime("%Y-%m-%d") <= "2024-08-26"
    assert "mise_en_examen" not in set(before["id"])
    assert "mise_en_examen" in set(events_as_of(events, "2024-09-05")["id"])


def test_days_between_counts_days_of_custody():
    events = load_case_events()
    assert days_between(events, "detention_le_bourget", "mise_en_examen") == 4
    assert days_between(events, "mise_en_examen", "detention_le_bourget") == -4
    with pytest.raises(KeyError, match="nope"):
        days_between(events, "nope", "mise_en_examen")


def test_a_broken_event_date_names_the_row(data_copy):
    data_copy.set_cell("case_events", 3, "date", "26/08/2024")
    with pytest.raises(DataError) as info:
        load_case_events(data_copy.folder)
    assert info.value.row == 5 and info.value.column == "date"
