"""The book on a 360 px phone (issue 14): tables, figures and the map's date control.

Browser tests, on the built site served by the shared fixtures of tests/conftest.py
(``html_dir``, ``site``, ``browser``), not copies of them. What every page
shows on a phone comes from the one load of each page in each mode that the
other browser tests read too (``visit``, tests/pagevisits.py: the phone mode is
360 px wide, with every dropdown open); only the tests that change a page (the
date control) or load it another way (without JavaScript) open their own.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from durovbook.bans import load_bans, status_as_of
from durovbook.style import PNG_DENSITY, PNG_MIN_TEXT, PNG_VARIANT
from pagevisits import PAGES, PHONE  # the fixtures html_dir, site, browser and visit come from conftest.py

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 12
#: Dates the control is tried on: before any block, Russia's ban, the statement, the newest source.
CONTROL_DATES = ["2015-01-01", "2019-06-01", "2024-09-05", "2026-06-19"]


def _open(browser, site, page: str, javascript: bool = True):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript, service_workers="block")
    tab = context.new_page()
    foreign = []
    host = urlsplit(site).netloc
    tab.on("request", lambda r: urlsplit(r.url).scheme in ("http", "https")
           and urlsplit(r.url).netloc != host and foreign.append(r.url))
    tab.goto(f"{site}/{page}.html" if page != "404" else f"{site}/no/such/page.html", wait_until="load")
    tab.wait_for_load_state("networkidle")
    return context, tab, foreign


def test_the_phone_visits_are_360px_wide(visit):
    assert PHONE["width"] == 360
    assert visit("intro", "phone").viewport_width == 360


@pytest.mark.parametrize("page", PAGES)
def test_no_table_is_wider_than_its_container_on_a_360px_phone(visit, page):
    wide = [t for t in visit(page, "phone").tables if t["width"] > t["container"] + 0.5]
    assert wide == [], wide


def test_the_phone_visits_measure_the_tables(visit):
    """The check above has something to measure: the bans page's tables, at most 360 px wide."""
    tables = visit("chapters/bans", "phone").tables
    assert tables and all(0 < t["width"] <= PHONE["width"] for t in tables), tables


def test_a_card_table_is_still_a_table_for_screen_readers(visit):
    assert visit("chapters/bans", "phone").card_table, "the bans page has no card table"
    for page in PAGES:
        if visit(page, "phone").card_table is None:
            continue
        display, tree = visit(page, "phone").card_table
        assert display == "block", page  # drawn as cards
        # Playwright's ARIA snapshot is YAML: a line whose name has a quote is quoted whole.
        roles = set(re.findall(r"^\s*- '?([a-z]+)\b", tree, re.M))
        assert {"table", "row", "cell", "columnheader"} <= roles, (page, tree[:500])
        assert "Country:" not in tree, page  # the label drawn before a cell is not read on top of its header


def png_chunks(path: Path) -> dict[str, str]:
    from PIL import Image

    with Image.open(path) as im:
        return dict(getattr(im, "text", {}) or {})


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_has_12px_text_on_a_360px_phone(visit, html_dir, page):
    for f in visit(page, "phone").figures:
        assert f["natural"] > 0, f"{f['src']} did not load"
        path = html_dir / unquote(urlsplit(f["src"]).path).lstrip("/")
        chunks = png_chunks(path)
        assert chunks.get(PNG_VARIANT) == "phone", f"{page}: {f['src']} is not a phone drawing at 360 px"
        smallest = float(chunks[PNG_MIN_TEXT]) * f["shown"] / f["natural"]
        assert smallest >= MIN_TEXT_PX, f"{page}: {f['src']}: smallest text {smallest:.1f} px"
        assert int(chunks[PNG_DENSITY]) >= 1
        assert len(f["alt"].split()) >= 4, f"{f['src']}: the phone drawing lost its alt text"


@pytest.mark.parametrize("mode", ["desktop", "phone"])
def test_no_figure_is_drawn_out_of_its_proportions(visit, mode):
    """The figures' width and height attributes (bookbuild/phonefigures.py) give the ratio; the stylesheet the size."""
    drawn = [(page, f) for page in PAGES for f in visit(page, mode).figures if f["natural"]]
    assert drawn, "no figure was measured"
    for page, f in drawn:
        across, down = f["shown"] / f["natural"], f["shown_height"] / f["natural_height"]
        assert abs(across - down) < 0.01, f"{page}: {f['src']} drawn at {across:.3f} across, {down:.3f} down"


