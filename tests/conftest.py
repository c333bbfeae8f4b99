"""Shared fixtures: broken copies of the data, and one build of the whole book."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from durovbook import DataError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


class DataCopy:
    """A private copy of ``data/`` (and the bibliography) that a test may break."""

    def __init__(self, folder: Path):
        self.folder = folder

    def rows(self, name: str) -> list[dict]:
        with open(self.folder / f"{name}.csv", newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def write(self, name: str, rows: list[dict], fieldnames: list[str] | None = None) -> None:
        fieldnames = fieldnames or list(rows[0].keys())
        with open(self.folder / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def key(self, name: str) -> str:
        """The column that identifies a row of ``name``: its schema's primary key."""
        schema = json.loads((self.folder / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        key = schema.get("primaryKey", ["id"])
        return key[0] if isinstance(key, list) else key

    def row_of(self, name: str, row_id: str) -> int:
        """The row of the file (as DataError counts it: 2 is the first data line) whose key is ``row_id``."""
        ids = [r[self.key(name)] for r in self.rows(name)]
        if row_id not in ids:
            raise KeyError(f"{name}.csv has no row {row_id!r}")
        return ids.index(row_id) + 2

    def set_cell(self, name: str, row_id: str, column: str, value: str) -> int:
        """Change one cell of the row whose id (primary key) is ``row_id``; return that row's number in the file.

        Rows are picked by id, not by position, so a row added to or removed from
        the data does not make a test break a different row than it means to.
        """
        rows = self.rows(name)
        row = self.row_of(name, row_id)
        if column not in rows[0]:
            raise KeyError(f"{name}.csv has no column {column!r}")
        rows[row - 2][column] = value
        self.write(name, rows)
        return row

    def broken(self, loader, name: str, row_id: str, column: str, value: str, named: str | None = None) -> DataError:
        """Break one cell, run ``loader(folder)``, and return the :class:`DataError` it raises.

        The error must name the file, the row (by the id picked) and the column
        (``named``, when a rule blames another cell of the row than the one broken).
        """
        column, broken = (named or column), column
        row = self.set_cell(name, row_id, broken, value)
        with pytest.raises(DataError) as info:
            loader(self.folder)
        err = info.value
        assert Path(err.path).name == f"{name}.csv", err
        assert (err.row, err.column) == (row, column), err
        assert f"{name}.csv, row {row}, column '{column}'" in str(err)
        return err

    def drop_column(self, name: str, column: str) -> None:
        rows = self.rows(name)
        fields = [c for c in rows[0] if c != column]
        self.write(name, [{c: r[c] for c in fields} for r in rows], fields)


@pytest.fixture
def data_copy(tmp_path) -> DataCopy:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    shutil.copy(ROOT / "references.bib", folder / "references.bib")
    return DataCopy(folder)


@pytest.fixture
def seeds() -> dict[str, str]:
    """The two seed articles, read from ../shared/seeds beside the repository."""
    if not SEEDS.exists():
        pytest.skip(f"the seed articles are not available ({SEEDS} is absent); this check needs ../shared/seeds")
    return {
        "000": (SEEDS / "000_ef0302142bc4b362.txt").read_text(encoding="utf-8"),
        "001": (SEEDS / "001_1013b52437bc68dc.txt").read_text(encoding="utf-8"),
    }


class Build:
    def __init__(self, html: Path, log: str, returncode: int):
        self.html = html
        self.log = log
        self.returncode = returncode


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Build:
    """Build the whole book once, strictly, into a temporary folder."""
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=1800,
    )
    return Build(out / "_build" / "html", proc.stdout + proc.stderr, proc.returncode)
