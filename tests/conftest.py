"""Shared fixtures: broken copies of the data, one build of the whole book, one
served site and one browser for every browser test, and the student pack's
fresh virtual environment.

The tiers are declared by the tests with markers (pyproject.toml):
``build`` (needs the built book), ``browser`` (drives Chromium), ``print``
(prints the built book: PDFs, EPUB), ``venv`` (a fresh virtual environment). ``make test-fast`` runs what has none of them. A
test that asks for ``built_book``, ``browser`` or ``fresh_venv`` without its
marker fails collection, so the fast tier never starts a build by mistake.

In a run that needs them, the book build and the fresh virtual environment
start in the background as soon as the tests are collected, and the tests run
in tier order (unit, build, browser, print, venv): the unit tests use one core while
the build and pip use the other. Once the book is built, two more jobs start:
the printed files, and every page visit of the browser checks
(tests/pagevisits.py, the run's longest job). The tests that read the visits
run last, after every tier.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from bookbuild import browser as harness
from durovbook import DataError

import pagevisits  # tests/pagevisits.py: the page loads the browser tests share

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


class DataCopy:
    """A private copy of ``data/`` (and the bibliography) that a test may break."""

    def __init__(self, folder: Path):
        self.folder = folder

    def rows(self, name: str) -> list[dict]:
        with open(self.folder / f"{name}.csv", newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def write(self, name: str, rows: list[dict], fieldnames: list[str] | None = None) -> None:
        fieldnames = fieldnames or list(rows[0].keys())
        with open(self.folder / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def key(self, name: str) -> str:
        """The column that identifies a row of ``name``: its schema's primary key."""
        schema = json.loads((self.folder / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        key = schema.get("primaryKey", ["id"])
        return key[0] if isinstance(key, list) else key

    def row_of(self, name: str, row_id: str) -> int:
        """The row of the file (as DataError counts it: 2 is the first data line) whose key is ``row_id``."""
        ids = [r[self.key(name)] for r in self.rows(name)]
        if row_id not in ids:
            raise KeyError(f"{name}.csv has no row {row_id!r}")
        return ids.index(row_id) + 2

    def set_cell(self, name: str, row_id: str, column: str, value: str) -> int:
        """Change one cell of the row whose id (primary key) is ``row_id``; return that row's number in the file.

        Rows are picked by id, not by position, so a row added to or removed from
        the data does not make a test break a different row than it means to.
        """
        rows = self.rows(name)
        row = self.row_of(name, row_id)
        if column not in rows[0]:
            raise KeyError(f"{name}.csv has no column {column!r}")
        rows[row - 2][column] = value
        self.write(name, rows)
        return row

    def broken(self, loader, name: str, row_id: str, column: str, value: str, named: str | None = None) -> DataError:
        """Break one cell, run ``loader(folder)``, and return the :class:`DataError` it raises.

        The error must name the file, the row (by the id picked) and the column
        (``named``, when a rule blames another cell of the row than the one broken).
        """
        column, broken = (named or column), column
        row = self.set_cell(name, row_id, broken, value)
        with pytest.raises(DataError) as info:
            loader(self.folder)
        err = info.value
        assert Path(err.path).name == f"{name}.csv", err
        assert (err.row, err.column) == (row, column), err
        assert f"{name}.csv, row {row}, column '{column}'" in str(err)
        return err

    def drop_column(self, name: str, column: str) -> None:
        rows = self.rows(name)
        fields = [c for c in rows[0] if c != column]
        self.write(name, [{c: r[c] for c in fields} for r in rows], fields)


@pytest.fixture
def data_copy(tmp_path) -> DataCopy:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    shutil.copy(ROOT / "references.bib", folder / "references.bib")
    return DataCopy(folder)


@pytest.fixture
def seeds() -> dict[str, str]:
    """The two seed articles, read from ../shared/seeds beside the repository."""
    if not SEEDS.exists():
        pytest.skip(f"the seed articles are not available ({SEEDS} is absent); this check needs ../shared/seeds")
    return {
        "000": (SEEDS / "000_ef0302142bc4b362.txt").read_text(encoding="utf-8"),
        "001": (SEEDS / "001_1013b52437bc68dc.txt").read_text(encoding="utf-8"),
    }


class Build:
    def __init__(self, html: Path, log: str, returncode: int):
        self.html = html
        self.log = log
        self.returncode = returncode


# --------------------------------------------------------------------------- tiers

#: The tiers after the unit tests, in the order they run.
TIERS = ("build", "browser", "print", "venv")
#: The fixtures that put a test in a tier: asking for one without one of its
#: markers is an error (html_dir and site are the built site, or DUROVBOOK_SITE;
#: printed is `make print`'s files made from it, or DUROVBOOK_PRINT).
TIER_OF_FIXTURE = {"built_book": {"build"}, "html_dir": {"build", "browser", "print"},
                   "site": {"build", "browser"}, "template_site": {"browser"},
                   "browser": {"browser"}, "visit": {"browser"}, "visits": {"browser"},
                   "dropped_selectors": {"build", "browser"}, "dropped_by_edition": {"build", "browser"},
                   "printed": {"print"},
                   "fresh_venv": {"venv"}}


def _tier(item) -> int:
    marks = {m.name for m in item.iter_markers()}
    return max((TIERS.index(t) + 1 for t in TIERS if t in marks), default=0)


def _reads_visits(item) -> bool:
    return bool({"visits", "visit"} & set(getattr(item, "fixturenames", ())))


def _order(item) -> int:
    """The tier's place; the tests that read the page visits, or wait for them
    (``quiet_machine``), come after every tier: the visits' process has been at
    work since the build."""
    last = _reads_visits(item) or "quiet_machine" in getattr(item, "fixturenames", ())
    return len(TIERS) + 1 if last else _tier(item)


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(session, config, items):
    undeclared = []
    for item in items:
        marks = {m.name for m in item.iter_markers()}
        undeclared += [f"{item.nodeid} uses the fixture {fixture!r} but is not marked "
                       + " or ".join(f"@pytest.mark.{t}" for t in sorted(tiers))
                       for fixture, tiers in TIER_OF_FIXTURE.items()
                       if fixture in getattr(item, "fixturenames", ()) and not tiers & marks]
    if undeclared:
        raise pytest.UsageError("tests in the wrong tier:\n  " + "\n  ".join(undeclared))
    items.sort(key=_order)  # stable: the order within a tier is kept
    if config.option.collectonly:
        return
    tiers = {TIERS[_tier(item) - 1] for item in items if _tier(item)}
    if "build" in tiers or (tiers & {"browser", "print"} and not os.environ.get("DUROVBOOK_SITE")):
        _background("book")
    if "print" in tiers and not (os.environ.get("DUROVBOOK_SITE") or os.environ.get("DUROVBOOK_PRINT")) \
            and harness.available():
        _background("print")
    if "venv" in tiers:
        _background("venv")
    if any("template_site" in getattr(item, "fixturenames", ()) for item in items):
        _background("template")
    if any(_reads_visits(item) for item in items) and harness.available():
        _background("visits")


# --------------------------------------------------------------------------- background jobs

_SCRATCH: list[Path] = []
#: When the run began (conftest is imported before collection).
_T0 = time.monotonic()
_JOBS: dict[str, "Job"] = {}
#: Whether this run measures coverage (pytest --cov, as `make test` runs it).
_COVERING = False


def pytest_configure(config):
    global _COVERING
    _COVERING = bool(getattr(config.option, "cov_source", None))


def _scratch(name: str) -> Path:
    if not _SCRATCH:
        _SCRATCH.append(Path(tempfile.mkdtemp(prefix="durovbook-tests-")))
    folder = _SCRATCH[0] / name
    folder.mkdir()
    return folder


def pytest_terminal_summary(terminalreporter):
    """When each background job ran, in seconds from the start of the run: where the time of a slow run went."""
    if _JOBS:
        terminalreporter.section("background jobs")
        for name, job in _JOBS.items():
            terminalreporter.write_line(f"{name:9} {job.timing()}")


def pytest_sessionfinish(session):
    for job in _JOBS.values():
        job.stop()
    for folder in _SCRATCH:
        shutil.rmtree(folder, ignore_errors=True)


class Job:
    """Commands run one after the other in the background, their output in one log.

    ``steps`` is a list of (argv, fallback): when a step fails and has a
    fallback, the fallback runs and then the step once more. With ``after``,
    the commands wait for that job, and do not run if it failed.
    """

    def __init__(self, steps: list, log: Path, env: dict | None = None, cwd: Path | None = None,
                 after: "Job | None" = None):
        import threading

        self.log, self.returncode, self._proc, self._after = log, None, None, after
        self.ran = self.ended = None  # time.monotonic(): its first command began, it ended
        self._thread = threading.Thread(target=self._run, args=(steps, env, cwd), daemon=True)
        self._thread.start()

    def _call(self, argv, env, cwd) -> int:
        self.ran = self.ran or time.monotonic()
        with open(self.log, "a", encoding="utf-8") as out:
            out.write(f"$ {' '.join(map(str, argv))}\n")
            out.flush()
            self._proc = subprocess.Popen([str(a) for a in argv], stdout=out, stderr=subprocess.STDOUT,
                                          env=env, cwd=cwd)
            return self._proc.wait()

    def _run(self, steps, env, cwd):
        rc = 0
        if self._after is not None:  # the job this one needs: it starts once that one has succeeded
            self._after._thread.join()
            if self._after.returncode:
                self.log.write_text(f"not started: {self._after.log} failed\n", encoding="utf-8")
                self.returncode = -2
                return
        for argv, fallback in steps:
            rc = self._call(argv, env, cwd)
            if rc and fallback:
                rc = self._call(fallback, env, cwd) or self._call(argv, env, cwd)
            if rc:
                break
        self.returncode, self.ended = rc, time.monotonic()

    def timing(self) -> str:
        """From when to when it ran, in seconds since the run began, and its exit code."""
        if self.ran is None:
            return f"did not run (exit code {self.returncode})"
        end = f"{self.ended - _T0:.0f} s" if self.ended else "still running"
        return f"{self.ran - _T0:.0f} s to {end} (exit code {self.returncode})"

    def result(self, timeout: float) -> tuple[int, str]:
        self._thread.join(timeout)
        if self._thread.is_alive():
            self.stop()
            self._thread.join(30)
            return -1, f"timed out after {timeout:.0f} s\n" + self.log.read_text(encoding="utf-8")
        return self.returncode, self.log.read_text(encoding="utf-8")

    def stop(self):
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()


def _jupyter_book(out: Path) -> list:
    """The strict build of the whole book, both editions, into ``out``, as `make book` runs it (bookbuild/editions.py)."""
    return [sys.executable, "-m", "bookbuild.editions", ROOT, "--path-output", out, "-W", "-n", "--keep-going"]


#: Where the fresh environment's wheels are kept between runs: inside the
#: virtual environment that runs the tests, so `rm -rf .venv` clears it too.
WHEELS = Path(sys.prefix) / "wheels"


def _python() -> list:
    """This Python, measuring coverage when the run does: pytest-cov combines the parallel data files it finds beside .coverage."""
    return [sys.executable] + (["-m", "coverage", "run", "--parallel-mode", f"--rcfile={ROOT / 'pyproject.toml'}"]
                               if _COVERING else [])


def _background(name: str) -> "Job":
    """Start the job ``name`` ("book", "print", "visits", "template" or "venv") once; later calls return it."""
    if name in _JOBS:
        return _JOBS[name]
    folder = _scratch(name)
    nice = ["nice", "-n", "5"] if shutil.which("nice") else []  # the book's build comes first
    if name == "book":
        env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
        _JOBS[name] = Job([(_jupyter_book(folder), None)], folder / "build.log", env=env, cwd=ROOT)
    elif name == "print":
        # `make print`'s files, made from the session's build as soon as it is
        # done, in the background while the build and browser tiers run (at a
        # lower priority: the browser tests come first). The tests run epubcheck.
        book = _background("book")
        html = book.log.parent / "_build" / "html"
        # Under `make test` (pytest --cov) its coverage joins the run's.
        _JOBS[name] = Job([(nice + _python() + ["-m", "bookbuild.printkit", "--html", html, "--out", folder / "files",
                                             "--no-check"], None)],
                          folder / "print.log", env=dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning"),
                          cwd=ROOT, after=book)
        _JOBS[name].files = folder / "files"
    elif name == "visits":
        # Every page of both editions in every mode (tests/pagevisits.py), in a
        # process of its own with a Chromium of its own, from the moment the
        # site is built: it is the longest job of the run, so it runs at normal
        # priority while the tests' process goes through the build, browser,
        # print and venv tiers. Its coverage joins the run's, as print's does.
        after = None if os.environ.get("DUROVBOOK_SITE") else _background("book")
        html = Path(os.environ["DUROVBOOK_SITE"]) if after is None else after.log.parent / "_build" / "html"
        _JOBS[name] = Job([(_python() + [ROOT / "tests" / "pagevisits.py", html, folder / "visits.pickle"], None)],
                          folder / "visits.log", env=dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning"),
                          cwd=ROOT, after=after)
        _JOBS[name].out = folder / "visits.pickle"
    elif name == "template":
        # The `jupyter-book create` template, built as bookbuild/bench.py builds
        # it: the page the bans page is weighed against (tests/test_phone.py).
        jb = Path(sys.executable).with_name("jupyter-book")
        _JOBS[name] = Job([(nice + [jb, "create", folder / "src"], None),
                           (nice + [jb, "build", folder / "src", "--path-output", folder / "out"], None)],
                          folder / "template.log", cwd=folder)
        _JOBS[name].html = folder / "out" / "_build" / "html"
    else:
        from bookbuild.classroom import PACK_NAME, build_pack

        with zipfile.ZipFile(build_pack(folder / f"{PACK_NAME}.zip")) as z:
            z.extractall(folder)
        requirements = folder / PACK_NAME / "requirements.txt"
        venv, pip = folder / "venv", [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
        # Offline from the wheel cache; on a fresh clone (or a new pin) the
        # cache is filled from the package index first. No .pyc is written
        # ahead: Python compiles what the notebooks import.
        install = nice + pip + ["--python", venv / "bin" / "python", "install", "--no-index", "--no-compile",
                                "--find-links", WHEELS, "-r", requirements]
        fill = nice + pip + ["wheel", "--wheel-dir", WHEELS, "-r", requirements]
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DUROVBOOK_DATA", "VIRTUAL_ENV")}
        _JOBS[name] = Job([([sys.executable, "-m", "venv", "--without-pip", venv], None), (install, fill)],
                          folder / "venv.log", env=env, cwd=folder)
        _JOBS[name].pack, _JOBS[name].python = folder / PACK_NAME, venv / "bin" / "python"
    return _JOBS[name]


@pytest.fixture(scope="session")
def built_book() -> Build:
    """The whole book, built once, strictly, into a temporary folder (started in the background)."""
    job = _background("book")
    returncode, log = job.result(timeout=1800)
    return Build(job.log.parent / "_build" / "html", log, returncode)


class FreshVenv:
    def __init__(self, pack: Path, python: Path, env: dict):
        self.pack, self.python, self.env = pack, python, env


@pytest.fixture(scope="session")
def fresh_venv() -> FreshVenv:
    """The student pack unzipped, and a new virtual environment holding only its requirements.txt."""
    job = _background("venv")
    returncode, log = job.result(timeout=1500)
    assert returncode == 0, "the pack's requirements did not install in a fresh environment:\n" + log[-4000:]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DUROVBOOK_DATA", "VIRTUAL_ENV")}
    return FreshVenv(job.pack, job.python, dict(env, PYTHONWARNINGS="ignore::DeprecationWarning"))


# --------------------------------------------------------------------------- the served site and the browser

@pytest.fixture(scope="session")
def html_dir(request) -> Path:
    """The built site: the session's own build, or DUROVBOOK_SITE to check an existing one."""
    if os.environ.get("DUROVBOOK_SITE"):
        return Path(os.environ["DUROVBOOK_SITE"])
    built = request.getfixturevalue("built_book")
    # A warning fails test_build.py; the site it built is still checked, so
    # that one warning does not hide every other finding.
    assert (built.html / "index.html").exists(), "the book did not build:\n" + built.log[-3000:]
    return built.html


@pytest.fixture(scope="session")
def site(html_dir):
    """The built book, served on 127.0.0.1 on a free port (bookbuild/browser.py); its base URL."""
    with harness.serve(html_dir) as server:
        yield server.url


@pytest.fixture(scope="session")
def template_site():
    """The `jupyter-book create` template, built (in the background, from the start of the run) and served gzipped.

    bookbuild/bench.py weighs our pages against it; tests/test_phone.py does too.
    """
    from bookbuild import bench

    job = _background("template")
    returncode, log = job.result(timeout=900)
    assert returncode == 0, "the jupyter-book template did not build:\n" + log[-3000:]
    with bench.serve(job.html, compress=True) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (bookbuild/browser.py: Debian's, never downloaded)."""
    if not harness.available():
        message = (f"Chromium is not installed at {harness.CHROMIUM}: the browser tests need Debian's "
                   "package (as root: apt-get install -y chromium-headless-shell, or `make tools`).")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " Under CI=true a missing browser is a failure, not a skip.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = harness.launch(p)
        yield b
        b.close()


# --------------------------------------------------------------------------- the printed files

def _missing_tool(message: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " Under CI=true a missing tool is a failure, not a skip.")
    pytest.skip(message)


@pytest.fixture(scope="session")
def printed(html_dir):
    """`make print`'s files (bookbuild/printkit.py), made once from the built site into a temporary folder.

    In a run that builds the book they are made in the background as soon as
    the build is done (``_background("print")``), while the browser tests run.
    DUROVBOOK_PRINT names a folder `make print` wrote instead (with
    DUROVBOOK_SITE, the site it was made from). The EPUB is checked by the
    tests, not here.
    """
    from bookbuild import printkit

    if not harness.available():
        _missing_tool(f"Chromium is not installed at {harness.CHROMIUM}: the print tests need Debian's package "
                      "(as root: apt-get install -y chromium-headless-shell, or `make tools`).")
    if os.environ.get("DUROVBOOK_PRINT") or "print" in _JOBS:
        if os.environ.get("DUROVBOOK_PRINT"):
            folder = Path(os.environ["DUROVBOOK_PRINT"])
        else:  # made in the background from the session's build (see _background)
            returncode, log = _JOBS["print"].result(timeout=1500)
            assert returncode == 0, "`python -m bookbuild.printkit` failed on the session's build:\n" + log[-4000:]
            folder = _JOBS["print"].files
        skipped = {e.name: printkit.missing(e, html_dir) for e in printkit.ITEMS if printkit.missing(e, html_dir)}
        files = {e.name: folder / e.name for e in printkit.ITEMS if (folder / e.name).exists()}
        result = printkit.Printed(folder, files, skipped, 0.0)
    else:
        # In a thread of its own: the browser tier's Playwright (sync API) keeps an
        # asyncio loop in this thread, and a second sync Playwright refuses to start
        # inside it.
        import concurrent.futures

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            result = pool.submit(printkit.make, html_dir, _scratch("print"), check=False,
                                 log=lambda line: None).result()
    # epubcheck (Java) runs on the other core while the tests read the PDFs' text:
    # each EPUB (English, French) one after the other.
    result.epubcheck = None
    epubs = [e.name for e in printkit.ITEMS if e.kind == "epub" and e.name in result.files]
    if epubs and printkit.epubcheck_command() is not None:
        import threading

        def check():
            for name in epubs:
                result.checked(name, *printkit.epubcheck(result.files[name]))

        result.epubcheck = threading.Thread(target=check, daemon=True)
        result.epubcheck.start()
    return result


# --------------------------------------------------------------------------- every page, loaded once

@pytest.fixture(scope="session")
def dropped_selectors(html_dir) -> list[str]:
    """Every selector that bookbuild/cssbundle.py left out of the built site's bundle (as querySelector sees it)."""
    return pagevisits.purged_selectors(html_dir)


@pytest.fixture(scope="session")
def dropped_by_edition(html_dir, dropped_selectors) -> dict[str, list[str]]:
    """The same for each edition: the French one (``fr/``) has a bundle of its own, purged for its pages."""
    return {"": dropped_selectors, pagevisits.FR: pagevisits.purged_selectors(html_dir / pagevisits.FR)}


@pytest.fixture(scope="session")
def visits(request, html_dir) -> dict:
    """Every page of PAGES in every mode, loaded once (tests/pagevisits.py), several pages at a time.

    Modes: ``desktop`` (1280 px, light), ``phone`` (360 px, light), ``dark``
    (1280 px, ``prefers-color-scheme: dark``: the desktop load, switched). A visit that failed keeps its
    exception, raised by the tests that read it. The visits are made by the
    background job started at collection (``_background("visits")``); without
    one (no Chromium: the ``browser`` fixture says so), here.
    """
    import pickle

    job = _JOBS.get("visits")
    if job is None:
        return pagevisits.visit_all(request.getfixturevalue("browser"), request.getfixturevalue("site"),
                                    request.getfixturevalue("dropped_by_edition"))
    returncode, log = job.result(timeout=1500)
    assert returncode == 0 and job.out.exists(), "tests/pagevisits.py failed on the session's site:\n" + log[-4000:]
    return pickle.loads(job.out.read_bytes())


@pytest.fixture(scope="session")
def quiet_machine():
    """For the pixel comparisons: the run's page visits (the background job) are done.

    A page drawn while the visits keep both cores busy can come out laid out a
    pixel, or a late image, apart from the same page drawn at rest (seen: 325
    pixels of one code cell, and a page 182 px taller). The tests that ask for
    this fixture run last, with the tests that read the visits.
    """
    job = _JOBS.get("visits")
    if job is not None:
        job.result(timeout=1500)


@pytest.fixture(scope="session")
def visit(visits):
    """``visit(page, mode)``: what loading ``page`` in ``mode`` produced (see ``visits``)."""
    def load(page: str, mode: str) -> pagevisits.Visit:
        v = visits[(page, mode)]
        if isinstance(v, Exception):
            raise v
        return v

    return load
