"""The slides of the 50-minute lesson (bookbuild/slides.py, teacher/slides.yml).

Unit tests render the deck from the real source and the real data, with
stand-in figures; the build tier checks the deck the book's build wrote; the
browser tier drives it in Chromium: keys, counter, address, full screen,
axe-core on every slide, no request to another host, and print (one slide per
A4 landscape page).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from docutils import nodes
from docutils.utils import new_document
from PIL import Image

from bookbuild import slides
from bookbuild.slides import Figure, SlidesError
from durovbook.paths import ROOT

SPEC = ROOT / slides.SPEC
LESSONS = (ROOT / slides.LESSONS).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- helpers

class Deck(HTMLParser):
    """The slides of a rendered page: per section, its headings, images, text and links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.slides: list[dict] = []
        self.links: list[str] = []
        self.html_lang = None
        self.landmarks: list[str] = []
        self._heading = None
        self._in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag in ("main", "nav", "header"):
            self.landmarks.append(tag)
        if tag == "section" and "slide" in (a.get("class") or "").split():
            self.slides.append({"id": a.get("id"), "headings": [], "images": [], "text": "", "classes": a["class"]})
            self._in = self.slides[-1]
        if self._in is not None:
            if tag in ("h1", "h2", "h3"):
                self._heading = [tag, ""]
            if tag == "img":
                self._in["images"].append(a)
        for name in ("href", "src", "srcset"):
            if a.get(name):
                self.links.append(a[name].split()[0])

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self._in["headings"].append(tuple(self._heading))
            self._heading = None
        if tag == "section":
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            self._in["text"] += data
            if self._heading:
                self._heading[1] += data


def parse(page: str) -> Deck:
    deck = Deck()
    deck.feed(page)
    return deck


