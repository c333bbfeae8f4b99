"""Unit tests of the site fixes: ``bookbuild/{assets,icons,accessibility,seo}.py``.

The browser tests (test_site.py) and the link tests (test_links.py) check the
built site as a whole; these check the extension's own rules on small inputs,
including the inputs that must be refused.
"""

from __future__ import annotations

from pathlib import Path

import re

import pytest
from docutils import nodes
from docutils.core import publish_doctree

from durovbook.paths import ROOT

from bookbuild import accessibility, assets, icons, seo


def test_shorten_cuts_at_a_word_boundary_and_marks_the_cut():
    text = "word " * 60
    short = seo.shorten(text, limit=40)
    assert len(short) <= 40
    assert short.endswith("…") and not short.endswith(" …")
    assert seo.shorten("  a  short\ntext ") == "a short text"


def test_description_is_the_first_real_paragraph_without_citations():
    doctree = publish_doctree(
        "Title\n=====\n\nToo short here.\n\n"
        "- a list item that is long enough to count as eight words\n\n"
        "Durov wrote a long statement on Telegram about the French case [Le Monde 2024; TASS 2024b] in September"
        " [Comparitech n.d.].\n")
    assert seo.description_of(doctree) == (
        "Durov wrote a long statement on Telegram about the French case in September.")
    assert seo.description_of(None) == ""
    # Inline HTML, as MyST writes <span lang="fr">, is markup and stays out.
    para = nodes.paragraph()
    para += nodes.Text("Durov was described as ")
    para += nodes.raw("", '<span lang="fr">', format="html")
    para += nodes.Text("« inculpé »")
    para += nodes.raw("", "</span>", format="html")
    para += nodes.Text(" in one of the two French articles.")
    doc = nodes.document(None, None)
    doc += para
    assert seo.description_of(doc) == "Durov was described as « inculpé » in one of the two French articles."
    assert seo.description_of(publish_doctree("Only a few words.")) == ""


class Citation:
    """What sphinxcontrib-bibtex records of a citation: its id and its pybtex entry."""

    def __init__(self, citation_id, entry):
        self.citation_id, self.entry = citation_id, entry


def bib_entries():
    from pybtex.database import parse_string

    return parse_string(
        "@misc{fr, langid = {french}, title = {Le patron de {Telegram} est mis en examen}, howpublished = {Le Monde}}\n"
        "@misc{en, title = {Telegram founder charged}, howpublished = {AP}}\n"
        "@misc{es, langid = {spanish}, title = {El juez suspende el bloqueo}}\n", "bibtex").entries


def test_titles_by_language_reads_langid_not_the_words():
    entries = bib_entries()
    titles = accessibility.titles_by_language([Citation(f"id-{k}", e) for k, e in entries.items()])
    # only langid marks a language; the braces that protect a word's case are not printed
    assert titles == {"id-fr": ("Le patron de Telegram est mis en examen", "fr")}


def citation_doctree(ident: str, text: str) -> nodes.document:
    doctree = nodes.document(None, None)
    citation = nodes.citation(ids=[ident])
    citation += nodes.label("", "Le Monde, 2024")
    citation += nodes.paragraph(text, text)
    doctree += citation
    return doctree


def test_the_title_of_a_french_entry_gets_lang_fr_and_nothing_else():
    text = "Le patron de Telegram est mis en examen. Le Monde, 2024."
    doctree = citation_doctree("id1", text)
    missing = accessibility.tag_titles(doctree, {"id1": ("Le patron de Telegram est mis en examen", "fr")})
    assert missing == []
    tagged = list(doctree.findall(nodes.inline))
    assert [t.astext() for t in tagged] == ["Le patron de Telegram est mis en examen"]
    assert tagged[0]["classes"] == ["language-fr"]
    paragraph = next(iter(doctree.findall(nodes.paragraph)))
    assert paragraph.astext() == text  # nothing lost, nothing added
    # an entry without langid, or a title that is not there, is reported and left alone
    other = citation_doctree("id2", "Telegram founder charged. AP, 2024.")
    assert accessibility.tag_titles(other, {"id1": ("x", "fr")}) == []
    assert accessibility.tag_titles(other, {"id2": ("Not this title", "fr")}) == ["id2"]
    assert not list(other.findall(nodes.inline))


