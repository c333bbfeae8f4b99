"""Every chapter of ``_toc.yml`` follows the book's skeleton (CONTRIBUTING.md).

The list of chapters is read from ``_toc.yml`` at collection time, so a chapter
added there is checked without any change to this file.
"""

from __future__ import annotations

import pytest

from bookbuild.skeleton import SKELETON, exercises, headings, skeleton_problems
from bookbuild.toc import chapters
from durovbook.paths import ROOT

CHAPTERS = chapters()


def test_the_toc_lists_chapters():
    assert CHAPTERS, "_toc.yml lists no chapter under chapters/"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_has_the_skeleton(chapter):
    text = chapter.read_text(encoding="utf-8")
    problems = skeleton_problems(text)
    assert not problems, f"{chapter.relative_to(ROOT)}: " + "; ".join(problems)
    found = headings(text)
    assert [h for h in found if h.replace("\u2019", "'") in SKELETON] == list(SKELETON)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_has_two_solved_exercises_with_distinct_labels(chapter):
    found = exercises(chapter.read_text(encoding="utf-8"))
    assert len(found) >= 2
    assert all(e.has_solution for e in found)
    labels = [e.label for e in found]
    assert len(set(labels)) == len(labels), f"duplicate exercise labels in {chapter.name}: {labels}"
