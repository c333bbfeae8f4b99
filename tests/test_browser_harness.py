"""bookbuild/browser.py: the local server and the Chromium flags shared by the browser tests and `make bench`."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bookbuild import browser


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "page.html").write_text("<p>" + "the page " * 200 + "</p>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>Page not found</h1>", encoding="utf-8")
    (tmp_path / "figure.png").write_bytes(b"\x89PNG not really")
    return tmp_path


def fetch(url: str, method: str = "GET", gzip_ok: bool = False):
    request = urllib.request.Request(url, method=method, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_a_page_is_served_as_it_is_on_disk(folder):
    with browser.serve(folder) as server:
        assert server.url.startswith("http://127.0.0.1:")
        status, headers, body = fetch(f"{server.url}/page.html", gzip_ok=True)
    assert status == 200 and "Content-Encoding" not in headers
    assert body == (folder / "page.html").read_bytes()


def test_a_missing_path_gets_the_sites_404_page_with_status_404(folder):
    with browser.serve(folder) as server:
        status, headers, body = fetch(f"{server.url}/no/such/page.html")
        head_status, _, head_body = fetch(f"{server.url}/no/such/page.html", method="HEAD")
    assert status == 404 and body == b"<h1>Page not found</h1>"
    assert headers["Content-Type"].startswith("text/html")
    assert head_status == 404 and head_body == b""


def test_without_a_404_page_a_missing_path_gets_pythons_own_error(tmp_path):
    with browser.serve(tmp_path) as server:
        status, _, body = fetch(f"{server.url}/missing.html")
    assert status == 404 and b"Page not found" not in body


def test_compress_gzips_text_for_a_client_that_accepts_it_and_nothing_else(folder):
    with browser.serve(folder, compress=True) as server:
        status, headers, body = fetch(f"{server.url}/page.html", gzip_ok=True)
        _, plain_headers, plain = fetch(f"{server.url}/page.html")
        _, png_headers, png = fetch(f"{server.url}/figure.png", gzip_ok=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (folder / "page.html").read_bytes()
    assert int(headers["Content-Length"]) == len(body) < len(plain)
    assert "Content-Encoding" not in plain_headers and plain == (folder / "page.html").read_bytes()
    assert "Content-Encoding" not in png_headers and png == (folder / "figure.png").read_bytes()


def test_the_server_stops_when_closed(folder):
    server = browser.serve(folder)
    url = server.url
    server.close()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/page.html", timeout=5)


def test_chromium_runs_headless_and_makes_no_request_of_its_own():
    assert "--headless" in browser.CHROMIUM_ARGS
    for flag in ("--disable-background-networking", "--disable-component-update", "--disable-sync"):
        assert flag in browser.CHROMIUM_ARGS


def test_the_headless_shell_is_preferred_and_chromium_path_overrides_it(tmp_path):
    shell, full = tmp_path / "chromium-headless-shell", tmp_path / "chromium"
    full.write_text("")
    assert browser.find_chromium({}, (shell, full)) == full  # only the browser installed
    shell.write_text("")
    assert browser.find_chromium({}, (shell, full)) == shell  # both: the shell
    assert browser.find_chromium({"CHROMIUM_PATH": "/opt/c"}, (shell, full)) == Path("/opt/c")
    assert browser.find_chromium({"CHROME_PATH": "/opt/d"}, (shell, full)) == Path("/opt/d")
    shell.unlink()
    full.unlink()
    assert browser.find_chromium({}, (shell, full)) == shell  # none: the one a message should name


def test_launch_passes_debians_chromium_and_the_flags():
    seen = {}

    class Chromium:
        def launch(self, **kwargs):
            seen.update(kwargs)
            return "a browser"

    class Playwright:
        chromium = Chromium()

    assert browser.launch(Playwright()) == "a browser"
    assert seen == {"executable_path": str(browser.CHROMIUM), "args": browser.CHROMIUM_ARGS}
    assert browser.available() == browser.CHROMIUM.exists()


class Pages:
    """Stand-ins for a page's steps that log what happens and when."""

    def __init__(self, fail: dict | None = None):
        self.log, self.fail, self.open, self.busy = [], fail or {}, set(), set()
        self.most_open = self.most_busy = 0
        self.abandoned = []

    def _step(self, name, key):
        self.log.append((name, key))
        if self.fail.get(key) == name:
            raise RuntimeError(f"{name} {key}")

    def start(self, key):
        self._step("start", key)
        self.open.add(key)
        self.most_open = max(self.most_open, len(self.open))
        return {"key": key}

    def middle(self, state):
        self._step("middle", state["key"])
        self.busy.add(state["key"])
        self.most_busy = max(self.most_busy, len(self.busy))

    def finish(self, state):
        self._step("finish", state["key"])
        self.open.discard(state["key"])
        self.busy.discard(state["key"])
        return state["key"] * 10

    def abandon(self, state):
        self.abandoned.append(state["key"])
        self.open.discard(state["key"])
        self.busy.discard(state["key"])


