"""The classroom layer: the student pack, and the command line of the classroom tools.

The layer has four modules, each with one job:

* :mod:`bookbuild.skeleton` checks that a chapter follows the skeleton of
  ``CONTRIBUTING.md`` (:func:`skeleton_problems`);
* :mod:`bookbuild.student` makes a student's copy of a chapter notebook
  (solutions removed, MyST rewritten as Markdown, glued numbers written in);
* this module writes ``durov-student-pack.zip`` (:func:`build_pack`): one
  notebook per chapter in ``_toc.yml``, the data, the ``durovbook`` package, a
  ``requirements.txt`` with exact pins taken from the book's own, and a README
  for students;
* :mod:`bookbuild.classroom_ext`, the Sphinx extension, puts those copies and
  the pack on the site.

The names of the first two are also importable from here. Run ``python -m
bookbuild.classroom pack`` (what ``make pack`` does) to build the pack into
``dist/``, or ``check`` to check every chapter's skeleton.
"""

from __future__ import annotations

import ast
import sys
import zipfile
from pathlib import Path

from bookbuild.skeleton import SKELETON, Exercise, exercises, headings, skeleton_problems
from bookbuild.student import (GLUE_MISSING, chapter_names, chapter_notebook, glue_text, glue_values,
                               myst_to_markdown, notebook_name, remove_solutions, solution_blocks,
                               student_notebook)
from bookbuild.toc import chapters, source
from durovbook.paths import ROOT

__all__ = [
    "PACK_NAME",
    "SKELETON",
    "Exercise",
    "chapters",
    "exercises",
    "headings",
    "solution_blocks",
    "skeleton_problems",
    "remove_solutions",
    "myst_to_markdown",
    "glue_values",
    "glue_text",
    "GLUE_MISSING",
    "student_notebook",
    "notebook_name",
    "student_requirements",
    "pack_notebooks",
    "student_modules",
    "build_pack",
]

PACK_NAME = "durov-student-pack"


# --------------------------------------------------------------------------- requirements


def _pins(requirements: Path) -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            pins[canonicalize_name(name.split("[")[0].strip())] = f"{name.strip()}=={version.strip()}"
    return pins


def _optional(tree: ast.AST) -> set[int]:
    """The ids of the import nodes inside a ``try`` whose handler catches ImportError."""
    optional = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught = set()
        for handler in node.handlers:
            kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            caught |= {k.id for k in kinds if isinstance(k, ast.Name)}
        if caught & {"ImportError", "ModuleNotFoundError"}:
            optional |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return optional