def text(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _png(path: Path, size=(80, 40), phone=False) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if phone:
        info.add_text("durovbook:variant", "phone")
        info.add_text("durovbook:density", "2")
    Image.new("RGB", size, "white").save(path, pnginfo=info)


@pytest.fixture
def stand_ins(tmp_path):
    """Stand-in PNGs for the figures the deck names, with the alt text a chapter would give."""
    spec = slides.load_spec(SPEC)
    figures = {}
    for i, slide in enumerate(spec["slides"]):
        if slide.get("figure"):
            key = (slide["figure"]["page"], slide["figure"]["code"])
            _png(tmp_path / f"fig{i}.png", (800, 450))
            _png(tmp_path / f"phone{i}.png", (600, 900), phone=True)
            figures[key] = Figure(f"fig{i}.png", f"Chart drawn by {key[1]} in {key[0]}, stating its conclusion",
                                  f"phone{i}.png")
    return spec, figures, tmp_path


def render(stand_ins, data=None, spec=None) -> str:
    real, figures, images = stand_ins
    return slides.render(spec or real, slides.values(data), slides.lesson_stages(LESSONS, real["lesson"]),
                         figures, images, "The book", data=data)


# --------------------------------------------------------------------------- the values

def test_the_values_are_the_datas():
    from durovbook import days_between, load_case_events
    from durovbook.charges import load_charges
    from durovbook.passages import checkable, load_passages
    from durovbook.users import load_users

    v = slides.values()
    events = load_case_events()
    assert v["custody_days"] == str(days_between(events, "detention_le_bourget", "mise_en_examen"))
    assert v["investigation_days"] == str(days_between(events, "judicial_investigation_opened", "detention_le_bourget"))
    assert v["passages"] == str(len(load_passages()))
    assert v["checkable"] == str(len(checkable(load_passages())))
    charges = load_charges()
    assert v["offences"] == str(len(charges))
    assert v["complicity_offences"] == str(int(charges["complicity"].astype(bool).sum()))
    users = load_users()
    assert v["users_first"] == f"{users['users_millions'].iloc[0]:.0f}"
    assert v["statement_date"] == "5 September 2024"
    assert all(isinstance(x, str) and x.strip() for x in v.values()), v


def test_every_placeholder_of_the_deck_is_a_known_value():
    spec = slides.load_spec(SPEC)
    source = " ".join([spec["description"]] + [str(s.get(k) or "") for s in spec["slides"] for k in ("heading", "text")])
    names = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", source))
    assert names, "the deck names no value: its numbers would be typed in"
    assert names <= set(slides.values()), names - set(slides.values())


def test_the_deck_types_in_no_number_of_its_own():
    """Digits in the deck's headings and texts come only from the values (links and ids aside)."""
    spec = slides.load_spec(SPEC)
    typed = []
    for n, slide in enumerate(spec["slides"], 1):
        for key in ("heading", "text"):
            # Placeholders, link targets, HTML tags and the numbers of an ordered list are no figures.
            prose = re.sub(r"(?m)\{\{[^}]*\}\}|\([^)]*\.html\)|<[^>]+>|^\s*\d+\.\s", "", str(slide.get(key) or ""))
            typed += [(n, key, d) for d in re.findall(r"\d[\d,.]*", prose)]
    # "50 minutes" is the lesson's length, in its title in teacher/lessons.md.
    assert [t for t in typed if t[2] != "50"] == []


def test_a_changed_data_row_changes_the_slide(stand_ins, data_copy):
    before = parse(render(stand_ins))
    data_copy.set_cell("charges", "csam-possession", "complicity", "false")
    # The complicity flag must agree with the French wording (durovbook.charges): change both.
    rows = data_copy.rows("charges")
    row = next(r for r in rows if r["id"] == "csam-possession")
    row["offence_fr"] = row["offence_fr"].replace("Complicité – ", "")
    data_copy.write("charges", rows)
    after = parse(render(stand_ins, data=data_copy.folder))
    old, new = (next(s["text"] for s in d.slides if s["headings"][0][1] == slides.values()["chapter_charges"]) for d in (before, after))
    count = int(slides.values()["complicity_offences"])
    assert f"{count} of them are complicity" in text(old)
    assert f"{count - 1} of them are complicity" in text(new)


# --------------------------------------------------------------------------- the deck

def test_the_deck_has_about_ten_slides_each_with_one_heading(stand_ins):
    deck = parse(render(stand_ins))
    spec = slides.load_spec(SPEC)
    assert len(deck.slides) == len(spec["slides"])
    assert 8 <= len(deck.slides) <= 14
    assert [s["id"] for s in deck.slides] == [f"slide-{n}" for n in range(1, len(deck.slides) + 1)]
    for s in deck.slides:
        assert len(s["headings"]) == 1, s
        assert s["headings"][0][1].strip()
    assert deck.slides[0]["headings"][0][0] == "h1"
    assert {s["headings"][0][0] for s in deck.slides[1:]} == {"h2"}
    assert "{{" not in "".join(s["text"] for s in deck.slides)


def test_the_page_has_a_language_landmarks_and_its_description(stand_ins):
    page = render(stand_ins)
    deck = parse(page)
    assert deck.html_lang == "en"
    assert {"header", "main", "nav"} <= set(deck.landmarks)
    description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert 50 <= len(description) <= 170 and "{{" not in description
    assert slides.values()["statement_date"] in description
    assert len(re.findall(r'<meta name="viewport"', page)) == 1


def test_every_image_has_the_chapters_alt_text_and_a_phone_drawing(stand_ins):
    page = render(stand_ins)
    deck = parse(page)
    images = [img for s in deck.slides for img in s["images"]]
    spec, figures, _ = stand_ins
    assert len(images) == len(figures) >= 3
    assert sorted(img["alt"] for img in images) == sorted(f.alt for f in figures.values())
    assert all(img.get("width") == "800" and img.get("height") == "450" for img in images)
    assert page.count('<source media="(max-width: 600px)"') == len(images)
    for s in deck.slides:
        assert ("has-figure" in s["classes"]) == bool(s["images"])


def test_numbers_on_the_slides_equal_durovbooks(stand_ins):
    from durovbook import days_between, load_case_events

    deck = parse(render(stand_ins))
    days = days_between(load_case_events(), "detention_le_bourget", "mise_en_examen")
    headings = [s["headings"][0][1] for s in deck.slides]
    assert f"{days} days in police custody" in headings
    v = slides.values()
    everything = text(" ".join(s["text"] for s in deck.slides))
    for name in ("statement_date", "detained", "mise_en_examen", "passages", "checkable", "users_950",
                 "users_first", "offences", "blocked_on_statement_day", "as_of"):
        assert v[name] in everything, name


def test_each_stage_shows_the_minutes_of_the_lesson_plan(stand_ins):
    stages = slides.lesson_stages(LESSONS, "One lesson of 50 minutes")
    assert list(stages)[0] == "Start" and stages["Exit ticket"].endswith("50")
    deck = parse(render(stand_ins))
    shown = re.findall(r"Minutes ([\d–-]+): ([^<\n]+)", " ".join(s["text"] for s in deck.slides))
    assert shown and all(stages[stage.strip()] == minutes for minutes, stage in shown)
    # Every stage of the lesson has a slide.
    assert {stage.strip() for _, stage in shown} == set(stages)


def test_quotes_are_the_statements_words_with_their_outlet(stand_ins):
    from durovbook.passages import passage_row

    page = render(stand_ins)
    assert text(str(passage_row("p13")["en_original"])).replace("'", "&#x27;") in text(page)
    assert 'as published by <cite>The Moscow Times</cite>' in page
    ours = slides.quote("p06")  # no English copy found: our translation, labelled
    assert "our translation" in ours and passage_row("p06")["en_ours"][:20] in ours


def test_the_checkable_table_counts_every_checked_passage():
    from durovbook.passages import checkable, load_passages

    table = slides.checkable_by_chapter()
    counts = [int(n) for n in re.findall(r'<td class="number">(\d+)</td>', table)]
    assert sum(counts) == len(checkable(load_passages()))
    assert counts == sorted(counts, reverse=True)
    assert '<th scope="col">Chapter</th>' in table and "<caption>" in table


def test_ranges():
    assert slides._ranges([2, 3, 5, 6, 7, 8, 9, 10]) == "2, 3, 5–10"
    assert slides._ranges([20]) == "20"
    assert slides._ranges([11, 16, 17, 18, 21, 22]) == "11, 16–18, 21, 22"


def test_the_page_asks_nothing_of_another_host(stand_ins):
    page = render(stand_ins)
    assert not [u for u in parse(page).links if urlsplit(u).scheme or u.startswith("//")]
    assert "@import" not in page and "url(" not in page
    script = slides.SCRIPT.read_text(encoding="utf-8")
    assert not re.search(r"https?:|fetch\(|XMLHttpRequest|import\(", script)


def test_the_stylesheet_prints_one_slide_per_a4_landscape_page():
    css = slides.STYLESHEET.read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{\s*size:\s*A4 landscape", css)
    printed = css[css.index("@media print"):]
    assert "break-after: page" in printed and ".slide:last-of-type { break-after: auto" in printed


# --------------------------------------------------------------------------- problems fail the build

def _spec(**slide) -> dict:
    return {"title": "T", "lesson": "One lesson of 50 minutes", "description": "d" * 60,
            "slides": [dict({"heading": "A slide"}, **slide)]}


@pytest.mark.parametrize("slide, message", [
    ({"text": "{{ no_such_value }}"}, "unknown value {{ no_such_value }}"),
    ({"stage": "Lunch"}, "the lesson has no stage 'Lunch'"),
    ({"figure": {"page": "chapters/users", "code": "plot_nothing("}}, "no figure drawn by a cell starting"),
])
def test_a_mistake_in_the_deck_names_its_slide(stand_ins, slide, message):
    with pytest.raises(SlidesError, match=re.escape(message)) as info:
        render(stand_ins, spec=_spec(**slide))
    assert "slide 1" in str(info.value)


@pytest.mark.parametrize("source, message", [
    ("title: T\nlesson: L\ndescription: D\nslides: []\n", "needs a list 'slides'"),
    ("lesson: L\ndescription: D\nslides: [{heading: H}]\n", "needs 'title'"),
    ("title: T\nlesson: L\ndescription: D\nslides: [{text: x}]\n", "slide 1: needs a 'heading'"),
    ("title: T\nlesson: L\ndescription: D\nslides: [{heading: H, picture: x}]\n", "unknown key(s) picture"),
    ("title: T\nlesson: L\ndescription: D\nslides: [{heading: H, figure: {page: p}}]\n", "needs 'page' and 'code'"),
    ("title: T\nlesson: L\ndescription: D\nslides: [{heading: H, table: nothing}]\n", "unknown table 'nothing'"),
])
def test_a_malformed_source_is_refused(tmp_path, source, message):
    path = tmp_path / "slides.yml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(SlidesError, match=re.escape(message)):
        slides.load_spec(path)


def test_a_lesson_plan_without_the_lesson_is_refused():
    with pytest.raises(SlidesError, match="no lesson table"):
        slides.lesson_stages(LESSONS, "A lesson that does not exist")
    with pytest.raises(SlidesError, match="no 'minutes' and 'stage' columns"):
        slides.lesson_stages("## L\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "L")


# --------------------------------------------------------------------------- the chapter's figure

def _cell(code: str, *images: dict) -> nodes.container:
    cell = nodes.container(classes=["cell"])
    cell += nodes.literal_block(code, code)
    out = nodes.container(classes=["cell_output"])
    for attrs in images:
        out += nodes.image(**attrs)
    cell += out
    return cell


def test_the_figure_is_the_cells_own_with_its_alt_text_and_phone_drawing():
    doctree = new_document("chapter")
    doctree += _cell("plot_other(x);", {"uri": "other.png", "alt": "Another chart, not this one"})
    doctree += _cell("plot_users(users);", {"uri": "phone.png", "alt": "The chart"},
                     {"uri": "desk.png", "alt": "The chart: it rose from 35 to 950 million"})
    files = {"other.png": ("o.png", False), "phone.png": ("p.png", True), "desk.png": ("d.png", False)}
    found = slides.figure_in(doctree, "plot_users(users)", files.get)
    assert found == Figure("d.png", "The chart: it rose from 35 to 950 million", "p.png")
    assert slides.figure_in(doctree, "plot_map(", files.get) is None
    # An image that was not copied into the site is no figure.
    assert slides.figure_in(doctree, "plot_other(", lambda uri: None) is None


def test_slide_figures_looks_each_figure_up_once():
    doctree = new_document("chapter")
    doctree += _cell("plot_days(events);", {"uri": "a.png", "alt": "Timeline"})
    asked = []
    spec = {"slides": [{"figure": {"page": "chapters/statement", "code": "plot_days("}},
                       {"figure": {"page": "chapters/statement", "code": "plot_days("}}, {}]}
    found = slides.slide_figures(spec, lambda page: asked.append(page) or doctree, {"a.png": ("a.png", False)}.get)
    assert found == {("chapters/statement", "plot_days("): Figure("a.png", "Timeline", None)}
    assert asked == ["chapters/statement"]


def test_write_puts_the_page_and_its_script_in_the_slides_folder(tmp_path):
    page = slides.write(tmp_path, "<!DOCTYPE html>")
    assert page == tmp_path / "slides" / "index.html"
    assert (tmp_path / "slides" / "slides.js").read_text(encoding="utf-8") == slides.SCRIPT.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the built deck

@pytest.mark.build
def test_the_built_deck_shows_the_chapters_own_figures(html_dir):
    page = (html_dir / "slides" / "index.html").read_text(encoding="utf-8")
    deck = parse(page)
    assert len(deck.slides) == len(slides.load_spec(SPEC)["slides"])
    images = [img for s in deck.slides for img in s["images"]]
    assert len(images) >= 3
    for img in images:
        assert (html_dir / "slides" / img["src"]).is_file(), img["src"]
        # The same file, with the same alt text, as on the chapter's page.
        name = Path(img["src"]).name
        chapter = next(p for p in (html_dir / "chapters").glob("*.html")
                       if name in p.read_text(encoding="utf-8"))
        alts = re.findall(r'<img[^>]*src="[^"]*' + re.escape(name) + r'"[^>]*alt="([^"]*)"|'
                          r'<img[^>]*alt="([^"]*)"[^>]*src="[^"]*' + re.escape(name) + '"',
                          chapter.read_text(encoding="utf-8"))
        assert any(img["alt"] in pair for pair in alts), (name, chapter.name)
        assert len(img["alt"].split()) >= 4
    assert (html_dir / "slides" / "slides.js").is_file()
    assert "slides/</loc>" in (html_dir / "sitemap.xml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- in the browser

def _open(browser, site, viewport=None, scheme="light", js=True, hash="", deck="slides"):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800}, color_scheme=scheme,
                                  java_script_enabled=js, service_workers="block")
    tab = context.new_page()
    seen = {"errors": [], "foreign": []}
    host = urlsplit(site).netloc
    tab.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    tab.on("pageerror", lambda e: seen["errors"].append(str(e)))
    tab.on("request", lambda r: urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
           and urlsplit(r.url).netloc != host and seen["foreign"].append(r.url))
    tab.goto(f"{site}/{deck}/index.html{hash}", wait_until="load")
    tab.wait_for_load_state("networkidle")
    return context, tab, seen


def _state(tab) -> tuple[str, str, list[str]]:
    return (tab.evaluate("document.getElementById('slide-counter').textContent"),
            tab.evaluate("location.hash"),
            tab.evaluate("[...document.querySelectorAll('section.slide')]"
                         ".filter(s => getComputedStyle(s).display !== 'none').map(s => s.id)"))


@pytest.mark.browser
def test_the_keys_move_the_counter_and_the_address(browser, site):
    n = len(slides.load_spec(SPEC)["slides"])
    context, tab, seen = _open(browser, site)
    try:
        assert _state(tab) == (f"1 / {n}", "#slide-1", ["slide-1"])
        tab.keyboard.press("ArrowRight")
        assert _state(tab) == (f"2 / {n}", "#slide-2", ["slide-2"])
        for key, where in [("Space", 3), ("PageDown", 4), ("ArrowDown", 5), ("ArrowLeft", 4), ("PageUp", 3),
                           ("Shift+Space", 2), ("ArrowUp", 1), ("ArrowUp", 1), ("End", n), ("ArrowRight", n),
                           ("Home", 1)]:
            tab.keyboard.press(key)
            assert _state(tab) == (f"{where} / {n}", f"#slide-{where}", [f"slide-{where}"]), key
        tab.click("#slide-next")
        assert _state(tab)[0] == f"2 / {n}"
        tab.click("#slide-previous")
        assert _state(tab)[0] == f"1 / {n}"
        assert tab.evaluate("document.getElementById('slide-previous').disabled")
        # The address of a slide opens it; so does changing the address.
        tab.evaluate("location.hash = '#slide-5'")
        tab.wait_for_function("document.getElementById('slide-counter').textContent.startsWith('5 /')")
        assert seen == {"errors": [], "foreign": []}
    finally:
        context.close()
    context, tab, seen = _open(browser, site, hash="#slide-4")
    try:
        assert _state(tab) == (f"4 / {n}", "#slide-4", ["slide-4"])
    finally:
        context.close()


@pytest.mark.browser
def test_the_full_screen_button(browser, site):
    context, tab, seen = _open(browser, site)
    try:
        button = tab.locator("#slide-fullscreen")
        assert button.is_visible() and button.inner_text() == "Full screen"
        button.click()
        tab.wait_for_function("document.fullscreenElement === document.documentElement")
        tab.wait_for_function("document.getElementById('slide-fullscreen').getAttribute('aria-pressed') === 'true'")
        assert button.inner_text() == "Leave full screen"
        tab.keyboard.press("ArrowRight")  # the keys still move the slides
        assert _state(tab)[1] == "#slide-2"
        button.click()
        tab.wait_for_function("document.fullscreenElement === null")
        tab.wait_for_function("document.getElementById('slide-fullscreen').getAttribute('aria-pressed') === 'false'")
        assert button.inner_text() == "Full screen"
        assert seen["errors"] == []
    finally:
        context.close()


def _axe_on_each_slide(tab, n: int) -> dict[int, list[str]]:
    """axe-core's WCAG 2.1 A/AA violations on each of the ``n`` slides, going forward with the arrow key."""
    from axe_playwright_python.base import AXE_SCRIPT

    tab.evaluate(AXE_SCRIPT)
    found = {}
    for i in range(1, n + 1):
        assert _state(tab)[2] == [f"slide-{i}"]
        violations = tab.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
            .then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' ')))""")
        if violations:
            found[i] = violations
        tab.keyboard.press("ArrowRight")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violation_on_any_slide(browser, site, scheme):
    n = len(slides.load_spec(SPEC)["slides"])
    context, tab, seen = _open(browser, site, scheme=scheme)
    try:
        assert tab.evaluate("document.documentElement.dataset.theme") == scheme
        assert _axe_on_each_slide(tab, n) == {}
        assert seen == {"errors": [], "foreign": []}
    finally:
        context.close()


@pytest.mark.browser
def test_without_script_the_slides_read_as_one_page(browser, site):
    from axe_playwright_python.base import AXE_SCRIPT

    n = len(slides.load_spec(SPEC)["slides"])
    context, tab, seen = _open(browser, site, js=False)
    try:
        assert len(tab.evaluate("[...document.querySelectorAll('section.slide')]"
                                ".filter(s => getComputedStyle(s).display !== 'none').map(s => s.id)")) == n
        assert not tab.locator("#slide-controls").is_visible()
        assert tab.evaluate("document.documentElement.scrollHeight") > 3 * tab.viewport_size["height"]
    finally:
        context.close()
    # axe's own script needs JavaScript: check the same page with the deck's script left out.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.route("**/slides/slides.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    tab.goto(f"{site}/slides/index.html", wait_until="load")
    try:
        assert not tab.evaluate("document.documentElement.classList.contains('slides-js')")
        tab.evaluate(AXE_SCRIPT)
        violations = tab.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
            .then(r => r.violations.map(v => v.id))""")
        assert violations == []
    finally:
        context.close()


