"""The glossary covers the terms the classroom layer requires, and labels our translations.

Sphinx already fails the strict build on a ``{term}`` that has no entry; these
tests check the other direction: the terms teachers and chapters rely on exist,
and every French term's English gloss is labelled as our translation.
"""

from __future__ import annotations

import pytest

from bookbuild import myst
from bookbuild.toc import chapters
from durovbook.paths import ROOT

REQUIRED = [
    "garde à vue", "information judiciaire", "mise en examen", "contrôle judiciaire",
    "monthly active users", "end-to-end encryption", "lawful interception",
    "Digital Services Act", "VLOP", "OONI",
]
FRENCH = ["garde à vue", "information judiciaire", "mise en examen", "contrôle judiciaire"]


def glossary_entries() -> dict[str, str]:
    """The entries of the ``{glossary}`` directive: term -> definition."""
    text = (ROOT / "glossary.md").read_text(encoding="utf-8")
    found = [d for d in myst.walk(myst.directives(text)) if d.name == "glossary"]
    assert found, "glossary.md has no {glossary} directive"
    entries, term = {}, None
    for line in found[0].body:
        if line.strip() and not line[0].isspace():
            term = line.strip()
            entries[term] = ""
        elif term is not None:
            entries[term] += line.strip() + " "
    return entries


def test_the_glossary_parser_reads_terms_and_definitions():
    entries = glossary_entries()
    assert len(entries) >= len(REQUIRED)
    assert all(definition.strip() for definition in entries.values())


@pytest.mark.parametrize("term", REQUIRED)
def test_required_term_has_an_entry(term):
    assert term in glossary_entries()


@pytest.mark.parametrize("term", FRENCH)
def test_french_term_translation_is_labelled_ours(term):
    assert glossary_entries()[term].lower().startswith("our translation:")


def test_every_chapter_links_at_least_one_term():
    for chapter in chapters():
        roles = [m.group("name") for m in myst.ROLE.finditer(chapter.read_text(encoding="utf-8"))]
        assert "term" in roles, f"{chapter.name} links no glossary term"
