"""cssbundle: one small stylesheet per page instead of eleven large ones.

Every page of the stock build links eleven stylesheets, and a browser paints
nothing until all of them have arrived. On a phone on a slow link that is most
of the first-paint time (CHANGELOG.md has Lighthouse's figures before and
after).

After the build this extension:

1. reads the ``<link rel="stylesheet">`` tags of each page's ``<head>`` (the
   same eleven, in the same order, on every page);
2. concatenates those stylesheets, in that order, into one file,
   ``_static/durovsite-bundle.css``, rebasing relative ``url(...)`` references
   and keeping the licence comments (``/*! ... */``);
3. drops the style rules that cannot match anything on the site: a selector is
   kept unless it names a class or an id that appears neither in any page (as a
   ``class`` or ``id`` attribute, or in an inline script) nor as a word in any
   script in ``_static`` (scripts add classes such as ``show`` at run time).
   Selector parts inside ``:not()``, ``:is()``, ``:has()`` and attribute
   selectors are not judged, so ``html[data-theme=dark]`` rules all stay.
   Only the scripts that the site loads count: a script counts when its file
   name appears in a page (linked, or named by an inline script that loads it),
   so the theme's bootstrap.js and fontawesome.js, which stay in ``_static`` but
   no page loads, no longer keep the rules of Bootstrap's modals, carousels and
   toasts;
3b. drops the custom properties (``--name: ...``) that nothing reads: no
   ``var(--name)`` in the bundle, nor in a page, nor the name in a script
   (repeated until none is left, since a property may be read only by one
   dropped). Bootstrap and the theme declare some 500; a page reads a third
   of them. A rule left with no declaration goes too (it draws nothing);
4. replaces each page's stylesheet links with one link to the bundle, with a
   ``?v=`` digest of its content so that a browser never keeps a stale copy.

The original stylesheets stay in ``_static``. The browser tests compare every
page drawn with the bundle against the same page drawn with the unpurged
stylesheets (tests/test_site.py), so a rule dropped wrongly fails a test.

The list of sources is written into the bundle's first comment: a rebuild
that rewrites no page (nothing changed) still knows what to bundle.

Sphinx copies ``html_static_path`` only when some page is out of date, so an
edit to ``_static/durovsite.css`` alone never reached the site. The extension
marks the root page out of date when a static file differs from its copy in
the output, which makes Sphinx copy the static files (and this bundle follow).
"""

from __future__ import annotations

import filecmp
import hashlib
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import tinycss2
from sphinx.util import logging

from bookbuild.seo import site_root

logger = logging.getLogger(__name__)

__version__ = "1.0"

BUNDLE = "_static/durovsite-bundle.css"
#: Words that scripts build from parts, so they never appear whole in a script:
#: Bootstrap names its tooltip placement class `bs-${NAME}-auto`.
SAFE_PREFIXES = ("bs-tooltip-", "bs-popover-")
#: Functional pseudo-classes whose arguments are not judged (kept as they are).
_UNJUDGED = {"not", "is", "where", "has", "matches", "-webkit-any", "-moz-any", "host", "host-context"}
#: At-rules that hold style rules: purged inside, dropped when left empty.
_GROUPING = {"media", "supports", "layer", "container", "document", "-moz-document"}

_HEAD = re.compile(r"<head\b.*?</head>", re.S | re.I)
_LINK = re.compile(r"<link\b[^>]*>", re.I)
_ATTR = re.compile(r'([a-zA-Z][\w:-]*)\s*=\s*"([^"]*)"')
_SOURCES = re.compile(r"/\* cssbundle sources: ([^*]*) \*/")
_BUNDLE_HREF = re.compile(r'(href="[^"]*' + re.escape(BUNDLE) + r')(\?v=[0-9a-f]*)?"')
_WORD = re.compile(r"[A-Za-z_][\w-]*")


class CSSBundleError(ValueError):
    """A stylesheet that cannot be bundled safely (the build stops on it)."""


# --------------------------------------------------------------------------- what the site uses

