"""classroom: the student downloads of the site.

Loaded from ``_config.yml``. For every chapter of ``_toc.yml`` it

* writes the chapter's **executed** notebook, as a student copy (solutions
  removed, MyST roles and directives rewritten as plain Markdown, see
  ``durovbook.classroom``), to ``_sources/<chapter>.ipynb``, and adds the
  theme's ".ipynb" download button for it. The theme only offers that button
  when a launch service is configured, and its own copy would be the raw
  myst-nb notebook, full of MyST syntax and with the solutions. The numbers a
  chapter glues into its prose ({glue:text}) are written in, formatted, from
  the ``<chapter>.glue.json`` myst-nb leaves beside the executed notebook;
* drops the ".md" source download from chapter pages, since the MyST source
  holds the solutions and Jupyter cannot open it as a notebook.

When the build ends it writes the student pack, ``durov-student-pack.zip``, at
the root of the site, so that the teacher guide's link to it is never broken,
even on a fresh clone where ``make pack`` was never run.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from sphinx.util import logging

from bookbuild import classroom
from durovbook.sources import load_sources

logger = logging.getLogger(__name__)

__version__ = "1.0"


def _chapter_names(app) -> dict[str, str]:
    root = Path(app.srcdir)
    paths = classroom.chapters(root)
    return {p.relative_to(root).with_suffix("").as_posix(): classroom.notebook_name(i, p)
            for i, p in enumerate(paths, 1)}


def on_builder_inited(app):
    app.classroom_names = _chapter_names(app)


def add_notebook_download(app, pagename, templatename, context, doctree):
    names = getattr(app, "classroom_names", None) or _chapter_names(app)
    if app.builder.format != "html" or pagename not in names:
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        logger.warning(f"classroom: no executed notebook for {pagename} at {executed}")
        return
    root = Path(app.srcdir)
    source = Path(app.env.doc2path(pagename))
    notebook = nbformat.read(executed, as_version=4)
    glue = classroom.glue_values(Path(app.outdir).parent / "jupyter_execute", pagename)
    student = classroom.student_notebook(notebook, source, root, names, load_sources(root / "references.bib"), glue)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(student) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def drop_source_download(app, pagename, templatename, context, doctree):
    names = getattr(app, "classroom_names", None) or {}
    if pagename not in names:
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"] = [b for b in button["buttons"] if b.get("label") != "download-source-button"]


def write_pack(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    path = classroom.build_pack(Path(app.outdir) / f"{classroom.PACK_NAME}.zip", Path(app.srcdir),
                                Path(app.outdir).parent / "jupyter_execute")
    logger.info(f"classroom: wrote the student pack {path.name}")


def setup(app):
    app.connect("builder-inited", on_builder_inited)
    # Before sphinx-book-theme builds its header buttons (priority 501) ...
    app.connect("html-page-context", add_notebook_download, priority=500)
    # ... and after.
    app.connect("html-page-context", drop_source_download, priority=502)
    app.connect("build-finished", write_pack)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
