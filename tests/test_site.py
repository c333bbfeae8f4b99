"""The published site, checked as a reader's browser sees it.

Debian's Chromium, driven by Playwright, opens every page of the built book
served on 127.0.0.1 and checks: no console error, no request to any other host,
no axe-core violation of the WCAG 2.1 A/AA rules (light and dark mode), no
horizontal scrolling on a 375 px phone, meaningful alt text on every image,
French passages tagged ``lang="fr"``, figures readable in dark mode, and a
search box that finds each chapter.

Chromium is never downloaded here. Without ``/usr/bin/chromium`` these tests
skip with a message; under ``CI=true`` they fail instead (CI installs it with apt
through ``make browser``).
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
import yaml

from durovbook.paths import ROOT

from bookbuild import cssbundle

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def toc_pages() -> list[str]:
    """Every file of _toc.yml, at any depth (parts, chapters, sections), in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.append(str(node["file"]).removesuffix(".md").removesuffix(".ipynb"))
            for key in ("parts", "chapters", "sections"):
                walk(node.get(key, []))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({"file": toc["root"], "parts": toc.get("parts", []), "chapters": toc.get("chapters", [])})
    return pages


def chapter_pages() -> list[str]:
    return [p for p in toc_pages() if p.startswith("chapters/")]


#: Every page a reader can reach: the table of contents, Sphinx's own pages,
#: and the pages an extension writes (bookbuild/slides.py: the lesson's slides).
PAGES = toc_pages() + ["search", "genindex", "404", "slides/index"]
#: Built pages the browser checks leave out: index.html only redirects to the
#: root page (tests/test_links.py checks its title, language and description).
NOT_VISITED = {"index"}


# --------------------------------------------------------------------------- the visits

# The site, its server and the browser are the session fixtures html_dir,
# site and browser of tests/conftest.py (bookbuild/browser.py).

class Visit:
    """What one page load produced."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed_responses: list[str] = []
        self.axe: list[dict] = []
        self.scroll_width = 0
        self.viewport_width = 0
        self.images: list[dict] = []
        self.untagged_french: list[str] = []
        self.theme = ""
        self.figure_contrasts: list[tuple[str, float]] = []
        self.dropped_matching: dict[str, list[str]] = {}


MODES = ("desktop", "phone", "dark")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
#: Pages open at once. axe-core runs in a page's own renderer process: while it
#: checks one page, the next one loads (and, on two cores, is checked too).
IN_FLIGHT = 2


def _open(browser, site: str, page: str, mode: str) -> tuple[Visit, object, object]:
    """Load ``page`` in ``mode``, take the measures that need no waiting, and start axe on it."""
    from axe_playwright_python.base import AXE_SCRIPT

    v = Visit()
    context = browser.new_context(
        viewport=PHONE if mode == "phone" else DESKTOP,
        color_scheme="dark" if mode == "dark" else "light",
        service_workers="block",
    )
    try:
        # No request interception: with it, Chromium resolves a stylesheet's
        # relative @import against the page instead of the stylesheet. The
        # closed network refuses any foreign request; the listener counts it.
        tab = context.new_page()
        host = urlsplit(site).netloc
        url = f"{site}/{page}.html" if page != "404" else f"{site}/no/such/page.html"

        def console(m):
            # The 404 page's own status is the one error that is expected.
            if m.type == "error" and not (page == "404" and m.location.get("url") == url and "404" in m.text):
                v.console_errors.append(f"{m.text} @ {m.location.get('url')}")

        tab.on("console", console)
        tab.on("pageerror", lambda e: v.console_errors.append(f"uncaught: {e}"))
        tab.on("request", lambda r: urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
               and urlsplit(r.url).netloc != host and v.foreign_requests.append(r.url))
        tab.on("response", lambda r: r.status >= 400 and r.url != url
               and v.failed_responses.append(f"{r.status} {r.url}"))
        response = tab.goto(url, wait_until="load")
        assert response.status == (404 if page == "404" else 200), url
        tab.wait_for_load_state("networkidle")
        v.theme = tab.evaluate("document.documentElement.dataset.theme || ''")
        v.scroll_width = tab.evaluate("document.documentElement.scrollWidth")
        v.viewport_width = tab.evaluate("document.documentElement.clientWidth")
        # Figures load lazily (loading="lazy"): bring each into view, as a
        # reader scrolling down would, and wait for it (at most 5 s) before
        # checking that it loaded.
        tab.evaluate(
            """async () => {
                   for (const i of document.querySelectorAll('img')) {
                       i.scrollIntoView({block: 'center'});
                       await Promise.race([i.decode().catch(() => {}),
                                           new Promise(r => setTimeout(r, 5000))]);
                   }
                   window.scrollTo(0, 0);
               }""")
        v.images = tab.evaluate(
            """() => [...document.querySelectorAll('img')].map(i => ({
                   src: i.getAttribute('src') || '', alt: i.getAttribute('alt'),
                   loaded: i.complete && i.naturalWidth > 0}))""")
        v.untagged_french = [t for t in tab.evaluate(_UNTAGGED_TEXT_JS) if looks_french(t)]
        tab.evaluate(AXE_SCRIPT)
        # Started, not awaited: _finish collects the result.
        tab.evaluate("options => { window.__axeRun = axe.run(document, options); }", AXE_OPTIONS)
    except BaseException:
        context.close()
        raise
    return v, context, tab


def _finish(v: Visit, context, tab, mode: str, dropped_selectors: list[str]) -> Visit:
    """Wait for axe's verdict on the page, then take the measures that change it (open dropdowns)."""
    try:
        v.axe = tab.evaluate("""() => window.__axeRun.then(r => r.violations.map(x => ({
            id: x.id, impact: x.impact, help: x.help, nodes: x.nodes.slice(0, 5).map(n => n.target)})))""")
        if mode == "dark":
            v.figure_contrasts = figure_contrasts(tab)
        v.dropped_matching = tab.evaluate(_MATCHING_JS, dropped_selectors)
    finally:
        context.close()
    return v


