"""CITATION.cff is valid Citation File Format 1.2.0 and agrees with the book."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from durovbook.paths import ROOT

# The keys CFF 1.2.0 allows at the top level, and those it requires.
ALLOWED = {
    "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
    "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
    "repository-artifact", "repository-code", "title", "type", "url", "version",
}
REQUIRED = {"cff-version", "message", "title", "authors"}
PERSON = {"family-names", "given-names", "name-particle", "name-suffix", "affiliation", "orcid", "email",
          "alias", "address", "city", "country", "post-code", "region", "tel", "fax", "website"}
ENTITY = {"name", "address", "city", "country", "email", "orcid", "post-code", "region", "tel", "fax",
          "website", "location", "date-start", "date-end", "alias"}
SPDX = {"CC-BY-4.0", "MIT"}  # the two licences of LICENSE


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def check_authors(authors) -> None:
    assert isinstance(authors, list) and authors, "authors must be a non-empty list"
    for author in authors:
        assert isinstance(author, dict)
        if "name" in author:
            assert set(author) <= ENTITY, f"unknown entity keys: {set(author) - ENTITY}"
            assert str(author["name"]).strip()
        else:
            assert set(author) <= PERSON, f"unknown person keys: {set(author) - PERSON}"
            assert author.get("family-names") or author.get("given-names")


def test_required_and_allowed_keys(cff):
    assert REQUIRED <= set(cff), f"missing: {REQUIRED - set(cff)}"
    assert set(cff) <= ALLOWED, f"not CFF 1.2.0 keys: {set(cff) - ALLOWED}"
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str) and cff["message"].strip()
    check_authors(cff["authors"])


def test_values_agree_with_the_book(cff):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["title"] == config["title"]
    assert cff["version"] == project["version"]
    licences = cff["license"] if isinstance(cff["license"], list) else [cff["license"]]
    assert set(licences) == SPDX


def test_preferred_citation_is_a_valid_reference(cff):
    ref = cff["preferred-citation"]
    assert {"type", "title", "authors"} <= set(ref)
    assert ref["type"] == "book" and ref["title"] == cff["title"]
    check_authors(ref["authors"])
    assert isinstance(ref.get("year"), int)
    for key in ("date-released", "date-published"):
        if key in cff or key in ref:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff.get(key) or ref.get(key)))


def test_the_cite_page_matches_the_cff(cff):
    page = (ROOT / "cite.md").read_text(encoding="utf-8")
    assert cff["title"] in page and str(cff["version"]) in page and "CITATION.cff" in page
