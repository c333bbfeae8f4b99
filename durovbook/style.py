"""One look for every figure in the book.

The figures must stay readable on the theme's light and dark backgrounds, in
greyscale print-outs and for colour-blind readers. So every figure gets an
opaque white background (a transparent PNG vanishes in dark mode), dark text
of a readable size, and colours from the Okabe–Ito palette, which stays
distinguishable for the common forms of colour blindness.

A figure is a PNG of at most 256 colours (:func:`compact_png`): a third of
the bytes for a reader on a slow link, and the same picture (the colours
that cover the figure, its white and its palette, are kept exactly; only some
anti-aliased edge pixels move by a few levels).
"""

from __future__ import annotations

import io
import os
import pickle
import textwrap

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

#: Okabe & Ito (2008), "Color Universal Design": safe for colour-blind readers.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#6E6E6E",
}

#: The colours in the order a series of categories takes them.
CYCLE = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky_blue", "purple", "yellow", "black")]

#: Hatch patterns that tell categories apart in greyscale, in the same order.
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++"]

#: The day Durov published the statement this book examines.
STATEMENT_DATE = pd.Timestamp("2024-09-05")

RC = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#1a1a1a",
    "text.color": "#1a1a1a",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "legend.frameon": True,
    "legend.facecolor": "white",
    "legend.edgecolor": "#cccccc",
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
    "figure.constrained_layout.use": True,
}


#: Set in the environment of the book's build (bookbuild/phonefigures.py): a
#: figure shown in a cell then also shows its phone drawing, just before it.
PHONE_ENV = "DUROVBOOK_PHONE_FIGURES"
#: The phone drawing: 3.0 in at 100 CSS px an inch (and what sticks out) fits the 328 px that the
#: page gives a figure on a 360 px screen; drawn at twice that density.
PHONE_WIDTH = 3.0
PHONE_DENSITY = 2
#: The smallest text of a phone drawing: 9.5 pt is 13.2 CSS px at full width,
#: 12 px or more as long as the drawing is shown at 91 % of its width or more.
PHONE_MIN_PT = 9.5
#: Keys of the PNG text chunks that say how the phone drawing was made.
PNG_MIN_TEXT = "durovbook:min-text-px"
PNG_DENSITY = "durovbook:density"
PNG_VARIANT = "durovbook:variant"


def compact_png(png: bytes) -> bytes:
    """The same picture as a PNG of at most 256 colours (a palette), with its text chunks; or ``png``.

    A matplotlib figure holds a few hundred colours, most of them the shades
    of anti-aliased edges; median cut keeps the colours that cover most of
    the figure exactly and merges near shades, without dithering, so
    text stays crisp. A figure with transparent pixels, or one that would not
    shrink, is returned as it was.
    """
    from PIL import Image, PngImagePlugin

    with Image.open(io.BytesIO(png)) as im:
        im.load()
        if im.mode not in ("RGB", "RGBA") or (im.mode == "RGBA" and im.getextrema()[3][0] < 255):
            return png
        info = PngImagePlugin.PngInfo()
        for key, value in (getattr(im, "text", None) or {}).items():
            info.add_text(key, value)
        palette = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        out = io.BytesIO()
        extra = {"dpi": im.info["dpi"]} if "dpi" in im.info else {}
        palette.save(out, format="PNG", pnginfo=info, compress_level=9, **extra)
    return out.getvalue() if out.tell() < len(png) else png


def _compact_usual_png(fig):
    """What IPython's PNG formatter makes of a figure (the inline backend's drawing), compacted."""
    import base64

    from IPython import get_ipython

    usual = get_ipython().display_formatter.formatters["image/png"].lookup_by_type(Figure)
    data = usual(fig)
    if isinstance(data, str):
        return base64.b64encode(compact_png(base64.b64decode(data))).decode("ascii")
    return compact_png(data) if isinstance(data, bytes) else data


def _use_compact_png() -> None:
    """In IPython, show book figures through :func:`_compact_usual_png` (the PNG formatter of their class)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return
    shell = get_ipython()
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", {})
    png = formatters.get("image/png")
    if png is None:
        return
    try:
        png.lookup_by_type(Figure)
    except KeyError:
        return  # no inline backend: nothing draws figures as PNG
    png.for_type(BookFigure, _compact_usual_png)


class BookFigure(Figure):
    """A figure of the book. In the book's build it also shows a drawing for phones.

    ``phone`` may be set to a function that draws the phone version itself
    (the map does); otherwise :func:`phone_layout` adapts a copy of the figure.
    """

    phone = None

    def _repr_mimebundle_(self, include=None, exclude=None):
        if os.environ.get(PHONE_ENV):
            from IPython.display import display

            png, meta = phone_png(self)
            display({"image/png": png}, raw=True, metadata={"image/png": meta})
        return None  # the desktop drawing comes from the usual formatter


def min_text_px(fig) -> float:
    """The smallest visible text of a drawn figure, in CSS px at 100 px an inch."""
    fig.canvas.draw()
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_window_extent().width > 0]
    return min(sizes) / 72 * 100 if sizes else float("inf")


def _wrap(text: Text, points: float) -> None:
    """Wrap a text to the phone drawing's width."""
    chars = max(12, int(PHONE_WIDTH * 72 / (0.7 * points)))
    lines = [textwrap.fill(line, chars) for line in text.get_text().split("\n")]
    text.set_text("\n".join(lines))


