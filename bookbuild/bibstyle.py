"""The bibliography style of the book: pybtex's ``plain``, with titles as written.

pybtex's ``plain`` style puts every title in sentence case: it lowercases all
but the first letter, so "Telegram CEO Durov..." is printed "Telegram ceo
durov...", and a French title loses its proper nouns. Our titles are copied
from their sources, in their own language and capitalisation, so this style
prints them exactly as they stand in ``references.bib``.

Each entry ends with the kind of source it is (the field ``sourcekind``, the
last of every entry): "Primary source", "Established outlet" or "Copy or
aggregator", so a reader sees at once what a fact rests on.

It is registered with pybtex by :func:`setup` (a Sphinx extension listed in
``_config.yml``) under the name :data:`NAME`, and chosen with
``bibtex_default_style``.
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, node, sentence

#: The name under which the style is registered with pybtex.
NAME = "durovbook"


#: How each value of ``sourcekind`` reads in the bibliography.
KIND_LABELS = {
    "primary": "Primary source",
    "outlet": "Established outlet",
    "copy": "Copy or aggregator",
}


@node
def source_kind(children, context):
    """The label of the entry's ``sourcekind`` (empty when it has none)."""
    label = KIND_LABELS.get(context["entry"].fields.get("sourcekind", "").strip())
    return Text(label) if label else Text()


class Style(PlainStyle):
    """pybtex's ``plain`` style; titles keep their capitalisation, and each entry says its kind."""

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


def register() -> None:
    """Register :class:`Style` with pybtex (safe to call more than once)."""
    register_plugin("pybtex.style.formatting", NAME, Style, force=True)


def setup(app):  # pragma: no cover - run by Sphinx
    """Register the style when Sphinx loads this module as an extension."""
    register()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