class _Names(HTMLParser):
    """Class names, ids and inline-script words of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "class" and value:
                self.names.update(value.split())
            elif name == "id" and value:
                self.names.add(value)
        self._script = tag == "script"

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script:
            self.names.update(_WORD.findall(data))


def names_in_html(text: str) -> set[str]:
    parser = _Names()
    parser.feed(text)
    parser.close()
    return parser.names


def names_in_script(text: str) -> set[str]:
    """Every word of a script: a class it adds may be any of its strings."""
    return set(_WORD.findall(text))


def site_pages(outdir: Path) -> list[Path]:
    """The site's HTML pages (not the theme's template fragments copied into _static)."""
    from bookbuild.editions import own_pages

    # Not the French edition's pages merged into the English site (_build/html/fr/): it has its own bundle.
    return own_pages(outdir)


_VAR = re.compile(r"var\(\s*--([\w-]+)")


def loaded_scripts(outdir: Path, pages: dict[str, str] | None = None) -> list[Path]:
    """The scripts of ``_static`` that the site loads: those whose file name a page names.

    A page names a script it links, and one that an inline script of it loads
    (``bookbuild/assets.py``'s loader of sphinx_highlight.js).
    """
    if pages is None:
        pages = {p.name: p.read_text(encoding="utf-8") for p in site_pages(outdir)}
    text = "\n".join(pages.values())
    return sorted(s for s in (outdir / "_static").rglob("*.js") if s.name in text)


def used_names(outdir: Path) -> set[str]:
    """Class names and ids of the pages, words of the scripts they load, and custom properties pages read."""
    names: set[str] = set()
    pages = {p.as_posix(): p.read_text(encoding="utf-8") for p in site_pages(outdir)}
    for text in pages.values():
        names |= names_in_html(text)
        names |= set(_VAR.findall(text))
    for script in loaded_scripts(outdir, pages):
        names |= names_in_script(script.read_text(encoding="utf-8", errors="replace"))
    return names


# --------------------------------------------------------------------------- selectors

def _split_selectors(prelude) -> list[list]:
    """A rule's prelude split at its top-level commas."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if any(t.type not in ("whitespace", "comment") for t in p)]


def selector_names(tokens) -> set[str]:
    """The class names and ids a selector requires (outside :not(), :is(), [..])."""
    required = set()
    previous = None
    for token in tokens:
        if token.type == "hash":
            required.add(token.value)
        elif token.type == "ident" and previous is not None and previous.type == "literal" and previous.value == ".":
            required.add(token.value)
        elif token.type == "function" and token.lower_name not in _UNJUDGED:
            # :nth-child(2 of .x) and the like: judge what is inside.
            required |= selector_names(token.arguments)
        previous = token
    return required


def selector_is_used(tokens, names: set[str]) -> bool:
    return all(n in names or n.startswith(SAFE_PREFIXES) for n in selector_names(tokens))


# --------------------------------------------------------------------------- stylesheets

def _rebase(tokens, source_dir: str, bundle_dir: str) -> None:
    """Rewrite relative url(...) references for the bundle's folder, in place."""
    for token in tokens:
        target = None
        if token.type == "url":
            target = token
        elif token.type == "function" and token.lower_name == "url":
            strings = [t for t in token.arguments if t.type == "string"]
            target = strings[0] if strings else None
        elif getattr(token, "content", None) is not None and token.type in ("() block", "[] block", "{} block"):
            _rebase(token.content, source_dir, bundle_dir)
        if token.type == "function" and token.lower_name != "url":
            _rebase(token.arguments, source_dir, bundle_dir)
        if target is None:
            continue
        url = target.value
        if not url or re.match(r"^(?:[a-zA-Z][\w+.-]*:|/|#)", url):
            continue  # data:, absolute, root-relative or a fragment: unchanged
        new = posixpath.relpath(posixpath.normpath(posixpath.join(source_dir, url)), bundle_dir or ".")
        target.value = new
        quoted = new.replace("\\", "\\\\").replace('"', '\\"')
        target.representation = f'url("{quoted}")' if target.type == "url" else f'"{quoted}"'


def purge(rules, names: set[str] | None, where: str, dropped: list[str] | None = None) -> list[str]:
    """Serialised rules, without those that match nothing (``names=None`` keeps all).

    The selectors left out are added to ``dropped`` when it is given.
    """
    out = []
    for rule in rules:
        if rule.type == "comment":
            if rule.value.startswith("!"):
                out.append(f"/*{rule.value}*/")
        elif rule.type == "qualified-rule":
            selectors = _split_selectors(rule.prelude)
            kept = [s for s in selectors if names is None or selector_is_used(s, names)]
            if dropped is not None:
                dropped += [tinycss2.serialize(s).strip() for s in selectors if not any(s is k for k in kept)]
            if kept:
                prelude = ",".join(tinycss2.serialize(s).strip() for s in kept)
                out.append(prelude + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            if keyword == "charset":
                continue
            if keyword == "import":
                raise CSSBundleError(f"{where}: @import cannot be bundled; link the imported file instead")
            if rule.content is not None and keyword in _GROUPING:
                inner = purge(tinycss2.parse_rule_list(rule.content), names, where, dropped)
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
            else:
                out.append(tinycss2.serialize([rule]))
        elif rule.type == "error":
            raise CSSBundleError(f"{where}: CSS parse error at line {rule.source_line}: {rule.message}")
    return out


def _prune_rules(rules, read: set[str]) -> tuple[list[str], int]:
    """Serialised rules without the custom properties not in ``read``; and how many went."""
    out, removed = [], 0
    for rule in rules:
        if rule.type == "qualified-rule":
            declarations = tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
            unread = [d for d in declarations if d.type == "declaration" and d.name.startswith("--")
                      and d.name[2:] not in read]
            if not unread:
                out.append(tinycss2.serialize(rule.prelude).strip() + "{" + tinycss2.serialize(rule.content) + "}")
                continue
            removed += len(unread)
            kept = [d for d in declarations if not any(d is u for u in unread)]
            if kept:
                body = "".join(tinycss2.serialize([d]).rstrip().rstrip(";") + ";" for d in kept).rstrip(";")
                out.append(tinycss2.serialize(rule.prelude).strip() + "{" + body + "}")
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in _GROUPING:
            inner, n = _prune_rules(tinycss2.parse_rule_list(rule.content, skip_comments=False,
                                                             skip_whitespace=True), read)
            removed += n
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type == "comment":
            out.append(f"/*{rule.value}*/")
        else:
            out.append(tinycss2.serialize([rule]))
    return out, removed


def prune_custom_properties(css: str, read: set[str] = frozenset()) -> str:
    """``css`` without the custom properties that nothing reads.

    A property is read when ``var(--name)`` appears in ``css`` or ``name`` is in
    ``read`` (words of the pages and scripts). Repeated until nothing goes,
    since a property may have been read only by one just dropped.
    """
    while True:
        used = set(_VAR.findall(css)) | set(read)
        rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
        out, removed = _prune_rules(rules, used)
        if not removed:
            return css
        css = "\n".join(out) + "\n"


def bundle_css(outdir: Path, sources: list[str], names: set[str] | None,
               dropped: list[str] | None = None) -> str:
    """The bundle of ``sources`` (paths relative to ``outdir``), purged by ``names``."""
    bundle_dir = posixpath.dirname(BUNDLE)
    parts = [f"/* cssbundle sources: {' '.join(sources)} */",
             "/* Generated by bookbuild/cssbundle.py: the stylesheets above, in this order, without "
             "the rules that match nothing on this site. The originals are in _static. */"]
    for source in sources:
        path = outdir / source
        if not path.is_file():
            raise CSSBundleError(f"{source}: a page links this stylesheet but the build has no such file")
        rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=False,
                                          skip_whitespace=True)
        for rule in rules:
            if rule.type == "qualified-rule":
                _rebase(rule.prelude, posixpath.dirname(source), bundle_dir)
            if getattr(rule, "content", None) is not None:
                _rebase(rule.content, posixpath.dirname(source), bundle_dir)
            if getattr(rule, "prelude", None) is not None and rule.type == "at-rule":
                _rebase(rule.prelude, posixpath.dirname(source), bundle_dir)
        parts.append(f"/* {source} */")
        parts.extend(purge(rules, names, source, dropped))
    css = "\n".join(parts) + "\n"
    return css if names is None else prune_custom_properties(css, names)


# --------------------------------------------------------------------------- pages

def stylesheet_links(page: str, text: str, root: str = "/") -> list[tuple[str, str]]:
    """(tag, path relative to the site root) of each local stylesheet in the head.

    ``root`` is the site's path on its host: an absolute ``href`` (the 404
    page's, written by sphinx-notfound-page) is taken relative to it.
    """
    head = _HEAD.search(text)
    if head is None:
        return []
    page_dir = posixpath.dirname(page)
    found = []
    for tag in _LINK.findall(head.group(0)):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("rel", "").lower() != "stylesheet" or attrs.get("media", "all") not in ("all", ""):
            continue
        href = attrs.get("href", "").split("?", 1)[0].split("#", 1)[0]
        if not href or re.match(r"^(?:[a-zA-Z][\w+.-]*:|//)", href):
            continue
        if href.startswith(root):
            href, base = href[len(root):], ""
        else:
            base = page_dir
        found.append((tag, posixpath.normpath(posixpath.join(base, href))))
    return found


def link_bundle(page: str, text: str, digest: str, root: str = "/") -> tuple[str, list[str] | None]:
    """The page with its stylesheet links replaced by the bundle, and the sources it had.

    A page that links the bundle already (written by an earlier build) only gets
    the new digest; its sources are then ``None``.
    """
    links = [(tag, path) for tag, path in stylesheet_links(page, text, root) if path != BUNDLE]
    href = posixpath.relpath(BUNDLE, posixpath.dirname(page) or ".")
    if not links:
        return _BUNDLE_HREF.sub(lambda m: f'{m.group(1)}?v={digest}"', text), None
    new = f'<link rel="stylesheet" type="text/css" href="{href}?v={digest}" />'
    first, *rest = (tag for tag, _ in links)
    text = text.replace(first, new, 1)
    for tag in rest:
        text = re.sub(r"[ \t]*" + re.escape(tag) + r"[ \t]*\n?", "", text, count=1)
    return text, [path for _, path in links]


def bundle_sources(outdir: Path) -> list[str]:
    """The stylesheets that the site's bundle was made of (from its first comment)."""
    target = outdir / BUNDLE
    found = target.is_file() and _SOURCES.search(target.read_text(encoding="utf-8"))
    return found.group(1).split() if found else []


def write_bundle(outdir: Path, root: str = "/") -> dict:
    """Bundle, purge and link; returns figures for the build log and the tests."""
    pages = {p.relative_to(outdir).as_posix(): p.read_text(encoding="utf-8") for p in site_pages(outdir)}
    fresh: dict[str, list[str]] = {}
    for name, text in pages.items():
        links = [path for _, path in stylesheet_links(name, text, root) if path != BUNDLE]
        if links:
            fresh[name] = links
    target = outdir / BUNDLE
    if fresh:
        lists = {tuple(v) for v in fresh.values()}
        if len(lists) > 1:
            a, b = sorted(lists)[:2]
            first = next(n for n, v in fresh.items() if tuple(v) == a)
            other = next(n for n, v in fresh.items() if tuple(v) == b)
            raise CSSBundleError(
                f"{first} and {other} link different stylesheets ({', '.join(a)} / {', '.join(b)}); "
                "cssbundle makes one bundle for the whole site")
        sources = list(next(iter(lists)))
    elif (linked_sources := bundle_sources(outdir)):
        sources = linked_sources
    else:
        return {"sources": [], "pages": 0}
    css = bundle_css(outdir, sources, used_names(outdir))
    target.write_text(css, encoding="utf-8")
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:10]
    linked = 0
    for name, text in pages.items():
        new, _ = link_bundle(name, text, digest, root)
        if new != text:
            (outdir / name).write_text(new, encoding="utf-8")
        linked += BUNDLE in new
    return {"sources": sources, "pages": linked, "bytes": len(css.encode("utf-8")),
            "source_bytes": sum((outdir / s).stat().st_size for s in sources)}


