"""Re-execute the chapters when the data or the helper package changes.

myst-nb caches each executed notebook under ``_build/.jupyter_cache``, keyed on
the notebook's own code cells. A chapter that reads ``data/users.csv`` has the
same code cells before and after someone corrects that file, so the cache would
hand back the old outputs: a stale chart, or a malformed row that no longer
fails the build. Sphinx, for its part, re-reads a page only when the page itself
changed.

This small Sphinx extension (listed in ``_config.yml``) closes that gap. Before
anything is read it computes one digest of everything the chapters' code
depends on besides their own cells (:data:`INPUTS`). If the digest differs from
the one recorded by the last successful build, it empties the execution cache
and Sphinx's saved environment, so every chapter is read and executed again. A
rebuild with nothing changed keeps both, and executes nothing.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

#: What the chapters' outputs depend on, besides their own code cells
#: (paths relative to the repository's root, for either edition; folders are
#: read recursively).
INPUTS = ("data", "durovbook", "references.bib", "pyproject.toml", "requirements.txt")

#: Files that never change what a chapter shows.
IGNORED_SUFFIXES = (".pyc", ".pyo")
IGNORED_PARTS = ("__pycache__", ".ipynb_checkpoints")

#: Where the digest of the last successful build is kept, inside ``_build/``.
STAMP = ".inputs-digest"


def input_files(root: str | Path) -> list[Path]:
    """List the files under :data:`INPUTS` that exist, in a stable order."""
    root = Path(root)
    files: list[Path] = []
    for name in INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [
                p for p in path.rglob("*")
                if p.is_file()
                and p.suffix not in IGNORED_SUFFIXES
                and not any(part in IGNORED_PARTS for part in p.relative_to(root).parts)
            ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def inputs_digest(root: str | Path) -> str:
    """Return one SHA-256 digest of the names and contents of :func:`input_files`."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def refresh(build_dir: str | Path, doctree_dir: str | Path, digest: str) -> bool:
    """Empty the execution cache and the saved environment if the inputs changed.

    ``build_dir`` is the folder that holds ``.jupyter_cache`` (``_build``).
    Returns ``True`` when something was emptied, ``False`` when the recorded
    digest matches (or nothing had been built yet).
    """
    build_dir, doctree_dir = Path(build_dir), Path(doctree_dir)
    stamp = build_dir / STAMP
    recorded = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else None
    if recorded == digest:
        return False
    cache = build_dir / ".jupyter_cache"
    pickle = doctree_dir / "environment.pickle"
    if not cache.exists() and not pickle.exists():
        return False
    shutil.rmtree(cache, ignore_errors=True)
    pickle.unlink(missing_ok=True)
    return True


def record(build_dir: str | Path, digest: str) -> None:
    """Record ``digest`` as the inputs of the last successful build."""
    Path(build_dir).mkdir(parents=True, exist_ok=True)
    (Path(build_dir) / STAMP).write_text(digest + "\n", encoding="utf-8")


def _on_config_inited(app, config) -> None:  # pragma: no cover - run by Sphinx
    from sphinx.util import logging

    from bookbuild.editions import book_root

    # The French edition's source folder is fr/: its inputs are the repository's.
    digest = inputs_digest(book_root(app.srcdir))
    app.durovbook_inputs_digest = digest
    if refresh(Path(app.outdir).parent, app.doctreedir, digest):
        logging.getLogger(__name__).info(
            "durovbook: data or helper package changed since the last build; every chapter is executed again"
        )


def _on_build_finished(app, exception) -> None:  # pragma: no cover - run by Sphinx
    if exception is None and getattr(app, "durovbook_inputs_digest", None):
        record(Path(app.outdir).parent, app.durovbook_inputs_digest)


def setup(app):  # pragma: no cover - run by Sphinx
    """Register the extension with Sphinx."""
    app.connect("config-inited", _on_config_inited)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
