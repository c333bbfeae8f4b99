"""The verdict board: one verdict per passage, each linked to a real section."""

from __future__ import annotations

import re

import pytest
from docutils.nodes import make_id

from bookbuild import myst, toc
from durovbook import DataError, load, load_passages
from durovbook.paths import ROOT
from durovbook.sources import load_sources
from durovbook.asof import as_of_text
from durovbook.verdicts import (VERDICTS, evidence_href, load_verdicts,
                                section_id, verdict_board, verdict_counts, verdict_key, verdict_lines)

CHAPTERS = [p.stem for p in toc.chapters()]


@pytest.fixture(scope="module")
def verdicts():
    return load_verdicts()


def test_every_passage_has_exactly_one_verdict(verdicts):
    passages = load_passages()
    assert sorted(verdicts["passage_id"]) == sorted(passages["id"])
    assert verdicts["passage_id"].is_unique
    assert list(verdicts["passage_id"]) == list(passages["id"]), "verdicts come in the statement's order"


def test_every_verdict_is_one_of_the_five(verdicts):
    assert set(verdicts["verdict"]) <= set(VERDICTS)
    assert len(VERDICTS) == 5


def chapter_sections(chapter: str, root=ROOT) -> list[str]:
    """The section titles (``##`` and deeper) of ``chapters/<chapter>.md``, read by the book's MyST parser."""
    text = (root / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    return [title for level in range(2, 7) for title in myst.headings(text, level)]


def missing_sections(verdicts, root=ROOT) -> list[str]:
    """Every verdict whose section is not a heading of its chapter, named by its passage."""
    return [f"{row.passage_id}: no section titled {row.section!r} in chapters/{row.chapter}.md"
            for row in verdicts.itertuples() if row.section not in chapter_sections(row.chapter, root)]


@pytest.mark.parametrize("passage_id", list(load_verdicts()["passage_id"]))
def test_every_link_resolves_to_a_section_of_its_chapter(verdicts, passage_id):
    # The loader can't check this: the student pack has the data but no chapters/*.md.
    row = verdicts.set_index("passage_id").loc[passage_id]
    assert not missing_sections(verdicts[verdicts["passage_id"] == passage_id])
    page, anchor = evidence_href(row).split("#")
    assert (ROOT / "chapters" / page.replace(".html", ".md")).exists()
    # The anchor is the id Sphinx (docutils) gives the section.
    assert anchor == make_id(row["section"])


def _french_chapter(chapter: str):
    """``fr/chapters/<chapter>.md``, or a skip when it is missing or still the English page (a stub)."""
    path = ROOT / "fr" / "chapters" / f"{chapter}.md"
    if not path.exists():
        pytest.skip(f"fr/chapters/{chapter}.md does not exist yet")
    english = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    french = path.read_text(encoding="utf-8")
    if myst.headings(french, 1) == myst.headings(english, 1):
        pytest.skip(f"fr/chapters/{chapter}.md is still an English stub (its title is the English one)")
    return path


@pytest.mark.parametrize("passage_id", list(load_verdicts()["passage_id"]))
def test_every_french_link_resolves_to_a_section_of_the_french_chapter(verdicts, passage_id):
    """In French the board links to ``section_fr``: a heading of ``fr/chapters/<chapter>.md``, once translated."""
    from durovbook import i18n

    row = verdicts.set_index("passage_id").loc[passage_id]
    _french_chapter(row["chapter"])
    sections = chapter_sections(row["chapter"], ROOT / "fr")
    assert row["section_fr"] in sections, f"{passage_id}: no section titled {row['section_fr']!r} in fr/chapters/{row['chapter']}.md"
    with i18n.using("fr"):
        assert evidence_href(row).split("#")[1] == make_id(row["section_fr"])


def test_in_french_the_board_and_the_lines_link_to_the_french_headings(verdicts):
    from durovbook import i18n

    with i18n.using("fr"):
        board = verdict_board().html
        lines = verdict_lines("charges").html
    for row in verdicts.itertuples():
        assert f'href="chapters/{row.chapter}.html#{make_id(row.section_fr)}"' in board
        assert row.reason_fr.replace("'", "&#x27;") in board
    assert "Voir les preuves" in lines and "See the evidence" not in lines
    assert 'href="charges.html#ce-que-le-parquet-reproche-a-telegram-de-ne-pas-avoir-fait"' in lines
    assert "<th scope=\"col\">Pourquoi</th>" in board and "Partiellement confirmé" in board


def test_a_verdict_pointing_to_no_section_is_named(data_copy):
    data_copy.set_cell("verdicts", "p13", "section", "No such section")
    verdicts = load_verdicts(data_copy.folder)  # the data alone can't tell: the board still loads
    chapter = verdicts.set_index("passage_id").loc["p13", "chapter"]
    assert missing_sections(verdicts) == [f"p13: no section titled 'No such section' in chapters/{chapter}.md"]


@pytest.mark.parametrize("title", ["5. The arguments, side by side", "Russia: 2018–2020, and again from 2025",
                                   "Durov's answer: a representative in the EU, and a hotline",
                                   'Was the increase to 950 million "abrupt"?', "Step 5: what do the primary sources say?"])
def test_section_id_matches_docutils(title):
    assert section_id(title) == make_id(title)


def test_chapter_sections_skip_code_blocks(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "x.md").write_text(
        "# Title\n\n## Real\n\n```{code-cell} ipython3\n## not a heading\n```\n\n"
        ":::{note}\n```python\n# nor this\n```\n:::\n\n### Deeper\n", encoding="utf-8")
    assert chapter_sections("x", tmp_path) == ["Real", "Deeper"]


def test_sources_resolve_and_reasons_are_single_sentences(verdicts):
    bib = load_sources(ROOT / "references.bib")
    for _, row in verdicts.iterrows():
        assert all(k.strip() in bib for k in row["source"].split(";")), row["passage_id"]
        assert row["reason"].endswith(".") and not re.search(r"\.\s+[A-Z]", row["reason"]), row["passage_id"]


@pytest.mark.parametrize("column, value, rule", [
    ("verdict", "true", "must be one of"),
    ("passage_id", "p99", "no passage with id"),
    ("reason", "Two sentences. Not one.", "one sentence"),
    ("source", "nosuchkey2099", "unknown source key"),
    ("chapter", "nowhere", "must be one of"),
])
def test_a_broken_cell_names_file_row_and_column(data_copy, column, value, rule):
    row = data_copy.set_cell("verdicts", "p13", column, value)
    with pytest.raises(DataError) as info:
        load_verdicts(data_copy.folder)
    error = info.value
    assert error.path.endswith("verdicts.csv")
    assert (error.row, error.column) == (row, column)
    assert rule in str(error)


def test_a_passage_without_a_verdict_is_refused(data_copy):
    rows = [r for r in data_copy.rows("verdicts") if r["passage_id"] != "p07"]
    data_copy.write("verdicts", rows)
    with pytest.raises(DataError, match="p07 have no verdict") as info:
        load_verdicts(data_copy.folder)
    assert info.value.path.endswith("verdicts.csv") and info.value.column == "passage_id"


def test_two_verdicts_for_one_passage_are_refused(data_copy):
    rows = data_copy.rows("verdicts")
    data_copy.write("verdicts", rows + [dict(rows[0])])
    with pytest.raises(DataError) as info:
        load(name="verdicts", data=data_copy.folder)
    assert info.value.row == len(rows) + 2


def test_counts_add_up(verdicts):
    counts = verdict_counts(verdicts)
    assert list(counts["verdict"]) == list(VERDICTS.values())
    assert counts["passages"].sum() == len(verdicts)
    assert dict(zip(counts["verdict"], counts["passages"]))["Contradicted"] == (verdicts["verdict"] == "contradicted").sum()


def test_the_board_lists_every_passage_with_link_reason_and_date(verdicts):
    html = verdict_board().html
    assert html.count('<tr id="verdict-') == len(verdicts)
    assert f"as of {as_of_text()}</caption>" in html
    assert '<th scope="col">Verdict</th><th scope="col">Passage</th>' in html, "the verdict column comes first"
    for _, row in verdicts.iterrows():
        assert f'href="chapters/{row["chapter"]}.html#{make_id(row["section"])}"' in html
        assert f'href="statement_whole.html#passage-{row["passage_id"]}"' in html
    assert "(our translation)" in html  # a passage without an English copy is labelled


def test_the_key_explains_all_five():
    html = verdict_key().html
    assert html.count("<dt>") == 5 and all(label in html for label in VERDICTS.values())


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_box_comes_from_the_data_and_is_folded(chapter, verdicts):
    html = verdict_lines(chapter).html
    mine = verdicts[verdicts["chapter"] == chapter]
    assert html.startswith("<details") and "<summary>" in html
    assert html.count("<li>") == len(mine)
    for _, row in mine.iterrows():
        assert row["reason"].replace("'", "&#x27;").replace('"', "&quot;") in html
    assert 'href="../verdicts.html"' in html


def test_a_chapter_without_verdicts_is_an_error():
    with pytest.raises(KeyError, match="nowhere"):
        verdict_lines("nowhere")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_opens_with_its_box(chapter):
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    after_title = text.split("\n# ", 1)[1].split("\n## ", 1)[0]
    assert "{admonition} In two minutes" in after_title
    assert "**The question.**" in after_title and "**Predict first.**" in after_title
    assert re.search(r"\{admonition\} Our answer\n:class: dropdown", after_title), "the answer is folded"
    assert f'verdict_lines("{chapter}")' in after_title


def test_the_board_follows_the_book_s_as_of_date(data_copy):
    import json

    descriptor = data_copy.folder / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["as_of"] = "2027-01-15"
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    assert "as of 15 January 2027" in verdict_board(data_copy.folder).html
    assert "as of 15 January 2027" in verdict_lines("bans", data_copy.folder).html