def test_the_bibliography_marks_every_french_source_with_langid_first():
    # langid is the first field of each French entry (another field may be added last): the
    # language of its title
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    for entry in re.split(r"\n(?=@)", text)[1:]:
        lines = entry.splitlines()
        french = re.search(r"^\s*language\s*=\s*\{french\}", entry, re.M)
        assert bool(french) == (lines[1].split("=")[0].strip() == "langid"), lines[0]
        if french:
            value = lines[1].split("=", 1)[1].strip()
            # {english} only for a title that is our own description, in [square brackets]
            assert value == "{french}," or (value == "{english}," and "title        = {[" in entry), lines[0]


THEME_FA_JS = (Path(pytest.importorskip("pydata_sphinx_theme").__file__).parent / "theme"
               / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js")


def test_the_icons_are_parsed_from_the_themes_font_awesome_data():
    packs = icons.font_awesome_icons(THEME_FA_JS.read_text(encoding="utf-8"))
    assert {"fas", "far", "fab"} <= set(packs)
    w, h, path = packs["fas"]["bars"]
    assert w > 0 and h > 0 and path.startswith("M")
    assert "github" in packs["fab"]


def test_icon_css_draws_used_icons_and_reports_missing_ones(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<i class="fa-solid fa-bars fa-lg"></i><span class="fab fa-github"></span>'
                    '<i class="fa-solid fa-no-such-icon"></i>', encoding="utf-8")
    used = icons.used_icons([page])
    assert {("fas", "bars"), ("fab", "github"), ("fas", "no-such-icon"), ("fas", "xmark")} <= used
    assert ("fas", "lg") not in used  # a size modifier is not an icon
    packs = icons.font_awesome_icons(THEME_FA_JS.read_text(encoding="utf-8"))
    css, missing = icons.icon_css(used, packs)
    assert missing == ["fas no-such-icon"]
    assert ".fa-solid.fa-bars,.fas.fa-bars{--fa-i:url(" in css
    assert "data:image/svg+xml" in css and "http://www.w3.org/2000/svg" in css


def test_glyphs_in_css_keeps_the_themes_own_uses_of_the_icon_font():
    css = ('.fa-bars:before{content:"\\f0c9"}'  # an icon class: drawn by our masks
           '.admonition-title:after{content:"\\f05a"}'  # the theme's own use: kept
           '/* .x{content:"\\f000"} */')
    assert icons.glyphs_in_css(css) == {0xF05A}


def test_sidebar_toggles_are_named_after_their_chapter():
    nav = ('<li><a class="reference internal" href="teacher/index.html">Teacher &amp; guide</a><details>'
           '<summary><span class="toctree-toggle" role="presentation"><i></i></span></summary><ul></ul></details></li>'
           '<details><summary><span></span></summary></details>')
    out = accessibility.label_toggles(nav)
    assert '<summary aria-label="Sections of Teacher &amp; guide">' in out
    assert '<summary aria-label="Sections">' in out  # no chapter link before it: a generic name
    assert "<summary>" not in out


def test_images_load_lazily_unless_the_page_says_otherwise():
    from docutils.core import publish_from_doctree

    doctree = publish_doctree(".. image:: a.png\n   :alt: a\n\n.. image:: b.png\n   :alt: b\n   :loading: link\n")
    assert b'loading="lazy"' not in publish_from_doctree(doctree, writer_name="html5")  # docutils is eager
    assets.lazy_images(doctree)
    assert [i.get("loading") for i in doctree.findall(nodes.image)] == ["lazy", "link"]
    assert publish_from_doctree(doctree, writer_name="html5").count(b'loading="lazy"') == 1


def _js(filename=None, **attributes):
    from sphinx.builders.html._assets import _JavaScript

    return _JavaScript(filename, priority=500, **attributes)


def _names(scripts):
    return [s.filename or s.attributes["body"][:30] for s in scripts]


STOCK_SCRIPTS = ["_static/documentation_options.js", "_static/doctools.js", "_static/sphinx_highlight.js",
                 "_static/clipboard.min.js", "_static/copybutton.js", "_static/togglebutton.js",
                 "_static/design-tabs.js", assets.UI_JS, "_static/" + assets.UI_JS]


def _stock():
    return [_js(n) for n in STOCK_SCRIPTS] + [
        _js(None, body="let toggleHintShow = 'Click to show';"),
        _js(None, body="var togglebuttonSelector = '.toggle, .admonition.dropdown';"),
        _js(None, body="DOCUMENTATION_OPTIONS.pagename = 'x';")]


def test_a_page_loads_our_script_in_place_of_four_and_the_tabs_script_only_with_tabs():
    out = assets.page_scripts(_stock(), '<div class="highlight"><pre>x</pre></div>', "chapters/x",
                              ["../dt.js?v=2", "../hl.js?v=1"])
    names = _names(out)
    assert names[0] == "_static/documentation_options.js"
    assert not any(n.endswith(assets.REPLACED + ("design-tabs.js",)) for n in names if n)
    assert names.count(assets.UI_JS) == 1 and "_static/" + assets.UI_JS not in names  # one copy of ours
    assert not any("toggle" in n for n in names)  # its settings went with togglebutton.js
    assert "DOCUMENTATION_OPTIONS.pagename" in names[-1]
    loader = next(s for s in out if "sphinx_highlight_terms" in s.attributes.get("body", ""))
    # doctools.js first: sphinx_highlight.js calls its _ready() as it runs.
    assert "['../dt.js?v=2', '../hl.js?v=1'].forEach" in loader.attributes["body"]
    assert not any(n.endswith(assets.HIGHLIGHTING) for n in names if n)
    tabs = assets.page_scripts(_stock(), '<div class="sd-tab-set docutils">', "chapters/x", ["dt.js", "hl.js"])
    assert "_static/design-tabs.js" in _names(tabs)


def test_the_search_page_keeps_sphinx_highlight():
    out = assets.page_scripts(_stock(), "", "search", ["dt.js", "hl.js"])
    assert "_static/sphinx_highlight.js" in _names(out) and "_static/doctools.js" in _names(out)


def test_a_toggle_setting_that_our_script_does_not_follow_is_refused():
    scripts = [_js(None, body="let toggleHintShow = 'Show me';")]
    with pytest.raises(assets.ScriptSettingError, match="toggleHintShow is 'Show me'"):
        assets.page_scripts(scripts, "", "index")


def test_the_highlight_loader_reads_the_address_and_what_a_search_left():
    loader = assets.HIGHLIGHT_LOADER.format(srcs="['a.js', 'b.js']")
    assert "highlight=" in loader and "localStorage.getItem('sphinx_highlight_terms')" in loader
    assert "['a.js', 'b.js'].forEach" in loader and "s.async = false" in loader  # run in that order


def test_our_script_has_the_toggle_settings_it_is_checked_against():
    script = (ROOT / "_static" / assets.UI_JS).read_text(encoding="utf-8")
    # English pages get the English hints, French pages (<html lang="fr">) the French ones.
    fr, en = assets.TOGGLE_SETTINGS_FR, assets.TOGGLE_SETTINGS
    assert f'var SHOW = FR ? "{fr["toggleHintShow"]}" : "{en["toggleHintShow"]}";' in script
    assert f'var HIDE = FR ? "{fr["toggleHintHide"]}" : "{en["toggleHintHide"]}";' in script
    assert "var FR = /^fr/i.test(document.documentElement.lang);" in script
    assert f'querySelectorAll("{assets.TOGGLE_SETTINGS["togglebuttonSelector"]}")' in script
    assert 'addEventListener("beforeprint"' in script  # toggleOpenOnPrint


def test_thebe_settings_leave_the_page_body():
    doctree = publish_doctree("Text.\n")
    doctree += nodes.raw(text='\n<script type="text/x-thebe-config">{}</script>\n', format="html")
    doctree += nodes.raw(text="<script>kernelName = 'python3'</script>", format="html")
    doctree += nodes.raw(text="<script>kept()</script>", format="html")
    assert assets.drop_thebe_settings(doctree) == 2
    assert [n.astext() for n in doctree.findall(nodes.raw)] == ["<script>kept()</script>"]


def test_compact_html_keeps_what_a_browser_draws():
    page = ('\n<!DOCTYPE html>\n<html>\n  <!-- a template comment -->\n  <body>\n    <p>Two\n      words'
            ' and  two spaces</p>\n<pre>  code\n    indented\n</pre>\n<textarea>\n  as typed</textarea>\n'
            '<script>\n  // a comment in a script\n  let x = "<!-- kept -->";\n</script>\n'
            '<a class="x"\n     href="y" title="a\n   b">link</a>\n  </body>\n</html>\n')
    out = assets.compact_html(page)
    assert out.startswith("<!DOCTYPE html>\n<html>\n<body>\n<p>Two\nwords and  two spaces</p>")
    assert "template comment" not in out
    assert "<pre>  code\n    indented\n</pre>" in out and "<textarea>\n  as typed</textarea>" in out
    assert '<script>\n  // a comment in a script\n  let x = "<!-- kept -->";\n</script>' in out
    assert '<a class="x"\nhref="y" title="a\n   b">' in out  # between attributes compacted, values as written
    assert assets.compact_html(out) == out


# --------------------------------------------------------------------------- a small site, built in-process

MINI_BIB = """@misc{lemonde,
  langid       = {french},
  title        = {Le patron de {Telegram} mis en examen},
  howpublished = {Le Monde},
  year         = {2024}
}
@misc{ap,
  title        = {Telegram founder charged},
  howpublished = {AP},
  year         = {2024}
}
"""

MINI_INDEX = """Mini book
=========

The founder of the messaging service was placed under formal investigation in Paris, as reported by
:cite:t:`lemonde` and :cite:t:`ap`.

.. image:: pic.png
   :alt: A picture

.. toctree::

   chapters/one
   refs
"""


def mini_site(tmp_path: Path, baseurl: str = "", math: bool = False):
    """Build a small site with the site extensions in this process; return (html folder, warnings).

    In this process, so that coverage measures the Sphinx hooks too.
    """
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    src = tmp_path / "src"
    (src / "chapters").mkdir(parents=True)
    (src / "conf.py").write_text(
        "project = 'Mini book'\n"
        "extensions = ['sphinxcontrib.bibtex', 'bookbuild.icons', 'bookbuild.assets', 'bookbuild.accessibility',"
        " 'bookbuild.seo', 'bookbuild.cssbundle']\n"
        "html_theme = 'basic'\nhtml_static_path = ['_static']\n"
        f"bibtex_bibfiles = ['refs.bib']\nhtml_baseurl = {baseurl!r}\nogp_social_cards = {{'enable': False}}\n",
        encoding="utf-8")
    (src / "refs.bib").write_text(MINI_BIB, encoding="utf-8")
    (src / "_static").mkdir()
    (src / "_static" / assets.SITE_CSS).write_text(".citation-list { margin: 0 }\n", encoding="utf-8")
    (src / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (src / "index.rst").write_text(MINI_INDEX, encoding="utf-8")
    (src / "chapters" / "one.rst").write_text(
        "One\n===\n\nA chapter page whose first paragraph is long enough to describe the page well.\n"
        + ("\n:math:`x^2`\n" if math else ""), encoding="utf-8")
    (src / "refs.rst").write_text("Sources\n=======\n\n.. bibliography::\n", encoding="utf-8")
    out, warnings = tmp_path / "html", io.StringIO()
    # docutils_namespace: the nodes and roles this build registers are forgotten after it,
    # so another in-process build (tests/test_bibstyle.py) is not warned they exist.
    with docutils_namespace():
        app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), "html",
                     status=None, warning=warnings, freshenv=True)
        app.build()
    return out, warnings.getvalue()


