"""Every internal link and anchor of the built site resolves.

A parser-based check of the whole ``_build/html`` tree: each ``href`` and
``src`` of every HTML page, and each ``url()`` / ``@import`` of every stylesheet
a page links, must name a file that exists, and a ``#fragment`` must name an
``id`` (or ``<a name>``) on the target page. External links are not fetched
(the build machine has no network); they are only counted.

The file also checks what the book's Sphinx extensions in ``bookbuild/`` write
into the site: titles, descriptions, the sitemap, robots.txt and the 404 page
(``bookbuild/seo.py``), and the scripts a page loads (no Font Awesome script:
``bookbuild/icons.py`` and ``_templates/static/webpack-macros.html``).
"""

from __future__ import annotations

import difflib
import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from durovbook.paths import ROOT

from bookbuild import toc

LINK_ATTRS = {"href", "src", "poster", "data"}


class Page(HTMLParser):
    """The ids a page defines and the links it makes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "base" and a.get("href"):
            self.base = a["href"]
        for name in LINK_ATTRS:
            if a.get(name) is not None and not (tag == "base" and name == "href"):
                # <link rel="preconnect"> and friends name hosts, not files; rel=canonical
                # names the published address.
                if tag == "link" and a.get("rel") in ("canonical", "preconnect", "dns-prefetch"):
                    continue
                self.links.append((tag, a[name]))
        if a.get("srcset"):
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self.links.append((tag, candidate.strip().split()[0]))

    handle_startendtag = handle_starttag


class Site:
    def __init__(self, html: Path):
        self.html = html
        self.pages: dict[Path, Page] = {}
        for f in sorted(html.rglob("*.html")):
            if "_static" in f.relative_to(html).parts:
                continue  # theme fragments, not pages
            p = Page()
            p.feed(f.read_text(encoding="utf-8"))
            self.pages[f] = p

    def target(self, page: Path, url: str) -> tuple[Path | None, str]:
        """The file a relative URL on ``page`` points to, and its fragment."""
        parts = urlsplit(url)
        base_dir = page.parent
        base = self.pages[page].base if page in self.pages else None
        if base is not None:
            # A page with <base href="/..."> (the 404 page) resolves from the site root.
            base_dir = self.html / base.lstrip("/").split("/", 1)[-1] if base.strip("/") else self.html
        path = unquote(parts.path)
        if not path:
            return (page if base is None else None), parts.fragment
        if path.startswith("/"):
            resolved = self.html / path.lstrip("/")
        else:
            resolved = base_dir / path
        resolved = Path(os.path.normpath(resolved))
        if resolved.is_dir():
            resolved = resolved / "index.html"
        return resolved, parts.fragment


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) or url.startswith("//")


@pytest.fixture(scope="session")
def built_site(html_dir) -> Site:
    """The built site (tests/conftest.py: this session's build, or DUROVBOOK_SITE), parsed."""
    return Site(html_dir)


def broken_links(site: Site) -> list[str]:
    broken = []
    for page, parsed in site.pages.items():
        for tag, url in parsed.links:
            if is_external(url) or url.startswith(("mailto:", "javascript:", "data:")):
                continue
            target, fragment = site.target(page, url)
            rel = page.relative_to(site.html)
            if target is None:
                if fragment and fragment not in parsed.ids:
                    broken.append(f"{rel}: <{tag}> {url}: no id {fragment!r} on the page")
                continue
            if not target.exists():
                broken.append(f"{rel}: <{tag}> {url}: no such file")
                continue
            if fragment and target.suffix == ".html":
                ids = site.pages[target].ids if target in site.pages else Page().ids
                if fragment not in ids:
                    broken.append(f"{rel}: <{tag}> {url}: no id {fragment!r} in {target.relative_to(site.html)}")
    return broken


@pytest.mark.build
def test_every_internal_link_and_anchor_resolves(built_site):
    assert len(built_site.pages) >= 4
    assert broken_links(built_site) == []


@pytest.mark.build
def test_stylesheets_linked_by_pages_resolve_their_urls(built_site):
    sheets = set()
    for page, parsed in built_site.pages.items():
        for tag, url in parsed.links:
            if tag == "link" and urlsplit(url).path.endswith(".css") and not is_external(url):
                target, _ = built_site.target(page, url)
                if target is not None:
                    sheets.add(target)
    assert sheets
    broken = []
    for sheet in sorted(sheets):
        text = sheet.read_text(encoding="utf-8")
        refs = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text) + re.findall(r"@import\s+['\"]([^'\"]+)['\"]", text)
        for ref in refs:
            if ref.startswith("data:") or is_external(ref) or ref.startswith("#"):
                continue
            target = Path(os.path.normpath(sheet.parent / unquote(urlsplit(ref).path)))
            if not target.exists():
                broken.append(f"{sheet.relative_to(built_site.html)}: {ref}")
    assert broken == []


