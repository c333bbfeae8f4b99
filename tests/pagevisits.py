"""One load of every page in every mode, shared by the browser tests of test_site.py and test_phone.py.

The session fixtures ``visits`` and ``visit`` (tests/conftest.py) hand the
tests each page of :data:`PAGES` loaded once in each of :data:`MODES`, and
what was read of it, in a :class:`Visit`. The loads are made by this module
run as a script (:func:`main`), in a background process started as soon as
the book is built:

* every mode: console errors, failed responses, requests to another host,
  axe-core's WCAG 2.1 A/AA violations, the page's scroll width, the images
  (loaded, alt text, size, the drawing chosen), untagged French, and which of
  the selectors the purged stylesheet dropped match the page;
* ``dark``: the theme chosen, and the contrast of each figure as drawn;
* ``phone``: what a 360 px phone shows with every dropdown open: each table's
  width against its container's, each figure's drawn width, and the first card
  table's accessibility tree.

Pages overlap (bookbuild.browser.overlap): while one page loads, or waits for
the network to go quiet, another is checked by axe. Each load still has its own
browser context (no cache, no storage shared with another page).

A page is loaded twice: at phone width (its own load, as a phone reader's
first visit) and at desktop width in light mode. The ``dark`` visit is that
desktop page switched to ``prefers-color-scheme: dark`` once its light checks
are done: the theme follows the change as a reader's browser switching to dark
would, and every check (axe included) runs again on the page as it is then
drawn. A dark visit's console errors and requests are those of the load and of
the switch. (A first visit already in dark mode is checked by
test_site.py's first-time reader test.) One load fewer a page: a fifth less
work for the whole tier.
"""

from __future__ import annotations

import io
import pickle
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bookbuild import toc

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: The narrowest phone the book promises to work on (issue 14). The stylesheets
#: have no breakpoint between 360 and 375 px (the smallest is 540 px), so a
#: 375 px phone gets the same rules, with more room.
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
MODES = ("desktop", "phone", "dark")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
#: Pages open at once, and pages being checked by axe at once (see bookbuild.browser.overlap).
OPEN_AT_ONCE, BUSY_AT_ONCE = 4, 2


def toc_pages() -> list[str]:
    """Every document of _toc.yml, at any depth (parts, chapters, sections), in order (bookbuild.toc)."""
    return toc.pages()


def chapter_pages() -> list[str]:
    return [p for p in toc_pages() if p.startswith("chapters/")]


#: The French edition's folder in the site (bookbuild/editions.py).
FR = "fr/"


def fr_pages() -> list[str]:
    """The French edition's pages: the same documents as the English one (tests/test_editions.py), under fr/."""
    return [FR + p for p in toc.pages(toc.ROOT / "fr")] + [FR + p for p in ("search", "genindex", "404", "slides/index")]


#: Every page a reader can reach: the table of contents, Sphinx's own pages,
#: and the pages an extension writes (bookbuild/slides.py: the lesson's slides),
#: in both editions (each has its slides: fr/teacher/slides.yml is the French deck).
PAGES = toc_pages() + ["search", "genindex", "404", "slides/index"] + fr_pages()
#: Built pages the browser checks leave out: index.html only redirects to the
#: root page (tests/test_links.py checks its title, language and description).
NOT_VISITED = {"index", FR + "index"}


def edition(page: str) -> str:
    """The folder of the edition ``page`` belongs to: ``"fr/"`` or ``""``."""
    return FR if page.startswith(FR) else ""


def page_url(site: str, page: str) -> str:
    # A missing address gets the site's one 404 page (as on a static host);
    # the French 404 page is visited at its own address.
    return f"{site}/{page}.html" if page != "404" else f"{site}/no/such/page.html"


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
        #: Figures in <main> a reader sees: drawing chosen, drawn and natural width, alt
        #: (desktop: as the page opens; phone: with every dropdown open).
        self.figures: list[dict] = []
        #: phone: each table of <main> a reader sees, with every dropdown open.
        self.tables: list[dict] = []
        #: phone: the first card table's CSS display and accessibility tree, or None.
        self.card_table: tuple[str, str] | None = None


# --------------------------------------------------------------------------- what the page is asked

