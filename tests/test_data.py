"""Bad input must stop the build with a message naming file, row, column and rule."""

from __future__ import annotations

import pytest

from durovbook import DataError, load, validate_all
from durovbook.data import describe, names, row_error, schema


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


def test_malformed_date(data_copy):
    data_copy.set_cell("case_events", 2, "date", "2024-13-45")
    err = _error("case_events", data_copy)
    assert (err.row, err.column) == (4, "date")
    assert "YYYY-MM-DD" in err.rule and "2024-13-45" in err.rule


def test_duplicate_id(data_copy):
    rows = data_copy.rows("passages")
    rows[3]["id"] = rows[0]["id"]
    data_copy.write("passages", rows)
    err = _error("passages", data_copy)
    assert err.row == 5 and err.column == "id"
    assert "duplicate" in err.rule


def test_unknown_source_key(data_copy):
    data_copy.set_cell("case_events", 1, "source", "next2024communique; nosuchsource2099")
    err = _error("case_events", data_copy)
    assert (err.row, err.column) == (3, "source")
    assert "nosuchsource2099" in err.rule and "references.bib" in err.rule


def test_empty_source_is_refused(data_copy):
    data_copy.set_cell("case_events", 0, "source", " ; ")
    err = _error("case_events", data_copy)
    assert (err.row, err.column) == (2, "source")


def test_empty_required_field(data_copy):
    data_copy.set_cell("case_events", 5, "event", "")
    err = _error("case_events", data_copy)
    assert (err.row, err.column) == (7, "event")
    assert err.rule.startswith("must not be empty")


def test_wrong_type(data_copy):
    data_copy.set_cell("passages", 0, "order", "first")
    err = _error("passages", data_copy)
    assert (err.row, err.column) == (2, "order")
    assert "whole number" in err.rule and "'first'" in err.rule


def test_negative_count(data_copy):
    data_copy.set_cell("passages", 4, "order", "-3")
    err = _error("passages", data_copy)
    assert (err.row, err.column) == (6, "order")
    assert "1 or more" in err.rule and "-3" in err.rule


def test_value_outside_the_allowed_list(data_copy):
    data_copy.set_cell("case_events", 0, "kind", "rumour")
    err = _error("case_events", data_copy)
    assert err.column == "kind" and "must be one of" in err.rule and "rumour" in err.rule


def test_unexpected_column(data_copy):
    rows = data_copy.rows("case_events")
    for r in rows:
        r["extra"] = "x"
    data_copy.write("case_events", rows)
    err = _error("case_events", data_copy)
    assert err.column == "extra" and "not in the data set's schema" in err.rule


def test_several_problems_are_counted(data_copy):
    data_copy.set_cell("case_events", 0, "date", "yesterday")
    data_copy.set_cell("case_events", 1, "date", "tomorrow")
    err = _error("case_events", data_copy)
    assert err.row == 2 and "1 more problem" in err.rule


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
    data_copy.set_cell("case_events", 0, "date", "not-a-date")
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
    data_copy.set_cell("charges", 0, "complicity", "")
    frame = load("charges", data_copy.folder)
    assert frame["complicity"].isna().iloc[0]
    assert frame["complicity"].dtype == "boolean"
    assert frame["complicity"].iloc[1:].notna().all()