def test_every_figure_keeps_its_room_before_it_loads(html_dir):
    """Each figure's <img> and phone <source> say their size, so that nothing below moves when a lazy image arrives."""
    from bs4 import BeautifulSoup
    from PIL import Image

    checked = 0
    for page in PAGES:
        path = html_dir / (f"{page}.html" if page != "404" else "404.html")
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for picture in soup.select("main picture.durov-figure"):
            img, source = picture.find("img"), picture.find("source")
            assert source.get("width") and source.get("height"), f"{page}: {source}"
            with Image.open((path.parent / unquote(img["src"])).resolve()) as im:
                assert (img.get("width"), img.get("height")) == tuple(map(str, im.size)), f"{page}: {img['src']}"
            checked += 1
    assert checked >= 20, f"only {checked} figures found"


def test_the_desktop_still_gets_the_wide_figure(visit):
    srcs = visit("chapters/bans", "desktop").figures
    assert srcs and all(f["natural"] >= 800 for f in srcs), srcs


def _statuses(tab) -> dict[str, tuple[str, str]]:
    return tab.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.durov-mapcontrol tr[data-iso3]')]
        .map(r => [r.dataset.iso3, [r.querySelector('[data-status]').textContent,
                                    r.querySelector('[data-verified]').textContent]]))""")


def test_the_map_date_control_shows_country_status_of_any_date(browser, site):
    bans = load_bans()
    context, tab, foreign = _open(browser, site, "chapters/bans")
    field = tab.locator(".durov-mapcontrol input[type=date]")
    assert field.is_visible()
    for day in CONTROL_DATES:
        field.fill(day)
        field.dispatch_event("change")
        shown = _statuses(tab)
        assert set(shown) == set(bans["iso3"])
        # durovbook.bans.country_status of each country is this table's row.
        expected = status_as_of(bans, day).set_index("iso3")
        for iso3, (status, verified) in shown.items():
            assert status == str(expected.loc[iso3, "status"]), (day, iso3)
            assert verified == ("yes" if expected.loc[iso3, "verified"] else "no"), (day, iso3)
        assert day in tab.locator(".durov-mapcontrol [data-said]").inner_text()
    context.close()
    assert foreign == []


def test_without_javascript_the_static_map_and_its_table_still_show(browser, site):
    context, tab, _ = _open(browser, site, "chapters/bans", javascript=False)
    assert not tab.locator(".durov-mapcontrol form").is_visible()
    assert len(_statuses(tab)) == load_bans()["iso3"].nunique()
    assert tab.locator("main picture img").count() >= 2
    context.close()


def test_the_date_control_script_is_small_and_self_hosted(html_dir):  # noqa: F811
    page = (html_dir / "chapters" / "bans.html").read_text(encoding="utf-8")
    control = re.search(r'<div class="durov-mapcontrol">.*?</div>\s*</div>', page, re.S)
    assert control, "the bans page has no date control"
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", control.group(0), re.S)
    assert scripts
    size = len(gzip.compress("".join(scripts).encode("utf-8"), 6))
    assert size <= 15 * 1024, f"{size} bytes gzip"
    assert not re.search(r"https?://", "".join(scripts))


@pytest.fixture(scope="session")
def bans_weight(browser, html_dir, template_site):  # template_site: tests/conftest.py
    """The bans page and the template page on a phone, weighed as bookbuild/bench.py weighs them."""
    from bookbuild import bench

    with bench.serve(html_dir, compress=True) as server:
        page = bench.weigh(browser, server.url, "chapters/bans")
        template = bench.weigh(browser, template_site, bench.TEMPLATE_PAGE)
    print(f"\nbans page on opening {page['gzip']} B gzip, template {template['gzip']} B: "
          f"{page['gzip'] / template['gzip']:.1%}; read to the end {page['read_to_end']['gzip']} B")
    return page, template


def test_the_bans_page_makes_no_request_to_another_host(bans_weight):
    page, _ = bans_weight
    assert page["foreign"] == []
    assert page["requests"] > 5  # the page, its stylesheet, scripts and font were counted


def test_the_bans_page_weighs_at_most_6_percent_of_the_template_page_on_opening(bans_weight):
    """Issue 14's budget, for a reader who opens the page on a phone (its figures load as they scroll)."""
    from bookbuild import bench

    page, template = bans_weight
    ratio = page["gzip"] / template["gzip"]
    assert bench.page_budget("chapters/bans") == 0.06
    assert ratio <= 0.06, f"{page['gzip']} B gzip is {ratio:.1%} of the template's {template['gzip']} B"


def test_read_to_the_end_the_bans_page_loads_its_figures_as_compact_pngs(bans_weight, html_dir):  # noqa: F811
    from PIL import Image

    page, _ = bans_weight
    end = page["read_to_end"]
    figures = [name for name, _ in end["heaviest"] if name.endswith(".png")]
    assert figures, end["heaviest"]  # scrolled to the end, the figures were fetched and counted
    assert end["gzip"] > page["gzip"] + 50 * 1024
    for name in figures:
        with Image.open(html_dir / "_images" / name) as im:
            assert im.mode == "P", f"{name} is not a palette PNG"
