"""Unit tests of the local Sphinx extension ``bookbuild/durovsite.py``.

The browser tests (test_site.py) and the link tests (test_links.py) check the
built site as a whole; these check the extension's own rules on small inputs,
including the inputs that must be refused.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree

from durovbook.paths import ROOT

from bookbuild import durovsite  # noqa: E402


def test_shorten_cuts_at_a_word_boundary_and_marks_the_cut():
    text = "word " * 60
    short = durovsite.shorten(text, limit=40)
    assert len(short) <= 40
    assert short.endswith("…") and not short.endswith(" …")
    assert durovsite.shorten("  a  short\ntext ") == "a short text"


def test_is_french_tells_french_titles_from_english_ones():
    assert durovsite.is_french("Le patron de Telegram mis en examen et remis en liberté sous contrôle judiciaire")
    assert not durovsite.is_french("Telegram founder Pavel Durov charged in France and released on bail")
    assert not durovsite.is_french("Le Monde")  # an outlet's name is not a French sentence


def test_description_is_the_first_real_paragraph_without_citations():
    doctree = publish_doctree(
        "Title\n=====\n\nToo short here.\n\n"
        "- a list item that is long enough to count as eight words\n\n"
        "Durov wrote a long statement on Telegram about the French case [Le Monde, 2024] in September.\n")
    assert durovsite.description_of(doctree) == (
        "Durov wrote a long statement on Telegram about the French case in September.")
    assert durovsite.description_of(None) == ""
    # Inline HTML, as MyST writes <span lang="fr">, is markup and stays out.
    para = nodes.paragraph()
    para += nodes.Text("Durov was described as ")
    para += nodes.raw("", '<span lang="fr">', format="html")
    para += nodes.Text("« inculpé »")
    para += nodes.raw("", "</span>", format="html")
    para += nodes.Text(" in one of the two French articles.")
    doc = nodes.document(None, None)
    doc += para
    assert durovsite.description_of(doc) == "Durov was described as « inculpé » in one of the two French articles."
    assert durovsite.description_of(publish_doctree("Only a few words.")) == ""


def test_french_sentences_of_a_citation_get_lang_fr():
    doctree = nodes.document(None, None)
    citation = nodes.citation()
    text = "Le patron de Telegram est mis en examen dans une enquête. Le Monde, 2024."
    citation += nodes.paragraph(text, text)
    doctree += citation
    durovsite.tag_french_titles(doctree)
    tagged = list(doctree.findall(nodes.inline))
    assert len(tagged) == 1
    assert tagged[0]["classes"] == ["language-fr"]
    assert tagged[0].astext().startswith("Le patron de Telegram")
    assert citation.astext() == text  # nothing lost, nothing added


THEME_FA_JS = (Path(pytest.importorskip("pydata_sphinx_theme").__file__).parent / "theme"
               / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js")


def test_the_icons_are_parsed_from_the_themes_font_awesome_data():
    packs = durovsite.font_awesome_icons(THEME_FA_JS.read_text(encoding="utf-8"))
    assert {"fas", "far", "fab"} <= set(packs)
    w, h, path = packs["fas"]["bars"]
    assert w > 0 and h > 0 and path.startswith("M")
    assert "github" in packs["fab"]


def test_icon_css_draws_used_icons_and_reports_missing_ones(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<i class="fa-solid fa-bars fa-lg"></i><span class="fab fa-github"></span>'
                    '<i class="fa-solid fa-no-such-icon"></i>', encoding="utf-8")
    used = durovsite.used_icons([page])
    assert {("fas", "bars"), ("fab", "github"), ("fas", "no-such-icon"), ("fas", "xmark")} <= used
    assert ("fas", "lg") not in used  # a size modifier is not an icon
    packs = durovsite.font_awesome_icons(THEME_FA_JS.read_text(encoding="utf-8"))
    css, missing = durovsite.icon_css(used, packs)
    assert missing == ["fas no-such-icon"]
    assert ".fa-solid.fa-bars,.fas.fa-bars{--fa-i:url(" in css
    assert "data:image/svg+xml" in css and "http://www.w3.org/2000/svg" in css


def test_glyphs_in_css_keeps_the_themes_own_uses_of_the_icon_font():
    css = ('.fa-bars:before{content:"\\f0c9"}'  # an icon class: drawn by our masks
           '.admonition-title:after{content:"\\f05a"}'  # the theme's own use: kept
           '/* .x{content:"\\f000"} */')
    assert durovsite.glyphs_in_css(css) == {0xF05A}


def test_sidebar_toggles_are_named_after_their_chapter():
    nav = ('<li><a class="reference internal" href="teacher/index.html">Teacher &amp; guide</a><details>'
           '<summary><span class="toctree-toggle" role="presentation"><i></i></span></summary><ul></ul></details></li>'
           '<details><summary><span></span></summary></details>')
    out = durovsite.label_toggles(nav)
    assert '<summary aria-label="Sections of Teacher &amp; guide">' in out
    assert '<summary aria-label="Sections">' in out  # no chapter link before it: a generic name
    assert "<summary>" not in out


def test_images_load_lazily_unless_the_page_says_otherwise():
    from docutils.core import publish_from_doctree

    doctree = publish_doctree(".. image:: a.png\n   :alt: a\n\n.. image:: b.png\n   :alt: b\n   :loading: link\n")
    assert b'loading="lazy"' not in publish_from_doctree(doctree, writer_name="html5")  # docutils is eager
    durovsite.lazy_images(doctree)
    assert [i.get("loading") for i in doctree.findall(nodes.image)] == ["lazy", "link"]
    assert publish_from_doctree(doctree, writer_name="html5").count(b'loading="lazy"') == 1
