"""A student's copy has an empty answer cell under each exercise (without building the pack)."""

from __future__ import annotations

import re

import jupytext
import nbformat
import pytest

from bookbuild.student import ANSWER_TAG, add_answer_cells, remove_solutions, student_notebook
from bookbuild.toc import chapters

TITLE = re.compile(r"^\*\*Exercise (\d+)\*\*", re.M)


def is_answer(cell) -> bool:
    return cell.cell_type == "code" and ANSWER_TAG in cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("chapter", chapters(), ids=lambda p: p.stem)
def test_an_empty_answer_cell_follows_each_exercise(chapter):
    nb = student_notebook(jupytext.read(chapter), chapter)
    nbformat.validate(nb)
    titles = [int(n) for c in nb.cells if c.cell_type == "markdown" for n in TITLE.findall(c.source)]
    answers = [i for i, c in enumerate(nb.cells) if is_answer(c)]
    assert titles and len(answers) == len(titles), (chapter.stem, titles, answers)
    starts = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and TITLE.search(c.source)]
    for number, (start, answer) in enumerate(zip(starts, answers), 1):
        assert nb.cells[answer].source == ""
        assert start < answer, f"exercise {number}: the answer cell comes before the question"
        # nothing but the question (its text and any code it shows) between the title and the answer
        later = starts[number] if number < len(starts) else len(nb.cells)
        assert answer < later, f"exercise {number}: the next exercise starts before its answer cell"


def test_the_answer_cell_sits_before_the_text_that_follows():
    text = ("Intro.\n\n```{exercise-start}\n:label: a\n```\nQuestion one?\n```{exercise-end}\n```\n\n"
            "```{solution-start} a\n```\nThe secret answer.\n```{solution-end}\n```\n\nText after.\n\n"
            "```{exercise} Two\nQuestion two?\n```\nClosing words.\n")
    nb = add_answer_cells(remove_solutions(jupytext.reads(text, fmt="md:myst")))
    kinds = [("answer" if is_answer(c) else c.cell_type, c.source.splitlines()[-1] if c.source else "")
             for c in nb.cells]
    assert kinds == [("markdown", "```"), ("answer", ""), ("markdown", "```"), ("answer", ""),
                     ("markdown", "Closing words.")]
    assert "Question one?" in nb.cells[0].source and "Text after." in nb.cells[2].source
    assert all("secret" not in c.source for c in nb.cells)


def test_a_notebook_without_exercises_is_unchanged():
    nb = jupytext.reads("# Title\n\nNo exercise here.\n", fmt="md:myst")
    assert [c.source for c in add_answer_cells(nb).cells] == [c.source for c in nb.cells]