def _imports(code: str) -> set[str]:
    """The top-level modules ``code`` imports, except optional ones (``try: ... except ImportError``)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    found, optional = set(), _optional(tree)
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


#: What a student's kernel needs beyond the helper package's own dependencies.
#: The program that shows the notebooks (JupyterLab, VS Code) brings the rest.
KERNEL = ("ipykernel",)

#: The most packages the pack's ``requirements.txt`` may pin: it must install in
#: well under a minute on a fresh environment (issue 15; ``make bench`` times it).
MAX_PACKAGES = 40

def student_modules() -> list[Path]:
    """The modules of ``durovbook`` that go into the pack: the whole package.

    Everything that builds the book lives in :mod:`bookbuild`, so nothing needs
    leaving out.
    """
    import durovbook

    return sorted(Path(durovbook.__file__).parent.glob("*.py"))


def student_requirements(notebooks: list, requirements: str | Path = ROOT / "requirements.txt",
                         modules: list[Path] | None = None) -> list[str]:
    """The exact pins a student needs to run the notebooks.

    Starts from the dependencies of ``durovbook``, a Jupyter kernel, the
    packages the notebooks' code imports, and those the package's modules
    import, even inside a function (``modules``, by default
    :func:`student_modules`), but not an import the code can do without
    (inside ``try`` ... ``except ImportError``: myst-nb, which only the book's
    build needs); adds everything those require, with the version
    pinned in the book's ``requirements.txt``. Raises ``ValueError`` if a
    package that is needed has no pin there.
    """
    from importlib import metadata

    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = _pins(Path(requirements))
    distributions = metadata.packages_distributions()
    wanted = [Requirement(r).name for r in (metadata.requires("durovbook") or [])] + list(KERNEL)
    codes = [cell.source for nb in notebooks for cell in nb.cells if cell.cell_type == "code"]
    codes += [p.read_text(encoding="utf-8") for p in (student_modules() if modules is None else modules)]
    for code in codes:
        for module in _imports(code):
            if module == "durovbook" or module in sys.stdlib_module_names:
                continue
            wanted += distributions.get(module, [module])
    environment = default_environment()
    seen, queue = {}, [canonicalize_name(n) for n in wanted]
    while queue:
        name = queue.pop()
        if name in seen or name == "durovbook":
            continue
        if name not in pins:
            raise ValueError(f"the student pack needs '{name}', which requirements.txt does not pin")
        seen[name] = pins[name]
        for text in metadata.requires(name) or []:
            req = Requirement(text)
            if req.marker and not req.marker.evaluate(dict(environment, extra="")):
                continue
            queue.append(canonicalize_name(req.name))
    return sorted(seen.values(), key=str.lower)


# --------------------------------------------------------------------------- the pack

_README = """# The student pack of "Durov's statement, read with data"

This folder holds the book's chapters as Jupyter notebooks, the data they read,
and the small Python package (`durovbook`) their code calls. The solutions to
the exercises are not in this pack: your teacher has them.

## What is here

| file | what it is |
|---|---|
{rows}
| `data/` | the data sets (CSV files), their schemas, and `data/README.md`, which says where each comes from |
| `durovbook/` | the helper package the notebooks import |
| `references.bib` | the sources every data row names |
| `requirements.txt` | the exact versions of the Python packages the notebooks need |

## Run the notebooks

You need Python 3.11 or newer. In a terminal, inside this folder, make an
environment with the {count} packages the notebooks need (it takes well under a
minute; on Windows, write `.venv\\Scripts\\python` for `.venv/bin/python`):

```bash
python3 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt
```

Then open the notebooks in one of these two ways:

- **JupyterLab:** run `.venv/bin/python -m pip install jupyterlab==4.6.6`, then `.venv/bin/jupyter lab`: it opens this folder in your browser.
- **VS Code:** install its Python and Jupyter extensions, then choose **File > Open Folder...** and pick this folder.
- Open a notebook (in VS Code, click **Select Kernel**, top right, and pick `.venv`), then run all its cells: **Run > Run All Cells** in JupyterLab, **Run All** in VS Code.

Any other program that opens `.ipynb` files with a Python 3 kernel works too.
JupyterLab is not in `requirements.txt` because it only displays the notebooks
(4.6.6 installs beside those pins without changing any of them). Keep the
notebooks in this folder: they find `durovbook` and `data/` beside them.

## If something breaks

A cell that loads data stops with a `DataError` when a data file has been
changed in a way its schema does not allow. The message names the file, the
row, the column and the rule. Put the file back as it was (unzip the pack
again) and run the notebook from the top.

## Licence

