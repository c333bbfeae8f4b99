"""durovsite: a small Sphinx extension that fixes what the stock theme gets wrong.

Jupyter Book 1 with sphinx-book-theme 1.3 / pydata-sphinx-theme 0.17 ships pages
that a browser and axe-core find fault with. This extension, loaded from
``_config.yml``, fixes them without touching site-packages:

* **Console errors.** sphinx-thebe's configuration script is added twice
  (``const THEBE_JS_URL`` declared twice: a SyntaxError on every page) although
  Thebe is off; its scripts and stylesheet are dropped. The theme's mode script
  receives an empty ``default_mode``; it gets ``auto``.
* **Weight.** ``fontawesome.js`` (1.5 MB raw) is no longer loaded (see
  ``_templates/webpack-macros.html``). The few icons the pages use are written
  as a small CSS file of SVG masks, taken at build time from the theme's own
  Font Awesome Free data (icons CC BY 4.0, fontawesome.com/license/free).
* **Citation ARIA.** docutils gives each citation ``role="doc-biblioentry"``
  (deprecated) inside a ``role="list"`` with no list items (axe: critical).
  Citations become list items.
* **Language of parts.** A source whose title is French gets that title tagged
  ``lang="fr"`` in the bibliography.
* **SEO and sharing.** Every page gets a meta description (its first real
  paragraph, or ``description:`` from the page's front matter ``html_meta``) and
  Open Graph tags; the site gets ``sitemap.xml``, ``robots.txt`` and a
  ``404.html`` that works from any path.
* **Lazy figures.** Images get ``loading="lazy"``: below the first screen they
  no longer compete with the stylesheets for a slow link.
* **Colour theme at once.** On a first visit the theme's head script sets
  ``data-theme="auto"``, which neither theme's colours match; its main script
  picks light or dark only after the whole page is parsed, so the page was
  styled twice (and could flash light before turning dark). A one-line head
  script picks light or dark from ``prefers-color-scheme`` before the body is
  parsed (Chromium's style recalculation on a chapter: 237 ms to 125 ms).
* **No CDN.** The book ships no MathJax, so math is refused with a build warning
  (which fails the strict build) instead of loading MathJax from a CDN.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

__version__ = "1.0"
#: Bump when a change here alters the pages written: Sphinx then rereads and
#: rewrites every page (a no-change rebuild does not rewrite pages otherwise).
ENV_VERSION = 7

ICON_CSS = "durovsite-icons.css"
SITE_CSS = "durovsite.css"

# --------------------------------------------------------------------------- scripts

_THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe.js", "thebe@")


def _is_thebe(asset) -> bool:
    text = str(getattr(asset, "filename", asset)) + " " + str(getattr(asset, "attributes", {}).get("body", ""))
    return any(m in text for m in _THEBE_MARKERS)


#: Scripts that other scripts use as soon as they run, so they cannot wait:
#: inline scripts set ``DOCUMENTATION_OPTIONS`` fields, and the search page's
#: searchtools.js (loaded without defer by Sphinx's search template) calls
#: doctools.js's ``_ready`` at once.
_KEEP_BLOCKING = {"documentation_options.js", "doctools.js"}


def _deferred(js):
    """The same script, loaded with ``defer`` so that it no longer blocks rendering."""
    from sphinx.builders.html._assets import _JavaScript

    filename = getattr(js, "filename", None)
    attributes = dict(getattr(js, "attributes", {}))
    if (not isinstance(js, _JavaScript) or not filename or "body" in attributes or "async" in attributes
            or "defer" in attributes or filename.rsplit("/", 1)[-1] in _KEEP_BLOCKING):
        return js
    return _JavaScript(filename, priority=js.priority, defer="defer", **attributes)


def _clean_assets(context: dict) -> None:
    """Drop Thebe's assets and duplicates; defer scripts that can wait."""
    seen = set()
    scripts = []
    for js in context.get("script_files", []):
        if _is_thebe(js):
            continue
        key = (str(getattr(js, "filename", js)), str(getattr(js, "attributes", {}).get("body", "")))
        if key in seen:
            continue
        seen.add(key)
        scripts.append(_deferred(js))
    context["script_files"] = scripts
    css, seen = [], set()
    for c in context.get("css_files", []):
        name = str(getattr(c, "filename", c))
        if "sphinx-thebe" not in name and name not in seen:
            seen.add(name)
            css.append(c)
    context["css_files"] = css


