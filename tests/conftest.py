"""Shared fixtures: broken copies of the data, and one build of the whole book."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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

    def set_cell(self, name: str, index: int, column: str, value: str) -> None:
        """Change one cell; ``index`` 0 is the first data row (row 2 of the file)."""
        rows = self.rows(name)
        rows[index][column] = value
        self.write(name, rows)

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
