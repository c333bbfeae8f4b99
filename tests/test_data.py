"""Bad input must stop the build with a message naming file, row, column and rule."""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from durovbook import DataError, load, validate_all
from durovbook.data import describe, names, row_error, schema
from durovbook.paths import ROOT


def test_every_data_set_loads_and_is_not_empty():
    counts = validate_all()
    assert set(counts) == set(names())
    assert all(n > 0 for n in counts.values()), counts


def test_types_are_proper_dtypes():
    events = load("case_events")
    assert str(events["date"].dtype).startswith("datetime64")
    assert str(events["event"].dtype) == "string"
    passages = load("passages")
    assert str(passages["order"].dtype) == "Int64"
    assert passages["en_original"].isna().any(), "blank cells must become missing values"


def _error(name, data_copy) -> DataError:
    with pytest.raises(DataError) as info:
        load(name, data_copy.folder)
    return info.value


def test_missing_column(data_copy):
    data_copy.drop_column("case_events", "actor")
    err = _error("case_events", data_copy)
    assert err.path.endswith("case_events.csv")
    assert (err.row, err.column) == (1, "actor")
    assert "missing" in err.rule
    assert "case_events.csv, row 1, column 'actor'" in str(err)


@pytest.mark.parametrize("name, row_id, column, value, words", [
    ("case_events", "judicial_investigation_opened", "date", "2024-13-45", ["YYYY-MM-DD", "2024-13-45"]),
    ("case_events", "search_warrants", "source", "next2024communique; nosuchsource2099",
     ["nosuchsource2099", "references.bib"]),
    ("case_events", "preliminary_investigation", "source", " ; ", ["must name at least one source"]),
    ("case_events", "communique_twelve_offences", "event", "", ["must not be empty"]),
    ("case_events", "preliminary_investigation", "kind", "rumour", ["must be one of", "rumour"]),
    ("passages", "p01", "order", "first", ["whole number", "'first'"]),
    ("passages", "p05", "order", "-3", ["1 or more", "-3"]),
], ids=["malformed-date", "unknown-source-key", "empty-source", "empty-required", "not-allowed",
        "wrong-type", "negative-count"])
def test_a_broken_cell_names_file_row_and_column(data_copy, name, row_id, column, value, words):
    err = data_copy.broken(partial(load, name), name, row_id, column, value)
    assert all(w in err.rule for w in words), err.rule


def test_duplicate_id(data_copy):
    rows = data_copy.rows("passages")
    rows[3]["id"] = rows[0]["id"]
    data_copy.write("passages", rows)
    err = _error("passages", data_copy)
    assert err.row == 5 and err.column == "id"
    assert "duplicate" in err.rule


def test_unexpected_column(data_copy):
    rows = data_copy.rows("case_events")
    for r in rows:
        r["extra"] = "x"
    data_copy.write("case_events", rows)
    err = _error("case_events", data_copy)
    assert err.column == "extra" and "not in the data set's schema" in err.rule


def test_several_problems_are_counted(data_copy):
    first = data_copy.set_cell("case_events", "preliminary_investigation", "date", "yesterday")
    data_copy.set_cell("case_events", "search_warrants", "date", "tomorrow")
    err = _error("case_events", data_copy)
    assert err.row == first and "1 more problem" in err.rule


def test_missing_file_and_unknown_data_set(data_copy):
    (data_copy.folder / "case_events.csv").unlink()
    with pytest.raises(DataError, match="data file is missing"):
        load("case_events", data_copy.folder)
    with pytest.raises(DataError, match="no data set called 'nope'"):
        load("nope", data_copy.folder)


def test_broken_descriptor(data_copy):
    (data_copy.folder / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="datapackage.json"):
        load("passages", data_copy.folder)
    (data_copy.folder / "datapackage.json").unlink()
    with pytest.raises(DataError, match="descriptor is missing"):
        names(data_copy.folder)


