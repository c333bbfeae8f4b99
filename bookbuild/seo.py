"""seo: what search engines and link previews read (a Sphinx extension).

* **Descriptions.** Every page gets a meta description: its first real
  paragraph, or ``description:`` from the page's front matter ``html_meta``.
* **Open Graph tags** are written by sphinxext-opengraph (pinned), fed the same
  description and the page's type; pages without a source (search, index,
  404) get them from the same function. ``og:url`` is written only once
  ``html.baseurl`` is set in _config.yml.
* **404 page.** sphinx-notfound-page (pinned) writes ``404.html`` in the book's
  layout with its links absolute; a ``<base>`` tag and ``noindex`` are added.
* **Sitemap.** ``sitemap.xml`` and ``robots.txt`` stay written by hand:
  sphinx-sitemap refuses to write a sitemap until ``html_baseurl`` is set (it
  logs a warning, which fails the strict build), and the book is built without
  one until it is published (see CONTRIBUTING.md).
* **The site's root.** ``index.html`` becomes a page with a title, a language
  and a description instead of a bare one-line redirect.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from docutils import nodes

__version__ = "1.0"
#: Bump when a change here alters the pages written (see bookbuild/assets.py).
ENV_VERSION = 1

# --------------------------------------------------------------------------- descriptions

_SKIP_PARENTS = (nodes.Admonition, nodes.table, nodes.citation, nodes.footnote, nodes.field_list,
                 nodes.line_block, nodes.sidebar, nodes.topic, nodes.definition_list,
                 nodes.bullet_list, nodes.enumerated_list)


def _inside_skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIP_PARENTS):
            return True
        if isinstance(parent, nodes.container) and any(c.startswith("cell") for c in parent.get("classes", [])):
            return True
        parent = parent.parent
    return False


def shorten(text: str, limit: int = 160) -> str:
    """Cut ``text`` at a word boundary so that it fits ``limit`` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.–—- ")
    return cut + "…"


def description_of(doctree: nodes.document | None) -> str:
    """The first paragraph of prose on a page (at least eight words)."""
    if doctree is None:
        return ""
    for para in doctree.findall(nodes.paragraph):
        if _inside_skipped(para):
            continue
        # Raw HTML inside the paragraph (``<span lang="fr">``) is markup, not text.
        text = "".join(t.astext() for t in para.findall(nodes.Text) if not isinstance(t.parent, nodes.raw))
        if len(text.split()) >= 8:
            # Drop citations, short labels such as "[Le Monde 2024; TASS 2024b]" or "[Comparitech n.d.]".
            return shorten(re.sub(r"\s*\[[^\]]*(?:\d{4}[a-z]*|n\.d\.)\]", "", text))
    return ""


_GENERATED = {
    "search": "Search the chapters, the glossary and the sources of the book.",
    "genindex": "Index of the terms defined in the book's glossary.",
    "404": "This page does not exist. Find your way back to the chapters of the book.",
}
#: The same, for the French edition (bookbuild/editions.py).
_GENERATED_FR = {
    "search": "Rechercher dans les chapitres, le glossaire et les sources du livre.",
    "genindex": "Index des termes définis dans le glossaire du livre.",
    "404": "Cette page n’existe pas. Retrouvez le chemin des chapitres du livre.",
}


def _language(app) -> str:
    return "fr" if (app.config.language or "en").startswith("fr") else "en"


def generated(app) -> dict[str, str]:
    """The descriptions of the pages that have no source, in the edition's language."""
    return _GENERATED_FR if _language(app) == "fr" else _GENERATED


def meta(name: str, content: str) -> str:
    """A ``<meta name=... content=...>`` tag."""
    return f'<meta name="{name}" content="{html.escape(content, quote=True)}" />\n'


def _base_url(app) -> str:
    base = (app.config.html_baseurl or "").strip()
    return base if not base or base.endswith("/") else base + "/"


def write_sitemap_and_robots(app) -> None:
    """sitemap.xml of the book's pages, and robots.txt that points to it.

    The sitemap protocol wants absolute addresses; they come from
    ``html.baseurl`` in _config.yml. Until that is set the sitemap lists
    addresses relative to the site's root.
    """
    base = _base_url(app)
    out = Path(app.outdir)
    pages = sorted(d for d in app.env.found_docs if d not in {"404"})
    targets = [app.builder.get_target_uri(d) for d in pages]
    # Pages written by an extension, not from a source (bookbuild/slides.py: "slides/").
    targets += sorted(getattr(app, "durov_extra_pages", []))
    urls = "".join(f"  <url><loc>{xml_escape(base + t)}</loc></url>\n" for t in targets)
    (out / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n",
        encoding="utf-8")
    robots = "User-agent: *\nAllow: /\n"
    if base:
        robots += f"Sitemap: {base}sitemap.xml\n"
    (out / "robots.txt").write_text(robots, encoding="utf-8")


# --------------------------------------------------------------------------- 404 page

_NOT_FOUND_BODY = """
<section id="page-not-found">
<h1>Page not found</h1>
<p>There is no page at this address. It may have moved when the book was
reorganised, or the address may have a typing mistake.</p>
<ul>
<li><a href="{home}">Go to the start of the book</a>, which lists every chapter.</li>
<li><a href="{search}">Search the book</a> for a word or a name.</li>
</ul>
</section>
"""