#: Runs in the head, after the theme's own script: a stored choice stays, "auto"
#: becomes the reader's system preference.
THEME_JS = ("(function () { var d = document.documentElement.dataset;"
            " if (d.theme !== 'light' && d.theme !== 'dark') {"
            " d.theme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'; } })();")


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
            # Drop author-year citations such as "[Associated Press, 2024]".
            return shorten(re.sub(r"\s*\[[^\]]*\d{4}[a-z]?\]", "", text))
    return ""


_GENERATED = {
    "search": "Search the chapters, the glossary and the sources of the book.",
    "genindex": "Index of the terms defined in the book's glossary.",
    "404": "This page does not exist. Find your way back to the chapters of the book.",
}


def _meta(name: str, content: str, prop: bool = False) -> str:
    attr = "property" if prop else "name"
    return f'<meta {attr}="{name}" content="{html.escape(content, quote=True)}" />\n'


# --------------------------------------------------------------------------- navigation

def label_toggles(nav):
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
        summary["aria-label"] = f"Sections of {title}" if title else "Sections"
    return str(soup) if isinstance(nav, str) else soup


def _labelled(generate):
    def wrapper(*args, **kwargs):
        return label_toggles(generate(*args, **kwargs))

    return wrapper


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


_FRENCH = set("""le la les des du une est et que qui dans pour pas sur avec au aux ce cette ces il
    elle ils nous vous son sa ses leur leurs été être sont mais où par ne se qu d l c n j lui ont
    fait selon contre depuis entre sous après très""".split())
_ENGLISH = set("""the and of to is in that for with was on as by his he it from at this be are has
    which not an or have were its their they been after said will""".split())


def is_french(text: str) -> bool:
    """True for a title written in French (by its function words)."""
    words = re.findall(r"[a-zà-öø-ÿœ]+", text.lower().replace("’", "'"))
    fr = sum(w in _FRENCH for w in words)
    en = sum(w in _ENGLISH for w in words)
    return len(words) >= 3 and fr >= 2 and fr > 2 * en


def tag_french_titles(doctree: nodes.document) -> None:
    """Wrap each French sentence of a bibliography entry in ``<span lang="fr">``."""
    for citation in doctree.findall(nodes.citation):
        for text in list(citation.findall(nodes.Text)):
            if isinstance(text.parent, (nodes.reference, nodes.label, nodes.literal)):
                continue
            parts = re.split(r"(?<=[.!?])(\s+)", str(text))
            if not any(is_french(p) for p in parts):
                continue
            new = []
            for part in parts:
                if is_french(part):
                    new.append(nodes.inline(part, part, classes=["language-fr"]))
                elif part:
                    new.append(nodes.Text(part))
            text.parent.replace(text, new)


# --------------------------------------------------------------------------- icons

_ICON_ENTRY = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z0-9]+)):\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]*","(M[^"]+)"\]')
_PACK = re.compile(r'var p=\{(.*?)\};.{0,400}?\(function\(\)\{d\("(fa[srb])",p\)', re.S)
_FAMILY = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far", "fa-brands": "fab", "fab": "fab"}
_MODIFIERS = {"fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-2xl", "fa-fw", "fa-2x", "fa-3x", "fa-spin", "fa-pulse",
              "fa-solid", "fa-regular", "fa-brands"}
#: Icons that scripts create at run time (pydata-sphinx-theme's banner close button).
_SCRIPT_ICONS = {("fas", "xmark")}


def font_awesome_icons(js: str) -> dict[str, dict[str, tuple[int, int, str]]]:
    """Parse the icon packs out of the theme's fontawesome.js: family -> name -> (w, h, path)."""
    packs: dict[str, dict[str, tuple[int, int, str]]] = {}
    for body, family in _PACK.findall(js):
        icons = packs.setdefault(family, {})
        for quoted, bare, w, h, aliases, path in _ICON_ENTRY.findall(body):
            entry = (int(w), int(h), path)
            icons[quoted or bare] = entry
            for alias in re.findall(r'"([a-z0-9-]+)"', aliases):
                icons.setdefault(alias, entry)
    return packs


def used_icons(html_files) -> set[tuple[str, str]]:
    """(family, name) of every Font Awesome icon that a page's HTML asks for."""
    used = set(_SCRIPT_ICONS)
    for f in html_files:
        for classes in re.findall(r'class="([^"]*\bfa[a-z-]*\b[^"]*)"', f.read_text(encoding="utf-8")):
            names = classes.split()
            family = next((_FAMILY[c] for c in names if c in _FAMILY), None)
            if family is None:
                continue
            for c in names:
                if c.startswith("fa-") and c not in _MODIFIERS:
                    used.add((family, c[3:]))
    return used


def icon_css(used: set[tuple[str, str]], packs) -> tuple[str, list[str]]:
    """The CSS that draws ``used`` icons as SVG masks, and the names not found."""
    prefix = {"fas": ".fa-solid,.fas", "far": ".fa-regular,.far", "fab": ".fa-brands,.fab"}
    lines = [
        "/* Generated by bookbuild/durovsite.py from pydata-sphinx-theme's Font Awesome Free data.",
        "   Icons: Font Awesome Free by @fontawesome, CC BY 4.0 (https://fontawesome.com/license/free). */",
        ".fa-solid::before,.fas::before,.fa-regular::before,.far::before,.fa-brands::before,.fab::before{"
        'content:"";display:inline-block;height:1em;width:var(--fa-w,1em);vertical-align:-.125em;'
        "background-color:currentColor;-webkit-mask:var(--fa-i) no-repeat center/contain;"
        "mask:var(--fa-i) no-repeat center/contain}",
        ".fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.075em}",
        ".fa-fw::before{width:1.25em}",
    ]
    missing = []
    for family, name in sorted(used):
        found = packs.get(family, {}).get(name)
        if found is None:
            missing.append(f"{family} {name}")
            continue
        w, h, path = found
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}'><path d='{path}'/></svg>"
        selector = ",".join(f"{p}.fa-{name}" for p in prefix[family].split(","))
        lines.append(f'{selector}{{--fa-i:url("data:image/svg+xml,{quote(svg, safe=" /=:,.-")}");'
                     f"--fa-w:{w / h:.4f}em}}")
    return "\n".join(lines) + "\n", missing


