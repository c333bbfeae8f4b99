"""The language the package writes in: English (``en``) or French (``fr``).

The book has two editions built from the same chapters' code: the English one
at the root of the repository and the French one in ``fr/``. A chapter's code
cells are the same in both, so the language is not an argument of the cells.
It is found, in this order:

1. :func:`set_language` (or the :func:`using` context manager), if called;
2. the environment variable ``DUROVBOOK_LANG``;
3. the ``language:`` line of the nearest ``_config.yml``, looking from the
   current folder upwards. A notebook runs in its own folder, so a chapter of
   ``fr/chapters/`` finds ``fr/_config.yml`` (``language: fr``) and a chapter
   of ``chapters/`` the English ``_config.yml``. The French notebooks of the
   student pack carry a small ``_config.yml`` of their own for the same reason;
4. English.

Everything the package writes for a reader goes through this module: words
(:func:`tr`, looked up in the catalogues ``durovbook/locale/fr/*.csv``),
dates (:func:`format_date`), numbers (:func:`format_number`,
:func:`format_percent`, :func:`format_millions`) and the labels of the data's
categories (:func:`label`, from ``data/labels.csv``). In French a missing translation is an error, never a
silently English word.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import os
import re
from pathlib import Path

import pandas as pd

LANGUAGES = ("en", "fr")
LOCALE = Path(__file__).resolve().parent / "locale"

#: The narrow no-break space French puts between thousands and before "%".
NNBSP = "\u202f"

_override: str | None = None
_CONFIG_LANGUAGE = re.compile(r"^\s*language:\s*['\"]?([a-z]{2})\b", re.MULTILINE)


class TranslationMissing(KeyError):
    """A text the package writes has no entry in the French catalogue."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


def _check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


def set_language(lang: str | None) -> None:
    """Write in ``lang`` from now on; ``None`` goes back to finding it."""
    global _override
    _override = None if lang is None else _check(lang)


@contextlib.contextmanager
def using(lang: str):
    """Write in ``lang`` inside a ``with`` block (the tests use it)."""
    global _override
    before = _override
    _override = _check(lang)
    try:
        yield
    finally:
        _override = before


def config_language(folder: str | os.PathLike | None = None) -> str | None:
    """The ``language:`` of the nearest ``_config.yml`` at or above ``folder``."""
    here = Path(folder) if folder is not None else Path.cwd()
    for candidate in [here, *here.resolve().parents]:
        config = candidate / "_config.yml"
        if config.is_file():
            found = _CONFIG_LANGUAGE.search(config.read_text(encoding="utf-8"))
            return found.group(1) if found else None
    return None


def language() -> str:
    """The language the package writes in now: ``"en"`` or ``"fr"``."""
    if _override:
        return _override
    env = os.environ.get("DUROVBOOK_LANG")
    if env:
        return _check(env)
    found = config_language()
    return found if found in LANGUAGES else "en"


def _lang(lang: str | None) -> str:
    return _check(lang) if lang else language()


