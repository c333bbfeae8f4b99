"""Load the book's data sets, validated, as pandas DataFrames.

Every CSV in ``data/`` is described by a Table Schema (the Frictionless Data
specification) listed in the data package ``data/datapackage.json``.
:func:`load` checks the file against its schema (the header, the types,
required cells, allowed values, patterns, minimums and maximums, unique values
and ids), then checks that every ``source`` key is an entry of
``references.bib``; every row names at least one. The first problem found stops the load with a
:class:`DataError` that names the file, the row, the column and the rule, so a
broken row can never become a silently wrong table or chart. A file that is not
valid UTF-8 is refused the same way, with the row and the byte offset where
decoding failed.

The checks are done here, in plain Python, for the part of the specification
the book's schemas use (the types ``string``, ``date``, ``integer``,
``number``, ``boolean`` and ``year``; the constraints ``required``, ``enum``,
``pattern``, ``minimum``, ``maximum``, ``maxLength`` and ``unique``; a
``primaryKey``): the student pack then needs no validation library. A schema
that asks for anything else is refused, rather than silently not checked.
``tests/test_data.py`` checks that the Frictionless library agrees with these
checks.

A data set that loaded once is kept in memory, keyed on the path and the
modification time of its CSV file, its schema, the package descriptor and the
bibliography: loading it again (in a test, or in a later cell) costs a copy,
not a new validation, and an edit to any of those files is read afresh.
"""

from __future__ import annotations

import copy
import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import DataError
from .paths import bib_path, data_dir, display_path
from .sources import load_sources, split_keys

__all__ = ["DataError", "load", "names", "row_error", "schema", "validate_all"]

_TYPE_RULES = {
    "date": "must be a date written YYYY-MM-DD",
    "integer": "must be a whole number",
    "number": "must be a number",
    "boolean": "must be true or false",
    "year": "must be a year such as 2024",
    "string": "must be text",
}

#: The constraints of a Table Schema field that :func:`load` checks.
CONSTRAINTS = ("required", "enum", "pattern", "minimum", "maximum", "maxLength", "unique")

_TRUE, _FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Resource:
    """One data set of the package: its name, its CSV (relative to ``data/``) and its Table Schema."""

    name: str
    path: str
    schema: dict
    schema_path: Path


def _read_json(path: Path, what: str):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(display_path(path), None, None, f"is not a valid {what} ({exc})") from exc


def _resources(folder: Path) -> list[dict]:
    descriptor = folder / "datapackage.json"
    if not descriptor.exists():
        raise DataError(display_path(descriptor), None, None, "the data package descriptor is missing")
    package = _read_json(descriptor, "data package")
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list) or not resources or not all(
            isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get("path"), str) for r in resources):
        raise DataError(display_path(descriptor), None, None,
                        "is not a valid data package (it needs a list of resources, each with a name and a path)")
    return resources


def _check_descriptor(schema: dict, path: Path) -> dict:
    """Refuse a Table Schema that is malformed, or that asks for a check :func:`load` does not make."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not fields or not all(isinstance(f, dict) and f.get("name") for f in fields):
        raise DataError(display_path(path), None, None, "is not a valid Table Schema (it needs a list of named fields)")
    for field in fields:
        ftype = field.get("type", "string")
        if ftype not in _TYPE_RULES:
            raise DataError(display_path(path), None, field["name"], f"has the type {ftype!r}, which the book does not check "
                            f"(use one of {', '.join(_TYPE_RULES)})")
        unknown = set(field.get("constraints", {})) - set(CONSTRAINTS)
        if unknown:
            raise DataError(display_path(path), None, field["name"], f"has the constraint {sorted(unknown)[0]!r}, which "
                            f"the book does not check (use {', '.join(CONSTRAINTS)})")
        if field.get("format", "default") != "default":
            raise DataError(display_path(path), None, field["name"], "has a format, which the book does not check")
    return schema


def names(data: str | Path | None = None) -> list[str]:
    """List the names of the data sets in the data package."""
    return [r["name"] for r in _resources(data_dir(data))]


def _resource(name: str, folder: Path) -> Resource:
    resources = _resources(folder)
    found = next((r for r in resources if r["name"] == name), None)
    if found is None:
        raise DataError(display_path(folder / "datapackage.json"), None, None,
                        f"has no data set called '{name}' (known: {', '.join(r['name'] for r in resources)})")
    described = found.get("schema")
    schema_path = folder / "datapackage.json"
    if isinstance(described, str):
        schema_path = folder / described
        described = _read_json(schema_path, "Table Schema")
    return Resource(name, found["path"], _check_descriptor(described, schema_path), schema_path)


def schema(name: str, data: str | Path | None = None) -> dict:
    """Return the Table Schema of a data set as a plain dictionary."""
    folder = data_dir(data)
    return copy.deepcopy(_resource(name, folder).schema)


def _check_encoding(path: Path) -> None:
    """Refuse a file that is not valid UTF-8, naming the row and the byte where decoding failed."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = None
        if row > 1:
            header = next(csv.reader([raw[: raw.find(b"\n")].decode("utf-8", "replace")]), [])
            before = raw[line_start:exc.start].decode("utf-8", "replace")
            cells = next(csv.reader([before]), [""])
            column = header[len(cells) - 1] if 0 < len(cells) <= len(header) else None
        raise DataError(display_path(path), row, column,
                        f"is not valid UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start} "
                        f"(byte {exc.start - line_start + 1} of the row) cannot be decoded; save the file as UTF-8") from None


