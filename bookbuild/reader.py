"""What a reader meets on a rendered page: working terms, and the length of the main path.

Two measures on the built HTML (not on the MyST source), so that what the
package writes into a page counts as much as what a chapter says:

- :func:`working_terms` finds the book's internal working terms ("seed
  article", "facts register", "sources we hold") in a page's visible text.
  A reader should meet the outlet and the article, never our file names.
- :func:`main_path_words` counts the words of a chapter's *main path*: the
  prose of the page's main content that a reader meets without opening
  anything. Folded sections (``<details>``, dropdown admonitions, toggles),
  tables, code cells and their outputs, figures and their captions are left
  out. :func:`stated_minutes` reads the chapter's "Time to learn" section,
  which should match the main path at :data:`WORDS_PER_MINUTE`.
- :func:`citation_problems` checks every citation in the text of every page:
  its label is short (a phone shows it whole, never a headline) and links to
  an entry of the bibliography that prints the same label.

``python -m bookbuild.reader [HTML folder]`` prints each chapter's figures.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from bookbuild.bibstyle import MAX_LABEL_CHARS, MAX_LABEL_WORDS

__all__ = [
    "WORKING_TERMS", "WORDS_PER_MINUTE", "MAX_MAIN_PATH_WORDS", "MINUTES_TOLERANCE",
    "visible_text", "working_terms", "main_path", "main_path_words", "words",
    "stated_minutes", "in_text_citations", "bibliography_labels", "citation_problems", "main",
]

#: Internal working terms that must never reach a reader (matched case-insensitively,
#: with any run of spaces between the words, in the singular or the plural, and
#: "the book" for "we": "a source the book holds" is the same working term).
WORKING_TERMS = ("seed article", "facts register", "sources we hold")
_TERM_PATTERNS = {
    "seed article": r"seed\s+articles?",
    "facts register": r"facts?\s+registers?",
    "sources we hold": r"sources?\s+(?:that\s+)?(?:we|the\s+book)\s+holds?",
}
#: A second-language reader at 16 (issue 14): 150 words a minute.
WORDS_PER_MINUTE = 150
#: The longest main path a chapter may have, in rendered words.
MAX_MAIN_PATH_WORDS = 2500
#: How far the stated reading time may be from words / 150, in minutes. Stated
#: times are round figures ("about 15 minutes"): rounding to the nearest five
#: minutes is off by up to 2.5, and a chapter's length moves by a few hundred
#: words between releases; five minutes covers both, yet still catches a
#: stated 30 minutes for a 15-minute main path.
MINUTES_TOLERANCE = 5

#: Elements whose text a reader never sees.
_INVISIBLE = ("script", "style", "template", "head")
#: What the main path leaves out: folded sections, tables, code and outputs, figures.
_OFF_PATH_TAGS = ("details", "table", "figure", "figcaption", "pre", "img", "svg", "button",
                  "script", "style", "template", "math", "nav")
_OFF_PATH_CLASSES = {
    "dropdown", "toggle", "toggle-hidden",                      # folded admonitions and toggles
    "cell", "cell_input", "cell_output", "output", "highlight",  # code cells and their outputs
    "figure", "caption", "sd-dropdown",                         # docutils figures, sphinx-design dropdowns
    "headerlink", "toctree-wrapper", "prev-next-area", "footnote",
}
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_MINUTES = re.compile(r"(\d+)\s*(?:-|–|to)?\s*(\d+)?\s*min", re.I)


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def visible_text(html: str) -> str:
    """The text of a page a reader can see: the body without scripts, styles and templates."""
    soup = _soup(html)
    title = soup.title.get_text(" ") if soup.title else ""
    for tag in soup.find_all(_INVISIBLE):
        tag.decompose()
    return re.sub(r"\s+", " ", f"{title} {soup.get_text(' ')}").strip()


def working_terms(html: str) -> list[str]:
    """Each working term in the page's visible text, with a few words around it (empty when clean)."""
    text = visible_text(html)
    found = []
    for term in WORKING_TERMS:
        pattern = re.compile(_TERM_PATTERNS[term], re.I)
        for match in pattern.finditer(text):
            found.append(f"{term!r}: …{text[max(0, match.start() - 60):match.end() + 60]}…")
    return found


def _off_path(tag: Tag) -> bool:
    if tag.name in _OFF_PATH_TAGS:
        return True
    classes = set(tag.get("class") or ())
    return bool(classes & _OFF_PATH_CLASSES) or tag.get("hidden") is not None


def main_path(html: str) -> str:
    """The main path of a page: the prose of its main content, folded parts, tables, code and figures left out.

    The main content is the page's ``<article>`` (Jupyter Book's
    ``bd-article``), else its ``<main>``, else its body.
    """
    soup = _soup(html)
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in list(root.find_all(True)):
        if not tag.decomposed and _off_path(tag):
            tag.decompose()
    return re.sub(r"\s+", " ", root.get_text(" ")).strip()


def words(text: str) -> int:
    """The number of words of ``text`` (a hyphenated word or a number is one word)."""
    return len(_WORD.findall(text))


def main_path_words(html: str) -> int:
    """How many words the main path of a page has (see :func:`main_path`)."""
    return words(main_path(html))


