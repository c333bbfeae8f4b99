"""The one browser harness: a local server for a built site, and Chromium's launch flags.

Used by the browser tests (``tests/conftest.py``, ``tests/test_site.py``) and
by ``make bench`` (:mod:`bookbuild.bench`), so both see the site the same way:

* :func:`serve` serves a folder on 127.0.0.1, on a free port, in a thread. A
  missing path gets the site's ``404.html`` with status 404, as on a static
  host; with ``compress=True`` text files are sent gzipped (level 6), as GitHub
  Pages, Netlify or nginx send them.
* :data:`CHROMIUM` is Debian's Chromium: its headless shell
  (``/usr/bin/chromium-headless-shell``, package chromium-headless-shell) when
  it is installed, else the browser (``/usr/bin/chromium``); ``CHROMIUM_PATH``
  overrides both. The shell is the same Blink engine without the desktop
  browser around it, as Playwright runs headless tests by default: every page
  check passes in both, and the shell does the suite's page visits with
  about 40 % less CPU (see the CHANGELOG, 2026-12-04).
  :data:`CHROMIUM_ARGS` are the flags every launch uses: headless, and no
  request of Chromium's own (updates, sync, QUIC) leaving the machine.
* :func:`launch` starts it with Playwright. A browser is never downloaded.
* :func:`overlap` takes many page loads through their steps with several
  pages open at once, so that one page loads (or waits for the network to go
  quiet) while another is checked: with Playwright's synchronous API a call
  blocks, but the pages it opened keep working in their own processes.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import threading
from collections import deque
from typing import Callable, Hashable
from pathlib import Path

#: Debian's builds of Chromium, the preferred first: the headless shell, then the browser.
CANDIDATES = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))


def find_chromium(environ=os.environ, candidates=CANDIDATES) -> Path:
    """The Chromium to launch: ``CHROMIUM_PATH`` (or ``CHROME_PATH``), else the first candidate installed.

    With none installed it is the first candidate, so that a message names
    what to install.
    """
    named = environ.get("CHROMIUM_PATH") or environ.get("CHROME_PATH")
    if named:
        return Path(named)
    return next((path for path in candidates if path.exists()), candidates[0])


CHROMIUM = find_chromium()
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

#: What a web server compresses; images and fonts are compressed already.
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".map"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serve a built site quietly; a missing path gets its 404.html; optionally gzip text.

    Python's own server sends everything uncompressed: Lighthouse would then
    time a 400 kB stylesheet that readers receive as 50 kB.
    """

    compress = False

    def log_message(self, *args):  # keep the output clean
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        self._send(404, "text/html; charset=utf-8", page.read_bytes())

    def _send(self, status: int, content_type: str, body: bytes, encoding: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if (self.compress and path.suffix in COMPRESSIBLE and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            self._send(200, self.guess_type(str(path)), gzip.compress(path.read_bytes(), 6), "gzip")
            return
        super().do_GET()


class Server:
    """A running server: ``url`` is its address; ``close()`` stops it (or use ``with``)."""

    def __init__(self, folder: str | Path, compress: bool = False):
        handler = type("SiteHandler", (Handler,), {"compress": compress})
        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve(folder: str | Path, compress: bool = False) -> Server:
    """Serve ``folder`` on 127.0.0.1, on a free port, in a thread."""
    return Server(folder, compress)


def available() -> bool:
    return CHROMIUM.exists()


def launch(playwright):
    """Debian's Chromium with :data:`CHROMIUM_ARGS`, from a started Playwright.

    Playwright gives it a fresh profile in a temporary folder (its own
    ``--user-data-dir``), never the user's.
    """
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


#: What ``finish`` returns (to :func:`overlap`) when it has set off more work in
#: the page (axe again, on the page switched to dark mode): the key waits its
#: turn once more, and ``finish`` is called again to collect that work.
AGAIN = object()


def overlap(keys: list[Hashable], start: Callable, middle: Callable, finish: Callable,
            abandon: Callable | None = None, open_at_once: int = 4, busy_at_once: int = 2) -> dict:
    """Take each key through ``start(key)``, ``middle(state)`` and ``finish(state)``, pages overlapping.

    ``start`` opens a page and returns at once (the page loads meanwhile);
    ``middle`` waits for it, measures it and sets off work that runs in the
    page (axe) without waiting for it; ``finish`` collects that work and
    returns the key's result. At most ``open_at_once`` keys are started and
    not finished, and at most ``busy_at_once`` are between ``middle`` and
    ``finish`` (on two cores, two pages checking at once keep both busy).
    Keys start in order, and each step is taken on the oldest key waiting for it.

    A step that raises gives its key the exception as its result, and
    ``abandon(state)`` (closing the page) is called if the key had a state.
    Returns ``{key: result or exception}``.
    """
    if open_at_once < 1 or not 1 <= busy_at_once <= open_at_once:
        raise ValueError("need 1 <= busy_at_once <= open_at_once")
    results: dict = {}
    todo, started, busy = deque(keys), deque(), deque()

    def failed(key, e: Exception, state=None, opened: bool = False) -> None:
        results[key] = e
        if abandon is not None and opened:
            abandon(state)

    while todo or started or busy:
        while todo and len(started) + len(busy) < open_at_once:
            key = todo.popleft()
            try:
                started.append((key, start(key)))
            except Exception as e:  # noqa: BLE001 - the key's result; its tests raise it
                failed(key, e)
        if started and len(busy) < busy_at_once:
            key, state = started.popleft()
            try:
                middle(state)
                busy.append((key, state))
            except Exception as e:  # noqa: BLE001
                failed(key, e, state, opened=True)
        elif busy:
            key, state = busy.popleft()
            try:
                result = finish(state)
                if result is AGAIN:
                    busy.append((key, state))
                else:
                    results[key] = result
            except Exception as e:  # noqa: BLE001
                failed(key, e, state, opened=True)
    return results