_IMAGES_IN_VIEW_JS = """async () => {
    // Figures load lazily (loading="lazy"): bring each into view, as a reader
    // scrolling down would, and wait for it (at most 5 s).
    for (const i of document.querySelectorAll('img')) {
        i.scrollIntoView({block: 'center'});
        await Promise.race([i.decode().catch(() => {}), new Promise(r => setTimeout(r, 5000))]);
    }
    window.scrollTo(0, 0);
    return [...document.querySelectorAll('img')].map(i => ({
        src: i.getAttribute('src') || '', alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0}));
}"""

# Text of block elements, leaving out any part inside an element tagged with a
# language other than English (a French quotation inside English prose is fine).
UNTAGGED_TEXT_JS = r"""() => {
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

MATCHING_JS = """(selectors) => {
  const out = {matched: [], invalid: []};
  for (const s of selectors) {
    try { if (document.querySelector(s)) out.matched.push(s); } catch (e) { out.invalid.push(s); }
  }
  return out;
}"""

OPEN_DROPDOWNS_JS = "document.querySelectorAll('main details').forEach(d => { d.open = true; })"

TABLE_WIDTHS_JS = """() => [...document.querySelectorAll('main table')].filter(t => t.getClientRects().length)
  .map(t => ({
    width: t.getBoundingClientRect().width,
    container: t.parentElement.getBoundingClientRect().width,
    columns: t.querySelector('tr') ? t.querySelector('tr').children.length : 0,
    caption: (t.caption ? t.caption.textContent : t.innerText.slice(0, 40)).trim()}))"""

FIGURES_JS = """async () => {
  const out = [];
  for (const i of document.querySelectorAll('main img')) {
    i.loading = 'eager';
    i.scrollIntoView({block: 'center'});
    await i.decode().catch(() => {});
    if (!i.getClientRects().length) continue;
    const box = i.getBoundingClientRect();
    out.push({src: i.currentSrc, shown: box.width, natural: i.naturalWidth,
              shown_height: box.height, natural_height: i.naturalHeight, alt: i.getAttribute('alt') || ''});
  }
  window.scrollTo(0, 0);
  return out;
}"""

CARD_TABLE = "main [data-cards] > table"

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
    tab.evaluate(OPEN_DROPDOWNS_JS)
    for img in tab.query_selector_all("main img"):
        if not img.is_visible():
            continue  # inside a toggled-off block: no pixels to measure
        img.scroll_into_view_if_needed(timeout=5000)
        box = img.bounding_box()
        if not box or box["width"] < 40 or box["height"] < 40:
            continue
        out.append((img.get_attribute("src") or "", image_contrast(img.screenshot(timeout=5000))))
    return out


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


# --------------------------------------------------------------------------- one visit, in three steps

def start(browser, site: str, page: str, mode: str):
    """Open a context for ``mode`` and send the page's request; return without waiting for it to load."""
    v = Visit()
    context = browser.new_context(
        viewport=PHONE if mode == "phone" else DESKTOP,
        color_scheme="dark" if mode == "dark" else "light",
        service_workers="block",
    )
    state = {"visit": v, "context": context, "page": page, "mode": mode, "url": page_url(site, page)}
    try:
        # No request interception: with it, Chromium resolves a stylesheet's
        # relative @import against the page instead of the stylesheet. The
        # closed network refuses any foreign request; the listener counts it.
        tab = state["tab"] = context.new_page()
        host, url = urlsplit(site).netloc, state["url"]

        # What happens is written to the visit the state holds at the time:
        # the desktop visit, then (once the page is switched) the dark one.
        def console(m):
            # The 404 page's own status is the one error that is expected.
            if m.type == "error" and not (page == "404" and m.location.get("url") == url and "404" in m.text):
                state["visit"].console_errors.append(f"{m.text} @ {m.location.get('url')}")

        tab.on("console", console)
        tab.on("pageerror", lambda e: state["visit"].console_errors.append(f"uncaught: {e}"))
        tab.on("request", lambda r: urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
               and urlsplit(r.url).netloc != host and state["visit"].foreign_requests.append(r.url))
        tab.on("response", lambda r: r.status >= 400 and r.url != url
               and state["visit"].failed_responses.append(f"{r.status} {r.url}"))
        # "commit": the response has begun; the page goes on loading while
        # other pages are checked, and `middle` waits for its load event.
        state["response"] = tab.goto(url, wait_until="commit")
    except BaseException:
        context.close()
        raise
    return state


