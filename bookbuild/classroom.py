"""The classroom layer: chapter skeletons, student notebooks and the student pack.

The chapters are MyST Markdown notebooks. Jupyter cannot render MyST's roles
and directives (``{cite:p}``, ``{term}``, ``exercise-start`` ...), and a
student's copy must not contain the solutions. This module turns a chapter into
a plain Jupyter notebook a student can open:

* :func:`remove_solutions` deletes everything between ``solution-start`` and
  ``solution-end`` (the text, and the code cells in between): the solutions are
  absent, not hidden;
* :func:`myst_to_markdown` rewrites MyST syntax as plain Markdown;
* :func:`student_notebook` does both to a notebook, executed or not;
* :func:`glue_values` reads the numbers a chapter glues into its prose from an
  executed build, so that a student reads "13 milestones", not a variable name;
* :func:`build_pack` writes ``durov-student-pack.zip``: one notebook per chapter
  in ``_toc.yml``, the data, the ``durovbook`` package, a ``requirements.txt``
  with exact pins taken from the book's own, and a README for students.

It also checks that a chapter follows the skeleton of ``CONTRIBUTING.md``
(:func:`skeleton_problems`). Run ``python -m durovbook.classroom pack`` (what
``make pack`` does) to build the pack into ``dist/``.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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

#: The headings every chapter has, in this order (CONTRIBUTING.md).
SKELETON = ("Overview", "Learning objectives", "Time to learn", "Prerequisites", "Summary", "What's next")

# A line that opens a MyST directive: ```{name} argument, or :::{name} argument.
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:.-]+)\}[ \t]*(?P<arg>.*?)[ \t]*$")
_PLAIN_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
_ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<body>[^`]*)`")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_TARGET_LINE = re.compile(r"^\(\s*[\w.:-]+\s*\)=\s*$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")


# --------------------------------------------------------------------------- chapters


def chapters(root: str | Path = ROOT) -> list[Path]:
    """The chapters listed in ``_toc.yml``, in the book's order.

    A chapter is a file of the table of contents under ``chapters/``; the
    landing page, the teacher guide and the reference pages are not chapters.
    """
    import yaml

    root = Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts") or toc.get("chapters") or [])
    paths = []
    for entry in found:
        if PurePosixPath(entry).parts[0] != "chapters":
            continue
        path = root / entry
        if path.suffix == "":
            path = next((path.with_suffix(s) for s in (".md", ".ipynb") if path.with_suffix(s).exists()),
                        path.with_suffix(".md"))
        paths.append(path)
    return paths


def notebook_name(position: int, chapter: Path) -> str:
    """The file name of a chapter's notebook in the pack, e.g. ``01-statement.ipynb``."""
    return f"{position:02d}-{Path(chapter).stem}.ipynb"


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class Exercise:
    """An exercise of a chapter, and whether a solution points back to it."""

    label: str
    has_solution: bool