def _check_header(resource: Resource, header: list[str], path: Path) -> None:
    expected = [f["name"] for f in resource.schema["fields"]]
    for name in expected:
        if name not in header:
            raise DataError(display_path(path), 1, name, "this column is missing from the header")
    for name in header:
        if name not in expected:
            raise DataError(display_path(path), 1, name, "this column is not in the data set's schema")
    if header != expected:
        raise DataError(display_path(path), 1, None, f"the columns must come in the schema's order: {', '.join(expected)}")


def _cast(ftype: str, cell: str):
    """The value of ``cell`` as a field of type ``ftype``; ``ValueError`` if it is not one."""
    if ftype == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cell):
            raise ValueError(cell)
        return date.fromisoformat(cell)
    if ftype == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", cell):
            raise ValueError(cell)
        return int(cell)
    if ftype == "year":
        if not re.fullmatch(r"[0-9]{4}", cell):
            raise ValueError(cell)
        return int(cell)
    if ftype == "number":
        if not _NUMBER.fullmatch(cell):
            raise ValueError(cell)
        return float(cell)
    if ftype == "boolean":
        if cell in _TRUE or cell in _FALSE:
            return cell in _TRUE
        raise ValueError(cell)
    return cell


def _cell_problem(field: dict, cell: str, missing: set) -> tuple[str | None, object]:
    """The rule that ``cell`` breaks (``None`` if it breaks none), and its value."""
    constraints = field.get("constraints", {})
    ftype = field.get("type", "string")
    got = f" (got {cell!r})" if cell else ""
    if cell in missing:
        return ("must not be empty" if constraints.get("required") else None), None
    try:
        value = _cast(ftype, cell)
    except ValueError:
        return _TYPE_RULES[ftype] + got, None
    if "enum" in constraints and value not in constraints["enum"] and cell not in map(str, constraints["enum"]):
        return f"must be one of {', '.join(map(str, constraints['enum']))}" + got, value
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], cell):
        return f"must match the pattern {constraints['pattern']}" + got, value
    for name, word in (("minimum", "more"), ("maximum", "less")):
        if name in constraints:
            limit = constraints[name]
            bound = _cast(ftype, limit) if isinstance(limit, str) else limit
            if (value < bound) if name == "minimum" else (value > bound):
                return f"must be {limit} or {word}" + got, value
    if "maxLength" in constraints and len(cell) > constraints["maxLength"]:
        return f"must be at most {constraints['maxLength']} characters long (got {len(cell)})", value
    return None, value


def _problems(resource: Resource, rows: list[list[str]]) -> list[tuple[int, str | None, str]]:
    """Every problem of the data rows, in order: (row of the file, column, rule)."""
    fields = resource.schema["fields"]
    missing = set(resource.schema.get("missingValues", [""]))
    key = resource.schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else list(key)
    unique = {f["name"]: {} for f in fields if f.get("constraints", {}).get("unique")}
    keys, problems = {}, []
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            problems.append((number, None, "this row is empty: remove it"))
            continue
        if len(cells) != len(fields):
            column = fields[len(cells)]["name"] if len(cells) < len(fields) else None
            problems.append((number, column, f"this row has {len(cells)} cells, but the header has {len(fields)}"))
            continue
        values = {}
        for field, cell in zip(fields, cells):
            rule, values[field["name"]] = _cell_problem(field, cell, missing)
            if rule is None and field["name"] in unique and values[field["name"]] is not None:
                first = unique[field["name"]].setdefault(values[field["name"]], number)
                if first != number:
                    rule = f"must be unique, but this value appears earlier, in row {first} (got {cell!r})"
            if rule:
                problems.append((number, field["name"], rule))
        if key and all(values.get(k) is not None for k in key):
            ident = tuple(values[k] for k in key)
            first = keys.setdefault(ident, number)
            if first != number:
                shown = ", ".join(map(str, ident))
                problems.append((number, ", ".join(key), f"duplicate id: {shown!r} is already the id of row {first}"))
    return problems


