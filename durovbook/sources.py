"""The bibliography: every data row's ``source`` key must be an entry here.

``references.bib`` is read by a small BibTeX reader of its own (:func:`parse_bibtex`),
so that the student pack needs no BibTeX library: entries ``@type{key, field = {value}, ...}``
whose values are in braces or quotes, bare numbers or month macros, joined with ``#``.
Text outside an entry is a comment, as in BibTeX. ``tests/test_sources_asof.py``
checks that it reads the book's bibliography exactly as pybtex (the book's build) does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


class BibTeXError(ValueError):
    """``references.bib`` is not BibTeX that :func:`parse_bibtex` can read; the message gives the line."""


_MONTHS = dict(zip("jan feb mar apr may jun jul aug sep oct nov dec".split(),
                   "January February March April May June July August September October November December".split()))
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_:.+-]*")


def _split_top(text: str, separator: re.Pattern) -> list[str]:
    """Split ``text`` on ``separator`` where it is outside any braces."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        depth += (char == "{") - (char == "}")
        match = separator.match(text, i) if depth == 0 else None
        if match and match.end() > i:
            parts.append(text[start:i])
            start = i = match.end()
            continue
        i += 1
    parts.append(text[start:])
    return parts


def person(name: str) -> str:
    """One author as pybtex writes it: "von Last, Jr, First" (``Sean Hollister`` -> ``Hollister, Sean``)."""
    parts = [p.strip() for p in _split_top(name.strip(), re.compile(","))]
    if len(parts) > 1:
        return ", ".join(" ".join(p.split()) for p in parts if p)
    words = _split_top(" ".join(name.split()), re.compile(" "))
    if len(words) == 1:
        return words[0]
    # "First von Last": the von part starts at the first word in lower case
    first = next((i for i, w in enumerate(words[:-1]) if w[:1].islower()), len(words) - 1)
    return ", ".join(p for p in (" ".join(words[first:]), " ".join(words[:first])) if p)


def persons(value: str) -> list[str]:
    """The authors of a field such as ``author = {Hollister, Sean and {TASS}}``."""
    return [person(n) for n in _split_top(value, re.compile(r"\s+and\s+")) if n.strip()]


def parse_bibtex(text: str) -> dict[str, dict[str, str]]:
    """The entries of a BibTeX file, by key: each a dict of its fields (names in lower case) and ``ENTRYTYPE``.

    Raises :class:`BibTeXError`, naming the line, for an entry that is not
    closed, a field without a value, or a key used twice.
    """
    entries, i = {}, 0

    def fail(message: str, at: int):
        raise BibTeXError(f"line {text.count(chr(10), 0, at) + 1}: {message}")

    def skip(at: int) -> int:
        while at < len(text) and text[at].isspace():
            at += 1
        return at

    def braced(at: int, close: str) -> tuple[str, int]:
        depth, start = 0, at
        while at < len(text):
            char = text[at]
            if char == "{":
                depth += 1
            elif char == "}" and depth:
                depth -= 1
            elif char == close and depth == 0:
                return text[start:at], at + 1
            at += 1
        fail("a value is never closed", start)

    while True:
        at = text.find("@", i)
        if at < 0:
            return entries
        kind = _NAME.match(text, at + 1)
        j = skip(kind.end()) if kind else at + 1
        if not kind or j >= len(text) or text[j] not in "{(":
            i = at + 1  # an '@' that starts no entry is comment text, as in BibTeX
            continue
        closing = "}" if text[j] == "{" else ")"
        if kind.group().lower() == "comment":
            _, i = braced(j + 1, closing)
            continue
        key = re.compile(r"\s*([^\s,{}()=]+)\s*,").match(text, j + 1)
        if not key:
            fail("an entry must start with its key and a comma", j)
        fields, j = {"ENTRYTYPE": kind.group().lower()}, key.end()
        while True:
            j = skip(j)
            if j < len(text) and text[j] == closing:
                break
            name = _NAME.match(text, j)
            if not name:
                fail(f"entry {key.group(1)!r} is not closed, or a field has no name", j)
            j = skip(name.end())
            if j >= len(text) or text[j] != "=":
                fail(f"field {name.group()!r} of {key.group(1)!r} needs '=' and a value", j)
            pieces = []
            while True:
                j = skip(j + 1)
                if j < len(text) and text[j] in '{"':
                    piece, j = braced(j + 1, "}" if text[j] == "{" else '"')
                else:
                    bare = re.compile(r"[A-Za-z0-9_:.+-]+").match(text, j)
                    if not bare:
                        fail(f"field {name.group()!r} of {key.group(1)!r} has no value", j)
                    piece, j = _MONTHS.get(bare.group().lower(), bare.group()), bare.end()
                pieces.append(piece)
                j = skip(j)
                if j >= len(text) or text[j] != "#":
                    break
            fields[name.group().lower()] = "".join(pieces)
            if j < len(text) and text[j] == ",":
                j += 1
            elif j >= len(text) or text[j] != closing:
                fail(f"field {name.group()!r} of {key.group(1)!r} must be followed by ',' or the entry's end", j)
        if key.group(1) in entries:
            fail(f"the key {key.group(1)!r} is used by two entries", at)
        entries[key.group(1)] = fields
        i = j + 1


@lru_cache(maxsize=8)
def _read(path: str, mtime: float) -> dict[str, Source]:
    try:
        database = parse_bibtex(Path(path).read_text(encoding="utf-8"))
    except (BibTeXError, UnicodeDecodeError) as exc:
        raise DataError(display_path(Path(path)), None, None, f"cannot be read as BibTeX ({exc})") from exc
    entries = {}
    for key, fields in database.items():
        author = " and ".join(_clean(p) for p in persons(fields.get("author", "")))
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
