"""The bibliography style of the book: short citation labels, titles as written.

**Short labels.** A citation in the text is a short label, the name of the
author or of the outlet and the year: ``[Le Monde 2024]``, ``[TASS 2024b]``.
The bibliography prints the same label before each entry and lists the entries
in the order of their labels, so a reader who taps a label lands on the full
reference, and one who reads the list finds a label where the alphabet puts it.
A label is built by :func:`short_labels` from ``references.bib``:

* the name is the entry's ``shortname`` field when it has one (for a name too
  long for a label, such as "Center for Human Rights in Iran", ``CHRI``);
  otherwise the surname of its one author, "A and B" for two, "A et al." for
  more (an organisation written ``{TASS}`` is one name); otherwise its outlet,
  ``howpublished`` (or ``organization``, ``journal``, ``publisher``), cut
  before the first bracket, comma or semicolon, so "RTL Belgium (AFP)" gives
  "RTL Belgium";
* then the year (``n.d.`` when the source has none);
* when two or more entries would get the same label, each gets a letter,
  ``a``, ``b``, ... in the order of their dates (``n.d.-a`` after no date).

A title is never a label: an entry whose name part would be empty fails the
build (:class:`LabelError`). tests/test_bibstyle.py holds every label of
``references.bib`` to :data:`MAX_LABEL_CHARS` characters and
:data:`MAX_LABEL_WORDS` words; a longer one needs a ``shortname``.

**Titles as written.** pybtex's ``plain`` style puts every title in sentence
case: it lowercases all but the first letter, so "Telegram CEO Durov..." is
printed "Telegram ceo durov...", and a French title loses its proper nouns.
Our titles are copied from their sources, in their own language and
capitalisation, so this style prints them exactly as they stand in
``references.bib``.

**Kind of source.** Each entry ends with the kind of source it is (the field
``sourcekind``, the last of every entry): "Primary source", "Established
outlet" or "Copy or aggregator", so a reader sees at once what a fact rests on.

:func:`setup` (a Sphinx extension listed in ``_config.yml``) registers
:class:`Style` with pybtex under the name :data:`NAME`, chosen with
``bibtex_default_style``, and :class:`ReferenceStyle`, the way sphinxcontrib-bibtex
writes a citation in the text, under the same name, chosen with
``bibtex_reference_style``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from typing import Iterable

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field, node, sentence

#: The name under which both styles are registered.
NAME = "durovbook"

#: Bump when a change here alters the labels or the bibliography: Sphinx then
#: rereads and rewrites every page (a no-change rebuild does not rewrite pages otherwise).
ENV_VERSION = 2

#: The longest label allowed, in characters and in words: a name of at most four
#: words, then the year ("The New York Times n.d." is five words).
MAX_LABEL_CHARS = 30
MAX_LABEL_WORDS = 5

#: The fields that name an entry without an author, in order of preference.
OUTLET_FIELDS = ("howpublished", "organization", "journal", "publisher")

#: How each value of ``sourcekind`` reads in the bibliography.
KIND_LABELS = {
    "primary": "Primary source",
    "outlet": "Established outlet",
    "copy": "Copy or aggregator",
}

_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"), start=1)}


class LabelError(ValueError):
    """An entry of the bibliography cannot be given a short label."""


# --------------------------------------------------------------------------- labels


def _plain(text: str) -> str:
    """BibTeX text as printed: braces and LaTeX escapes removed, spaces collapsed."""
    return " ".join(str(Text.from_latex(text)).split())


def _surname(person) -> str:
    return _plain(" ".join(person.prelast_names + person.last_names))


def _outlet(text: str) -> str:
    """An outlet's name without what follows it: "RTL Belgium (AFP)" -> "RTL Belgium"."""
    return re.split(r"\s*[(\[,;]", _plain(text), maxsplit=1)[0].strip()


def label_name(entry) -> str:
    """The name part of an entry's label: its short name, its author(s) or its outlet.

    Raises :class:`LabelError` when the entry has none of them: a label is never
    a title.
    """
    fields = entry.fields
    if fields.get("shortname", "").strip():
        return _plain(fields["shortname"])
    authors = [_surname(p) for p in entry.persons.get("author", [])]
    authors = [a for a in authors if a]
    if len(authors) == 1:
        return authors[0]
    if len(authors) == 2:
        return f"{authors[0]} and {authors[1]}"
    if authors:
        return f"{authors[0]} et al."
    for name in OUTLET_FIELDS:
        outlet = _outlet(fields.get(name, ""))
        if outlet:
            return outlet
    raise LabelError(f"the entry {entry.key!r} has no shortname, author or outlet "
                     f"({', '.join(OUTLET_FIELDS)}) to make its citation label from")


def label_year(entry) -> str:
    """The year of an entry as its label prints it (``n.d.`` when it has none)."""
    year = _plain(entry.fields.get("year", ""))
    return year or "n.d."


def _date_key(entry) -> tuple[str, str]:
    """What orders entries that share a label: their date (as precise as known), then their key."""
    fields = entry.fields
    date = fields.get("date", "").strip()
    if not date:
        month = _plain(fields.get("month", "")).lower()
        number = int(month) if month.isdigit() else _MONTHS.get(month, 0)
        date = f"{label_year(entry)}-{number:02d}" if number else label_year(entry)
    return date, entry.key