def middle(state: dict) -> None:
    """Wait for the page to load and the network to go quiet, take the measures of the page at rest, start axe."""
    from axe_playwright_python.base import AXE_SCRIPT

    tab, page = state["tab"], state["page"]
    assert state["response"].status == (404 if page == "404" else 200), state["url"]
    tab.wait_for_load_state("load")
    tab.wait_for_load_state("networkidle")
    tab.evaluate(AXE_SCRIPT)
    _at_rest(state)


def _at_rest(state: dict) -> None:
    """The measures of the page as drawn now, then axe set off (``finish`` collects its verdict)."""
    v, tab = state["visit"], state["tab"]
    v.theme = tab.evaluate("document.documentElement.dataset.theme || ''")
    v.scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    v.viewport_width = tab.evaluate("document.documentElement.clientWidth")
    v.images = tab.evaluate(_IMAGES_IN_VIEW_JS)
    v.untagged_french = [t for t in tab.evaluate(UNTAGGED_TEXT_JS) if looks_french(t)]
    # Started, not awaited: `finish` collects the result.
    tab.evaluate("options => { window.__axeRun = axe.run(document, options); }", AXE_OPTIONS)


def to_dark(state: dict) -> None:
    """Switch the loaded desktop page to ``prefers-color-scheme: dark``: the dark visit starts.

    It keeps what the load produced (console errors, requests), waits for the
    theme to follow, and takes the measures of the page at rest again.
    """
    light, tab = state["visit"], state["tab"]
    dark = Visit()
    dark.console_errors, dark.foreign_requests, dark.failed_responses = (
        list(light.console_errors), list(light.foreign_requests), list(light.failed_responses))
    state["visit"], state["mode"], state["visits"] = dark, "dark", {"desktop": light}
    switch_to_dark(tab)
    tab.evaluate("window.scrollTo(0, 0)")
    _at_rest(state)


def switch_to_dark(tab) -> None:
    """Emulate ``prefers-color-scheme: dark`` on a loaded page; return once the theme has followed and come to rest.

    test_site.py checks that a page switched so is drawn, pixel for pixel, as
    the same page loaded in dark mode.
    """
    tab.emulate_media(color_scheme="dark")
    try:
        tab.wait_for_function("document.documentElement.dataset.theme === 'dark'", timeout=5000)
    except Exception:  # noqa: BLE001 - the dark visit records the theme; test_site.py says it did not follow
        pass
    # The theme fades some colours in (CSS transitions): axe reads them once drawn.
    tab.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => {})))")


def finish(state: dict, dropped_selectors: list[str]):
    """Wait for axe's verdict, then take the measures that change the page (scrolling, open dropdowns).

    A desktop page is then switched to dark mode (:func:`to_dark`) and
    :data:`bookbuild.browser.AGAIN` returned: it is finished once more, as the
    dark visit. What is returned at last is ``{mode: Visit}``.
    """
    from bookbuild.browser import AGAIN

    v, tab, mode = state["visit"], state["tab"], state["mode"]
    v.axe = tab.evaluate("""() => window.__axeRun.then(r => r.violations.map(x => ({
        id: x.id, impact: x.impact, help: x.help, nodes: x.nodes.slice(0, 5).map(n => n.target)})))""")
    if mode == "dark":
        # With every dropdown open: the purge check below sees them open too.
        v.figure_contrasts = figure_contrasts(tab)
    v.dropped_matching = tab.evaluate(MATCHING_JS, dropped_selectors)
    if mode == "desktop":
        v.figures = tab.evaluate(FIGURES_JS)
        to_dark(state)
        return AGAIN
    if mode == "phone":
        cards = tab.locator(CARD_TABLE)
        if cards.count():
            v.card_table = (cards.first.evaluate("t => getComputedStyle(t).display"), cards.first.aria_snapshot())
        tab.evaluate(OPEN_DROPDOWNS_JS)
        v.tables = tab.evaluate(TABLE_WIDTHS_JS)
        v.figures = tab.evaluate(FIGURES_JS)
    # A step that raises is closed by overlap's `abandon` (_close).
    state["context"].close()
    return {**state.get("visits", {}), mode: v}