@pytest.fixture(scope="session")
def visits(browser, site, dropped_selectors) -> dict:
    """Every page of PAGES in every mode, loaded once, IN_FLIGHT at a time.

    Modes: ``desktop`` (1280 px, light), ``phone`` (375 px, light), ``dark``
    (1280 px, ``prefers-color-scheme: dark``). A visit that failed keeps its
    exception, raised by the tests that read it.
    """
    from collections import deque

    done: dict[tuple[str, str], Visit | Exception] = {}
    pending: deque = deque()

    def finish_oldest():
        key, opened = pending.popleft()
        try:
            done[key] = _finish(*opened, key[1], dropped_selectors)
        except Exception as e:  # noqa: BLE001 - reported by each test of that page and mode
            done[key] = e

    for key in [(page, mode) for page in PAGES for mode in MODES]:
        try:
            pending.append((key, _open(browser, site, *key)))
        except Exception as e:  # noqa: BLE001
            done[key] = e
        while len(pending) >= IN_FLIGHT:
            finish_oldest()
    while pending:
        finish_oldest()
    return done


@pytest.fixture(scope="session")
def visit(visits):
    """``visit(page, mode)``: what loading ``page`` in ``mode`` produced (see ``visits``)."""
    def load(page: str, mode: str) -> Visit:
        v = visits[(page, mode)]
        if isinstance(v, Exception):
            raise v
        return v

    return load


# --------------------------------------------------------------------------- language

# Text of block elements, leaving out any part inside an element tagged with a
# language other than English (a French quotation inside English prose is fine).
_UNTAGGED_TEXT_JS = r"""() => {
  const blocks = document.querySelectorAll(
    'main p, main li, main td, main th, main dd, main dt, main blockquote, main figcaption, ' +
    'main h1, main h2, main h3, main h4, main caption, main div.citation, title');
  const out = [];
  for (const b of blocks) {
    const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const tagged = n.parentElement.closest('[lang]');
      const lang = tagged ? tagged.getAttribute('lang').toLowerCase() : '';
      if (!lang.startsWith('en')) continue;
      text += n.textContent;
    }
    text = text.replace(/\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  return out;
}"""

FRENCH = set("""le la les des du une est et que qui dans pour pas sur avec au aux ce cette ces
    il elle ils elles nous vous son sa ses leur leurs été être sont mais ou où par ne se qu d l c n
    j lui été avait ont fait aussi très après selon contre depuis entre sous""".split())
