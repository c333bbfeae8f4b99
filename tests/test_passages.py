"""The statement's passages: verbatim quotations, verified English, rendering."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from bookbuild import myst, toc
from durovbook import DataError, checkable, load_passages, passage, passages, renderings
from durovbook.display import VERIFICATION, chapter_title
from durovbook.passages import CHAPTER_TITLES, english_sources
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


def test_a_passage_links_to_the_chapter_that_examines_it(rows):
    html = passage("p20").html
    assert rows.set_index("id").loc["p20", "examined_in"] == "users"
    assert f'Examined in the chapter <a href="users.html">{chapter_title("users")}</a>' in html
    assert chapter_title("no_such_chapter") is None


def _title_of(path):
    return myst.headings(path.read_text(encoding="utf-8"), 1)[0]


def test_the_package_knows_the_real_title_of_every_chapter():
    """CHAPTER_TITLES is the chapters' first headings, word for word: it cannot drift from them."""
    real = {path.stem: _title_of(path) for path in toc.chapters()}
    assert CHAPTER_TITLES == real


def test_the_chapter_titles_have_their_french_labels():
    """data/labels.csv gives every chapter its title in both languages; in French it is the French chapter's title."""
    from durovbook import i18n

    for name, title in CHAPTER_TITLES.items():
        assert i18n.label("verdicts", "chapter", name, "en") == title
        french = ROOT / "fr" / "chapters" / f"{name}.md"
        if french.exists():
            heading = _title_of(french)
            if heading != title:  # not an English stub: translated
                assert i18n.label("verdicts", "chapter", name, "fr") == heading, \
                    f"fr/chapters/{name}.md: its title differs from the French label in data/labels.csv"


def test_every_examined_in_names_a_known_chapter(rows):
    from durovbook.data import schema

    field = next(f for f in schema("passages")["fields"] if f["name"] == "examined_in")
    assert set(field["constraints"]["enum"]) - {""} <= set(CHAPTER_TITLES)
    assert set(rows["examined_in"].dropna()) <= set(CHAPTER_TITLES)


def test_the_examined_in_note_appears_where_there_is_no_chapters_folder(tmp_path):
    """The student pack ships durovbook/, data/ and references.bib, but no chapters/."""
    shutil.copytree(ROOT / "durovbook", tmp_path / "durovbook", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    script = ("import durovbook, pathlib; from durovbook import passage; "
              "assert not (pathlib.Path(durovbook.__file__).parent.parent / 'chapters').exists(); "
              "print(durovbook.__file__); print(passage('p20').html)")
    env = {k: v for k, v in os.environ.items() if k != "DUROVBOOK_DATA"}
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[0] == str(tmp_path / "durovbook" / "__init__.py")
    assert f'Examined in the chapter <a href="users.html">{CHAPTER_TITLES["users"]}</a>' in out


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


@pytest.mark.parametrize("row_id, column, value, words", [
    ("p20", "source", "tass2024statement; seed001liannews", "two or more outlets"),
    ("p04", "verification", "english-confirmed", "go with an en_original"),
    ("p04", "en_ours", "", "needs our English translation"),
    ("p20", "examined_in", "nosuchchapter", "must be one of"),
], ids=["english-from-one-outlet", "verification-against-english", "no-translation", "unknown-chapter"])
def test_a_broken_cell_names_file_row_and_column(data_copy, row_id, column, value, words):
    err = data_copy.broken(load_passages, "passages", row_id, column, value)
    assert words in err.rule


def test_a_passage_needs_some_text(data_copy):
    for column in ("fr_000", "fr_001", "en_ours"):
        data_copy.set_cell("passages", "p01", column, "")
    err = data_copy.broken(load_passages, "passages", "p01", "en_original", "")
    assert "needs an English original or a French rendering" in err.rule


def test_renderings_table_tags_each_version_with_its_language():
    html = renderings("p20").html
    assert html.count('<th scope="row">') == 3  # English original and two French renderings
    assert html.count('<td lang="fr">') == 2 and html.count('<td lang="en">') == 1
    french_only = renderings("p04").html
    assert "Our translation" in french_only and "English original" not in french_only
    with pytest.raises(KeyError):
        renderings("p00")
