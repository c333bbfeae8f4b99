"""The statement shown whole: every passage once, English named by outlet, French beside it."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from durovbook import DataError, load_passages
from durovbook.paths import ROOT
from durovbook.sources import load_sources
from durovbook.statement_whole import whole_statement
from durovbook.display import VERIFICATION


@pytest.fixture(scope="module")
def page():
    return whole_statement().html


@pytest.fixture(scope="module")
def rows():
    return load_passages()


def test_every_passage_appears_once_in_order(page, rows):
    ids = re.findall(r'id="passage-(p\d{2})"', page)
    assert ids == list(rows["id"])


def test_english_is_named_by_its_outlet_or_labelled_ours(page, rows):
    sources = load_sources(ROOT / "references.bib")
    blocks = page.split('<section class="durov-whole-passage"')[1:]
    for block, (_, row) in zip(blocks, rows.iterrows()):
        if isinstance(row["en_original"], str):
            assert htmllib.escape(row["en_original"], quote=True) in block
            assert "As reproduced by" in block and htmllib.escape(sources[row["en_source"]].outlet) in block
            assert "Our translation" not in block
        else:
            assert "<strong>Our translation</strong>" in block, row["id"]


def test_french_is_tagged_and_both_renderings_are_there(page, rows):
    assert page.count('<blockquote lang="fr"') == rows["fr_000"].notna().sum() + rows["fr_001"].notna().sum()
    assert "Lian News ABMedia" in page and "Journal du Coin" in page


def test_the_disclaimer_is_not_repeated_per_passage(page):
    for sentence in VERIFICATION.values():
        assert sentence not in page


def test_columns_wrap_on_a_narrow_screen(page):
    # Side by side when two 16em columns fit, one after the other when they do not.
    assert page.count("flex:1 1 16em") == 2 * page.count('<section class="durov-whole-passage"')
    assert "flex-wrap:wrap" in page


def test_each_passage_links_to_its_verdict(page, rows):
    for pid in rows["id"]:
        assert f'href="verdicts.html#verdict-{pid}"' in page


def test_most_passages_now_have_english(rows):
    # One named outlet is enough: the old two-outlet rule left 10 of 23.
    assert rows["en_original"].notna().sum() >= 18


def test_an_english_original_must_name_its_outlet(data_copy):
    row = data_copy.set_cell("passages", "p13", "en_source", "")
    with pytest.raises(DataError) as info:
        load_passages(data_copy.folder)
    assert info.value.path.endswith("passages.csv") and (info.value.row, info.value.column) == (row, "en_source")


def test_the_named_outlet_must_be_a_source_of_the_row(data_copy):
    row = data_copy.set_cell("passages", "p13", "en_source", "tass2024statement")
    with pytest.raises(DataError) as info:
        load_passages(data_copy.folder)
    assert (info.value.row, info.value.column) == (row, "en_source")


def test_one_outlet_status_names_exactly_one_outlet(data_copy):
    row = data_copy.set_cell("passages", "p20", "verification", "english-one-outlet")
    with pytest.raises(DataError) as info:
        load_passages(data_copy.folder)
    assert (info.value.row, info.value.column) == (row, "source")


def test_no_outlet_without_english(data_copy):
    row = data_copy.set_cell("passages", "p04", "en_source", "tass2024statement")
    with pytest.raises(DataError) as info:
        load_passages(data_copy.folder)
    assert (info.value.row, info.value.column) == (row, "en_source")
