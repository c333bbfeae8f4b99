"""The classroom kit: where its pages sit, what each tells the teacher, and that no student handout holds a solution."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from bookbuild import myst, toc
from durovbook import load_passages
from durovbook.handouts import is_claim_of_fact, sorting_grid, sorting_key
from durovbook.paths import ROOT
from durovbook.statement_whole import statement_handout

STUDENT = ["handouts/statement", "handouts/evidence-cards", "handouts/worksheet", "handouts/exit-ticket"]
TEACHER = "handouts/teacher-copy"
SOLUTION_DIRECTIVES = {"solution", "solution-start", "solution-end"}


def source(page: str) -> str:
    return (ROOT / f"{page}.md").read_text(encoding="utf-8")


def test_the_kit_follows_the_teacher_guide_in_the_for_teachers_part():
    part = toc.parts()["For teachers"]
    assert part == ["teacher/index", *STUDENT, TEACHER]


@pytest.mark.parametrize("page", [*STUDENT, TEACHER])
def test_each_page_opens_with_a_printing_note_for_the_teacher(page):
    first = myst.directives(source(page))[0]
    assert first.name == "admonition" and first.argument == "For the teacher: printing", page
    assert "teacher-note" in first.options["class"].split()  # so that print CSS may leave it out of a student's copy
    assert re.search(r"\bA4\b", " ".join(first.body)) and "Print" in " ".join(first.body)


@pytest.mark.parametrize("page", STUDENT)
def test_a_student_handout_holds_no_solution(page):
    found = list(myst.walk(myst.directives(source(page))))
    assert not [d.name for d in found if d.name in SOLUTION_DIRECTIVES]
    assert not [d for d in found if "solution" in d.options.get("class", "")]
    assert "sorting_key" not in source(page)


def test_the_teacher_copy_answers_every_exercise_of_the_worksheet_and_the_exit_ticket():
    labels = {d.options["label"] for page in ("handouts/worksheet", "handouts/exit-ticket")
              for d in myst.directives(source(page)) if d.name == "exercise"}
    answered = {d.argument for d in myst.directives(source(TEACHER)) if d.name == "solution-start"}
    assert len(labels) >= 8 and labels == answered


def test_the_teacher_copy_has_three_model_answers_marked_against_the_rubric():
    text = source(TEACHER)
    models = re.findall(r"^### An? (weak|good|excellent) answer: (\d+) out of 20$", text, re.M)
    assert [m[0] for m in models] == ["weak", "good", "excellent"]
    criteria = [row[0].strip("* ") for row in myst.tables(source("teacher/assessment"))[0].rows]
    marked = [t for t in myst.tables(text) if t.header[:2] == ["criterion", "mark"]]
    assert len(marked) == 3
    for (level, total), table in zip(models, marked):
        rows = {r[0].strip("* "): r[1].strip("* ") for r in table.rows}
        assert [c for c in rows if c != "total"] == criteria, level
        assert sum(int(rows[c]) for c in criteria) == int(rows["total"]) == int(total), level
    assert int(models[0][1]) < int(models[1][1]) < int(models[2][1])


def test_the_teacher_copy_includes_the_lesson_plan_from_the_guide():
    (include,) = [d for d in myst.directives(source(TEACHER)) if d.name == "include"]
    guide = source("teacher/lessons")
    start, end = (include.options[k].strip('"') for k in ("start-after", "end-before"))
    assert start in guide and end in guide and guide.index(start) < guide.index(end)
    assert "One lesson of 50 minutes" in guide[guide.index(start):guide.index(end)]


def test_the_grid_has_empty_boxes_and_the_key_the_book_s_verdicts(data_copy):
    grid = sorting_grid(["p02", "p09"]).html
    assert "Claim of fact (tick)" in grid and re.search(r"<td></td><td></td><td></td></tr>", grid)
    key = sorting_key(["p02", "p09"]).html
    assert "<td>claim of fact</td><td>Supported</td>" in key and "<td>argument</td>" in key
    data_copy.set_cell("verdicts", "p02", "verdict", "argument")
    assert "<td>p02</td><td>argument</td>" in sorting_key(["p02"], data_copy.folder).html


def test_the_key_shares_no_sentence_with_the_cards_or_the_board():
    from durovbook.verdicts import load_verdicts
    key = htmllib.unescape(sorting_key(["p03", "p12", "p19"]).html)
    for reason in load_verdicts().set_index("passage_id").loc[["p03", "p12", "p19"], "reason"]:
        assert reason not in key


def test_only_argument_is_not_a_claim_of_fact():
    assert not is_claim_of_fact("argument") and is_claim_of_fact("not-verifiable")
    with pytest.raises(ValueError):
        is_claim_of_fact("maybe")


def test_the_statement_handout_holds_every_passage_in_order_and_both_french_renderings():
    page = statement_handout().html
    rows = load_passages()
    english = page.split('class="statement-handout-en"')[1].split("</section>")[0]
    assert re.findall(r"\[(p\d\d)\]", english) == list(rows["id"])
    for _, row in rows.iterrows():
        words = row["en_original"] if isinstance(row["en_original"], str) else row["en_ours"]
        assert htmllib.escape(words, quote=True) in english
    assert english.count("(our translation)") == rows["en_original"].isna().sum()
    french = page.split('class="statement-handout-fr"')[1:]
    assert len(french) == 2 and all('lang="fr"' in f for f in french)
    for column, block in zip(("fr_001", "fr_000"), french):
        expected = [r["id"] for _, r in rows.iterrows() if isinstance(r[column], str)]
        assert re.findall(r"\[(p\d\d)\]", block) == expected


def test_the_statement_handout_fits_two_printed_pages():
    # About 900 words fit on an A4 page in two columns of small print.
    words = len(str(statement_handout()).split())
    assert 1000 < words < 1800


def test_an_unknown_passage_is_refused():
    with pytest.raises(KeyError, match="p99"):
        sorting_grid(["p02", "p99"])
