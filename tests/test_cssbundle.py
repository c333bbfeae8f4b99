"""Unit tests of the local Sphinx extension ``bookbuild/cssbundle.py``.

The browser tests (tests/test_site.py) check the bundle on the built site: no
selector it dropped matches any element of any page, with the menus and the
search dialog open too, and a chapter looks the same, pixel for pixel, with the
bundle as with the unpurged stylesheets. These tests check its rules on small
inputs, including the inputs that must be refused.
"""

from __future__ import annotations

import sys

import pytest
import tinycss2

from durovbook.paths import ROOT

from bookbuild import cssbundle  # noqa: E402


def names(selector: str) -> set[str]:
    return cssbundle.selector_names(tinycss2.parse_component_value_list(selector))


def purged(css: str, used: set[str] | None, dropped: list[str] | None = None) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
    return "".join(cssbundle.purge(rules, used, "test.css", dropped))


def test_a_selector_requires_its_classes_and_ids_but_not_what_it_negates():
    assert names(".a .b:hover > #c") == {"a", "b", "c"}
    assert names("div.note::before") == {"note"}
    assert names("html[data-theme=dark] .z") == {"z"}
    assert names(".y:not(.x)") == {"y"}
    assert names(".y:is(.p, .q)") == {"y"}
    assert names("li:nth-child(2 of .q)") == {"q"}
    assert names("a[href$='.css']") == set()
    assert names(r".sm\:flex") == {"sm:flex"}


def test_purge_keeps_used_rules_and_drops_the_others():
    css = ".used{color:red}.absent{color:blue}html[data-theme=dark]{--c:#fff}p{margin:0}"
    dropped: list[str] = []
    assert purged(css, {"used"}, dropped) == ".used{color:red}html[data-theme=dark]{--c:#fff}p{margin:0}"
    assert dropped == [".absent"]


def test_purge_trims_a_selector_list_to_the_selectors_that_can_match():
    assert purged(".used, .absent .used, div.absent{color:red}", {"used"}) == ".used{color:red}"


def test_purge_empties_and_drops_at_rules_but_keeps_fonts_and_keyframes():
    css = ("@media (min-width:960px){.absent{color:red}}"
           "@media print{.used{display:none}.absent{x:y}}"
           "@font-face{font-family:X;src:url(x.woff)}"
           "@keyframes spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}")
    out = purged(css, {"used"})
    assert "min-width" not in out
    assert "@media print{.used{display:none}}" in out
    assert "@font-face" in out and "@keyframes spin" in out


def test_purge_keeps_licence_comments_only_and_drops_charset():
    css = '@charset "UTF-8";/*! Bootstrap, MIT licence */.used{a:b}/* a note */'
    assert purged(css, {"used"}) == "/*! Bootstrap, MIT licence */.used{a:b}"


def test_classes_that_scripts_build_from_parts_are_kept():
    # Bootstrap adds `bs-${NAME}-auto`: the whole word is in no script.
    assert purged(".bs-tooltip-auto .tooltip-arrow{top:0}", {"tooltip-arrow"}) != ""
    assert purged(".bs-modal-auto .x{top:0}", {"x"}) == ""


def test_nothing_is_dropped_without_a_list_of_used_names():
    css = ".absent{color:blue}"
    assert purged(css, None) == css


def test_an_import_or_a_parse_error_is_refused_with_the_file_named():
    with pytest.raises(cssbundle.CSSBundleError, match=r"test\.css: @import"):
        purged('@import "other.css";.a{b:c}', {"a"})
    with pytest.raises(cssbundle.CSSBundleError, match=r"test\.css: CSS parse error"):
        purged(".a{b:c} .b", {"a", "b"})


def test_names_on_a_page_include_classes_ids_and_inline_script_words():
    found = cssbundle.names_in_html(
        '<div class="a  b" id="c"><script>el.classList.add("show")</script><p>prose words</p></div>')
    assert {"a", "b", "c", "show"} <= found
    assert "prose" not in found and "words" not in found


# --------------------------------------------------------------------------- a small site

PAGE = """<!DOCTYPE html>
<html><head>
<link href="{p}_static/first.css?digest=1" rel="stylesheet" />
    <link rel="stylesheet" type="text/css" href="{p}_static/styles/second.css?v=2" />
<link rel="stylesheet" media="print" href="{p}_static/print.css" />
</head><body><div class="{cls}">text</div><script defer src="{p}_static/app.js"></script></body></html>
"""


