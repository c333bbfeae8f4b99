"""Load the book's data sets, validated, as pandas DataFrames.

Every CSV in ``data/`` is described by a Frictionless Table Schema listed in
``data/datapackage.json``. :func:`load` asks Frictionless to check the file
against its schema (types, required cells, allowed values, minimums, unique
ids), then checks that every ``source`` key is an entry of ``references.bib``.
The first problem found stops the load with a :class:`DataError` that names the
file, the row, the column and the rule, so a broken row can never become a
silently wrong table or chart. A file that is not valid UTF-8 is refused the
same way, with the row and the byte offset where decoding failed.

A data set that loaded once is kept in memory, keyed on the path and the
modification time of its CSV file, its schema, the package descriptor and the
bibliography: loading it again (in a test, or in a later cell) costs a copy,
not a new validation, and an edit to any of those files is read afresh.
"""

from __future__ import annotations

import csv
import json
import re
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import DataError
from .paths import bib_path, data_dir, display_path
from .sources import load_sources, split_keys

with warnings.catch_warnings():
    # frictionless imports a few optional plugins noisily; keep pages clean.
    warnings.simplefilter("ignore")
    from frictionless import FrictionlessException, Package

__all__ = ["DataError", "load", "names", "row_error", "schema", "validate_all"]

_TYPE_RULES = {
    "date": "must be a date written YYYY-MM-DD",
    "integer": "must be a whole number",
    "number": "must be a number",
    "boolean": "must be true or false",
    "year": "must be a year such as 2024",
    "string": "must be text",
}


def _package(folder: Path) -> Package:
    descriptor = folder / "datapackage.json"
    if not descriptor.exists():
        raise DataError(display_path(descriptor), None, None, "the data package descriptor is missing")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Package(str(descriptor))
    except FrictionlessException as exc:
        raise DataError(display_path(descriptor), None, None, f"is not a valid data package ({exc.error.note or exc})") from exc


def names(data: str | Path | None = None) -> list[str]:
    """List the names of the data sets in the data package."""
    return [r.name for r in _package(data_dir(data)).resources]


def _resource(name: str, folder: Path):
    package = _package(folder)
    if name not in [r.name for r in package.resources]:
        raise DataError(display_path(folder / "datapackage.json"), None, None,
                        f"has no data set called '{name}' (known: {', '.join(r.name for r in package.resources)})")
    return package.get_resource(name)


def schema(name: str, data: str | Path | None = None) -> dict:
    """Return the Table Schema of a data set as a plain dictionary."""
    folder = data_dir(data)
    return _resource(name, folder).schema.to_descriptor()


def _rule(error, fields: dict) -> str:
    kind = error.type
    cell = getattr(error, "cell", None)
    got = f" (got {cell!r})" if cell not in (None, "") else ""
    if kind == "missing-label":
        return "this column is missing from the header"
    if kind == "extra-label":
        return "this column is not in the data set's schema"
    if kind == "type-error":
        ftype = fields.get(error.field_name, {}).get("type", "string")
        return _TYPE_RULES.get(ftype, f"must be of type {ftype}") + got
    if kind == "constraint-error":
        match = re.search(r'constraint "(\w+)" is "(.*)"', error.note or "")
        name, value = (match.group(1), match.group(2)) if match else ("", "")
        if name == "required":
            return "must not be empty"
        if name == "minimum":
            return f"must be {value} or more" + got
        if name == "maximum":
            return f"must be {value} or less" + got
        if name == "enum":
            allowed = fields.get(error.field_name, {}).get("constraints", {}).get("enum", [])
            return f"must be one of {', '.join(map(str, allowed))}" + got
        if name == "pattern":
            return f"must match the pattern {value}" + got
        if name == "unique":
            return "must be unique, but this value appears earlier" + got
        return f"breaks the constraint {name}={value}" + got
    if kind in ("primary-key", "unique-error"):
        return f"duplicate id: {error.note}"
    return f"{kind}: {error.note}"


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


def _check_header(resource, path: Path) -> None:
    # Frictionless matches columns by position, so a dropped column is reported
    # against whichever column slid into its place. Compare names first.
    with open(path, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f), [])
    expected = [f["name"] for f in resource.schema.to_descriptor().get("fields", [])]
    for name in expected:
        if name not in header:
            raise DataError(display_path(path), 1, name, "this column is missing from the header")
    for name in header:
        if name not in expected:
            raise DataError(display_path(path), 1, name, "this column is not in the data set's schema")
    if header != expected:
        raise DataError(display_path(path), 1, None, f"the columns must come in the schema's order: {', '.join(expected)}")


def _check_schema(resource, path: Path) -> None:
    _check_header(resource, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = resource.validate()
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    if not errors:
        return
    fields = {f["name"]: f for f in resource.schema.to_descriptor().get("fields", [])}
    first = errors[0]
    row = getattr(first, "row_number", None)
    column = getattr(first, "field_name", None) or getattr(first, "label", None)
    if first.type in ("primary-key",):
        column = ", ".join(resource.schema.primary_key)
    if first.type in ("missing-label", "extra-label"):
        row = 1
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''} in this file)" if len(errors) > 1 else ""
    raise DataError(display_path(path), row, column, _rule(first, fields) + more)


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
    fields = resource.schema.to_descriptor().get("fields", [])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "source" not in frame.columns:
        raise DataError(display_path(path), 1, "source", "every data set needs a source column")
    sources = load_sources(bib_path(folder))
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