def _directives(text: str):
    """Yield (name, argument, options) of every directive opened in ``text``."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = _OPEN.match(line)
        if not match:
            continue
        options = {}
        for following in lines[i + 1:]:
            opt = _OPTION.match(following)
            if not opt:
                break
            options[opt.group("key")] = opt.group("value")
        yield match.group("name"), match.group("arg"), options


def exercises(text: str) -> list[Exercise]:
    """The exercises of a chapter (gated or not), each with its solution status."""
    labels, solved = [], set()
    for name, arg, options in _directives(text):
        if name in ("exercise", "exercise-start"):
            labels.append(options.get("label", ""))
        elif name in ("solution", "solution-start") and arg:
            solved.add(arg.strip())
    return [Exercise(label, bool(label) and label in solved) for label in labels]


def _outside_code(text: str) -> list[str]:
    """The lines of ``text`` that are not inside a fenced block."""
    out, fence = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if fence:
            if stripped == fence or (stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence)):
                fence = None
            continue
        match = _OPEN.match(line) or _PLAIN_FENCE.match(line)
        if match and match.group("fence")[0] in "`~":
            # code cells and other backtick blocks: their '#' lines are not headings
            fence = match.group("fence")
            continue
        out.append(line)
    return out


def headings(text: str, level: int = 2) -> list[str]:
    """The headings of a given level (``##`` by default), outside code blocks."""
    found = []
    for line in _outside_code(text):
        match = _HEADING.match(line)
        if match and len(match.group(1)) == level:
            found.append(match.group(2).strip())
    return found


def skeleton_problems(text: str, minimum_exercises: int = 2) -> list[str]:
    """What a chapter's text lacks of the book's skeleton; empty if nothing.

    Checks the six headings of :data:`SKELETON` (level 2, in order), and at
    least ``minimum_exercises`` exercises, each with a solution that names its
    label.
    """
    problems = []
    found = headings(text)
    normal = [h.replace("\u2019", "'") for h in found]
    positions = []
    for heading in SKELETON:
        if heading not in normal:
            problems.append(f"missing heading '## {heading}'")
        else:
            positions.append(normal.index(heading))
    if positions != sorted(positions):
        problems.append(f"headings out of order: expected {', '.join(SKELETON)}")
    if not headings(text, 1):
        problems.append("missing the title ('# ...')")
    found_exercises = exercises(text)
    if len(found_exercises) < minimum_exercises:
        problems.append(f"has {len(found_exercises)} exercise(s); at least {minimum_exercises} are needed")
    for exercise in found_exercises:
        if not exercise.label:
            problems.append("an exercise has no :label:, so no solution can point to it")
        elif not exercise.has_solution:
            problems.append(f"exercise '{exercise.label}' has no solution")
    return problems


# --------------------------------------------------------------------------- solutions

_SOL_START = re.compile(r"^[ \t]*(`{3,}|:{3,})\{solution-start\}")
_SOL_END = re.compile(r"^[ \t]*(`{3,}|:{3,})\{solution-end\}")


def _strip_gated(lines: list[str], inside: bool) -> tuple[list[str], bool]:
    """Drop the lines between solution-start and solution-end; return (kept, still inside)."""
    kept, i, pending_close = [], 0, None
    while i < len(lines):
        line = lines[i]
        if pending_close is not None:
            # the closing fence of the solution-end directive
            if line.strip() == pending_close:
                i += 1
                pending_close = None
                continue
            pending_close = None
        if not inside:
            if _SOL_START.match(line):
                inside = True
            else:
                kept.append(line)
        else:
            end = _SOL_END.match(line)
            if end:
                inside = False
                pending_close = end.group(1)
        i += 1
    return kept, inside


def _strip_plain_solutions(lines: list[str]) -> list[str]:
    """Drop non-gated ``{solution}`` directives, fence and all."""
    kept, fence = [], None
    for line in lines:
        if fence is not None:
            if line.strip() == fence:
                fence = None
            continue
        match = _OPEN.match(line)
        if match and match.group("name") == "solution":
            fence = match.group("fence")
            continue
        kept.append(line)
    return kept


def remove_solutions(nb):
    """A copy of notebook ``nb`` with every solution removed.

    Text between a ``solution-start`` and its ``solution-end`` directive, and
    every code cell in between (with its outputs), is deleted; so is every
    non-gated ``{solution}`` directive. Markdown cells left empty are dropped.
    Raises ``ValueError`` if a ``solution-start`` is never closed, because the
    rest of the chapter would silently vanish.
    """
    nb = copy.deepcopy(nb)
    cells, inside = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            kept, inside = _strip_gated(cell.source.splitlines(), inside)
            kept = _strip_plain_solutions(kept)
            text = "\n".join(kept).strip("\n")
            if text.strip():
                cell.source = text
                cells.append(cell)
        elif not inside:
            cells.append(cell)
    if inside:
        raise ValueError("a solution-start directive has no solution-end")
    nb.cells = cells
    return nb


def solution_blocks(text: str) -> list[str]:
    """The text of each solution of a MyST chapter (between start and end, or a ``{solution}``)."""
    blocks, current, fence = [], None, None
    for line in text.splitlines():
        if fence is not None:
            if line.strip() == fence:
                blocks.append("\n".join(current))
                current, fence = None, None
            else:
                current.append(line)
            continue
        if current is not None:
            if _SOL_END.match(line):
                blocks.append("\n".join(current))
                current = None
            else:
                current.append(line)
            continue
        if _SOL_START.match(line):
            current = []
        else:
            match = _OPEN.match(line)
            if match and match.group("name") == "solution":
                current, fence = [], match.group("fence")
    return blocks


# --------------------------------------------------------------------------- MyST to Markdown


#: What a student reads where the book glues a number it has no value for
#: (a pack built without an executed build): no variable name, no MyST.
GLUE_MISSING = "[a number computed from the data: see this chapter on the book's website]"


def glue_values(executed: str | Path, docname: str) -> dict[str, dict]:
    """The outputs a chapter glued, by name, from an executed build.

    ``executed`` is a build's ``jupyter_execute`` folder and ``docname`` the
    chapter's path without suffix (``chapters/users``). myst-nb writes the glued
    outputs of a chapter to ``<docname>.glue.json`` beside its executed notebook
    (and removes them from that notebook); outputs still in the notebook, with
    their ``scrapbook`` metadata, are read too. Each output is a dict with a
    ``data`` mime bundle. Empty if the build has neither file.
    """
    folder = Path(executed)
    found: dict[str, dict] = {}
    notebook = folder / f"{docname}.ipynb"
    if notebook.exists():
        import nbformat

        for cell in nbformat.read(notebook, as_version=4).cells:
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                scrapbook = output.get("metadata", {}).get("scrapbook")
                if not scrapbook or "name" not in scrapbook:
                    continue
                prefix = scrapbook.get("mime_prefix", "")
                data = {k[len(prefix):] if k.startswith(prefix) else k: v for k, v in output.get("data", {}).items()}
                found[scrapbook["name"]] = {"data": data}
    glued = folder / f"{docname}.glue.json"
    if glued.exists():
        found.update(json.loads(glued.read_text(encoding="utf-8")))
    return found


def glue_text(output: dict, fmt: str = "") -> str:
    """The text myst-nb's ``{glue:text}`` role shows for ``output``, with format ``fmt``.

    As myst-nb does: the ``text/plain`` value is read back as a Python literal
    and formatted by the last character of ``fmt`` (``.0f`` as a float, ``d``
    as an integer, ``s`` as a string).
    """
    text = output.get("data", {}).get("text/plain")
    if text is None:
        raise ValueError("the glued output has no text/plain value")
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not fmt:
        return str(value)
    kind = fmt[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, fmt)


class _Context:
    """What the converter needs to know: where links point, the sources, the glued values."""

    def __init__(self, source: Path | None, root: Path, names: dict[str, str], sources: dict | None,
                 glue: dict[str, dict] | None = None):
        self.source = Path(source) if source else None
        self.root = Path(root)
        self.names = names  # chapter path relative to root, without suffix -> notebook file name
        self.sources = sources or {}
        self.glue = glue or {}
        self.exercise = 0

    def relative(self, target: str) -> str | None:
        """The path of ``target`` relative to the pack's root, if it lies inside the book."""
        base = self.source.parent if self.source else self.root
        try:
            resolved = (base / target).resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return resolved.as_posix()


def _cite(name: str, body: str, ctx: _Context) -> str:
    keys = [k.strip() for k in body.split(",") if k.strip()]
    narrative = name in ("cite:t", "cite:ts", "cite:author", "cite:authors", "cite:year")
    parts = []
    for key in keys:
        source = ctx.sources.get(key)
        if source is None:
            parts.append(key)
            continue
        label = f"{source.outlet} ({source.date})" if narrative and source.date else source.label()
        parts.append(f"[{label}]({source.url})" if source.url else label)
    text = "; ".join(parts)
    return text if narrative else f"({text})"


def _role(match: re.Match, ctx: _Context) -> str:
    name, body = match.group("name"), match.group("body")
    titled = _TITLED.match(body)
    title, target = (titled.group("title"), titled.group("target")) if titled else (None, body)
    if name.startswith("cite"):
        return _cite(name, body, ctx)
    if name == "download":
        path = ctx.relative(target.strip())
        text = title or PurePosixPath(target).name
        return f"[{text}]({path})" if path else text
    if name == "doc":
        path = ctx.relative(target.strip())
        key = str(PurePosixPath(path).with_suffix("")) if path else None
        text = title or PurePosixPath(target).stem
        if key in ctx.names:
            return f"[{text}]({ctx.names[key]})"
        return f"*{text}*"
    if name.startswith("glue"):
        return _glue_role(name, body.strip(), ctx)
    if name == "math":
        return f"${body}$"
    if name in ("sub", "sup"):
        return f"<{name}>{body}</{name}>"
    if name == "abbr":
        return re.sub(r"\s*\(.*\)\s*$", "", body)
    # term, ref, numref, eq, prf:ref, any ...: the words the reader sees
    return title if title else target


def _glue_role(name: str, body: str, ctx: _Context) -> str:
    # {glue:text}`key:fmt` (the format is optional), {glue}`key`, {glue:md}`key`;
    # a key of another notebook (``doc::key``) is not in this chapter's values.
    key, fmt = body, ""
    if name == "glue:text" and ":" in body.replace("::", ""):
        key, fmt = body.rsplit(":", 1)
    output = ctx.glue.get(key.strip())
    if output is None:
        return GLUE_MISSING
    if name == "glue:md" and "text/markdown" in output.get("data", {}):
        return output["data"]["text/markdown"].strip()
    return glue_text(output, fmt.strip())


def _roles(line: str, ctx: _Context) -> str:
    return _ROLE.sub(lambda m: _role(m, ctx), line)


def _quote(lines: list[str]) -> list[str]:
    return [f"> {line}".rstrip() for line in lines]


def _directive(name: str, arg: str, options: dict, body: list[str], fence: str, ctx: _Context) -> list[str]:
    inner = _convert(body, ctx) if name not in ("code-block", "code", "sourcecode", "math", "raw") else body
    if name in ("exercise", "exercise-start"):
        ctx.exercise += 1
        title = f"**Exercise {ctx.exercise}**" + (f" ({arg})" if arg else "")
        return [title, ""] + inner
    if name in ("exercise-end", "solution-end", "tableofcontents", "bibliography"):
        return []
    if name in ("solution", "solution-start"):
        return []
    if name in ("code-block", "code", "sourcecode", "code-cell"):
        return [f"```{arg}"] + body + ["```"]
    if name == "math":
        return ["$$"] + body + ["$$"]
    if name == "raw":
        return body
    if name in ("figure", "image"):
        path = ctx.relative(arg) or arg
        caption = " ".join(l.strip() for l in inner if l.strip())
        return [f"![{options.get('alt', caption)}]({path})"] + ([""] + inner if inner else [])
    if name.startswith("glue"):
        return [f"*(The value `{arg}` is shown by the cell that computes it.)*"]
    if name == "glossary":
        out = []
        for line in body:
            if line.strip() and not line[:1].isspace():
                out += ["", f"**{line.strip()}**", ""]
            else:
                out.append(_roles(line.strip(), ctx))
        return out
    # admonitions and every other directive: a block quote with a bold title
    title = arg if arg else name.split(":")[-1].replace("-", " ").capitalize()
    return _quote([f"**{_roles(title, ctx)}**", ""] + inner)


def _convert(lines: list[str], ctx: _Context) -> list[str]:
    out, i, text = [], 0, []

    def flush():
        # roles are rewritten over the whole run of text: a role may wrap lines
        if text:
            out.extend(_roles("\n".join(text), ctx).split("\n"))
            text.clear()

    while i < len(lines):
        line = lines[i]
        opened = _OPEN.match(line)
        plain = _PLAIN_FENCE.match(line) if not opened else None
        if opened or plain:
            flush()
        if opened:
            fence = opened.group("fence")
            i += 1
            options = {}
            while i < len(lines) and _OPTION.match(lines[i]):
                opt = _OPTION.match(lines[i])
                options[opt.group("key")] = opt.group("value")
                i += 1
            body = []
            while i < len(lines) and lines[i].strip() != fence:
                body.append(lines[i])
                i += 1
            i += 1  # the closing fence
            while body and not body[0].strip():
                body.pop(0)
            out += _directive(opened.group("name"), opened.group("arg"), options, body, fence, ctx)
            continue
        if plain:
            fence = plain.group("fence")
            out.append(line)
            i += 1
            while i < len(lines) and lines[i].strip() != fence:
                out.append(lines[i])
                i += 1
            if i < len(lines):
                out.append(lines[i])
            i += 1
            continue
        if _TARGET_LINE.match(line) or re.match(r"^%( |$)", line):
            i += 1
            continue
        text.append(line)
        i += 1
    flush()
    return out


def myst_to_markdown(text: str, source: str | Path | None = None, root: str | Path = ROOT,
                     names: dict[str, str] | None = None, sources: dict | None = None,
                     glue: dict[str, dict] | None = None) -> str:
    """Rewrite MyST Markdown as Markdown that Jupyter renders.

    Roles become text (``{term}`mise en examen``` -> ``mise en examen``),
    citations become "(outlet, date)" links, ``{download}`` and ``{doc}`` become
    Markdown links relative to the book's root (where the pack puts the
    notebooks), exercises become numbered "**Exercise n**" paragraphs, and
    admonitions become block quotes. ``source`` is the chapter's path, used to
    resolve relative links; ``names`` maps chapter paths (``chapters/users``)
    to notebook file names. ``glue`` holds the chapter's glued outputs (see
    :func:`glue_values`): a glue role becomes its formatted value, or
    :data:`GLUE_MISSING` when the value is not there.
    """
    ctx = _Context(Path(source) if source else None, Path(root), names or {}, sources, glue)
    return "\n".join(_convert(text.splitlines(), ctx)).strip("\n")


def _clean_metadata(cell) -> None:
    # myst-nb options (alt text, tags) mean nothing to Jupyter; keep the tags.
    meta = dict(cell.get("metadata", {}))
    keep = {k: v for k, v in meta.items() if k in ("tags",)}
    cell["metadata"] = keep


def student_notebook(nb, source: str | Path | None = None, root: str | Path = ROOT,
                     names: dict[str, str] | None = None, sources: dict | None = None,
                     glue: dict[str, dict] | None = None):
    """A student's copy of a chapter notebook: no solutions, no MyST syntax.

    ``nb`` may be executed (its outputs are kept, except those of solution
    cells, which are removed with the cells) or not. ``glue`` holds the values
    the chapter glues into its prose (:func:`glue_values`).
    """
    nb = remove_solutions(nb)
    ctx = _Context(Path(source) if source else None, Path(root), names or {}, sources, glue)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = "\n".join(_convert(cell.source.splitlines(), ctx)).strip("\n")
        _clean_metadata(cell)
        if cell.cell_type == "code":
            # The phone drawing of a figure (durovbook.style.phone_png) is for the website only.
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if o.get("metadata", {}).get("image/png", {}).get("durovbook") != "phone"]
    nb.cells = [c for c in nb.cells if c.cell_type != "markdown" or c.source.strip()]
    for number, cell in enumerate(nb.cells, 1):
        if "id" in cell:  # stable ids, so the same chapter gives the same file
            cell["id"] = f"cell-{number:03d}"
    nb.metadata.pop("jupytext", None)
    nb.metadata.pop("mystnb", None)
    nb.metadata.pop("source_map", None)  # myst-nb's line numbers in the .md
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


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
KERNEL = ("ipykernel", "nbclient", "nbformat")

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