def test_an_absolute_link_is_read_from_the_sites_root():
    # sphinx-notfound-page writes the 404 page's links from the site's root
    text = PAGE.format(p="/book/", cls="x")
    assert cssbundle.stylesheet_links("404.html", text, "/book/") == [
        ('<link href="/book/_static/first.css?digest=1" rel="stylesheet" />', "_static/first.css"),
        ('<link rel="stylesheet" type="text/css" href="/book/_static/styles/second.css?v=2" />',
         "_static/styles/second.css")]
    linked, sources = cssbundle.link_bundle("404.html", text, "abc", "/book/")
    assert sources == ["_static/first.css", "_static/styles/second.css"]
    assert linked.count('href="_static/durovsite-bundle.css?v=abc"') == 1


def small_site(tmp_path, second=".second{background:url(../img/a.png)}.gone{color:red}"):
    out = tmp_path / "html"
    (out / "_static" / "styles").mkdir(parents=True)
    (out / "sub").mkdir()
    (out / "_static" / "first.css").write_text(".first{color:red}.unused{color:blue}", encoding="utf-8")
    (out / "_static" / "styles" / "second.css").write_text(second, encoding="utf-8")
    (out / "_static" / "print.css").write_text(".x{}", encoding="utf-8")
    (out / "_static" / "app.js").write_text('el.classList.add("later")', encoding="utf-8")
    # In _static, as the theme's bootstrap.js is, but loaded by no page.
    (out / "_static" / "unloaded.js").write_text('el.classList.add("modal")', encoding="utf-8")
    (out / "index.html").write_text(PAGE.format(p="", cls="first"), encoding="utf-8")
    (out / "sub" / "page.html").write_text(PAGE.format(p="../", cls="second"), encoding="utf-8")
    return out


def test_write_bundle_links_one_purged_stylesheet_from_every_page(tmp_path):
    out = small_site(tmp_path)
    figures = cssbundle.write_bundle(out)
    assert figures["sources"] == ["_static/first.css", "_static/styles/second.css"]
    assert figures["pages"] == 2
    bundle = (out / cssbundle.BUNDLE).read_text(encoding="utf-8")
    assert ".first{color:red}" in bundle and ".second{" in bundle
    assert ".unused" not in bundle and ".gone" not in bundle
    # The image is next to styles/, so from _static/ its path gains no "../".
    assert 'url("img/a.png")' in bundle
    root = (out / "index.html").read_text(encoding="utf-8")
    sub = (out / "sub" / "page.html").read_text(encoding="utf-8")
    assert root.count('rel="stylesheet"') == 2  # the bundle, and the print sheet left alone
    assert 'href="_static/durovsite-bundle.css?v=' in root
    assert 'href="../_static/durovsite-bundle.css?v=' in sub
    assert "first.css" not in sub and "second.css" not in sub and 'href="../_static/print.css"' in sub


def test_a_later_build_that_rewrites_no_page_still_updates_the_bundle_and_its_digest(tmp_path):
    out = small_site(tmp_path)
    cssbundle.write_bundle(out)
    before = (out / "index.html").read_text(encoding="utf-8")
    (out / "_static" / "first.css").write_text(".first{color:green}", encoding="utf-8")
    figures = cssbundle.write_bundle(out)
    after = (out / "index.html").read_text(encoding="utf-8")
    assert figures["sources"] == ["_static/first.css", "_static/styles/second.css"]
    assert ".first{color:green}" in (out / cssbundle.BUNDLE).read_text(encoding="utf-8")
    assert before != after and after.count("durovsite-bundle.css?v=") == 1


def test_a_class_added_by_a_script_keeps_its_rule(tmp_path):
    out = small_site(tmp_path, second=".later{color:red}.modal{color:blue}")
    cssbundle.write_bundle(out)
    bundle = (out / cssbundle.BUNDLE).read_text(encoding="utf-8")
    assert ".later{color:red}" in bundle
    assert ".modal" not in bundle  # its script is in _static, but no page loads it
    assert [s.name for s in cssbundle.loaded_scripts(out)] == ["app.js"]


def test_a_script_that_a_page_only_names_counts_as_loaded(tmp_path):
    out = small_site(tmp_path, second=".modal{color:blue}")
    page = out / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<script>s.src = '_static/unloaded.js';</script></body>"), encoding="utf-8")
    cssbundle.write_bundle(out)
    assert ".modal{color:blue}" in (out / cssbundle.BUNDLE).read_text(encoding="utf-8")