def test_a_small_site_gets_every_fix(tmp_path):
    out, warnings = mini_site(tmp_path)
    assert "WARNING" not in warnings, warnings
    index = (out / "index.html").read_text(encoding="utf-8")
    chapter = (out / "chapters" / "one.html").read_text(encoding="utf-8")
    refs = (out / "refs.html").read_text(encoding="utf-8")
    # seo: one description, Open Graph tags by sphinxext-opengraph with our description and type
    assert index.count('<meta name="description"') == 1
    assert 'property="og:description" content="The founder of the messaging service' in index
    assert 'property="og:type" content="article"' in chapter and 'property="og:type" content="website"' in index
    assert "og:url" not in index  # no address until html.baseurl is set
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>chapters/one.html</loc>" in sitemap and "404" not in sitemap
    assert "Sitemap:" not in (out / "robots.txt").read_text(encoding="utf-8")
    # the 404 page: sphinx-notfound-page's absolute links, our base, noindex, text and tags
    missing = (out / "404.html").read_text(encoding="utf-8")
    assert '<base href="/" />' in missing and 'content="noindex"' in missing and "Page not found" in missing
    assert 'href="/index.html">Go to the start' in missing and 'property="og:title"' in missing
    # assets: lazy images, the theme script; accessibility: citations as list items, French title tagged
    assert 'loading="lazy"' in index and "prefers-color-scheme" in index
    assert 'role="listitem"' in refs and 'role="doc-biblioentry"' not in refs
    assert re.findall(r'<span lang="fr">([^<]*)</span>', refs) == ["Le patron de Telegram mis en examen"]
    # icons: the stylesheet of masks for the icons pages and scripts use
    assert ".fa-solid.fa-xmark" in (out / "_static" / icons.ICON_CSS).read_text(encoding="utf-8")
    # cssbundle: one stylesheet, on the 404 page too (whose links sphinx-notfound-page made absolute)
    assert 'href="_static/durovsite-bundle.css?v=' in index and 'href="_static/durovsite-bundle.css?v=' in missing