Text and data: CC BY 4.0. Code: MIT. Quoted material remains the property of
its authors and publishers.
"""


def _zip_add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    # A fixed timestamp makes the pack byte-for-byte reproducible.
    info = zipfile.ZipInfo(f"{PACK_NAME}/{name}", date_time=(2024, 9, 5, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def pack_notebooks(root: str | Path = ROOT, executed: str | Path | None = None) -> dict[str, object]:
    """The student notebooks of every chapter, by file name, in the book's order.

    ``executed`` is the ``jupyter_execute`` folder of a build of the same
    sources: the numbers the chapters glue into their prose are taken from it.
    Without it they read as :data:`GLUE_MISSING`.
    """
    import jupytext

    from durovbook.sources import load_sources

    from bookbuild.editions import book_root

    root = Path(root)
    names = chapter_names(root)
    bib = book_root(root) / "references.bib"
    sources = load_sources(bib) if bib.exists() else {}
    return {name: chapter_notebook(jupytext.read(source(root, docname)), docname, root, names, sources, executed)
            for docname, name in names.items()}


def build_pack(dest: str | Path, root: str | Path = ROOT, executed: str | Path | None = None) -> Path:
    """Write the student pack, a zip file, to ``dest``; return its path.

    The zip holds one folder, ``durov-student-pack/``, with a notebook per
    chapter of ``_toc.yml`` (solutions removed, MyST rewritten), ``data/``,
    ``durovbook/``, ``references.bib``, ``requirements.txt`` and ``README.md``.
    ``executed`` is the build's ``jupyter_execute`` folder, for the glued
    numbers (see :func:`pack_notebooks`). Raises ``ValueError`` if the
    notebooks need more than :data:`MAX_PACKAGES` packages.
    """
    import nbformat

    from bookbuild.editions import book_root, language_of

    root, dest = Path(root), Path(dest)
    # ``root`` is an edition's source folder (the repository, or fr/); the data,
    # the pins and the bibliography are the repository's.
    repo, language = book_root(root), language_of(root)
    notebooks = pack_notebooks(root, executed)
    requirements = student_requirements(list(notebooks.values()), repo / "requirements.txt")
    if len(requirements) > MAX_PACKAGES:
        raise ValueError(f"the student pack would pin {len(requirements)} packages, more than {MAX_PACKAGES}: "
                         + ", ".join(r.split("==")[0] for r in requirements))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        rows = []
        for name, nb in notebooks.items():
            title = next((l.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
                          for l in c.source.splitlines() if l.startswith("# ")), name)
            rows.append(f"| `{name}` | {title} |")
            _zip_add(archive, name, nbformat.writes(nb).encode("utf-8") + b"\n")
        readme = _README_FR if language == "fr" else _README
        _zip_add(archive, "README.md", readme.format(rows="\n".join(rows), count=len(requirements)).encode("utf-8"))
        if language != "en":
            # durovbook/i18n.py: the notebooks write in the language of the nearest _config.yml.
            _zip_add(archive, "_config.yml", PACK_CONFIG.format(language=language).encode("utf-8"))
        _zip_add(archive, "requirements.txt", (
            "# Exact pins, taken from the book's requirements.txt.\n" + "\n".join(requirements) + "\n").encode("utf-8"))
        for path in sorted((repo / "data").glob("**/*")):
            if path.is_file():
                _zip_add(archive, path.relative_to(repo).as_posix(), path.read_bytes())
        # the package that is running, with its package data (pyproject.toml:
        # the map's date control, *.js, and the French catalogues, locale/*/*.csv),
        # so the pack never lacks a file it uses
        modules = student_modules()
        package = modules[0].parent
        for path in modules + sorted(package.glob("*.js")) + sorted(package.glob("locale/*/*.csv")):
            _zip_add(archive, f"durovbook/{path.relative_to(package).as_posix()}", path.read_bytes())
        for extra in ("references.bib", "LICENSE"):
            if (repo / extra).exists():
                _zip_add(archive, extra, (repo / extra).read_bytes())
    tmp.replace(dest)
    return dest


#: The ``_config.yml`` of a pack in another language than English: durovbook/i18n.py
#: reads its ``language:`` (the notebooks sit beside it), so the figures, tables,
#: dates and numbers are written in that language.
PACK_CONFIG = """# The language the notebooks' figures, tables, dates and numbers are written in
# (durovbook/i18n.py reads this line).
language: {language}
"""

_README_FR = """# Le dossier de l'élève de « La déclaration de Durov, lue avec des données »

Ce dossier contient les chapitres du livre sous forme de notebooks Jupyter, les
données qu'ils lisent et le petit paquet Python (`durovbook`) qu'appelle leur
code. Les corrigés des exercices ne sont pas dans ce dossier : votre professeur
les a.

