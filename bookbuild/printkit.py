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

Usage: ``python -m bookbuild.printkit [--html _build/html] [--out _build/print] [--no-epub]``
"""

from __future__ import annotations

import argparse
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
           "text_sets", "solution_sentences", "normalise", "pdf_pages", "pdf_text", "epubcheck", "epubcheck_command", "render", "build_epub",
           "Printed", "make", "summary", "main"]

#: The print stylesheet, added to every printed page of the book.
CSS = Path(__file__).with_name("print.css")
#: Where `make print` writes the files, beside the site.
OUT = ROOT / "_build" / "print"
#: The part of ``_toc.yml`` that the student edition leaves out.
TEACHER_PART = "For teachers"

#: ``Item.pages`` for the whole book (every page of ``_toc.yml``) and for the
#: student edition (every page but the teacher guide).
BOOK, STUDENT_BOOK = "book", "student-book"

FOOTER = ('<div style="width:100%;font-size:8pt;font-family:sans-serif;color:#000;text-align:center;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


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

    @property
    def kind(self) -> str:
        return Path(self.name).suffix.lstrip(".")


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


def item(name: str) -> Item:
    """The entry of :data:`ITEMS` called ``name``."""
    for entry in ITEMS:
        if entry.name == name:
            return entry
    raise KeyError(name)


# --------------------------------------------------------------------------- what a file is made of

def _teacher_pages(root: Path) -> set[str]:
    """The teacher guide: the pages of the part :data:`TEACHER_PART`, with their sections."""
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

    for docname in toc.parts(root).get(TEACHER_PART, []):
        visit(docname)
    return found


def sources(entry: Item, root: str | Path = ROOT) -> list[str]:
    """The pages of the site that ``entry`` is made of, in order (docnames, e.g. ``chapters/users``)."""
    if entry.pages == BOOK:
        return toc.pages(root)
    if entry.pages == STUDENT_BOOK:
        teacher = _teacher_pages(Path(root))
        return [p for p in toc.pages(root) if p not in teacher]
    return list(entry.pages)


def missing(entry: Item, html: str | Path, root: str | Path = ROOT) -> list[str]:
    """The pages of ``entry`` that the built site ``html`` does not have."""
    return [p for p in sources(entry, root) if not (Path(html) / f"{p}.html").exists()]


# --------------------------------------------------------------------------- texts a file must (not) hold

def normalise(text: str) -> str:
    """Letters and digits only, case-folded: how texts are compared with a PDF's extracted text.

    A PDF's text breaks lines, and may split or join words at a line's end;
    comparing what is left of the words is robust to both.
    """
    return re.sub(r"[\W_]+", "", text.casefold())


def _statement(data=None) -> list[str]:
    """Every passage of the statement: its English (as published, or ours) and its full French rendering."""
    import pandas as pd

    from durovbook.passages import load_passages

    texts = []
    for _, row in load_passages(data).iterrows():
        for column in ("en_original", "en_ours", "fr_001"):
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
    """The texts ``entry`` must hold, with each ``@name`` replaced by the texts of that set."""
    texts: list[str] = []
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
            if myst.ROLE.search(sentence) or "`" in sentence or "{" in sentence or "|" in sentence:
                continue
            if len(sentence.split()) >= min_words and normalise(sentence) not in outside:
                found.append(sentence.strip())
    return found


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


def _alt_captions(soup, article) -> None:
    """Print each image's alt text under it, unless the figure's caption already says it."""
    for img in article.find_all("img"):
        alt = (img.get("alt") or "").strip()
        figure = img.find_parent(["figure", "picture"]) or img
        caption = figure.find_parent("figure") or figure
        if not alt or normalise(alt) in normalise(caption.get_text(" ")):
            continue
        note = soup.new_tag("p", attrs={"class": "print-alt"})
        note.string = f"Image: {alt}"
        figure.insert_after(note)


#: On paper, the list of printable files says where they are.
ON_PAPER = "The book's website lists these files here, each with its size, for download."

_DROP = ("script", "noscript", "button", "form", ".headerlink", ".toggle-button",
         "nav", ".prev-next-area", ".bd-sidebar", ".bd-header-article", "template")


def assemble(html: str | Path, docnames: list[str], audience: str, title: str = "", title_page: bool = False,
             root: str | Path = ROOT, data=None) -> str:
    """One HTML document holding the articles of ``docnames`` from the built site ``html``, ready to print.

    For ``audience == "student"`` every solution is removed. The document's
    links are absolute from the site's root, so it is served from there.
    """
    from bs4 import BeautifulSoup

    html = Path(html)
    included = set(docnames)
    soup = BeautifulSoup("<!DOCTYPE html><html lang='en' data-theme='light'><head><meta charset='utf-8'>"
                         "</head><body class='print-book'></body></html>", "html.parser")
    head, body = soup.head, soup.body
    head.append(soup.new_tag("title"))
    head.title.string = title or "Durov's statement, read with data"
    first = BeautifulSoup((html / f"{docnames[0]}.html").read_text(encoding="utf-8"), "html.parser")
    for link in first.find_all("link", rel="stylesheet"):
        href = posixpath.normpath(posixpath.join(posixpath.dirname(docnames[0]), urlsplit(link["href"]).path))
        head.append(soup.new_tag("link", rel="stylesheet", href="/" + href))
    style = soup.new_tag("style")
    style.string = CSS.read_text(encoding="utf-8")
    head.append(style)
    articles = {docname: _article(html / f"{docname}.html") for docname in docnames}
    if title_page:
        body.append(_title_page(soup, title, articles, audience, data))
    for docname, article in articles.items():
        for selector in _DROP:
            for node in article.select(selector):
                node.decompose()
        for node in article.select(".print-downloads"):
            note = soup.new_tag("p")
            note.string = ON_PAPER
            node.replace_with(note)
        if audience == "student":
            remove_solutions(article)
        for details in article.find_all("details"):
            details["open"] = ""
        _rewrite(article, docname, included)
        _alt_captions(soup, article)
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


def _title_page(soup, title: str, articles: dict, audience: str, data=None):
    from durovbook.asof import as_of_text

    page = soup.new_tag("section", attrs={"class": "print-title-page"})
    h1 = soup.new_tag("h1")
    h1.string = "Durov's statement, read with data"
    page.append(h1)
    sub = soup.new_tag("p", attrs={"class": "print-subtitle"})
    sub.string = title + (": the chapters without the solutions and without the teacher guide"
                          if audience == "student" else ": every page of the website, with the solutions")
    page.append(sub)
    date = soup.new_tag("p", attrs={"class": "print-asof"})
    date.string = f"The facts in this book were last checked on {as_of_text(data)}."
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
    licence.string = ("Text and data: CC BY 4.0. Code: MIT. Quoted material remains the property of its authors. "
                      "Printed from the website of the book; the website has the interactive map and the code.")
    page.append(licence)
    return page


# --------------------------------------------------------------------------- rendering and checking

def pdf_pages(path: str | Path) -> int:
    """A PDF's page count (pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def pdf_text(path: str | Path) -> str:
    """A PDF's text, page after page (pypdf), without the page numbers ("3 / 12") print.css puts in each footer.

    A page number read into the text would split a passage that runs on to the
    next page, and the check that the passage is there would fail.
    """
    from pypdf import PdfReader

    return "\n".join(_FOOTER.sub("", page.extract_text() or "") for page in PdfReader(str(path)).pages)