@pytest.mark.browser
def test_focus_is_visible_on_the_controls(browser, site):
    context, tab, _ = _open(browser, site)
    try:
        for _ in range(8):
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.id") == "slide-next":
                break
        assert tab.evaluate("document.activeElement.id") == "slide-next"
        outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        tab.keyboard.press("Enter")  # the focused button moves one slide, not two
        assert _state(tab)[0].startswith("2 /")
    finally:
        context.close()


@pytest.mark.browser
def test_printed_each_slide_fills_one_a4_landscape_page(browser, site):
    n = len(slides.load_spec(SPEC)["slides"])
    context, tab, _ = _open(browser, site, scheme="dark", hash="#slide-3")
    try:
        tab.emulate_media(media="print")
        printed = tab.evaluate("""() => [...document.querySelectorAll('section.slide')].map(s => {
            const c = getComputedStyle(s);
            return {display: c.display, breakAfter: c.breakAfter, overflow: s.scrollHeight - s.clientHeight,
                    width: s.getBoundingClientRect().width, background: getComputedStyle(document.body).backgroundColor};
        })""")
        assert len(printed) == n
        assert all(p["display"] != "none" for p in printed)
        assert [p["breakAfter"] for p in printed] == ["page"] * (n - 1) + ["auto"]
        assert [p["overflow"] for p in printed if p["overflow"] > 1] == [], "a slide does not fit its page"
        assert all(abs(p["width"] - 297 / 25.4 * 96) < 2 for p in printed)  # 297 mm
        assert printed[0]["background"] == "rgb(255, 255, 255)"  # printed on white, even in dark mode
        assert not tab.locator("#slide-controls").is_visible()
        pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    pages = re.findall(rb"/Type\s*/Page(?![a-z])", pdf)
    sizes = {tuple(round(float(x)) for x in box) for box in
             re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)}
    assert len(pages) == n
    assert sizes == {(842, 595)}  # A4 landscape, in points


