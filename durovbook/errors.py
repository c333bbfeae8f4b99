"""The one exception the book's data helpers raise for bad data."""

from __future__ import annotations


class DataError(ValueError):
    """A data file breaks a rule.

    The message names the file, the row, the column and the rule, so that a
    reader of a failed build knows exactly which cell to fix, for example::

        data/users.csv, row 5, column 'users_millions': must be 0 or more (got '-3')

    Rows are counted as in a spreadsheet: row 1 is the header, row 2 the first
    line of data. ``row`` is ``None`` when the rule concerns the whole file.
    """

    def __init__(self, path: str, row: int | None, column: str | None, rule: str):
        self.path = str(path)
        self.row = row
        self.column = column
        self.rule = rule
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {rule}")
