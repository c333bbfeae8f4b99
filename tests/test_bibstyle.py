"""The bibliography style: titles exactly as they stand in references.bib, and short citation labels."""

from __future__ import annotations

import pytest
from pybtex.database import parse_string
from pybtex.richtext import Text
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


# --------------------------------------------------------------------------- short labels

LABELS = r"""
@misc{lm1, author = {{Le Monde}}, title = {Le patron de Telegram mis en examen}, howpublished = {Le Monde},
  year = {2024}, date = {2024-08-28}}
@misc{t3, author = {{TASS}}, title = {Third}, howpublished = {TASS}, year = {2024}, month = dec}
@misc{t1, author = {{TASS}}, title = {First}, howpublished = {TASS}, year = {2024}, date = {2024-09-05}}
@misc{t2, author = {{TASS}}, title = {Second}, howpublished = {TASS}, year = {2024}, month = oct}
@misc{t18, author = {{TASS}}, title = {Older}, howpublished = {TASS}, year = {2018}}
@misc{d1, author = {Durov, Pavel}, title = {A blog post}, howpublished = {Telegram blog}, year = {2018}}
@misc{two, author = {Kargar, Simin and McManamen, Keith}, title = {A study}, howpublished = {Internet Monitor}, year = {2018}}
@misc{three, author = {A, Ann and B, Bob and C, Cy}, title = {Three authors}, howpublished = {X}, year = {2020}}
@misc{von, author = {de la Fontaine, Jean}, title = {Fables}, howpublished = {Barbin}, year = {1668}}
@misc{rtl, title = {A very long headline that must never be a citation label on a phone screen},
  howpublished = {RTL Belgium (AFP)}, year = {2024}}
@misc{comma, title = {Copy}, howpublished = {TechCrunch, through a reworded copy}, year = {2024}}
@misc{org, title = {Report}, organization = {Freedom House}, year = {2016}}
@misc{journal, title = {Paper}, journal = {Nature}, year = {2019}}
@misc{nodate, title = {Undated page}, howpublished = {Comparitech}}
@misc{nd1, author = {{Telegram}}, title = {API page one}, howpublished = {core.telegram.org}, year = {n.d.}}
@misc{nd2, author = {{Telegram}}, title = {API page two}, howpublished = {core.telegram.org}}
@misc{short, author = {{Center for Human Rights in Iran}}, shortname = {CHRI}, title = {Unblocked},
  howpublished = {Center for Human Rights in Iran}, year = {2018}}
@misc{case, title = {Lower case}, howpublished = {next}, year = {2024}}
@misc{case2, author = {{Next}}, title = {Upper case}, howpublished = {Next}, year = {2024}, date = {2024-01-01}}
"""


def _labelled():
    return parse_string(LABELS, "bibtex").entries


def test_a_label_is_the_author_or_the_outlet_and_the_year_never_the_title():
    labels = bibstyle.short_labels(_labelled().values())
    assert labels["lm1"] == "Le Monde 2024"  # an organisation written {Le Monde} is one name
    assert labels["d1"] == "Durov 2018"  # a person: the surname
    assert labels["two"] == "Kargar and McManamen 2018"
    assert labels["three"] == "A et al. 2020"
    assert labels["von"] == "de la Fontaine 1668"
    # no author: the outlet, without what follows a bracket or a comma
    assert labels["rtl"] == "RTL Belgium 2024"
    assert labels["comma"] == "TechCrunch 2024"
    assert labels["org"] == "Freedom House 2016" and labels["journal"] == "Nature 2019"
    assert labels["nodate"] == "Comparitech n.d."
    # shortname wins over a long author
    assert labels["short"] == "CHRI 2018"
    assert all("headline" not in label for label in labels.values())


def test_entries_that_would_share_a_label_get_letters_in_the_order_of_their_dates():
    labels = bibstyle.short_labels(_labelled().values())
    # 5 September (date), then October, then December (month only)
    assert (labels["t1"], labels["t2"], labels["t3"]) == ("TASS 2024a", "TASS 2024b", "TASS 2024c")
    assert labels["t18"] == "TASS 2018"  # alone in its year: no letter
    assert (labels["nd1"], labels["nd2"]) == ("Telegram n.d.-a", "Telegram n.d.-b")  # not "n.d.a"
    # labels are compared without case: "next 2024" and "Next 2024" would look the same;
    # a year alone ("2024") comes before a full date in it ("2024-01-01")
    assert (labels["case"], labels["case2"]) == ("next 2024a", "Next 2024b")
    assert len({label.casefold() for label in labels.values()}) == len(labels)


def test_the_order_of_the_entries_does_not_change_the_letters():
    entries = list(_labelled().values())
    assert bibstyle.short_labels(entries) == bibstyle.short_labels(reversed(entries))


def test_letters_go_on_after_z():
    assert [bibstyle.suffix(i) for i in (0, 1, 25, 26, 27, 51, 52)] == ["a", "b", "z", "aa", "ab", "az", "ba"]


