"""The evidence cards: written from the data rows they name, so a corrected row corrects its card."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from durovbook import DataError
from durovbook.cards import FORMATS, build_cards, evidence_cards, load_cards
from durovbook.data import schema


@pytest.fixture(scope="module")
def cards():
    return build_cards()


def test_at_least_sixteen_cards_each_with_claim_data_source_and_caveat(cards):
    assert len(cards) >= 16
    for card in cards:
        assert card.claim and card.caveat, card.id
        assert card.sources and all(s.strip() for s in card.sources), card.id
        assert len(card.data) == len(card.rows) >= 1, card.id
        assert card.as_of, card.id


def test_every_data_set_a_card_may_use_has_a_format():
    allowed = next(f for f in schema("cards")["fields"] if f["name"] == "dataset")["constraints"]["enum"]
    assert set(allowed) == set(FORMATS)


def test_a_changed_figure_changes_its_card(data_copy):
    data_copy.set_cell("government_requests", "usa_2024", "requests_fulfilled", "901")
    (card,) = build_cards(data_copy.folder, ["R3"])
    assert any("901 requests fulfilled" in line for line in card.data)
    assert not any("900 requests" in line for line in card.data)


def test_a_changed_date_changes_its_card_in_the_book_s_date_style(data_copy):
    data_copy.set_cell("policy_changes", "privacy_policy_2024_valid_orders", "date", "2024-09-24")
    (card,) = build_cards(data_copy.folder, ["P2"])
    assert card.data[0].startswith("24 Sep 2024, Privacy Policy:")


def test_a_changed_row_changes_the_rendered_html(data_copy):
    before = evidence_cards(["M2"], data_copy.folder).html
    data_copy.set_cell("moderation_2024", "peak_day_2024", "value", "224012")
    after = evidence_cards(["M2"], data_copy.folder).html
    assert "224,011" in before and "224,012" in after and "224,011" not in after


def test_a_missing_row_id_names_the_cards_file_the_row_and_the_column(data_copy):
    row = data_copy.set_cell("cards", "E1", "row_ids", "secret_chat;no_such_row")
    with pytest.raises(DataError) as info:
        load_cards(data_copy.folder, ["E1"])
    err = info.value
    assert (err.path.endswith("cards.csv"), err.row, err.column) == (True, row, "row_ids")
    assert "'no_such_row'" in str(err) and "encryption.csv" in str(err)


def test_a_removed_data_row_breaks_the_card_that_uses_it(data_copy):
    rows = [r for r in data_copy.rows("moderation_2024") if r["id"] != "peak_day_2024"]
    data_copy.write("moderation_2024", rows)
    with pytest.raises(DataError) as info:
        load_cards(data_copy.folder, ["M2"])
    assert info.value.row == data_copy.row_of("cards", "M2") and info.value.column == "row_ids"


def test_a_card_may_cite_only_the_sources_of_its_rows(data_copy):
    # The old debate card S4 cited an author that no row (and no chapter) cites.
    err = data_copy.broken(lambda d: load_cards(d, ["E2"]), "cards", "E2", "source", "telegramfaq; nbc2024watchdogs")
    assert "nbc2024watchdogs" in str(err)


@pytest.mark.parametrize("column", ["claim", "caveat", "claim_fr", "caveat_fr"])
def test_a_card_s_own_words_hold_no_figure(data_copy, column):
    err = data_copy.broken(lambda d: load_cards(d, ["R2"]), "cards", "R2", column, "India made 14641 requests.")
    assert "no digit" in str(err)


def test_an_unknown_passage_is_refused(data_copy):
    data_copy.broken(lambda d: load_cards(d, ["U1"]), "cards", "U1", "passage_id", "p99")


def test_the_front_quotes_the_passage_and_names_whose_words_they_are(cards):
    u1 = next(c for c in cards if c.id == "U1")
    assert "950M" in u1.passage and "as reproduced by" in u1.passage_note
    d1 = next(c for c in cards if c.id == "D1")  # a passage no outlet carries in English
    assert "our translation" in d1.passage_note


def test_each_card_is_an_article_with_a_front_and_a_back(cards):
    page = evidence_cards().html
    articles = re.findall(r'<article class="evidence-card" id="card-([A-Z]\d+)"', page)
    assert articles == [c.id for c in cards]
    assert page.count('class="evidence-card-front"') == page.count('class="evidence-card-back"') == len(cards)
    for card in cards:
        block = page.split(f'id="card-{card.id}"')[1].split("</article>")[0]
        assert htmllib.escape(card.caveat, quote=True) in block
        assert htmllib.escape(card.sources[0], quote=True) in block


def test_cards_can_be_picked_by_id_and_an_unknown_id_is_refused():
    assert re.findall(r'id="card-(\w+)"', evidence_cards(["E2", "E1"]).html) == ["E1", "E2"]
    with pytest.raises(KeyError, match="Z9"):
        evidence_cards(["Z9"])


def test_the_as_of_line_groups_rows_by_date(cards):
    e1 = next(c for c in cards if c.id == "E1")
    assert e1.as_of == "25 Aug 2024 (secret_chat, one_to_one_call); 1 May 2025 (group_call)"
    s1 = next(c for c in cards if c.id == "S1")  # case_events has no as_of column: the book's date
    from durovbook import as_of, format_date
    assert s1.as_of == format_date(as_of())


def test_a_card_as_plain_text_holds_front_and_back(cards):
    text = next(c for c in cards if c.id == "B1").text()
    lines = text.splitlines()
    assert lines[0] == "B1 · Bans" and "banned in Russia" in text
    assert "Russia, 16 Apr 2018 to 18 Jun 2020: a full block" in text
    assert "Data: bans.csv, row rus-2018" in text and "As of: 18 Jun 2020" in text
    assert lines[-1].startswith("Caveat: ") and any(l.startswith("Source: TASS") for l in lines)


def test_every_kind_of_end_of_a_ban_is_written():
    from durovbook import load
    from durovbook.cards import data_line
    bans = load("bans").set_index("id", drop=False)
    assert data_line("bans", bans.loc["irn-2018"]).startswith("Iran, from 30 Apr 2018, still in force: a full block")
    assert "(end not known)" in data_line("bans", bans.loc["sau-2016"])
    assert data_line("bans", bans.loc["bra-2022"]).endswith(".") and "ordered but not carried out" in data_line("bans", bans.loc["bra-2022"])


def test_rows_as_recent_as_the_book_carry_the_book_s_date(data_copy):
    from durovbook.cards import as_of_line
    from durovbook import load, as_of
    rows = load("encryption").set_index("id").loc[["secret_chat"]]
    assert as_of_line(rows, as_of()) == "25 Aug 2024"
    assert as_of_line(rows, rows["as_of"].iloc[0]) == "25 Aug 2024"  # not older than the book: the book's date


# --- the French edition's cards ----------------------------------------------------

def test_every_data_set_writes_a_french_line_that_differs_from_the_english():
    """One function per data set writes both languages (its words come from durovbook/locale/fr/cards.csv)."""
    from durovbook import i18n
    from durovbook.cards import _tables, data_line

    for dataset, table in _tables(list(FORMATS), None).items():
        row = table.iloc[0]
        with i18n.using("en"):
            english = data_line(dataset, row)
        with i18n.using("fr"):
            french = data_line(dataset, row)
        assert english and french and english != french, dataset


def test_a_french_card_is_written_in_french_from_the_same_rows():
    from durovbook import i18n

    with i18n.using("fr"):
        (card,) = build_cards(None, ["R3"])
        page = evidence_cards(["B1"]).html
    assert card.claim == "Les réponses de Telegram aux États-Unis ont bondi en fin d'année."
    assert card.topic == "Les demandes"
    assert card.data[1].startswith("États-Unis d'Amérique, du 1er janv. 2024 au 31 déc. 2024 : 900 demandes satisfaites")
    assert card.caveat.startswith("Chiffres déclarés par Telegram.")
    assert "Prudence : " in card.text() and "Caveat" not in card.text()
    # Durov's English stays English; the reasons quoted from English sources are tagged so
    assert '<blockquote class="evidence-card-passage" lang="en"' in page
    assert "Motif avancé : Refus de remettre au FSB les clés" in page  # the reason, in our French (bans.csv)
    assert '<span lang="en">Refusal to give the FSB the keys' not in page
    assert "Russie, 16 avr. 2018 – 18 juin 2020 : un blocage total" in page


def test_a_changed_figure_changes_the_french_card_too(data_copy):
    from durovbook import i18n

    data_copy.set_cell("government_requests", "usa_2024", "requests_fulfilled", "901")
    with i18n.using("fr"):
        (card,) = build_cards(data_copy.folder, ["R3"])
    assert any("901 demandes satisfaites" in line for line in card.data)


def test_a_french_card_quotes_a_published_french_rendering_not_a_translation_of_ours():
    from durovbook import i18n
    from durovbook.passages import load_passages

    passages = load_passages().set_index("id")
    french_only = [c for c in load_cards().itertuples()
                   if isinstance(c.passage_id, str) and not isinstance(passages.loc[c.passage_id, "en_original"], str)]
    if not french_only:
        pytest.skip("every card's passage has an English original")
    card_id = french_only[0].id
    with i18n.using("fr"):
        (card,) = build_cards(None, [card_id])
    assert card.passage_lang == "fr" and "version française publiée par" in card.passage_note
    assert card.passage in set(passages.loc[french_only[0].passage_id, ["fr_000", "fr_001"]].dropna())


def test_a_french_card_quotes_a_field_without_french_in_english_marked_so():
    import pandas as pd

    from durovbook import i18n
    from durovbook.cards import _fr, _line_html, _plain

    row = pd.Series({"event": "Durov is detained.", "outcome": "No ban", "outcome_fr": "Aucune interdiction"})
    with i18n.using("fr"):
        event, outcome = _fr(row, "event"), _fr(row, "outcome")
    assert outcome == "Aucune interdiction"
    assert _line_html(event) == '<span lang="en">Durov is detained.</span>' and _plain(event) == "Durov is detained."
