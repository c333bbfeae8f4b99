"""`make print`: the printable files of the book, made from the built website.

One table, :data:`ITEMS`, says what is printed: each file's name, the pages
of the built site it is made from, for whom it is (``student``: every solution
removed; ``teacher``: everything), the range its page count must fall in, and
the texts it must hold. The tests (``tests/test_print.py``) and ``make bench``
read the same table.

* A **PDF** is printed by Debian's Chromium (Playwright's ``page.pdf``; no
  browser is downloaded, and Jupyter Book's ``pdfhtml`` builder is not used).
  Its pages' articles are put one after the other into a single document
  (:func:`assemble`): no navigation, sidebars or scripts, links between the
  pages turned into links inside the PDF, every figure's alt text printed
  under it (paper cannot show alt text), the print stylesheet ``print.css``
  (A4, black on white, no dark mode), and page numbers in the footer. The
  whole-book PDFs open with a title page that gives the book's as-of date.
* A student file has the solutions **removed** from the HTML before it is
  printed (:func:`remove_solutions`), as the student pack removes them from
  the notebooks.
* The **EPUB** is Sphinx's ``epub`` builder run by Jupyter Book on the same
  configuration (``--builder custom --custom-builder epub``), so the executed
  notebooks come from the same cache; ``epubcheck`` (Debian's package) checks it.
* A file whose page has not been written yet (a handout, the slides) is
  skipped with a message saying which page is missing.
* **The French edition** (``fr/``, built into the site's ``fr/``) has the
  same files, from its own pages, in ``_build/print/fr/``: each English entry
  has a French one (``Item.lang == "fr"``, its name ``fr/…``) made by
  :func:`french`. Their words on paper (page numbers, the alt-text captions,
  the title page) are French (:data:`WORDS`), their texts are checked in the
  French the package writes, and the French EPUB is built from ``fr/``.
  One Chromium prints the files of both editions.

Usage: ``python -m bookbuild.printkit [--html _build/html] [--out _build/print] [--no-epub]``
"""

from __future__ import annotations

import argparse
import functools
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bookbuild import toc
from durovbook.paths import ROOT

__all__ = ["ITEMS", "Item", "BOOK", "STUDENT_BOOK", "item", "sources", "missing", "assemble", "remove_solutions",
           "text_sets", "solution_sentences", "normalise", "pdf_pages", "pdf_page_texts", "pdf_text", "epubcheck", "epubcheck_command", "render", "build_epub",
           "Printed", "make", "summary", "main"]

#: The print stylesheet, added to every printed page of the book.
CSS = Path(__file__).with_name("print.css")
#: Where `make print` writes the files, beside the site.
OUT = ROOT / "_build" / "print"
#: The part of ``_toc.yml`` that the student edition leaves out.
TEACHER_PART = "For teachers"
#: The same part in each edition's ``_toc.yml``.
TEACHER_PARTS = {"en": TEACHER_PART, "fr": "Pour les enseignants"}

#: ``Item.pages`` for the whole book (every page of ``_toc.yml``) and for the
#: student edition (every page but the teacher guide).
BOOK, STUDENT_BOOK = "book", "student-book"

FOOTER = ('<div style="width:100%;font-size:8pt;font-family:sans-serif;color:#000;text-align:center;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')

