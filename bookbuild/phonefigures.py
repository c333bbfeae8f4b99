"""phonefigures: every figure has a drawing for phones, served with <picture>.

A figure drawn 9 inches wide (900 px) shrinks to the 328 px that a 360 px
screen gives it: 8-point text becomes 4 px tall. So in the book's build each
figure made with ``durovbook.style.figure`` also shows, just before itself, a
drawing laid out for a phone (``durovbook.style.phone_png``: 3 inches wide, no
text under 9.5 pt, legends and notes under the plot, or a layout of its own,
as the map has). The PNG of that drawing says so in its text chunks, with its
smallest text in CSS px and its pixel density.

This extension

1. sets ``DUROVBOOK_PHONE_FIGURES`` in the environment, which the notebook
   kernels inherit (outside the build, in a student's Jupyter, a figure shows
   once, as usual);
2. finds each phone drawing in a page and the figure that follows it in the
   same cell, and joins the two into one ``<picture>``: a ``<source>`` for
   screens up to 600 px wide, then the figure's own ``<img>`` with its alt
   text. A reader sees one figure; the browser fetches one of the two. Both
   carry their size (``width`` and ``height``; the stylesheet keeps
   ``height: auto``), so that the page keeps the figure's room before the
   lazy image arrives: nothing below it moves when it does.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from urllib.parse import quote

from docutils import nodes
from sphinx.util import logging

from durovbook.style import PHONE_ENV, PNG_DENSITY, PNG_MIN_TEXT, PNG_VARIANT

logger = logging.getLogger(__name__)

__version__ = "1.0"

#: The screens that get the phone drawing.
PHONE_MEDIA = "(max-width: 600px)"


class phone_picture(nodes.General, nodes.Element):
    """A figure and its phone drawing (children: the figure's image, then the phone's)."""


def png_info(path: Path) -> dict[str, str] | None:
    """The text chunks of a phone drawing, with its size; None for any other picture."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            text = dict(getattr(im, "text", {}) or {})
            size = im.size
    except (OSError, ValueError):
        return None
    if text.get(PNG_VARIANT) != "phone":
        return None
    return {"width": str(size[0]), "height": str(size[1]),
            "density": text.get(PNG_DENSITY, "1"), "min_text_px": text.get(PNG_MIN_TEXT, "")}


def png_size(path: Path) -> tuple[int, int] | None:
    """The pixel size of a picture file (the ``<img>`` shows it at that size, or narrower); None if unreadable."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return im.size
    except (OSError, ValueError):
        return None


def image_path(app, node, docname: str) -> Path:
    """The file of an image node: myst-nb writes cell outputs under the build folder."""
    candidate = (node.get("candidates") or {}).get("*")
    tries = [Path(app.srcdir) / candidate] if candidate else []
    tries += [Path(node["uri"]), Path(app.env.relfn2path(node["uri"], docname)[1])]
    return next((t for t in tries if t.is_file()), tries[-1])


def _cell(node):
    while node is not None and not (isinstance(node, nodes.container) and "cell" in node.get("classes", [])):
        node = node.parent
    return node


def join_pictures(app, doctree, docname) -> int:
    joined = 0
    images = list(doctree.findall(nodes.image))
    for i, image in enumerate(images):
        if image.get("durov_phone"):
            continue
        path = image_path(app, image, docname)
        info = png_info(path) if path.suffix == ".png" else None
        if info is None:
            continue
        cell = _cell(image)
        figure = next((n for n in images[i + 1:] if _cell(n) is cell and cell is not None
                       and not n.get("durov_phone")), None)
        if figure is None or png_info(image_path(app, figure, docname)) is not None:
            logger.warning("phonefigures: a phone drawing with no figure after it in its cell", location=image)
            continue
        image["durov_phone"] = info
        image.parent.remove(image)
        picture = phone_picture()
        picture["figure_size"] = png_size(image_path(app, figure, docname))
        figure.replace_self(picture)
        picture += figure
        picture += image
        joined += 1
    return joined


def on_doctree_resolved(app, doctree, docname):
    join_pictures(app, doctree, docname)


def _uri(translator, node) -> str:
    uri = node["uri"]
    images = translator.builder.images
    return posixpath.join(translator.builder.imgpath, quote(images[uri])) if uri in images else uri


def visit_picture(self, node):
    figure, phone = node.children
    info = phone["durov_phone"]
    density = int(info["density"] or 1)
    width, height = int(info["width"]) // density, int(info["height"]) // density
    self.body.append(f'<picture class="durov-figure"><source media="{PHONE_MEDIA}" '
                     f'srcset="{_uri(self, phone)} {density}x" width="{width}" height="{height}" '
                     f'data-min-text-px="{info["min_text_px"]}" />')
    start = len(self.body)
    figure.walkabout(self)
    size = node.get("figure_size")
    if size:
        # The figure's <img> as Sphinx wrote it, given its size: attributes, not
        # Sphinx's inline style, which would fix the height of a shrunk image.
        for k in range(start, len(self.body)):
            if self.body[k].startswith("<img "):
                self.body[k] = self.body[k].replace("<img ", f'<img width="{size[0]}" height="{size[1]}" ', 1)
                break
    self.body.append("</picture>")
    raise nodes.SkipNode


def _skip(self, node):
    raise nodes.SkipNode


def setup(app):
    os.environ[PHONE_ENV] = "1"
    app.add_node(phone_picture, html=(visit_picture, None), latex=(_skip, None), text=(_skip, None),
                 man=(_skip, None), texinfo=(_skip, None))
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
