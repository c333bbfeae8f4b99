"""Citations on a phone (issue 14): a short label, never a headline, linked to its entry in the bibliography.

The unit tests run :func:`bookbuild.reader.citation_problems` on small pages
written for them; the test marked ``build`` checks every citation of the built
book (``html_dir``: the session's build, or ``DUROVBOOK_SITE``). The labels themselves are made by bookbuild/bibstyle.py (tests/test_bibstyle.py).
"""

from __future__ import annotations

import pytest

from bookbuild.bibstyle import MAX_LABEL_CHARS, MAX_LABEL_WORDS
from bookbuild.reader import bibliography_labels, citation_problems, in_text_citations

BIBLIOGRAPHY = """<main><div role="list" class="citation-list">
<div class="citation" id="id1" role="listitem"><span class="label"><span class="fn-bracket">[</span>Le Monde 2024<span
 class="fn-bracket">]</span></span><p>Le patron de Telegram mis en examen. Le Monde, August 2024.</p></div>
<div class="citation" id="id2" role="listitem"><span class="label"><span class="fn-bracket">[</span>TASS 2024b<span
 class="fn-bracket">]</span></span><p>Another report. TASS, 2024.</p></div>
</div></main>"""


def _cite(*links: tuple[str, str]) -> str:
    inner = "; ".join(f'<a class="reference internal" href="{href}" title="the full reference">{text}</a>'
                      for text, href in links)
    return f'<p>Durov wrote <span class="bibtex-citation" id="c1">[{inner}]</span>.</p>'


def _site(tmp_path, chapter: str):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "bibliography.html").write_text(BIBLIOGRAPHY, encoding="utf-8")
    (tmp_path / "chapters" / "one.html").write_text(chapter, encoding="utf-8")
    (tmp_path / "_static").mkdir()  # never a page
    (tmp_path / "_static" / "x.html").write_text(_cite(("A headline " * 9, "nowhere.html")), encoding="utf-8")
    return tmp_path


def test_in_text_citations_reads_each_link_of_each_citation():
    html = _cite(("Le Monde 2024", "../bibliography.html#id1"), ("TASS\n 2024b", "../bibliography.html#id2"))
    assert in_text_citations(html) == [("Le Monde 2024", "../bibliography.html#id1"),
                                       ("TASS 2024b", "../bibliography.html#id2")]
    assert in_text_citations('<p>A <a href="x.html">link</a> that is not a citation.</p>') == []


def test_bibliography_labels_reads_the_label_of_each_entry():
    assert bibliography_labels(BIBLIOGRAPHY) == {"id1": "Le Monde 2024", "id2": "TASS 2024b"}


def test_short_labels_that_link_to_their_entries_pass(tmp_path):
    site = _site(tmp_path, _cite(("Le Monde 2024", "../bibliography.html#id1"), ("TASS 2024b", "../bibliography.html#id2")))
    assert citation_problems(site) == (2, [])


def test_each_edition_s_pages_cite_their_own_bibliography(tmp_path):
    site = _site(tmp_path, _cite(("Le Monde 2024", "../bibliography.html#id1")))
    (site / "fr" / "chapters").mkdir(parents=True)
    (site / "fr" / "bibliography.html").write_text(BIBLIOGRAPHY.replace('id="id1"', 'id="id7"'), encoding="utf-8")
    (site / "fr" / "chapters" / "one.html").write_text(_cite(("Le Monde 2024", "../bibliography.html#id7")),
                                                       encoding="utf-8")
    assert citation_problems(site) == (2, [])
    # a French page that links the English bibliography's entry is caught
    (site / "fr" / "chapters" / "one.html").write_text(_cite(("Le Monde 2024", "../../bibliography.html#id1")),
                                                       encoding="utf-8")
    checked, problems = citation_problems(site)
    assert checked == 2 and problems == [
        "fr/chapters/one.html: 'Le Monde 2024' links to '../../bibliography.html#id1', not to an entry of fr/bibliography.html"]


