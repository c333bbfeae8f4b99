"""Where the book's data lives.

The package sits next to ``data/`` and ``references.bib`` in the book's
repository (and in the student pack), so both are found relative to this file.
Set the environment variable ``DUROVBOOK_DATA`` to read another copy of the
data folder, as the tests do with deliberately broken copies.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Return the folder that holds the CSV files and ``datapackage.json``."""
    if override is not None:
        return Path(override)
    env = os.environ.get("DUROVBOOK_DATA")
    return Path(env) if env else ROOT / "data"


def bib_path(data: Path) -> Path:
    """Return the bibliography that belongs with a data folder.

    A copy of the data folder may carry its own ``references.bib``; otherwise the
    book's bibliography, one level above the data folder, is used.
    """
    own = data / "references.bib"
    return own if own.exists() else data.parent / "references.bib"


def display_path(path: Path) -> str:
    """Show a path relative to the book's root when it is inside the book."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