ENGLISH = set("""the and of to is in that for with was on as by his he it from at this be are
    has which not an or have were its their they been after said would will""".split())


def looks_french(text: str) -> bool:
    """True when a run of text reads as French: many French and few English function words."""
    text = re.sub(r"\S+://\S+", " ", text)  # an address is not prose
    words = re.findall(r"[a-zà-öø-ÿœ]+", text.lower().replace("’", "'"))
    if len(words) < 6:
        return False
    fr = sum(w in FRENCH for w in words)
    en = sum(w in ENGLISH for w in words)
    return fr >= 3 and fr >= 0.15 * len(words) and fr > 2 * en


def test_the_french_detector_tells_french_from_english():
    assert looks_french("Pavel Durov a été mis en examen pour complicité dans la diffusion de contenus")
    assert looks_french("Le fondateur de Telegram est visé par une enquête du parquet de Paris")
    assert not looks_french("Durov wrote that the claims were misguided and that Telegram is not an anarchic paradise")
    assert not looks_french("Le Monde, 28 August 2024")


# --------------------------------------------------------------------------- dark-mode figures

def _luminance(v: float) -> float:
    c = v / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def image_contrast(png: bytes) -> float:
    """WCAG contrast between a picture's background and its darkest ink.

    The book's figures are dark ink on an opaque white background. The
    background is the most common grey level, the ink the darkest 0.1 % of the
    pixels. A transparent figure on a dark page has a dark background, so its
    black text and axes score near 1:1.
    """
    from PIL import Image

    grey = Image.open(io.BytesIO(png)).convert("L")
    histogram = grey.histogram()
    background = max(range(256), key=histogram.__getitem__)
    needed, ink = 0.001 * sum(histogram), 0
    for level, count in enumerate(histogram):
        needed -= count
        if needed <= 0:
            ink = level
            break
    hi, lo = _luminance(background), _luminance(ink)
    return (max(hi, lo) + 0.05) / (min(hi, lo) + 0.05) if background > ink else 1.0


def figure_contrasts(tab) -> list[tuple[str, float]]:
    """Screenshot each content image as the reader sees it and measure its contrast."""
    out = []
    # Open the dropdowns (solutions, hidden cells) so that their figures are seen too.
    tab.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
    for img in tab.query_selector_all("main img"):
        if not img.is_visible():
            continue  # inside a toggled-off block: no pixels to measure
        img.scroll_into_view_if_needed(timeout=5000)
        box = img.bounding_box()
        if not box or box["width"] < 40 or box["height"] < 40:
            continue
        out.append((img.get_attribute("src") or "", image_contrast(img.screenshot(timeout=5000))))
    return out


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

#: Pseudo-elements and pseudo-classes that say how or when an element is drawn,
#: not which elements exist: ``.a:hover::before`` selects what ``.a`` does.
_PSEUDO = re.compile(
    r"::?(?:before|after|first-line|first-letter|marker|placeholder|selection|backdrop|"
    r"file-selector-button|-[\w-]+(?:\([^()]*\))?)"
    r"|:(?:hover|focus|focus-visible|focus-within|active|visited|link|any-link|target|checked|disabled|"
    r"enabled|indeterminate|placeholder-shown|invalid|valid|required|optional|read-only|read-write|empty|"
    r"default|autofill|defined|popover-open|modal|fullscreen|open|closed)(?![\w(-])")


def queryable(selector: str) -> str:
    """The selector without the states that ``querySelector`` cannot see on a page at rest."""
    # A negation only narrows a selector: without it the check is stricter.
    plain = re.sub(r":not\((?:[^()]|\([^()]*\))*\)", "\0", selector)
    plain = _PSEUDO.sub("\0", plain).strip()
    # What stood alone ("a > :hover") becomes "*"; what qualified an element goes.
    plain = re.sub(r"(^|[\s>+~(])\0+", "\\1*", plain)
    return plain.replace("\0", "")


