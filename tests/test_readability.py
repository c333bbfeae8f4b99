"""The reading-level benchmark: what counts as prose, and the grades."""

from __future__ import annotations

import pytest

from bookbuild import readability
from bookbuild.readability import chapter_grades, grade, prose, report, syllables
from bookbuild.toc import chapters

SIMPLE = "The cat sat on the mat. It was warm. The dog ran to the door."
HARD = ("Notwithstanding jurisdictional considerations, the investigating magistrates' "
        "determination necessitated comprehensive examination of organisational responsibilities "
        "regarding intermediary liability, proportionality, and international cooperation.")


def test_prose_drops_code_quotes_tables_headings_and_directives():
    text = """---
kernelspec:
  name: python3
---

# A title that is not a sentence

Our own sentence about {term}`mise en examen <mise en examen>`, cited {cite:p}`key2024`.

```{code-cell} ipython3
this_is_code = 1
```

```{note}
Directive body.
```

> A block quotation that is not ours.

| a table | row |
|---|---|

He wrote <span lang="fr">« une phrase française »</span> and "quoted English words" and `code`.

- a list item without a full stop
- [a link to a page](https://example.org)
"""
    out = prose(text)
    assert "Our own sentence about mise en examen, cited ." in out
    for absent in ("title", "this_is_code", "Directive body", "block quotation", "table", "française",
                   "quoted English", "code", "key2024", "https", "kernelspec"):
        assert absent not in out
    assert "a list item without a full stop." in out and "a link to a page." in out


def test_syllables_are_counted_offline():
    assert syllables("cat") == 1
    assert syllables("investigation") >= 4
    assert syllables("") == 0


def test_harder_prose_gets_a_higher_grade():
    assert grade(SIMPLE) < 3 < 12 < grade(HARD)


def test_a_chapter_without_prose_is_an_error():
    with pytest.raises(ValueError, match="no prose"):
        grade("```{code-cell} ipython3\nx = 1\n```\n")


def test_report_lists_every_chapter_and_the_average():
    text = report({"chapters/a.md": 8.0, "chapters/b.md": 11.0})
    assert "chapters/a.md" in text and "8.0" in text and "11.0" in text
    assert text.splitlines()[-1].split() == ["average", "9.5"]
    assert report({}) == "No chapter to measure."


def test_every_chapter_of_the_toc_is_graded(capsys):
    grades = chapter_grades()
    assert list(grades) == [p.relative_to(p.parents[1]).as_posix() for p in chapters()]
    assert all(0 < g < 30 for g in grades.values())
    assert readability.main([]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in grades) and "average" in out