You need Python 3.11 or newer. In a terminal, inside this folder:

```bash
python3 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt jupyterlab==4.6.6
.venv/bin/jupyter lab
```

(On Windows, use `.venv\\Scripts\\python` instead of `.venv/bin/python`.)
JupyterLab only displays the notebooks, so it is pinned on that line rather than
in `requirements.txt` (4.6.6 installs beside those pins without changing any of
them). Any other program that opens `.ipynb` files with a Python 3 kernel works
too.

Open a notebook and choose **Run > Run All Cells**. Keep the notebooks in this
folder: they find `durovbook` and `data/` beside them.

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

    root = Path(root)
    paths = chapters(root)
    names = {p.relative_to(root).with_suffix("").as_posix(): notebook_name(i, p) for i, p in enumerate(paths, 1)}
    bib = root / "references.bib"
    sources = load_sources(bib) if bib.exists() else {}
    notebooks = {}
    for path in paths:
        nb = jupytext.read(path)
        key = path.relative_to(root).with_suffix("").as_posix()
        glue = glue_values(executed, key) if executed else {}
        notebooks[names[key]] = student_notebook(nb, path, root, names, sources, glue)
    return notebooks


def build_pack(dest: str | Path, root: str | Path = ROOT, executed: str | Path | None = None) -> Path:
    """Write the student pack, a zip file, to ``dest``; return its path.

    The zip holds one folder, ``durov-student-pack/``, with a notebook per
    chapter of ``_toc.yml`` (solutions removed, MyST rewritten), ``data/``,
    ``durovbook/``, ``references.bib``, ``requirements.txt`` and ``README.md``.
    ``executed`` is the build's ``jupyter_execute`` folder, for the glued
    numbers (see :func:`pack_notebooks`).
    """
    import nbformat

    root, dest = Path(root), Path(dest)
    notebooks = pack_notebooks(root, executed)
    requirements = student_requirements(list(notebooks.values()), root / "requirements.txt")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        rows = []
        for name, nb in notebooks.items():
            title = next((l.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
                          for l in c.source.splitlines() if l.startswith("# ")), name)
            rows.append(f"| `{name}` | {title} |")
            _zip_add(archive, name, nbformat.writes(nb).encode("utf-8") + b"\n")
        _zip_add(archive, "README.md", _README.format(rows="\n".join(rows)).encode("utf-8"))
        _zip_add(archive, "requirements.txt", (
            "# Exact pins, taken from the book's requirements.txt.\n" + "\n".join(requirements) + "\n").encode("utf-8"))
        for path in sorted((root / "data").glob("**/*")):
            if path.is_file():
                _zip_add(archive, path.relative_to(root).as_posix(), path.read_bytes())
        # the package that is running, so the pack never lacks a module it uses
        for path in student_modules():
            _zip_add(archive, f"durovbook/{path.name}", path.read_bytes())
        for extra in ("references.bib", "LICENSE"):
            if (root / extra).exists():
                _zip_add(archive, extra, (root / extra).read_bytes())
    tmp.replace(dest)
    return dest


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