@functools.lru_cache(maxsize=None)
def catalogue(lang: str = "fr") -> dict[str, str]:
    """Every English text the package writes, with its translation into ``lang``.

    The catalogue is the union of the CSV files ``durovbook/locale/<lang>/*.csv``
    (columns ``en`` and ``fr``, one file per module). The same English text
    translated two different ways, or a row with an empty translation, is an error.
    """
    entries: dict[str, str] = {}
    for path in sorted((LOCALE / lang).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                english, translated = row.get("en") or "", row.get(lang) or ""
                where = f"{path.name}, row {line}"
                if not english or not translated.strip():
                    raise ValueError(f"durovbook/locale/{lang}/{where}: empty 'en' or '{lang}' column")
                if entries.get(english, translated) != translated:
                    raise ValueError(f"durovbook/locale/{lang}/{where}: {english!r} is translated twice, "
                                     f"as {entries[english]!r} and as {translated!r}")
                entries[english] = translated
    return entries


class Translated(str):
    """A text already in the reader's language: :func:`tr` returns it unchanged.

    :func:`tr` returns its result as ``Translated``, so a label translated by a
    module and translated again by :func:`durovbook.display.table` (which
    translates the headers a chapter passes in English) stays right.
    """


def tr(text: str, lang: str | None = None, /, **values) -> str:
    """``text`` in the current language, with ``{name}`` fields filled from ``values``.

    ``text`` is the English, which is also the key of the French catalogue:
    ``tr("Users (millions)")``, ``tr("as of {date}", date=...)``.
    """
    if isinstance(text, Translated):
        return text
    lang = _lang(lang)
    if lang != "en":
        try:
            text = catalogue(lang)[text]
        except KeyError:
            raise TranslationMissing(
                f"no {lang} translation of {text!r}: add it to a file of durovbook/locale/{lang}/") from None
    return Translated(text.format(**values) if values else text)


def tr_given(text: str | None, lang: str | None = None) -> str | None:
    """A text a caller passed in (a caption or a column's label a chapter's code cell gives), in the current language.

    The chapters' code cells are the same in both editions, so their English
    captions reach the package in the French edition too: this translates
    them from the catalogue. A text that is already a translation (a module
    passed ``tr(...)``) is kept as it is; any other raises
    :class:`TranslationMissing`, as :func:`tr` does. ``None`` stays ``None``.
    """
    lang = _lang(lang)
    if text is None or lang == "en":
        return text
    entries = catalogue(lang)
    if text in entries:
        return entries[text]
    if _is_translation(text, lang):
        return text
    return tr(text, lang)


@functools.lru_cache(maxsize=None)
def _translations(lang: str) -> tuple[set[str], re.Pattern | None]:
    """The catalogue's translations: those without fields, and one pattern for those with ``{fields}``."""
    plain, patterns = set(), []
    for translated in catalogue(lang).values():
        if re.search(r"\{\w*\}", translated):
            parts = re.split(r"\{\w*\}", translated)
            patterns.append("(?:" + "(?:.+?)".join(re.escape(p) for p in parts) + ")")
        else:
            plain.add(translated)
    return plain, (re.compile("|".join(patterns), re.DOTALL) if patterns else None)


def _is_translation(text: str, lang: str) -> bool:
    plain, pattern = _translations(lang)
    return text in plain or bool(pattern and pattern.fullmatch(text))


def translatable(text: str) -> str:
    """Mark an English text for the catalogue where it is written, and return it unchanged.

    For a text kept in a constant and translated later with ``tr(CONSTANT)``
    (``MEANINGS = {"supported": translatable("The sources confirm it.")}``):
    ``tests/test_i18n.py`` finds the texts to translate as the literals of
    :func:`tr` and :func:`translatable` calls.
    """
    return text


# Labels of the data's categories -------------------------------------------

class LabelMissing(KeyError):
    """A categorical value of a data set has no row in ``data/labels.csv``."""

    def __str__(self) -> str:
        return str(self.args[0])


@functools.lru_cache(maxsize=8)
def _labels(folder: str, stamp: float) -> dict[tuple[str, str, str], dict[str, str]]:
    from .data import load  # here, not at the top: durovbook.data needs nothing of this module

    frame = load("labels", folder)
    return {(r.dataset, r.field, r.value): {"en": r.en, "fr": r.fr} for r in frame.itertuples(index=False)}


def labels(data: str | os.PathLike | None = None) -> dict[tuple[str, str, str], dict[str, str]]:
    """Every row of ``data/labels.csv``, validated: ``(dataset, field, value) -> {"en": ..., "fr": ...}``."""
    from .paths import data_dir

    folder = data_dir(data)
    path = folder / "labels.csv"
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    return _labels(str(folder), stamp)


def label(dataset: str, field: str, value, lang: str | None = None, data: str | os.PathLike | None = None) -> str:
    """The label of a categorical value of a data set, in the current language.

    ``label("verdicts", "verdict", "partly-supported")`` is "Partly supported"
    in English and "Partiellement confirmé" in French. The labels are the rows
    of ``data/labels.csv`` (one per value of every field whose values are a
    fixed list). A value without a row raises :class:`LabelMissing`, naming
    the data set, the field and the value, in either language: a new category
    in the data needs its two labels before any page can show it.
    """
    found = labels(data).get((dataset, field, str(value)))
    if found is None:
        raise LabelMissing(f"data/labels.csv has no label for the value {str(value)!r} of the field {field!r} "
                           f"of the data set {dataset!r}: add a row {dataset},{field},{value},<English>,<French>")
    return Translated(found[_lang(lang)])


def label_map(dataset: str, field: str, lang: str | None = None, data: str | os.PathLike | None = None) -> dict[str, str]:
    """Every value of one field with its label in the current language (for ``Series.map``)."""
    lang = _lang(lang)
    return {value: Translated(texts[lang]) for (d, f, value), texts in labels(data).items() if d == dataset and f == field}


# Country names ----------------------------------------------------------------

def country_name(english: str, iso3: str | None = None, lang: str | None = None) -> str:
    """A country the data names in English, in the current language.

    The French names are those of ``data/geo/iso3166.csv`` (``name_fr``),
    found by the ISO alpha-3 code when it is given, else by the English name:
    the ISO name itself ("India") or the shortest ISO name it begins
    ("United States" for "United States of America"). A country not found
    keeps its English name.
    """
    if _lang(lang) == "en":
        return english
    from .data import load  # here, not at the top: durovbook.data needs nothing of this module

    codes = load("iso3166")
    if iso3 is not None and isinstance(iso3, str):
        found = codes.loc[codes["iso3"] == iso3, "name_fr"]
    else:
        found = codes.loc[codes["name"] == english, "name_fr"]
        if found.empty:  # the shortest ISO name that begins with it
            longer = codes[codes["name"].str.startswith(f"{english} ")]
            found = longer.loc[longer["name"].str.len().sort_values(kind="stable").index[:1], "name_fr"]
    return str(found.iloc[0]) if len(found) == 1 else english


# Dates ----------------------------------------------------------------------

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}
MONTHS_SHORT = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."],
}
PRECISIONS = ("day", "month", "year")