def test_a_published_site_gets_absolute_addresses_and_math_is_refused(tmp_path):
    out, warnings = mini_site(tmp_path, baseurl="https://example.org/book", math=True)
    assert "ships no MathJax" in warnings
    chapter = (out / "chapters" / "one.html").read_text(encoding="utf-8")
    assert 'property="og:url" content="https://example.org/book/chapters/one.html"' in chapter
    assert "<loc>https://example.org/book/chapters/one.html</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/book/sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")
    missing = (out / "404.html").read_text(encoding="utf-8")
    assert '<base href="/book/" />' in missing and "og:url" not in missing
    assert 'href="/book/index.html">Go to the start' in missing


def test_a_french_page_loads_sphinx_translations_only_after_doctools():
    # translations.js (the French edition's catalogue for doctools.js) calls doctools' Documentation:
    # off the search page it goes into the loader's list, after doctools.js, never alone.
    scripts = _stock()[:-3] + [_js("_static/translations.js")] + [
        _js(None, body="let toggleHintShow = 'Cliquez pour afficher';")]
    out = assets.page_scripts(scripts, "", "chapters/x", ["../dt.js", "../hl.js", "../tr.js"], "fr")
    assert "_static/translations.js" not in _names(out)
    loader = next(s for s in out if "sphinx_highlight_terms" in s.attributes.get("body", ""))
    assert "['../dt.js', '../hl.js', '../tr.js'].forEach" in loader.attributes["body"]
    search = assets.page_scripts(scripts, "", "search", None, "fr")
    assert _names(search).index("_static/translations.js") > _names(search).index("_static/doctools.js")
    with pytest.raises(assets.ScriptSettingError):  # the English hint on a French page
        assets.page_scripts(_stock(), "", "chapters/x", None, "fr")