def _check_schema(resource: Resource, path: Path) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        rows = list(reader)
    _check_header(resource, header, path)
    problems = _problems(resource, rows)
    if not problems:
        return
    row, column, rule = problems[0]
    count = len(problems) - 1
    more = f" (and {count} more problem{'s' if count > 1 else ''} in this file)" if count else ""
    raise DataError(display_path(path), row, column, rule + more)


def _typed(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    out = {}
    for field in fields:
        name, ftype = field["name"], field.get("type", "string")
        raw = frame[name].where(frame[name] != "", None)
        if ftype == "date":
            out[name] = pd.to_datetime(raw, format="%Y-%m-%d")
        elif ftype in ("integer", "year"):
            out[name] = pd.to_numeric(raw).astype("Int64")
        elif ftype == "number":
            out[name] = pd.to_numeric(raw).astype("float64")
        elif ftype == "boolean":
            out[name] = raw.map(lambda v: None if pd.isna(v) else str(v).strip().lower() in ("true", "1", "yes")).astype("boolean")
        else:
            out[name] = raw.astype("string")
    return pd.DataFrame(out, index=frame.index)


def row_error(name: str, index: int, column: str, rule: str, data: str | Path | None = None) -> DataError:
    """Build the :class:`DataError` for a rule that a module checks in Python.

    ``index`` is the row's position in the DataFrame returned by :func:`load`
    (0 for the first data line), which is row ``index + 2`` of the file.
    """
    folder = data_dir(data)
    path = folder / f"{name}.csv"
    try:
        path = folder / _resource(name, folder).path
    except DataError:
        pass
    return DataError(display_path(path), int(index) + 2, column, rule)


def load(name: str, data: str | Path | None = None) -> pd.DataFrame:
    """Load the data set ``name`` (for example ``"passages"``), validated.

    Returns a DataFrame whose columns have proper types: dates as
    ``datetime64``, whole numbers as ``Int64``, true/false as ``boolean`` and
    text as ``string``. Raises :class:`DataError` on the first broken row.
    Each call returns its own copy; a data set whose files have not changed
    since it was last loaded is not validated again.
    """
    folder = data_dir(data)
    return _load(str(folder.resolve()), name, _stamp(folder, name)).copy()


def _stamp(folder: Path, name: str) -> tuple:
    """The path, modification time and size of every file a load of ``name`` reads."""
    descriptor = folder / "datapackage.json"
    files = [descriptor, bib_path(folder)]
    try:
        resources = json.loads(descriptor.read_text(encoding="utf-8")).get("resources", [])
        resource = next(r for r in resources if r.get("name") == name)
        files += [folder / resource["path"]]
        if isinstance(resource.get("schema"), str):
            files += [folder / resource["schema"]]
    except (OSError, ValueError, StopIteration, KeyError, TypeError, AttributeError):
        pass  # the load itself reports what is wrong, uncached
    stamps = []
    for path in files:
        try:
            stat = path.stat()
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append((str(path), None, None))
    return tuple(stamps)


@lru_cache(maxsize=64)
def _load(folder_name: str, name: str, stamp: tuple) -> pd.DataFrame:
    """Validate and type one data set; cached on ``stamp`` (see :func:`_stamp`). A failed load is not cached."""
    folder = Path(folder_name)
    resource = _resource(name, folder)
    path = folder / resource.path
    if not path.exists():
        raise DataError(display_path(path), None, None, "the data file is missing")
    _check_encoding(path)
    _check_schema(resource, path)
    fields = resource.schema["fields"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "source" not in frame.columns:
        raise DataError(display_path(path), 1, "source", "every data set needs a source column")
    sources = load_sources(bib_path(folder))
    # Every row names a source (labels.csv: the book's own wording cites the
    # book, thisbook2026labels).
    for index, cell in frame["source"].items():
        keys = split_keys(cell)
        if not keys:
            raise DataError(display_path(path), int(index) + 2, "source", "must name at least one source")
        unknown = [k for k in keys if k not in sources]
        if unknown:
            raise DataError(display_path(path), int(index) + 2, "source",
                            f"unknown source key {', '.join(map(repr, unknown))}: add it to references.bib")
    return _typed(frame, fields)


def validate_all(data: str | Path | None = None) -> dict[str, int]:
    """Validate every data set in the package; return the row count of each."""
    return {name: len(load(name, data)) for name in names(data)}


def describe(name: str, data: str | Path | None = None) -> pd.DataFrame:
    """The data dictionary of one data set: each column, its type and meaning."""
    rows = [
        {
            "column": f["name"],
            "type": f.get("type", "string"),
            "required": bool(f.get("constraints", {}).get("required", False)),
            "description": f.get("description", ""),
        }
        for f in schema(name, data).get("fields", [])
    ]
    return pd.DataFrame(rows)