def phone_layout(fig) -> Figure:
    """A copy of ``fig`` laid out for a 360 px screen.

    The copy is :data:`PHONE_WIDTH` wide; no text is smaller than
    :data:`PHONE_MIN_PT` and none larger than 12 pt; titles and notes wrap;
    legends move under their plot; a time axis keeps at most four labels.
    """
    copy = pickle.loads(pickle.dumps(fig))
    width, height = copy.get_size_inches()
    copy.set_size_inches(PHONE_WIDTH, max(height * 1.15, 4.2))
    copy.canvas.draw()  # tick labels exist once drawn
    for text in copy.findobj(Text):
        if not text.get_text().strip():
            continue
        points = min(max(text.get_fontsize(), PHONE_MIN_PT), 12)
        text.set_fontsize(points)
        if len(text.get_text()) > 30:
            _wrap(text, points)
    titles = [t for ax in copy.axes for t in (ax._left_title, ax.title, ax._right_title) if t.get_text().strip()]
    if len(titles) == 1:
        # A title over the whole width, not only over the plot beside the axis labels.
        text = titles[0].get_text()
        titles[0].set_text("")
        copy.suptitle(text, x=0.02, ha="left", fontsize=11, fontweight="bold")
        _wrap(copy._suptitle, 11)
    legends = [(legend, legend) for legend in list(copy.legends)]
    legends += [(ax.get_legend(), ax) for ax in copy.axes if ax.get_legend() is not None]
    for legend, _owner in legends:
        if legend is not None:
            # Under the figure, where constrained layout makes room for it.
            title = legend.get_title().get_text()
            handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
            handler_map = dict(getattr(legend, "_custom_handler_map", None) or {})
            legend.remove()
            copy.legend(handles, labels, title=textwrap.fill(title, 34) or None, loc="outside lower left", ncols=1,
                        handler_map=handler_map, fontsize=PHONE_MIN_PT, title_fontsize=PHONE_MIN_PT)
    for ax in copy.axes:
        for label in ax.get_xticklabels():
            label.set_fontsize(PHONE_MIN_PT)
        labels = [label.get_text() for label in ax.get_yticklabels()]
        if any(len(label) > 18 for label in labels):
            ax.set_yticks(ax.get_yticks(), [textwrap.fill(label, 18) for label in labels])
        for label in ax.get_yticklabels():
            label.set_fontsize(PHONE_MIN_PT)
        if isinstance(ax.xaxis.get_major_locator(), mdates.DateLocator):
            locator = mdates.AutoDateLocator(minticks=2, maxticks=4)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return copy


def phone_png(fig) -> tuple[str, dict]:
    """The phone drawing of ``fig`` as base64 PNG, and the output metadata that places it.

    The PNG records its smallest text (CSS px) and its density in text chunks.
    """
    import warnings

    with warnings.catch_warnings():
        # A warning in a cell fails the book's strict build; the phone drawing's
        # own test is its smallest text, measured below and in the browser.
        warnings.simplefilter("ignore")
        return _phone_png(fig)


def _phone_png(fig) -> tuple[str, dict]:
    import base64

    phone = fig.phone() if callable(fig.phone) else phone_layout(fig)
    smallest = min_text_px(phone)
    out = io.BytesIO()
    phone.savefig(out, format="png", dpi=100 * PHONE_DENSITY, bbox_inches="tight", metadata={
        PNG_VARIANT: "phone", PNG_MIN_TEXT: f"{smallest:.2f}", PNG_DENSITY: str(PHONE_DENSITY)})
    plt.close(phone)
    # The output's metadata marks it too (the student notebooks leave it out).
    return base64.b64encode(compact_png(out.getvalue())).decode("ascii"), {"durovbook": "phone"}


def apply() -> None:
    """Make the book's style the default for every new figure."""
    plt.rcParams.update(RC)


def figure(width: float = 7.5, height: float = 4.2, **kwargs):
    """Start a figure in the book's style and return ``(fig, ax)``.

    The background is set explicitly as well, so that the figure stays opaque
    even if a notebook changed the defaults.
    """
    with plt.rc_context(RC):
        kwargs.setdefault("FigureClass", BookFigure)
        fig, ax = plt.subplots(figsize=(width, height), **kwargs)
        # The first figure of a notebook loads the inline backend, which turns
        # interactive mode on; leaving rc_context would switch it off again and
        # every later figure would silently not be shown. Keep the new state.
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)
    _use_compact_png()  # the inline backend is loaded by now
    fig.patch.set_facecolor("white")
    fig.patch.set_alpha(1.0)
    return fig, ax


def mark_statement(ax, label: str | None = None, y: float = 0.97) -> None:
    """Draw the vertical line of 5 September 2024 on a time axis, with a label.

    The label defaults to "Statement, 5 Sep 2024" in the current language
    (« Déclaration, 5 sept. 2024 »).
    """
    from .i18n import format_date, tr

    if label is None:
        label = tr("Statement, {date}", date=format_date(STATEMENT_DATE))
    ax.axvline(STATEMENT_DATE, color=PALETTE["vermillion"], linestyle="--", linewidth=1.5, zorder=1)
    ax.annotate(
        label,
        xy=(STATEMENT_DATE, y),
        xycoords=("data", "axes fraction"),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=9,
        color=PALETTE["vermillion"],
        backgroundcolor="white",
    )


apply()