def test_queryable_keeps_the_elements_a_selector_names_and_drops_their_states():
    assert queryable(".a:hover > .b::before") == ".a > .b"
    assert queryable("input::-webkit-search-decoration") == "input"
    assert queryable(".x:not(.y, :checked):focus-visible") == ".x"
    assert queryable(".list > :first-child") == ".list > :first-child"
    assert queryable(".table>:not(caption)>*") == ".table>*>*"
    assert queryable("::selection") == "*"


@pytest.fixture(scope="session")
def dropped_selectors(html_dir) -> list[str]:
    """Every selector that bookbuild/cssbundle.py left out of the built site's bundle."""
    dropped: list[str] = []
    sources = cssbundle.bundle_sources(html_dir)
    assert sources, "the built site has no stylesheet bundle"
    cssbundle.bundle_css(html_dir, sources, cssbundle.used_names(html_dir), dropped)
    assert dropped, "the purge dropped nothing: the check below would test nothing"
    return sorted({queryable(s) for s in dropped})


_MATCHING_JS = """(selectors) => {
  const out = {matched: [], invalid: []};
  for (const s of selectors) {
    try { if (document.querySelector(s)) out.matched.push(s); } catch (e) { out.invalid.push(s); }
  }
  return out;
}"""


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
    tab.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; }); "
                 "window.scrollTo(0, document.body.scrollHeight)")
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
        found = tab.evaluate(_MATCHING_JS, dropped_selectors)
        problems += [f"{state}: {s}" for s in found["matched"] + found["invalid"]]
    context.close()
    assert len(states) == (7 if mode == "phone" else 5)
    assert problems == [], problems[:20]


def _screenshot(browser, url: str, mode: str, stylesheet: str | None, settle: bool) -> bytes:
    context = browser.new_context(viewport=PHONE if mode == "phone" else DESKTOP,
                                  color_scheme="dark" if mode == "dark" else "light")
    tab = context.new_page()
    served = []
    if stylesheet is not None:
        def serve(route):
            served.append(route.request.url)
            route.fulfill(body=stylesheet, content_type="text/css")

        tab.route(f"**/{cssbundle.BUNDLE}*", serve)
    tab.goto(url, wait_until="load")
    tab.wait_for_load_state("networkidle")
    tab.evaluate("""async () => {
        for (const i of document.querySelectorAll('img')) { i.loading = 'eager'; await i.decode().catch(() => {}); }
        await document.fonts.ready;
    }""")
    png = tab.screenshot(full_page=True, animations="disabled", caret="hide")
    # ``settle``: a page at rest, two screenshots in a row agree (a busy
    # machine can catch a scroll region or a transition half-drawn).
    for _ in range(5 if settle else 0):
        tab.wait_for_timeout(300)
        again = tab.screenshot(full_page=True, animations="disabled", caret="hide")
        if again == png:
            break
        png = again
    context.close()
    assert stylesheet is None or served, "the page never asked for the bundle: nothing was compared"
    return png


def differing_pixels(a: bytes, b: bytes, tolerance: int = 2) -> tuple[int, tuple | None]:
    """How many pixels differ by more than ``tolerance`` levels, and where."""
    from PIL import Image, ImageChops

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


@pytest.fixture(scope="session")
def unpurged_css(html_dir) -> str:
    """The bundle with every rule of its sources: what the purged bundle must draw like."""
    return cssbundle.bundle_css(html_dir, cssbundle.bundle_sources(html_dir), None)


@pytest.mark.parametrize("page, mode", [(chapter_pages()[0], "desktop"), (chapter_pages()[0], "phone"),
                                        (chapter_pages()[0], "dark"), ("search", "desktop")])
def test_the_bundle_draws_a_page_as_the_unpurged_stylesheets_do(browser, site, unpurged_css, page, mode):
    """The whole page, pixel for pixel: with the purged bundle, and with every rule of its sources.

    One screenshot of each first: two drawings that agree pixel for pixel are
    the answer. Only when they differ is each page first let come to rest
    (a busy machine can catch one half-drawn) and compared again.
    """
    url = f"{site}/{page}.html"
    count, where = differing_pixels(_screenshot(browser, url, mode, None, settle=False),
                                    _screenshot(browser, url, mode, unpurged_css, settle=False))
    if count:
        count, where = differing_pixels(_screenshot(browser, url, mode, None, settle=True),
                                        _screenshot(browser, url, mode, unpurged_css, settle=True))
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
