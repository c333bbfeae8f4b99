"""The bans, coverage and privacy chapters write French in the French edition.

For each chapter module, under ``i18n.using("fr")``: at least one figure's
text (title, axis label or legend) and one table's headers are French, with
French country names, dates and numbers; under ``"en"`` the same calls write
exactly what the English edition has always shown.
"""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import pandas as pd
import pytest

from durovbook import i18n
from durovbook.bans import (episodes_as_text, load_bans, map_control, plot_map, plot_timeline, scope_counts,
                            status_summary)
from durovbook.coverage import claims_by, claims_table, load_claims, plot_verdicts, verdict_summary, word_diff
from durovbook.privacy import (encryption_table, load_encryption, load_government_requests, load_moderation,
                               load_policy_changes, plot_government_requests, plot_keys, plot_moderation,
                               quarterly_table, requests_table)


def _texts(fig) -> list[str]:
    """Every piece of text drawn on a figure: titles, labels, ticks, legends, notes."""
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def _headers(html_obj) -> list[str]:
    return re.findall(r'<th scope="col">(.*?)</th>', html_obj._repr_html_())


def _cell(text: str) -> str:
    import html

    return html.escape(str(text), quote=True)


def _caption(html_obj) -> str:
    return re.search(r"<caption>(.*?)</caption>", html_obj._repr_html_()).group(1)


@pytest.fixture(scope="module")
def bans():
    return load_bans()


# --- bans -------------------------------------------------------------------------

@pytest.mark.parametrize("lang, title, legend, status, note", [
    ("fr", "Telegram bloqué par des gouvernements, au 5 sept. 2024", "Statut du pays", "bloqué (",
     "Non confirmé par une source à cette date : Chine (source la plus récente du 13 nov. 2023)"),
    ("en", "Telegram blocked by governments, as of 5 Sep 2024", "Status of the country", "blocked (",
     "Not confirmed by a source on this date: China (newest source 13 Nov 2023)"),
])
def test_the_map_speaks_the_editions_language(bans, lang, title, legend, status, note):
    with i18n.using(lang):
        texts = _texts(plot_map(bans, "2024-09-05"))
    assert title in texts and legend in texts
    assert any(t.startswith(status) for t in texts)
    assert any(t.startswith(note) for t in texts)


def test_the_timeline_names_countries_and_months_in_french(bans):
    with i18n.using("fr"):
        texts = _texts(plot_timeline(bans))
    assert "Épisodes de blocage, par portée (barre : en vigueur selon les sources)" in texts
    assert "Chine, juil. 2015" in texts and "Russie, avr. 2018" in texts
    assert "Portée (barre et marque de début)" in texts
    with i18n.using("en"):
        english = _texts(plot_timeline(bans))
    assert "China, Jul 2015" in english
    # the episodes are in the order of the names the reader sees, accents aside
    rows = [t for t in texts if re.fullmatch(r".+, \S+ \d{4}", t)]
    assert rows.index("Espagne, mars 2024") < rows.index("Éthiopie, juin 2019") < rows.index("Inde, juin 2026")
    assert rows.index("Arabie Saoudite, janv. 2016") < rows.index("Azerbaïdjan, sept. 2020")
    english_rows = [t for t in english if re.fullmatch(r".+, \S+ \d{4}", t)]
    assert english_rows == sorted(english_rows, key=lambda t: t.split(",")[0])


def test_the_status_table_is_french_but_keeps_its_logic(bans):
    with i18n.using("fr"):
        summary = status_summary(bans, "2024-09-05")
        counts = scope_counts(bans)
        episodes = episodes_as_text(bans)
    china = summary[summary["country"] == "Chine"].iloc[0]
    assert (china["status"], china["since"]) == ("bloqué", "13 juil. 2015")
    assert china["checked"] == "non : source la plus récente du 13 nov. 2023"
    assert summary.loc[summary["country"] == "Iran", "checked"].item() == "oui"
    assert counts["scope"].iloc[-1] == "tous" and "partiel" in list(counts["scope"])
    # who ordered a block and why: our French translation (bans.csv's *_fr columns)
    russia = episodes.set_index("id").loc["rus-2018"]
    row = bans.set_index("id").loc["rus-2018"]
    assert russia["stated_reason"] == row["stated_reason_fr"] != row["stated_reason"]
    assert russia["ordered_by"] == row["ordered_by_fr"]
    with i18n.using("en"):
        english = status_summary(bans, "2024-09-05")
    assert english.loc[english["country"] == "China", "checked"].item() == "no: newest source 13 Nov 2023"


def test_the_date_control_carries_french_words_for_its_script(bans):
    with i18n.using("fr"):
        page = map_control(bans, "2024-09-05")._repr_html_()
    assert "data-labels=" in page and '"partially blocked": "partiellement bloqué"' in page
    assert "<caption>Statut de chaque pays à la date choisie</caption>" in page
    assert "Afficher les statuts au " in page
    with i18n.using("en"):
        english = map_control(bans, "2024-09-05")._repr_html_()
    assert '<div class="durov-mapcontrol">' in english and "<caption>Status of each country on the chosen date</caption>" in english


# --- coverage ---------------------------------------------------------------------