def changed_static_files(confdir: Path, static_paths: list[str], outdir: Path) -> list[str]:
    """Files of ``html_static_path`` that differ from (or are missing in) ``outdir/_static``.

    Templates (``*_t``, rendered by Sphinx under another name) are not compared.
    """
    changed = []
    for entry in static_paths:
        source = (confdir / entry).resolve()
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for f in files:
            if f.name.endswith("_t"):
                continue
            copy = outdir / "_static" / (f.name if source.is_file() else f.relative_to(source))
            if not copy.is_file() or not filecmp.cmp(f, copy, shallow=False):
                changed.append(str(f.relative_to(confdir)) if f.is_relative_to(confdir) else str(f))
    return changed


def on_env_get_outdated(app, env, added, changed, removed):
    if app.builder.format != "html" or not (Path(app.outdir) / BUNDLE).exists():
        return []  # a first build writes every page anyway
    edited = changed_static_files(Path(app.confdir), list(app.config.html_static_path), Path(app.outdir))
    if edited:
        logger.info("cssbundle: static files changed (%s): rewriting %s so that they are copied",
                    ", ".join(edited[:3]), app.config.root_doc)
        return [app.config.root_doc]
    return []


def on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    try:
        figures = write_bundle(Path(app.outdir), site_root(app))
    except CSSBundleError as error:
        logger.warning("cssbundle: %s", error)
        return
    if figures.get("pages"):
        logger.info("cssbundle: %d stylesheets -> %s, %d kB -> %d kB raw, linked from %d pages",
                    len(figures["sources"]), BUNDLE, figures["source_bytes"] // 1024,
                    figures["bytes"] // 1024, figures["pages"])


def setup(app):
    # After bookbuild.icons (priority 900), which writes durovsite-icons.css.
    app.connect("build-finished", on_build_finished, priority=950)
    app.connect("env-get-outdated", on_env_get_outdated)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
