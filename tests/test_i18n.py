"""The French edition's package side: labels of the data's categories, dates,
numbers, the French catalogues, and each chapter module's figures and tables
in both languages."""

from __future__ import annotations

import json

import pytest

from durovbook import i18n
from durovbook.paths import ROOT

SCHEMAS = ROOT / "data" / "schemas"

#: Categories a module derives from the data (not a column of a CSV file), with their values.
def _derived() -> dict[tuple[str, str], list[str]]:
    from durovbook import bans

    return {("bans", "status"): list(bans.STATUSES)}


def _categorical() -> dict[tuple[str, str], list[str]]:
    """Every field whose values are a fixed list: the schemas' enums, and the derived categories."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    found = {}
    for resource in package["resources"]:
        if resource["name"] == "labels":
            continue
        schema = json.loads((ROOT / "data" / resource["schema"]).read_text(encoding="utf-8"))
        for field in schema["fields"]:
            values = field.get("constraints", {}).get("enum")
            if values:
                found[(resource["name"], field["name"])] = [v for v in values if v != ""]
    return found | _derived()


# --- labels ---------------------------------------------------------------------

def test_every_value_of_every_categorical_field_has_a_label():
    labels = i18n.labels()
    missing = [f"{d}.{f} = {v!r}" for (d, f), values in _categorical().items() for v in values
               if (d, f, v) not in labels]
    assert not missing, "no row in data/labels.csv for: " + "; ".join(missing)


def test_no_label_for_a_value_the_data_cannot_take():
    categorical = _categorical()
    stale = [key for key in i18n.labels() if key[2] not in categorical.get(key[:2], [])]
    assert not stale, stale


def test_every_value_in_the_data_has_a_label():
    from durovbook import load

    for (dataset, field), _values in _categorical().items():
        if (dataset, field) in _derived():
            continue
        for value in load(dataset)[field].dropna().unique():
            assert i18n.label(dataset, field, value)  # raises LabelMissing when absent


def test_label_in_both_languages():
    assert i18n.label("verdicts", "verdict", "partly-supported", "en") == "Partly supported"
    assert i18n.label("verdicts", "verdict", "partly-supported", "fr") == "Partiellement confirmé"
    assert i18n.label("charges", "category", "refusal to cooperate with lawful interception", "fr") == \
        "refus de coopérer aux interceptions légales"
    with i18n.using("fr"):
        assert i18n.label("bans", "status", "blocked") == "bloqué"
        assert i18n.label_map("policy_changes", "document")["terms_of_service"] == "Conditions d'utilisation"
    with i18n.using("en"):
        assert i18n.label("case_events", "kind", "procedure") == "Step of the French case"


def test_a_missing_label_raises_naming_data_set_field_and_value():
    with pytest.raises(i18n.LabelMissing) as caught:
        i18n.label("bans", "scope", "sideways", "fr")
    message = str(caught.value)
    assert "labels.csv" in message and "'bans'" in message and "'scope'" in message and "'sideways'" in message
    with pytest.raises(i18n.LabelMissing):
        i18n.label("nosuchdata", "verdict", "supported", "en")


def test_a_label_removed_from_the_file_is_missing(data_copy):
    rows = [r for r in data_copy.rows("labels") if not (r["dataset"] == "verdicts" and r["value"] == "contradicted")]
    data_copy.write("labels", rows)
    assert i18n.label("verdicts", "verdict", "supported", "fr", data=data_copy.folder) == "Confirmé"
    with pytest.raises(i18n.LabelMissing, match="contradicted"):
        i18n.label("verdicts", "verdict", "contradicted", "fr", data=data_copy.folder)


def test_labels_csv_is_checked_against_its_schema(data_copy):
    from durovbook import DataError, load

    rows = data_copy.rows("labels")
    rows[0]["fr"] = ""
    data_copy.write("labels", rows)
    with pytest.raises(DataError, match=r"labels\.csv, row 2, column 'fr'"):
        load("labels", data_copy.folder)
