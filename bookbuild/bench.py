"""`make bench`: how fast the book builds and how much its pages weigh.

A benchmark, not a test: it measures and prints, and compares with budgets.
In one run it

1. creates the `jupyter-book create` template book in .bench/template and builds it;
2. builds our book from clean into .bench/ours (timed), then again with nothing
   changed (timed);
3. runs `make print`'s steps (:mod:`bookbuild.printkit`) on our build: its
   time, and each printed file's page count and size, the English files and
   the French ones (``fr/…``), with each edition's total;
4. serves both sites on 127.0.0.1 and loads each of our chapter pages, and each
   template page, in Chromium on a phone's screen, adding up every resource the
   page loads (HTML, CSS, JS, fonts, images): raw bytes, and bytes after gzip
   (level 6, as a web server sends them), on opening and read to the end;
5. where Node and Chromium are present, runs Lighthouse (npm `lighthouse`,
   installed into .bench/ by `make bench`) on each chapter and on the template's
   notebook page, three times each (``--runs``), and prints the median scores.

Each page is weighed on a 360 px phone twice (:func:`weigh`): *on opening*,
opened at its top as a reader opens it, when the browser fetches only the lazy
figures near the screen; and *read to the end*, scrolled down to the end so
that every figure on the way loads. The budgets apply to the weight on opening.

Budgets (issue 8): a chapter page at most 50 % of the template page's gzip
weight on opening, and the bans chapter, with the map's date control, at most
6 % (issue 14); a clean build of both editions, English and French, <= 120 s
and a no-change rebuild <= 15 s on 2 cores (issue 16; bookbuild/editions.py);
Lighthouse >= 0.95 in every category.

Usage: python -m bookbuild.bench [--no-lighthouse] [--strict] [--ref REF] [--runs N]
(--strict exits 1 when a budget is missed; --ref HEAD measures a commit,
exported with `git archive` into .bench/src, instead of the working tree: useful
when the working tree holds half-finished work.) From make:
`make bench BENCH_ARGS="--ref HEAD"`.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlsplit


from bookbuild import toc
from bookbuild.browser import CHROMIUM, CHROMIUM_ARGS, launch, serve

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
LIGHTHOUSE = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
TEMPLATE_PAGE = "notebooks"  # the template's chapter with executed code and a figure, like ours
BUDGET = {"gzip_ratio": 0.50, "clean_s": 120.0, "rebuild_s": 15.0, "lighthouse": 0.95,
          # issue 14: the page with the map's date control weighs at most 6 % of the template page.
          "page_ratio": {"chapters/bans": 0.06}}


def jupyter_book() -> str:
    return str(Path(sys.executable).with_name("jupyter-book"))


def build_command() -> list[str]:
    """What `make book` runs: both editions (bookbuild/editions.py)."""
    return [sys.executable, "-m", "bookbuild.editions"]


def build(source: Path, out: Path) -> float:
    """Build both editions of a book strictly into ``out``, as `make book` does; return the wall-clock seconds."""
    # The notebooks import the helper package of the book being built, not the
    # editable install's (which may be another checkout).
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")])))
    start = time.perf_counter()
    proc = subprocess.run([*build_command(), str(source), "--path-output", str(out),
                           "-W", "-n", "--keep-going"], capture_output=True, text=True, cwd=source, env=env)
    seconds = time.perf_counter() - start
    html = out / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").exists() or not (html / "fr" / "index.html").exists():
        sys.exit(f"build of {source} failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    return seconds


def export(ref: str) -> Path:
    """The files of commit ``ref``, exported into .bench/src."""
    src = BENCH / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(src, filter="data")
    return src


def chapter_pages(source: Path = ROOT) -> list[str]:
    """The chapters of ``_toc.yml`` (read by :mod:`bookbuild.toc`), as page names."""
    return [p for p in toc.pages(source) if p.startswith("chapters/")]


#: The screen a page is weighed on: a phone's (the 360 px of the phone tests, tests/test_phone.py).
PHONE = {"width": 360, "height": 740}


def _sizes(bodies: dict[str, bytes]) -> dict:
    gz = {u: len(gzip.compress(b, 6)) for u, b in bodies.items()}
    heaviest = sorted(gz.items(), key=lambda kv: -kv[1])[:3]
    return {"requests": len(bodies), "raw": sum(len(b) for b in bodies.values()), "gzip": sum(gz.values()),
            "heaviest": [(urlsplit(u).path.rsplit("/", 1)[-1], n) for u, n in heaviest]}


def weigh(browser, base: str, page: str, viewport: dict | None = None) -> dict:
    """Every resource a page loads from the local server, raw and gzip: on opening, and read to the end.

    *On opening*: the page opened at its top on a phone (``viewport``, :data:`PHONE` by
    default), as a reader opens it, until the network is idle. Figures carry
    ``loading="lazy"`` (bookbuild/assets.py), so the browser fetches only those near
    the screen; those further down are not counted. The budgets apply to this.
    *Read to the end* (``read_to_end``): then scrolled down to the end, one screen
    at a time, so that every lazy figure on the way loads (folded sections stay
    folded, as a reader who does not open them sees the page).
    The top-level keys are the weight on opening.
    """
    viewport = viewport or PHONE
    host = urlsplit(base).netloc
    bodies: dict[str, bytes] = {}
    foreign: list[str] = []
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()

    def on_response(r):
        if urlsplit(r.url).netloc != host:
            return
        try:
            bodies[r.url] = r.body()
        except Exception:  # a redirect or an aborted load has no body
            pass

    tab.on("response", on_response)
    tab.on("request", lambda r: urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != host
           and foreign.append(r.url))
    tab.goto(f"{base}/{page}.html", wait_until="load")
    tab.wait_for_load_state("networkidle")
    opening = dict(bodies)
    step = int(viewport["height"] * 0.8)
    y, height = 0, tab.evaluate("document.documentElement.scrollHeight")
    while y < height:
        y += step
        tab.evaluate(f"window.scrollTo(0, {y})")
        tab.wait_for_timeout(60)
        height = tab.evaluate("document.documentElement.scrollHeight")
    tab.wait_for_timeout(300)
    tab.wait_for_load_state("networkidle")
    context.close()
    result = _sizes(opening)
    result["foreign"] = foreign
    result["read_to_end"] = _sizes(bodies)
    return result


def lighthouse(url: str) -> dict[str, float] | str:
    if not LIGHTHOUSE.exists():
        return "not installed (make bench installs it with npm into .bench/)"
    flags = " ".join(CHROMIUM_ARGS)
    proc = subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
         "--only-categories=performance,accessibility,best-practices,seo", f"--chrome-flags={flags}"],
        capture_output=True, text=True, env=dict(os.environ, CHROME_PATH=str(CHROMIUM)), timeout=300)
    if proc.returncode != 0:
        return "failed: " + (proc.stderr.strip().splitlines() or ["no output"])[-1]
    report = json.loads(proc.stdout)
    scores = {k: v["score"] for k, v in report["categories"].items()}
    failing = [a["title"] for a in report["audits"].values()
               if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"]
    scores["_failing"] = failing
    # What the performance score is made of. Lighthouse simulates a slow 4G link
    # and multiplies the CPU times it measured here by 4: a busy machine scores lower.
    metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
               "cumulative-layout-shift", "speed-index")
    scores["_metrics"] = "  ".join(f"{''.join(w[0].upper() for w in m.split('-'))} "
                                   f"{report['audits'][m].get('displayValue', '?')}"
                                   for m in metrics if m in report["audits"])
    return scores


def lighthouse_median(url: str, runs: int) -> dict | str:
    """Lighthouse ``runs`` times: the median of each score, and the median run's metrics.

    One run's performance score moves by up to 0.1 on a busy 2-core machine
    (Lighthouse simulates a slow phone from the CPU times it measures here);
    Lighthouse's docs/variability.md: the median of five runs is about twice as
    stable as one run (``--runs 5``).
    """
    results = [lighthouse(url) for _ in range(runs)]
    good = sorted((r for r in results if not isinstance(r, str)), key=lambda r: r["performance"])
    if not good:
        return results[0]
    middle = good[len(good) // 2]
    scores = {k: statistics.median(r[k] for r in good) for k in middle if not k.startswith("_")}
    scores["_failing"] = sorted({a for r in good for a in r["_failing"]})
    each = ", ".join(f"{r['performance']:.2f}" for r in good)
    scores["_metrics"] = middle["_metrics"] + f"  (performance of each run: {each})"
    return scores


def kb(n: int) -> str:
    return f"{n / 1024:8.1f} kB"


def report(lines_and_misses: tuple[list[str], list[str]]) -> list[str]:
    """Print a section's lines; return its missed budgets."""
    lines, misses = lines_and_misses
    for line in lines:
        print(line)
    return misses


