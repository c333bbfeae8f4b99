"""One as-of date for the book, the kind of every source, and the freshness report (issue 13)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from pybtex.database import parse_file

from bookbuild import asof_ext, myst, stale, toc
from bookbuild.student import myst_to_markdown, substitute
from durovbook import DataError, as_of, as_of_text, format_date

ROOT = Path(__file__).resolve().parent.parent
#: Every page of the book, as _toc.yml lists it.
PAGES = [toc.source(ROOT, docname) for docname in toc.pages(ROOT)]

#: Hosts that are not the outlet's own address: a staging server, or a site
#: that republishes other outlets' articles. A `url` on one of them must be
#: replaced by the original or by an established outlet (or dropped, with a note).
BAD_HOSTS = {
    "www.staging.libe.io",   # Libération's staging server
    "staging.libe.io",
    "techbrunch.co",         # a reworded copy of TechCrunch
    "www.thequartering.com",  # a partisan site, used only for quotations found elsewhere
}
# Pledge Times (machine-translated copies) is still cited once, for the Rumble
# post, because no outlet was found; the entry is a `copy` and the text says so.
KINDS = {"primary", "outlet", "copy"}


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the as-of date

def test_as_of_is_the_property_of_the_data_package():
    declared = _descriptor(ROOT / "data")["as_of"]
    assert as_of() == pd.Timestamp(declared)
    assert as_of_text() == format_date(declared, "day", long=True)


def test_as_of_text_writes_the_day_in_full(data_copy):
    descriptor = _descriptor(data_copy.folder)
    descriptor["as_of"] = "2025-03-05"
    (data_copy.folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert as_of_text(data_copy.folder) == "5 March 2025"


def test_a_changed_as_of_reaches_every_reader(data_copy, monkeypatch):
    descriptor = _descriptor(data_copy.folder)
    descriptor["as_of"] = "2027-01-15"
    (data_copy.folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert as_of(data_copy.folder) == pd.Timestamp("2027-01-15")
    assert asof_ext.substitutions(data_copy.folder) == {
        "as_of": "15 January 2027", "as_of_month": "January 2027", "as_of_iso": "2027-01-15"}
    monkeypatch.setenv("DUROVBOOK_DATA", str(data_copy.folder))
    assert substitute("checked as of {{ as_of }}; {{ unknown }}") == "checked as of 15 January 2027; {{ unknown }}"
    assert myst_to_markdown("**Known as of {{as_of}}.**") == "**Known as of 15 January 2027.**"


@pytest.mark.parametrize("value, rule", [
    (None, "the book's as-of date is missing"),
    ("2 December 2026", "must be a date written YYYY-MM-DD"),
    ("2026-13-01", "must be a date written YYYY-MM-DD"),
])
def test_a_bad_as_of_names_the_file_and_the_property(data_copy, value, rule):
    descriptor = _descriptor(data_copy.folder)
    descriptor.pop("as_of")
    if value is not None:
        descriptor["as_of"] = value
    (data_copy.folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError) as error:
        as_of(data_copy.folder)
    assert "datapackage.json" in str(error.value) and "'as_of'" in str(error.value)
    assert rule in str(error.value)


def test_a_missing_or_broken_descriptor_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="descriptor is missing"):
        as_of(tmp_path)
    (tmp_path / "datapackage.json").write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match="not valid JSON"):
        as_of(tmp_path)


def test_the_extension_merges_its_substitutions_into_the_config():
    class Config:
        myst_substitutions = {"other": "kept"}

    config = Config()
    asof_ext._add(None, config)
    assert config.myst_substitutions["other"] == "kept"
    assert config.myst_substitutions["as_of"] == as_of_text()


@pytest.mark.parametrize("text, bad", [
    ("As of 25 November 2026, the case was open.", ["As of 25 November 2026"]),
    ("The future is unknown as of\nNovember 2025.", ["as of November 2025"]),
    ("The case was still open at the time of writing.", ["at the time of writing"]),
    ("## The map as of the newest source", ["as of the newest source"]),
    ("- **As of:** 2026-11-25.", ["As of:** 2026-11-25"]),
    ("As of {{ as_of }}, nothing was found.", []),
    ("World map as of 5 September 2024.", []),          # the statement's day: history
    ("Draw the map as of 1 June 2019.", []),            # history
    ('with figures "as of February 2026" on the page', []),  # a source's own words
    ("```{code-cell} ipython3\n# as of 25 November 2026\n```", []),  # code, not prose
])
def test_the_rule_for_book_level_dates(text, bad):
    assert [s.text for s in stale.book_level_dates(text)] == bad


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_writes_its_own_book_level_date(page):
    found = stale.book_level_dates(page.read_text(encoding="utf-8"), str(page.relative_to(ROOT)))
    assert not found, "write {{ as_of }} instead of a date of your own: " + "; ".join(
        f"{s.path}:{s.line} {s.text!r}" for s in found)


def test_what_changed_is_in_the_reference_part_and_dates_each_change():
    assert "whatchanged" in toc.parts(ROOT)["Reference"]
    page = (ROOT / "whatchanged.md").read_text(encoding="utf-8")
    dated = [m.group(0) for heading in myst.headings(page, 2) if (m := re.match(r"\d{1,2} \w+ \d{4}", heading))]
    assert dated and all(stale.parse_date(d.split(":")[0]) <= as_of() for d in dated)
    assert [stale.parse_date(d) for d in dated] == sorted((stale.parse_date(d) for d in dated), reverse=True)


def test_the_pages_that_state_the_book_date_use_the_substitution():
    for name in ("chapters/charges.md", "chapters/coverage.md", "chapters/bans.md", "intro.md"):
        assert "{{ as_of }}" in (ROOT / name).read_text(encoding="utf-8"), name
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "bookbuild.asof_ext" in config


# --------------------------------------------------------------------------- sources

def _entries() -> dict:
    return parse_file(str(ROOT / "references.bib"), bib_format="bibtex").entries


def test_every_bibliography_entry_says_what_kind_of_source_it_is():
    missing = [k for k, e in _entries().items() if e.fields.get("sourcekind") not in KINDS]
    assert not missing, f"add sourcekind = {{primary}}, {{outlet}} or {{copy}} to: {', '.join(missing)}"


def test_sourcekind_is_the_last_field_line_of_each_entry():
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    bodies = re.findall(r"^@\w+\{([^,]+),\n(.*?)\n\}", text, re.S | re.M)
    assert len(bodies) == len(_entries())
    wrong = [key for key, body in bodies if not body.rstrip().splitlines()[-1].lstrip().startswith("sourcekind")]
    assert not wrong, f"sourcekind must be the last field of: {', '.join(wrong)}"


def test_no_url_points_to_a_staging_or_copy_host():
    bad = {k: e.fields["url"] for k, e in _entries().items()
           if urlparse(e.fields.get("url", "")).hostname in BAD_HOSTS}
    assert not bad, f"replace these addresses by the original or an established outlet: {bad}"


def test_the_named_weak_sources_are_gone():
    entries = _entries()
    assert "thequartering2024policy" not in entries and "pledgetimes2024moderation" not in entries
    assert entries["telegramprivacy2023"].fields["sourcekind"] == "primary"
    assert entries["techbrunch2024telegram950m"].fields["sourcekind"] == "copy"


# --------------------------------------------------------------------------- freshness report

def test_parse_date_reads_the_three_ways_the_book_writes_a_date():
    assert stale.parse_date("5 September 2024") == pd.Timestamp("2024-09-05")
    assert stale.parse_date("September\n 2024") == pd.Timestamp("2024-09-01")
    assert stale.parse_date("2024-09-05") == pd.Timestamp("2024-09-05")
    with pytest.raises(ValueError):
        stale.parse_date("Septembre 2024")


def test_cutoff_is_six_months_before_the_book_date():
    assert stale.cutoff("2026-12-02") == pd.Timestamp("2026-06-02")
    assert stale.cutoff("2026-12-02", months=12) == pd.Timestamp("2025-12-02")
    assert stale.cutoff() == as_of() - pd.DateOffset(months=6)


def test_stale_rows_lists_old_open_rows_and_not_fresh_or_finished_ones(data_copy):
    rows = data_copy.rows("bans")
    ongoing = next(r["id"] for r in rows if r["end_precision"] == "ongoing" and r["id"] != "chn-2015")
    finished = next(r["id"] for r in rows if r["end_precision"] == "day")
    data_copy.set_cell("bans", ongoing, "as_of", "2026-11-30")
    data_copy.set_cell("bans", finished, "as_of", "2015-01-01")
    found, undated = stale.stale_rows(data_copy.folder, "2026-12-02")
    listed = {(r.dataset, r.row_id) for r in found}
    assert ("bans", ongoing) not in listed     # fresh
    assert ("bans", finished) not in listed    # history
    assert ("bans", "chn-2015") in listed                  # ongoing, newest source of 2023
    assert all(r.date < pd.Timestamp("2026-06-02") for r in found)
    assert [r.date for r in found] == sorted(r.date for r in found)
    # A data set of events without as_of is listed once, by its newest row.
    events = [r for r in found if r.dataset == "case_events"]
    assert len(events) <= 1 and (not events or events[0].column == "newest date")
    assert undated >= len(data_copy.rows("charges")) + len(data_copy.rows("passages"))


def test_a_book_date_far_back_makes_nothing_stale(data_copy):
    found, _ = stale.stale_rows(data_copy.folder, "2010-01-01")
    assert found == []


def test_stale_statements_finds_old_as_of_lines(tmp_path, monkeypatch, data_copy):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "a.md").write_text(
        "Fine as of {{ as_of }}.\nOld: as of 3 March 2025.\nHistory: as of 1 June 2019.\n", encoding="utf-8")
    (tmp_path / "intro.md").write_text("Nothing dated.\n", encoding="utf-8")
    (data_copy.folder / "README.md").write_text("- **As of:** 2026-11-25.\n- **As of:** 2024-12-01.\n",
                                                encoding="utf-8")
    monkeypatch.setenv("DUROVBOOK_DATA", str(data_copy.folder))
    found = stale.stale_statements(tmp_path, "2026-12-02")
    assert [(Path(s.path).name, s.line, s.date) for s in found] == [
        ("a.md", 2, pd.Timestamp("2025-03-03")), ("README.md", 2, pd.Timestamp("2024-12-01"))]


def test_the_report_names_the_book_date_and_the_oldest_row(capsys):
    assert stale.main([]) == 0
    out = capsys.readouterr().out
    assert f"The book's as-of date: {as_of_text()}" in out
    assert "bans/chn-2015" in out and "Data rows (" in out and '"As of" statements' in out
    assert stale.report(months=1000).count("bans/") == 0


def test_the_bibliography_prints_the_kind_of_each_source():
    from pybtex.database import parse_string

    from bookbuild import bibstyle

    data = parse_string("""
