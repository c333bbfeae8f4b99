"""The bibliography style of the book: pybtex's ``plain``, with titles as written.

pybtex's ``plain`` style puts every title in sentence case: it lowercases all
but the first letter, so "Telegram CEO Durov..." is printed "Telegram ceo
durov...", and a French title loses its proper nouns. Our titles are copied
from their sources, in their own language and capitalisation, so this style
prints them exactly as they stand in ``references.bib``.

It is registered with pybtex by :func:`setup` (a Sphinx extension listed in
``_config.yml``) under the name :data:`NAME`, and chosen with
``bibtex_default_style``.
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, sentence

#: The name under which the style is registered with pybtex.
NAME = "durovbook"


class Style(PlainStyle):
    """pybtex's ``plain`` style, except that titles keep their capitalisation."""

    def format_title(self, e, which_field, as_sentence=True):
        """Format a title as written in the entry (no change of case)."""
        formatted_title = field(which_field)
        return sentence[formatted_title] if as_sentence else formatted_title


def register() -> None:
    """Register :class:`Style` with pybtex (safe to call more than once)."""
    register_plugin("pybtex.style.formatting", NAME, Style, force=True)


def setup(app):  # pragma: no cover - run by Sphinx
    """Register the style when Sphinx loads this module as an extension."""
    register()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
