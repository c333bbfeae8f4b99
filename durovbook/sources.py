"""The bibliography: every data row's ``source`` key must be an entry here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pybtex.database import parse_file

from .errors import DataError
from .paths import display_path


@dataclass(frozen=True)
class Source:
    """One bibliography entry, reduced to what a reader needs to find it."""

    key: str
    outlet: str
    title: str
    date: str
    url: str | None

    def label(self) -> str:
        """A short human label: the outlet and the date."""
        return f"{self.outlet}, {self.date}" if self.date else self.outlet


def _clean(text: str) -> str:
    return text.replace("{", "").replace("}", "").replace("\\&", "&").strip()


@lru_cache(maxsize=8)
def _read(path: str, mtime: float) -> dict[str, Source]:
    try:
        database = parse_file(path, bib_format="bibtex")
    except Exception as exc:  # pybtex raises several types; report them all alike
        raise DataError(display_path(Path(path)), None, None, f"cannot be read as BibTeX ({exc})") from exc
    entries = {}
    for key, entry in database.entries.items():
        fields = entry.fields
        persons = entry.persons.get("author", [])
        author = " and ".join(_clean(str(p)) for p in persons)
        outlet = _clean(fields.get("howpublished", "") or fields.get("journal", "") or author or key)
        date = fields.get("date", "") or fields.get("year", "")
        entries[key] = Source(
            key=key,
            outlet=outlet,
            title=_clean(fields.get("title", "")),
            date=_clean(date),
            url=fields.get("url") or None,
        )
    return entries


def load_sources(path: str | Path) -> dict[str, Source]:
    """Read a BibTeX file and return its entries by key."""
    path = Path(path)
    if not path.exists():
        raise DataError(display_path(path), None, None, "bibliography file is missing")
    return _read(str(path), path.stat().st_mtime)


def split_keys(cell: str) -> list[str]:
    """Split a ``source`` cell such as ``"tass2024; verge2024"`` into its keys."""
    return [k.strip() for k in str(cell).split(";") if k.strip()]