def test_the_verdict_chart_and_sentence_are_french():
    claims = load_claims()
    with i18n.using("fr"):
        texts = _texts(plot_verdicts(claims))
        sentence = str(verdict_summary(claims))
        table = claims_table(claims_by(claims, method_step="author"))
    assert "Nombre d'affirmations vérifiées" in texts
    assert {"exact", "trompeur", "inexact", "invérifiable"} <= set(texts)
    assert sentence.startswith("Sur ") and "exact : " in sentence
    headers = _headers(table)
    assert "Affirmation telle que publiée" in headers and "Notre traduction" not in headers
    first = claims_by(claims, method_step="author").iloc[0]
    assert _cell(first["evidence_fr"]) in table._repr_html_()  # the evidence, in our French
    assert _cell(first["evidence"]) not in table._repr_html_()
    with i18n.using("en"):
        assert "Our translation" in _headers(claims_table(claims_by(claims, method_step="author")))
        assert str(verdict_summary(claims)).startswith("Of ")


def test_the_word_diff_labels_its_changes_in_the_page_language():
    with i18n.using("fr"):
        page = word_diff("p20")._repr_html_()
    assert '<span lang="fr"' in page and "[seulement dans Journal du Coin :]" in page
    assert re.search(r"Score d'accord : 0,\d\d\.", page)
    with i18n.using("en"):
        assert re.search(r"Agreement score: 0\.\d\d\.", word_diff("p20")._repr_html_())


# --- privacy ----------------------------------------------------------------------

def test_the_privacy_figures_are_french():
    requests, moderation = load_government_requests(), load_moderation()
    with i18n.using("fr"):
        keys = _texts(plot_keys(load_encryption()))
        bars = _texts(plot_government_requests(requests))
        blocked = _texts(plot_moderation(moderation))
    assert "Qui détient les clés ?" in keys and "Conversation secrète" in keys
    assert "Demandes satisfaites" in bars and "Inde" in bars and "Brésil" in bars
    assert "2 461" in [t.replace(i18n.NNBSP, " ") for t in bars]
    assert any(t.startswith("Telegram dit avoir bloqué ") and "millions" in t for t in blocked)
    with i18n.using("en"):
        english = _texts(plot_government_requests(requests))
    assert "India" in english and "2,461" in english


def test_the_privacy_tables_are_french():
    requests = load_government_requests()
    with i18n.using("fr"):
        encryption = encryption_table(load_encryption())
        fulfilled = requests_table(requests)
        quarters = quarterly_table(requests)
    assert _headers(encryption)[:3] == ["Type de conversation", "Participants", "Chiffré de bout en bout"]
    assert "Conversation secrète" in encryption._repr_html_()
    assert _headers(fulfilled)[0] == "Pays" and "Inde" in fulfilled._repr_html_()
    assert _caption(quarters).startswith("Demandes satisfaites par trimestre. Chiffres déclarés par Telegram")
    assert "T1 2024" in quarters._repr_html_()
    with i18n.using("en"):
        assert _headers(encryption_table(load_encryption()))[0] == "Kind of chat"
        assert "Q1 2024" in quarterly_table(requests)._repr_html_()


# --- handouts ---------------------------------------------------------------------

def test_the_worksheet_grid_and_its_key_are_french():
    from durovbook.handouts import sorting_grid, sorting_key

    with i18n.using("fr"):
        grid = sorting_grid(["p02", "p05"])
        key = sorting_key(["p02", "p11"])
    assert _headers(grid)[:3] == ["Passage", "Les mots de Durov", "Affirmation de fait (cochez)"]
    assert '<td lang="en">Last month I got interviewed by police' in grid._repr_html_()
    page = key._repr_html_()
    assert "<td>affirmation de fait</td><td>Confirmé</td>" in page
    assert "La déclaration, section « Avant la déclaration : l&#x27;affaire française en dates »" in page
    with i18n.using("en"):
        english = sorting_key(["p02"])._repr_html_()
    assert "<td>claim of fact</td><td>Supported</td>" in english
    assert "The statement, section “Before the statement: the French case in dates”" in english


def test_a_module_s_table_headed_by_category_labels_is_french():
    """Labels from data/labels.csv are translations already: table() keeps them as they are."""
    from durovbook.coverage import verdict_table, verdicts_explained

    claims = load_claims()
    with i18n.using("fr"):
        headers = _headers(verdict_table(claims))
        meanings = _headers(verdicts_explained())
    assert headers == ["article", "exact", "trompeur", "inexact", "invérifiable", "total"]
    assert meanings == ["Verdict", "Ce que cela veut dire"]


# --- phone drawings ---------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_case_figures_can_be_drawn_for_a_phone_in_both_languages(lang):
    """The phone drawing copies a figure with pickle: its tick formatters must not be closures."""
    import pickle

    from durovbook import style
    from durovbook.case import load_case_events, plot_days
    from durovbook.case import plot_timeline as plot_case

    events = load_case_events()
    with i18n.using(lang):
        for fig in (plot_case(events), plot_days(events, "2024-08-24", "2024-08-28")):
            pickle.dumps(fig)
            png, meta = style.phone_png(fig)
            assert png and meta
        month = fig.axes[0].xaxis.get_major_formatter()(mdates.date2num(pd.Timestamp("2024-08-24")), 0)
    assert month.endswith("24 août" if lang == "fr" else "24 Aug")


def test_a_table_shows_a_column_s_french_twin_in_french_and_keeps_english_where_it_has_none():
    import pandas as pd

    from durovbook import table

    frame = pd.DataFrame({"what": ["A probe", "A ban"], "what_fr": ["Une enquête", ""]})
    with i18n.using("fr"):
        page = table(frame, ["what"])._repr_html_()
    assert "<td>Une enquête</td>" in page and "<td>A ban</td>" in page
    with i18n.using("en"):
        assert "<td>A probe</td>" in table(frame, ["what"])._repr_html_()
