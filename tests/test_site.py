"""The published site, checked as a reader's browser sees it.

Debian's Chromium, driven by Playwright, opens every page of the built book
served on 127.0.0.1 and checks: no console error, no request to any other host,
no axe-core violation of the WCAG 2.1 A/AA rules (light and dark mode), no
horizontal scrolling on a 360 px phone, meaningful alt text on every image,
French passages tagged ``lang="fr"``, figures readable in dark mode, and a
search box that finds each chapter.

Chromium is never downloaded here. Without ``/usr/bin/chromium`` these tests
skip with a message; under ``CI=true`` they fail instead (CI installs it with apt
through ``make browser``).
"""

from __future__ import annotations

import io
import re

import pytest

from bookbuild import cssbundle
from pagevisits import (DESKTOP, MATCHING_JS, MODES, NOT_VISITED, OPEN_DROPDOWNS_JS, PAGES, PHONE, chapter_pages,
                        figure_contrasts, looks_french, queryable)

pytestmark = pytest.mark.browser

# The site, its server, the browser, the dropped selectors and the one load of
# each page in each mode (``visit``) are session fixtures of tests/conftest.py
# (bookbuild/browser.py, tests/pagevisits.py); tests/test_phone.py reads the same loads.


def test_the_french_detector_tells_french_from_english():
    assert looks_french("Pavel Durov a été mis en examen pour complicité dans la diffusion de contenus")
    assert looks_french("Le fondateur de Telegram est visé par une enquête du parquet de Paris")
    assert not looks_french("Durov wrote that the claims were misguided and that Telegram is not an anarchic paradise")
    assert not looks_french("Le Monde, 28 August 2024")


# --------------------------------------------------------------------------- dark-mode figures

def test_the_contrast_check_tells_a_transparent_figure_from_an_opaque_one(browser, tmp_path):
    """The dark-mode check has teeth: a transparent PNG on a dark page fails it."""
    import matplotlib

    matplotlib.use("Agg")
    from durovbook import style

    pictures = {}
    for name, transparent in (("opaque", False), ("transparent", True)):
        fig, ax = style.figure()
        ax.plot([2014, 2024], [35, 950], color="black")
        ax.set_title("Black ink")
        fig.savefig(tmp_path / f"{name}.png", transparent=transparent)
        pictures[name] = f"{name}.png"
    (tmp_path / "page.html").write_text(
        '<!doctype html><html lang="en" style="background:#121212"><body><main>'
        '<img src="opaque.png" alt="opaque"><img src="transparent.png" alt="transparent">'
        "</main></body></html>", encoding="utf-8")
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    tab = context.new_page()
    tab.goto((tmp_path / "page.html").as_uri())
    measured = dict(figure_contrasts(tab))
    context.close()
    assert measured["opaque.png"] >= 4.5
    assert measured["transparent.png"] < 3


# --------------------------------------------------------------------------- per-page checks

def test_every_built_page_is_checked(html_dir):
    """A page that reaches the site without being in PAGES would escape every check below."""
    built = {str(p.relative_to(html_dir).with_suffix("")) for p in html_dir.rglob("*.html")
             if "_static" not in p.relative_to(html_dir).parts}
    assert built - NOT_VISITED == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("mode", MODES)
def test_no_console_error(visit, page, mode):
    v = visit(page, mode)
    assert v.console_errors == [], v.console_errors
    assert v.failed_responses == [], v.failed_responses


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("mode", MODES)
def test_no_request_leaves_the_local_server(visit, page, mode):
    assert visit(page, mode).foreign_requests == []


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("mode", MODES)
def test_no_axe_violation_of_wcag_21_a_aa(visit, page, mode):
    v = visit(page, mode)
    assert v.axe == [], v.axe


@pytest.mark.parametrize("page", PAGES)
def test_no_horizontal_scrolling_on_a_phone(visit, page):
    v = visit(page, "phone")
    assert v.viewport_width == PHONE["width"]
    assert v.scroll_width <= v.viewport_width, f"the page is {v.scroll_width}px wide"


GENERIC_ALT = re.compile(r"^(image|figure|picture|graph|chart|plot|png|output|img|_+)?\s*\d*$", re.I)


@pytest.mark.parametrize("page", PAGES)
def test_every_image_has_meaningful_alt_text(visit, page):
    for img in visit(page, "desktop").images:
        alt = (img["alt"] or "").strip()
        assert img["loaded"], f"{img['src']} did not load"
        assert alt, f"{img['src']} has no alt text"
        assert not GENERIC_ALT.match(alt), f"{img['src']}: alt text {alt!r} says nothing"
        assert not re.search(r"\.(png|jpe?g|svg|gif)$", alt, re.I), f"{img['src']}: alt text is a file name"
        assert len(alt.split()) >= 4, f"{img['src']}: alt text {alt!r} is too short to state a conclusion"


