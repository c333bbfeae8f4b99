"""assets: what a page loads, and nothing from another host (a Sphinx extension).

Jupyter Book 1 with sphinx-book-theme 1.3 / pydata-sphinx-theme 0.17 ships
pages that a browser finds fault with, and that load more than they show:

* **Console errors.** sphinx-thebe's configuration script is added twice
  (``const THEBE_JS_URL`` declared twice: a SyntaxError on every page) although
  Thebe is off; its scripts and stylesheet are dropped, and so are the two
  inline scripts it adds to every page's body (its settings, ``kernelName``). The theme's mode script
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
  link). One small script of ours, ``_static/durovsite-ui.js`` (4 kB gzip),
  does the little that the pages used of four others, in their place:
  the theme's ``bootstrap.js`` (Bootstrap and Popper: 24 kB gzip on every page,
  for one menu and a few tooltips; no longer linked by
  ``_templates/static/webpack-macros.html``): the tooltips, the download menu
  (mouse and keyboard), the "Back to top" button and
  ``window.bootstrap.Tooltip``; sphinx-togglebutton's ``togglebutton.js``
  (3 kB): the folded admonitions, with the same markup and hints, opened for
  printing (its four settings, inline scripts of every page, go too, and the
  build fails if the book's settings stop being the ones the script has,
  :data:`TOGGLE_SETTINGS`); sphinx-copybutton's ``copybutton.js`` and
  ``clipboard.min.js`` (6 kB, most of it messages in ten languages and a
  general clipboard library): the same copy button, copying with the browser's
  Clipboard API. A page loads sphinx-design's ``design-tabs.js`` only if it has
  tabs (:func:`page_scripts`).
  Sphinx's ``doctools.js`` and ``sphinx_highlight.js`` (after a search, they mark
  the words searched for; nothing else of them works in this theme) are loaded
  by a line of script only when a search left words to mark
  (:data:`HIGHLIGHT_LOADER`); the search page itself loads them as before.

* **Compact pages.** When the build ends, every page loses the template's
  comments and indentation (:func:`compact_html`): a run of white space that
  holds a line break becomes one line break, which a browser draws the same,
  outside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>`` and outside
  attribute values.

The book's own stylesheet, ``_static/durovsite.css``, is added to every page.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

__version__ = "1.0"
#: Bump when a change here alters the pages written: Sphinx then rereads and
#: rewrites every page (a no-change rebuild does not rewrite pages otherwise).
ENV_VERSION = 10

SITE_CSS = "durovsite.css"
#: Does the work of the theme's bootstrap.js and of the scripts in REPLACED (see the module's docstring).
UI_JS = "durovsite-ui.js"
#: Scripts no page loads: durovsite-ui.js does what the pages used of them.
REPLACED = ("copybutton.js", "clipboard.min.js", "togglebutton.js")
#: sphinx-togglebutton's settings (inline scripts of every page), as durovsite-ui.js has them.
TOGGLE_SETTINGS = {"toggleHintShow": "Click to show", "toggleHintHide": "Click to hide",
                   "toggleOpenOnPrint": "true", "togglebuttonSelector": ".toggle, .admonition.dropdown"}
#: The hints sphinx-togglebutton translates, in the French edition (durovsite-ui.js reads <html lang>).
TOGGLE_SETTINGS_FR = dict(TOGGLE_SETTINGS, toggleHintShow="Cliquez pour afficher", toggleHintHide="Cliquez pour masquer")
_SETTING = re.compile(r"^\s*(?:let|var|const) (\w+) = '([^']*)';?\s*$")


class ScriptSettingError(ValueError):
    """A setting of a replaced script that its replacement does not follow."""


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
NEEDED_IF = {"design-tabs.js": re.compile(r'class="[^"]*\bsd-tab-set\b')}  # sphinx-design's tabs

#: Off the search page, Sphinx's doctools.js and sphinx_highlight.js serve only to mark the words
#: a search left (doctools' other keys do nothing in this theme: "/" would focus the search field
#: of a closed dialog): loaded, in that order, only when a search left words to mark, in the
#: address or, since Sphinx 7, in localStorage, the two places sphinx_highlight.js reads.
HIGHLIGHTING = ("doctools.js", "sphinx_highlight.js")
#: Sphinx's catalogue for doctools.js in a language other than English (the French edition):
#: it calls doctools' Documentation, so it is loaded after it, by the same loader, or not at all.
TRANSLATIONS = "translations.js"
HIGHLIGHT_LOADER = ("(function () {{ try {{ if (!/[?&]highlight=/.test(location.search)"
                    " && !localStorage.getItem('sphinx_highlight_terms')) return; }} catch (e) {{ return; }}"
                    " {srcs}.forEach(function (src) {{ var s = document.createElement('script'); s.src = src;"
                    " s.async = false; document.head.appendChild(s); }}); }})();")


def _name(js) -> str:
    return str(getattr(js, "filename", "") or "").rsplit("/", 1)[-1]


def page_scripts(scripts: list, body: str, pagename: str, highlight_srcs: list[str] | None = None,
                 language: str = "en") -> list:
    """The scripts of a page, without those it does not use (see the module's docstring).

    ``body`` is the page's body HTML; ``highlight_srcs`` the addresses, from this
    page, of the :data:`HIGHLIGHTING` scripts, which a loader replaces off the search page.
    """
    import json

    from sphinx.builders.html._assets import _JavaScript

    settings = TOGGLE_SETTINGS_FR if language.startswith("fr") else TOGGLE_SETTINGS
    dropped = {name for name, needed in NEEDED_IF.items() if not needed.search(body)}
    out, names = [], set()
    for js in scripts:
        name = _name(js)
        setting = _SETTING.match(str(getattr(js, "attributes", {}).get("body", "")))
        if setting and setting.group(1) in settings:
            key, value = setting.groups()
            if value != settings[key]:
                raise ScriptSettingError(f"sphinx-togglebutton's {key} is {value!r}, but {UI_JS} has "
                                         f"{settings[key]!r}: change the script and TOGGLE_SETTINGS")
            continue
        if name in dropped or name in REPLACED:
            continue
        if name == TRANSLATIONS and pagename != "search" and highlight_srcs:
            continue  # in the loader's list (_highlight_srcs), after doctools.js
        if name in HIGHLIGHTING and pagename != "search" and highlight_srcs:
            if name != HIGHLIGHTING[-1]:
                continue
            js = _JavaScript(None, priority=js.priority,
                             body=HIGHLIGHT_LOADER.format(srcs=json.dumps(highlight_srcs).replace('"', "'")))
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


def drop_thebe_settings(doctree: nodes.document) -> int:
    """Remove the settings that sphinx-thebe writes into a page's body (Thebe is off); return how many."""
    found = [n for n in doctree.findall(nodes.raw)
             if "text/x-thebe-config" in n.astext() or n.astext().startswith("<script>kernelName =")]
    for node in found:
        node.parent.remove(node)
    return len(found)


def refuse_math(doctree: nodes.document) -> int:
    """Warn (which fails the strict build) at every formula; return how many there are."""
    found = list(doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))))
    for node in found:
        logger.warning(
            "durovsite: this book ships no MathJax, and loading it from a CDN would track readers; "
            "write the formula in words, as code, or as a figure", location=node)
    return len(found)


