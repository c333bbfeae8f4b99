"""The classroom helpers: skeleton checks, solution removal, MyST conversion, the pack."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jupytext
import nbformat
import pytest

from bookbuild import classroom, myst
from bookbuild.classroom import (
    Exercise,
    build_pack,
    chapters,
    exercises,
    glue_text,
    glue_values,
    myst_to_markdown,
    notebook_name,
    remove_solutions,
    skeleton_problems,
    solution_blocks,
    student_notebook,
    student_requirements,
)
from durovbook.paths import ROOT
from durovbook.sources import Source

FRONT = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

CHAPTER = FRONT + """
# A claim examined

## Overview

Text {cite:p}`k1`.

## Learning objectives

- one

## Time to learn

Ten minutes.

## Prerequisites

| Concept | Importance | Notes |
|---|---|---|

## Imports

```{code-cell} ipython3
# not a heading
x = 40 + 2
```

## Exercises

```{exercise-start}
:label: ex-one
```
Compute the answer.
```{exercise-end}
```

```{solution-start} ex-one
:class: dropdown
```
```{code-cell} ipython3
secret_answer = x * 1
```
SECRET EXPLANATION ONE.
```{solution-end}
```

```{exercise} Two
:label: ex-two

Explain.
```

```{solution} ex-two
:class: dropdown

SECRET EXPLANATION TWO.
```

## Summary

Done.

## What's next

