"""Freshness report: what is older than the book's as-of date, and by how much.

``make stale`` prints every data row, and every "as of" statement of the
chapters and of ``data/README.md``, whose date is more than six months older
than the book's as-of date (:func:`durovbook.asof.as_of`). It is a report for
the next update, not a test: a row can be old and still true (a ban of 2015
that no newer source confirms is exactly what the next update should look at).

The date of a data row is its ``as_of`` cell when the data set has one (the
date of its newest source): every such row older than the cut-off is listed. A
data set of dated events without ``as_of`` (user milestones, steps of the case)
is as fresh as its newest row, so only that row is listed, when it is old.
An episode whose end is known (``end_precision`` is a day or a month) is
history and is left out. Rows without any date (passages, charges) are counted
but not listed.

The same module holds the rule that a chapter may not write the book's own
date (:func:`book_level_dates`), used by ``tests/test_sources_asof.py``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bookbuild import myst
from durovbook.asof import as_of
from durovbook.display import format_date
from durovbook.data import load, names, schema
from durovbook.paths import ROOT, data_dir

__all__ = ["Statement", "StaleRow", "as_of_statements", "book_level_dates", "cutoff",
           "parse_date", "stale_rows", "stale_statements", "report", "main"]

#: The day of Durov's statement: a map or a table "as of" that day is history.
STATEMENT_DAY = pd.Timestamp("2024-09-05")

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(?:\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|(?:{_MONTHS})\s+\d{{4}}|\d{{4}}-\d\d-\d\d)"
#: "as of <date>", "As of: <date>", "at the time of writing", "checked <date>".
_AS_OF = re.compile(
    rf"(?P<quote>[\"“«]\s*)?\b(?P<phrase>as of:?\*{{0,2}}|as at|checked(?: on| as of)?|last checked(?: on)?)\s+"
    rf"(?:the\s+)?(?P<date>{_DATE})", re.I)
_WRITING = re.compile(r"\bat the time of writing\b|\bas of the newest source\b", re.I)


@dataclass(frozen=True)
class Statement:
    """One "as of" statement found in a text file."""

    path: str
    line: int
    date: pd.Timestamp | None
    text: str
    quoted: bool = False


@dataclass(frozen=True)
class StaleRow:
    """One data row whose date is older than the cut-off."""

    dataset: str
    row_id: str
    column: str
    date: pd.Timestamp


def parse_date(text: str) -> pd.Timestamp:
    """Read "5 September 2024", "September 2024" (the 1st) or "2024-09-05"."""
    text = " ".join(text.split())
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%B %Y"):
        try:
            return pd.Timestamp(pd.to_datetime(text, format=fmt))
        except ValueError:
            continue
    raise ValueError(f"not a date the book writes: {text!r}")


def _prose(text: str) -> list[tuple[int, str]]:
    """The lines of a MyST page outside code cells, with their numbers (from 1)."""
    code = {n for d in myst.directives(text) if d.name == "code-cell" for n in range(d.start, d.end)}
    return [(i, line) for i, line in enumerate(text.splitlines(), 1) if i - 1 not in code]


def as_of_statements(text: str, path: str = "") -> list[Statement]:
    """Every "as of <date>" (or "at the time of writing") in the prose of ``text``.

    A statement may run over two lines; it is reported at the line where it
    starts. ``quoted`` is true when the phrase opens a quotation (it is a
    source's words, not the book's).
    """
    lines = _prose(text)
    found, seen = [], set()
    for (number, line), (_, after) in zip(lines, lines[1:] + [(0, "")]):
        joined = f"{line} {after.strip()}"
        for match in _AS_OF.finditer(joined):
            if match.start() >= len(line) or (number, match.group("date")) in seen:
                continue
            seen.add((number, match.group("date")))
            found.append(Statement(path, number, parse_date(match.group("date")),
                                   " ".join(match.group(0).split()), bool(match.group("quote"))))
        for match in _WRITING.finditer(line):
            found.append(Statement(path, number, None, match.group(0)))
    return found


def book_level_dates(text: str, path: str = "") -> list[Statement]:
    """The statements by which a page writes its own book-level date.

    A page says "as of {{ as_of }}" (see :mod:`bookbuild.asof_ext`). A literal
    date after "as of" is allowed only for history (the statement's day or
    earlier: "the map as of 1 June 2019") or inside a quotation; "at the time of
    writing" and "as of the newest source" are never allowed.
    """
    return [s for s in as_of_statements(text, path)
            if not s.quoted and (s.date is None or s.date > STATEMENT_DAY)]


def cutoff(book_date=None, months: int = 6) -> pd.Timestamp:
    """The date before which a fact counts as stale: ``months`` before the book's date."""
    day = as_of() if book_date is None else pd.Timestamp(book_date)
    return day - pd.DateOffset(months=months)


