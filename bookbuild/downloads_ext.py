"""downloads_ext: the printable files on the website (a Sphinx extension).

``make print`` (:mod:`bookbuild.printkit`) writes the handouts, the slides,
the whole book as PDF and as EPUB into ``_build/print/``, from the built site,
and then builds the site once more. The directive

    ```{print-downloads}
    ```

(on the landing page and in the teacher guide) lists those of the files that
exist, each with its size and page count, and the build copies them into the
site's ``downloads/`` folder. So a link is only made to a file the site holds:

* after ``make print``, the site links every file it made;
* after ``make book`` alone (a fresh clone), the list says that this copy of
  the website was built without the printable files, and links nothing;
* in the EPUB itself, the list only says that the website offers the files.

When the set of files changes, the pages with the directive are read again
(``env-get-outdated``), so a rebuild with nothing else changed updates them.

Each edition lists its own files: the English site the English ones of
``_build/print/``, the French site (``fr/``, built in ``_build/fr/_build/html``)
the French ones of ``_build/print/fr/``, in French (:data:`WORDS`), copied into
its own ``downloads/`` (so ``/fr/downloads/`` of the site).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from bookbuild import printkit

logger = logging.getLogger(__name__)

__version__ = "1.0"

FOLDER = "downloads"

NONE_YET = ("This copy of the website was built without its printable files (the handouts, the slides, and the "
            "whole book as PDF and EPUB). Whoever builds it makes them with the command make print.")
IN_EPUB = "The website of this book offers the handouts, the slides, and the whole book as PDF and EPUB files."
#: The same in the French edition, whose printable files are in ``_build/print/fr``.
NONE_YET_FR = ("Cette copie du site a été construite sans ses fichiers imprimables en français (les fiches, les "
               "diapositives, et le livre entier en PDF et en EPUB). Qui la construit les obtient avec la commande "
               "make print.")
IN_EPUB_FR = "Le site de ce livre propose les fiches, les diapositives, et le livre entier en PDF et en EPUB."


class print_downloads(nodes.General, nodes.Element):
    """Where the list of printable files goes; filled in when the page is written."""


class PrintDownloads(SphinxDirective):
    has_content = False

    def run(self):
        docs = getattr(self.env, "print_downloads_docs", set())
        docs.add(self.env.docname)
        self.env.print_downloads_docs = docs
        return [print_downloads("")]


def _language(app) -> str:
    return "fr" if (app.config.language or "en").startswith("fr") else "en"


def print_folder(app) -> Path:
    """Where `make print` wrote the files for this build: ``_build/print`` beside ``_build/html``.

    The French edition is built in ``_build/fr/_build/html`` (bookbuild/editions.py);
    its files are those of the same ``_build/print`` (in its ``fr/``).
    """
    out = Path(app.outdir)
    if _language(app) == "fr" and out.parent.parent.name == "fr" and out.parent.parent.parent.name == "_build":
        return out.parents[2] / "print"
    return out.parent / "print"


def present(folder: Path, lang: str = "en") -> list[printkit.Item]:
    """The entries of :data:`bookbuild.printkit.ITEMS` in ``lang`` whose file is in ``folder``, in the table's order.

    ``folder`` is `make print`'s folder: a French entry's file is in its ``fr/``.
    """
    return [entry for entry in printkit.ITEMS if entry.lang == lang and (Path(folder) / entry.name).is_file()]


def _state(folder: Path, lang: str = "en") -> tuple:
    return tuple((e.name, (folder / e.name).stat().st_size, (folder / e.name).stat().st_mtime_ns)
                 for e in present(folder, lang))


def describe(path: Path, lang: str = "en") -> str:
    """``PDF, 3 pages, 120 kB`` or ``EPUB, 2.1 MB`` (in French ``PDF, 3 pages, 120 ko``, ``EPUB, 2,1 Mo``)."""
    size = printkit.size_text(path.stat().st_size)
    if lang == "fr":
        size = size.replace("kB", "ko").replace("MB", "Mo").replace(".", ",")
    if path.suffix == ".pdf":
        pages = printkit.pdf_pages(path)
        return f"PDF, {pages} page{'s' if pages != 1 else ''}, {size}"
    return f"{path.suffix.lstrip('.').upper()}, {size}"


def listing(entries: list[printkit.Item], folder: Path, prefix: str, lang: str = "en") -> str:
    """The HTML list of ``entries``, linked to ``prefix`` + ``downloads/<file>``."""
    import html

    items = "".join(f'<li><a href="{prefix}{FOLDER}/{e.file}" download>{html.escape(e.title)}</a> '
                    f'({describe(folder / e.name, lang)})</li>' for e in entries)
    return f'<div class="print-downloads"><ul>{items}</ul></div>'


def outdated(app, env, added, changed, removed):
    state = _state(print_folder(app), _language(app))
    if getattr(env, "print_downloads_state", None) == state:
        return []
    env.print_downloads_state = state
    return sorted(getattr(env, "print_downloads_docs", set()) - set(removed))


def purge(app, env, docname):
    getattr(env, "print_downloads_docs", set()).discard(docname)


def merge(app, env, docnames, other):
    env.print_downloads_docs = (getattr(env, "print_downloads_docs", set())
                                | (getattr(other, "print_downloads_docs", set()) & set(docnames)))


def fill(app, doctree, docname):
    folder = print_folder(app)
    lang = _language(app)
    french = lang == "fr"
    for node in list(doctree.findall(print_downloads)):
        if app.builder.name != "html":
            node.replace_self(nodes.paragraph("", IN_EPUB_FR if french else IN_EPUB))
            continue
        entries = present(folder, lang)
        if not entries:
            node.replace_self(nodes.paragraph("", NONE_YET_FR if french else NONE_YET, classes=["print-downloads"]))
            continue
        prefix = "../" * docname.count("/")
        node.replace_self(nodes.raw("", listing(entries, folder, prefix, lang), format="html"))


def copy_files(app, exception):
    """Put the printable files into the site's ``downloads/``, and remove those `make print` no longer has."""
    if exception is not None or app.builder.name != "html":
        return
    folder, target, lang = print_folder(app), Path(app.outdir) / FOLDER, _language(app)
    entries = present(folder, lang)
    for entry in printkit.ITEMS:
        if entry.lang == lang and entry not in entries and (target / entry.file).exists():
            (target / entry.file).unlink()
    if entries:
        target.mkdir(exist_ok=True)
        for entry in entries:
            shutil.copyfile(folder / entry.name, target / entry.file)
        logger.info(f"downloads: copied {len(entries)} printable file(s) into {FOLDER}/")


def setup(app):
    app.add_node(print_downloads)
    app.add_directive("print-downloads", PrintDownloads)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-resolved", fill)
    app.connect("build-finished", copy_files)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