#: What the printed files write themselves, in each edition's language.
WORDS = {
    "en": {
        "book": "Durov's statement, read with data",
        "footer": FOOTER,
        "alt": "Image: {}",
        "on_paper": "The book's website lists these files here, each with its size, for download.",
        "student_subtitle": ": the chapters without the solutions and without the teacher guide",
        "teacher_subtitle": ": every page of the website, with the solutions",
        "as_of": "The facts in this book were last checked on {}.",
        "licence": ("Text and data: CC BY 4.0. Code: MIT. Quoted material remains the property of its authors. "
                    "Printed from the website of the book; the website has the interactive map and the code."),
    },
    "fr": {
        "book": "La déclaration de Durov, lue avec des données",
        "footer": FOOTER.replace('<span class="pageNumber"></span> / <span class="totalPages"></span>',
                                 'Page <span class="pageNumber"></span> sur <span class="totalPages"></span>'),
        "alt": "Texte alternatif de l'image : {}",
        "on_paper": "Le site du livre propose ici ces fichiers en téléchargement, chacun avec sa taille.",
        "student_subtitle": " : les chapitres sans les corrigés et sans le guide de l'enseignant",
        "teacher_subtitle": " : toutes les pages du site, avec les corrigés",
        "as_of": "Les faits de ce livre ont été vérifiés pour la dernière fois le {}.",
        "licence": ("Textes et données : CC BY 4.0. Code : MIT. Les citations restent la propriété de leurs auteurs. "
                    "Imprimé depuis le site du livre ; le site propose la carte interactive et le code."),
    },
}


@dataclass(frozen=True)
class Item:
    """One printed file.

    ``pages`` is :data:`BOOK`, :data:`STUDENT_BOOK`, or a tuple of pages of the
    built site, written as their paths without ``.html`` (``handouts/statement``).
    ``contains`` are texts the file must hold: literal strings, or the name of
    a set of texts read from the data (:func:`text_sets`), written ``@name``.
    ``own_css`` prints a page as it is, with its own print rules (the slides),
    instead of through :func:`assemble`.
    """

    name: str
    title: str
    pages: str | tuple[str, ...]
    audience: str
    page_range: tuple[int, int] | None
    contains: tuple[str, ...] = ()
    landscape: bool = False
    own_css: bool = False
    title_page: bool = False
    note: str = field(default="", compare=False)
    lang: str = "en"

    @property
    def kind(self) -> str:
        return Path(self.name).suffix.lstrip(".")

    @property
    def file(self) -> str:
        """The file's own name, without its edition's folder: ``book.pdf`` for ``fr/book.pdf``."""
        return Path(self.name).name

    @property
    def folder(self) -> str:
        """The edition's folder, in the repository, in the site and in ``_build/print`` (``""`` or ``"fr"``)."""
        from bookbuild.editions import edition_folder

        return edition_folder(self.lang)


ITEMS: tuple[Item, ...] = (
    Item("statement.pdf", "The statement, whole", ("handouts/statement",), "student", (1, 2), ("@statement",)),
    Item("evidence-cards.pdf", "Evidence cards", ("handouts/evidence-cards",), "student", (4, 24), ("@cards",),
         note="at least 16 cards, claim on the front and data, source and caveat on the back"),
    Item("worksheet.pdf", "Student worksheet", ("handouts/worksheet",), "student", (1, 4)),
    Item("exit-ticket.pdf", "Exit ticket", ("handouts/exit-ticket",), "student", (1, 2)),
    Item("teacher-copy.pdf", "Teacher copy", ("handouts/teacher-copy",), "teacher", (2, 24)),
    Item("slides.pdf", "Slides", ("slides/index",), "student", (8, 16), landscape=True, own_css=True,
         note="A4 landscape, one slide per page"),
    Item("book.pdf", "The whole book", BOOK, "teacher", (90, 260), ("@statement",), title_page=True),
    Item("book-student.pdf", "The book for students", STUDENT_BOOK, "student", (70, 180), ("@statement",),
         title_page=True),
    Item("book.epub", "The whole book as an e-book", BOOK, "teacher", None, ("@statement",)),
)

#: The French titles of the files, as the French site lists them.
FRENCH_TITLES = {
    "statement.pdf": "La déclaration, en entier",
    "evidence-cards.pdf": "Cartes de preuve",
    "worksheet.pdf": "Fiche de travail de l'élève",
    "exit-ticket.pdf": "Ticket de sortie",
    "teacher-copy.pdf": "Version enseignant, avec les corrigés",
    "slides.pdf": "Diapositives",
    "book.pdf": "Le livre entier",
    "book-student.pdf": "Le livre pour les élèves",
    "book.epub": "Le livre entier, en livre numérique",
}
#: The French pages are longer than the English ones (French runs about a fifth longer).
FRENCH_RANGES = {"book.pdf": (90, 300), "book-student.pdf": (70, 210)}


