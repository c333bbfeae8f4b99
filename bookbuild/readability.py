"""How hard is a chapter to read? The Flesch–Kincaid grade of its prose.

The grade is textstat's Flesch–Kincaid formula, applied to the chapter's own
prose only (syllables are counted offline, see :func:`syllables`). What
is not our prose, or not sentences, is left out: the front matter, code cells
and every fenced block (directives included), block quotations and quoted
words, tables, headings, HTML tags, link targets and MyST roles' targets.
List items become sentences of their own. ``make readability`` prints the
grade of every chapter of ``_toc.yml`` and their average.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from statistics import mean

from bookbuild import myst
from durovbook.paths import ROOT

__all__ = ["prose", "syllables", "grade", "chapter_grades", "report", "main"]

_WORD = re.compile(r"[a-zà-ÿ]+(?:['’][a-z]+)?")
_QUOTES = [
    re.compile(r"«[^»]*»"),
    re.compile(r"“[^”]*”"),
    re.compile(r'"[^"\n]*"'),
    re.compile(r"<span[^>]*lang=[\"']?(?!en)[\w-]+[^>]*>.*?</span>", re.S),
]


def _role_text(match: re.Match) -> str:
    name, body = match.group("name"), match.group("body")
    if name.startswith("cite") or name.startswith("glue") or name in ("math", "eq", "numref"):
        return ""
    title, target = myst.split_title(body)
    return target if title is None else title


#: Blocks whose text is not our prose: quotations, tables, headings.
_NOT_PROSE = {"blockquote_open", "table_open", "heading_open"}


def _paragraphs(text: str) -> list[str]:
    """The runs of text of a MyST chapter that may be prose, one per paragraph or list item.

    Parsed by :mod:`bookbuild.myst`: front matter, fenced blocks (code cells,
    directives), targets and comments have no text; quotations, tables and
    headings are skipped.
    """
    paragraphs, skipping = [], 0
    for token in myst.tokens(text):
        if token.type in _NOT_PROSE:
            skipping += 1
        elif token.type in {t.replace("_open", "_close") for t in _NOT_PROSE}:
            skipping -= 1
        elif not skipping and token.type in ("inline", "html_block"):
            paragraphs.append(" ".join(line.strip() for line in token.content.splitlines() if line.strip()))
    return [p for p in paragraphs if p]


def prose(text: str) -> str:
    """The prose of a MyST Markdown chapter, as plain sentences.

    Drops the front matter, fenced blocks (code cells, directives), block
    quotations, tables, headings, quoted words (in quotation marks or in a
    ``<span lang="fr">``), inline code and citations; keeps the words of links
    and of roles such as ``{term}``. Each list item is a sentence of its own.
    """
    paragraphs = _paragraphs(text)
    out = []
    for paragraph in paragraphs:
        paragraph = myst.ROLE.sub(_role_text, paragraph)
        for pattern in _QUOTES:
            paragraph = pattern.sub(" ", paragraph)
        paragraph = re.sub(r"`[^`]*`", " ", paragraph)
        paragraph = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", paragraph)
        paragraph = re.sub(r"<[^>]+>", " ", paragraph)
        paragraph = re.sub(r"[*_]{1,3}([^*_]+)[*_]{1,3}", r"\1", paragraph)
        paragraph = re.sub(r"\(\s*[,;]?\s*\)", " ", paragraph)
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if len(re.findall(r"[A-Za-zÀ-ÿ]+", paragraph)) < 3:
            continue
        paragraph = paragraph.rstrip(",;:")
        if paragraph[-1] not in ".!?":
            paragraph += "."
        out.append(paragraph)
    return "\n\n".join(out)


def syllables(text: str) -> int:
    """Count syllables with pyphen's English hyphenation patterns.

    ``textstat.syllable_count`` looks words up in the CMU dictionary, which
    nltk downloads from the internet on first use; the book never downloads at
    build time. pyphen's patterns are textstat's own fallback for words the
    dictionary lacks, so the grade is textstat's formula with that count.
    """
    import pyphen

    dictionary = pyphen.Pyphen(lang="en_US")
    return sum(len(dictionary.positions(word)) + 1 for word in _WORD.findall(text.lower()))


def grade(text: str) -> float:
    """The Flesch–Kincaid grade of a chapter's prose (see :func:`prose`).

    0.39 × words per sentence + 11.8 × syllables per word − 15.59, with words
    and sentences counted by ``textstat`` and syllables by :func:`syllables`.
    """
    import textstat

    words = prose(text)
    n_words = textstat.lexicon_count(words)
    if not n_words:
        raise ValueError("the chapter has no prose to measure")
    n_sentences = max(1, textstat.sentence_count(words))
    value = 0.39 * n_words / n_sentences + 11.8 * syllables(words) / n_words - 15.59
    return round(value, 1)


def chapter_grades(root: str | Path = ROOT) -> dict[str, float]:
    """The grade of every chapter of ``_toc.yml``, by path, in the book's order."""
    from bookbuild.toc import chapters

    root = Path(root)
    return {p.relative_to(root).as_posix(): grade(p.read_text(encoding="utf-8")) for p in chapters(root)}


def report(grades: dict[str, float]) -> str:
    """A small table of the grades, and their average (the mean over chapters)."""
    if not grades:
        return "No chapter to measure."
    width = max(len(name) for name in grades)
    lines = [f"{'chapter'.ljust(width)}  Flesch-Kincaid grade"]
    lines += [f"{name.ljust(width)}  {value:5.1f}" for name, value in grades.items()]
    lines.append(f"{'average'.ljust(width)}  {mean(grades.values()):5.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the grades of the book's chapters (``make readability``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    root = Path(argv[0]) if argv else ROOT
    print(report(chapter_grades(root)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