# --------------------------------------------------------------------------- the Sphinx hooks

class FakeApp:
    """What the extension reads of a Sphinx application at the end of a build."""

    def __init__(self, outdir: Path, srcdir: Path = ROOT, fmt: str = "html", name: str = "html"):
        from types import SimpleNamespace

        self.srcdir, self.outdir = str(srcdir), str(outdir)
        self.builder = SimpleNamespace(format=fmt, name=name)
        self.config = SimpleNamespace(html_title="The book", project="p", language="en")
        (outdir / "_images").mkdir(parents=True, exist_ok=True)
        images, doctrees = {}, {}
        for i, slide in enumerate(slides.load_spec(srcdir / slides.SPEC)["slides"]):
            if slide.get("figure"):
                page, code = slide["figure"]["page"], slide["figure"]["code"]
                _png(outdir / "_images" / f"p{i}.png", (600, 900), phone=True)
                _png(outdir / "_images" / f"d{i}.png", (800, 450))
                images[f"src/p{i}.png"], images[f"src/d{i}.png"] = ({page}, f"p{i}.png"), ({page}, f"d{i}.png")
                images["src/not-copied.png"] = ({page}, "not-copied.png")  # in the env, not in _images/
                doctree = doctrees.setdefault(page, new_document(page))
                doctree += _cell(code + ");", {"uri": f"src/p{i}.png", "alt": "x"}, {"uri": "src/not-copied.png"},
                                 {"uri": f"src/d{i}.png", "alt": f"The figure of slide {i + 1}, with its conclusion"})
        self.env = SimpleNamespace(images=images, get_doctree=lambda page: doctrees.get(page, new_document(page)))
        self.hooks = []

    def connect(self, event, handler, priority=500):
        self.hooks.append((event, handler, priority))