def french(entry: Item) -> Item:
    """The French edition's file made like ``entry``: from the French pages, into ``fr/``, its title in French.

    Its texts are the same sets (``@statement``, ``@cards``), read in French
    (:func:`text_sets`): the French edition's statement shows Durov's English
    and the French renderings, never our English translation.
    """
    from dataclasses import replace

    return replace(entry, name=f"fr/{entry.name}", title=FRENCH_TITLES[entry.name], lang="fr",
                   page_range=FRENCH_RANGES.get(entry.name, entry.page_range))


ITEMS = ITEMS + tuple(french(entry) for entry in ITEMS)


def item(name: str) -> Item:
    """The entry of :data:`ITEMS` called ``name``."""
    for entry in ITEMS:
        if entry.name == name:
            return entry
    raise KeyError(name)


# --------------------------------------------------------------------------- what a file is made of

def _teacher_pages(root: Path, lang: str = "en") -> set[str]:
    """The teacher guide: the pages of the part :data:`TEACHER_PARTS` names, with their sections."""
    from sphinx_external_toc.api import Document
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(Path(root) / "_toc.yml")
    found: set[str] = set()

    def visit(docname: str) -> None:
        found.add(docname)
        document = site[docname]
        for tree in document.subtrees if isinstance(document, Document) else []:
            for entry in tree.items:
                if isinstance(entry, str):
                    visit(entry)

    for docname in toc.parts(root).get(TEACHER_PARTS[lang], []):
        visit(docname)
    return found


def edition_root(entry: Item, root: str | Path = ROOT) -> Path:
    """The source folder of ``entry``'s edition: the repository ``root``, or its ``fr/``."""
    return Path(root) / entry.folder if entry.folder else Path(root)


def edition_html(entry: Item, html: str | Path) -> Path:
    """The built site of ``entry``'s edition: the site ``html``, or its ``fr/``."""
    return Path(html) / entry.folder if entry.folder else Path(html)


def sources(entry: Item, root: str | Path = ROOT) -> list[str]:
    """The pages of its edition's site that ``entry`` is made of, in order (docnames, e.g. ``chapters/users``).

    ``root`` is the repository; a French entry's pages are those of ``fr/_toc.yml``.
    """
    root = edition_root(entry, root)
    if entry.pages == BOOK:
        return toc.pages(root)
    if entry.pages == STUDENT_BOOK:
        teacher = _teacher_pages(root, entry.lang)
        return [p for p in toc.pages(root) if p not in teacher]
    return list(entry.pages)


def missing(entry: Item, html: str | Path, root: str | Path = ROOT) -> list[str]:
    """The pages of ``entry`` that the built site ``html`` does not have (a French entry: in its ``fr/``)."""
    if entry.folder and not (edition_root(entry, root) / "_toc.yml").is_file():
        return ["fr/_toc.yml"]  # no French tree at all
    site = edition_html(entry, html)
    return [p for p in sources(entry, root) if not (site / f"{p}.html").exists()]


# --------------------------------------------------------------------------- texts a file must (not) hold

def normalise(text: str) -> str:
    """Letters and digits only, case-folded: how texts are compared with a PDF's extracted text.

    A PDF's text breaks lines, and may split or join words at a line's end;
    comparing what is left of the words is robust to both.
    """
    return re.sub(r"[\W_]+", "", text.casefold())


def _statement(data=None) -> list[str]:
    """Every passage of the statement: its English (as published, or ours) and its full French rendering.

    In French (``durovbook.i18n``), our English translation is left out: the
    French edition shows the French renderings themselves.
    """
    import pandas as pd

    from durovbook import i18n
    from durovbook.passages import load_passages

    columns = ("en_original", "fr_001") if i18n.language() == "fr" else ("en_original", "en_ours", "fr_001")
    texts = []
    for _, row in load_passages(data).iterrows():
        for column in columns:
            value = row.get(column)
            if value is not None and not pd.isna(value) and str(value).strip():
                texts.append(str(value))
    return texts


