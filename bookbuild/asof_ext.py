"""Sphinx extension: give every page the book's as-of date.

The date is read once, by :func:`durovbook.asof.as_of` (the property ``as_of``
of ``data/datapackage.json``), and offered to the pages as MyST substitutions:

- ``{{ as_of }}``: the date in words, for example "2 December 2026";
- ``{{ as_of_month }}``: the month and year, for example "December 2026";
- ``{{ as_of_iso }}``: the ISO date, for example "2026-12-02".

A chapter therefore never writes the book's date itself
(``tests/test_sources_asof.py`` fails if it does).
"""

from __future__ import annotations

from durovbook.asof import as_of
from durovbook.display import format_date


def substitutions(data=None) -> dict[str, str]:
    """The substitutions this extension adds, keyed by name."""
    day = as_of(data)
    return {"as_of": format_date(day, "day", long=True), "as_of_month": format_date(day, "month", long=True),
            "as_of_iso": f"{day:%Y-%m-%d}"}


def _add(app, config) -> None:
    merged = dict(getattr(config, "myst_substitutions", None) or {})
    merged.update(substitutions())
    config.myst_substitutions = merged


def setup(app):  # pragma: no cover - run by Sphinx
    """Register the handler that adds the substitutions once the config is read."""
    app.connect("config-inited", _add)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