def test_the_extension_writes_the_deck_at_the_end_of_an_html_build(tmp_path):
    app = FakeApp(tmp_path)
    slides.setup(app)
    assert ("build-finished", slides.on_build_finished, 800) in app.hooks
    slides.on_builder_inited(app)
    assert app.durov_extra_pages == ["slides/"]
    slides.on_build_finished(app, None)
    deck = parse((tmp_path / "slides" / "index.html").read_text(encoding="utf-8"))
    images = [img for s in deck.slides for img in s["images"]]
    assert [img["src"] for img in images] == [f"../_images/d{i}.png" for i, s in enumerate(
        slides.load_spec(SPEC)["slides"]) if s.get("figure")]
    assert all(img["alt"].startswith("The figure of slide") for img in images)


def test_the_extension_does_nothing_after_a_failed_or_another_build(tmp_path):
    slides.on_build_finished(FakeApp(tmp_path / "a"), RuntimeError("the build failed"))
    slides.on_build_finished(FakeApp(tmp_path / "b", fmt="latex"), None)
    other = FakeApp(tmp_path / "c", fmt="latex")
    slides.on_builder_inited(other)
    assert not hasattr(other, "durov_extra_pages")
    # The EPUB builder's format is "html" too, but an e-book has no slides page:
    # epubcheck-bound Sphinx warns of an unknown mimetype for it, which fails the build.
    epub = FakeApp(tmp_path / "d", name="epub")
    slides.on_builder_inited(epub)
    slides.on_build_finished(epub, None)
    assert not hasattr(epub, "durov_extra_pages")
    assert not any((tmp_path / x / "slides").exists() for x in "abcd")


