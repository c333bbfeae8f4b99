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


def pack_inputs(app) -> str:
    """What the pack is made of (name, size and time of each file): the same on a no-change rebuild."""
    import hashlib

    from bookbuild.editions import book_root

    src, root = Path(app.srcdir), book_root(app.srcdir)
    names = getattr(app, "classroom_names", None) or student.chapter_names(src)
    files = [src / "_toc.yml", *(classroom.source(src, d) for d in names),
             *(_executed(app) / f"{d}.ipynb" for d in names),
             *(root / n for n in ("references.bib", "requirements.txt", "LICENSE")),
             *(f for folder in ("data", "durovbook") for f in sorted((root / folder).rglob("*")) if f.is_file()),
             *(Path(__file__).with_name(n) for n in ("classroom.py", "student.py", "classroom_ext.py"))]
    digest = hashlib.sha256()
    for f in files:
        st = f.stat() if f.exists() else None
        digest.update(f"{f}:{st.st_size if st else -1}:{st.st_mtime_ns if st else -1}\n".encode())
    return digest.hexdigest()


def write_pack(app, exception):
    if exception is not None or app.builder.name != "html":
        return
    target = Path(app.outdir) / f"{classroom.PACK_NAME}.zip"
    stamp, key = Path(app.outdir).parent / ".pack-inputs", pack_inputs(app)
    # A no-change rebuild keeps the pack it wrote (making it takes a few seconds).
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        return
    path = classroom.build_pack(target, Path(app.srcdir), _executed(app))
    stamp.write_text(key, encoding="utf-8")
    logger.info(f"classroom: wrote the student pack {path.name}")


def setup(app):
    app.connect("builder-inited", on_builder_inited)
    # Before sphinx-book-theme builds its header buttons (priority 501) ...
    app.connect("html-page-context", add_notebook_download, priority=500)
    # ... and after.
    app.connect("html-page-context", drop_source_download, priority=502)
    app.connect("build-finished", write_pack)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