_GLYPH = re.compile(r'(?:content|--[a-z0-9-]+)\s*:\s*"(?:\\([ef][0-9a-f]{3})|([\ue000-\uf8ff]))"')
_ICON_CLASS_RULE = re.compile(r"\.fa-[a-z0-9-]+::?(?:before|after)")


def glyphs_in_css(css: str) -> set[int]:
    """Font Awesome code points that theme rules draw with the web font.

    Rules that only give an icon class its glyph (``.fa-bars:before``) are left
    out: our masks draw those. What stays are the theme's own uses: admonition
    titles, download links, the dropdown chevron.
    """
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = set()
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if all(_ICON_CLASS_RULE.fullmatch(s.strip()) for s in selector.split(",")):
            continue
        for escaped, raw in _GLYPH.findall(body):
            found.add(int(escaped, 16) if escaped else ord(raw))
    return found


def font_subsets(static: Path) -> str:
    """Subset the theme's Font Awesome web fonts to the glyphs its CSS uses.

    pydata-sphinx-theme's stylesheet declares the full fonts (fa-solid-900 is
    150 kB); the same @font-face declared later, pointing at a subset of a few
    kB, is the one the browser uses.
    """
    import logging as std_logging

    from fontTools import subset

    # fontTools logs every table it prunes at INFO level into the build output.
    std_logging.getLogger("fontTools").setLevel(std_logging.WARNING)
    sheets = [p for p in [*static.glob("*.css"), *static.glob("styles/*.css")] if p.name != ICON_CSS]
    codepoints = set().union(*(glyphs_in_css(p.read_text(encoding="utf-8")) for p in sheets))
    faces = []
    for weight, name in ((900, "fa-solid-900"), (400, "fa-regular-400")):
        source = static / "vendor" / "fontawesome" / "webfonts" / f"{name}.ttf"
        if not source.exists() or not codepoints:
            continue
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        options.name_IDs = ["*"]  # keep the licence and copyright notices
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        subset.save_font(font, str(static / f"durovsite-{name}.woff"), options)
        faces.append('@font-face{font-display:block;font-family:"Font Awesome 6 Free";font-style:normal;'
                     f'font-weight:{weight};src:url(durovsite-{name}.woff) format("woff")}}')
    return "\n".join(faces) + "\n"


def write_icon_css(app) -> None:
    import pydata_sphinx_theme

    fa = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"
    out = Path(app.outdir)
    packs = font_awesome_icons(fa.read_text(encoding="utf-8"))
    css, missing = icon_css(used_icons(out.rglob("*.html")), packs)
    for name in missing:
        logger.warning("durovsite: the icon '%s' is not in the theme's Font Awesome data", name)
    css += font_subsets(out / "_static")
    (out / "_static" / ICON_CSS).write_text(css, encoding="utf-8")