_FOOTER = re.compile(r"^\s*\d+ / \d+\s*$", re.M)


def render(entries: list[Item], html: str | Path, out: str | Path, root: str | Path = ROOT,
           log=print) -> dict[str, Path]:
    """Print each PDF of ``entries`` from the built site ``html`` into ``out``; return the files written."""
    from playwright.sync_api import sync_playwright

    from bookbuild.browser import launch, serve

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with serve(html) as server, sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(color_scheme="light", viewport={"width": 900, "height": 1200})
        for entry in entries:
            start = time.perf_counter()
            tab = context.new_page()
            if entry.own_css:
                tab.goto(f"{server.url}/{entry.pages[0]}.html", wait_until="load")
            else:
                document = assemble(html, sources(entry, root), entry.audience, entry.title, entry.title_page, root)
                url = f"{server.url}/__print__/{Path(entry.name).stem}.html"
                tab.route(url, _serve_document(document))
                tab.goto(url, wait_until="load")
            tab.emulate_media(media="print", color_scheme="light")
            _load_images(tab)
            target = out / entry.name
            options = dict(path=str(target), format="A4", landscape=entry.landscape, print_background=True)
            if entry.own_css:
                options.update(prefer_css_page_size=False, margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
            else:
                options.update(display_header_footer=True, header_template="<div></div>", footer_template=FOOTER,
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


def build_epub(root: str | Path, build: str | Path, out: str | Path) -> Path:
    """Build the EPUB with Jupyter Book's custom builder into ``build``/epub; copy it to ``out``/book.epub.

    ``build`` is the folder that holds the website's build (``_build``), whose
    execution cache and doctrees are reused.
    """
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(root), "--path-output", str(Path(build).parent),
                           "--builder", "custom", "--custom-builder", "epub", "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, cwd=root)
    found = sorted((Path(build) / "epub").glob("*.epub"))
    if proc.returncode != 0 or not found:
        raise RuntimeError("the EPUB did not build:\n" + (proc.stdout + proc.stderr)[-4000:])
    target = Path(out) / "book.epub"
    Path(out).mkdir(parents=True, exist_ok=True)
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
    """What :func:`make` did: the files written, the entries skipped (name -> missing pages), the EPUB check."""

    folder: Path
    files: dict[str, Path]
    skipped: dict[str, list[str]]
    seconds: float
    epub_errors: int | None = None
    epub_report: str = ""
    log: list[str] = field(default_factory=list)


def make(html: str | Path, out: str | Path, root: str | Path = ROOT, epub: bool = True, check: bool = True,
         log=print) -> Printed:
    """Every file of :data:`ITEMS` whose pages the site ``html`` has, into ``out``.

    The EPUB is built (and checked, when ``check`` and epubcheck is installed)
    in a thread while Chromium prints the PDFs: the machine's other core does it.
    """
    import threading

    html, out = Path(html), Path(out)
    start = time.perf_counter()
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        log(line)

    todo, skipped = [], {}
    for entry in ITEMS:
        absent = missing(entry, html, root)
        if absent:
            skipped[entry.name] = absent
        elif entry.kind == "pdf":
            todo.append(entry)
    result = Printed(out, {}, skipped, 0.0, log=lines)
    worker = None
    if epub and "book.epub" not in skipped:
        def build():
            t = time.perf_counter()
            try:
                result.files["book.epub"] = build_epub(root, html.parent, out)
            except RuntimeError as error:
                result.epub_report = str(error)
                return
            say(f"  {'book.epub':<22} built in {time.perf_counter() - t:5.1f} s")
            if check and epubcheck_command() is not None:
                t = time.perf_counter()
                result.epub_errors, result.epub_report = epubcheck(result.files["book.epub"])
                say(f"  {'book.epub':<22} epubcheck: {result.epub_errors} error(s), in {time.perf_counter() - t:5.1f} s")
            elif check:
                say(f"  {'book.epub':<22} NOT CHECKED: epubcheck is not installed (apt-get install epubcheck)")

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
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        sys.exit(f"{args.html}/index.html is missing: run `make book` first.")
    result = make(args.html, args.out, epub=not args.no_epub)
    for line in summary(result):
        print(line)
    failed = bool(result.epub_errors) or (not args.no_epub and "book.epub" not in result.files)
    if failed:
        print(result.epub_report[-3000:])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
