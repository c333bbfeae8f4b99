"""The explanatory pictures of issue 14: drawn from the data, and their alt text tells the same story."""

from __future__ import annotations

import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from durovbook import load_case_events, plot_days
from durovbook.paths import ROOT
from durovbook.privacy import (load_encryption, load_government_requests, load_policy_changes, plot_keys,
                               plot_requests_by_quarter, quarterly_requests, quarterly_table)

matplotlib.use("Agg")


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def alt_text(chapter: str, call: str) -> str:
    """The alt text of the figure cell of ``chapter`` that runs ``call``."""
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    cells = [c for c in re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, re.S | re.M) if call in c]
    assert len(cells) == 1, f"{chapter}: {call!r} is not drawn once"
    found = re.search(r':    alt: "(.*)"', cells[0])
    assert found, f"{chapter}: the figure of {call!r} has no alt text"
    return found.group(1)


@pytest.fixture(scope="module")
def requests():
    return load_government_requests()


def test_the_fourth_quarter_is_the_year_minus_the_quoted_quarters(requests):
    rows = quarterly_requests(requests)
    for country in ("India", "Brazil"):
        own = rows[rows["country"] == country]
        assert list(own["quarter"]) == ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"]
        assert list(own["derived"]) == [False, False, False, True]
        year = requests[(requests["country"] == country) & (requests["reported_via"] == "transparency_bot")
                        & (requests["period_end"] - requests["period_start"]).dt.days.gt(300)]
        assert own["requests_fulfilled"].sum() == int(year["requests_fulfilled"].iloc[0])


def test_a_changed_figure_changes_the_fourth_quarter(requests):
    changed = requests.copy()
    changed.loc[changed["id"] == "ind_2024", "requests_fulfilled"] += 100
    before = quarterly_requests(requests).set_index(["country", "quarter"])["requests_fulfilled"]
    after = quarterly_requests(changed).set_index(["country", "quarter"])["requests_fulfilled"]
    assert after[("India", "Q4 2024")] == before[("India", "Q4 2024")] + 100


def test_the_policy_change_is_marked_on_its_date(requests):
    changes = load_policy_changes()
    fig = plot_requests_by_quarter(requests, changes)
    day = matplotlib.dates.date2num(changes.set_index("id").loc["privacy_policy_2024_valid_orders", "date"])
    for ax in fig.axes:
        lines = [l for l in ax.get_lines() if l.get_linestyle() == "--"]
        assert [matplotlib.dates.date2num(l.get_xdata()[0]) for l in lines] == [day]
    assert any("23 Sep 2024" in t for t in texts(fig)) and any("our arithmetic" in t for t in texts(fig))
    assert fig.get_facecolor()[3] == 1.0
    plt.close(fig)
    with pytest.raises(KeyError, match="no_such_change"):
        plot_requests_by_quarter(requests, changes, change="no_such_change")


def test_the_alt_text_of_the_quarters_gives_the_data(requests):
    alt = alt_text("privacy", "plot_requests_by_quarter(")
    for value in quarterly_requests(requests)["requests_fulfilled"]:
        assert f"{value:,}" in alt, value
    assert "23 September 2024" in alt
    table = quarterly_table(requests).html
    assert "7,649" in table and "our arithmetic" in table


def test_the_keys_are_where_the_data_puts_them():
    encryption = load_encryption()
    fig = plot_keys(encryption)
    for ax, chat in zip(fig.axes, ("cloud_private_chat", "secret_chat")):
        holder = encryption.set_index("id").loc[chat, "keys_held_by"]
        held = [t.get_text() for t in ax.texts].count("holds the keys")
        assert held == (1 if holder == "telegram" else 2), (chat, held)
    plt.close(fig)
    broken = encryption.copy()
    broken.loc[broken["id"] == "secret_chat", "keys_held_by"] = "nobody"
    with pytest.raises(ValueError, match="secret_chat"):
        plot_keys(broken)
    alt = alt_text("privacy", "plot_keys(")
    assert "Telegram holds the keys" in alt and "only your phone and your friend's phone hold the keys" in alt


def test_the_zoom_shows_the_days_and_only_them():
    events = load_case_events()
    fig = plot_days(events, "2024-08-24", "2024-08-28")
    ax = fig.axes[0]
    inside = events[(events["date"] >= "2024-08-24") & (events["date"] <= "2024-08-28")]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(inside["label"])
    assert "4 days" in texts(fig)
    plt.close(fig)
    with pytest.raises(ValueError, match="no event"):
        plot_days(events, "2024-08-29", "2024-08-30")
    alt = alt_text("statement", "plot_days(")
    for label in ("Le Bourget", "12 offences", "4 days"):
        assert label in alt
    for day in pd.date_range("2024-08-24", "2024-08-28"):
        if day in set(inside["date"]):
            assert f"{day:%A} {day.day}" in alt, day


def test_the_procedure_marks_the_case_and_the_false_friends():
    from durovbook.charges import load_procedure, plot_procedure, procedure_table

    events = load_case_events()
    stages = load_procedure()
    assert stages["not_the_same_as"].str.startswith("an indictment").any()
    fig = plot_procedure(stages, events)
    shown = " ".join(texts(fig))
    assert "Not an indictment" in shown and "Durov: 28 Aug 2024" in shown and "Durov: Feb 2024" in shown
    assert "as of 10 Nov 2025" in shown
    plt.close(fig)
    # an outcome reached: the "is here" note goes, the outcome is dated
    later = pd.concat([events, events.tail(1).assign(id="renvoi_event", date=pd.Timestamp("2026-01-05"))])
    stages2 = stages.copy()
    stages2.loc[stages2["id"] == "renvoi", "case_event"] = "renvoi_event"
    fig = plot_procedure(stages2, later)
    assert "is here" not in " ".join(texts(fig)) and "Durov: 5 Jan 2026" in " ".join(texts(fig))
    plt.close(fig)
    assert "Not reached" in procedure_table(stages, events).html
    alt = alt_text("charges", "plot_procedure(")
    for stage in stages["stage_fr"]:
        assert stage.split()[-1].lower() in alt.lower(), stage


def test_a_broken_procedure_row_names_file_row_and_column(data_copy):
    from durovbook import DataError
    from durovbook.charges import load_procedure

    path = data_copy.folder / "procedure_stages.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",mise_en_examen,servicepublic", ",no_such_event,servicepublic"), encoding="utf-8")
    with pytest.raises(DataError, match=r"procedure_stages.csv.*row 5.*case_event"):
        load_procedure(data_copy.folder)
    path.write_text(text.replace(",garde_a_vue,judicial_investigation_opened", ",enquete_preliminaire,judicial_investigation_opened"),
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"row 3.*leads_to"):
        load_procedure(data_copy.folder)


def test_the_diagrams_have_phone_drawings_with_12px_text(requests):
    from durovbook import style
    from durovbook.charges import load_procedure, plot_procedure

    events = load_case_events()
    for fig in (plot_keys(load_encryption()), plot_procedure(load_procedure(), events)):
        assert callable(fig.phone)
        phone = fig.phone()
        assert phone.get_size_inches()[0] == pytest.approx(style.PHONE_WIDTH)
        assert style.min_text_px(phone) >= 12
        plt.close(phone)
        plt.close(fig)