def _cards(data=None) -> list[str]:
    """Every evidence card: its claim, each line of its data, its sources and its caveat (``durovbook.cards``)."""
    from durovbook.cards import build_cards

    texts = []
    for card in build_cards(data):
        texts += [card.claim, *card.data, " · ".join(card.sources), card.caveat]
    return texts


#: The sets of texts an ``Item.contains`` may name with ``@``: each is read from the data.
TEXT_SETS = {"statement": _statement, "cards": _cards}


def text_sets(entry: Item, data=None) -> list[str]:
    """The texts ``entry`` must hold, with each ``@name`` replaced by the texts of that set.

    The sets are read in the entry's language: the package writes a French
    edition's cards in French.
    """
    from durovbook import i18n

    texts: list[str] = []
    with i18n.using(entry.lang):
        for want in entry.contains:
            texts += TEXT_SETS[want[1:]](data) if want.startswith("@") else [want]
    return texts


def solution_sentences(text: str, min_words: int = 6) -> list[str]:
    """The sentences of prose in the solutions of MyST page ``text``, long enough to be telling.

    Code, roles (whose text a page shows differently) and directives are left
    out; a sentence the page also has outside its solutions is left out too.
    """
    from bookbuild import myst
    from bookbuild.student import solution_blocks

    outside = normalise(_without_solutions(text))
    found = []
    for block in solution_blocks(text):
        prose, fence = [], False
        for line in block.splitlines():
            if line.lstrip().startswith(("```", ":::")):  # a code cell or a directive opens or closes
                fence = not fence
                continue
            if not fence and not line.lstrip().startswith(":"):
                prose.append(line)
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(prose)):
            # Inline HTML (a quotation's <span lang="en">) is markup, not text: its words stay.
            sentence = _TAG.sub("", sentence)
            if myst.ROLE.search(sentence) or "`" in sentence or "{" in sentence or "|" in sentence:
                continue
            if len(sentence.split()) >= min_words and normalise(sentence) not in outside:
                found.append(sentence.strip())
    return found


_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _without_solutions(text: str) -> str:
    from bookbuild import myst

    lines, drop, start = text.splitlines(), set(), None
    for d in myst.directives(text):
        if d.name == "solution-start" and start is None:
            start = d.start
        elif d.name == "solution-end" and start is not None:
            drop.update(range(start, d.end))
            start = None
        elif d.name == "solution" and start is None:
            drop.update(range(d.start, d.end))
    return "\n".join(l for i, l in enumerate(lines) if i not in drop)


# --------------------------------------------------------------------------- the printed document

def remove_solutions(article) -> int:
    """Delete every solution (sphinx-exercise's ``div.solution``) from a parsed page; return how many."""
    found = article.select("div.solution")
    for node in found:
        node.decompose()
    return len(found)


def _anchor(docname: str, fragment: str = "") -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", docname) + (f"--{fragment}" if fragment else "")


def _rewrite(article, docname: str, included: set[str]) -> None:
    """Make the links of a page's article work inside one document served from the site's root."""
    page_dir = posixpath.dirname(docname)
    for node in article.find_all(id=True):
        node["id"] = _anchor(docname, node["id"])
    for node in article.find_all(["img", "source", "a", "link", "video", "audio"]):
        for attr in ("src", "href"):
            url = node.get(attr)
            if url is None:
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "data:")):
                continue
            if not parts.path:  # a link inside the page
                node[attr] = "#" + _anchor(docname, parts.fragment) if parts.fragment else "#" + _anchor(docname)
                continue
            target = posixpath.normpath(posixpath.join(page_dir, parts.path))
            page = target[:-5] if target.endswith(".html") else None
            if node.name == "a" and page is not None:
                if page in included:
                    node[attr] = "#" + _anchor(page, parts.fragment)
                else:  # a page the file does not hold: its words stay, the link goes
                    node.unwrap()
                    break
            else:
                node[attr] = "/" + target
    for node in article.select("picture source"):  # the phone drawings: paper is not a phone
        node.decompose()