def build_lines(clean: float, rebuild: float) -> tuple[list[str], list[str]]:
    """The build-time lines of the report, and the budgets they miss."""
    lines, misses = [], []
    for label, seconds, budget in (("clean build (en + fr)", clean, BUDGET["clean_s"]),
                                   ("no-change rebuild", rebuild, BUDGET["rebuild_s"])):
        ok = seconds <= budget
        misses += [] if ok else [f"{label} {seconds:.1f} s > {budget:.0f} s"]
        lines.append(f"  {label:<20} {seconds:7.1f} s   budget <= {budget:.0f} s   {'ok' if ok else 'OVER'}")
    return lines, misses


def print_lines(seconds: float, files: dict[str, tuple[int | None, int]],
                skipped: dict[str, list[str]]) -> list[str]:
    """The `make print` lines: its time, then each file's page count (None for the EPUB) and size in bytes."""
    lines = ["\n== make print: the printable files (bookbuild/printkit.py)",
             f"  {'make print':<20} {seconds:7.1f} s"]
    for name, (pages, size) in files.items():
        count = f"{pages:>4} pages" if pages is not None else f"{'':>10}"
        lines.append(f"  {name:<22}{count}  {size / 1024:9.1f} kB")
    editions = {}
    for name, (pages, size) in files.items():
        edition = "French (fr/)" if name.startswith("fr/") else "English"
        n, p, b = editions.get(edition, (0, 0, 0))
        editions[edition] = (n + 1, p + (pages or 0), b + size)
    if len(editions) > 1:  # each edition's total, when both were printed
        for edition, (n, p, b) in editions.items():
            lines.append(f"  {edition + ':':<22}{n} files, {p} PDF pages, {b / 1024 / 1024:.1f} MB")
    for name, absent in skipped.items():
        lines.append(f"  {name:<22}skipped: no page {', '.join(p + '.html' for p in absent)}")
    return lines


