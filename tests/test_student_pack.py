"""The student pack runs on its own, and no download carries a solution or MyST syntax.

The pack is unzipped into a temporary folder, a fresh virtual environment is
made, the pack's own ``requirements.txt`` is installed in it, and every
notebook is run top to bottom on a fresh kernel with nbclient, two at a time
(tests/conftest.py, ``fresh_venv``: started in the background when the run
begins; the wheels come from a cache in the test environment, filled from the
package index on the first run). Then every notebook, and every chapter's
executed ``.ipynb`` offered by the built site, is checked against the actual
solution blocks of the source chapters.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
import zipfile
from pathlib import Path

import jupytext
import nbformat
import pytest

from bookbuild import myst
from bookbuild.classroom import (GLUE_MISSING, PACK_NAME, build_pack, chapters, myst_to_markdown, notebook_name,
                                  remove_solutions, solution_blocks)
from durovbook.paths import ROOT


def solution_lines(chapter: Path) -> list[str]:
    """The lines that only a solution of ``chapter`` contains (long enough to be telling)."""
    text = chapter.read_text(encoding="utf-8")
    inside = {line.strip() for block in solution_blocks(text) for line in block.splitlines()}
    # a line the chapter also has outside its solutions may stay
    rest = remove_solutions(jupytext.reads(text, fmt="md:myst"))
    outside = {line.strip() for cell in rest.cells for line in cell.source.splitlines()}
    return sorted(line for line in inside - outside
                  if len(line) >= 12 and not line.startswith((":", "```", ":::")))


def assert_student_copy(nb, chapter: Path) -> None:
    nbformat.validate(nb)
    lines = {line.strip() for cell in nb.cells for line in cell.source.splitlines()}
    for line in solution_lines(chapter):
        # the line as written, and as the MyST conversion would rewrite it
        for form in {line, myst_to_markdown(line, chapter).strip()}:
            assert form not in lines, f"{chapter.name}: solution text reached the student copy: {form!r}"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            left = myst.ROLE.search(cell.source) or myst.directives(cell.source)
            assert not left, f"{chapter.name}: MyST syntax left in a markdown cell:\n{cell.source}"


def test_every_chapter_has_solution_text_to_look_for():
    # Otherwise the checks below would pass without checking anything.
    for chapter in chapters():
        assert solution_lines(chapter), f"{chapter.name} has no solution text long enough to check"


@pytest.fixture(scope="session")
def pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    archive = build_pack(out / f"{PACK_NAME}.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(out)
    return out / PACK_NAME


#: Runs every notebook of the pack, top to bottom, each on a fresh kernel, two at
#: a time, with jupyter_client (which ipykernel brings): the environment holds
#: the pack's requirements.txt and nothing else, not even nbclient.
RUNNER = textwrap.dedent("""
    import asyncio, json
    from pathlib import Path
    from jupyter_client.manager import start_new_async_kernel

    import durovbook
    here = Path.cwd()
    assert Path(durovbook.__file__).resolve().parent == (here / "durovbook").resolve(), durovbook.__file__
    report = {}

    async def run(path, slots):
        async with slots:
            cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
            km, kc = await start_new_async_kernel(kernel_name="python3", cwd=str(here))
            errors = []
            try:
                for cell in cells:
                    code = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                    reply = await kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
                    if reply["content"]["status"] != "ok":
                        errors.append(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
                        break
            finally:
                kc.stop_channels()
                await km.shutdown_kernel(now=True)
        report[path.name] = {"cells": len(cells), "errors": len(errors), "first": errors[:1]}

    async def main():
        slots = asyncio.Semaphore(2)
        await asyncio.gather(*(run(p, slots) for p in sorted(here.glob("*.ipynb"))))

    asyncio.run(main())
    print(json.dumps(report))
""")


@pytest.mark.venv
def test_the_pack_runs_in_a_fresh_environment(fresh_venv):
    run = subprocess.run([str(fresh_venv.python), "-c", RUNNER], cwd=fresh_venv.pack, env=fresh_venv.env,
                         capture_output=True, text=True, timeout=1500)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    expected = [notebook_name(i, p) for i, p in enumerate(chapters(), 1)]
    assert sorted(report) == sorted(expected)
    assert all(r["cells"] > 0 and r["errors"] == 0 for r in report.values()), report


def test_the_pack_holds_no_solution_and_no_myst(pack):
    for i, chapter in enumerate(chapters(), 1):
        nb = nbformat.read(pack / notebook_name(i, chapter), as_version=4)
        assert_student_copy(nb, chapter)
    requirements = (pack / "requirements.txt").read_text(encoding="utf-8").splitlines()
    book = set((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    pins = [line for line in requirements if line and not line.startswith("#")]
    assert pins and all("==" in line and line in book for line in pins)
    assert (pack / "README.md").exists() and (pack / "durovbook" / "__init__.py").exists()
    assert (pack / "data" / "datapackage.json").exists() and (pack / "references.bib").exists()
    # durovbook whole: every module and its package data (the map's date control, the French catalogues)
    import durovbook
    package = Path(durovbook.__file__).parent
    assert ({p.name for p in (pack / "durovbook").iterdir()}
            == {p.name for p in [*package.glob("*.py"), *package.glob("*.js")]} | {"locale"} > {"mapcontrol.js"})
    assert ({p.relative_to(pack / "durovbook").as_posix() for p in (pack / "durovbook" / "locale").glob("*/*.csv")}
            == {p.relative_to(package).as_posix() for p in package.glob("locale/*/*.csv")} > {"locale/fr/verdicts.csv"})


@pytest.mark.build
def test_the_site_offers_clean_executed_notebooks_and_the_pack(built_book):
    html = built_book.html
    assert (html / f"{PACK_NAME}.zip").exists()
    for chapter in chapters():
        page = chapter.relative_to(ROOT).with_suffix("")
        notebook = html / "_sources" / page.with_suffix(".ipynb")
        assert notebook.exists(), f"no notebook download for {page}"
        nb = nbformat.read(notebook, as_version=4)
        assert_student_copy(nb, chapter)
        assert any(o for c in nb.cells if c.cell_type == "code" for o in c.outputs), f"{page}: not executed"
        page_html = (html / page.with_suffix(".html")).read_text(encoding="utf-8")
        assert f'_sources/{page.as_posix()}.ipynb"' in page_html
        assert ".ipynb.txt" not in page_html
        assert "download-source-button" not in page_html


@pytest.mark.build
def test_the_users_notebooks_read_the_glued_numbers(built_book):
    # chapters/users.md writes its numbers with {glue:text}`name:fmt`: a student
    # reads the number, formatted as on the page, never the variable's name.
    from durovbook.users import key_numbers, load_dsa, load_users

    numbers = key_numbers(load_users(), load_dsa())
    chapter = ROOT / "chapters" / "users.md"
    prose = "\n".join(c.source for c in remove_solutions(jupytext.read(chapter)).cells if c.cell_type == "markdown")
    glued = [m.group("body").split(":", 1) for m in myst.ROLE.finditer(prose) 
              if m.group("name") == "glue:text" and ":" in m.group("body")]
    assert len(glued) > 5 and {name for name, _ in glued} <= set(numbers)
    name = notebook_name([c.name for c in chapters()].index("users.md") + 1, chapter)
    with zipfile.ZipFile(built_book.html / f"{PACK_NAME}.zip") as archive:
        packed = nbformat.reads(archive.read(f"{PACK_NAME}/{name}").decode("utf-8"), as_version=4)
    site = nbformat.read(built_book.html / "_sources" / "chapters" / "users.ipynb", as_version=4)
    for nb in (packed, site):
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "{glue" not in text and GLUE_MISSING not in text
        assert not [n for n in numbers if n in text], "a glued name reached the student notebook"
        for key, fmt in glued:
            assert format(numbers[key], fmt) in text, f"{key}:{fmt} is not {format(numbers[key], fmt)}"
        assert f"There are {numbers['users_n_milestones']:.0f} milestones" in text
