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


@pytest.mark.parametrize("row_id, column, value, words", [
    ("detention_le_bourget", "date", "26/08/2024", "YYYY-MM-DD"),
    ("preliminary_investigation", "label", "x" * 46, "45"),
], ids=["not-a-date", "overlong-label"])
def test_a_broken_cell_names_file_row_and_column(data_copy, row_id, column, value, words):
    err = data_copy.broken(load_case_events, "case_events", row_id, column, value)
    assert words in err.rule


# --- the extended timeline (chapter "Twelve offences") ----------------------

import matplotlib  # noqa: E402
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from durovbook.case import latest_event, plot_timeline, timeline_table, when  # noqa: E402
from durovbook.display import table  # noqa: E402
from durovbook.style import STATEMENT_DATE  # noqa: E402

matplotlib.use("Agg")


def test_timeline_runs_from_the_preliminary_investigation_to_the_lifted_travel_ban():
    events = load_case_events()
    assert events.iloc[0]["id"] == "preliminary_investigation"
    assert latest_event(events)["id"] == "travel_ban_lifted"
    assert latest_event(events)["date"] == events["date"].max()


def test_same_day_events_keep_the_order_of_the_file():
    ids = list(load_case_events()["id"])
    assert ids.index("mise_en_examen") < ids.index("controle_judiciaire")


def test_when_writes_month_events_as_months():
    events = load_case_events()
    written = dict(zip(events["id"], when(events)))
    assert written["preliminary_investigation"] == "Feb 2024"
    assert written["judicial_investigation_opened"] == "8 Jul 2024"


def test_the_shared_table_never_shows_a_month_event_as_a_day():
    events = events_as_of(load_case_events(), "2024-09-05")
    html = table(events, {"date": "Date", "event": "What happened"}).html
    assert "<td>Feb 2024</td>" in html and "1 Feb 2024" not in html
    assert "<td>8 Jul 2024</td>" in html


def test_timeline_table_shows_every_event_with_its_confidence():
    events = load_case_events()
    html = timeline_table(events, caption="The case").html
    assert html.count("<tr>") == len(events) + 1
    assert "Confidence" in html and "likely" in html and "<caption>The case</caption>" in html


def test_latest_event_of_an_empty_table_fails():
    with pytest.raises(ValueError, match="empty"):
        latest_event(load_case_events().iloc[0:0])


def test_plot_timeline_has_one_row_per_event_and_marks_the_statement():
    events = load_case_events()
    fig = plot_timeline(events)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(events["label"])
    def day(x):
        return mdates.num2date(x if isinstance(x, float) else mdates.date2num(x)).date()

    vertical = [line for line in ax.get_lines() if len(line.get_xdata()) == 2 and day(line.get_xdata()[0]) == day(line.get_xdata()[1])]
    assert any(day(line.get_xdata()[0]) == STATEMENT_DATE.date() for line in vertical)
    assert any("5 Sep 2024" in t.get_text() for t in ax.texts)
    assert "Feb 2024" in ax.get_title() and "10 Nov 2025" in ax.get_title()
    plt.close(fig)


def test_plot_timeline_as_of_the_statement_has_no_later_event():
    events = events_as_of(load_case_events(), "2024-09-05")
    fig = plot_timeline(events, title="Before the statement")
    ax = fig.axes[0]
    assert ax.get_title() == "Before the statement"
    assert len(ax.get_yticklabels()) == len(events)
    plt.close(fig)


def test_plot_timeline_refuses_empty_or_unknown_kinds():
    events = load_case_events()
    with pytest.raises(ValueError, match="no events"):
        plot_timeline(events.iloc[0:0])
    odd = events.copy()
    odd.loc[0, "kind"] = "rumour"
    with pytest.raises(ValueError, match="rumour"):
        plot_timeline(odd)


def test_a_month_event_not_on_the_first_is_refused(data_copy):
    month = next(r for r in data_copy.rows("case_events") if r["date_precision"] == "month")
    err = data_copy.broken(load_case_events, "case_events", month["id"], "date", month["date"][:8] + "15")
    assert "1st" in err.rule