def test_the_checker_finds_a_broken_link_and_a_broken_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<p id="here"><a href="b.html#nowhere">x</a><a href="#here">y</a>'
                                     '<a href="missing.html">z</a><img src="_static/x.png"></p>')
    (tmp_path / "b.html").write_text('<h1 id="top">B</h1><a href="a.html#here">back</a>')
    found = broken_links(Site(tmp_path))
    assert found == ["a.html: <a> b.html#nowhere: no id 'nowhere' in b.html",
                     "a.html: <a> missing.html: no such file",
                     "a.html: <img> _static/x.png: no such file"]


# --------------------------------------------------------------------------- site files

@pytest.mark.build
def test_every_page_has_a_title_and_a_meta_description(built_site):
    for page in built_site.pages:
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(built_site.html)
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        assert title and title.group(1).strip(), rel
        descriptions = re.findall(r'<meta name="description" content="([^"]*)"', text)
        assert len(descriptions) == 1, rel
        description = html.unescape(descriptions[0])
        assert 50 <= len(description) <= 170, (rel, description)
        assert "<" not in description, (rel, description)  # text, not markup
        assert "og:title" in text and "og:description" in text, rel
        # One viewport tag: docutils and Sphinx's layout each wrote one.
        assert len(re.findall(r'<meta name="viewport"', text)) == 1, rel


@pytest.mark.build
def test_the_sitemap_lists_every_page_of_the_table_of_contents(built_site):
    sitemap = (built_site.html / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    pages = toc.pages()  # the teacher guide's sections too
    assert "teacher/lessons" in pages
    for page in pages:
        assert any(loc.endswith(f"{page}.html") for loc in locs), page
    assert not any("404" in loc for loc in locs)
    assert "User-agent: *" in (built_site.html / "robots.txt").read_text(encoding="utf-8")


@pytest.mark.build
def test_the_404_page_resolves_its_links_from_the_site_root(built_site):
    page = built_site.html / "404.html"
    text = page.read_text(encoding="utf-8")
    assert re.search(r'<base href="/[^"]*"', text)
    assert 'name="robots" content="noindex"' in text
    assert "Page not found" in text


@pytest.mark.build
def test_no_page_loads_fontawesome_js_or_a_script_from_another_host(built_site):
    for page, parsed in built_site.pages.items():
        for tag, url in parsed.links:
            if tag == "script":
                assert "fontawesome" not in url, page
                assert not is_external(url), (page, url)
            if tag == "link" and url.endswith(".js"):
                assert not is_external(url), (page, url)


def test_our_webpack_macros_differ_from_the_themes_only_as_documented():
    """Guards the template override against a theme upgrade."""
    import pydata_sphinx_theme

    theirs = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
              / "webpack-macros.html").read_text(encoding="utf-8").splitlines()
    ours = (ROOT / "_templates" / "static" / "webpack-macros.html").read_text(encoding="utf-8")
    ours = re.sub(r"\{#-.*?-#\}\n", "", ours, flags=re.S).splitlines()
    diff = [l for l in difflib.unified_diff(theirs, ours, lineterm="", n=0)
            if l[:1] in "+-" and not l.startswith(("+++", "---"))]
    assert sorted(diff) == sorted([
        "-  <!-- So that users can add custom icons -->",
        "-  <script defer src=\"{{ pathto('_static/scripts/fontawesome.js', 1) }}?digest=55c26ed414f5f8a31ebb\"></script>",
        "-  <link href=\"{{ pathto('_static/styles/theme.css', 1) }}?digest=55c26ed414f5f8a31ebb\" rel=\"stylesheet\" />",
        "+  <link href=\"{{ pathto('_static/basic.css', 1) }}?digest=55c26ed414f5f8a31ebb\" rel=\"stylesheet\" />",
        "-  <link rel=\"preload\" as=\"script\" href=\"{{ pathto('_static/scripts/bootstrap.js', 1) }}?digest=55c26ed414f5f8a31ebb\" />",
        "-  <script defer src=\"{{ pathto('_static/scripts/bootstrap.js', 1) }}?digest=55c26ed414f5f8a31ebb\"></script>",
    ])
    theme_css = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
                 / "styles" / "theme.css").read_text(encoding="utf-8")
    assert re.sub(r"/\*.*?\*/", "", theme_css, flags=re.S).split() == ['@import', '"../basic.css";']
