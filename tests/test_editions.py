"""The two editions, English (the repository's root) and French (``fr/``), and the one site they make.

Unit tier: the parity of the two trees (pages, code cells, glue keys, and the
identifiers a translation keeps), shown to fail on broken copies; the French
configuration; the merge of the French site into the English one; the French
student pack. Build tier: on every page of both editions, the switcher to the
counterpart, the hreflang pairs and ``<html lang>``; the theme's labels in
French; the sitemap. The browser checks of every French page are those of
tests/test_site.py and tests/test_phone.py (tests/pagevisits.py lists the
French pages in PAGES).
"""

from __future__ import annotations

import re
import sys
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from bookbuild import editions, toc
from durovbook.paths import ROOT

FR = ROOT / "fr"


# --------------------------------------------------------------------------- parity (unit tier)

def test_the_french_tree_has_the_same_pages_code_cells_and_glue_keys():
    assert editions.parity_problems(ROOT, what=("pages", "code", "glue")) == []


def test_the_french_pages_keep_labels_citations_and_cross_references():
    assert editions.parity_problems(ROOT, what=("identifiers",)) == []


def test_the_french_tree_lists_every_page_of_the_english_one():
    assert toc.pages(FR) == toc.pages(ROOT)
    assert len(toc.pages(FR)) >= 20
    for page in toc.pages(ROOT):
        assert toc.source(FR, page).is_file(), page


def _copy(tmp_path: Path) -> Path:
    """The two trees' tables of contents and pages, copied to break."""
    for root in (ROOT, FR):
        dest = tmp_path / root.relative_to(ROOT)
        dest.mkdir(parents=True, exist_ok=True)
        for name in ("_toc.yml", "_config.yml"):
            shutil.copy(root / name, dest / name)
        for page in toc.pages(root):
            source = toc.source(root, page)
            target = dest / source.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    return tmp_path


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _first_cell(path: Path) -> str:
    return editions.code_cells(path.read_text(encoding="utf-8"))[0]


def _break_code(copy: Path) -> None:
    page = copy / "fr" / "chapters" / "users.md"
    cell = _first_cell(page)
    _edit(page, cell, cell.replace("\n```", "\nx = 1  # a change\n```", 1))


def _swap_cells(copy: Path) -> None:
    page = copy / "fr" / "chapters" / "bans.md"
    text = page.read_text(encoding="utf-8")
    first, second = editions.code_cells(text)[:2]
    page.write_text(text.replace(first, "\0").replace(second, first).replace("\0", second), encoding="utf-8")


def _drop_cell_option(copy: Path) -> None:
    page = copy / "fr" / "chapters" / "charges.md"
    cell = next(c for c in editions.code_cells(page.read_text(encoding="utf-8")) if "\n:tags:" in c)
    _edit(page, cell, "\n".join(l for l in cell.splitlines() if not l.startswith(":tags:")))


def _rename_glue(copy: Path) -> None:
    page = copy / "fr" / "chapters" / "users.md"
    key = re.search(r"\{glue:text\}`([^`:]+)", page.read_text(encoding="utf-8")).group(1)
    _edit(page, f"{{glue:text}}`{key}", f"{{glue:text}}`{key}_fr")


def _change_glue_format(copy: Path) -> None:
    page = copy / "fr" / "chapters" / "users.md"
    _edit(page, ":.0f`", ":.1f`")


def _delete_page(copy: Path) -> None:
    (copy / "fr" / "glossary.md").unlink()


def _drop_from_toc(copy: Path) -> None:
    _edit(copy / "fr" / "_toc.yml", "      - file: whatchanged\n", "")


def _drop_label(copy: Path) -> None:
    page = copy / "fr" / "teacher" / "lessons.md"
    label = re.search(r"^\(([\w.:-]+)\)=$", page.read_text(encoding="utf-8"), re.M).group(0)
    _edit(page, label + "\n", "")


