"""What a reader meets: no internal working term on any page, and chapters a teenager finishes.

The unit tests run on small HTML strings; the tests marked ``build`` measure
the whole built site (the session fixture ``built_book``).
"""

from __future__ import annotations

import pytest

from bookbuild import reader
from bookbuild.reader import (MAX_MAIN_PATH_WORDS, MINUTES_TOLERANCE, WORDS_PER_MINUTE, main_path,
                              main_path_words, stated_minutes, visible_text, words, working_terms)
from bookbuild.toc import chapters

PAGE = """<!DOCTYPE html><html><head><title>A chapter</title>
<script>var note = "seed article 000";</script><style>p::after {content: "facts register"}</style></head>
<body><nav class="bd-links"><p>Contents of the site in a side bar</p></nav>
<main id="main-content"><article class="bd-article">
<section id="a-chapter"><h1>A chapter<a class="headerlink" href="#a-chapter">#</a></h1>
<p>One two three four five.</p>
<details><summary>Folded summary words</summary><p>Folded body words here.</p></details>
<div class="admonition dropdown"><p class="admonition-title">Go deeper: a dropdown</p><p>Depth hidden words.</p></div>
<table><tr><td>table cell words</td></tr></table>
<div class="cell docutils container"><div class="cell_input"><pre>x = 1</pre></div>
<div class="cell_output"><p>output words</p></div></div>
<figure><img alt="alt words" src="a.png"><figcaption><p>caption words</p></figcaption></figure>
<p>Six seven, <code>eight</code> and the well-known 2024 figure.</p>
<section id="time-to-learn"><h2>Time to learn<a class="headerlink" href="#time-to-learn">#</a></h2>
<p>About 15 minutes to read; 10 more for the exercises.</p></section>
</section></article></main>
<footer class="prev-next-area"><p>Previous page next page</p></footer></body></html>
"""


# --- unit tests on small pages -------------------------------------------------------------

def test_visible_text_leaves_out_scripts_and_styles_but_keeps_the_title():
    text = visible_text(PAGE)
    assert "seed article" not in text and "facts register" not in text
    assert text.startswith("A chapter") and "Folded body words" in text  # folded text is still on the page


@pytest.mark.parametrize("html, term", [
    ("<p>As the Seed Article 000 says</p>", "seed article"),
    ("<p>Checked in the facts\n   register.</p>", "facts register"),
    ("<div><details><p>among the SOURCES WE HOLD</p></details></div>", "sources we hold"),
    ("<p>No source we hold can confirm it.</p>", "sources we hold"),
    ("<p>The sources the book holds confirm it.</p>", "sources we hold"),
    ("<p>Two seed articles started it.</p>", "seed article"),
    ("<html><head><title>The seed article</title></head><body></body></html>", "seed article"),
])
def test_a_working_term_anywhere_a_reader_can_see_it_is_found(html, term):
    found = working_terms(html)
    assert len(found) == 1 and found[0].startswith(repr(term))


def test_a_clean_page_has_no_working_term():
    assert working_terms("<p>The French article in Journal du Coin, and the sources we found.</p>") == []
    assert working_terms(PAGE) == []  # only the script and the style name them


def test_the_main_path_leaves_out_folded_parts_tables_code_figures_and_navigation():
    path = main_path(PAGE)
    for absent in ("Folded", "Depth hidden", "Go deeper", "table cell", "x = 1", "output words", "alt words",
                   "caption words", "Contents of the site", "Previous page", "#"):
        assert absent not in path, absent
    assert path.startswith("A chapter One two three four five. Six seven, eight and the well-known 2024 figure.")


def test_words_counts_hyphenated_words_and_numbers_once():
    assert words("The well-known 2024 figure, Durov’s words: «une phrase».") == 8
    assert words("") == 0


def test_main_path_words_counts_what_a_reader_meets_without_opening_anything():
    # "A chapter" 2, then 5, then "Six seven, eight and the well-known 2024 figure." 8,
    # then "Time to learn" 3 and "About 15 minutes to read; 10 more for the exercises." 10
    assert main_path_words(PAGE) == 2 + 5 + 8 + 3 + 10


def test_the_main_content_is_the_article_when_there_is_one():
    assert main_path("<body><p>Outside</p><article><p>Inside</p></article></body>") == "Inside"
    assert main_path("<body><p>Only the body</p></body>") == "Only the body"


@pytest.mark.parametrize("text, minutes", [
    ("About 15 minutes to read; 10 more for the exercises.", 15),
    ("15–20 minutes to read.", 17),
    ("Read it in 25 min.", 25),
    ("As long as you like.", None),
])
def test_the_stated_reading_time_is_the_first_figure_of_minutes(text, minutes):
    html = f"<section><h2>Time to learn<a class='headerlink'>#</a></h2><p>{text}</p></section>"
    assert stated_minutes(html) == minutes


def test_the_stated_time_without_sections_and_without_the_heading():
    flat = "<h2>Prerequisites</h2><p>5 minutes of Python.</p><h2>Time to learn</h2><p>About 12 minutes.</p><h2>Next</h2><p>3 minutes</p>"
    assert stated_minutes(flat) == 12
    assert stated_minutes("<h2>Overview</h2><p>About 12 minutes.</p>") is None


def test_the_report_prints_each_chapter(tmp_path, capsys):
    assert reader.main([str(tmp_path)]) == 1
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "one.html").write_text(PAGE, encoding="utf-8")
    assert reader.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "one" in out and "28 words" in out and "stated 15 min" in out


# --- the built site ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built_book):
    assert (built_book.html / "index.html").exists(), built_book.log[-3000:]
    return built_book.html


@pytest.mark.build
def test_no_rendered_page_shows_an_internal_working_term(site):
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) > 10  # chapters, teacher guide, glossary, landing page...
    leaks = {p.relative_to(site).as_posix(): found for p in pages
             if (found := working_terms(p.read_text(encoding="utf-8")))}
    assert leaks == {}, "\n".join(f"{page}: {hit}" for page, hits in leaks.items() for hit in hits)


def _chapter_pages(site):
    pages = {p.stem: site / "chapters" / f"{p.stem}.html" for p in chapters()}
    assert len(pages) == 6 and all(p.exists() for p in pages.values()), pages
    return pages


@pytest.mark.build
def test_each_chapter_main_path_is_at_most_2500_words(site, capsys):
    counts = {name: main_path_words(page.read_text(encoding="utf-8")) for name, page in _chapter_pages(site).items()}
    with capsys.disabled():
        print("\nmain path of each chapter (rendered words):")
        for name, n in counts.items():
            print(f"  {name:<10} {n:>5} words, {n / WORDS_PER_MINUTE:4.1f} min at {WORDS_PER_MINUTE} words a minute")
    assert all(n > 300 for n in counts.values()), counts  # the measure really found the prose
    too_long = {name: n for name, n in counts.items() if n > MAX_MAIN_PATH_WORDS}
    assert too_long == {}, f"main path over {MAX_MAIN_PATH_WORDS} words: {too_long}"


@pytest.mark.build
def test_each_chapter_states_the_time_its_main_path_takes(site):
    wrong = {}
    for name, page in _chapter_pages(site).items():
        html = page.read_text(encoding="utf-8")
        stated, needed = stated_minutes(html), main_path_words(html) / WORDS_PER_MINUTE
        if stated is None or abs(stated - needed) > MINUTES_TOLERANCE:
            wrong[name] = f"states {stated} min, its main path takes {needed:.1f} min"
    assert wrong == {}, wrong
