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
  parsed (the time saved is in CHANGELOG.md).
* **Lazy figures.** Images get ``loading="lazy"``: below the first screen they
  no longer compete with the stylesheets for a slow link.
* **No CDN.** The book ships no MathJax, so math is refused with a build warning
  (which fails the strict build) instead of loading MathJax from a CDN.
* **Only the scripts a page uses** (issue 14: a chapter for a phone on a slow
  link). The theme's ``bootstrap.js`` (Bootstrap and Popper: 24 kB gzip on every
  page, for one menu and a few tooltips) is no longer linked
  (``_templates/static/webpack-macros.html``); ``_static/durovsite-ui.js``
  (about 1.5 kB gzip) does what the pages used of it: the tooltips, the download
  menu (mouse and keyboard), the "Back to top" button and
  ``window.bootstrap.Tooltip``. sphinx-copybutton's ``copybutton.js`` and
  ``clipboard.min.js`` (6 kB gzip, most of it messages in ten languages and a
  general clipboard library) become ``_static/durovsite-copy.js`` (1 kB): the
  same button, markup and messages, copying with the browser's Clipboard API.
  A page loads sphinx-design's ``design-tabs.js`` only if it has tabs, the copy
  button only if it has code, and sphinx-togglebutton's script only if it has
  something to fold (:func:`page_scripts`).
  ``sphinx_highlight.js`` (it marks the words searched for, after a search) is
  loaded by a line of script only when a search left words to mark; the search
  page itself loads it as before.

The book's own stylesheet, ``_static/durovsite.css``, is added to every page.
"""

from __future__ import annotations

import posixpath
import re

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

__version__ = "1.0"
#: Bump when a change here alters the pages written: Sphinx then rereads and
#: rewrites every page (a no-change rebuild does not rewrite pages otherwise).
ENV_VERSION = 4

SITE_CSS = "durovsite.css"
#: Replaces the theme's bootstrap.js (see the module's docstring).
UI_JS = "durovsite-ui.js"
#: Replaces sphinx-copybutton's copybutton.js and clipboard.min.js.
COPY_JS = "durovsite-copy.js"
#: Scripts replaced by ours (None: by nothing, the replacement of another one does its work).
REPLACED = {"copybutton.js": COPY_JS, "clipboard.min.js": None}

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


#: A script that a page loads only when its body holds what the script works on.
_CODE = re.compile(r'<div class="highlight[^"]*"><pre')  # sphinx-copybutton's selector: "div.highlight pre"
NEEDED_IF = {
    "design-tabs.js": re.compile(r'class="[^"]*\bsd-tab-set\b'),  # sphinx-design's tabs
    COPY_JS: _CODE,
    # sphinx-togglebutton's selector is ".toggle, .admonition.dropdown" (classes in any order).
    "togglebutton.js": re.compile(r'class="(?:[^"]*\s)?toggle[\s"]'
                                  r'|class="(?=(?:[^"]*\s)?admonition[\s"])(?:[^"]*\s)?dropdown[\s"]'),
}
#: The inline settings of a script, dropped with it.
_SETTINGS_OF = {"togglebutton.js": ("toggleHint", "toggleOpenOnPrint", "togglebuttonSelector")}

#: Loads sphinx_highlight.js only when a search left words to mark (in the address or, since
#: Sphinx 7, in localStorage): the same two places sphinx_highlight.js itself reads.
HIGHLIGHT_LOADER = ("(function () {{ try {{ if (!/[?&]highlight=/.test(location.search)"
                    " && !localStorage.getItem('sphinx_highlight_terms')) return; }} catch (e) {{ return; }}"
                    " var s = document.createElement('script'); s.src = '{src}'; s.defer = true;"
                    " document.head.appendChild(s); }})();")


def _name(js) -> str:
    return str(getattr(js, "filename", "") or "").rsplit("/", 1)[-1]


def page_scripts(scripts: list, body: str, pagename: str, highlight_src: str | None = None) -> list:
    """The scripts of a page, without those it does not use (see the module's docstring).

    ``body`` is the page's body HTML; ``highlight_src`` the address of
    sphinx_highlight.js from this page, which becomes a loader off the search page.
    """
    from sphinx.builders.html._assets import _JavaScript

    dropped = {name for name, needed in NEEDED_IF.items() if not needed.search(body)}
    settings = tuple(s for name in dropped for s in _SETTINGS_OF.get(name, ()))
    out, names = [], set()
    for js in scripts:
        name = _name(js)
        inline = str(getattr(js, "attributes", {}).get("body", ""))
        if name in dropped or (settings and inline and any(inline.lstrip().startswith(("let " + s, "var " + s))
                                                          for s in settings)):
            continue
        if name in REPLACED:
            if REPLACED[name] is None or REPLACED[name] in dropped:
                continue
            # In its place (Jupyter Book also adds every script of _static, later: that copy goes).
            filename = posixpath.join(posixpath.dirname(str(js.filename)), REPLACED[name])
            js, name = _JavaScript(filename, priority=js.priority, **dict(js.attributes)), REPLACED[name]
        elif name == "sphinx_highlight.js" and pagename != "search" and highlight_src:
            js = _JavaScript(None, priority=js.priority, body=HIGHLIGHT_LOADER.format(src=highlight_src))
        if name and name in names:
            continue
        names.add(name)
        out.append(js)
    return out


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
    them at once, sharing a slow link with the stylesheets that the first
    paint waits for (CHANGELOG.md has Lighthouse's figures before and after).
    The browser fetches a lazy image when it nears the viewport.
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


def _highlight_src(app, context: dict) -> str | None:
    for js in context.get("script_files", []):
        if _name(js) == "sphinx_highlight.js":
            filename = str(js.filename)
            src = context["pathto"](filename, 1) if "pathto" in context else filename
            try:
                from sphinx.builders.html import _file_checksum

                checksum = _file_checksum(app.outdir, filename)
            except Exception:  # noqa: BLE001 - a private helper of Sphinx; the address works without it
                checksum = ""
            return f"{src}?v={checksum}" if checksum else src
    return None


def on_page_context(app, pagename, templatename, context, doctree):
    clean_assets(context)
    context["script_files"] = page_scripts(context["script_files"], context.get("body") or "", pagename,
                                           _highlight_src(app, context))
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def on_doctree_resolved(app, doctree, docname):
    refuse_math(doctree)
    lazy_images(doctree)


def setup(app):
    app.add_css_file(SITE_CSS)
    app.add_js_file(UI_JS, priority=500)
    app.add_js_file(None, body=THEME_JS, priority=100)
    app.connect("html-page-context", on_page_context, priority=900)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