BREAKS = {"a code cell's source": (_break_code, "code: fr/chapters/users.md, code cell 1"),
          "two code cells' order": (_swap_cells, "code: fr/chapters/bans.md, code cell 1"),
          "a code cell's tags": (_drop_cell_option, "code: fr/chapters/charges.md"),
          "a glue key": (_rename_glue, "glue: fr/chapters/users.md lacks"),
          "a glue format": (_change_glue_format, "glue: fr/chapters/users.md lacks"),
          "a missing page": (_delete_page, "pages: fr/glossary.md is missing"),
          "a page left out of fr/_toc.yml": (_drop_from_toc, "without whatchanged"),
          "a label": (_drop_label, "labels: fr/teacher/lessons.md lacks")}


@pytest.mark.parametrize("broken", sorted(BREAKS))
def test_the_parity_check_fails_on_a_broken_copy(tmp_path, broken):
    copy = _copy(tmp_path)  # whole: test_the_french_tree_has_the_same_... checks the same pages
    breaker, expected = BREAKS[broken]
    breaker(copy)
    problems = editions.parity_problems(copy, what=("pages", "code", "glue", "identifiers"))
    assert problems, f"{broken}: the parity check saw nothing"
    assert any(expected in p for p in problems), problems


def test_glue_keys_come_from_roles_and_directives_but_not_from_code():
    text = ("Text {glue:text}`a:.1f` and {glue}`b`.\n\n"
            "```{glue:figure} fig_c\n:name: c\n```\n\n"
            "```{code-cell} ipython3\nprint('{glue:text}`not_a_key`')\n```\n")
    assert editions.glue_keys(text) == ["glue b", "glue:figure fig_c", "glue:text a:.1f"]
    assert editions.code_cells(text) == ["```{code-cell} ipython3\nprint('{glue:text}`not_a_key`')\n```"]


# --------------------------------------------------------------------------- configuration (unit tier)

def _flat(d, prefix=""):
    out = {}
    for key, value in d.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


#: What fr/_config.yml may set otherwise than _config.yml: the language, the words,
#: and the shared files' paths, which are relative to fr/.
DIFFERENT = {"title", "author", "html.extra_footer", "html.favicon", "bibtex_bibfiles",
             "sphinx.config.language", "sphinx.config.templates_path", "sphinx.config.html_static_path",
             "sphinx.config.html_theme_options.search_bar_text", "sphinx.config.epub_basename",
             "sphinx.config.epub_title", "sphinx.config.epub_author", "sphinx.config.epub_publisher",
             "sphinx.config.epub_contributor", "sphinx.config.epub_copyright", "sphinx.config.epub_language"}