def test_a_problem_is_a_warning_that_fails_the_strict_build(tmp_path, caplog):
    import logging

    app = FakeApp(tmp_path)
    app.env.get_doctree = lambda page: new_document(page)  # the chapters lost their figures
    with caplog.at_level(logging.WARNING):
        slides.on_build_finished(app, None)
    assert any("slides:" in r.getMessage() and "no figure drawn by a cell starting" in r.getMessage()
               for r in caplog.records), caplog.text
    assert not (tmp_path / "slides" / "index.html").exists()


# --------------------------------------------------------------------------- the French deck

FR_SPEC = ROOT / "fr" / slides.SPEC
FR_LESSONS = ROOT / "fr" / slides.LESSONS


def render_fr(stand_ins, data=None) -> str:
    from durovbook import i18n

    _, figures, images = stand_ins
    spec = slides.load_spec(FR_SPEC)
    titles = {"chapters/users": "950 millions d'utilisateurs : à quelle vitesse Telegram a-t-il grandi ?"}
    with i18n.using("fr"):
        known = slides.values(data, titles)
    return slides.render(spec, known, slides.lesson_stages(FR_LESSONS.read_text(encoding="utf-8"), spec["lesson"]),
                         figures, images, "Le livre", lang="fr", data=data, titles=titles)


