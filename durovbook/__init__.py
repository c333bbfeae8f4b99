"""durovbook: the tested data helpers behind the explainer book.

Chapters call these helpers in one or two visible lines, for example::

    from durovbook import passage
    passage("p20")

Every loader validates its CSV file against the schema in
``data/datapackage.json`` and raises :class:`DataError` on bad input.
"""

from . import style
from .asof import as_of, as_of_text
from .case import days_between, events_as_of, load_case_events
from .data import describe, load, row_error, validate_all
from .display import passage, passages, renderings, table
from .passages import checkable, load_passages
from .errors import DataError

__all__ = [
    "DataError",
    "as_of",
    "as_of_text",
    "checkable",
    "days_between",
    "load_passages",
    "passages",
    "renderings",
    "describe",
    "events_as_of",
    "load",
    "load_case_events",
    "passage",
    "row_error",
    "style",
    "table",
    "validate_all",
]