def test_the_french_configuration_differs_only_in_language_words_and_paths():
    en = _flat(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")))
    fr = _flat(yaml.safe_load((FR / "_config.yml").read_text(encoding="utf-8")))
    differ = {k for k in en.keys() | fr.keys() if en.get(k) != fr.get(k)}
    assert differ <= DIFFERENT, sorted(differ - DIFFERENT)
    # every extension of the English edition, in the same order
    assert fr["sphinx.extra_extensions"] == en["sphinx.extra_extensions"]
    assert "bookbuild.editions" in en["sphinx.extra_extensions"]
    assert fr["sphinx.config.language"] == fr["sphinx.config.epub_language"] == "fr"
    assert en["sphinx.config.language"] == en["sphinx.config.epub_language"] == "en"
    for key in ("bibtex_bibfiles", "sphinx.config.templates_path", "sphinx.config.html_static_path"):
        assert all((FR / path).resolve().exists() for path in fr[key]), key
    assert (FR / fr["html.favicon"]).resolve().is_file()
    assert fr["title"] != en["title"] and "Textes et données" in fr["html.extra_footer"]


def test_the_package_finds_french_in_the_french_tree_and_english_at_the_root():
    from durovbook import i18n

    assert i18n.config_language(FR / "chapters") == "fr"
    assert i18n.config_language(ROOT / "chapters") == "en"


def test_the_french_toc_has_the_english_structure_with_french_captions():
    en, fr = toc.parts(ROOT), toc.parts(FR)
    assert list(fr.values()) == list(en.values())
    assert set(fr).isdisjoint(en), "the French parts need French captions"


def test_the_french_tree_finds_the_data_and_the_citation_file_at_the_same_paths():
    # {download}`../data/bans.csv` and {download}`CITATION.cff` work unchanged in fr/
    assert (FR / "data").resolve() == (ROOT / "data").resolve()
    assert (FR / "CITATION.cff").resolve() == (ROOT / "CITATION.cff").resolve()


def test_the_repository_root_and_the_language_of_each_tree():
    assert editions.book_root(FR) == ROOT.resolve() and editions.book_root(ROOT) == ROOT.resolve()
    assert editions.language_of(FR) == "fr" and editions.language_of(ROOT) == "en"
    assert editions.language_of(FR / "chapters") == "en"  # not an edition's folder


def test_the_build_cache_hashes_the_repository_inputs_for_either_edition():
    from bookbuild import buildcache

    files = buildcache.input_files(editions.book_root(FR))
    names = {f.relative_to(ROOT.resolve()).parts[0] for f in files}
    assert {"data", "durovbook", "references.bib"} <= names


# --------------------------------------------------------------------------- addresses (unit tier)

@pytest.mark.parametrize("page, language, other, expected", [
    ("intro", "en", "fr", "fr/intro.html"),
    ("chapters/bans", "en", "fr", "../fr/chapters/bans.html"),
    ("teacher/lessons", "fr", "en", "../../teacher/lessons.html"),
    ("search", "fr", "en", "../search.html"),
])
def test_the_counterpart_of_a_page_is_the_same_path_in_the_other_edition(page, language, other, expected):
    assert editions.counterpart(page, f"{page}.html", language, other) == expected


def _site(tmp_path: Path) -> tuple[Path, Path]:
    site, french = tmp_path / "html", tmp_path / "fr-html"
    for folder, prefix in ((site, ""), (french, "")):
        (folder / "chapters").mkdir(parents=True)
        (folder / "intro.html").write_text("intro", encoding="utf-8")
        (folder / "chapters" / "bans.html").write_text("bans", encoding="utf-8")
        editions.write_sitemap(folder / "sitemap.xml", ["intro.html", "chapters/bans.html"])
        (folder / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    return site, french


def test_the_merge_puts_the_french_site_under_fr_and_its_pages_in_the_one_sitemap(tmp_path):
    site, french = _site(tmp_path)
    assert editions.merge(site, french, "fr") == 2
    assert (site / "fr" / "chapters" / "bans.html").read_text(encoding="utf-8") == "bans"
    assert not (site / "fr" / "sitemap.xml").exists() and not (site / "fr" / "robots.txt").exists()
    assert editions.sitemap_locs(site / "sitemap.xml") == ["intro.html", "chapters/bans.html",
                                                          "fr/intro.html", "fr/chapters/bans.html"]
    # Again with nothing changed: nothing copied, nothing listed twice.
    assert editions.merge(site, french, "fr") == 0
    assert len(editions.sitemap_locs(site / "sitemap.xml")) == 4
    # A page the French build no longer has leaves the site.
    (french / "chapters" / "bans.html").unlink()
    editions.merge(site, french, "fr")
    assert not (site / "fr" / "chapters" / "bans.html").exists() and not (site / "fr" / "chapters").exists()


def test_the_merge_keeps_absolute_addresses_absolute(tmp_path):
    site, french = _site(tmp_path)
    editions.write_sitemap(french / "sitemap.xml", ["https://example.org/book/fr/intro.html"])
    editions.merge(site, french, "fr")
    assert editions.sitemap_locs(site / "sitemap.xml")[-1] == "https://example.org/book/fr/intro.html"


def test_the_english_extensions_leave_the_merged_french_pages_alone(tmp_path):
    site, french = _site(tmp_path)
    editions.merge(site, french, "fr")
    assert [p.relative_to(site).as_posix() for p in editions.own_pages(site)] == ["chapters/bans.html", "intro.html"]


# --------------------------------------------------------------------------- the French student pack (unit tier)

def test_the_french_student_pack_holds_french_notebooks_that_find_french(tmp_path):
    from bookbuild import classroom
    from durovbook import i18n

    path = classroom.build_pack(tmp_path / "pack.zip", FR)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        z.extractall(tmp_path)
        config = z.read(f"{classroom.PACK_NAME}/_config.yml").decode("utf-8")
        readme = z.read(f"{classroom.PACK_NAME}/README.md").decode("utf-8")
    folder = tmp_path / classroom.PACK_NAME
    assert "language: fr" in config and i18n.config_language(folder) == "fr"
    assert readme.startswith("# Le dossier de l'élève") and "Lancer les notebooks" in readme
    chapters = [n for n in names if n.endswith(".ipynb")]
    assert len(chapters) == len(toc.chapters(FR)) >= 6
    assert f"{classroom.PACK_NAME}/data/bans.csv" in names and f"{classroom.PACK_NAME}/references.bib" in names
    # The notebooks' data links point into the pack's own data/ (fr/data is a link to ../data).
    import nbformat

    bans = nbformat.read(folder / next(n for n in chapters if n.endswith("bans.ipynb")).split("/", 1)[1],
                         as_version=4)
    text = "\n".join(c.source for c in bans.cells if c.cell_type == "markdown")
    assert "(data/bans.csv)" in text


# --------------------------------------------------------------------------- the built site (build tier)

class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang, self.alternates, self.switch = None, {}, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a.get("href")
        elif tag == "a" and "durov-langswitch" in (a.get("class") or ""):
            self.switch.append(a)


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(html: Path) -> list[str]:
    """Every Sphinx page of the English edition that the French one has too."""
    return toc.pages(ROOT) + list(editions.GENERATED)


def _resolve(html: Path, page: Path, href: str) -> Path:
    import os

    return Path(os.path.normpath(page.parent / href))


@pytest.mark.build
def test_every_page_of_both_editions_links_to_its_counterpart(html_dir):
    for name in _pages(html_dir):
        en, fr = html_dir / f"{name}.html", html_dir / "fr" / f"{name}.html"
        assert en.is_file() and fr.is_file(), name
        for page, other, lang in ((en, fr, "fr"), (fr, en, "en")):
            head = _head(page)
            assert len(head.switch) == 1, f"{page.relative_to(html_dir)}: {len(head.switch)} switchers"
            switch = head.switch[0]
            assert switch["hreflang"] == switch["lang"] == lang
            assert _resolve(html_dir, page, switch["href"]) == other, (page, switch["href"])


@pytest.mark.build
def test_hreflang_pairs_the_two_versions_and_html_lang_is_right(html_dir):
    for name in _pages(html_dir):
        en, fr = html_dir / f"{name}.html", html_dir / "fr" / f"{name}.html"
        for page, lang in ((en, "en"), (fr, "fr")):
            head = _head(page)
            assert head.lang == lang, page
            assert set(head.alternates) == {"en", "fr", "x-default"}, page
            assert _resolve(html_dir, page, head.alternates["en"]) == en
            assert _resolve(html_dir, page, head.alternates["fr"]) == fr
            assert head.alternates["x-default"] == head.alternates["en"]


@pytest.mark.build
def test_the_404_pages_switch_to_the_other_landing_page(html_dir):
    for page, lang, target in ((html_dir / "404.html", "en", "/fr/intro.html"),
                               (html_dir / "fr" / "404.html", "fr", "/intro.html")):
        head = _head(page)
        assert head.lang == lang and head.alternates == {}
        assert [s["href"] for s in head.switch] == [target]
    french = (html_dir / "fr" / "404.html").read_text(encoding="utf-8")
    assert '<base href="/fr/"' in french and "Page introuvable" in french


@pytest.mark.build
def test_the_theme_speaks_french_in_the_french_edition(html_dir):
    page = (html_dir / "fr" / "chapters" / "bans.html").read_text(encoding="utf-8")
    # sphinx-book-theme and pydata-sphinx-theme's French catalogues, and our own words
    for words in ('placeholder="Rechercher dans ce livre…"', 'aria-label="Thème"', "Sur cette page",
                  'aria-label="Téléchargez cette page"', "Textes et données : CC BY 4.0"):
        assert words in page, words
    english = (html_dir / "chapters" / "bans.html").read_text(encoding="utf-8")
    assert 'placeholder="Search this book..."' in english and "Sur cette page" not in english
    search = (html_dir / "fr" / "search.html").read_text(encoding="utf-8")
    assert "Rechercher" in search


@pytest.mark.build
def test_the_sitemap_lists_the_pages_of_both_editions_and_robots_sits_at_the_root(html_dir):
    locs = editions.sitemap_locs(html_dir / "sitemap.xml")
    for name in toc.pages(ROOT):
        assert any(l.endswith(f"/{name}.html") or l == f"{name}.html" for l in locs), name
        assert any(l.endswith(f"fr/{name}.html") for l in locs), name
    assert not (html_dir / "fr" / "sitemap.xml").exists() and not (html_dir / "fr" / "robots.txt").exists()
    assert (html_dir / "robots.txt").exists()
    assert _head(html_dir / "fr" / "index.html").lang == "fr"


@pytest.mark.build
def test_the_french_site_offers_french_student_notebooks_and_pack(html_dir):
    from bookbuild import classroom

    for name in toc.chapters(FR):
        docname = name.relative_to(FR).with_suffix("").as_posix()
        assert (html_dir / "fr" / "_sources" / f"{docname}.ipynb").is_file(), docname
    with zipfile.ZipFile(html_dir / "fr" / f"{classroom.PACK_NAME}.zip") as z:
        assert "language: fr" in z.read(f"{classroom.PACK_NAME}/_config.yml").decode("utf-8")
    with zipfile.ZipFile(html_dir / f"{classroom.PACK_NAME}.zip") as z:
        assert f"{classroom.PACK_NAME}/_config.yml" not in z.namelist()


# --------------------------------------------------------------------------- the switcher in a browser (browser tier)

@pytest.mark.browser
@pytest.mark.parametrize("page, target", [("fr/chapters/bans", "/chapters/bans.html"),
                                          ("chapters/bans", "/fr/chapters/bans.html")])
def test_the_switcher_shows_on_a_360px_phone_and_works_with_the_keyboard(browser, site, page, target):
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    try:
        tab = context.new_page()
        tab.goto(f"{site}/{page}.html")
        link = tab.locator("a.durov-langswitch")
        assert link.count() == 1 and link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] < 80, box  # in the header, on screen
        for _ in range(40):  # the keyboard reaches it from the top of the page
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.classList.contains('durov-langswitch')"):
                break
        else:
            pytest.fail("Tab never reached the language switcher")
        outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "the focused switcher shows no outline"
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        assert tab.url.endswith(target)
    finally:
        context.close()


# --------------------------------------------------------------------------- the extension and the build, in this process (unit tier)

def test_a_small_french_edition_gets_its_static_files_address_and_hreflang(tmp_path):
    """The Sphinx hooks of bookbuild.editions, run in this process so that coverage measures them."""
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "site.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    (tmp_path / "_static" / "site.js").write_text("var x = 1;\n", encoding="utf-8")
    (tmp_path / "_config.yml").write_text('html:\n  baseurl: "https://example.org/book"\n', encoding="utf-8")
    src = tmp_path / "fr"
    (src / "chapters").mkdir(parents=True)
    (src / "conf.py").write_text(
        "project = 'Mini'\nlanguage = 'fr'\nextensions = ['bookbuild.editions', 'bookbuild.seo']\n"
        "html_theme = 'basic'\nhtml_static_path = ['../_static']\nogp_social_cards = {'enable': False}\n",
        encoding="utf-8")
    (src / "index.rst").write_text("Accueil\n=======\n\nUne page d'accueil assez longue pour la décrire.\n\n"
                                   ".. toctree::\n\n   chapters/one\n", encoding="utf-8")
    (src / "chapters" / "one.rst").write_text("Un\n==\n\nUn chapitre dont le premier paragraphe décrit la page.\n",
                                              encoding="utf-8")
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
                     status=None, warning=warnings, freshenv=True)
        app.build()
        assert app.config.html_baseurl == "https://example.org/book/fr/"
        name = lambda f: f if isinstance(f, str) else f[0]  # noqa: E731 - Sphinx adds a priority
        assert "site.css" in map(name, app.config.html_css_files) and "site.js" in map(name, app.config.html_js_files)
        assert app.config.html_theme_options["article_header_end"][0] == "langswitch.html"
        assert editions.switch_context(app, "chapters/one")["href"] == "https://example.org/book/chapters/one.html"
        assert editions.switch_context(app, "404") == {"href": "/book/index.html", "lang": "en", "name": "English"}
    # (the basic theme has no header for the switcher, and says so)
    assert [l for l in warnings.getvalue().splitlines() if "article_header_end" not in l] == []
    page = (tmp_path / "html" / "chapters" / "one.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="en" href="https://example.org/book/chapters/one.html" />' in page
    assert '<link rel="alternate" hreflang="fr" href="https://example.org/book/fr/chapters/one.html" />' in page
    assert '<link rel="alternate" hreflang="x-default" href="https://example.org/book/chapters/one.html" />' in page
    assert "site.css" in page and '<html lang="fr"' in page
    missing = (tmp_path / "html" / "404.html").read_text(encoding="utf-8")
    assert '<base href="/book/fr/" />' in missing and "Page introuvable" in missing and "hreflang" not in missing


def test_the_build_runs_both_editions_and_merges_the_french_one(monkeypatch, tmp_path):
    script = tmp_path / "jupyter-book"
    script.write_text(
        f"#!{sys.executable}\nimport sys, pathlib\n"
        "src = pathlib.Path(sys.argv[2])\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('--path-output') + 1]) / '_build' / 'html'\n"
        "out.mkdir(parents=True, exist_ok=True)\n"
        "(out / 'index.html').write_text(src.name)\n"
        "(out / 'sitemap.xml').write_text('<urlset><url><loc>intro.html</loc></url></urlset>')\n"
        "print('built', src.name)\n"
        "sys.exit(1 if (src / 'FAIL').exists() else 0)\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(editions, "jupyter_book", lambda: str(script))
    repo = tmp_path / "repo"
    (repo / "fr").mkdir(parents=True)
    (repo / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (repo / "fr" / "_config.yml").write_text("title: y\n", encoding="utf-8")
    lines = []
    assert editions.build(repo, tmp_path / "out", log=lines.append) == 0
    site = tmp_path / "out" / "_build" / "html"
    assert (site / "fr" / "index.html").read_text() == "fr"
    assert editions.sitemap_locs(site / "sitemap.xml") == ["intro.html", "fr/intro.html"]
    assert any(l.startswith("fr: merged") for l in lines)
    (repo / "fr" / "FAIL").write_text("", encoding="utf-8")
    lines.clear()
    assert editions.build(repo, tmp_path / "out2", log=lines.append, parallel=False) == 1
    assert any("built fr" in l for l in lines), lines  # a failed edition's whole log is shown
    assert not (tmp_path / "out2" / "_build" / "html" / "fr").exists()


def test_the_check_command_reports_the_parity(capsys):
    assert editions.main(["--check"]) == 0
    assert "fr/ matches the English pages" in capsys.readouterr().out