_NOT_FOUND_BODY_FR = """
<section id="page-not-found">
<h1>Page introuvable</h1>
<p>Il n’y a pas de page à cette adresse. Elle a peut-être changé de place quand
le livre a été réorganisé, ou l’adresse contient une faute de frappe.</p>
<ul>
<li><a href="{home}">Aller au début du livre</a>, qui présente tous les chapitres.</li>
<li><a href="{search}">Chercher dans le livre</a> un mot ou un nom.</li>
</ul>
</section>
"""


def site_root(app) -> str:
    """The path of the edition's root on its host: ``/`` (``/fr/``) until ``html.baseurl`` names a folder."""
    from bookbuild.editions import site_prefix

    return urlsplit(_base_url(app)).path or "/" + site_prefix(_language(app))


def on_config_inited(app, config):
    """Point sphinxext-opengraph and sphinx-notfound-page at the book's address and 404 text."""
    config.ogp_site_url = config.ogp_site_url or _base_url(app)
    root = site_root(app)
    config.notfound_urls_prefix = root
    french = _language(app) == "fr"
    config.notfound_context = {
        "title": "Page introuvable" if french else "Page not found",
        "body": (_NOT_FOUND_BODY_FR if french else _NOT_FOUND_BODY).format(
            home=f"{root}{config.root_doc}.html", search=f"{root}search.html"),
    }


# --------------------------------------------------------------------------- events


def open_graph(app, context, doctree) -> str:
    """The Open Graph tags of a page, by sphinxext-opengraph (a page without a doctree gets an empty one)."""
    from docutils.utils import new_document
    from sphinxext.opengraph import get_tags

    if doctree is None:
        doctree = new_document("")
    # A generated page may have no title (sphinxext-opengraph needs one): the site's name.
    site = context.get("docstitle") or app.config.html_title or app.config.project
    context = dict(context, title=context.get("title") or html.escape(site))
    return get_tags(context, doctree, srcdir=app.srcdir, outdir=app.outdir, config=app.config,
                    builder=app.builder, env=app.env)


def on_page_context(app, pagename, templatename, context, doctree):
    # docutils adds a viewport tag that Sphinx's layout already writes.
    metatags = re.sub(r'<meta name="viewport"[^>]*>\s*', "", context.get("metatags", ""))
    site = context.get("docstitle") or app.config.html_title or app.config.project
    description = description_of(doctree) or generated(app).get(pagename, "")
    if not description:
        description = shorten(site + ": " + (context.get("title") or pagename))
    if 'name="description"' not in metatags:
        metatags += meta("description", description)
    # sphinxext-opengraph takes og: fields from the page's metadata (escaped: it only escapes quotes).
    context["meta"] = dict(context.get("meta") or {}, **{
        "og:description": html.escape(description, quote=False),
        "og:type": "article" if pagename.startswith("chapters/") else "website",
        "og:site_name": html.escape(site, quote=False),
    })
    context["metatags"] = metatags
    if doctree is None:  # sphinxext-opengraph writes nothing for a page without one
        context["metatags"] += open_graph(app, context, doctree)


def on_page_tags(app, pagename, templatename, context, doctree):
    """After sphinxext-opengraph: no ``og:url`` without the site's address; the 404 page's extras."""
    metatags = context.get("metatags", "")
    if not _base_url(app) or pagename == "404":
        metatags = re.sub(r'<meta property="og:url"[^>]*>\n?', "", metatags)
    if pagename == "404":
        # Served for any missing address, at any depth: resolve links from the root.
        metatags = f'<base href="{html.escape(site_root(app))}" />\n' + metatags + meta("robots", "noindex")
    context["metatags"] = metatags


#: The opening of a page the book writes by hand, outside Sphinx's templates
#: (the root's redirect, the slides): language, title, description and the
#: Open Graph tags a link preview reads. Fields: lang, title, description.
STANDALONE_HEAD = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
<meta name="description" content="{description}" />
<meta property="og:title" content="{title}" />
<meta property="og:description" content="{description}" />
<meta property="og:type" content="website" />
"""

_REDIRECT = STANDALONE_HEAD + """<meta http-equiv="refresh" content="0; url={target}" />
</head>
<body>
<p><a href="{target}">{title}{go}</a>.</p>
</body>
</html>
"""


def write_index_redirect(app) -> None:
    """Replace the bare one-line redirect that index.html otherwise is.

    A page with no title, language or description is what a reader (and a
    search engine) meets first at the site's root.
    """
    if "index" in app.env.found_docs:
        return
    root = app.config.root_doc
    title = app.config.html_title or app.config.project
    description = generated(app).get("index") or shorten(
        description_of(app.env.get_doctree(root)) or title)
    (Path(app.outdir) / "index.html").write_text(_REDIRECT.format(
        lang=html.escape(app.config.language or "en"), title=html.escape(title),
        go=" : aller au début du livre" if _language(app) == "fr" else ": go to the start of the book",
        description=html.escape(description), target=html.escape(app.builder.get_target_uri(root))),
        encoding="utf-8")


def on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    write_sitemap_and_robots(app)
    write_index_redirect(app)


def setup(app):
    app.setup_extension("sphinxext.opengraph")
    app.setup_extension("notfound.extension")
    app.connect("config-inited", on_config_inited)
    # Before sphinxext-opengraph (500) and after it.
    app.connect("html-page-context", on_page_context, priority=450)
    app.connect("html-page-context", on_page_tags, priority=600)
    # After sphinx-external-toc has written its one-line index.html.
    app.connect("build-finished", on_build_finished, priority=900)
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
