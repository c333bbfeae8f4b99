"""The repository keeps its promises: every CSV is described, sourced and documented."""

from __future__ import annotations

import json
import re

from bookbuild.toc import pages, source
from durovbook.data import names
from durovbook.paths import ROOT
from durovbook.sources import load_sources


def test_every_csv_is_a_resource_of_the_data_package():
    listed = {r["path"] for r in json.loads((ROOT / "data" / "datapackage.json").read_text())["resources"]}
    on_disk = {p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*.csv")}
    assert on_disk == listed


def test_the_data_dictionary_describes_every_data_set():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for name in names():
        assert f"`{name}.csv`" in readme, f"data/README.md does not describe {name}.csv"
    assert "as of" in readme.lower() and "licence" in readme.lower()


def test_every_bibliography_entry_is_complete():
    for key, source in load_sources(ROOT / "references.bib").items():
        assert source.title, key
        assert source.outlet and source.outlet != key, key
        assert source.date, key
        if source.url:
            assert re.match(r"https?://", source.url), key


def test_pins_are_exact_and_jupyter_book_stays_on_1x():
    lines = [l.strip() for l in (ROOT / "requirements.txt").read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert "-e ." in lines
    pins = [l for l in lines if l != "-e ."]
    assert all("==" in l for l in pins), [l for l in pins if "==" not in l]
    jb = next(l for l in pins if l.lower().startswith("jupyter-book=="))
    assert jb.split("==")[1].startswith("1."), jb


def test_toc_lists_existing_files():
    # sphinx-external-toc's parser, as the build reads it: the teacher guide's sections too
    files = pages()
    assert {"intro", "chapters/statement", "teacher/index", "teacher/lessons", "glossary"} <= set(files)
    for f in files:
        assert source(ROOT, f).exists(), f


def test_chapters_reach_code_through_the_package_only():
    for chapter in (ROOT / "chapters").glob("*.md"):
        text = chapter.read_text(encoding="utf-8")
        assert "sys.path" not in text and "../../" not in text, chapter.name