def test_broken_bibliography(data_copy):
    (data_copy.folder / "references.bib").write_text("@misc{broken,\n title = {unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match="BibTeX"):
        load("passages", data_copy.folder)


def test_row_error_counts_rows_like_a_spreadsheet():
    err = row_error("case_events", 0, "date", "must come after the previous event")
    assert err.row == 2 and err.path.endswith("case_events.csv") and err.column == "date"


def test_schema_documents_every_column():
    for name in names():
        fields = schema(name)["fields"]
        assert all(f.get("description") for f in fields), f"{name}: a column has no description"
        assert "source" in [f["name"] for f in fields], f"{name}: no source column"
    dictionary = describe("case_events")
    assert list(dictionary.columns) == ["column", "type", "required", "description"]
    assert dictionary.set_index("column").loc["date", "type"] == "date"


def test_environment_variable_selects_the_data_folder(data_copy, monkeypatch):
    data_copy.set_cell("case_events", "preliminary_investigation", "date", "not-a-date")
    monkeypatch.setenv("DUROVBOOK_DATA", str(data_copy.folder))
    with pytest.raises(DataError):
        load("case_events")


def test_columns_in_the_wrong_order(data_copy):
    rows = data_copy.rows("case_events")
    fields = list(rows[0])
    fields[0], fields[1] = fields[1], fields[0]
    data_copy.write("case_events", rows, fields)
    err = _error("case_events", data_copy)
    assert err.row == 1 and "order" in err.rule


def test_an_empty_optional_boolean_loads_as_missing_not_false(data_copy):
    """A blank boolean cell means "not known": it must not become False."""
    import json

    schema_path = data_copy.folder / "schemas" / "charges.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    for field in schema["fields"]:
        if field["name"] == "complicity":
            field["constraints"] = {}
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    data_copy.set_cell("charges", "illicit-platform", "complicity", "")
    frame = load("charges", data_copy.folder).set_index("id")
    assert pd.isna(frame.loc["illicit-platform", "complicity"])
    assert frame["complicity"].dtype == "boolean"
    assert frame["complicity"].drop("illicit-platform").notna().all()


# --- the Table Schema checks, and Frictionless ---------------------------------

@pytest.mark.parametrize("name, row_id, column, value, words", [
    ("case_events", "search_warrants", "label", "x" * 46, ["at most 45 characters", "46"]),
    ("passages", "p04", "order", "1", ["unique", "row 2", "'1'"]),
    ("charges", "illicit-platform", "complicity", "maybe", ["true or false", "'maybe'"]),
    ("users", None, "id", "users-2024", ["pattern"]),
    ("case_events", "search_warrants", "date", "2024-9-5", ["YYYY-MM-DD"]),
], ids=["too-long", "not-unique", "not-boolean", "pattern", "date-without-zeros"])
def test_every_constraint_of_the_schemas_is_checked(data_copy, name, row_id, column, value, words):
    row_id = row_id or data_copy.rows(name)[0][data_copy.key(name)]
    err = data_copy.broken(partial(load, name), name, row_id, column, value)
    assert all(w in err.rule for w in words), err.rule


def test_a_blank_row_or_a_short_row_is_refused(data_copy):
    path = data_copy.folder / "case_events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:3] + ["", *lines[3:]]) + "\n", encoding="utf-8")
    err = _error("case_events", data_copy)
    assert (err.row, err.column) == (4, None) and "empty" in err.rule
    path.write_text("\n".join(lines[:3] + [lines[3].rsplit(",", 2)[0], *lines[4:]]) + "\n", encoding="utf-8")
    err = _error("case_events", data_copy)
    header = lines[0].split(",")
    assert (err.row, err.column) == (4, header[-2]) and f"but the header has {len(header)}" in err.rule


@pytest.mark.parametrize("change, words", [
    ({"type": "datetime"}, "type 'datetime'"),
    ({"constraints": {"minLength": 2}}, "constraint 'minLength'"),
    ({"format": "%d/%m/%Y"}, "has a format"),
])
def test_a_schema_asking_for_an_unchecked_rule_is_refused(data_copy, change, words):
    import json

    path = data_copy.folder / "schemas" / "case_events.schema.json"
    described = json.loads(path.read_text(encoding="utf-8"))
    described["fields"][1].update(change)
    path.write_text(json.dumps(described), encoding="utf-8")
    err = _error("case_events", data_copy)
    assert err.path.endswith("case_events.schema.json") and err.column == described["fields"][1]["name"]
    assert words in err.rule


def _frictionless_errors(folder, name):
    """The (row, column) of every problem Frictionless finds in one data set of ``folder``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from frictionless import Package

        report = Package(str(folder / "datapackage.json")).get_resource(name).validate()
    return [(getattr(e, "row_number", None), getattr(e, "field_name", None))
            for task in report.tasks for e in task.errors]


def test_frictionless_finds_the_data_package_valid():
    """The package stays a valid Frictionless data package, which any other tool can read."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from frictionless import validate

        report = validate(str(ROOT / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


@pytest.mark.parametrize("name, row_id, column, value", [
    ("case_events", "judicial_investigation_opened", "date", "2024-13-45"),
    ("case_events", "communique_twelve_offences", "event", ""),
    ("case_events", "preliminary_investigation", "kind", "rumour"),
    ("case_events", "search_warrants", "label", "x" * 46),
    ("passages", "p01", "order", "first"),
    ("passages", "p05", "order", "-3"),
    ("passages", "p04", "order", "1"),
    ("charges", "illicit-platform", "complicity", "maybe"),
    ("bans", "rus-2018", "iso3", "rus"),
])
def test_frictionless_agrees_on_the_broken_cell(data_copy, name, row_id, column, value):
    row = data_copy.set_cell(name, row_id, column, value)
    err = _error(name, data_copy)
    assert (row, column) in _frictionless_errors(data_copy.folder, name)
    assert (err.row, err.column) == (row, column)


# --- a file that is not UTF-8 --------------------------------------------------

def test_a_file_that_is_not_utf8_names_the_row_and_the_byte(data_copy):
    path = data_copy.folder / "case_events.csv"
    row = data_copy.set_cell("case_events", "search_warrants", "event", "Perquisitions à Paris")
    raw = path.read_bytes()
    # as a Windows editor may save it (this cell only: the French columns have accents of their own)
    path.write_bytes(raw.replace("Perquisitions à".encode("utf-8"), "Perquisitions à".encode("latin-1")))
    err = _error("case_events", data_copy)
    offset = raw.index("Perquisitions à".encode("utf-8")) + len("Perquisitions ")
    assert err.path.endswith("case_events.csv")
    assert (err.row, err.column) == (row, "event")
    assert "not valid UTF-8" in err.rule and f"offset {offset}" in err.rule and "0xe0" in err.rule


def test_a_header_that_is_not_utf8_is_row_1(data_copy):
    path = data_copy.folder / "passages.csv"
    path.write_bytes(b"\xff\xfe" + path.read_bytes())  # a UTF-16 byte-order mark
    err = _error("passages", data_copy)
    assert err.row == 1 and "offset 0" in err.rule


# --- the cache -----------------------------------------------------------------

def _count_validations(monkeypatch) -> list:
    import durovbook.data as data

    calls = []
    real = data._check_schema
    monkeypatch.setattr(data, "_check_schema", lambda *a: (calls.append(a), real(*a))[1])
    return calls


def test_a_repeated_load_comes_from_the_cache_as_a_fresh_copy(data_copy, monkeypatch):
    calls = _count_validations(monkeypatch)
    first = load("case_events", data_copy.folder)
    first.loc[0, "event"] = "changed by a cell"
    second = load("case_events", data_copy.folder)
    assert len(calls) == 1, "the second load must not validate again"
    assert second.loc[0, "event"] != "changed by a cell", "each load returns its own copy"
    pd.testing.assert_frame_equal(second, load("case_events", data_copy.folder))


def test_editing_the_file_invalidates_the_cache(data_copy, monkeypatch):
    calls = _count_validations(monkeypatch)
    assert load("case_events", data_copy.folder).set_index("id").loc["search_warrants", "actor"] != "Someone else"
    data_copy.set_cell("case_events", "search_warrants", "actor", "Someone else")
    assert load("case_events", data_copy.folder).set_index("id").loc["search_warrants", "actor"] == "Someone else"
    assert len(calls) == 2
    data_copy.set_cell("case_events", "search_warrants", "date", "not-a-date")
    with pytest.raises(DataError):
        load("case_events", data_copy.folder)


def test_editing_the_schema_or_the_bibliography_invalidates_the_cache(data_copy):
    load("case_events", data_copy.folder)
    bib = data_copy.folder / "references.bib"
    key = data_copy.rows("case_events")[0]["source"].split(";")[0].strip()
    bib.write_text(bib.read_text(encoding="utf-8").replace("{" + key + ",", "{renamed" + key + ",", 1), encoding="utf-8")
    with pytest.raises(DataError, match=key):
        load("case_events", data_copy.folder)


# --- what a student's notebook imports ------------------------------------------

def test_durovbook_imports_nothing_of_the_build_tools():
    """Every module of durovbook imports without Sphinx, docutils or myst-nb (the student pack has none)."""
    import subprocess
    import sys

    script = (
        "import importlib, pkgutil, sys, durovbook\n"
        "for m in pkgutil.iter_modules(durovbook.__path__): importlib.import_module('durovbook.' + m.name)\n"
        "print(len(list(pkgutil.iter_modules(durovbook.__path__))))\n"
        "print(' '.join(sorted({k.split('.')[0] for k in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split("\n")
    assert int(out[0]) >= 10
    loaded = set(out[1].split())
    assert "durovbook" in loaded and "pandas" in loaded
    build_tools = {"sphinx", "docutils", "myst_nb", "myst_parser", "jupyter_book", "bookbuild", "sphinx_book_theme"}
    assert not loaded & build_tools, sorted(loaded & build_tools)


def _code_cells(path) -> list[str]:
    """The code of every code cell of a chapter (its ``:key: value`` options left out), by the book's MyST parser."""
    from bookbuild import myst

    found = myst.walk(myst.directives(path.read_text(encoding="utf-8")))
    return ["\n".join(d.body).strip() for d in found if d.name == "code-cell"]


def _chapters():
    from bookbuild import toc

    return [pytest.param(path, id=path.stem) for path in toc.chapters()]


@pytest.mark.parametrize("chapter", _chapters())
def test_every_chapter_imports_in_the_same_way(chapter):
    """Shared helpers from durovbook, the rest from the chapter's own module, in cells of at most three lines."""
    import ast
    import importlib.util

    import durovbook

    own = f"durovbook.{chapter.stem}"
    has_module = importlib.util.find_spec(own) is not None
    imports = []
    for cell in _code_cells(chapter):
        found = [n for n in ast.walk(ast.parse(cell)) if isinstance(n, (ast.Import, ast.ImportFrom))]
        if found:
            assert len(cell.splitlines()) <= 3, cell
        imports += found
    own_imports = []
    for node in imports:
        assert isinstance(node, ast.ImportFrom), ast.unparse(node)
        if node.module == "durovbook":
            assert {a.name for a in node.names} <= set(durovbook.__all__), ast.unparse(node)
        else:
            assert node.module == own and has_module, f"{ast.unparse(node)}: import from durovbook or {own}"
            assert [a.name for a in node.names] == ["*"], ast.unparse(node)
            own_imports.append(node)
    assert len(own_imports) == (1 if has_module else 0)


@pytest.mark.parametrize("chapter", [p for p in _chapters() if p.id != "statement"])
def test_a_chapter_module_exports_its_helpers_and_no_shared_one(chapter):
    import importlib

    import durovbook

    module = importlib.import_module(f"durovbook.{chapter.stem}")
    assert all(hasattr(module, name) for name in module.__all__)
    assert not set(module.__all__) & set(durovbook.__all__), "a shared helper comes from durovbook only"