def _alt_captions(soup, article, lang: str = "en") -> None:
    """Print each image's alt text under it, unless the figure's caption already says it."""
    for img in article.find_all("img"):
        alt = (img.get("alt") or "").strip()
        figure = img.find_parent(["figure", "picture"]) or img
        caption = figure.find_parent("figure") or figure
        if not alt or normalise(alt) in normalise(caption.get_text(" ")):
            continue
        note = soup.new_tag("p", attrs={"class": "print-alt"})
        note.string = WORDS[lang]["alt"].format(alt)
        figure.insert_after(note)


#: On paper, the list of printable files says where they are.
ON_PAPER = WORDS["en"]["on_paper"]

_DROP = ("script", "noscript", "button", "form", ".headerlink", ".toggle-button",
         "nav", ".prev-next-area", ".bd-sidebar", ".bd-header-article", "template")


def assemble(html: str | Path, docnames: list[str], audience: str, title: str = "", title_page: bool = False,
             root: str | Path = ROOT, data=None, lang: str = "en") -> str:
    """One HTML document holding the articles of ``docnames`` from the built site ``html``, ready to print.

    For ``audience == "student"`` every solution is removed. The document's
    links are absolute from the site's root, so it is served from there.
    ``lang`` is the edition's language: the document's ``lang`` and the words
    it adds (:data:`WORDS`).
    """
    from bs4 import BeautifulSoup

    html = Path(html)
    words = WORDS[lang]
    included = set(docnames)
    soup = BeautifulSoup(f"<!DOCTYPE html><html lang='{lang}' data-theme='light'><head><meta charset='utf-8'>"
                         "</head><body class='print-book'></body></html>", "html.parser")
    head, body = soup.head, soup.body
    head.append(soup.new_tag("title"))
    head.title.string = title or words["book"]
    first = BeautifulSoup((html / f"{docnames[0]}.html").read_text(encoding="utf-8"), "html.parser")
    for link in first.find_all("link", rel="stylesheet"):
        href = posixpath.normpath(posixpath.join(posixpath.dirname(docnames[0]), urlsplit(link["href"]).path))
        head.append(soup.new_tag("link", rel="stylesheet", href="/" + href))
    style = soup.new_tag("style")
    style.string = CSS.read_text(encoding="utf-8")
    head.append(style)
    articles = {docname: _article(html / f"{docname}.html") for docname in docnames}
    if title_page:
        body.append(_title_page(soup, title, articles, audience, data, lang))
    for docname, article in articles.items():
        for selector in _DROP:
            for node in article.select(selector):
                node.decompose()
        for node in article.select(".print-downloads"):
            note = soup.new_tag("p")
            note.string = words["on_paper"]
            node.replace_with(note)
        if audience == "student":
            remove_solutions(article)
        for details in article.find_all("details"):
            details["open"] = ""
        _rewrite(article, docname, included)
        _alt_captions(soup, article, lang)
        section = soup.new_tag("section", attrs={"class": "print-page", "id": _anchor(docname)})
        section.append(article)
        article.name = "div"
        article["class"] = ["print-article"]
        body.append(section)
    return str(soup)


def _article(path: Path):
    """The article of a built page (parsed alone: the page's navigation is most of its bytes)."""
    from bs4 import BeautifulSoup

    text = path.read_text(encoding="utf-8")
    start, end = text.find('<article class="bd-article"'), text.rfind("</article>")
    if start < 0 or end < start:
        page = BeautifulSoup(text, "html.parser")
        return page.body or page
    return BeautifulSoup(text[start:end + len("</article>")], "html.parser").article