def test_the_french_deck_has_the_same_slides_values_quotes_figures_and_tables():
    en, fr = slides.load_spec(SPEC), slides.load_spec(FR_SPEC)
    assert len(fr["slides"]) == len(en["slides"])
    for n, (a, b) in enumerate(zip(en["slides"], fr["slides"]), 1):
        assert a.get("quotes") == b.get("quotes"), n
        assert a.get("figure") == b.get("figure"), n
        assert a.get("table") == b.get("table"), n
        assert bool(a.get("stage")) == bool(b.get("stage")), n
        names = [set(slides._PLACEHOLDER.findall(str(s.get("heading", "")) + str(s.get("text") or ""))) for s in (a, b)]
        assert names[0] == names[1], n
    # The same stage slide for slide: the lessons' stages, in the same order.
    stages_en = list(slides.lesson_stages(LESSONS, en["lesson"]))
    stages_fr = list(slides.lesson_stages(FR_LESSONS.read_text(encoding="utf-8"), fr["lesson"]))
    assert len(stages_en) == len(stages_fr)
    pairs = {(a["stage"], b["stage"]) for a, b in zip(en["slides"], fr["slides"]) if a.get("stage")}
    assert all(stages_en.index(x) == stages_fr.index(y) for x, y in pairs)


def test_the_french_values_are_written_in_french():
    from durovbook import i18n

    with i18n.using("fr"):
        v = slides.values(titles={"chapters/bans": "Interdit : Telegram a-t-il été bloqué ?"})
    assert v["statement_date"] == "5 septembre 2024" and v["users_950_month"] == "juillet 2024"
    assert v["chapter_bans"] == "Interdit" and v["question_bans"] == "Telegram a-t-il été bloqué ?"
    assert " et " in v["blocked_on_statement_day"] and " ou " in v["users_announced_by"]
    assert v["blocked_unconfirmed"].endswith("novembre 2023.") and "For " not in v["blocked_unconfirmed"]
    assert slides.values()["statement_date"] == "5 September 2024"  # English again outside the block