# --------------------------------------------------------------------------- site files

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
    urls = "".join(f"  <url><loc>{xml_escape(base + app.builder.get_target_uri(d))}</loc></url>\n" for d in pages)
    (out / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n",
        encoding="utf-8")
    robots = "User-agent: *\nAllow: /\n"
    if base:
        robots += f"Sitemap: {base}sitemap.xml\n"
    (out / "robots.txt").write_text(robots, encoding="utf-8")


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


def collect_404(app):
    """A 404 page in the book's layout; its links work from any missing path."""
    if app.builder.format != "html":
        return
    root = app.config.root_doc
    yield "404", {
        "title": "Page not found",
        "body": _NOT_FOUND_BODY.format(home=f"{root}.html", search="search.html"),
    }, "page.html"


# --------------------------------------------------------------------------- events

def on_page_context(app, pagename, templatename, context, doctree):
    _clean_assets(context)
    if callable(context.get("generate_toctree_html")):
        context["generate_toctree_html"] = _labelled(context["generate_toctree_html"])
    if not context.get("default_mode"):
        context["default_mode"] = "auto"

    # docutils adds a viewport tag that Sphinx's layout already writes.
    metatags = re.sub(r'<meta name="viewport"[^>]*>\s*', "", context.get("metatags", ""))
    site = context.get("docstitle") or app.config.html_title or app.config.project
    description = description_of(doctree) or _GENERATED.get(pagename, "")
    if not description:
        description = shorten(site + ": " + (context.get("title") or pagename))
    tags = ""
    if 'name="description"' not in metatags:
        tags += _meta("description", description)
    title = re.sub(r"<[^>]+>", "", context.get("title") or "")
    tags += _meta("og:title", html.unescape(title) or site, prop=True)
    tags += _meta("og:description", description, prop=True)
    tags += _meta("og:type", "article" if pagename.startswith("chapters/") else "website", prop=True)
    tags += _meta("og:site_name", site, prop=True)
    tags += _meta("twitter:card", "summary")
    base = _base_url(app)
    if base and pagename != "404":
        tags += _meta("og:url", base + app.builder.get_target_uri(pagename), prop=True)
    if pagename == "404":
        # Served for any missing address, at any depth: resolve links from the root.
        root = urlsplit(base).path or "/"
        tags = f'<base href="{html.escape(root)}" />\n' + tags + _meta("robots", "noindex")
    context["metatags"] = metatags + tags


def on_doctree_resolved(app, doctree, docname):
    for node in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
        logger.warning(
            "durovsite: this book ships no MathJax, and loading it from a CDN would track readers; "
            "write the formula in words, as code, or as a figure", location=node)
    tag_french_titles(doctree)
    lazy_images(doctree)


def lazy_images(doctree: nodes.document) -> None:
    """Give every image ``loading="lazy"`` (unless it already says otherwise).

    On a phone the figures lie below the first screen, yet the browser fetched
    them (about 70 kB each) at once, sharing a slow link with the stylesheets
    that the first paint waits for: Lighthouse put the largest contentful paint
    of the chapters with figures at 3.0-3.1 s, and at 2.3-2.4 s with lazy
    figures (or none). The browser fetches a lazy image when it nears the
    viewport.
    """
    for image in doctree.findall(nodes.image):
        image.setdefault("loading", "lazy")


_REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
<meta name="description" content="{description}" />
<meta property="og:title" content="{title}" />
<meta property="og:description" content="{description}" />
<meta property="og:type" content="website" />
<meta http-equiv="refresh" content="0; url={target}" />
</head>
<body>
<p><a href="{target}">{title}: go to the start of the book</a>.</p>
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
    description = _GENERATED.get("index") or shorten(
        description_of(app.env.get_doctree(root)) or title)
    (Path(app.outdir) / "index.html").write_text(_REDIRECT.format(
        lang=html.escape(app.config.language or "en"), title=html.escape(title),
        description=html.escape(description), target=html.escape(app.builder.get_target_uri(root))),
        encoding="utf-8")


def on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    write_icon_css(app)
    write_sitemap_and_robots(app)
    write_index_redirect(app)


def setup(app):
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_css_file(ICON_CSS)
    app.add_css_file(SITE_CSS)
    app.add_js_file(None, body=THEME_JS, priority=100)
    app.connect("html-page-context", on_page_context, priority=900)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("html-collect-pages", collect_404)
    # After sphinx-external-toc has written its one-line index.html.
    app.connect("build-finished", on_build_finished, priority=900)
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