def suffix(index: int) -> str:
    """The letter of the ``index``-th (0-based) entry sharing a label: a, b, ..., z, aa, ab, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def short_labels(entries: Iterable) -> dict[str, str]:
    """Entry key -> its short label, for a whole bibliography (pybtex entries).

    Labels are unique (compared without case): entries that would share one get
    a letter after the year, in the order of their dates.
    """
    groups: dict[str, list] = {}
    bases = {}
    for entry in entries:
        bases[entry.key] = f"{label_name(entry)} {label_year(entry)}"
        groups.setdefault(bases[entry.key].casefold(), []).append(entry)
    labels = {}
    for group in groups.values():
        if len(group) == 1:
            labels[group[0].key] = bases[group[0].key]
            continue
        # "n.d.-a", as APA writes it: "n.d.a" would read as a word.
        dash = "-" if bases[group[0].key].endswith("n.d.") else ""
        for index, entry in enumerate(sorted(group, key=_date_key)):
            labels[entry.key] = bases[entry.key] + dash + suffix(index)
    return labels


def label_problems(labels: dict[str, str]) -> list[str]:
    """The labels longer than :data:`MAX_LABEL_CHARS` characters or :data:`MAX_LABEL_WORDS` words."""
    return [f"{key}: {label!r} ({len(label)} characters, {len(label.split())} words)"
            for key, label in labels.items()
            if len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS]


# --------------------------------------------------------------------------- bibliography


@node
def source_kind(children, context):
    """The label of the entry's ``sourcekind`` (empty when it has none)."""
    label = KIND_LABELS.get(context["entry"].fields.get("sourcekind", "").strip())
    return Text(label) if label else Text()


class LabelStyle(BaseLabelStyle):
    """pybtex's label style of the book: the short label of each entry (:func:`short_labels`)."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = short_labels(entries)
        return [labels[e.key] for e in entries]


class SortingStyle(BaseSortingStyle):
    """pybtex's sorting style of the book: the entries in the order of their labels (without case)."""

    def sort(self, entries):
        entries = list(entries)
        labels = short_labels(entries)
        return sorted(entries, key=lambda e: (labels[e.key].casefold(), e.key))


class Style(PlainStyle):
    """pybtex's ``plain`` style with short labels; titles keep their capitalisation, and each entry says its kind."""

    default_label_style = LabelStyle
    default_sorting_style = SortingStyle

    def format_title(self, e, which_field, as_sentence=True):
        """Format a title as written in the entry (no change of case)."""
        formatted_title = field(which_field)
        return sentence[formatted_title] if as_sentence else formatted_title

    def format_entry(self, label, entry, bib_data=None):
        """Format an entry as ``plain`` does, then add the kind of source."""
        formatted = super().format_entry(label, entry, bib_data)
        kind = source_kind.format_data({"entry": entry})
        if len(kind):
            formatted.text = Text(formatted.text, " ", sentence[kind].format_data({"entry": entry}))
        return formatted


# --------------------------------------------------------------------------- citations in the text


def reference_style_class():
    """Build :class:`ReferenceStyle` (sphinxcontrib-bibtex is imported only when Sphinx runs)."""
    from sphinxcontrib.bibtex.style.referencing import BracketStyle, GroupReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.basic_label import BasicLabelParentheticalReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
    from sphinxcontrib.bibtex.style.template import entry_label, reference

    @node
    def name(children, data):
        """The name part of the label (for ``{cite:author}``): never the title."""
        return Text(label_name(data["entry"]))

    def brackets():
        # Several sources in one citation: [TASS 2018; Investing.com 2020].
        return BracketStyle(sep="; ")

    @dataclass
    class Textual(ExtraLabelReferenceStyle):
        """``{cite:t}``: the label in the sentence, without brackets ("as Le Monde 2024 reports")."""

        def role_names(self):
            return [f"{c}t{s}" for c in ("", "c") for s in ("", "s")]

        def outer(self, role_name, children):
            return self.bracket.outer(children, brackets=False, capfirst="c" in role_name)

    @dataclass
    class Author(ExtraLabelReferenceStyle):
        """``{cite:author}``: the name part of the label."""

        def role_names(self):
            return [f"{c}author{s}{p}" for c in ("", "c") for s in ("", "s") for p in ("", "par")]

        def outer(self, role_name, children):
            return self.bracket.outer(children, brackets="par" in role_name, capfirst="c" in role_name)

        def inner(self, role_name):
            return reference[name]

    @dataclass
    class ReferenceStyle(GroupReferenceStyle):
        """Citations by short label: ``[Le Monde 2024]``, linked to the entry in the bibliography."""

        bracket: BracketStyle = dataclass_field(default_factory=brackets)

        def __post_init__(self):
            self.styles.extend([
                BasicLabelParentheticalReferenceStyle(bracket=self.bracket),
                Textual(bracket=self.bracket),
                Author(bracket=self.bracket),
                ExtraLabelReferenceStyle(bracket=self.bracket),
                ExtraYearReferenceStyle(bracket=self.bracket),
                ExtraEmptyReferenceStyle(),
            ])
            super().__post_init__()

    ReferenceStyle.__module__ = __name__
    return ReferenceStyle


def register() -> None:
    """Register the styles with pybtex and sphinxcontrib-bibtex (safe to call more than once).

    :class:`Style` for the bibliography (it brings its own :class:`LabelStyle`
    and :class:`SortingStyle`), and the reference style for the citations in
    the text.
    """
    from sphinxcontrib.bibtex.plugin import register_plugin as register_reference_style

    register_plugin("pybtex.style.formatting", NAME, Style, force=True)
    register_reference_style("sphinxcontrib.bibtex.style.referencing", NAME, reference_style_class(), force=True)


def setup(app):  # pragma: no cover - run by Sphinx
    """Register the styles when Sphinx loads this module as an extension."""
    register()
    return {"env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