@pytest.mark.parametrize("page", PAGES)
def test_french_passages_carry_lang_fr(visit, page):
    assert visit(page, "desktop").untagged_french == []


@pytest.mark.parametrize("page", PAGES)
def test_figures_stay_readable_in_dark_mode(visit, page):
    v = visit(page, "dark")
    assert v.theme == "dark", "the theme did not follow prefers-color-scheme: dark"
    for src, contrast in v.figure_contrasts:
        assert contrast >= 4.5, f"{src}: contrast {contrast:.1f}:1 in dark mode"


# --------------------------------------------------------------------------- colour theme

_THEME_WATCH_JS = """
window.__themeAtBody = null;
window.__themesSet = [];
new MutationObserver(() => {
  if (document.body && window.__themeAtBody === null) {
    window.__themeAtBody = document.documentElement.dataset.theme || '';
  }
}).observe(document, {childList: true, subtree: true});
// Values set once the body exists, when the page can already be styled.
new MutationObserver(records => records.forEach(() => {
  if (document.body) window.__themesSet.push(document.documentElement.dataset.theme);
}))
  .observe(document, {attributes: true, subtree: true, attributeFilter: ['data-theme']});
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_first_time_reader_gets_the_colour_theme_before_the_page_is_drawn(browser, site, scheme):
    """With nothing stored yet, the theme is light or dark before the body is parsed, and stays so.

    The theme's own script resolved "auto" only after the whole page was parsed:
    the page was first styled with neither theme's colours, then restyled
    whole (Chromium's style recalculation took twice as long).
    """
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    context.add_init_script(_THEME_WATCH_JS)
    tab = context.new_page()
    tab.goto(f"{site}/{chapter_pages()[0]}.html", wait_until="load")
    tab.wait_for_load_state("networkidle")
    at_body, changes = tab.evaluate("[window.__themeAtBody, window.__themesSet]")
    context.close()
    assert at_body == scheme
    assert set(changes) <= {scheme}, changes


# --------------------------------------------------------------------------- the purged stylesheet

def test_queryable_keeps_the_elements_a_selector_names_and_drops_their_states():
    assert queryable(".a:hover > .b::before") == ".a > .b"
    assert queryable("input::-webkit-search-decoration") == "input"
    assert queryable(".x:not(.y, :checked):focus-visible") == ".x"
    assert queryable(".list > :first-child") == ".list > :first-child"
    assert queryable(".table>:not(caption)>*") == ".table>*>*"
    assert queryable("::selection") == "*"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("mode", MODES)
def test_no_style_rule_the_bundle_dropped_matches_the_page(visit, page, mode):
    """A rule is dropped only if it can match nothing: after the scripts ran, nothing it selects exists."""
    found = visit(page, mode).dropped_matching
    assert found["matched"] == [], found["matched"][:20]
    assert found["invalid"] == [], found["invalid"][:20]


def _menus_opened(tab, phone: bool):
    """Open, one after the other, what a reader can open; yield after each."""
    if phone:
        tab.locator("button.primary-toggle:visible").first.click()
        tab.wait_for_timeout(400)
        yield "the navigation drawer"
        tab.keyboard.press("Escape")
        tab.locator("button.secondary-toggle:visible").first.click()
        tab.wait_for_timeout(400)
        yield "the on-this-page drawer"
        tab.keyboard.press("Escape")
        tab.reload()
    tab.locator("button.dropdown-toggle:visible").first.click()
    tab.wait_for_selector(".dropdown-menu.show")
    yield "the download menu"
    tab.keyboard.press("Escape")
    tab.locator("button.theme-switch-button:visible").first.hover()
    tab.wait_for_selector(".tooltip.show")
    yield "a tooltip"
    tab.locator("button.theme-switch-button:visible").first.click()
    yield "the other colour mode"
    tab.keyboard.press("Control+k")
    tab.wait_for_selector("dialog[open]")
    yield "the search dialog"
    tab.keyboard.press("Escape")
    tab.evaluate(OPEN_DROPDOWNS_JS + "; window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_for_timeout(400)
    yield "the solutions, scrolled to the end"


@pytest.mark.parametrize("mode", ["desktop", "phone"])
def test_no_style_rule_the_bundle_dropped_matches_with_the_menus_open(browser, site, dropped_selectors, mode):
    """Scripts add classes as a reader opens things (``show``, ``tooltip``...); those rules must stay."""
    context = browser.new_context(viewport=PHONE if mode == "phone" else DESKTOP)
    tab = context.new_page()
    tab.goto(f"{site}/{chapter_pages()[0]}.html", wait_until="load")
    tab.wait_for_load_state("networkidle")
    problems, states = [], []
    for state in _menus_opened(tab, mode == "phone"):
        states.append(state)
        found = tab.evaluate(MATCHING_JS, dropped_selectors)
        problems += [f"{state}: {s}" for s in found["matched"] + found["invalid"]]
    context.close()
    assert len(states) == (7 if mode == "phone" else 5)
    assert problems == [], problems[:20]


def _serve_stylesheet(stylesheet: str, served: list[str]):
    """A route handler that answers with ``stylesheet`` and notes each address it answered."""
    def serve(route):
        served.append(route.request.url)
        route.fulfill(body=stylesheet, content_type="text/css")

    return serve


def _screenshots(browser, url: str, mode: str, stylesheets: list[str | None], settle: bool) -> list[bytes]:
    """A full-page screenshot of ``url`` drawn with each stylesheet (None: the site's own bundle).

    The pages load side by side, each in its own context: one loads while the
    other is drawn.
    """
    opened = []
    try:
        for stylesheet in stylesheets:
            context = browser.new_context(viewport=PHONE if mode == "phone" else DESKTOP,
                                          color_scheme="dark" if mode == "dark" else "light")
            tab, served = context.new_page(), []
            opened.append((context, tab, stylesheet, served))
            if stylesheet is not None:
                tab.route(f"**/{cssbundle.BUNDLE}*", _serve_stylesheet(stylesheet, served))
            tab.goto(url, wait_until="commit")
        shots = []
        for context, tab, stylesheet, served in opened:
            tab.wait_for_load_state("load")
            tab.wait_for_load_state("networkidle")
            png = _full_page(tab, settle)
            assert stylesheet is None or served, "the page never asked for the bundle: nothing was compared"
            shots.append(png)
        return shots
    finally:
        for context, *_ in opened:
            context.close()


def _full_page(tab, settle: bool) -> bytes:
    """A screenshot of the whole page, every image loaded and the fonts ready.

    ``settle``: a page at rest, two screenshots in a row agree (a busy
    machine can catch a scroll region or a transition half-drawn).
    """
    tab.evaluate("""async () => {
        for (const i of document.querySelectorAll('img')) { i.loading = 'eager'; await i.decode().catch(() => {}); }
        await document.fonts.ready;
        // Then the layout at rest: the page's height the same in three frames 100 ms apart (at most 5 s).
        let last = -1, same = 0;
        for (let k = 0; k < 50 && same < 3; k++) {
            await new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)));
            const height = document.documentElement.scrollHeight;
            same = height === last ? same + 1 : 0;
            last = height;
        }
    }""")
    png = tab.screenshot(full_page=True, animations="disabled", caret="hide")
    for _ in range(5 if settle else 0):
        tab.wait_for_timeout(300)
        again = tab.screenshot(full_page=True, animations="disabled", caret="hide")
        if again == png:
            break
        png = again
    return png


def differing_pixels(a: bytes, b: bytes, tolerance: int = 2) -> tuple[int, tuple | None]:
    """How many pixels differ by more than ``tolerance`` levels, and where."""
    from PIL import Image, ImageChops

    if a == b:  # the same PNG bytes are the same pixels: nothing to decode
        return 0, None

    one, two = (Image.open(io.BytesIO(x)).convert("RGB") for x in (a, b))
    if one.size != two.size:
        return one.size[0] * one.size[1], (one.size, two.size)
    mask = ImageChops.difference(one, two).convert("L").point(lambda v: 255 if v > tolerance else 0)
    return sum(mask.histogram()[255:]), mask.getbbox()


def test_differing_pixels_sees_a_change_of_colour_and_of_size():
    from PIL import Image

    def png(colour, size=(20, 10)):
        out = io.BytesIO()
        Image.new("RGB", size, colour).save(out, format="PNG")
        return out.getvalue()

    assert differing_pixels(png((250, 250, 250)), png((251, 250, 250)))[0] == 0  # anti-aliasing noise
    assert differing_pixels(png((250, 250, 250)), png((240, 250, 250))) == (200, (0, 0, 20, 10))
    assert differing_pixels(png((250, 250, 250)), png((250, 250, 250), (20, 11)))[0] > 0
    assert differing_pixels(png((250, 250, 250)), png((250, 250, 250))) == (0, None)


@pytest.fixture(scope="session")
def unpurged_css(html_dir) -> str:
    """The bundle with every rule of its sources: what the purged bundle must draw like."""
    return cssbundle.bundle_css(html_dir, cssbundle.bundle_sources(html_dir), None)


@pytest.mark.parametrize("page, mode", [(chapter_pages()[0], "desktop"), (chapter_pages()[0], "phone"),
                                        (chapter_pages()[0], "dark"), ("search", "desktop")])
def test_the_bundle_draws_a_page_as_the_unpurged_stylesheets_do(browser, site, unpurged_css, quiet_machine,
                                                                 page, mode):
    """The whole page, pixel for pixel: with the purged bundle, and with every rule of its sources.

    One screenshot of each first: two drawings that agree pixel for pixel are
    the answer. Only when they differ is each page first let come to rest
    (a busy machine can catch one half-drawn) and compared again.
    """
    url = f"{site}/{page}.html"
    count, where = differing_pixels(*_screenshots(browser, url, mode, [None, unpurged_css], settle=False))
    if count:
        count, where = differing_pixels(*_screenshots(browser, url, mode, [None, unpurged_css], settle=True))
    assert count == 0, f"{count} pixels differ, in {where}"


# The bans chapter: the most figures, tables and dropdowns of any page.
@pytest.mark.parametrize("page", ["chapters/bans", "fr/chapters/bans"])
def test_a_page_switched_to_dark_is_drawn_as_the_page_loaded_in_dark(browser, site, quiet_machine, page):
    """The dark visits (tests/pagevisits.py) switch a loaded page to dark: it must be what a reader in dark mode sees.

    Pixel for pixel, the whole page: loaded with ``prefers-color-scheme: dark``,
    and loaded light then switched (pagevisits.switch_to_dark).
    """
    from pagevisits import switch_to_dark

    def shot(switch: bool, settle: bool) -> bytes:
        context = browser.new_context(viewport=DESKTOP, color_scheme="light" if switch else "dark")
        try:
            tab = context.new_page()
            tab.goto(f"{site}/{page}.html", wait_until="load")
            tab.wait_for_load_state("networkidle")
            if switch:
                switch_to_dark(tab)
            assert tab.evaluate("document.documentElement.dataset.theme") == "dark"
            return _full_page(tab, settle)
        finally:
            context.close()

    count, where = differing_pixels(shot(False, False), shot(True, False))
    if count:
        count, where = differing_pixels(shot(False, True), shot(True, True))
    assert count == 0, f"{count} pixels differ, in {where}"


# --------------------------------------------------------------------------- search

def distinctive_word(html: str) -> str:
    """A long word of the page's own prose, to search for."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth, self.skip, self.words = 0, 0, []

        def handle_starttag(self, tag, attrs):
            if tag == "main":
                self.depth += 1
            if tag in ("script", "style", "pre", "code", "nav"):
                self.skip += 1

        def handle_endtag(self, tag):
            if tag == "main":
                self.depth -= 1
            if tag in ("script", "style", "pre", "code", "nav"):
                self.skip -= 1

        def handle_data(self, data):
            if self.depth and not self.skip:
                self.words += re.findall(r"\b[A-Za-z]{8,}\b", data)

    parser = Text()
    parser.feed(html)
    counts: dict[str, int] = {}
    for w in parser.words:
        counts[w.lower()] = counts.get(w.lower(), 0) + 1
    assert counts, "the page has no prose to search for"
    return max(counts, key=lambda w: (counts[w], len(w)))


@pytest.mark.parametrize("page", chapter_pages())
def test_the_search_box_finds_the_chapter(browser, site, html_dir, page):
    word = distinctive_word((html_dir / f"{page}.html").read_text(encoding="utf-8"))
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.goto(f"{site}/intro.html")
    tab.keyboard.press("Control+k")
    box = tab.locator("input[name='q']:visible").first
    box.fill(word)
    box.press("Enter")
    tab.wait_for_url(re.compile(r"search\.html\?q="))
    tab.wait_for_selector("#search-results p.search-summary", timeout=15000)
    hrefs = tab.eval_on_selector_all("#search-results li a", "as => as.map(a => a.getAttribute('href'))")
    context.close()
    assert any(h.split("#")[0].split("?")[0].endswith(f"{page}.html") for h in hrefs), (word, hrefs)