def test_the_french_page_speaks_french_and_asks_nothing_of_another_host(stand_ins):
    page = render_fr(stand_ins)
    deck = parse(page)
    assert deck.html_lang == "fr"
    for english in ("Slides:", "The lesson plan", "The book:", "Previous slide", "Next slide", "Slide controls",
                    ">Full screen<", "From the chapter", "as published by", "Minutes 0–5:", "Chapter</th>"):
        assert english not in page, english
    for french in ("Diapositives : Peut-on vérifier ce qu&#x27;il a dit ?", "Le plan de la séance",
                   'aria-label="Diapositive suivante"', "Plein écran", 'data-leave="Quitter le plein écran"',
                   "Minutes 0–5 : Lancement", "Tiré du chapitre", "Chapitre</th>", "5 septembre 2024"):
        assert french in page, french
    assert not [u for u in deck.links if urlsplit(u).scheme or u.startswith("//")]
    assert "@import" not in page and "url(" not in page
    everything = text(" ".join(s["text"] for s in deck.slides))
    assert "{{" not in everything
    # A chapter's title as the French page gives it, in the figure's caption.
    assert "Tiré du chapitre 950 millions d'utilisateurs." in everything


def test_french_quotes_keep_durovs_english_and_add_the_published_french_rendering():
    from durovbook import i18n
    from durovbook.passages import passage_row

    with i18n.using("fr"):
        q13, q06 = slides.quote("p13"), slides.quote("p06")
    row = passage_row("p13")
    assert '<blockquote lang="en">' in q13 and "tel que publié par <cite>The Moscow Times</cite>" in q13
    assert '<blockquote lang="fr" class="quote-rendering">' in q13
    import html as html_module

    assert html_module.escape(str(row["fr_001"])) in q13 and "Lian News ABMedia" in q13
    # A passage no outlet carries in English: the French as published, never our English translation.
    row6 = passage_row("p06")
    assert str(row6["en_ours"])[:20] not in q06 and 'lang="en"' not in q06 and "Traduction française publiée par" in q06


@pytest.mark.browser
def test_the_french_deck_in_the_browser(browser, site, html_dir):
    """fr/slides/: French, the arrow keys move it, 0 axe violations on every slide, nothing from another host."""
    if not (html_dir / "fr" / "slides" / "index.html").is_file():
        pytest.skip("the site has no French deck (fr/teacher/slides.yml)")
    n = len(slides.load_spec(FR_SPEC)["slides"])
    context, tab, seen = _open(browser, site, deck="fr/slides")
    try:
        assert tab.evaluate("document.documentElement.lang") == "fr"
        assert _state(tab) == (f"1 / {n}", "#slide-1", ["slide-1"])
        assert tab.get_attribute("#slide-next", "aria-label") == "Diapositive suivante"
        assert _axe_on_each_slide(tab, n) == {}
        assert seen == {"errors": [], "foreign": []}
    finally:
        context.close()
