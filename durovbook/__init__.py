"""durovbook: the tested data helpers behind the explainer book.

Every chapter imports in the same way, in one code cell: the shared helpers
from ``durovbook`` itself, and the rest from its own chapter's module, whose
``__all__`` lists what the chapter uses::

    from durovbook import passages, table
    from durovbook.bans import *

The shared helpers are those more than one chapter uses: showing passages of
the statement and tables, loading and validating data, the dated events of
the French case (the chapters on the statement and on the charges both read
them) and each chapter's verdicts (``verdict_lines``, in the box that opens
it). The chapter on the statement has no module of its own.

Every loader validates its CSV file against the schema in
``data/datapackage.json`` and raises :class:`DataError` on bad input. A
function named ``*_table`` returns an HTML table to show; dates are written
by :func:`format_date`.
"""

from . import style
from .asof import as_of, as_of_text
from .case import days_between, events_as_of, load_case_events, plot_days
from .data import describe, load, row_error, validate_all
from .display import format_date, passage, passages, renderings, table
from .errors import DataError
from .passages import checkable, load_passages
from .verdicts import verdict_lines

__all__ = [
    "DataError",
    "as_of",
    "as_of_text",
    "checkable",
    "days_between",
    "describe",
    "events_as_of",
    "format_date",
    "load",
    "load_case_events",
    "load_passages",
    "passage",
    "passages",
    "plot_days",
    "renderings",
    "row_error",
    "style",
    "table",
    "validate_all",
    "verdict_lines",
]
