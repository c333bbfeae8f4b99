"""classroom_ext: the student downloads of the site (a Sphinx extension).

Loaded from ``_config.yml``. For every chapter of ``_toc.yml`` it

* writes the chapter's **executed** notebook, as a student copy (solutions
  removed, MyST roles and directives rewritten as plain Markdown, the glued
  numbers written in: :func:`bookbuild.student.chapter_notebook`), to
  ``_sources/<chapter>.ipynb``, and adds the theme's ".ipynb" download button
  for it. The theme only offers that button when a launch service is
  configured, and its own copy would be the raw myst-nb notebook, full of MyST
  syntax and with the solutions;
* drops the ".md" source download from chapter pages, since the MyST source
  holds the solutions and Jupyter cannot open it as a notebook.

When the build ends it writes the student pack, ``durov-student-pack.zip``, at
the root of the site (:func:`bookbuild.classroom.build_pack`), so that the
teacher guide's link to it is never broken, even on a fresh clone where
``make pack`` was never run.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from bookbuild import classroom, student

logger = logging.getLogger(__name__)

__version__ = "1.0"


def _executed(app) -> Path:
    """The build's folder of executed notebooks (myst-nb writes it beside the HTML)."""
    return Path(app.outdir).parent / "jupyter_execute"


def on_builder_inited(app):
    app.classroom_names = student.chapter_names(app.srcdir)


def add_notebook_download(app, pagename, templatename, context, doctree):
    import nbformat

    names = getattr(app, "classroom_names", None) or student.chapter_names(app.srcdir)
    if app.builder.name != "html" or pagename not in names:  # the website, not the EPUB
        return
    executed = _executed(app) / f"{pagename}.ipynb"
    if not executed.exists():
        logger.warning(f"classroom: no executed notebook for {pagename} at {executed}")
        return
    copy = student.chapter_notebook(nbformat.read(executed, as_version=4), pagename, app.srcdir, names,
                                    executed=_executed(app))
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(copy) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def drop_source_download(app, pagename, templatename, context, doctree):
    names = getattr(app, "classroom_names", None) or {}
    if pagename not in names:
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"] = [b for b in button["buttons"] if b.get("label") != "download-source-button"]


def write_pack(app, exception):
    if exception is not None or app.builder.name != "html":
        return
    path = classroom.build_pack(Path(app.outdir) / f"{classroom.PACK_NAME}.zip", Path(app.srcdir), _executed(app))
    logger.info(f"classroom: wrote the student pack {path.name}")


def setup(app):
    app.connect("builder-inited", on_builder_inited)
    # Before sphinx-book-theme builds its header buttons (priority 501) ...
    app.connect("html-page-context", add_notebook_download, priority=500)
    # ... and after.
    app.connect("html-page-context", drop_source_download, priority=502)
    app.connect("build-finished", write_pack)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