def test_custom_properties_that_nothing_reads_are_dropped():
    css = (":root{--a:1px;--b:var(--c);--c:red;--d:2px;--e:blue}\n"
           ".x{width:var(--a)}\n@media (min-width:1px){.y{--f:0;color:green}}\n.z{--g:1}\n")
    out = cssbundle.prune_custom_properties(css, {"e"})
    assert ":root{--a:1px;--e:blue}" in out  # --b is read by nothing, and then --c by nothing either
    assert ".x{width:var(--a)}" in out
    assert ".y{color:green}" in out and "--f" not in out
    assert ".z" not in out  # a rule left with no declaration draws nothing
    assert cssbundle.prune_custom_properties(".x{color:var(--a);--a:red}") == ".x{color:var(--a);--a:red}"


def test_a_page_that_reads_a_custom_property_keeps_it(tmp_path):
    out = small_site(tmp_path, second=":root{--kept:1px;--gone:2px}.second{color:red}")
    page = out / "sub" / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        'class="second"', 'class="second" style="width: var(--kept)"'), encoding="utf-8")
    cssbundle.write_bundle(out)
    bundle = (out / cssbundle.BUNDLE).read_text(encoding="utf-8")
    assert ":root{--kept:1px}" in bundle and "--gone" not in bundle


def test_pages_with_different_stylesheets_are_refused_by_name(tmp_path):
    out = small_site(tmp_path)
    page = out / "sub" / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        '<link href="../_static/first.css?digest=1" rel="stylesheet" />', ""), encoding="utf-8")
    with pytest.raises(cssbundle.CSSBundleError, match=r"index\.html and sub/page\.html link different"):
        cssbundle.write_bundle(out)


def test_a_linked_stylesheet_that_is_missing_is_refused_by_name(tmp_path):
    out = small_site(tmp_path)
    (out / "_static" / "first.css").unlink()
    with pytest.raises(cssbundle.CSSBundleError, match=r"_static/first\.css: a page links this stylesheet"):
        cssbundle.write_bundle(out)


@pytest.mark.build
def test_the_built_site_links_only_the_bundle(built_book):
    """Every page of the book links one stylesheet, the bundle, which is much smaller than its sources."""
    html = built_book.html
    assert (html / "index.html").exists(), built_book.log[-3000:]
    sources = cssbundle.bundle_sources(html)
    assert "_static/styles/pydata-sphinx-theme.css" in sources and "_static/durovsite.css" in sources
    for page in cssbundle.site_pages(html):
        links = cssbundle.stylesheet_links(page.relative_to(html).as_posix(), page.read_text(encoding="utf-8"))
        relative = page.relative_to(html).as_posix()
        if relative == "slides/index.html":  # bookbuild/slides.py writes the deck's own style into it
            assert links == [] and "<style" in page.read_text(encoding="utf-8"), page
        elif page.name != "index.html" or page.parent != html:  # the root index.html only redirects
            assert [path for _, path in links] == [cssbundle.BUNDLE], page
    size = (html / cssbundle.BUNDLE).stat().st_size
    assert size < 0.5 * sum((html / s).stat().st_size for s in sources)


def test_an_edited_static_file_is_noticed_so_that_sphinx_copies_it(tmp_path):
    """Sphinx copies _static only when a page is out of date; an edit alone went unseen."""
    confdir, outdir = tmp_path / "book", tmp_path / "html"
    (confdir / "_static" / "img").mkdir(parents=True)
    (outdir / "_static" / "img").mkdir(parents=True)
    for rel, text in (("site.css", ".a{b:c}"), ("img/logo.svg", "<svg/>"), ("layout.html_t", "{{ x }}")):
        (confdir / "_static" / rel).write_text(text, encoding="utf-8")
        if not rel.endswith("_t"):
            (outdir / "_static" / rel).write_text(text, encoding="utf-8")
    assert cssbundle.changed_static_files(confdir, ["_static"], outdir) == []
    (confdir / "_static" / "site.css").write_text(".a{b:d}", encoding="utf-8")  # same size, new content
    (confdir / "_static" / "img" / "new.png").write_bytes(b"png")
    assert cssbundle.changed_static_files(confdir, ["_static"], outdir) == [
        "_static/img/new.png", "_static/site.css"]