def stated_minutes(html: str) -> int | None:
    """The reading time a page states under its "Time to learn" heading, in minutes.

    The first figure of minutes in that section ("About 15 minutes to read;
    10 more for the exercises" gives 15; a range "15-20 minutes" gives its
    middle). None when the page has no such section or no figure in it.
    """
    soup = _soup(html)
    heading = next((h for h in soup.find_all(re.compile(r"^h[1-6]$"))
                    if re.sub(r"[\s#¶]+", " ", h.get_text(" ")).strip().lower() == "time to learn"), None)
    if heading is None:
        return None
    section = heading.find_parent("section")
    if section is not None:
        text = section.get_text(" ").replace(heading.get_text(" "), " ", 1)
    else:  # no section element: the text up to the next heading
        parts = []
        for sibling in heading.find_next_siblings():
            if re.match(r"^h[1-6]$", sibling.name or ""):
                break
            parts.append(sibling.get_text(" "))
        text = " ".join(parts)
    match = _MINUTES.search(text)
    if not match:
        return None
    low, high = int(match.group(1)), match.group(2)
    return (low + int(high)) // 2 if high else low


def in_text_citations(html: str) -> list[tuple[str, str]]:
    """Each citation link in a page's text (sphinxcontrib-bibtex's ``bibtex-citation``): (its label, its href)."""
    return [(re.sub(r"\s+", " ", a.get_text(" ")).strip(), a.get("href", ""))
            for span in _soup(html).select(".bibtex-citation") for a in span.find_all("a")]


def bibliography_labels(html: str) -> dict[str, str]:
    """The entries of a bibliography page: citation id -> the label printed before it (without brackets)."""
    labels = {}
    for citation in _soup(html).select("div.citation[id]"):
        label = citation.find(class_="label")
        text = re.sub(r"\s+", " ", label.get_text(" ") if label else "").strip()
        labels[citation["id"]] = text.removeprefix("[").removesuffix("]").strip()
    return labels


def _part_of(text: str, label: str) -> bool:
    """Whether ``text`` is ``label`` or whole words of it ({cite:author} prints the name, {cite:year} the year)."""
    return bool(text) and re.search(rf"(?:^|\s){re.escape(text)}(?:$|\s|[a-z]+$)", label) is not None


def citation_problems(site: Path, bibliography: str = "bibliography.html") -> tuple[int, list[str]]:
    """Check every citation in the text of every page of a built site.

    A citation's label must be at most :data:`~bookbuild.bibstyle.MAX_LABEL_CHARS`
    characters and :data:`~bookbuild.bibstyle.MAX_LABEL_WORDS` words, and link to
    an entry of ``bibliography`` (a page of ``site``) that prints the same label
    (or, for ``{cite:author}`` and ``{cite:year}``, its name or its year).
    Each edition has its own bibliography: a page cites that of the nearest
    folder above it which has one (``fr/bibliography.html`` for the French
    edition's pages). Returns how many citations were checked, and one line
    per problem.
    """
    site = Path(site).resolve()
    books: dict[Path, dict[str, str]] = {}

    def edition_bibliography(page: Path) -> Path:
        folder = page.parent
        while folder != site and not (folder / bibliography).exists():
            folder = folder.parent
        return folder / bibliography

    checked, problems = 0, []
    for page in sorted(p.resolve() for p in site.rglob("*.html") if "_static" not in p.parts):
        name = page.relative_to(site).as_posix()
        target = edition_bibliography(page)
        if target not in books:
            books[target] = bibliography_labels(target.read_text(encoding="utf-8"))
        entries = books[target]
        bibliography_name = target.relative_to(site).as_posix()
        for label, href in in_text_citations(page.read_text(encoding="utf-8")):
            checked += 1
            if len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS:
                problems.append(f"{name}: the label {label!r} is longer than {MAX_LABEL_CHARS} characters "
                                f"or {MAX_LABEL_WORDS} words")
            parts = urlsplit(href)
            linked = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
            if parts.scheme or parts.netloc or linked != target or not parts.fragment:
                problems.append(f"{name}: {label!r} links to {href!r}, not to an entry of {bibliography_name}")
            elif parts.fragment not in entries:
                problems.append(f"{name}: {label!r} links to #{parts.fragment}, which {bibliography_name} does not have")
            elif not _part_of(label, entries[parts.fragment]):
                problems.append(f"{name}: {label!r} links to the entry labelled {entries[parts.fragment]!r}")
    return checked, problems


def main(argv: list[str] | None = None) -> int:
    """Print each chapter's main-path words, its minutes at 150 words a minute and its stated time."""
    argv = sys.argv[1:] if argv is None else argv
    html = Path(argv[0]) if argv else Path("_build/html")
    pages = sorted((html / "chapters").glob("*.html"))
    if not pages:
        print(f"No chapter page under {html / 'chapters'}: build the book first (make book).")
        return 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        n = main_path_words(text)
        print(f"{page.stem:<12} {n:>6} words  {n / WORDS_PER_MINUTE:5.1f} min at {WORDS_PER_MINUTE} wpm"
              f"  stated {stated_minutes(text)} min")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
