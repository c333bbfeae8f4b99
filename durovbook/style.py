"""One look for every figure in the book.

The figures must stay readable on the theme's light and dark backgrounds, in
greyscale print-outs and for colour-blind readers. So every figure gets an
opaque white background (a transparent PNG vanishes in dark mode), dark text
of a readable size, and colours from the Okabe–Ito palette, which stays
distinguishable for the common forms of colour blindness.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

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


def apply() -> None:
    """Make the book's style the default for every new figure."""
    plt.rcParams.update(RC)


def figure(width: float = 7.5, height: float = 4.2, **kwargs):
    """Start a figure in the book's style and return ``(fig, ax)``.

    The background is set explicitly as well, so that the figure stays opaque
    even if a notebook changed the defaults.
    """
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(width, height), **kwargs)
        # The first figure of a notebook loads the inline backend, which turns
        # interactive mode on; leaving rc_context would switch it off again and
        # every later figure would silently not be shown. Keep the new state.
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)
    fig.patch.set_facecolor("white")
    fig.patch.set_alpha(1.0)
    return fig, ax


def mark_statement(ax, label: str = "Statement, 5 Sep 2024", y: float = 0.97) -> None:
    """Draw the vertical line of 5 September 2024 on a time axis, with a label."""
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