def _title_page(soup, title: str, articles: dict, audience: str, data=None, lang: str = "en"):
    from durovbook import i18n
    from durovbook.asof import as_of_text

    words = WORDS[lang]
    page = soup.new_tag("section", attrs={"class": "print-title-page"})
    h1 = soup.new_tag("h1")
    h1.string = words["book"]
    page.append(h1)
    sub = soup.new_tag("p", attrs={"class": "print-subtitle"})
    sub.string = title + words["student_subtitle" if audience == "student" else "teacher_subtitle"]
    page.append(sub)
    date = soup.new_tag("p", attrs={"class": "print-asof"})
    with i18n.using(lang):
        date.string = words["as_of"].format(as_of_text(data))
    page.append(date)
    contents = soup.new_tag("ol", attrs={"class": "print-contents"})
    for docname, article in articles.items():
        heading = article.find("h1")
        li = soup.new_tag("li")
        a = soup.new_tag("a", href="#" + _anchor(docname))
        a.string = (heading.get_text(" ", strip=True).rstrip("#").strip() if heading else docname)
        li.append(a)
        contents.append(li)
    page.append(contents)
    licence = soup.new_tag("p", attrs={"class": "print-licence"})
    licence.string = words["licence"]
    page.append(licence)
    return page


# --------------------------------------------------------------------------- rendering and checking

def pdf_pages(path: str | Path) -> int:
    """A PDF's page count (pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


#: Poppler's pdftotext (Debian's poppler-utils, installed by `make test` and
#: `make print` like Chromium): it reads a book-length PDF in about a second,
#: where pypdf takes 15 to 30. Without it, pypdf reads the text.
PDFTOTEXT = Path(os.environ.get("PDFTOTEXT_PATH") or "/usr/bin/pdftotext")


@functools.lru_cache(maxsize=64)
def _page_texts(path: str, mtime_ns: int, size: int, tool: bool) -> tuple[str, ...]:
    if tool:
        out = subprocess.run([str(PDFTOTEXT), "-enc", "UTF-8", path, "-"], capture_output=True, check=True)
        # pdftotext ends each page with a form feed.
        pages = out.stdout.decode("utf-8").split("\f")
        return tuple(pages[:-1] if pages and not pages[-1].strip() else pages)
    from pypdf import PdfReader

    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


def pdf_page_texts(path: str | Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, or pypdf without it), read once per version of the file."""
    stat = os.stat(path)
    return list(_page_texts(str(path), stat.st_mtime_ns, stat.st_size, PDFTOTEXT.is_file()))


def pdf_text(path: str | Path) -> str:
    """A PDF's text, page after page, without the page numbers ("3 / 12") print.css puts in each footer.

    A page number read into the text would split a passage that runs on to the
    next page, and the check that the passage is there would fail.
    """
    return "\n".join(_FOOTER.sub("", page) for page in pdf_page_texts(path))


_FOOTER = re.compile(r"^\s*(?:\d+ ?/ ?\d+|Page \d+ sur \d+)\s*$", re.M)