def _close(state: dict) -> None:
    try:
        state["context"].close()  # already closed when `finish` failed
    except Exception:  # noqa: BLE001
        pass


#: The loads of a page: phone width, and desktop width (then switched to dark).
LOADS = ("desktop", "phone")


def visit_all(browser, site: str, dropped_selectors, pages=PAGES, modes=MODES) -> dict:
    """``{(page, mode): Visit or the exception that loading it raised}``, pages overlapping.

    ``dropped_selectors`` is a list, or a dict of lists by edition (``""``,
    ``"fr/"``): each edition has its own purged stylesheet. The ``dark`` visit
    of a page is its desktop load switched to dark (:func:`to_dark`): asking
    for ``dark`` loads the page at desktop width too.
    """
    from bookbuild.browser import overlap

    def dropped(page):
        return dropped_selectors.get(edition(page), []) if isinstance(dropped_selectors, dict) else dropped_selectors

    loads = [m for m in LOADS if m in modes or (m == "desktop" and "dark" in modes)]
    done = overlap([(page, load) for page in pages for load in loads],
                   lambda key: start(browser, site, *key), middle,
                   lambda state: finish(state, dropped(state["page"])),
                   abandon=_close,
                   open_at_once=OPEN_AT_ONCE, busy_at_once=BUSY_AT_ONCE)
    results = {}
    for (page, load), got in done.items():
        for mode in (("desktop", "dark") if load == "desktop" else (load,)):
            if mode in modes:
                results[(page, mode)] = got if isinstance(got, Exception) else got[mode]
    return results


# --------------------------------------------------------------------------- in a process of its own

def purged_selectors(html: Path) -> list[str]:
    """Every selector bookbuild/cssbundle.py left out of the bundle of the site in ``html``, as querySelector sees it."""
    from bookbuild import cssbundle

    dropped: list[str] = []
    sources = cssbundle.bundle_sources(html)
    assert sources, f"the built site has no stylesheet bundle in {html}"
    cssbundle.bundle_css(html, sources, cssbundle.used_names(html), dropped)
    assert dropped, "the purge dropped nothing: the check below would test nothing"
    return sorted({queryable(s) for s in dropped})


def _picklable(got):
    """A visit, or the exception it raised as one the tests' process can read back."""
    if not isinstance(got, BaseException):
        return got
    try:
        pickle.dumps(got)
        return got
    except Exception:  # noqa: BLE001 - Playwright's errors do not always pickle
        return RuntimeError(f"{type(got).__name__}: {got}")


def main(argv: list[str]) -> int:
    """``python tests/pagevisits.py HTML OUT``: visit every page of the site in ``HTML``, pickle the visits into ``OUT``.

    tests/conftest.py runs it in the background as soon as the book is built,
    with Chromium of its own, while the build, browser and print tiers go on in
    the tests' process; the ``visits`` fixture reads ``OUT``. What is pickled
    is ``{(page, mode): Visit or exception}``.
    """
    from playwright.sync_api import sync_playwright

    from bookbuild import browser as harness

    html, out = Path(argv[0]), Path(argv[1])
    dropped = {"": purged_selectors(html), FR: purged_selectors(html / FR)}
    with harness.serve(html) as server, sync_playwright() as p:
        browser = harness.launch(p)
        try:
            visits = visit_all(browser, server.url, dropped)
        finally:
            browser.close()
    out.write_bytes(pickle.dumps({key: _picklable(got) for key, got in visits.items()}))
    failed = [key for key, got in visits.items() if isinstance(got, BaseException)]
    print(f"{len(visits)} visits, {len(failed)} failed", *failed[:5])
    return 0


if __name__ == "__main__":  # run as a script, the module is __main__: the visits pickle as pagevisits'
    import pagevisits

    sys.exit(pagevisits.main(sys.argv[1:]))