def measure_print(html: Path, out: Path, source: Path) -> list[str]:
    """Run `make print`'s steps on a built site (PDFs, EPUB and its check); its report lines."""
    from bookbuild import printkit

    shutil.rmtree(out, ignore_errors=True)
    result = printkit.make(html, out, source, log=lambda line: None)
    order = [e.name for e in printkit.ITEMS]
    made = sorted(result.files.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    files = {name: (printkit.pdf_pages(path) if path.suffix == ".pdf" else None, path.stat().st_size)
             for name, path in made}
    lines = print_lines(result.seconds, files, result.skipped)
    checks = getattr(result, "epub_checks", {})
    if len(checks) > 1:
        lines += [f"  epubcheck {name}: {errors} error(s)" for name, (errors, _) in checks.items()]
    elif result.epub_errors is not None:
        lines.append(f"  epubcheck: {result.epub_errors} error(s)")
    return lines


def page_budget(page: str) -> float:
    """The most a page may weigh on opening, as a share of the template page's gzip weight."""
    return BUDGET["page_ratio"].get(page, BUDGET["gzip_ratio"])


def weight_lines(template: dict[str, dict], ours: dict[str, dict]) -> tuple[list[str], list[str]]:
    """The page-weight table (each page's :func:`weigh`), against the template's reference page.

    Each page has two weights: on opening (the budgets apply to it) and read to the end.
    """
    ref = template[TEMPLATE_PAGE]
    ref_end = ref.get("read_to_end", ref)
    lines = [f"\n== Page weight on a {PHONE['width']} px phone: every resource a page loads "
             "(HTML, CSS, JS, fonts, images), gzip",
             "  on opening:      opened at its top, as a reader opens it; lazy figures further down are not "
             "fetched. The budgets apply to this.",
             "  read to the end: then scrolled down to the end, so that every figure on the way loads.",
             f"  {'page':<36}{'requests':>9}{'raw':>12}{'gzip':>12}   on opening vs template   "
             f"{'read to the end':>15}  heaviest on opening (gzip)"]
    misses = []
    for page, w in template.items():
        mark = "  <- reference" if page == TEMPLATE_PAGE else ""
        blocked = f"  [+{len(w['foreign'])} CDN request(s) refused offline, not counted]" if w["foreign"] else ""
        end = w.get("read_to_end", w)
        lines.append(f"  {'template/' + page:<36}{w['requests']:>9}{kb(w['raw'])}{kb(w['gzip'])}{'':27}"
                     f"{kb(end['gzip'])}{mark}{blocked}")
    for page, w in ours.items():
        ratio = w["gzip"] / ref["gzip"]
        budget = page_budget(page)
        ok = ratio <= budget and not w["foreign"]
        misses += [] if ok else [f"{page}: {ratio:.1%} of the template's gzip weight on opening (budget {budget:.0%})"]
        heavy = ", ".join(f"{n} {b / 1024:.0f} kB" for n, b in w["heaviest"])
        end = w.get("read_to_end", w)
        lines.append(f"  {page:<36}{w['requests']:>9}{kb(w['raw'])}{kb(w['gzip'])}   {ratio:6.1%} "
                     f"<= {budget:.0%} {'ok  ' if ok else 'OVER'}       {kb(end['gzip'])} "
                     f"({end['gzip'] / ref_end['gzip']:.0%})  {heavy}")
        if w["foreign"]:
            lines.append(f"    requests to other hosts: {w['foreign']}")
    special = ", ".join(f"{p} <= {r:.0%}" for p, r in BUDGET["page_ratio"].items())
    lines.append(f"  budget on opening: a chapter page <= {BUDGET['gzip_ratio']:.0%} of template/{TEMPLATE_PAGE} "
                 f"(gzip){'; ' + special if special else ''}")
    return lines, misses


def lighthouse_lines(results: dict[str, dict | str]) -> tuple[list[str], list[str]]:
    """The Lighthouse lines (each page's :func:`lighthouse_median`), and the budgets our pages miss."""
    lines, misses = [], []
    for label, scores in results.items():
        if isinstance(scores, str):
            lines.append(f"  {label:<36}{scores}")
            continue
        scores = dict(scores)
        failing = scores.pop("_failing")
        metrics = scores.pop("_metrics")
        lines.append(f"  {label:<36}" + "  ".join(f"{k} {v:.2f}" for k, v in scores.items()))
        if not label.startswith("template/"):
            low = {k: v for k, v in scores.items() if v < BUDGET["lighthouse"]}
            misses += [f"{label}: Lighthouse {low}"] if low else []
        lines.append(f"  {'':<36}{metrics}")
        if failing:
            lines.append(f"  {'':<36}failed audits: {'; '.join(failing[:8])}")
    return lines, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument("--ref", help="measure this git commit (e.g. HEAD) instead of the working tree")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median counts (default 3)")
    args = parser.parse_args()
    misses: list[str] = []
    BENCH.mkdir(exist_ok=True)

    # 1. The template book, created fresh from the installed jupyter-book.
    template_src, template_out, ours_out = BENCH / "template", BENCH / "template-build", BENCH / "ours"
    for d in (template_src, template_out, ours_out):
        shutil.rmtree(d, ignore_errors=True)
    subprocess.run([jupyter_book(), "create", str(template_src)], check=True, capture_output=True)
    proc = subprocess.run([jupyter_book(), "build", str(template_src), "--path-output", str(template_out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("the template book did not build:\n" + proc.stdout[-2000:])

    # 2. Our book: clean build, then a rebuild with nothing changed.
    source = export(args.ref) if args.ref else ROOT
    what = f"commit {args.ref}" if args.ref else "the working tree"
    print(f"== Build times of {what} (machine: {os.cpu_count()} cores)")
    clean = build(source, ours_out)
    rebuild = build(source, ours_out)
    misses += report(build_lines(clean, rebuild))

    # 3. Page weights, measured in Chromium.
    if not CHROMIUM.exists():
        print(f"\n{CHROMIUM} is missing: no page weights, printed files or Lighthouse scores "
              "(make tools, or apt-get install chromium-headless-shell).")
        return 1 if (args.strict and misses) else 0

    # 3b. make print, on the book just built.
    ours_html = ours_out / "_build" / "html"
    report((measure_print(ours_html, ours_out / "_build" / "print", source), []))
    from playwright.sync_api import sync_playwright

    ours_html, template_html = ours_out / "_build" / "html", template_out / "_build" / "html"
    s1, s2 = serve(ours_html, compress=True), serve(template_html, compress=True)
    ours_url, template_url = s1.url, s2.url
    template_pages = [p.stem for p in sorted(template_html.glob("*.html")) if p.stem not in ("index", "search", "genindex")]
    with sync_playwright() as p:
        browser = launch(p)
        template = {page: weigh(browser, template_url, page) for page in template_pages}
        ours = {page: weigh(browser, ours_url, page) for page in chapter_pages(source)}
        browser.close()

    misses += report(weight_lines(template, ours))

    # 4. Lighthouse.
    node = shutil.which("node")
    if args.no_lighthouse or not node:
        print("\n== Lighthouse: skipped" + ("" if node else " (no Node.js)"))
    else:
        print(f"\n== Lighthouse 12 (mobile, simulated throttling), scores 0-1, median of {args.runs} runs")
        targets = [(f"template/{TEMPLATE_PAGE}", f"{template_url}/{TEMPLATE_PAGE}.html")]
        targets += [(page, f"{ours_url}/{page}.html") for page in chapter_pages(source)]
        misses += report(lighthouse_lines({label: lighthouse_median(url, args.runs) for label, url in targets}))
    s1.close()
    s2.close()

    print("\n== Budgets: " + ("all met" if not misses else "MISSED: " + " | ".join(misses)))
    return 1 if (args.strict and misses) else 0


if __name__ == "__main__":
    sys.exit(main())
