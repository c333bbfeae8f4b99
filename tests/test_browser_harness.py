"""bookbuild/browser.py: the local server and the Chromium flags shared by the browser tests and `make bench`."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

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
