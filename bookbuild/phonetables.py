"""phonetables: Markdown tables that read as cards on a phone.

``durovbook.display.table`` writes the markup that lets a wide table reflow
into one card per row below 600 px (the rule is in ``_static/durovsite.css``):
``data-cards`` on the table, the column's label in ``data-label`` on each
cell, ``data-key`` on the key column, and explicit table roles. A table typed
in Markdown (the teacher's lesson plans, the rubric) is written by docutils,
which cannot add such attributes.

After the build this extension reads each page and gives every table of more
than three columns in the page's ``<main>`` the same markup. It only adds
attributes inside start tags: every other byte of the page stays as it was,
and a table that already has ``data-cards`` (or whose box has it, as
``durovbook.display.table`` writes) is left alone, so running it twice
changes nothing.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from sphinx.util import logging

from durovbook.display import CARD_COLUMNS, KEY_COLUMNS, card_label

logger = logging.getLogger(__name__)

__version__ = "1.0"

_WORDS = re.compile(r"[a-z]+")


def key_index(labels: list[str]) -> int:
    """The column that opens each card: the first header naming a key (verdict, status...), else 0."""
    for key in KEY_COLUMNS:
        for i, label in enumerate(labels):
            if key in _WORDS.findall(label.lower()):
                return i
    return 0


class _Table:
    def __init__(self, start: int, tag: str, parent: str = ""):
        self.start, self.tag = start, tag
        self.labels: list[str] = []
        self.head: list[tuple[int, str]] = []  # th/tr/thead/tbody start tags: (offset, tag text)
        self.cells: list[tuple[int, str, int]] = []  # td start tags: (offset, tag text, column)
        self.rows: list[tuple[int, str]] = []
        self.in_head = False
        self.in_th = False
        self.column = 0
        # durovbook.display.table marks the table's box instead.
        self.done = "data-cards" in tag or "data-cards" in parent


class _Finder(HTMLParser):
    """The start tags to mark in each table of a page's <main>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.lines = [0]
        for line in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.main = 0
        self.stack: list[_Table] = []
        self.tables: list[_Table] = []
        self.previous = ""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.main += 1
        if not self.main:
            return
        raw = self.get_starttag_text() or ""
        where = self._offset()
        previous, self.previous = self.previous, raw
        if tag == "table":
            self.stack.append(_Table(where, raw, previous))
            return
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "thead":
            table.in_head = True
            table.head.append((where, raw))
        elif tag == "tbody":
            table.head.append((where, raw))
        elif tag == "tr":
            table.column = 0
            table.rows.append((where, raw))
        elif tag == "th" and table.in_head:
            table.in_th = True
            table.labels.append("")
            table.head.append((where, raw))
        elif tag in ("td", "th"):
            span = dict(attrs).get("colspan") or "1"
            if tag == "td":
                table.cells.append((where, raw, table.column))
            table.column += int(span) if span.isdigit() else 1

    def handle_endtag(self, tag):
        if tag == "main" and self.main:
            self.main -= 1
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "table":
            self.tables.append(self.stack.pop())
        elif tag == "thead":
            table.in_head = False
        elif tag == "th":
            table.in_th = False

    def handle_data(self, data):
        if self.stack and self.stack[-1].in_th:
            self.stack[-1].labels[-1] += data


def _with(tag_text: str, attrs: str) -> str:
    end = len(tag_text) - (2 if tag_text.endswith("/>") else 1)
    return tag_text[:end].rstrip() + attrs + tag_text[end:]


_ROLES = {"thead": "rowgroup", "tbody": "rowgroup", "th": "columnheader", "tr": "row"}


def label_tables(text: str) -> tuple[str, int]:
    """The page with its wide tables marked up as cards; and how many tables were marked."""
    finder = _Finder(text)
    finder.feed(text)
    finder.close()
    edits: list[tuple[int, str, str]] = []
    marked = 0
    for table in finder.tables:
        labels = [re.sub(r"\s+", " ", label).strip() for label in table.labels]
        if table.done or len(labels) <= CARD_COLUMNS:
            continue
        marked += 1
        key = key_index(labels)
        edits.append((table.start, table.tag, ' data-cards="" role="table"'))
        for where, raw in table.head + table.rows:
            name = re.match(r"<\s*(\w+)", raw).group(1).lower()
            if "role=" not in raw:
                edits.append((where, raw, f' role="{_ROLES[name]}"'))
        for where, raw, column in table.cells:
            if column >= len(labels) or "data-label" in raw:
                continue
            extra = f' role="cell" data-label="{html.escape(card_label(labels[column]), quote=True)}"'
            edits.append((where, raw, extra + (" data-key" if column == key else "")))
    for where, raw, attrs in sorted(edits, key=lambda e: -e[0]):
        assert text.startswith(raw, where), (where, raw)
        text = text[:where] + _with(raw, attrs) + text[where + len(raw):]
    return text, marked


def on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    from bookbuild.editions import own_pages

    for page in own_pages(out):  # not the other edition's, merged into the English site
        text = page.read_text(encoding="utf-8")
        new, marked = label_tables(text)
        if marked:
            page.write_text(new, encoding="utf-8")
            logger.verbose("phonetables: %s: %d table(s) marked to reflow on a phone", page.relative_to(out), marked)


def setup(app):
    app.connect("build-finished", on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
