"""Tables and figures: accessible HTML, one opaque colour-blind-safe style."""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import pandas as pd
import pytest

from durovbook import style, table
from durovbook.display import format_date


def test_table_has_caption_headers_language_and_readable_dates():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2024-08-05", None]),
        "text_fr": ["mise en examen", ""],
        "n": [1, None],
    })
    html = table(frame, {"date": "Date", "text_fr": "Terme", "n": "N"}, caption="A <test>", lang={"text_fr": "fr"}).html
    assert "<caption>A &lt;test&gt;</caption>" in html
    assert html.count('<th scope="col">') == 3
    assert '<td lang="fr">mise en examen</td>' in html
    assert "<td>5 Aug 2024</td>" in html
    assert "<td></td>" in html  # missing values are blank, not "nan" or "NaT"
    assert "nan" not in html and "NaT" not in html and "&lt;NA&gt;" not in html


@pytest.mark.parametrize("value, precision, text", [
    ("2024-09-05", "day", "5 Sep 2024"),
    ("2024-08-24", "day", "24 Aug 2024"),
    (pd.Timestamp("2024-02-01"), "month", "Feb 2024"),
    ("2016-07-15", "year", "2016"),
    (None, "day", ""),
    (pd.NaT, "month", ""),
])
def test_format_date_writes_a_date_at_its_precision(value, precision, text):
    assert format_date(value, precision) == text


@pytest.mark.parametrize("value, precision, text", [
    ("2026-12-02", "day", "2 December 2026"),
    (pd.Timestamp("2024-09-05"), "day", "5 September 2024"),
    ("2024-09-05", "month", "September 2024"),
    ("2024-09-05", "year", "2024"),
    (None, "day", ""),
])
def test_format_date_long_writes_the_month_in_full(value, precision, text):
    assert format_date(value, precision, long=True) == text


def test_format_date_refuses_an_unknown_precision():
    with pytest.raises(ValueError, match="ongoing"):
        format_date("2024-09-05", "ongoing")
    with pytest.raises(ValueError, match="ongoing"):
        format_date("2024-09-05", "ongoing", long=True)


def test_table_writes_each_date_at_its_row_precision_unless_told():
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-02-01", "2024-08-24"]), "date_precision": ["month", "day"]})
    assert "<td>Feb 2024</td>" in table(frame).html and "<td>24 Aug 2024</td>" in table(frame).html
    forced = table(frame, precision="month").html
    assert "<td>Aug 2024</td>" in forced and "24 Aug" not in forced


def test_table_accepts_a_list_and_refuses_unknown_columns():
    frame = pd.DataFrame({"a": [1], "b": ["<b>"]})
    html = table(frame, ["b"]).html
    assert "&lt;b&gt;" in html and ">a<" not in html
    assert table(frame).html.count("<th scope") == 2
    with pytest.raises(KeyError, match="zz"):
        table(frame, ["zz"])


def test_a_table_scrolls_in_a_focusable_named_region():
    # A wide table scrolls sideways on a phone; a keyboard user must reach it (axe:
    # scrollable-region-focusable), and a focusable region needs a name.
    frame = pd.DataFrame({"a": [1]})
    html = table(frame, caption='Bans "by" country').html
    box = html.split("<table>")[0]
    assert 'role="region"' in box and 'tabindex="0"' in box and "overflow-x:auto" in box
    assert 'aria-label="Bans &quot;by&quot; country"' in box
    assert 'aria-label="Table"' in table(frame).html  # no caption: still a name


def test_figure_is_opaque_with_white_background():
    fig, ax = style.figure()
    assert fig.get_facecolor()[3] == 1.0
    assert mcolors.to_hex(fig.get_facecolor()) == "#ffffff"
    assert mcolors.to_hex(ax.get_facecolor()) == "#ffffff"


def test_palette_is_okabe_ito_and_distinct():
    assert style.CYCLE[0] == "#0072B2"
    assert len(set(style.CYCLE)) == len(style.CYCLE)
    assert len(style.HATCHES) >= len(style.CYCLE)


def test_text_contrasts_with_the_background():
    def luminance(hex_colour):
        def channel(c):
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (channel(c) for c in mcolors.to_rgb(hex_colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    ratio = (luminance("#ffffff") + 0.05) / (luminance(style.RC["text.color"]) + 0.05)
    assert ratio >= 7, ratio  # WCAG AAA for body text


def test_mark_statement_draws_a_line_on_the_statement_date():
    fig, ax = style.figure()
    ax.plot(pd.to_datetime(["2024-01-01", "2025-01-01"]), [0, 1])
    style.mark_statement(ax)
    x = ax.get_lines()[-1].get_xdata()[0]
    as_number = x if isinstance(x, float) else mdates.date2num(x)
    assert mdates.num2date(as_number).date() == style.STATEMENT_DATE.date()
    assert any("5 Sep 2024" in t.get_text() for t in ax.texts)


def _table_functions():
    import importlib
    import inspect
    import pkgutil

    import durovbook

    for info in pkgutil.iter_modules(durovbook.__path__):
        module = importlib.import_module(f"durovbook.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_table") and not name.startswith("_") and func.__module__ == module.__name__:
                yield pytest.param(func, id=f"{info.name}.{name}")


#: The loader behind each first parameter of a ``*_table`` function.
_LOADERS = {
    "events": ("case", "load_case_events"), "charges": ("charges", "load_charges"),
    "claims": ("coverage", "load_claims"), "users": ("users", "load_users"), "dsa": ("users", "load_dsa"),
    "encryption": ("privacy", "load_encryption"), "changes": ("privacy", "load_policy_changes"),
    "moderation": ("privacy", "load_moderation"), "requests": ("privacy", "load_government_requests"),
    "stages": ("charges", "load_procedure"),
}


@pytest.mark.parametrize("func", list(_table_functions()))
def test_every_function_named_table_returns_an_html_table(func):
    """The naming rule of display.py: ``*_table`` means an HTML table, never a DataFrame."""
    import importlib
    import inspect

    from durovbook.display import HTML

    first = next(iter(inspect.signature(func).parameters.values()), None)
    if first is None or first.default is not inspect.Parameter.empty:
        shown = func()
    else:
        assert first.name in _LOADERS, f"add the loader of the parameter {first.name!r} to _LOADERS"
        module, loader = _LOADERS[first.name]
        shown = func(getattr(importlib.import_module(f"durovbook.{module}"), loader)())
    assert isinstance(shown, HTML)
    assert "<table>" in shown.html and "<th scope=\"col\">" in shown.html


def test_the_table_functions_are_found():
    names = {p.id for p in _table_functions()}
    assert {"case.timeline_table", "privacy.encryption_table", "users.dsa_table", "coverage.claims_table"} <= names
    assert len(names) >= 12
