"""One parser for MyST Markdown: markdown-it-py with the mdit-py-plugins that MyST-Parser uses.

Everything in :mod:`bookbuild` that reads a chapter's source (the skeleton
check, the student notebooks, the readability report) and the tests read it
through this module, so that a fence, a heading or a role means the same to
all of them, and the same as to the book's build:

* :func:`tokens` parses a text into markdown-it block tokens (front matter,
  fences and colon fences, targets ``(label)=``, comments ``%``, block breaks
  ``+++``, tables, definition lists); each token's ``map`` gives its lines;
* :func:`directives` lists the directives of a text as :class:`Directive`
  (name, argument, ``:key: value`` options, body and lines), nested ones too;
* :func:`headings` lists the headings of a level, never a ``#`` line of code;
* :func:`tables` lists the Markdown tables, with the heading and the
  paragraph that come before each;
* :data:`ROLE` is the one pattern of an inline role, ``{name}`body```, and
  :func:`split_title` splits a role's ``title <target>`` body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

__all__ = ["ROLE", "CODE", "Directive", "Table", "parser", "tokens", "directives", "headings", "tables", "split_title",
           "options"]

#: An inline role: ``{name}`body```. The body may run over a line break.
ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<body>[^`]*)`")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}[ \t]*(?P<arg>.*?)[ \t]*$")

#: Directives whose body is code or raw text, not MyST: never parsed further.
CODE = frozenset({"code-cell", "code-block", "code", "sourcecode", "math", "raw"})


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The markdown-it parser, with the MyST syntax the book enables (_config.yml)."""
    return (MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(myst_block_plugin)
            .use(myst_role_plugin).use(colon_fence_plugin).use(deflist_plugin))


def tokens(text: str) -> list[Token]:
    """The block tokens of ``text``."""
    return parser().parse(text)


@dataclass(frozen=True)
class Directive:
    """A MyST directive: ``name`` and ``argument`` from its opening line, its options and body.

    ``start`` and ``end`` are its lines in the text parsed (``end`` excluded,
    so the closing fence is inside); ``content`` is every line between the
    fences, ``body`` what follows the options.
    """

    name: str
    argument: str
    options: dict[str, str]
    body: list[str]
    content: list[str]
    fence: str
    start: int
    end: int
    children: list["Directive"] = field(default_factory=list)


def options(content: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split a directive's content into its leading options and its body.

    As in MyST-Parser, every leading line that starts with ``:`` is an option
    line, nested YAML ones (``:  image:`` then ``:    alt: ...``) too; the
    top-level ``:key: value`` lines are returned as a dict.
    """
    found, i = {}, 0
    while i < len(content) and content[i].lstrip().startswith(":"):
        if match := _OPTION.match(content[i]):
            found[match.group("key")] = match.group("value")
        i += 1
    return found, content[i:]


def _directive(token: Token, offset: int) -> Directive | None:
    match = _DIRECTIVE.match(token.info.strip())
    if token.type not in ("fence", "colon_fence") or not match or not token.map:
        return None
    content = token.content.splitlines()
    found, body = options(content)
    name = match.group("name")
    children = [] if name in CODE else directives("\n".join(content), offset + token.map[0] + 1)
    return Directive(name, match.group("arg"), found, body, content, token.markup,
                     offset + token.map[0], offset + token.map[1], children)


def directives(text: str, offset: int = 0) -> list[Directive]:
    """The directives opened at the top of ``text``, in order; nested ones are their ``children``."""
    found = []
    for token in tokens(text):
        directive = _directive(token, offset)
        if directive is not None:
            found.append(directive)
    return found


def walk(found: list[Directive]):
    """Every directive of ``found`` and, depth first, of their children."""
    for directive in found:
        yield directive
        yield from walk(directive.children)


def headings(text: str, level: int = 2) -> list[str]:
    """The text of every heading of ``level`` (``##`` by default), in order."""
    found = tokens(text)
    return [found[i + 1].content.strip() for i, t in enumerate(found)
            if t.type == "heading_open" and t.tag == f"h{level}"]


@dataclass(frozen=True)
class Table:
    """A Markdown table: its header cells and rows (the cells' source text, stripped).

    ``heading`` is the text of the last heading above it (any level), and
    ``before`` that of the paragraph right before it, if the block before it
    is a paragraph; ``start`` is its first line.
    """

    header: list[str]
    rows: list[list[str]]
    heading: str | None
    before: str | None
    start: int


def tables(text: str) -> list[Table]:
    """The tables at the top level of ``text`` (not those inside a directive), in order."""
    found, heading, before, last_closed = [], None, None, None
    stream = tokens(text)
    i = 0
    while i < len(stream):
        token = stream[i]
        if token.type in ("heading_open", "paragraph_open") and token.level == 0:
            content = stream[i + 1].content.strip()
            if token.type == "heading_open":
                heading = content
            before = content if token.type == "paragraph_open" else None
            last_closed = token.type
        elif token.type == "table_open":
            header, rows, row, in_head = [], [], None, False
            start = token.map[0] if token.map else 0
            while stream[i].type != "table_close":
                kind = stream[i].type
                if kind == "thead_open":
                    in_head = True
                elif kind == "thead_close":
                    in_head = False
                elif kind == "tr_open":
                    row = []
                elif kind == "inline" and row is not None:
                    row.append(stream[i].content.strip())
                elif kind == "tr_close":
                    (header.extend(row) if in_head else rows.append(row))
                    row = None
                i += 1
            found.append(Table(header, rows, heading, before if last_closed == "paragraph_open" else None, start))
            before, last_closed = None, "table"
        elif token.type not in ("paragraph_close", "heading_close", "inline") and token.level == 0 and token.nesting >= 0:
            before, last_closed = None, token.type
        i += 1
    return found


def split_title(body: str) -> tuple[str | None, str]:
    """A role's body ``title <target>`` as (title, target); (None, body) without a title."""
    titled = _TITLED.match(body)
    return (titled.group("title"), titled.group("target")) if titled else (None, body)
