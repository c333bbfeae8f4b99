"""The one MyST parser (bookbuild/myst.py) and the one reader of _toc.yml (bookbuild/toc.py)."""

from __future__ import annotations

import pytest

from bookbuild import myst, toc
from durovbook.paths import ROOT

TEXT = """---
kernelspec:
  name: python3
---

# Title

(a-target)=
% a comment

## Section {term}`DSA`

```{code-cell} ipython3
## not a heading
x = 1
```

::::{admonition} Outer
:class: tip

```{exercise} Inner
:label: ex-inner

Body of the inner exercise.
```
::::

````{note}
```python
## still not a heading
```
````

```python
print("{term}`not a directive`")
```

## Last ##
"""


def test_headings_are_those_markdown_sees_never_a_line_of_code():
    assert myst.headings(TEXT, 1) == ["Title"]
    assert myst.headings(TEXT) == ["Section {term}`DSA`", "Last"]
    assert myst.headings(TEXT, 3) == []


def test_directives_have_name_argument_options_body_lines_and_children():
    found = myst.directives(TEXT)
    assert [d.name for d in found] == ["code-cell", "admonition", "note"]
    cell, outer, note = found
    assert cell.argument == "ipython3" and cell.children == []  # code is never parsed further
    assert TEXT.splitlines()[cell.start] == "```{code-cell} ipython3" and TEXT.splitlines()[cell.end - 1] == "```"
    assert outer.fence == "::::" and outer.options == {"class": "tip"} and outer.argument == "Outer"
    (inner,) = outer.children
    assert (inner.name, inner.argument, inner.options) == ("exercise", "Inner", {"label": "ex-inner"})
    assert inner.body == ["", "Body of the inner exercise."]
    # the child's lines are lines of the whole text
    assert TEXT.splitlines()[inner.start] == "```{exercise} Inner"
    assert [d.name for d in myst.walk(found)] == ["code-cell", "admonition", "exercise", "note"]
    assert note.children == [] and note.content == ["```python", "## still not a heading", "```"]


def test_targets_comments_and_front_matter_are_tokens_of_their_own():
    types = [t.type for t in myst.tokens(TEXT)]
    assert {"front_matter", "myst_target", "myst_line_comment", "fence", "colon_fence"} <= set(types)


def test_options_stop_at_the_first_line_that_is_not_one():
    assert myst.options([":label: a", ":class: b c", "", ":not: an option"]) == (
        {"label": "a", "class": "b c"}, ["", ":not: an option"])
    assert myst.options([]) == ({}, [])


def test_nested_yaml_option_lines_are_options_not_body():
    # myst-nb reads a code cell's options as YAML: ":  image:" opens a block.
    lines = [":tags: [hide-input]", ":  image:", ':    alt: "A map"', "plot_map(bans);"]
    assert myst.options(lines) == ({"tags": "[hide-input]"}, ["plot_map(bans);"])
    (cell,) = myst.directives("```{code-cell} ipython3\n" + "\n".join(lines) + "\n```\n")
    assert cell.body == ["plot_map(bans);"]


@pytest.mark.parametrize(("text", "found"), [
    ("{term}`VLOP`", [("term", "VLOP")]),
    ("{cite:p}`a,b` and {glue:text}`n:.0f`", [("cite:p", "a,b"), ("glue:text", "n:.0f")]),
    ("a {term}`wrapped\nrole` here", [("term", "wrapped\nrole")]),
    ("`{term}` alone, {not a role}", []),
])
def test_the_role_pattern(text, found):
    assert [(m.group("name"), m.group("body")) for m in myst.ROLE.finditer(text)] == found


def test_split_title():
    assert myst.split_title("the next chapter <beta>") == ("the next chapter", "beta")
    assert myst.split_title("beta") == (None, "beta")


def test_the_toc_is_read_as_the_build_reads_it_sections_included(tmp_path):
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: A\n    chapters:\n      - file: chapters/a\n"
        "      - file: guide/index\n        sections:\n          - file: guide/one\n          - url: https://example.org\n"
        "            title: Elsewhere\n      - file: chapters/b\n", encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "b.ipynb").write_text("{}", encoding="utf-8")
    assert toc.pages(tmp_path) == ["intro", "chapters/a", "guide/index", "guide/one", "chapters/b"]
    # a chapter's source is its .md, or its .ipynb when that is what exists
    assert toc.chapters(tmp_path) == [tmp_path / "chapters" / "a.md", tmp_path / "chapters" / "b.ipynb"]
    assert toc.source(tmp_path, "x/y.md") == tmp_path / "x" / "y.md"
    assert toc.parts(tmp_path) == {"A": ["chapters/a", "guide/index", "chapters/b"]}


def test_the_real_toc_lists_the_teacher_guides_sections():
    pages = toc.pages()
    assert pages[0] == "intro"
    assert pages.index("teacher/index") < pages.index("teacher/lessons")
    assert all(toc.source(ROOT, p).exists() for p in pages)


def test_tables_give_cells_the_heading_above_and_the_paragraph_just_before():
    text = ("# Page\n\n## A lesson (50 minutes)\n\nThe plan:\n\n| minutes | stage |\n|---|---|\n| 0–5 | `start` |\n\n"
            "Between.\n\n- a list\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```{note}\n| x | y |\n|---|---|\n```\n")
    first, second = myst.tables(text)
    assert (first.header, first.rows) == (["minutes", "stage"], [["0–5", "`start`"]])
    assert (first.heading, first.before, first.start) == ("A lesson (50 minutes)", "The plan:", 6)
    assert (second.heading, second.before) == ("A lesson (50 minutes)", None)  # a list stands between
