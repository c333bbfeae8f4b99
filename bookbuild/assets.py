"""assets: what a page loads, and nothing from another host (a Sphinx extension).

Jupyter Book 1 with sphinx-book-theme 1.3 / pydata-sphinx-theme 0.17 ships
pages that a browser finds fault with, and that load more than they show:

* **Console errors.** sphinx-thebe's configuration script is added twice
  (``const THEBE_JS_URL`` declared twice: a SyntaxError on every page) although
  Thebe is off; its scripts and stylesheet are dropped. The theme's mode script
  receives an empty ``default_mode``; it gets ``auto``.
* **Blocking scripts.** Scripts that can wait are loaded with ``defer``.
* **Colour theme at once.** On a first visit the theme's head script sets
  ``data-theme="auto"``, which neither theme's colours match; its main script
  picks light or dark only after the whole page is parsed, so the page was
  styled twice (and could flash light before turning dark). A one-line head
  script picks light or dark from ``prefers-color-scheme`` before the body is
  parsed (Chromium's style recalculation on a chapter: 237 ms to 125 ms).
* **Lazy figures.** Images get ``loading="lazy"``: below the first screen they
  no longer compete with the stylesheets for a slow link.
* **No CDN.** The book ships no MathJax, so math is refused with a build warning
  (which fails the strict build) instead of loading MathJax from a CDN.

The book's own stylesheet, ``_static/durovsite.css``, is added to every page.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

__version__ = "1.0"
#: Bump when a change here alters the pages written: Sphinx then rereads and
#: rewrites every page (a no-change rebuild does not rewrite pages otherwise).
ENV_VERSION = 1

SITE_CSS = "durovsite.css"

_THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe.js", "thebe@")


def _is_thebe(asset) -> bool:
    text = str(getattr(asset, "filename", asset)) + " " + str(getattr(asset, "attributes", {}).get("body", ""))
    return any(m in text for m in _THEBE_MARKERS)


#: Scripts that other scripts use as soon as they run, so they cannot wait:
#: inline scripts set ``DOCUMENTATION_OPTIONS`` fields, and the search page's
#: searchtools.js (loaded without defer by Sphinx's search template) calls
#: doctools.js's ``_ready`` at once.
_KEEP_BLOCKING = {"documentation_options.js", "doctools.js"}


def deferred(js):
    """The same script, loaded with ``defer`` so that it no longer blocks rendering."""
    from sphinx.builders.html._assets import _JavaScript

    filename = getattr(js, "filename", None)
    attributes = dict(getattr(js, "attributes", {}))
    if (not isinstance(js, _JavaScript) or not filename or "body" in attributes or "async" in attributes
            or "defer" in attributes or filename.rsplit("/", 1)[-1] in _KEEP_BLOCKING):
        return js
    return _JavaScript(filename, priority=js.priority, defer="defer", **attributes)


def clean_assets(context: dict) -> None:
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
        scripts.append(deferred(js))
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


def refuse_math(doctree: nodes.document) -> int:
    """Warn (which fails the strict build) at every formula; return how many there are."""
    found = list(doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))))
    for node in found:
        logger.warning(
            "durovsite: this book ships no MathJax, and loading it from a CDN would track readers; "
            "write the formula in words, as code, or as a figure", location=node)
    return len(found)


def on_page_context(app, pagename, templatename, context, doctree):
    clean_assets(context)
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def on_doctree_resolved(app, doctree, docname):
    refuse_math(doctree)
    lazy_images(doctree)


def setup(app):
    app.add_css_file(SITE_CSS)
    app.add_js_file(None, body=THEME_JS, priority=100)
    app.connect("html-page-context", on_page_context, priority=900)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
