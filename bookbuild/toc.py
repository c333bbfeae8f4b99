"""The book's table of contents, read by sphinx-external-toc's own parser.

Jupyter Book 1 builds the site from ``_toc.yml`` with sphinx-external-toc;
reading the file with the same parser means the pages listed here are the
pages the site has, sections of a chapter (the teacher guide's) included.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from durovbook.paths import ROOT

__all__ = ["pages", "parts", "chapters", "source"]


def pages(root: str | Path = ROOT) -> list[str]:
    """Every document of ``_toc.yml`` (the root first, sections after their chapter), in reading order."""
    from sphinx_external_toc.api import Document
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(Path(root) / "_toc.yml")
    order: list[str] = []

    def visit(docname: str) -> None:
        order.append(docname)
        document = site[docname]
        for tree in document.subtrees if isinstance(document, Document) else []:
            for item in tree.items:
                if isinstance(item, str):  # a file, not a URL or a glob
                    visit(item)

    visit(site.root.docname)
    return order


def parts(root: str | Path = ROOT) -> dict[str, list[str]]:
    """The parts of the book, caption first: the documents each part lists at its top, in order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(Path(root) / "_toc.yml")
    return {tree.caption: [item for item in tree.items if isinstance(item, str)]
            for tree in site[site.root.docname].subtrees}


def source(root: str | Path, docname: str) -> Path:
    """The source file of ``docname``: its ``.md`` or ``.ipynb`` (``.md`` if neither exists)."""
    path = Path(root) / docname
    if path.suffix:
        return path
    return next((path.with_suffix(s) for s in (".md", ".ipynb") if path.with_suffix(s).exists()),
                path.with_suffix(".md"))


def chapters(root: str | Path = ROOT) -> list[Path]:
    """The chapters: the pages of ``_toc.yml`` under ``chapters/``, in the book's order.

    The landing page, the teacher guide and the reference pages are not chapters.
    """
    return [source(root, d) for d in pages(root) if PurePosixPath(d).parts[0] == "chapters"]
