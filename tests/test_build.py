"""Build the whole book strictly and check what a reader gets."""

from __future__ import annotations

import re

import pytest

from bookbuild import toc
from durovbook.paths import ROOT

pytestmark = pytest.mark.build


def test_build_succeeds_without_warnings(built_book):
    warnings = [l for l in built_book.log.splitlines() if re.search(r"\bWARNING\b|\bERROR\b", l) and "IPKernelApp" not in l]
    assert built_book.returncode == 0, built_book.log[-4000:]
    assert warnings == []
    assert "Executing notebook" in built_book.log  # the first build really executed the chapters


def test_every_page_in_the_toc_is_rendered(built_book):
    assert (built_book.html / "index.html").exists() and (built_book.html / "fr" / "index.html").exists()
    for page in toc.pages():  # the teacher guide's sections too
        assert (built_book.html / f"{page}.html").exists(), page
    for page in toc.pages(ROOT / "fr"):  # the French edition, in the same site
        assert (built_book.html / "fr" / f"{page}.html").exists(), f"fr/{page}"


def test_the_statement_chapter_shows_its_passages(built_book):
    html = (built_book.html / "chapters" / "statement.html").read_text(encoding="utf-8")
    passages = re.findall(r'id="passage-(p\d\d)"', html)
    assert passages == sorted(passages) and len(passages) >= 20
    assert len(set(passages)) == len(passages), "an id may appear only once on a page"
    assert 'lang="fr"' in html
    assert "Our translation" in html
    assert "Telegram&#x27;s abrupt increase in user count to 950M" in html


def test_executed_outputs_have_no_error_or_stderr(built_book):
    for page in toc.pages() + [f"fr/{p}" for p in toc.pages(ROOT / "fr")]:  # the teacher guide's sections too
        html = (built_book.html / f"{page}.html").read_text(encoding="utf-8")
        assert "output stderr" not in html and "Traceback" not in html, page


def test_a_rebuild_with_nothing_changed_executes_no_notebook(built_book):
    import subprocess
    import sys
    from pathlib import Path

    out = built_book.html.parent.parent
    # Both editions, as `make book` builds them (bookbuild/editions.py); the French log is kept apart.
    proc = subprocess.run([sys.executable, "-m", "bookbuild.editions", str(ROOT), "--path-output", str(out),
                           "-W", "-n", "--keep-going"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:]
    french = (out / "_build" / "fr" / "build.log").read_text(encoding="utf-8")
    assert "Executing notebook" not in proc.stdout + proc.stderr + french