def test_an_entry_with_nothing_to_name_it_by_is_refused():
    entry = parse_string("@misc{bare, title = {Only a headline}, year = {2024}}", "bibtex").entries["bare"]
    with pytest.raises(bibstyle.LabelError, match="bare"):
        bibstyle.label_name(entry)


def test_label_problems_names_the_long_labels():
    problems = bibstyle.label_problems({"ok": "Le Monde 2024", "long": "Center for Human Rights in Iran 2018",
                                        "wide": "wordpress.kennycaldieraro.fr 2024"})
    assert len(problems) == 2 and problems[0].startswith("long:") and "7 words" in problems[0]
    assert problems[1].startswith("wide:") and "33 characters" in problems[1]


def test_every_label_of_the_bibliography_is_short_and_unique():
    entries = parse_string((ROOT / "references.bib").read_text(encoding="utf-8"), "bibtex").entries
    labels = bibstyle.short_labels(entries.values())
    assert len(labels) == len(entries)
    assert bibstyle.label_problems(labels) == [], "give these entries a shortname in references.bib"
    assert len({label.casefold() for label in labels.values()}) == len(labels)
    for key, label in labels.items():
        title = str(Text.from_latex(entries[key].fields["title"]))
        assert label not in title or len(title.split()) <= 2, (key, label)
    # the examples the book's readers meet
    assert labels["lemonde2024miseenexamen"].startswith("Le Monde 2024")
    assert labels["seed000journalducoin"] == "Journal du Coin 2024"
    assert labels["telegram2018blog200m"] == "Durov 2018"


def test_the_bibliography_prints_the_labels_in_their_order():
    formatted = list(bibstyle.Style().format_entries(_labelled().values()))
    labels = [e.label for e in formatted]
    assert labels == sorted(labels, key=str.casefold)
    assert labels[:2] == ["A et al. 2020", "CHRI 2018"]
    assert "[" not in labels[0]  # the brackets are the site's, not the label's


# --------------------------------------------------------------------------- citations in the text


MINI_BIB = LABELS


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    """A small Sphinx site cited with the book's styles, built in this process (so coverage sees it)."""
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    tmp = tmp_path_factory.mktemp("cites")
    src = tmp / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "project = 'Cites'\nextensions = ['sphinxcontrib.bibtex', 'bookbuild.bibstyle']\n"
        "bibtex_bibfiles = ['refs.bib']\nbibtex_default_style = 'durovbook'\n"
        "bibtex_reference_style = 'durovbook'\nhtml_theme = 'basic'\n", encoding="utf-8")
    (src / "refs.bib").write_text(MINI_BIB, encoding="utf-8")
    (src / "index.rst").write_text(
        "Cites\n=====\n\n"
        "Parenthetical :cite:p:`rtl,t2`.\n\n"
        "Textual :cite:t:`lm1`.\n\n"
        "Author :cite:author:`short`, year :cite:year:`t3`.\n\n"
        ".. toctree::\n\n   refs\n", encoding="utf-8")
    (src / "refs.rst").write_text("Sources\n=======\n\n.. bibliography::\n   :all:\n", encoding="utf-8")
    out, warnings = tmp / "html", io.StringIO()
    # docutils_namespace: the nodes and roles this build registers are forgotten after it,
    # so another in-process build (tests/test_durovsite.py) is not warned they exist.
    with docutils_namespace():
        app = Sphinx(str(src), str(src), str(out), str(tmp / "doctrees"), "html",
                     status=None, warning=warnings, freshenv=True)
        app.build()
    return out, warnings.getvalue()


def _paragraphs(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    return [" ".join(p.get_text(" ").split()) for p in BeautifulSoup(html, "html.parser").select("p")]


def test_a_citation_in_the_text_is_its_short_label_linked_to_the_bibliography(mini_site):
    out, warnings = mini_site
    assert "WARNING" not in warnings, warnings
    index = (out / "index.html").read_text(encoding="utf-8")
    text = _paragraphs(index)
    # two sources in one citation: brackets, a semicolon between them
    assert "Parenthetical [ RTL Belgium 2024 ; TASS 2024b ] ." in text
    assert "Textual Le Monde 2024 ." in text  # in the sentence, without brackets
    assert "Author CHRI , year 2024 ." in text  # the name part of the label, never the title
    assert "A very long headline" in index  # only in the link's tooltip
    assert 'href="refs.html#id' in index and "A very long headline" not in " ".join(text)


def test_the_bibliography_page_shows_the_same_labels(mini_site):
    from bookbuild.reader import bibliography_labels, citation_problems

    out, _ = mini_site
    labels = bibliography_labels((out / "refs.html").read_text(encoding="utf-8"))
    assert sorted(labels.values(), key=str.casefold) == list(labels.values())
    assert "TASS 2024b" in labels.values() and "Comparitech n.d." in labels.values()
    checked, problems = citation_problems(out, bibliography="refs.html")
    assert (checked, problems) == (5, [])