def test_overlap_takes_every_key_through_its_steps_in_order_within_the_limits():
    pages = Pages()
    results = browser.overlap(list(range(9)), pages.start, pages.middle, pages.finish, pages.abandon,
                              open_at_once=4, busy_at_once=2)
    assert results == {k: k * 10 for k in range(9)}
    for key in range(9):
        assert [name for name, k in pages.log if k == key] == ["start", "middle", "finish"]
    assert [k for name, k in pages.log if name == "start"] == list(range(9))
    assert (pages.most_open, pages.most_busy) == (4, 2)  # the limits are reached, never passed
    # The pages overlap: the second is checked before the first is finished.
    assert pages.log.index(("middle", 1)) < pages.log.index(("finish", 0))


def test_overlap_one_at_a_time_is_one_page_after_the_other():
    pages = Pages()
    browser.overlap([0, 1], pages.start, pages.middle, pages.finish, open_at_once=1, busy_at_once=1)
    assert pages.log == [("start", 0), ("middle", 0), ("finish", 0), ("start", 1), ("middle", 1), ("finish", 1)]


@pytest.mark.parametrize("step", ["start", "middle", "finish"])
def test_a_failed_step_is_its_keys_result_and_the_others_go_on(step):
    pages = Pages(fail={2: step})
    results = browser.overlap(list(range(5)), pages.start, pages.middle, pages.finish, pages.abandon)
    assert isinstance(results[2], RuntimeError) and str(results[2]) == f"{step} 2"
    assert {k: v for k, v in results.items() if k != 2} == {0: 0, 1: 10, 3: 30, 4: 40}
    assert pages.abandoned == ([] if step == "start" else [2])  # a page that was opened is closed
    assert pages.open == set()


def test_overlap_refuses_limits_that_cannot_work():
    with pytest.raises(ValueError):
        browser.overlap([1], print, print, print, open_at_once=2, busy_at_once=3)
    with pytest.raises(ValueError):
        browser.overlap([1], print, print, print, open_at_once=0, busy_at_once=0)


def test_a_finish_that_returns_again_is_finished_once_more_after_the_others_waiting():
    """How a desktop page becomes the dark visit (tests/pagevisits.py): its key goes back among the busy ones."""
    pages, rounds = Pages(), {}

    def finish(state):
        key = state["key"]
        rounds[key] = rounds.get(key, 0) + 1
        if key % 2 == 0 and rounds[key] == 1:
            pages._step("again", key)
            return browser.AGAIN
        return pages.finish(state)

    results = browser.overlap(list(range(4)), pages.start, pages.middle, finish, pages.abandon,
                              open_at_once=2, busy_at_once=2)
    assert results == {k: k * 10 for k in range(4)}
    assert rounds == {0: 2, 1: 1, 2: 2, 3: 1}
    assert [name for name, k in pages.log if k == 0] == ["start", "middle", "again", "finish"]
    # Key 0 waited behind key 1, which was busy before 0 came back: 1 is finished first.
    assert pages.log.index(("finish", 1)) < pages.log.index(("finish", 0))
    assert (pages.most_open, pages.most_busy) == (2, 2) and pages.open == set()
