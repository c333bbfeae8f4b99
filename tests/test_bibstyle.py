"""The bibliography prints titles exactly as they stand in references.bib."""

from __future__ import annotations

from pybtex.database import parse_string
from pybtex.plugin import find_plugin
from pybtex.style.formatting.plain import Style as PlainStyle

from bookbuild import bibstyle
from durovbook.paths import ROOT

ENTRY = """
@misc{k,
  title        = {Telegram CEO Durov says France could have contacted the EU representative},
  howpublished = {TASS},
  year         = {2024}
}
@misc{f,
  title        = {Le patron de Telegram mis en examen et remis en liberté sous contrôle judiciaire},
  howpublished = {Le Monde},
  year         = {2024}
}
"""


def _titles(style_class):
    data = parse_string(ENTRY, "bibtex")
    formatted = style_class().format_entries(data.entries.values())
    return {e.key: e.text.render_as("text") for e in formatted}


def test_titles_keep_their_proper_nouns_and_acronyms():
    text = _titles(bibstyle.Style)
    assert "Telegram CEO Durov says France could have contacted the EU representative." in text["k"]
    assert "Le patron de Telegram mis en examen" in text["f"]


def test_the_stock_plain_style_would_lowercase_them():
    """The reason for the style: without it, 'CEO Durov' and 'EU' are lowercased."""
    text = _titles(PlainStyle)
    assert "Telegram ceo durov" in text["k"]
    assert "the eu representative" in text["k"]


def test_the_style_is_registered_under_its_name_and_formats_the_whole_bibliography():
    bibstyle.register()
    assert find_plugin("pybtex.style.formatting", bibstyle.NAME) is bibstyle.Style
    data = parse_string((ROOT / "references.bib").read_text(encoding="utf-8"), "bibtex")
    formatted = list(bibstyle.Style().format_entries(data.entries.values()))
    assert len(formatted) == len(data.entries)
