"""epub_ext: an EPUB of the book that passes epubcheck (a Sphinx extension).

``make print`` builds the EPUB with Sphinx's ``epub`` builder on the book's own
configuration (:func:`bookbuild.printkit.build_epub`). The pages were written
for the website: they hold HTML that a browser accepts and EPUB 3's XHTML does
not (pandas' ``<style scoped>`` inside a table, ``<a download>``, the phone
drawings' ``<picture><source width>``, the map's form and script, links to the
website's ``.html`` pages). When the EPUB builder has written its files, this
extension cleans every XHTML file (:func:`clean_xhtml`), leaves out the
website's own stylesheet, and zips the book again. It does nothing in the
website's build.

What a reader loses in the EPUB is what an e-reader could not run anyway: the
map's date control (its table for 5 September 2024 stays) and the phone
drawings (the figure itself stays, with its alt text).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit, urlunsplit

from sphinx.util import logging

logger = logging.getLogger(__name__)

__version__ = "1.0"

#: Stylesheets of the website that the EPUB leaves out: they use selectors
#: (``:is()``, nesting) that EPUB readers and epubcheck do not know. The book
#: reads well with the EPUB theme's own, and Pygments' for the code.
LEFT_OUT = ("_static/durovsite.css", "_static/mystnb.*.css")
#: Files for a web server, not pages, that other extensions write when any
#: HTML-like build ends: the redirect to the landing page, robots.txt, the sitemap.
NOT_IN_BOOK = ("index.html", "robots.txt", "sitemap.xml")

#: What a URL may hold unescaped (RFC 3986); anything else is percent-encoded.
_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def _exists(outdir: Path, here: PurePosixPath, path: str) -> str | None:
    """The form of relative ``path`` (from the file ``here``) that exists in the EPUB, or None."""
    target = PurePosixPath(*(here.parent / path).parts)
    parts: list[str] = []
    for part in target.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    candidate = PurePosixPath(*parts) if parts else None
    if candidate is None:
        return path
    if (outdir / candidate).is_file():
        return path
    if candidate.suffix == ".html" and (outdir / candidate.with_suffix(".xhtml")).is_file():
        return str(PurePosixPath(path).with_suffix(".xhtml"))
    return None


def clean_xhtml(text: str, outdir: str | Path, name: str, lang: str | None = None) -> str:
    """The XHTML page ``name`` (relative to ``outdir``) made valid EPUB 3.

    Scripts, forms and the phone drawings' ``<source>`` go; ``<style>``
    elements move into the head, without ``scoped``; a link to a page of the
    book points to its ``.xhtml``, and a link to a file the EPUB does not hold
    becomes its text; a repeated ``id`` gets a number; URLs are
    percent-encoded where they hold characters a URL may not. With ``lang``
    (the book's language), the page's ``<html>`` says it (``lang`` and
    ``xml:lang``), so that a reader's voice reads the French edition in French.
    """
    from bs4 import BeautifulSoup

    outdir, here = Path(outdir), PurePosixPath(name)
    soup = BeautifulSoup(text, "html.parser")
    if lang and soup.html is not None:
        soup.html["lang"] = lang
        soup.html["xml:lang"] = lang
    for node in soup.find_all(["script", "form", "noscript"]):
        node.decompose()
    for node in soup.select("picture > source"):
        node.decompose()
    for node in soup.select("picture > img"):  # the site's size for it: an e-reader sizes it its own way
        for attr in ("width", "height"):
            node.attrs.pop(attr, None)
    for node in soup.find_all("picture"):
        node.unwrap()
    head = soup.head
    for style in soup.find_all("style"):
        if "scoped" in style.attrs:
            del style["scoped"]
        if head is not None and style.find_parent("head") is None:
            head.append(style.extract())
    for node in soup.find_all(True):
        for attr in ("download", "loading", "decoding"):
            if attr in node.attrs and node.name in ("a", "img"):
                del node[attr]
    seen: dict[str, int] = {}
    for node in soup.find_all(id=True):
        n = seen.get(node["id"], 0)
        seen[node["id"]] = n + 1
        if n:
            node["id"] = f"{node['id']}-{n + 1}"
    for node in soup.find_all(["a", "link", "img"]):
        attr = "src" if node.name == "img" else "href"
        url = node.get(attr)
        if url is None:
            continue
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "data:")):
            node[attr] = quote(url, safe=_SAFE)
            continue
        found = _exists(outdir, here, parts.path)
        if found is None:
            if node.name == "a":
                node.unwrap()
            elif node.name == "link":
                node.decompose()
            continue
        node[attr] = urlunsplit(("", "", found, parts.query, parts.fragment))
    out = str(soup)
    if not out.lstrip().startswith("<?xml"):
        out = '<?xml version="1.0" encoding="utf-8"?>\n' + out
    return out


def configure(app, config):
    """EPUB 3 wants a version (the book's as-of date); the files of :data:`NOT_IN_BOOK` stay out.

    Set for every builder, when the configuration is read: a value that
    differed between the website's build and the EPUB's would make each of
    them read every page again (they share the doctrees).
    """
    if not config.version:
        from durovbook.asof import as_of

        config.version = f"{as_of():%Y-%m-%d}"
    config.epub_exclude_files = list(config.epub_exclude_files) + [
        name for name in NOT_IN_BOOK if name not in config.epub_exclude_files]


def on_build_finished(app, exception):
    if exception is not None or app.builder.name != "epub":
        return
    outdir = Path(app.outdir)
    for pattern in LEFT_OUT:
        for sheet in outdir.glob(pattern):
            sheet.unlink()
    pages = sorted(outdir.rglob("*.xhtml"))
    for page in pages:
        if page.name == "nav.xhtml":
            continue
        name = page.relative_to(outdir).as_posix()
        page.write_text(clean_xhtml(page.read_text(encoding="utf-8"), outdir, name, app.config.language or "en"),
                        encoding="utf-8")
    # The reading order again: Sphinx does not compute it when no page was out of date.
    app.builder.get_toc()
    app.builder.build_mimetype()
    app.builder.build_container()
    app.builder.build_content()
    app.builder.build_navigation_doc()  # lists nav.xhtml among the files again
    app.builder.build_epub()
    logger.info(f"epub_ext: cleaned {len(pages)} pages and zipped {app.config.epub_basename}.epub again")


def setup(app):
    app.connect("config-inited", configure)
    app.connect("build-finished", on_build_finished, priority=990)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