## Ce qu'il contient

| fichier | ce que c'est |
|---|---|
{rows}
| `data/` | les jeux de données (fichiers CSV), leurs schémas, et `data/README.md`, qui dit d'où vient chacun |
| `durovbook/` | le paquet Python qu'importent les notebooks |
| `references.bib` | les sources que cite chaque ligne de données |
| `requirements.txt` | les versions exactes des paquets Python dont les notebooks ont besoin |
| `_config.yml` | la langue des figures, des tableaux, des dates et des nombres (`language: fr`) |

## Lancer les notebooks

Il faut Python 3.11 ou plus récent. Dans un terminal, dans ce dossier, créez un
environnement avec les {count} paquets dont les notebooks ont besoin (cela prend
bien moins d'une minute ; sous Windows, écrivez `.venv\\Scripts\\python` à la place de `.venv/bin/python`) :

```bash
python3 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt
```

Ouvrez ensuite les notebooks de l'une de ces deux façons :

- **JupyterLab :** lancez `.venv/bin/python -m pip install jupyterlab==4.6.6`, puis `.venv/bin/jupyter lab` : le dossier s'ouvre dans votre navigateur.
- **VS Code :** installez ses extensions Python et Jupyter, puis choisissez **File > Open Folder...** et ce dossier.
- Ouvrez un notebook (dans VS Code, cliquez sur **Select Kernel**, en haut à droite, et choisissez `.venv`), puis exécutez toutes ses cellules : **Run > Run All Cells** dans JupyterLab, **Run All** dans VS Code.

Tout autre programme qui ouvre les fichiers `.ipynb` avec un noyau Python 3
convient aussi. JupyterLab n'est pas dans `requirements.txt`, car il ne fait
qu'afficher les notebooks (la version 4.6.6 s'installe à côté de ces versions
sans en changer aucune). Gardez les notebooks dans ce dossier : ils trouvent
`durovbook`, `data/` et `_config.yml` à côté d'eux.

## Si quelque chose ne marche pas

Une cellule qui charge des données s'arrête sur une `DataError` quand un fichier
de données a été modifié d'une façon que son schéma n'autorise pas. Le message
indique le fichier, la ligne, la colonne et la règle. Remettez le fichier tel
qu'il était (décompressez à nouveau le dossier) et relancez le notebook depuis le
début.

## Licence

Textes et données : CC BY 4.0. Code : MIT. Les citations restent la propriété de
leurs auteurs et de leurs éditeurs.
"""


def main(argv: list[str] | None = None) -> int:
    """``python -m durovbook.classroom pack [DEST]`` or ``check``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv else "pack"
    if command == "pack":
        dest = Path(argv[0]) if argv else ROOT / "dist" / f"{PACK_NAME}.zip"
        # `make pack` builds the book first: its executed notebooks give the
        # numbers the chapters glue into their prose.
        executed = ROOT / "_build" / "jupyter_execute"
        if not executed.is_dir():
            print(f"NOTE: no build in {executed.relative_to(ROOT)}: glued numbers will read "
                  f"{GLUE_MISSING!r}. Run 'make pack' (it builds the book first).", file=sys.stderr)
        path = build_pack(dest, executed=executed if executed.is_dir() else None)
        with zipfile.ZipFile(path) as archive:
            count = sum(n.endswith(".ipynb") for n in archive.namelist())
        print(f"Wrote {path} ({count} notebooks, {path.stat().st_size // 1024} KiB)")
        return 0
    if command == "check":
        failed = 0
        for path in chapters():
            problems = skeleton_problems(path.read_text(encoding="utf-8"))
            failed += bool(problems)
            print(f"{path.relative_to(ROOT)}: {'; '.join(problems) or 'ok'}")
        return 1 if failed else 0
    print(f"unknown command {command!r}: use 'pack' or 'check'", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