More.
"""


def make_book(tmp_path: Path, chapter_text: str = CHAPTER, extra_toc: str = "") -> Path:
    """A tiny book: _toc.yml, one chapter, data, bibliography and requirements."""
    (tmp_path / "chapters").mkdir(parents=True)
    (tmp_path / "chapters" / "alpha.md").write_text(chapter_text, encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: A\n    chapters:\n      - file: chapters/alpha\n"
        + extra_toc + "  - caption: R\n    chapters:\n      - file: glossary\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "one.csv").write_text("id,source\na,k1\n", encoding="utf-8")
    (tmp_path / "references.bib").write_text(
        "@misc{k1,\n  author = {{Outlet}},\n  howpublished = {Outlet},\n  title = {T},\n  year = {2024},\n"
        "  date = {2024-09-05},\n  url = {https://example.org/a}\n}\n", encoding="utf-8")
    (tmp_path / "requirements.txt").write_text((ROOT / "requirements.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def md_notebook(text: str):
    return jupytext.reads(text, fmt="md:myst")


# --------------------------------------------------------------------------- chapters and skeleton


def test_chapters_follow_the_toc_order_and_skip_non_chapters(tmp_path):
    book = make_book(tmp_path, extra_toc="      - file: chapters/beta\n      - file: teacher/index\n")
    (book / "chapters" / "beta.md").write_text(CHAPTER, encoding="utf-8")
    assert [p.name for p in chapters(book)] == ["alpha.md", "beta.md"]


def test_chapters_of_the_real_book_start_with_the_statement():
    found = chapters()
    assert found and found[0] == ROOT / "chapters" / "statement.md"
    assert all(p.exists() for p in found)


def test_notebook_name_keeps_the_order():
    assert notebook_name(3, Path("chapters/bans.md")) == "03-bans.ipynb"


def test_exercises_and_their_solutions():
    assert exercises(CHAPTER) == [Exercise("ex-one", True), Exercise("ex-two", True)]
    unsolved = CHAPTER.replace("```{solution} ex-two", "```{note} ex-two")
    assert exercises(unsolved) == [Exercise("ex-one", True), Exercise("ex-two", False)]


def test_a_complete_chapter_has_no_skeleton_problem():
    assert skeleton_problems(CHAPTER) == []


@pytest.mark.parametrize("heading", classroom.SKELETON)
def test_each_missing_heading_is_named(heading):
    broken = CHAPTER.replace(f"## {heading}\n", "## Something else\n")
    assert f"missing heading '## {heading}'" in skeleton_problems(broken)


def test_headings_out_of_order_are_reported():
    swapped = CHAPTER.replace("## Overview", "## TMP").replace("## Summary", "## Overview").replace("## TMP", "## Summary")
    assert any("out of order" in p for p in skeleton_problems(swapped))


def test_a_comment_in_a_code_cell_is_not_a_heading():
    text = CHAPTER.replace("## Summary\n", "```{code-cell} ipython3\n## Summary\n```\n")
    assert "missing heading '## Summary'" in skeleton_problems(text)


def test_too_few_exercises_unlabelled_and_unsolved_are_reported():
    one = CHAPTER.split("```{exercise} Two")[0] + "## Summary\n\n## What's next\n"
    assert any("1 exercise(s)" in p for p in skeleton_problems(one))
    unlabelled = CHAPTER.replace(":label: ex-one\n", "")
    assert any("no :label:" in p for p in skeleton_problems(unlabelled))
    unsolved = CHAPTER.replace("```{solution-start} ex-one", "```{solution-start} other")
    assert "exercise 'ex-one' has no solution" in skeleton_problems(unsolved)
    untitled = CHAPTER.replace("# A claim examined\n", "")
    assert any("title" in p for p in skeleton_problems(untitled))


# --------------------------------------------------------------------------- solutions


def test_solution_blocks_finds_gated_and_plain_solutions():
    blocks = solution_blocks(CHAPTER)
    assert len(blocks) == 2
    assert "secret_answer = x * 1" in blocks[0] and "SECRET EXPLANATION ONE." in blocks[0]
    assert "SECRET EXPLANATION TWO." in blocks[1]


def test_remove_solutions_deletes_text_and_code_cells():
    nb = md_notebook(CHAPTER)
    before = nbformat.writes(nb)
    assert "SECRET EXPLANATION ONE" in before and "secret_answer" in before
    out = nbformat.writes(remove_solutions(nb))
    for secret in ("SECRET EXPLANATION ONE", "SECRET EXPLANATION TWO", "secret_answer", "solution-start", "solution-end"):
        assert secret not in out
    # the exercises and the rest of the chapter survive
    for kept in ("Compute the answer.", "Explain.", "## Summary", "x = 40 + 2"):
        assert kept in out
    # the input notebook is not modified
    assert nbformat.writes(nb) == before


def test_an_unclosed_solution_is_an_error():
    text = CHAPTER.replace("```{solution-end}\n```\n", "")
    with pytest.raises(ValueError, match="no solution-end"):
        remove_solutions(md_notebook(text))


# --------------------------------------------------------------------------- MyST to Markdown


def test_roles_become_plain_markdown(tmp_path):
    book = make_book(tmp_path)
    sources = {"k1": Source("k1", "Outlet", "T", "2024-09-05", "https://example.org/a"),
               "k2": Source("k2", "Other", "T2", "2024", None)}
    text = ("A {term}`mise en examen` and {term}`VLOP <VLOP>`; {cite:p}`k1,k2` and {cite:t}`k1`.\n"
            "Data: {download}`one.csv <../data/one.csv>`, {download}`../data/one.csv`.\n"
            "See {doc}`the next chapter <beta>` and {doc}`elsewhere <../outside>`, {ref}`a label <lab>`.\n"
            "Value {glue:text}`users_2024:.0f`, maths {math}`x^2`, H{sub}`2`O, {abbr}`DSA (Digital Services Act)`, {unknown}`kept`.\n"
            "Outside: {download}`x <../../nowhere.csv>`; {cite:p}`missing`.\n"
            "A role may wrap: the {term}`information\njudiciaire` was opened.")
    out = myst_to_markdown(text, book / "chapters" / "alpha.md", book,
                           names={"chapters/beta": "02-beta.ipynb"}, sources=sources)
    assert "A mise en examen and VLOP;" in out
    assert "([Outlet, 2024-09-05](https://example.org/a); Other, 2024)" in out
    assert "[Outlet (2024-09-05)](https://example.org/a)." in out
    assert "[one.csv](data/one.csv), [one.csv](data/one.csv)" in out
    assert "[the next chapter](02-beta.ipynb)" in out and "*elsewhere*" in out and "a label" in out
    assert classroom.GLUE_MISSING in out and "users_2024" not in out and "$x^2$" in out and "H<sub>2</sub>O" in out and "DSA," in out
    assert "kept" in out and "Outside: x; (missing)" in out
    assert "the information\njudiciaire was opened." in out
    assert not myst.ROLE.search(out)


def test_directives_become_plain_markdown(tmp_path):
    text = """(my-label)=
