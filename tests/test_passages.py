"""The statement's passages: verbatim quotations, verified English, rendering."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from durovbook import DataError, checkable, load_passages, passage, passages, renderings
from durovbook.display import VERIFICATION, chapter_title
from durovbook.passages import english_sources
from durovbook.sources import load_sources
from durovbook.paths import ROOT


@pytest.fixture(scope="module")
def rows():
    return load_passages()


def test_passages_are_in_order_and_numbered(rows):
    assert list(rows["order"]) == list(range(1, len(rows) + 1))
    assert rows["id"].str.fullmatch(r"p\d{2}").all()


def test_french_renderings_are_verbatim_in_the_seed_articles(rows, seeds):
    for _, row in rows.iterrows():
        for column, seed in (("fr_000", "000"), ("fr_001", "001")):
            if not pd.isna(row[column]):
                assert row[column] in seeds[seed], f"{row['id']} {column} is not verbatim in seed {seed}"


def test_english_originals_name_their_outlets(rows):
    sources = load_sources(ROOT / "references.bib")
    for _, row in rows[rows["en_original"].notna()].iterrows():
        english = english_sources(row["source"])
        assert len(english) >= (2 if row["verification"] == "english-confirmed" else 1), row["id"]
        assert row["en_source"] in english, row["id"]
        assert all(sources[k].url for k in english), f"{row['id']}: an English source has no URL"


def test_french_only_passages_carry_our_translation(rows):
    french_only = rows[rows["verification"] == "french-only"]
    assert french_only["en_original"].isna().all()
    assert french_only["en_ours"].notna().all()


def test_a_passage_renders_with_language_tags_attribution_and_link(rows):
    html = passage("p20").html
    assert '<blockquote lang="en"' in html
    assert html.count('<blockquote lang="fr"') == 2
    assert "https://tass.com/society/1839411" in html
    assert "Journal du Coin" in html and "Lian News ABMedia" in html
    assert VERIFICATION["english-confirmed"] in html
    assert "Our translation" not in html


def test_a_french_only_passage_is_labelled_our_translation():
    html = passage("p04").html
    assert '<blockquote lang="en"' not in html
    assert "<strong>Our translation</strong>" in html
    assert 'lang="fr"' in html


def test_forward_link_only_when_the_chapter_exists(rows, tmp_path):
    html = passage("p20").html
    title = chapter_title("users")
    if title:
        assert 'href="users.html"' in html and title in html
    else:
        assert "users.html" not in html
    assert chapter_title("no_such_chapter") is None


def test_quotation_text_is_escaped():
    html = passage("p03").html
    assert "&#x27;" in html or "&#39;" in html  # apostrophes escaped, not raw HTML
    assert re.search(r"<p>[^<]*personally responsible", html)


def test_unknown_passage_id():
    with pytest.raises(KeyError, match="p99"):
        passage("p99")


def test_several_passages_and_plain_text():
    block = passages("p01", "p02")
    assert block.html.count('class="durov-passage"') == 2
    assert "<" not in str(block) and "Merci" in str(block)


def test_checkable_passages_point_at_chapters(rows):
    claims = checkable(rows)
    assert set(claims["examined_in"]) <= {"users", "charges", "bans", "coverage", "privacy"}
    assert "p20" in set(claims["id"]) and "p01" not in set(claims["id"])


def _break(data_copy, index, **cells):
    rows = data_copy.rows("passages")
    rows[index].update(cells)
    data_copy.write("passages", rows)


def test_english_with_a_single_outlet_is_refused(data_copy):
    rows = data_copy.rows("passages")
    index = next(i for i, r in enumerate(rows) if r["id"] == "p20")
    _break(data_copy, index, source="tass2024statement; seed001liannews")
    with pytest.raises(DataError) as info:
        load_passages(data_copy.folder)
    assert (info.value.row, info.value.column) == (index + 2, "source")


def test_verification_must_match_the_english(data_copy):
    _break(data_copy, 0, verification="english-confirmed")
    with pytest.raises(DataError, match="verification"):
        load_passages(data_copy.folder)


def test_a_passage_needs_some_text(data_copy):
    _break(data_copy, 0, fr_000="", fr_001="", en_original="")
    with pytest.raises(DataError, match="needs an English original or a French rendering"):
        load_passages(data_copy.folder)


def test_french_only_needs_our_translation(data_copy):
    index = next(i for i, r in enumerate(data_copy.rows("passages")) if r["verification"] == "french-only")
    _break(data_copy, index, en_ours="")
    with pytest.raises(DataError) as info:
        load_passages(data_copy.folder)
    assert info.value.column == "en_ours" and info.value.row == index + 2


def test_renderings_table_tags_each_version_with_its_language():
    html = renderings("p20").html
    assert html.count('<th scope="row">') == 3  # English original and two French renderings
    assert html.count('<td lang="fr">') == 2 and html.count('<td lang="en">') == 1
    french_only = renderings("p04").html
    assert "Our translation" in french_only and "English original" not in french_only
    with pytest.raises(KeyError):
        renderings("p00")