def render(entries: list[Item], html: str | Path, out: str | Path, root: str | Path = ROOT,
           log=print) -> dict[str, Path]:
    """Print each PDF of ``entries`` from the built site ``html`` into ``out``; return the files written.

    One Chromium prints them all; each edition's site (``html``, ``html/fr``)
    is served from its own root, so that a French document's absolute links
    reach the French site's files.
    """
    import contextlib

    from playwright.sync_api import sync_playwright

    from bookbuild.browser import launch, serve

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with contextlib.ExitStack() as stack:
        servers = {folder: stack.enter_context(serve(edition_html(entry, html)))
                   for folder, entry in {e.folder: e for e in entries}.items()}
        p = stack.enter_context(sync_playwright())
        browser = launch(p)
        context = browser.new_context(color_scheme="light", viewport={"width": 900, "height": 1200})
        for entry in entries:
            start = time.perf_counter()
            server = servers[entry.folder]
            tab = context.new_page()
            if entry.own_css:
                tab.goto(f"{server.url}/{entry.pages[0]}.html", wait_until="load")
            else:
                document = assemble(edition_html(entry, html), sources(entry, root), entry.audience, entry.title,
                                    entry.title_page, edition_root(entry, root), lang=entry.lang)
                url = f"{server.url}/__print__/{Path(entry.name).stem}.html"
                tab.route(url, _serve_document(document))
                tab.goto(url, wait_until="load")
            tab.emulate_media(media="print", color_scheme="light")
            _load_images(tab)
            target = out / entry.name
            target.parent.mkdir(parents=True, exist_ok=True)
            options = dict(path=str(target), format="A4", landscape=entry.landscape, print_background=True)
            if entry.own_css:
                options.update(prefer_css_page_size=False, margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
            else:
                options.update(display_header_footer=True, header_template="<div></div>",
                               footer_template=WORDS[entry.lang]["footer"],
                               margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                               tagged=True, outline=True)
            tab.pdf(**options)
            tab.close()
            written[entry.name] = target
            log(f"  {entry.name:<22} printed in {time.perf_counter() - start:5.1f} s")
        browser.close()
    return written


def _serve_document(document: str):
    """A Playwright route handler that answers with ``document`` (it takes one argument: the route)."""
    def handler(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=document)
    return handler


def _load_images(tab) -> None:
    """Load every image now (the site loads figures lazily), then wait for them."""
    tab.evaluate("""() => Promise.all([...document.images].map(img => {
        img.loading = 'eager';
        return img.complete ? null : new Promise(r => { img.onload = img.onerror = r; });
    }))""")


def build_epub(root: str | Path, build: str | Path, out: str | Path, name: str = "book.epub",
               cwd: str | Path | None = None) -> Path:
    """Build the EPUB with Jupyter Book's custom builder into ``build``/epub; copy it to ``out``/``name``.

    ``root`` is the edition's source folder (the repository, or its ``fr/``);
    ``build`` is the folder that holds that edition's website build (``_build``,
    or ``_build/fr/_build``), whose execution cache and doctrees are reused.
    Jupyter Book runs in ``cwd`` (the repository, as ``make book`` runs it).
    """
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(root), "--path-output", str(Path(build).parent),
                           "--builder", "custom", "--custom-builder", "epub", "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, cwd=cwd or root)
    found = sorted((Path(build) / "epub").glob("*.epub"))
    if proc.returncode != 0 or not found:
        raise RuntimeError(f"the EPUB {name} did not build:\n" + (proc.stdout + proc.stderr)[-4000:])
    target = Path(out) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(found[0], target)
    return target


#: Debian's epubcheck: /usr/bin/epubcheck is the jar itself, run with java.
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def epubcheck_command() -> list[str] | None:
    """How to run Debian's ``epubcheck`` here, or None when it is not installed."""
    if EPUBCHECK_JAR.is_file() and shutil.which("java"):
        return ["java", "-jar", str(EPUBCHECK_JAR)]
    return None


def epubcheck(path: str | Path) -> tuple[int, str]:
    """Run Debian's ``epubcheck`` on ``path``: the number of errors (fatal ones included) and its report."""
    command = epubcheck_command()
    if command is None:
        raise FileNotFoundError(f"epubcheck is not installed ({EPUBCHECK_JAR}): apt-get install epubcheck")
    proc = subprocess.run(command + [str(path)], capture_output=True, text=True)
    report = proc.stdout + proc.stderr
    counts = re.search(r"Messages:\s*(\d+)\s*fatals?\s*/\s*(\d+)\s*errors?", report)
    errors = int(counts.group(1)) + int(counts.group(2)) if counts else (0 if proc.returncode == 0 else 1)
    return errors, report


def size_text(n: int) -> str:
    return f"{n / 1024:.0f} kB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@dataclass
class Printed:
    """What :func:`make` did: the files written, the entries skipped (name -> missing pages), the EPUB checks.

    ``epub_checks`` holds each checked EPUB's errors and report, by name;
    ``epub_errors`` is their sum (None when none was checked) and
    ``epub_report`` the reports of those with errors (or why one did not build).
    """

    folder: Path
    files: dict[str, Path]
    skipped: dict[str, list[str]]
    seconds: float
    epub_errors: int | None = None
    epub_report: str = ""
    log: list[str] = field(default_factory=list)
    epub_checks: dict[str, tuple[int, str]] = field(default_factory=dict)

    def checked(self, name: str, errors: int, report: str) -> None:
        """Record the epubcheck of the EPUB ``name``."""
        self.epub_checks[name] = (errors, report)
        self.epub_errors = sum(e for e, _ in self.epub_checks.values())
        if errors:
            self.epub_report += f"== {name}\n{report}"


def epub_build_folder(entry: Item, html: Path) -> Path:
    """The ``_build`` folder of the website build of ``entry``'s edition (``html`` is the site's ``_build/html``)."""
    from bookbuild.editions import edition_build_dir

    build = Path(html).parent
    return edition_build_dir(build.parent, entry.lang) / "_build" if entry.folder else build


def make(html: str | Path, out: str | Path, root: str | Path = ROOT, epub: bool = True, check: bool = True,
         log=print) -> Printed:
    """Every file of :data:`ITEMS` whose pages the site ``html`` has, into ``out``.

    The EPUBs (English, then French) are built (and checked, when ``check`` and
    epubcheck is installed) in a thread while Chromium prints the PDFs of both
    editions: the machine's other core does it.
    """
    import threading

    html, out = Path(html), Path(out)
    start = time.perf_counter()
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        log(line)

    todo, skipped, epubs = [], {}, []
    for entry in ITEMS:
        absent = missing(entry, html, root)
        if absent:
            skipped[entry.name] = absent
        elif entry.kind == "pdf":
            todo.append(entry)
        else:
            epubs.append(entry)
    result = Printed(out, {}, skipped, 0.0, log=lines)
    worker = None
    if epub and epubs:
        def build():
            for entry in epubs:
                t = time.perf_counter()
                try:
                    result.files[entry.name] = build_epub(edition_root(entry, root), epub_build_folder(entry, html),
                                                          out, entry.name, cwd=root)
                except RuntimeError as error:
                    result.epub_report += str(error)
                    continue
                say(f"  {entry.name:<22} built in {time.perf_counter() - t:5.1f} s")
                if check and epubcheck_command() is not None:
                    t = time.perf_counter()
                    errors, report = epubcheck(result.files[entry.name])
                    result.checked(entry.name, errors, report)
                    say(f"  {entry.name:<22} epubcheck: {errors} error(s), in {time.perf_counter() - t:5.1f} s")
                elif check:
                    say(f"  {entry.name:<22} NOT CHECKED: epubcheck is not installed (apt-get install epubcheck)")

        worker = threading.Thread(target=build, daemon=True)
        worker.start()
    say(f"Printing {len(todo)} PDF file(s) from {html} with Chromium...")
    result.files.update(render(todo, html, out, root, log=say))
    if worker is not None:
        worker.join()
    for name, absent in skipped.items():
        say(f"  {name:<22} SKIPPED: the site has no page {', '.join(p + '.html' for p in absent)}")
    result.seconds = time.perf_counter() - start
    return result


def summary(result: Printed) -> list[str]:
    """The closing lines of `make print`: its time, and each file's page count and size."""
    lines = [f"== make print: {result.seconds:.1f} s; the files are in {result.folder}/"]
    for entry in ITEMS:
        path = result.files.get(entry.name)
        if path is None or not path.exists():
            continue
        pages = f"{pdf_pages(path):>4} pages" if entry.kind == "pdf" else "    EPUB  "
        lines.append(f"  {entry.name:<22}{pages}  {size_text(path.stat().st_size):>8}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the files")
    parser.add_argument("--no-epub", action="store_true")
    parser.add_argument("--no-check", action="store_true",
                        help="leave the EPUBs unchecked (the tests run epubcheck themselves)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        sys.exit(f"{args.html}/index.html is missing: run `make book` first.")
    result = make(args.html, args.out, epub=not args.no_epub, check=not args.no_check)
    for line in summary(result):
        print(line)
    unbuilt = [e.name for e in ITEMS if e.kind == "epub" and e.name not in result.skipped
                and e.name not in result.files]
    failed = bool(result.epub_errors) or (not args.no_epub and bool(unbuilt))
    if failed:
        print(result.epub_report[-3000:])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