def month_name(month: int, long: bool = True, lang: str | None = None) -> str:
    """The name of a month (1 to 12), in full or short: "September", "sept."."""
    return (MONTHS if long else MONTHS_SHORT)[_lang(lang)][month - 1]


def format_date(value, precision: str = "day", long: bool = False, lang: str | None = None) -> str:
    """Write a date as precisely as it is known.

    ``precision`` is ``day``, ``month`` or ``year`` (the ``*_precision``
    columns of the data): a date known only to the month is never shown as a
    day. Short in tables, long (``long=True``) in sentences:

    - English: "5 Sep 2024", "Sep 2024", "2024"; long "5 September 2024";
    - French: "5 sept. 2024", "sept. 2024", "2024"; long "5 septembre 2024",
      and the first of the month is "1er".

    A missing date gives an empty string.
    """
    if value is None or pd.isna(value):
        return ""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown date precision {precision!r}; use one of {', '.join(PRECISIONS)}")
    lang = _lang(lang)
    day = pd.Timestamp(value)
    if precision == "year":
        return f"{day.year}"
    month = f"{month_name(day.month, long, lang)} {day.year}"
    if precision == "month":
        return month
    number = "1er" if lang == "fr" and day.day == 1 else f"{day.day}"
    return f"{number} {month}"


# Numbers --------------------------------------------------------------------

def format_number(value, decimals: int = 0, lang: str | None = None) -> str:
    """A number with its thousands grouped: "1,234.5" in English, "1 234,5" in French."""
    text = f"{float(value):,.{decimals}f}"
    if _lang(lang) == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def format_percent(value, decimals: int = 1, lang: str | None = None) -> str:
    """A percentage (``value`` already in per cent): "1.5%" in English, "1,5 %" in French."""
    number = format_number(value, decimals, lang)
    return f"{number}{NNBSP}%" if _lang(lang) == "fr" else f"{number}%"


def format_millions(value, decimals: int = 0, lang: str | None = None) -> str:
    """A count in millions: "950 million" in English, "950 millions" in French."""
    number = format_number(value, decimals, lang)
    if _lang(lang) == "fr":
        return f"{number} million" if float(value) < 2 else f"{number} millions"
    return f"{number} million"


def _number_tick(x, _pos, decimals: int, lang: str) -> str:
    return format_number(x, decimals, lang)


def _date_tick(x, _pos, year: bool, lang: str) -> str:
    import matplotlib.dates as mdates

    day = mdates.num2date(x)
    short = month_name(day.month, False, lang)
    return f"{short}\n{day.year}" if year else short


def axis_number_formatter(decimals: int = 0):
    """A matplotlib tick formatter that writes numbers in the current language.

    Its function is a module-level one, not a closure, so that a figure that
    uses it can be copied with ``pickle`` (the phone drawing does).
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(functools.partial(_number_tick, decimals=decimals, lang=language()))


def axis_date_formatter(year: bool = True):
    """A matplotlib date tick formatter with month names in the current language.

    matplotlib's own ``DateFormatter`` follows the C locale, so in French it
    would still write "Sep"; this one writes "sept." (and, with ``year``, the
    year on a second line, as the English figures do). It can be pickled.
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(functools.partial(_date_tick, year=year, lang=language()))
