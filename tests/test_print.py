"""`make print`: the handouts, the slides, the whole book as PDF and EPUB (bookbuild/printkit.py).

The ``print`` tier prints the site that the build tier built (or
DUROVBOOK_SITE) once, and checks each file of the table
:data:`bookbuild.printkit.ITEMS`: it exists, its page count is within its
range, its text holds what it must (the whole statement, in English and in
French), a student file holds no sentence of any solution while the teacher's
whole book holds them, and the EPUB passes epubcheck with 0 errors. A file
whose page the site does not have yet is skipped, with the page named.
The French edition's files (``fr/…``, from the site's ``fr/``) are checked the
same way, in French: the statement without our English translation, the
evidence cards as the package writes them in French, French words on paper.

The unit tests below check the pieces on small pages made here.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from bookbuild import downloads_ext, epub_ext, printkit, toc
from durovbook.paths import ROOT

PDFS = [e.name for e in printkit.ITEMS if e.kind == "pdf"]


def _text(path: Path) -> str:
    if path.suffix == ".epub":
        from bs4 import BeautifulSoup

        with zipfile.ZipFile(path) as z:
            return "\n".join(BeautifulSoup(z.read(n), "html.parser").get_text(" ")
                             for n in sorted(z.namelist()) if n.endswith(".xhtml"))
    return printkit.pdf_text(path)


_TEXTS: dict[str, str] = {}


def text_of(printed, name: str) -> str:
    """The normalised text of a printed file (extracted once per run)."""
    if name not in _TEXTS:
        _TEXTS[name] = printkit.normalise(_text(printed.files[name]))
    return _TEXTS[name]


def _file(printed, name: str) -> Path:
    if name in printed.skipped:
        pytest.skip(f"{name}: the site has no page {', '.join(p + '.html' for p in printed.skipped[name])} yet")
    assert name in printed.files, f"{name} was not made (skipped: {sorted(printed.skipped)})"
    path = printed.files[name]
    assert path.is_file() and path.stat().st_size > 1000, path
    return path


#: The page that answers the handouts' exercises: its solutions must not reach a student's handout either.
TEACHER_COPY = "handouts/teacher-copy"


def solution_sentences(entry: printkit.Item) -> list[str]:
    """The sentences of the solutions of every page ``entry`` is made of (those with a MyST source).

    A handout for students is also checked against the teacher copy, which
    holds the answers to its exercises.
    """
    found = []
    root = printkit.edition_root(entry)  # the French files: the French pages' solutions
    docnames = list(printkit.sources(entry))
    if entry.audience == "student" and any(d.startswith("handouts/") for d in docnames):
        docnames.append(TEACHER_COPY)
    for docname in docnames:
        source = toc.source(root, docname)
        if source.suffix == ".md" and source.exists():
            found += printkit.solution_sentences(source.read_text(encoding="utf-8"))
    return found


# --------------------------------------------------------------------------- the print tier

@pytest.mark.print
@pytest.mark.parametrize("name", PDFS)
def test_each_pdf_exists_and_its_page_count_is_within_its_range(printed, name):
    path = _file(printed, name)
    low, high = printkit.item(name).page_range
    pages = printkit.pdf_pages(path)
    assert low <= pages <= high, f"{name}: {pages} pages, expected {low} to {high}"


@pytest.mark.print
@pytest.mark.parametrize("name", [e.name for e in printkit.ITEMS if e.contains])
def test_each_file_holds_its_texts(printed, name):
    """The whole statement (each passage, in English and in French) is in the files that promise it."""
    _file(printed, name)
    text = text_of(printed, name)
    wanted = printkit.text_sets(printkit.item(name))
    assert wanted
    absent = [w for w in wanted if printkit.normalise(w) not in text]
    assert absent == [], f"{name} lacks {len(absent)} of {len(wanted)} texts, e.g. {absent[:2]}"


@pytest.mark.print
@pytest.mark.parametrize("name", [e.name for e in printkit.ITEMS if e.audience == "student"])
def test_student_files_hold_no_solution_text(printed, name):
    _file(printed, name)
    entry = printkit.item(name)
    sentences = solution_sentences(entry)
    if entry.pages == printkit.STUDENT_BOOK:
        assert len(sentences) >= 20  # the chapters' solutions: a check with something to find
    text = text_of(printed, name)
    leaked = [s for s in sentences if printkit.normalise(s) in text]
    assert leaked == [], f"{name} holds solution text: {leaked[:3]}"


@pytest.mark.print
@pytest.mark.parametrize("prefix", ["", "fr/"])
def test_the_teachers_book_holds_the_solutions_the_student_book_leaves_out(printed, prefix):
    """The check above can fail: the same sentences are found in the whole book."""
    _file(printed, f"{prefix}book.pdf")
    sentences = solution_sentences(printkit.item(f"{prefix}book-student.pdf"))
    text = text_of(printed, f"{prefix}book.pdf")
    found = [s for s in sentences if printkit.normalise(s) in text]
    assert len(found) >= 0.9 * len(sentences), [s for s in sentences if s not in found][:5]


@pytest.mark.print
@pytest.mark.parametrize("prefix,lang", [("", "en"), ("fr/", "fr")])
def test_the_book_pdf_opens_with_the_title_page_and_the_as_of_date(printed, prefix, lang):
    from durovbook import i18n
    from durovbook.asof import as_of_text

    # normalise: letters and digits only, a ligature ("ﬁ") read as its letters
    first = printkit.normalise(printkit.pdf_page_texts(_file(printed, f"{prefix}book.pdf"))[0])
    assert printkit.normalise(printkit.WORDS[lang]["book"]) in first
    with i18n.using(lang):
        assert printkit.normalise(printkit.WORDS[lang]["as_of"].format(as_of_text())) in first


@pytest.mark.print
@pytest.mark.parametrize("name", [e.name for e in printkit.ITEMS if e.lang == "fr" and e.kind == "pdf"])
def test_the_french_files_are_french_on_paper(printed, name):
    """Page numbers, the alt texts under the figures and the document's language: the French edition's words."""
    entry = printkit.item(name)
    raw = [" ".join(page.split()) for page in printkit.pdf_page_texts(_file(printed, name))]
    if not entry.own_css:  # the slides number themselves ("3 / 11"), as the English deck does
        assert f"Page 1 sur {len(raw)}" in raw[0] and f"Page {len(raw)} sur {len(raw)}" in raw[-1]
    whole = " ".join(raw)
    assert "Image: " not in whole
    if entry.pages in (printkit.BOOK, printkit.STUDENT_BOOK):
        assert whole.count("Texte alternatif de l'image : ") >= 10  # the chapters' figures
    elif entry.own_css:
        # the deck's stages, as the French lesson plan names them (its header is not printed)
        assert "Minutes 0–5 : Lancement" in whole and "Start" not in whole


@pytest.mark.print
@pytest.mark.parametrize("name", [e.name for e in printkit.ITEMS if e.kind == "epub"])
def test_the_epub_passes_epubcheck_with_no_error(printed, name):
    path = _file(printed, name)
    if printkit.epubcheck_command() is None:
        message = f"epubcheck is not installed ({printkit.EPUBCHECK_JAR}): apt-get install epubcheck, or `make epubcheck`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " Under CI=true a missing tool is a failure, not a skip.")
        pytest.skip(message)
    if getattr(printed, "epubcheck", None) is not None:  # started by the fixture, beside the other tests
        printed.epubcheck.join()
    if name in printed.epub_checks:
        errors, report = printed.epub_checks[name]
    else:
        errors, report = printkit.epubcheck(path)
    assert errors == 0, report[-3000:]


@pytest.mark.print
def test_the_french_epub_is_the_french_book(printed):
    path = _file(printed, "fr/book.epub")
    with zipfile.ZipFile(path) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode("utf-8")
        intro = z.read(next(n for n in z.namelist() if n.endswith("intro.xhtml"))).decode("utf-8")
    assert "<dc:language>fr</dc:language>" in opf and "La déclaration de Durov, lue avec des données" in opf
    assert 'lang="fr"' in intro and downloads_ext.IN_EPUB_FR in intro


# --------------------------------------------------------------------------- unit tests of the pieces

def _site(tmp_path: Path) -> Path:
    """A built site of two pages, as sphinx-book-theme writes them (the article inside navigation)."""
    (tmp_path / "chapters").mkdir()
    nav = "<nav class='bd-sidebar'><a href='intro.html'>Home</a></nav>" * 3
    (tmp_path / "intro.html").write_text(
        f"<html><head><link rel='stylesheet' href='_static/x.css?digest=1'></head><body>{nav}"
        "<article class='bd-article'><section id='welcome'><h1>Welcome<a class='headerlink' href='#welcome'>#</a></h1>"
        "<p>Read <a href='chapters/one.html#part'>the part</a> or <a href='genindex.html'>the index</a>.</p>"
        "<div class='print-downloads'><ul><li>files</li></ul></div>"
        "</section></article></body></html>", encoding="utf-8")
    (tmp_path / "chapters" / "one.html").write_text(
        f"<html><body>{nav}<article class='bd-article'><h1>One</h1><section id='part'>"
        "<picture><source media='(max-width: 600px)' srcset='../_images/phone.png'>"
        "<img alt='A chart of the users' src='../_images/chart.png'></picture>"
        "<div class='exercise admonition'><p>Question?</p></div>"
        "<div class='solution dropdown admonition'><p>The answer is forty two.</p></div>"
        "<script>alert(1)</script></section></article></body></html>", encoding="utf-8")
    return tmp_path


def test_assemble_puts_the_articles_in_one_document_without_navigation(tmp_path):
    from bs4 import BeautifulSoup

    site = _site(tmp_path)
    doc = BeautifulSoup(printkit.assemble(site, ["intro", "chapters/one"], "teacher", "Book", title_page=False),
                        "html.parser")
    assert [s["id"] for s in doc.select("section.print-page")] == ["p-intro", "p-chapters-one"]
    assert not doc.select("nav, script, .headerlink, .print-downloads, picture source")
    assert doc.find("link", rel="stylesheet")["href"] == "/_static/x.css"
    link = doc.find("a", string="the part")
    assert link["href"] == "#p-chapters-one--part" and doc.find(id="p-chapters-one--part")
    assert "or the index." in doc.get_text() and not doc.find("a", string="the index")  # a page the file lacks
    assert doc.find("img")["src"] == "/_images/chart.png"
    assert doc.select_one(".print-alt").get_text() == "Image: A chart of the users"
    assert "forty two" in doc.get_text() and "Question?" in doc.get_text()
    assert printkit.ON_PAPER in doc.get_text()


def test_a_student_document_has_no_solution(tmp_path):
    site = _site(tmp_path)
    doc = printkit.assemble(site, ["intro", "chapters/one"], "student", "Book", title_page=False)
    assert "forty two" not in doc and "Question?" in doc


def test_the_title_page_gives_the_as_of_date_and_the_contents(tmp_path):
    from durovbook.asof import as_of_text

    doc = printkit.assemble(_site(tmp_path), ["intro", "chapters/one"], "student", "The book for students",
                            title_page=True)
    assert f"last checked on {as_of_text()}" in doc
    assert '<a href="#p-intro">Welcome</a>' in doc and '<a href="#p-chapters-one">One</a>' in doc


def test_the_student_book_is_the_book_without_the_teacher_guide():
    book, student = printkit.sources(printkit.item("book.pdf")), printkit.sources(printkit.item("book-student.pdf"))
    assert book == toc.pages(ROOT)
    # the part "For teachers": the guide and the classroom kit, which is printed as handouts of its own
    assert [p for p in book if p not in student] == [p for p in book if p.startswith(("teacher/", "handouts/"))]
    assert "teacher/index" in book and "chapters/users" in student


def test_missing_names_the_pages_a_file_needs_and_the_site_lacks(tmp_path):
    site = _site(tmp_path)
    assert printkit.missing(printkit.item("statement.pdf"), site) == ["handouts/statement"]
    (site / "handouts").mkdir()
    (site / "handouts" / "statement.html").write_text("<html></html>")
    assert printkit.missing(printkit.item("statement.pdf"), site) == []


def test_the_table_names_every_file_once_with_a_range_and_an_audience():
    names = [e.name for e in printkit.ITEMS]
    assert len(names) == len(set(names))
    english = {"statement.pdf", "evidence-cards.pdf", "worksheet.pdf", "exit-ticket.pdf", "teacher-copy.pdf",
               "slides.pdf", "book.pdf", "book-student.pdf", "book.epub"}
    assert english | {f"fr/{n}" for n in english} == set(names)
    for entry in printkit.ITEMS:
        assert entry.audience in ("student", "teacher")
        assert entry.kind == "epub" or entry.page_range[0] <= entry.page_range[1]
    assert printkit.item("slides.pdf").landscape and printkit.item("teacher-copy.pdf").audience == "teacher"
    # Each French file is made like its English one, from the French pages, under its French title.
    for name in english:
        en, fr = printkit.item(name), printkit.item(f"fr/{name}")
        assert (fr.lang, fr.folder, fr.file, en.lang, en.folder) == ("fr", "fr", name, "en", "")
        assert (fr.pages, fr.audience, fr.contains, fr.landscape, fr.own_css) == \
            (en.pages, en.audience, en.contains, en.landscape, en.own_css)
        assert fr.title != en.title


def test_the_french_files_are_made_of_the_french_pages():
    book, student = (printkit.sources(printkit.item(n)) for n in ("fr/book.pdf", "fr/book-student.pdf"))
    assert book == toc.pages(ROOT / "fr") == toc.pages(ROOT)  # the same paths (tests/test_editions.py)
    assert [p for p in book if p not in student] == [p for p in book if p.startswith(("teacher/", "handouts/"))]
    assert printkit.edition_root(printkit.item("fr/book.pdf")) == ROOT / "fr"


def test_the_french_statement_texts_leave_out_our_english_translation():
    from durovbook.passages import load_passages

    passages = load_passages()
    ours = [t for t in passages["en_ours"].dropna() if str(t).strip() and str(t) not in set(passages["en_original"].dropna())]
    english, french = (printkit.text_sets(printkit.item(n)) for n in ("book.pdf", "fr/book.pdf"))
    assert ours and all(t in english for t in ours) and not any(t in french for t in ours)
    assert [t for t in french if t not in english] == []
    assert all(str(t) in french for t in passages["fr_001"].dropna())


def test_a_french_document_writes_french_words(tmp_path):
    from bs4 import BeautifulSoup

    doc = BeautifulSoup(printkit.assemble(_site(tmp_path), ["intro", "chapters/one"], "student", "Le livre",
                                          title_page=True, lang="fr"), "html.parser")
    assert doc.html["lang"] == "fr"
    assert doc.select_one(".print-alt").get_text() == "Texte alternatif de l'image : A chart of the users"
    assert printkit.WORDS["fr"]["on_paper"] in doc.get_text()
    title_page = doc.select_one(".print-title-page").get_text(" ")
    assert "La déclaration de Durov, lue avec des données" in title_page and "sans les corrigés" in title_page
    from durovbook import i18n
    from durovbook.asof import as_of_text

    with i18n.using("fr"):
        assert f"vérifiés pour la dernière fois le {as_of_text()}." in " ".join(title_page.split())
    assert "Image:" not in doc.get_text() and "last checked" not in doc.get_text()
    assert 'Page <span class="pageNumber"></span> sur' in printkit.WORDS["fr"]["footer"]
    assert printkit._FOOTER.sub("", "texte\nPage 3 sur 12\nsuite") == "texte\n\nsuite"


def test_the_statement_texts_come_from_the_data(data_copy):
    texts = printkit.text_sets(printkit.item("book.pdf"), data_copy.folder)
    assert "Last month I got interviewed by police for 4 days after arriving in Paris." in texts
    data_copy.set_cell("passages", "p02", "en_original", "A changed English passage.")
    assert "A changed English passage." in printkit.text_sets(printkit.item("book.pdf"), data_copy.folder)


def test_the_cards_texts_come_from_the_data_and_a_changed_row_changes_them(data_copy):
    texts = printkit.text_sets(printkit.item("evidence-cards.pdf"), data_copy.folder)
    assert len(texts) >= 16 * 4 and any("14 requests fulfilled" in t for t in texts)
    data_copy.set_cell("government_requests", "usa_2024_q1_q3", "requests_fulfilled", "15")
    texts = printkit.text_sets(printkit.item("evidence-cards.pdf"), data_copy.folder)
    assert any("15 requests fulfilled" in t for t in texts) and not any("14 requests fulfilled" in t for t in texts)


def test_a_student_handout_is_checked_against_the_teacher_copy_s_answers():
    sentences = solution_sentences(printkit.item("worksheet.pdf"))
    assert len(sentences) >= 20  # the answer key and the model answers: a check with something to find
    assert solution_sentences(printkit.item("teacher-copy.pdf")) == printkit.solution_sentences(
        (ROOT / f"{TEACHER_COPY}.md").read_text(encoding="utf-8"))


def test_solution_sentences_are_the_prose_of_solutions_only():
    text = ("Intro text that is outside of every solution here.\n\n"
            "```{solution-start} x\n:class: dropdown\n```\n```{code-cell} ipython3\nprint('no code here please')\n```\n"
            "The doubling time grew from about {glue:text}`a` years. It does not mean that fewer people joined. "
            "Short one.\n```{solution-end}\n```\n")
    assert printkit.solution_sentences(text) == ["It does not mean that fewer people joined."]


def test_normalise_ignores_line_breaks_and_punctuation():
    assert printkit.normalise("Thanks everyone\nfor your sup-\nport!") == printkit.normalise("thanks everyone for your support")


def test_clean_xhtml_makes_valid_epub_pages(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "two.xhtml").write_text("x")
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "a.png").write_bytes(b"png")
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head></head><body>'
            '<a href="chapters/two.html#x">two</a> <a href="pack.zip" download>pack</a>'
            '<div><style scoped>td {color: red}</style><table><tr><td>1</td></tr></table></div>'
            '<picture><source srcset="_images/p.png" width="3"><img src="_images/a.png" alt="A" loading="lazy"/></picture>'
            '<p id="s">a</p><p id="s">b</p><form hidden><input/></form><script>x()</script>'
            '<a href="https://example.org/a|b">out</a></body></html>')
    out = epub_ext.clean_xhtml(page, tmp_path, "intro.xhtml")
    assert out.startswith("<?xml") and "lang=" not in out.split(">", 2)[1]
    assert '<html lang="fr" xml:lang="fr" xmlns=' in epub_ext.clean_xhtml(page, tmp_path, "intro.xhtml", "fr")
    assert 'href="chapters/two.xhtml#x"' in out
    assert "pack.zip" not in out and "download" not in out and "</a> pack<div>" in out
    assert "<style>td {color: red}</style></head>" in out and "scoped" not in out
    assert "<source" not in out and "<picture" not in out and 'src="_images/a.png"' in out and "loading" not in out
    assert 'id="s"' in out and 'id="s-2"' in out
    assert "<form" not in out and "<script" not in out
    assert "https://example.org/a%7Cb" in out


def test_the_download_list_names_only_files_that_exist(tmp_path):
    assert downloads_ext.present(tmp_path) == []
    (tmp_path / "book.epub").write_bytes(b"x" * 2048)
    entries = downloads_ext.present(tmp_path)
    assert [e.name for e in entries] == ["book.epub"]
    html = downloads_ext.listing(entries, tmp_path, "../")
    assert '<a href="../downloads/book.epub" download>The whole book as an e-book</a> (EPUB, 2 kB)' in html
    # The French files, in the folder's fr/, are the French site's: listed in French, linked by their own name.
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "book.epub").write_bytes(b"x" * 2048)
    assert [e.name for e in downloads_ext.present(tmp_path)] == ["book.epub"]
    french = downloads_ext.present(tmp_path, "fr")
    assert [e.name for e in french] == ["fr/book.epub"]
    assert ('<a href="downloads/book.epub" download>Le livre entier, en livre numérique</a> (EPUB, 2 ko)'
            in downloads_ext.listing(french, tmp_path, "", "fr"))


# --------------------------------------------------------------------------- the two extensions, in small Sphinx builds

def _sphinx(src: Path, out: Path, builder: str = "html", extensions=("bookbuild.downloads_ext",), language="en"):
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(f"extensions = {list(extensions)!r}\nproject = 'Small'\n"
                                 "html_theme = 'basic'\nepub_show_urls = 'no'\ncopyright = '2026'\nauthor = 'Us'\n"
                                 f"language = {language!r}\n", encoding="utf-8")
    import io

    warnings = io.StringIO()
    with docutils_namespace():  # each build registers its nodes and directives afresh
        app = Sphinx(str(src), str(src), str(out / builder), str(out / ".doctrees"), builder,
                     status=None, warning=warnings, freshenv=False)
        app.build()
    # Another test's Sphinx may have registered docutils nodes in this process already.
    found = [line for line in warnings.getvalue().splitlines()
             if "WARNING" in line and "is already registered" not in line]
    assert found == []
    return out / builder


def test_the_site_lists_the_printable_files_only_when_they_exist(tmp_path):
    src, out = tmp_path / "src", tmp_path / "_build"
    src.mkdir()
    (src / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   sub/page\n\n.. print-downloads::\n",
                                   encoding="utf-8")
    (src / "sub").mkdir()
    (src / "sub" / "page.rst").write_text("Page\n====\n\n.. print-downloads::\n", encoding="utf-8")
    html = _sphinx(src, out)
    page = (html / "index.html").read_text(encoding="utf-8")
    assert downloads_ext.NONE_YET in page and "downloads/" not in page
    assert not (html / "downloads").exists()
    # make print wrote two files: the next build, with nothing else changed, lists and copies them
    (out / "print").mkdir()
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(str(out / "print" / "book.pdf"))
    (out / "print" / "book.epub").write_bytes(b"e" * 4096)
    html = _sphinx(src, out)
    page = (html / "index.html").read_text(encoding="utf-8")
    assert '<a href="downloads/book.pdf" download>The whole book</a> (PDF, 1 page,' in page
    assert '<a href="downloads/book.epub" download>' in page and downloads_ext.NONE_YET not in page
    assert '<a href="../downloads/book.pdf" download>' in (html / "sub" / "page.html").read_text(encoding="utf-8")
    assert (html / "downloads" / "book.pdf").read_bytes() == (out / "print" / "book.pdf").read_bytes()
    # a file make print no longer has leaves the site and its list
    (out / "print" / "book.epub").unlink()
    html = _sphinx(src, out)
    assert "book.epub" not in (html / "index.html").read_text(encoding="utf-8")
    assert not (html / "downloads" / "book.epub").exists() and (html / "downloads" / "book.pdf").exists()


def test_the_french_site_lists_the_french_files_in_french(tmp_path):
    """Built where bookbuild/editions.py builds the French edition (_build/fr/_build/html), it lists _build/print/fr/."""
    src, out = tmp_path / "fr", tmp_path / "_build" / "fr" / "_build"
    src.mkdir()
    (src / "index.rst").write_text("Accueil\n=======\n\n.. print-downloads::\n", encoding="utf-8")
    html = _sphinx(src, out, language="fr")
    assert downloads_ext.NONE_YET_FR in (html / "index.html").read_text(encoding="utf-8")
    prints = tmp_path / "_build" / "print"
    (prints / "fr").mkdir(parents=True)
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(str(prints / "fr" / "book.pdf"))
    writer.write(str(prints / "book.pdf"))  # the English file: not the French site's
    html = _sphinx(src, out, language="fr")
    page = (html / "index.html").read_text(encoding="utf-8")
    assert '<a href="downloads/book.pdf" download>Le livre entier</a> (PDF, 1 page, 0 ko)' in page
    assert page.count("download>") == 1 and "The whole book" not in page
    assert (html / "downloads" / "book.pdf").read_bytes() == (prints / "fr" / "book.pdf").read_bytes()


def test_the_epub_build_cleans_its_pages_and_zips_them_again(tmp_path):
    src, out = tmp_path / "src", tmp_path / "_build"
    src.mkdir()
    (src / "index.rst").write_text(
        "Home\n====\n\n.. print-downloads::\n\n.. raw:: html\n\n   <form hidden><input/></form><script>x()</script>"
        "<a href='other.html'>other</a> <a href='gone.zip' download>gone</a>\n\n.. toctree::\n\n   other\n",
        encoding="utf-8")
    (src / "other.rst").write_text("Other\n=====\n\nText.\n", encoding="utf-8")
    book = _sphinx(src, out, "epub", ("bookbuild.downloads_ext", "bookbuild.epub_ext"))
    with zipfile.ZipFile(book / "Small.epub") as z:
        names = z.namelist()
        index = z.read("index.xhtml").decode("utf-8")
    assert "nav.xhtml" in names and "content.opf" in names
    assert "<script" not in index and "<form" not in index and "gone.zip" not in index
    assert 'href="other.xhtml"' in index and downloads_ext.IN_EPUB in index
    # A build in which Sphinx wrote nothing (Jupyter Book's, when no page is out of
    # date) has no reading order yet: the book is zipped with its reading order all the same.
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    with docutils_namespace():
        app = Sphinx(str(src), str(src), str(out / "epub"), str(out / ".doctrees"), "epub",
                     status=None, warning=None)
        app.builder.refnodes = []
        epub_ext.on_build_finished(app, None)
    with zipfile.ZipFile(book / "Small.epub") as z:
        opf = z.read("content.opf").decode("utf-8")
    assert opf.count("<itemref") == 3 and 'linear="no"' not in opf, opf  # index, other, and the nav


def test_the_closing_lines_give_the_time_and_each_files_pages_and_size(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595, 842)
    writer.write(str(tmp_path / "book.pdf"))
    (tmp_path / "book.epub").write_bytes(b"e" * 3000)
    lines = printkit.summary(printkit.Printed(tmp_path, {"book.pdf": tmp_path / "book.pdf",
                                                         "book.epub": tmp_path / "book.epub"}, {}, 61.04))
    assert lines[0] == f"== make print: 61.0 s; the files are in {tmp_path}/"
    assert lines[1].split() == ["book.pdf", "2", "pages", "1", "kB"]
    assert lines[2].split() == ["book.epub", "EPUB", "3", "kB"]


def test_make_print_refuses_a_site_that_was_not_built(tmp_path):
    with pytest.raises(SystemExit, match="make book"):
        printkit.main(["--html", str(tmp_path), "--out", str(tmp_path / "print")])


def _pdf_with_text(path: Path, pages: list[list[str]]) -> Path:
    """A small PDF whose pages show the given lines of text (Helvetica, one below the other), written with pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for lines in pages:
        page = writer.add_blank_page(595, 842)
        stream = DecodedStreamObject()
        stream.set_data("".join(f"BT /F1 24 Tf 72 {700 - 300 * n} Td ({line}) Tj ET\n"
                                for n, line in enumerate(lines)).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    writer.write(str(path))
    return path


@pytest.mark.parametrize("reader", ["pdftotext", "pypdf"])
def test_pdf_page_texts_reads_each_page_and_rereads_a_changed_file(tmp_path, monkeypatch, reader):
    if reader == "pypdf":
        monkeypatch.setattr(printkit, "PDFTOTEXT", tmp_path / "no-pdftotext")
    elif not printkit.PDFTOTEXT.is_file():
        missing = f"pdftotext is not installed ({printkit.PDFTOTEXT}): apt-get install poppler-utils, or `make tools`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(missing + " Under CI=true a missing tool is a failure, not a skip.")
        pytest.skip(missing)
    pdf = _pdf_with_text(tmp_path / "two.pdf", [["First page", "1 / 2"], ["Second page", "2 / 2"]])
    # (pdftotext may read "1 / 2" as "1/2": the comparison keeps letters and digits)
    assert [printkit.normalise(t) for t in printkit.pdf_page_texts(pdf)] == ["firstpage12", "secondpage22"]
    # the footers' page numbers are left out of the whole text
    assert printkit.normalise(printkit.pdf_text(pdf)) == "firstpagesecondpage"
    _pdf_with_text(pdf, [["Only page, rewritten longer"]])
    assert [" ".join(t.split()) for t in printkit.pdf_page_texts(pdf)] == ["Only page, rewritten longer"]
