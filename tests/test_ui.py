"""The page's own script, _static/durovsite-ui.js, does what the four scripts it replaces did (issue 14).

It stands in for the theme's bootstrap.js, sphinx-togglebutton's togglebutton.js and
sphinx-copybutton's copybutton.js and clipboard.min.js (bookbuild/assets.py). Browser
tests on the built site (the fixtures ``site`` and ``browser`` of tests/conftest.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

PAGE = "chapters/bans"  # code cells, folded admonitions, the download menu, tooltips
REPLACED = ("bootstrap.js", "togglebutton.js", "copybutton.js", "clipboard.min.js", "design-tabs.js")


@pytest.fixture
def tab(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.errors, page.requested = [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("request", lambda r: page.requested.append(urlsplit(r.url).path))
    page.goto(f"{site}/{PAGE}.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


def test_the_page_loads_none_of_the_replaced_scripts_and_logs_no_error(tab):
    assert any(p.endswith("/durovsite-ui.js") for p in tab.requested)
    assert [p for p in tab.requested if p.rsplit("/", 1)[-1] in REPLACED] == []
    # No search left words to mark: neither of the scripts that mark them is fetched.
    assert not any(p.endswith(("sphinx_highlight.js", "doctools.js")) for p in tab.requested)
    assert tab.errors == []


def test_the_download_menu_works_with_the_keyboard(tab):
    toggle = tab.locator("button.dropdown-toggle").first
    menu = tab.locator(".dropdown-menu").first
    toggle.focus()
    tab.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and "show" in menu.get_attribute("class")
    tab.keyboard.press("ArrowDown")
    items = menu.locator(".dropdown-item")
    assert items.nth(0).evaluate("e => e === document.activeElement")
    tab.keyboard.press("ArrowDown")
    assert items.nth(1).evaluate("e => e === document.activeElement")
    tab.keyboard.press("ArrowUp")
    assert items.nth(0).evaluate("e => e === document.activeElement")
    tab.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and "show" not in menu.get_attribute("class")
    assert toggle.evaluate("e => e === document.activeElement")  # the focus is back on its button
    tab.keyboard.press("ArrowDown")  # the arrow keys open it too
    assert items.nth(0).evaluate("e => e === document.activeElement")
    tab.keyboard.press("Tab")
    tab.keyboard.press("Tab")  # the focus leaves the menu: it closes
    assert toggle.get_attribute("aria-expanded") == "false"


def test_the_download_menu_works_with_the_mouse(tab):
    toggle = tab.locator("button.dropdown-toggle").first
    menu = tab.locator(".dropdown-menu").first
    toggle.click()
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280  # on the screen
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    tab.mouse.click(600, 600)  # elsewhere
    assert toggle.get_attribute("aria-expanded") == "false"


def test_tooltips_show_on_hover_and_focus_and_go_with_escape(tab):
    button = tab.locator("button.theme-switch-button").first
    assert button.get_attribute("aria-label") == "Color mode"
    button.hover()
    tip = tab.locator(".tooltip.show[role=tooltip]")
    tip.wait_for(timeout=3000)
    assert tip.inner_text() == "Color mode"
    assert button.get_attribute("aria-describedby") == tip.get_attribute("id")
    tip_box, button_box = tip.bounding_box(), button.bounding_box()
    assert tip_box["y"] >= button_box["y"] + button_box["height"]  # placed below, as data-bs-placement says
    tab.keyboard.press("Escape")
    assert tip.count() == 0 and button.get_attribute("aria-describedby") is None
    tab.mouse.move(5, 800)
    search = tab.locator("button.search-button__button:visible").first
    search.focus()
    assert tab.locator(".tooltip.show").inner_text() == "Search"
    # The drawn tooltip replaces the browser's own: the title moved aside, the name stayed.
    assert search.get_attribute("title") is None and search.get_attribute("data-bs-original-title") == "Search"
    assert search.get_attribute("aria-label") == "Search"


def test_the_theme_can_still_make_a_tooltip_of_its_own(tab):
    shown = tab.evaluate("""() => {
        const b = document.querySelector('button.dropdown-toggle');
        const t = new bootstrap.Tooltip(b, {title: 'By hand', trigger: 'manual', placement: 'left'});
        t.show();
        const text = document.querySelector('.tooltip.show').textContent;
        t.hide();
        return [text, document.querySelectorAll('.tooltip').length];
    }""")
    assert shown == ["By hand", 0]


def test_a_folded_admonition_opens_and_closes_from_its_title_and_its_button(tab):
    box = tab.locator("main .admonition.dropdown").first
    button = box.locator("button.toggle-button")
    body = box.locator(".admonition-title ~ *").first
    assert "toggle-hidden" in box.get_attribute("class") and not body.is_visible()
    assert button.get_attribute("aria-expanded") == "false" and button.get_attribute("aria-label")
    box.locator(".admonition-title").click()
    assert body.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert button.get_attribute("data-toggle-hint") == "Click to hide"
    button.focus()
    tab.keyboard.press("Enter")
    assert not body.is_visible() and button.get_attribute("aria-expanded") == "false"
    tab.keyboard.press(" ")
    assert body.is_visible()


def test_a_folded_admonition_is_open_when_printed(tab):
    box = tab.locator("main .admonition.dropdown").first
    tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert "toggle-hidden" not in box.get_attribute("class")
    tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert "toggle-hidden" in box.get_attribute("class")


def test_the_copy_button_copies_a_code_cell_without_its_last_newline(tab):
    pre = tab.locator("main div.highlight pre").first
    button = tab.locator("main div.highlight pre + button.copybtn").first
    assert tab.locator("main div.highlight pre").count() == tab.locator("main button.copybtn").count() > 0
    assert button.get_attribute("data-tooltip") == "Copy"
    expected = pre.evaluate("e => e.innerText").rstrip("\n")
    pre.hover()
    button.click()
    tab.wait_for_function("b => b.dataset.tooltip === 'Copied!'", arg=button.element_handle())
    assert "success" in button.get_attribute("class")
    assert tab.evaluate("navigator.clipboard.readText()") == expected
    assert expected and not expected.endswith("\n")


def test_words_left_by_a_search_are_marked(browser, site):
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    page.goto(f"{site}/{PAGE}.html?highlight=telegram", wait_until="load")
    page.wait_for_load_state("networkidle")
    page.locator("span.highlighted").first.wait_for(timeout=5000)
    context.close()
    assert any(p.endswith("/sphinx_highlight.js") for p in requested)
    assert any(p.endswith("/doctools.js") for p in requested)
