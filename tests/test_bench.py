"""`make bench`: its budgets, its report and its measurements, on small inputs.

The benchmark itself builds two books and runs Lighthouse, which is too slow
for a test; the parts that decide what it prints and which budget it misses
are tested here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bookbuild import bench, toc

ROOT = Path(__file__).resolve().parent.parent


def _weight(gzip: int, raw: int | None = None, foreign=(), to_end: int | None = None):
    end = to_end or gzip
    return {"requests": 3, "raw": raw or gzip * 3, "gzip": gzip, "foreign": list(foreign),
            "heaviest": [("page.html", gzip // 2)],
            "read_to_end": {"requests": 5, "raw": end * 2, "gzip": end, "heaviest": [("figure.png", end // 2)]}}


def test_chapter_pages_are_the_chapters_of_the_table_of_contents():
    pages = bench.chapter_pages(ROOT)
    assert pages and all(p.startswith("chapters/") for p in pages)
    assert pages == [p for p in toc.pages(ROOT) if p.startswith("chapters/")]
    assert "chapters/statement" in pages and "teacher/index" not in pages


def test_build_lines_flag_a_build_over_its_budget():
    lines, misses = bench.build_lines(10.0, 3.0)
    assert misses == [] and all(line.endswith("ok") for line in lines)
    lines, misses = bench.build_lines(bench.BUDGET["clean_s"] + 1, 3.0)
    assert misses == [f"clean build (en + fr) {bench.BUDGET['clean_s'] + 1:.1f} s > {bench.BUDGET['clean_s']:.0f} s"]
    assert lines[0].endswith("OVER") and lines[1].endswith("ok")


def test_print_lines_give_the_time_and_each_files_pages_and_size():
    lines = bench.print_lines(61.26, {"book.pdf": (194, 5 * 1024 * 1024), "book.epub": (None, 2048)},
                              {"slides.pdf": ["slides/index"]})
    assert lines[1] == "  make print              61.3 s"
    assert lines[2] == "  book.pdf               194 pages     5120.0 kB"
    assert lines[3] == "  book.epub                               2.0 kB"
    assert lines[4] == "  slides.pdf            skipped: no page slides/index.html"
    assert len(lines) == 5


def test_measure_print_reports_what_printkit_made(monkeypatch, tmp_path):
    from bookbuild import printkit

    pdf = tmp_path / "book.pdf"
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.write(str(pdf))
    made = printkit.Printed(tmp_path, {"book.pdf": pdf}, {"statement.pdf": ["handouts/statement"]}, 12.0,
                            epub_errors=0)
    monkeypatch.setattr(printkit, "make", lambda html, out, source, log: made)
    lines = bench.measure_print(tmp_path / "html", tmp_path / "print", tmp_path)
    assert "  book.pdf                 3 pages" in lines[2]
    assert lines[-2].startswith("  statement.pdf") and lines[-1] == "  epubcheck: 0 error(s)"


def test_weight_lines_compare_each_page_with_the_template_page():
    template = {bench.TEMPLATE_PAGE: _weight(1000 * 1024, to_end=1000 * 1024),
                "intro": _weight(900 * 1024, foreign=["https://cdn"])}
    ours = {"chapters/light": _weight(100 * 1024, to_end=500 * 1024), "chapters/heavy": _weight(600 * 1024),
            "chapters/leaky": _weight(10 * 1024, foreign=["https://fonts.example/x.woff"]),
            "chapters/bans": _weight(70 * 1024)}
    lines, misses = bench.weight_lines(template, ours)
    text = "\n".join(lines)
    assert "<- reference" in text and "1 CDN request(s) refused offline" in text
    light = next(line for line in lines if "chapters/light" in line)
    assert "  10.0% <= 50% ok" in light
    assert "500.0 kB (50%)" in light  # read to the end: its figures count, against the template's
    assert misses == ["chapters/heavy: 60.0% of the template's gzip weight on opening (budget 50%)",
                      "chapters/leaky: 1.0% of the template's gzip weight on opening (budget 50%)",
                      "chapters/bans: 7.0% of the template's gzip weight on opening (budget 6%)"]
    assert "requests to other hosts: ['https://fonts.example/x.woff']" in text
    assert "chapters/bans <= 6%" in text and "The budgets apply to this." in text


def test_the_bans_page_has_the_budget_of_issue_14_and_other_chapters_that_of_issue_8():
    assert bench.page_budget("chapters/bans") == 0.06
    assert bench.page_budget("chapters/users") == bench.BUDGET["gzip_ratio"] == 0.5


def test_lighthouse_lines_count_only_our_pages_against_the_budget():
    low = {"performance": 0.5, "accessibility": 1.0, "_failing": ["An audit"], "_metrics": "FCP 1 s"}
    good = {"performance": 0.99, "accessibility": 1.0, "_failing": [], "_metrics": "FCP 1 s"}
    lines, misses = bench.lighthouse_lines({"template/notebooks": low, "chapters/a": good,
                                            "chapters/b": low, "chapters/c": "not installed"})
    assert misses == ["chapters/b: Lighthouse {'performance': 0.5}"]
    assert "failed audits: An audit" in "\n".join(lines)
    assert any(line.strip().endswith("not installed") for line in lines)
    assert "_failing" in low, "the caller's scores are not changed"


def test_lighthouse_median_takes_the_middle_run(monkeypatch):
    runs = iter([{"performance": p, "seo": 1.0, "_failing": [f"a{p}"], "_metrics": f"run {p}"}
                 for p in (0.9, 0.7, 0.8)])
    monkeypatch.setattr(bench, "lighthouse", lambda url: next(runs))
    scores = bench.lighthouse_median("http://127.0.0.1/x.html", 3)
    assert scores["performance"] == 0.8 and scores["seo"] == 1.0
    assert scores["_failing"] == ["a0.7", "a0.8", "a0.9"]
    assert scores["_metrics"].startswith("run 0.8") and "0.70, 0.80, 0.90" in scores["_metrics"]


def test_lighthouse_median_passes_on_a_failure_when_no_run_worked(monkeypatch):
    monkeypatch.setattr(bench, "lighthouse", lambda url: "failed: no Chrome")
    assert bench.lighthouse_median("http://127.0.0.1/x.html", 2) == "failed: no Chrome"


def test_lighthouse_says_when_it_is_not_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "LIGHTHOUSE", tmp_path / "missing" / "index.js")
    assert bench.lighthouse("http://127.0.0.1/x.html").startswith("not installed")


def test_kb():
    assert bench.kb(1536).strip() == "1.5 kB"


def test_export_writes_the_files_of_a_commit(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "BENCH", tmp_path)
    src = bench.export("HEAD")
    assert src == tmp_path / "src"
    head_toc = subprocess.run(["git", "show", "HEAD:_toc.yml"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert (src / "_toc.yml").read_text(encoding="utf-8") == head_toc.stdout


def _fake_jupyter_book(tmp_path: Path, writes_index: bool) -> str:
    script = tmp_path / "jupyter-book"
    body = ("import sys, pathlib\n"
            "out = pathlib.Path(sys.argv[sys.argv.index('--path-output') + 1]) / '_build' / 'html'\n"
            "out.mkdir(parents=True, exist_ok=True)\n"
            "(out / 'fr').mkdir(parents=True, exist_ok=True)\n"
            + ("(out / 'index.html').write_text('ok'); (out / 'fr' / 'index.html').write_text('ok')\n"
               if writes_index else ""))
    script.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_build_times_a_strict_build_and_refuses_one_without_a_site(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "build_command", lambda: [_fake_jupyter_book(tmp_path, True)])
    assert bench.build(tmp_path, tmp_path / "out") >= 0
    monkeypatch.setattr(bench, "build_command", lambda: [_fake_jupyter_book(tmp_path, False)])
    with pytest.raises(SystemExit, match="failed"):
        bench.build(tmp_path, tmp_path / "out2")


@pytest.mark.browser
def test_weigh_adds_up_every_resource_a_page_loads(browser, site, html_dir):
    w = bench.weigh(browser, site, "chapters/statement")
    assert w["foreign"] == []
    html = (html_dir / "chapters" / "statement.html").read_bytes()
    assert w["requests"] > 1 and w["raw"] > len(html) and 0 < w["gzip"] < w["raw"]
    assert len(w["heaviest"]) == 3


@pytest.mark.browser
def test_weigh_counts_lazy_figures_only_when_the_page_is_read_to_the_end(browser, site, html_dir):
    """On opening a phone fetches no figure far below the first screen; read to the end, it fetches each."""
    page = "chapters/users"
    text = (html_dir / "chapters" / "users.html").read_text(encoding="utf-8")
    assert 'loading="lazy"' in text
    w = bench.weigh(browser, site, page)
    end = w["read_to_end"]
    pngs = lambda sizes: [n for n, _ in sizes["heaviest"] if n.endswith(".png")]  # noqa: E731
    assert pngs(w) == [] and pngs(end), (w["heaviest"], end["heaviest"])
    assert end["requests"] > w["requests"] and end["gzip"] > w["gzip"] + 50 * 1024


def test_print_lines_total_each_edition_when_both_were_printed():
    lines = bench.print_lines(90.0, {"book.pdf": (226, 2 * 1024 * 1024), "book.epub": (None, 1024 * 1024),
                                     "fr/book.pdf": (238, 3 * 1024 * 1024)}, {})
    assert "  fr/book.pdf            238 pages     3072.0 kB" in lines
    assert lines[-2].split() == ["English:", "2", "files,", "226", "PDF", "pages,", "3.0", "MB"]
    assert lines[-1].split() == ["French", "(fr/):", "1", "files,", "238", "PDF", "pages,", "3.0", "MB"]
