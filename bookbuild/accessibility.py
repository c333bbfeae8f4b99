"""accessibility: what axe-core and a screen reader find fault with in the stock theme (a Sphinx extension).

* **Citation ARIA.** docutils gives each citation ``role="doc-biblioentry"``
  (deprecated) inside a ``role="list"`` with no list items (axe: critical).
  Citations become list items.
* **Sidebar toggles.** The theme's toggle of a chapter's sections is a
  ``<summary>`` with no name (axe: summary-name); it is named after its chapter.
* **Language of parts.** The title of a source marked ``langid = {french}`` in
  ``references.bib`` is tagged ``lang="fr"`` in the bibliography of the
  English edition; in the French edition, a title marked ``langid = {english}``
  is tagged ``lang="en"`` (a title in the page's own language is not tagged).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

__version__ = "1.0"
#: Bump when a change here alters the pages written (see bookbuild/assets.py).
ENV_VERSION = 1

# --------------------------------------------------------------------------- citations


def visit_citation(self, node):
    # A list of citations is a list, and each citation one of its items; the
    # DPUB role doc-biblioentry is deprecated and invalid inside role="list".
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node):
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


# --------------------------------------------------------------------------- navigation


#: The name of a chapter's sidebar toggle, by the page's language.
SECTIONS_OF = {"en": "Sections of %s", "fr": "Sections de %s"}


def label_toggles(nav, language: str = "en"):
    """Name each sidebar toggle after its chapter.

    pydata-sphinx-theme opens a chapter's sections with a ``<summary>`` that
    holds only a decorative chevron, so a screen reader announces nothing
    (axe: summary-name, on every page once a chapter has sections). ``nav`` is
    the theme's BeautifulSoup tree (changed in place and returned) or HTML text.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(nav, "html.parser") if isinstance(nav, str) else nav
    for summary in soup.find_all("summary"):
        if summary.get("aria-label") or summary.get_text(strip=True):
            continue
        link = summary.parent.find_previous_sibling("a") if summary.parent is not None else None
        title = link.get_text(" ", strip=True) if link is not None else ""
        summary["aria-label"] = (SECTIONS_OF[language] % title) if title else "Sections"
    return str(soup) if isinstance(nav, str) else soup


def _labelled(generate, language: str = "en"):
    def wrapper(*args, **kwargs):
        return label_toggles(generate(*args, **kwargs), language)

    return wrapper


# --------------------------------------------------------------------------- languages

#: BibTeX's ``langid`` value -> the HTML language code.
LANGUAGES = {"french": "fr", "english": "en"}


def title_text(entry) -> str:
    """An entry's title as the bibliography prints it (braces of protected words removed)."""
    from pybtex.richtext import Text

    return str(Text.from_latex(entry.fields.get("title", "")))


def titles_by_language(citations, page_language: str = "en") -> dict[str, tuple[str, str]]:
    """Citation id -> (title, language code) of every cited entry whose ``langid`` we tag.

    ``citations`` are sphinxcontrib-bibtex's (``citation_id``, ``entry``, ...);
    a title in ``page_language`` (the edition's) needs no tag.
    """
    found = {}
    for citation in citations:
        language = LANGUAGES.get(citation.entry.fields.get("langid", "").strip().lower())
        if language and language != page_language:
            found[citation.citation_id] = (title_text(citation.entry), language)
    return found


def _text_runs(element: nodes.Element):
    """Each run of consecutive Text children of ``element`` and of its descendants, as a list of nodes.

    pybtex writes a title in several Text nodes when part of it is protected
    by braces (``{Telegram}``).
    """
    run = []
    for child in list(element.children):
        if isinstance(child, nodes.Text):
            run.append(child)
            continue
        if run:
            yield run
            run = []
        if not isinstance(child, (nodes.reference, nodes.label, nodes.literal)) and isinstance(child, nodes.Element):
            yield from _text_runs(child)
    if run:
        yield run


def tag_titles(doctree: nodes.document, titles: dict[str, tuple[str, str]]) -> list[str]:
    """Wrap each title of ``titles`` (by citation id) in ``<span lang="...">``; return the ids not found."""
    missing = []
    for citation in doctree.findall(nodes.citation):
        ident = next((i for i in citation["ids"] if i in titles), None)
        if ident is None:
            continue
        title, language = titles[ident]
        for run in _text_runs(citation):
            text = "".join(run)
            if title not in text:
                continue
            before, after = text.split(title, 1)
            new = [nodes.Text(before)] if before else []
            new.append(nodes.inline(title, title, classes=[f"language-{language}"]))
            new += [nodes.Text(after)] if after else []
            parent = run[0].parent
            index = parent.index(run[0])
            for node in run:
                parent.remove(node)
            parent[index:index] = new
            break
        else:
            missing.append(ident)
    return missing


def on_doctree_resolved(app, doctree, docname):
    domain = app.env.get_domain("cite") if "cite" in app.env.domains else None
    titles = titles_by_language(getattr(domain, "citations", []), _page_language(app))
    for ident in tag_titles(doctree, titles):
        logger.warning("durovsite: the title of the source cited as %s is not in its bibliography entry",
                       ident, location=docname)


def _page_language(app) -> str:
    return (app.config.language or "en").split("_")[0].split("-")[0]


def on_page_context(app, pagename, templatename, context, doctree):
    if callable(context.get("generate_toctree_html")):
        context["generate_toctree_html"] = _labelled(context["generate_toctree_html"],
                                                     "fr" if _page_language(app) == "fr" else "en")


def setup(app):
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.connect("html-page-context", on_page_context, priority=900)
    # After sphinxcontrib-bibtex has written the bibliography's citations.
    app.connect("doctree-resolved", on_doctree_resolved, priority=900)
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