% a MyST comment
```{note}
A {term}`note` here.
```

:::{admonition} Careful
Colon fence.
:::

```{exercise-start} Title
:label: e1
```
Do it.
```{exercise-end}
```

```{exercise}
:label: e2
Second.
```

```{code-block} python
print("{term}`untouched`")
```

```python
y = 1
```

```{math}
a + b
```

```{raw} html
<b>raw</b>
```

```{figure} ../data/pic.png
:alt: A picture

Its caption.
```

```{glue:figure} fig_users
```

```{glossary}
term one
  Its definition.
```

```{tableofcontents}
```
"""
    out = myst_to_markdown(text, tmp_path / "chapters" / "a.md", tmp_path)
    assert "(my-label)=" not in out and "a MyST comment" not in out
    assert "> **Note**\n>\n> A note here." in out
    assert "> **Careful**\n>\n> Colon fence." in out
    assert "**Exercise 1** (Title)\n\nDo it." in out and "**Exercise 2**\n\nSecond." in out
    assert '```python\nprint("{term}`untouched`")\n```' in out
    assert "```python\ny = 1\n```" in out
    assert "$$\na + b\n$$" in out and "<b>raw</b>" in out
    assert "![A picture](data/pic.png)" in out and "Its caption." in out
    assert "`fig_users`" in out and "**term one**" in out and "Its definition." in out
    assert "tableofcontents" not in out and "{" not in out.replace('{term}`untouched`', "")


# --------------------------------------------------------------------------- glued numbers


def glue_output(name: str, value, prefix: str = "") -> dict:
    """A display_data output as myst_nb.glue(name, value, display=False) writes it."""
    return {"output_type": "display_data", "data": {f"{prefix}text/plain": repr(value)},
            "metadata": {"scrapbook": {"name": name, "mime_prefix": prefix}}}


def test_glue_values_read_the_glue_json_and_the_executed_notebook(tmp_path):
    executed = tmp_path / "jupyter_execute"
    (executed / "chapters").mkdir(parents=True)
    assert glue_values(executed, "chapters/alpha") == {}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("glue()"), nbformat.v4.new_markdown_cell("x")])
    nb.cells[0].outputs = [nbformat.from_dict(glue_output("in_notebook", 2.5, "application/papermill.record/")),
                           nbformat.v4.new_output("stream", text="not glued\n")]
    nbformat.write(nb, executed / "chapters" / "alpha.ipynb")
    (executed / "chapters" / "alpha.glue.json").write_text(
        json.dumps({"in_json": glue_output("in_json", 13.0)}), encoding="utf-8")
    values = glue_values(executed, "chapters/alpha")
    assert set(values) == {"in_notebook", "in_json"}
    # the mime prefix of the notebook's copy is taken off, as myst-nb does
    assert values["in_notebook"]["data"] == {"text/plain": "2.5"}
    assert glue_text(values["in_json"], ".0f") == "13"


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (13.0, ".0f", "13"), (1000.0, ",.0f", "1,000"), (1.58854963601259, ".1f", "1.6"),
    (2.4, "d", "2"), (0.25, ".0%", "25%"), ("Paris", "s", "Paris"), ("Paris", "", "Paris"), (3.0, "", "3.0"),
])
def test_glue_text_formats_as_myst_nb_does(value, fmt, expected):
    assert glue_text(glue_output("x", value), fmt) == expected


def test_glue_text_needs_a_plain_text_value():
    with pytest.raises(ValueError, match="text/plain"):
        glue_text({"data": {"image/png": "..."}})


def test_glue_roles_become_their_values(tmp_path):
    glue = {"n": glue_output("n", 13.0), "big": glue_output("big", 1000.0), "word": glue_output("word", "users"),
            "md": {"data": {"text/markdown": "**bold**", "text/plain": "'b'"}}}
    text = ("There are {glue:text}`n:.0f` milestones, {glue:text}`big:,.0f` million\nand {glue:text}`word` "
            "{glue}`n` {glue:md}`md` {glue:text}`other.ipynb::n:.0f` {glue:text}`absent:.1f`.")
    out = myst_to_markdown(text, tmp_path / "a.md", tmp_path, glue=glue)
    assert out.startswith("There are 13 milestones, 1,000 million\nand users 13.0 **bold** ")
    # a value of another notebook, or one not glued, reads as the note: never a bare name
    assert out.endswith(f"{classroom.GLUE_MISSING} {classroom.GLUE_MISSING}.")
    assert not myst.ROLE.search(out) and "absent" not in out


def test_the_pack_takes_glued_numbers_from_the_build(tmp_path):
    chapter = CHAPTER.replace("Text {cite:p}`k1`.", "Text {cite:p}`k1`, {glue:text}`alpha_n:.0f` rows.")
    book = make_book(tmp_path / "book", chapter)
    executed = tmp_path / "jupyter_execute"
    (executed / "chapters").mkdir(parents=True)
    (executed / "chapters" / "alpha.glue.json").write_text(
        json.dumps({"alpha_n": glue_output("alpha_n", 41.0)}), encoding="utf-8")
    for folder, expected in ((executed, "41 rows"), (None, classroom.GLUE_MISSING)):
        dest = build_pack(tmp_path / "pack.zip", book, folder)
        with zipfile.ZipFile(dest) as archive:
            notebook = archive.read(f"{classroom.PACK_NAME}/01-alpha.ipynb").decode("utf-8")
        assert expected in notebook and "alpha_n" not in notebook


def test_student_notebook_cleans_an_executed_notebook():
    nb = md_notebook(CHAPTER)
    nb.cells[1].metadata["mystnb"] = {"image": {"alt": "x"}}
    nb.cells[1].metadata["tags"] = ["hide-input"]
    nb.metadata["source_map"] = [1, 2]
    out = student_notebook(nb, ROOT / "chapters" / "alpha.md", ROOT)
    nbformat.validate(out)
    text = nbformat.writes(out)
    assert "SECRET" not in text and "source_map" not in text and "jupytext" not in text
    assert out.cells[1].metadata == {"tags": ["hide-input"]}
    assert out.metadata["kernelspec"]["name"] == "python3"
    assert "**Exercise 1**" in text and "**Exercise 2** (Two)" in text


# --------------------------------------------------------------------------- requirements and pack


def test_student_requirements_are_exact_pins_from_the_book():
    # a cell that is not Python (a student's half-typed line) is skipped, not fatal
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nimport yaml\nfrom durovbook import load"),
                                         nbformat.v4.new_code_cell("import ???")])
    pins = student_requirements([nb])
    book = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert all(p in book for p in pins)
    names = {p.split("==")[0].lower() for p in pins}
    # the package's own dependencies, their dependencies, the kernel, and what the code imports
    assert {"pandas", "numpy", "matplotlib", "ipykernel", "jupyter_client", "pyyaml"} <= names, sorted(names)
    # build and test tools stay out (Sphinx comes in only as a dependency of myst-nb)
    assert not {"jupyter-book", "pytest", "playwright", "textstat", "durovbook"} & names


def test_student_requirements_follow_imports_inside_the_package(tmp_path):
    module = tmp_path / "helper.py"
    module.write_text("def f():\n    import jupytext  # only when called\n", encoding="utf-8")
    assert not any(p.lower().startswith("jupytext==") for p in student_requirements([], modules=[]))
    assert any(p.lower().startswith("jupytext==") for p in student_requirements([], modules=[module]))
    # an import the code can do without is not followed, in either form of handler
    optional = tmp_path / "optional.py"
    optional.write_text("def f():\n    try:\n        import jupytext\n    except ImportError:\n        pass\n"
                        "try:\n    import sphinx\nexcept (ValueError, ModuleNotFoundError):\n    pass\n"
                        "try:\n    import yaml\nexcept ValueError:\n    pass\n", encoding="utf-8")
    names = {p.split("==")[0].lower() for p in student_requirements([], modules=[optional])}
    assert "pyyaml" in names and not {"jupytext", "sphinx"} & names
    # the real package: users.py glues numbers with myst_nb when it is there, and
    # records them itself when it is not; the book's build tools stay out
    names = {p.split("==")[0].lower() for p in student_requirements([])}
    assert "ipython" in names and not {"myst-nb", "sphinx", "myst-parser", "jupyter-cache", "docutils"} & names
    # the pack ships durovbook whole: every module of it, and nothing of bookbuild
    import durovbook
    shipped = classroom.student_modules()
    assert {m.name for m in shipped} == {m.name for m in Path(durovbook.__file__).parent.glob("*.py")}
    assert all(m.parent.name == "durovbook" for m in shipped)


def test_the_student_pack_pins_at_most_40_packages():
    """Issue 15: the pack installs in under a minute. No geopandas, no validation or BibTeX library."""
    pins = student_requirements(list(classroom.pack_notebooks().values()))
    names = {p.split("==")[0].lower().replace("_", "-") for p in pins}
    assert classroom.MAX_PACKAGES == 40 and len(pins) <= 40, (len(pins), sorted(names))
    assert not {"geopandas", "shapely", "pyproj", "pyogrio", "frictionless", "pybtex", "nbclient"} & names
    assert {"pandas", "matplotlib", "ipykernel"} <= names


def test_a_pack_of_more_than_the_maximum_is_refused(tmp_path, monkeypatch):
    book = make_book(tmp_path / "book")
    monkeypatch.setattr(classroom, "MAX_PACKAGES", 10)
    with pytest.raises(ValueError, match=r"would pin \d+ packages, more than 10: .*ipykernel"):
        build_pack(tmp_path / "out" / "pack.zip", book)
    assert not (tmp_path / "out" / "pack.zip").exists()


def test_student_requirements_refuse_an_unpinned_package(tmp_path):
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("pandas==1.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="does not pin"):
        student_requirements([], reqs)


def test_build_pack_holds_notebooks_data_package_and_no_solution(tmp_path):
    book = make_book(tmp_path / "book")
    dest = build_pack(tmp_path / "out" / "pack.zip", book)
    with zipfile.ZipFile(dest) as archive:
        names = set(archive.namelist())
        prefix = classroom.PACK_NAME + "/"
        assert {prefix + n for n in ("01-alpha.ipynb", "README.md", "requirements.txt", "data/one.csv",
                                     "references.bib", "durovbook/__init__.py", "durovbook/data.py")} <= names
        # the build tools stay out of the students' copy of the package
        assert prefix + "durovbook/classroom.py" not in names
        # the French catalogues go with it: a French notebook writes through them
        assert {prefix + "durovbook/locale/fr/" + p.name for p in (ROOT / "durovbook" / "locale" / "fr").glob("*.csv")} <= names
        assert prefix + "durovbook/locale/fr/verdicts.csv" in names
        notebook = archive.read(prefix + "01-alpha.ipynb").decode("utf-8")
        readme = archive.read(prefix + "README.md").decode("utf-8")
        requirements = archive.read(prefix + "requirements.txt").decode("utf-8")
    nbformat.validate(nbformat.reads(notebook, 4))
    assert "SECRET" not in notebook and "secret_answer" not in notebook
    assert "[Outlet, 2024-09-05](https://example.org/a)" in notebook
    assert "`01-alpha.ipynb` | A claim examined" in readme
    assert "pandas==" in requirements and "-e ." not in requirements
    assert not (tmp_path / "out" / "pack.zip.tmp").exists()
    # the same sources give the same bytes
    again = build_pack(tmp_path / "out" / "again.zip", book)
    assert again.read_bytes() == dest.read_bytes()


def test_main_builds_the_pack_and_checks_the_skeleton(tmp_path, capsys, monkeypatch):
    dest = tmp_path / "p.zip"
    assert classroom.main(["pack", str(dest)]) == 0
    assert dest.exists() and "notebooks" in capsys.readouterr().out
    # without a build, the pack says so, and still gets written
    monkeypatch.setattr(classroom, "ROOT", tmp_path)
    assert classroom.main(["pack", str(dest)]) == 0
    assert "no build in _build/jupyter_execute" in capsys.readouterr().err
    monkeypatch.setattr(classroom, "ROOT", ROOT)
    status = classroom.main(["check"])
    out = capsys.readouterr().out
    assert "chapters/statement.md: ok" in out
    assert status == (0 if all(not skeleton_problems(p.read_text(encoding="utf-8")) for p in chapters()) else 1)
    assert classroom.main(["nonsense"]) == 2
    monkeypatch.setattr(classroom, "chapters", lambda root=ROOT: [tmp_path / "bad.md"])
    (tmp_path / "bad.md").write_text("# Only a title\n", encoding="utf-8")
    monkeypatch.setattr(classroom, "ROOT", tmp_path)
    assert classroom.main(["check"]) == 1


# --------------------------------------------------------------------------- the Sphinx extension


class FakeApp:
    """What classroom_ext reads of a Sphinx application, and the handlers it connects."""

    def __init__(self, srcdir: Path, outdir: Path):
        from types import SimpleNamespace

        self.srcdir, self.outdir = str(srcdir), str(outdir)
        self.builder = SimpleNamespace(format="html", name="html")
        self.handlers = []

    def connect(self, event, handler, priority=500):
        self.handlers.append((event, handler.__name__, priority))


def buttons() -> dict:
    return {"header_buttons": [{"label": "download-buttons", "buttons": [
        {"label": "download-source-button"}, {"label": "download-pdf-button"}]}]}


def test_the_site_offers_each_chapters_student_copy_and_the_pack(tmp_path):
    from bookbuild import classroom_ext

    book = make_book(tmp_path / "book")
    out = tmp_path / "_build" / "html"
    out.mkdir(parents=True)
    executed = tmp_path / "_build" / "jupyter_execute" / "chapters"
    executed.mkdir(parents=True)
    nbformat.write(md_notebook(CHAPTER), executed / "alpha.ipynb")
    app = FakeApp(book, out)
    classroom_ext.setup(app)
    assert ("html-page-context", "add_notebook_download", 500) in app.handlers
    assert ("html-page-context", "drop_source_download", 502) in app.handlers
    classroom_ext.on_builder_inited(app)
    assert app.classroom_names == {"chapters/alpha": "01-alpha.ipynb"}
    context = buttons()
    classroom_ext.add_notebook_download(app, "chapters/alpha", "page.html", context, None)
    assert context["ipynb_source"] == "chapters/alpha.ipynb"
    copy = nbformat.writes(nbformat.read(out / "_sources" / "chapters" / "alpha.ipynb", as_version=4))
    assert "SECRET" not in copy and "**Exercise 1**" in copy and "[Outlet, 2024-09-05](https://example.org/a)" in copy
    classroom_ext.drop_source_download(app, "chapters/alpha", "page.html", context, None)
    assert [b["label"] for b in context["header_buttons"][0]["buttons"]] == ["download-pdf-button"]
    # a page that is not a chapter keeps its buttons and offers no notebook
    other = buttons()
    classroom_ext.add_notebook_download(app, "intro", "page.html", other, None)
    classroom_ext.drop_source_download(app, "intro", "page.html", other, None)
    assert other == buttons()
    # a chapter that was not executed offers no notebook (and the build warns)
    (executed / "alpha.ipynb").unlink()
    missing = {}
    classroom_ext.add_notebook_download(app, "chapters/alpha", "page.html", missing, None)
    assert "ipynb_source" not in missing
    classroom_ext.write_pack(app, RuntimeError("the build failed"))
    assert not (out / f"{classroom.PACK_NAME}.zip").exists()
    # the EPUB builder (format "html" too) gets neither the notebooks nor the pack
    nbformat.write(md_notebook(CHAPTER), executed / "alpha.ipynb")
    app.builder.name = "epub"
    epub = {}
    classroom_ext.add_notebook_download(app, "chapters/alpha", "page.html", epub, None)
    classroom_ext.write_pack(app, None)
    assert "ipynb_source" not in epub and not (out / f"{classroom.PACK_NAME}.zip").exists()
    app.builder.name = "html"
    classroom_ext.write_pack(app, None)
    with zipfile.ZipFile(out / f"{classroom.PACK_NAME}.zip") as archive:
        assert f"{classroom.PACK_NAME}/01-alpha.ipynb" in archive.namelist()