@pytest.mark.parametrize("text, href, problem", [
    # the headline a phone showed before issue 14
    ("Voici les 12 chefs d'accusation qui vont peut-être faire tomber Pavel Durov , 2024",
     "../bibliography.html#id1", "longer than"),
    ("One two three four five six", "../bibliography.html#id1", "longer than"),  # 6 words, 28 characters
    ("Le Monde 2024", "../glossary.html#id1", "not to an entry"),
    ("Le Monde 2024", "https://www.lemonde.fr/", "not to an entry"),
    ("Le Monde 2024", "../bibliography.html", "not to an entry"),  # no entry named
    ("Le Monde 2024", "../bibliography.html#id9", "does not have"),
    ("TASS 2024a", "../bibliography.html#id2", "labelled 'TASS 2024b'"),  # the wrong letter
    ("17", "../bibliography.html#id1", "labelled 'Le Monde 2024'"),  # a number, not the label
])
def test_a_long_label_or_a_link_to_no_entry_is_found(tmp_path, text, href, problem):
    checked, problems = citation_problems(_site(tmp_path, _cite((text, href))))
    assert checked == 1 and len(problems) >= 1 and problem in problems[0], problems


def test_the_limits_are_the_style_s():
    assert (MAX_LABEL_CHARS, MAX_LABEL_WORDS) == (30, 5)


@pytest.mark.build
def test_every_citation_of_the_book_is_a_short_label_linked_to_its_entry(html_dir, capsys):
    checked, problems = citation_problems(html_dir)
    labels = [label for page in html_dir.rglob("*.html") if "_static" not in page.parts
              for label, _ in in_text_citations(page.read_text(encoding="utf-8"))]
    with capsys.disabled():
        longest = max(labels, key=len)
        print(f"\n{checked} citations in the text; the longest label: {longest!r} ({len(longest)} characters)")
    assert checked > 300  # the measure found the citations (369 when this test was written)
    assert problems == [], "\n".join(problems[:20])


# --------------------------------------------------------------------------- on a 360 px phone

#: Pages with many citations: every chapter that cites, the whole statement.
PHONE_PAGES = ["chapters/bans", "chapters/charges", "chapters/privacy", "chapters/users",
               "chapters/coverage", "chapters/statement", "statement_whole"]

_LABEL_BOXES_JS = """() => {
  document.querySelectorAll('main details').forEach(d => { d.open = true; });
  return [...document.querySelectorAll('main .bibtex-citation a')].filter(a => a.getClientRects().length)
    .map(a => {
      let box = a.parentElement;  // the nearest block that holds the label: a paragraph, a cell, a list item
      while (box && getComputedStyle(box).display.startsWith('inline')) box = box.parentElement;
      return {text: a.textContent, lines: a.getClientRects().length,
              right: a.getBoundingClientRect().right, limit: box.getBoundingClientRect().right};
    });
}"""


@pytest.mark.browser
@pytest.mark.parametrize("page", PHONE_PAGES)
def test_on_a_360px_phone_a_label_stays_on_one_line_inside_its_text(browser, site, page):
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    tab = context.new_page()
    tab.goto(f"{site}/{page}.html", wait_until="load")
    labels = tab.evaluate(_LABEL_BOXES_JS)
    context.close()
    assert labels, f"no citation found on {page}"
    # "The Moscow Times" at the end of a line and "2024" on the next read as two things
    split = [x["text"] for x in labels if x["lines"] > 1]
    assert split == [], f"labels broken over two lines: {split}"
    wide = [x for x in labels if x["right"] > x["limit"] + 0.5]
    assert wide == [], f"labels wider than their text: {wide}"


_BIBLIOGRAPHY_BOXES_JS = """() => [...document.querySelectorAll('main div.citation')].map(c => {
  const label = c.querySelector('.label').getBoundingClientRect(), text = c.querySelector('p').getBoundingClientRect();
  return {label: c.querySelector('.label').textContent, labelBottom: label.bottom, labelRight: label.right,
          lines: c.querySelector('.label').getClientRects().length, textTop: text.top, right: c.getBoundingClientRect().right};
})"""


@pytest.mark.browser
def test_on_a_360px_phone_each_bibliography_label_heads_its_entry(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    tab = context.new_page()
    tab.goto(f"{site}/bibliography.html", wait_until="load")
    entries = tab.evaluate(_BIBLIOGRAPHY_BOXES_JS)
    context.close()
    assert len(entries) > 200
    # a label of 30 characters in the 4em column Sphinx gives "[12]" ran over the entry's text
    overlapping = [e["label"] for e in entries if e["labelBottom"] > e["textTop"] + 0.5]
    assert overlapping == [], overlapping[:10]
    wide = [e["label"] for e in entries if e["labelRight"] > e["right"] + 0.5 or e["lines"] > 1]
    assert wide == [], wide[:10]
