"""The execution cache is emptied when the data or the package changes, and only then."""

from __future__ import annotations

import shutil

from bookbuild import buildcache
from durovbook.paths import ROOT


def _book(tmp_path):
    """A small copy of what the digest reads: the data, the package and the bibliography."""
    root = tmp_path / "book"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "durovbook", root / "durovbook", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    return root


def _built(tmp_path):
    """A fake ``_build`` folder with an execution cache and a saved environment."""
    build = tmp_path / "_build"
    (build / ".jupyter_cache").mkdir(parents=True)
    (build / ".jupyter_cache" / "global.db").write_text("cache")
    (build / ".doctrees").mkdir()
    (build / ".doctrees" / "environment.pickle").write_text("env")
    return build


def test_the_digest_changes_when_one_data_cell_changes(tmp_path):
    root = _book(tmp_path)
    before = buildcache.inputs_digest(root)
    assert buildcache.inputs_digest(root) == before  # stable
    path = root / "data" / "users.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",950,", ",951,", 1), encoding="utf-8")
    assert buildcache.inputs_digest(root) != before


def test_the_digest_changes_with_the_package_and_the_bibliography(tmp_path):
    root = _book(tmp_path)
    before = buildcache.inputs_digest(root)
    (root / "durovbook" / "users.py").write_text("# changed\n", encoding="utf-8")
    after_code = buildcache.inputs_digest(root)
    assert after_code != before
    (root / "references.bib").write_text("", encoding="utf-8")
    assert buildcache.inputs_digest(root) != after_code


def test_the_digest_ignores_bytecode_caches(tmp_path):
    root = _book(tmp_path)
    before = buildcache.inputs_digest(root)
    (root / "durovbook" / "__pycache__").mkdir()
    (root / "durovbook" / "__pycache__" / "users.cpython-311.pyc").write_bytes(b"\x00\x01")
    (root / "durovbook" / "stray.pyc").write_bytes(b"\x00")
    assert buildcache.inputs_digest(root) == before
    assert all("__pycache__" not in p.parts for p in buildcache.input_files(root))


def test_a_renamed_file_changes_the_digest(tmp_path):
    root = _book(tmp_path)
    before = buildcache.inputs_digest(root)
    (root / "data" / "users.csv").rename(root / "data" / "users_old.csv")
    assert buildcache.inputs_digest(root) != before


def test_refresh_empties_the_cache_when_the_inputs_changed(tmp_path):
    build = _built(tmp_path)
    buildcache.record(build, "old")
    assert buildcache.refresh(build, build / ".doctrees", "new") is True
    assert not (build / ".jupyter_cache").exists()
    assert not (build / ".doctrees" / "environment.pickle").exists()


def test_refresh_keeps_the_cache_when_nothing_changed(tmp_path):
    build = _built(tmp_path)
    buildcache.record(build, "same")
    assert buildcache.refresh(build, build / ".doctrees", "same") is False
    assert (build / ".jupyter_cache" / "global.db").read_text() == "cache"
    assert (build / ".doctrees" / "environment.pickle").exists()


def test_a_cache_without_a_recorded_digest_is_not_trusted(tmp_path):
    """A cache from before this extension (no digest) cannot be known to be current."""
    build = _built(tmp_path)
    assert buildcache.refresh(build, build / ".doctrees", "any") is True
    assert not (build / ".jupyter_cache").exists()


def test_a_first_build_has_nothing_to_empty(tmp_path):
    build = tmp_path / "_build"
    assert buildcache.refresh(build, build / ".doctrees", "any") is False
    buildcache.record(build, "abc")
    assert (build / buildcache.STAMP).read_text(encoding="utf-8").strip() == "abc"