def _highlight_srcs(app, context: dict) -> list[str] | None:
    """The addresses of the HIGHLIGHTING scripts from this page, as Sphinx writes them; None if one is missing."""
    found = {}
    for js in context.get("script_files", []):
        if _name(js) in HIGHLIGHTING or _name(js) == TRANSLATIONS:
            filename = str(js.filename)
            src = context["pathto"](filename, 1) if "pathto" in context else filename
            try:
                from sphinx.builders.html import _file_checksum

                checksum = _file_checksum(app.outdir, filename)
            except Exception:  # noqa: BLE001 - a private helper of Sphinx; the address works without it
                checksum = ""
            found[_name(js)] = f"{src}?v={checksum}" if checksum else src
    if not all(n in found for n in HIGHLIGHTING):
        return None
    return [found[n] for n in HIGHLIGHTING] + ([found[TRANSLATIONS]] if TRANSLATIONS in found else [])


_KEPT = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_BREAK = re.compile(r"[ \t\r\f]*\n\s*")


def _compact_tag(tag: str) -> str:
    parts = _QUOTED.split(tag)
    quoted = _QUOTED.findall(tag)
    out = [_BREAK.sub("\n", parts[0])]
    for value, rest in zip(quoted, parts[1:]):
        out += [value, _BREAK.sub("\n", rest)]
    return "".join(out)


def _compact_part(html: str) -> str:
    out, at = [], 0
    for m in _TAG_OR_COMMENT.finditer(html):
        out.append(_BREAK.sub("\n", html[at:m.start()]))
        token = m.group(0)
        if not token.startswith("<!--"):
            out.append(_compact_tag(token))
        at = m.end()
    out.append(_BREAK.sub("\n", html[at:]))
    return "".join(out)


def compact_html(html: str) -> str:
    """``html`` without comments, and each run of white space that holds a line break made one line break.

    A browser draws both the same: outside ``<pre>``, ``<textarea>`` (and
    ``<script>``, ``<style>``, left as they are) such a run is one space. Attribute
    values are kept as written.
    """
    while True:  # twice at most: a comment gone may leave two runs side by side
        out, at = [], 0
        for m in _KEPT.finditer(html):
            out += [_compact_part(html[at:m.start()]), m.group(0)]
            at = m.end()
        out.append(_compact_part(html[at:]))
        compact = "".join(out).lstrip()
        if compact == html:
            return compact
        html = compact


def on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from bookbuild.cssbundle import site_pages

    for page in site_pages(Path(app.outdir)):
        text = page.read_text(encoding="utf-8")
        compact = compact_html(text)
        if compact != text:
            page.write_text(compact, encoding="utf-8")


def on_page_context(app, pagename, templatename, context, doctree):
    clean_assets(context)
    try:
        context["script_files"] = page_scripts(context["script_files"], context.get("body") or "", pagename,
                                               _highlight_srcs(app, context), app.config.language or "en")
    except ScriptSettingError as error:
        logger.warning("durovsite: %s", error)
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def on_doctree_resolved(app, doctree, docname):
    refuse_math(doctree)
    lazy_images(doctree)
    drop_thebe_settings(doctree)


def setup(app):
    app.add_css_file(SITE_CSS)
    app.add_js_file(UI_JS, priority=500)
    app.add_js_file(None, body=THEME_JS, priority=100)
    app.connect("html-page-context", on_page_context, priority=900)
    app.connect("doctree-resolved", on_doctree_resolved)
    # After bookbuild.icons (900), which reads the pages, and before bookbuild.cssbundle (950).
    app.connect("build-finished", on_build_finished, priority=940)
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