def _row_date(row: pd.Series, date_columns: list[str]) -> tuple[str, pd.Timestamp | None]:
    if "as_of" in row.index and pd.notna(row["as_of"]):
        return "as_of", row["as_of"]
    dated = [(row[c], c) for c in date_columns if c in row.index and pd.notna(row[c])]
    if not dated:
        return "", None
    day, column = max(dated, key=lambda pair: pair[0])
    return column, day


def stale_rows(data=None, book_date=None, months: int = 6) -> tuple[list[StaleRow], int]:
    """The data rows older than the cut-off, oldest first, and the number of undated rows."""
    limit = cutoff(as_of(data) if book_date is None else book_date, months)
    rows, undated = [], 0
    for name in names(data):
        if name == "iso3166":  # a code list, not facts
            continue
        fields = schema(name, data).get("fields", [])
        date_columns = [f["name"] for f in fields if f.get("type") == "date"]
        frame = load(name, data)
        dated = []
        for index, row in frame.iterrows():
            if str(row.get("end_precision", "ongoing")) not in ("ongoing", "unknown", "<NA>"):
                continue  # an episode with a known end is history: nothing left to update
            column, day = _row_date(row, date_columns)
            if day is None:
                undated += 1
                continue
            row_id = str(row["id"]) if "id" in row.index else str(index + 2)
            dated.append(StaleRow(name, row_id, column, pd.Timestamp(day)))
        if "as_of" not in frame.columns and dated:
            # Dated events (a milestone, a step of the case) do not go stale one
            # by one: the data set is as fresh as its newest row.
            newest = max(dated, key=lambda r: r.date)
            dated = [StaleRow(name, newest.row_id, f"newest {newest.column}", newest.date)]
        rows += [r for r in dated if r.date < limit]
    return sorted(rows, key=lambda r: (r.date, r.dataset, r.row_id)), undated


def _pages(root: Path) -> list[Path]:
    pages = sorted((root / "chapters").glob("*.md")) + [root / "intro.md"]
    return [p for p in pages if p.exists()] + [data_dir() / "README.md"]


def stale_statements(root: str | Path = ROOT, book_date=None, months: int = 6) -> list[Statement]:
    """The "as of" statements of the chapters and the data dictionary older than the cut-off."""
    root = Path(root)
    limit = cutoff(book_date, months)
    out = []
    for page in _pages(root):
        try:
            shown = str(page.relative_to(root))
        except ValueError:
            shown = str(page)
        for s in as_of_statements(page.read_text(encoding="utf-8"), shown):
            if s.date is not None and s.date < limit and s.date > STATEMENT_DAY:
                out.append(s)
    return out


def report(root: str | Path = ROOT, data=None, months: int = 6) -> str:
    """The freshness report as text."""
    book_date = as_of(data)
    limit = cutoff(book_date, months)
    rows, undated = stale_rows(data, book_date, months)
    lines = [f"The book's as-of date: {format_date(book_date, long=True)} (data/datapackage.json, property as_of).",
             f"Stale: dated before {format_date(limit, long=True)}, more than {months} months older.", "",
             f"Data rows ({len(rows)}; {undated} rows without a date are not listed):"]
    width = max((len(f"{r.dataset}/{r.row_id}") for r in rows), default=0)
    for r in rows:
        age = (book_date - r.date).days
        lines.append(f"  {f'{r.dataset}/{r.row_id}':<{width}}  {r.column:<18} {r.date:%Y-%m-%d}  ({age} days)")
    statements = stale_statements(root, book_date, months)
    lines += ["", f'"As of" statements in the pages ({len(statements)}):']
    for s in statements:
        lines.append(f"  {s.path}:{s.line}  {s.text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m bookbuild.stale [MONTHS]``: print the report (exit code 0)."""
    argv = sys.argv[1:] if argv is None else argv
    months = int(argv[0]) if argv else 6
    print(report(months=months))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