@misc{a, title = {A}, howpublished = {TASS}, year = {2024}, sourcekind = {outlet}}
@misc{b, title = {B}, howpublished = {Telegram}, year = {2024}, sourcekind = {primary}}
@misc{c, title = {C}, howpublished = {Pledge Times}, year = {2024}, sourcekind = {copy}}
@misc{d, title = {D}, howpublished = {Nobody}, year = {2024}}
""", "bibtex")
    text = {e.key: e.text.render_as("text") for e in bibstyle.Style().format_entries(data.entries.values())}
    assert text["a"].endswith("Established outlet.")
    assert text["b"].endswith("Primary source.")
    assert text["c"].endswith("Copy or aggregator.")
    assert text["d"] == "D. Nobody, 2024."


# --------------------------------------------------------------------------- durovbook's own BibTeX reader

def test_durovbook_reads_the_bibliography_exactly_as_pybtex():
    """durovbook.sources reads references.bib without pybtex (the student pack has none): same entries, same fields."""
    from pybtex.database import Person

    from durovbook.sources import parse_bibtex, persons

    ours = parse_bibtex((ROOT / "references.bib").read_text(encoding="utf-8"))
    theirs = parse_file(str(ROOT / "references.bib"), bib_format="bibtex").entries
    assert list(ours) == list(theirs) and len(ours) > 200
    for key, entry in theirs.items():
        fields = {k: v for k, v in ours[key].items() if k not in ("ENTRYTYPE", "author")}
        assert fields == {k.lower(): v for k, v in entry.fields.items()}, key
        assert ours[key]["ENTRYTYPE"] == entry.type
        assert persons(ours[key].get("author", "")) == [str(p) for p in entry.persons.get("author", [])], key
    for name in ["Sean Hollister", "Ludwig van Beethoven", "{Reporters Without Borders}", "de la Fontaine, Jean",
                 "Barreiro, Jr., Victor", "Jean  de   La Fontaine"]:
        assert persons(name) == [str(Person(name))], name


@pytest.mark.parametrize("text, words", [
    ("@misc{a,\n title = {unclosed\n", "line 2: a value is never closed"),
    ("@misc{a, title = {x}}\n@misc{a, title = {y}}\n", "line 2: the key 'a' is used by two entries"),
    ("@misc{a,\n title {x}}\n", "line 2: field 'title' of 'a' needs '='"),
    ("@misc{a, title = {x} year = 2024}\n", "must be followed by ','"),
    ("@misc{ title = {x}}\n", "line 1: an entry must start with its key"),
])
def test_a_broken_bibliography_names_the_line(tmp_path, text, words):
    from durovbook.sources import load_sources

    bib = tmp_path / "references.bib"
    bib.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="cannot be read as BibTeX") as info:
        load_sources(bib)
    assert words in str(info.value)


def test_the_bibtex_reader_takes_quotes_macros_concatenation_and_comments():
    from durovbook.sources import parse_bibtex

    text = ('% a comment, with an @ in it: ignored\n@comment{anything}\n'
            '@Misc{k1, Title = "A {Braced} title", month = sep, year = 2024, note = {a} # " and " # {b},}\n'
            '@misc(k2, howpublished = {{AFP} \\& co})\n')
    entries = parse_bibtex(text)
    assert entries["k1"] == {"ENTRYTYPE": "misc", "title": "A {Braced} title", "month": "September", "year": "2024",
                             "note": "a and b"}
    assert entries["k2"]["howpublished"] == "{AFP} \\& co"
