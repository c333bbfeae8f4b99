"""A student's copy of a chapter: no solutions, no MyST syntax, the glued numbers written in.

The chapters are MyST Markdown notebooks. Jupyter cannot render MyST's roles
and directives (``{cite:p}``, ``{term}``, ``exercise-start`` ...), and a
student's copy must not contain the solutions:

* :func:`remove_solutions` deletes everything between ``solution-start`` and
  ``solution-end`` (the text, and the code cells in between): the solutions are
  absent, not hidden;
* :func:`myst_to_markdown` rewrites MyST syntax as plain Markdown;
* :func:`add_answer_cells` puts an empty code cell, tagged ``answer``, after
  each exercise, for the student's answer;
* :func:`student_notebook` does all three to a notebook, executed or not;
* :func:`glue_values` reads the numbers a chapter glues into its prose from an
  executed build, so that a student reads "13 milestones", not a variable name.

The MyST source is parsed by :mod:`bookbuild.myst` (markdown-it-py).
"""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path, PurePosixPath

from bookbuild import myst
from bookbuild.toc import chapters
from durovbook.paths import ROOT

__all__ = ["ANSWER_TAG", "GLUE_MISSING", "add_answer_cells", "notebook_name", "chapter_names", "remove_solutions",
           "solution_blocks",
           "glue_values", "glue_text", "myst_to_markdown", "student_notebook", "chapter_notebook"]


def notebook_name(position: int, chapter: Path) -> str:
    """The file name of a chapter's notebook in the pack, e.g. ``01-statement.ipynb``."""
    return f"{position:02d}-{Path(chapter).stem}.ipynb"


def chapter_names(root: str | Path = ROOT) -> dict[str, str]:
    """Each chapter's docname (``chapters/users``) -> its notebook's file name, in the book's order."""
    root = Path(root)
    return {p.relative_to(root).with_suffix("").as_posix(): notebook_name(i, p)
            for i, p in enumerate(chapters(root), 1)}


# --------------------------------------------------------------------------- solutions


def _solution_lines(text: str, inside: bool) -> tuple[set[int], bool]:
    """The lines of ``text`` that belong to a solution, and whether a gated one is still open at its end.

    ``inside`` says whether the text starts inside a gated solution (one opened
    in an earlier cell).
    """
    drop, start = set(), 0
    for directive in myst.directives(text):
        if directive.name == "solution-start" and not inside:
            inside, start = True, directive.start
        elif directive.name == "solution-end" and inside:
            drop.update(range(start, directive.end))
            inside = False
        elif directive.name == "solution" and not inside:
            drop.update(range(directive.start, directive.end))
    if inside:
        drop.update(range(start, len(text.splitlines())))
    return drop, inside


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
            drop, inside = _solution_lines(cell.source, inside)
            text = "\n".join(l for i, l in enumerate(cell.source.splitlines()) if i not in drop).strip("\n")
            if text.strip():
                cell.source = text
                cells.append(cell)
        elif not inside:
            cells.append(cell)
    if inside:
        raise ValueError("a solution-start directive has no solution-end")
    nb.cells = cells
    return nb


#: The tag of the empty code cell that follows each exercise in a student's copy.
ANSWER_TAG = "answer"

#: The directives that close an exercise: its end, or a one-block ``{exercise}``.
_EXERCISE_ENDS = ("exercise-end", "exercise")


def add_answer_cells(nb):
    """A copy of notebook ``nb`` with an empty code cell after each exercise, for the answer.

    A markdown cell is split just after the directive that closes an exercise
    (``exercise-end``, or a whole ``{exercise}``), so the answer cell sits
    under the question, before any text that follows it. Each answer cell is
    empty and tagged :data:`ANSWER_TAG`. Run it on a notebook whose solutions
    are removed (:func:`remove_solutions`), or the answer would follow the
    question and precede its solution.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        lines = cell.source.splitlines()
        cuts = [d.end for d in myst.directives(cell.source) if d.name in _EXERCISE_ENDS]
        start = 0
        for cut in cuts:
            part = "\n".join(lines[start:cut]).strip("\n")
            if part.strip():
                piece = copy.deepcopy(cell)
                piece.source = part
                piece.pop("id", None)
                cells.append(piece)
            cells.append(nbformat.v4.new_code_cell("", metadata={"tags": [ANSWER_TAG]}))
            start = cut
        rest = "\n".join(lines[start:]).strip("\n")
        if rest.strip():
            if cuts:
                cell = copy.deepcopy(cell)
                cell.pop("id", None)
            cell.source = rest
            cells.append(cell)
    for cell in cells:  # ids are valid from nbformat 4.5 (student_notebook renumbers them)
        if nb.nbformat_minor >= 5:
            cell.setdefault("id", "pending")
        else:
            cell.pop("id", None)
    nb.cells = cells
    return nb


def solution_blocks(text: str) -> list[str]:
    """The text of each solution of a MyST chapter (between start and end, or a ``{solution}``)."""
    lines, blocks, start = text.splitlines(), [], None
    for directive in myst.directives(text):
        if directive.name == "solution-start" and start is None:
            start = directive.end
        elif directive.name == "solution-end" and start is not None:
            blocks.append("\n".join(lines[start:directive.start]))
            start = None
        elif directive.name == "solution" and start is None:
            blocks.append("\n".join(directive.content))
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
        from bookbuild.editions import language_of

        self.language = language_of(self.root)  # "fr" for a chapter of fr/

    def relative(self, target: str) -> str | None:
        """The path of ``target`` relative to the pack's root, if it lies inside the book."""
        import os

        base = self.source.parent if self.source else self.root
        # Not resolve(): fr/data is a link to ../data, and the pack's data/ sits beside the notebooks.
        try:
            resolved = Path(os.path.normpath((base / target).absolute())).relative_to(
                Path(os.path.normpath(self.root.absolute())))
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
    title, target = myst.split_title(body)
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


#: A MyST substitution such as ``{{ as_of }}`` (see :mod:`bookbuild.asof_ext`).
_SUBSTITUTION = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")


def substitute(line: str) -> str:
    """Write in the values of the book's MyST substitutions (``{{ as_of }}``)."""
    if "{{" not in line:
        return line
    from .asof_ext import substitutions
    values = substitutions()
    return _SUBSTITUTION.sub(lambda m: values.get(m.group(1), m.group(0)), line)


def _roles(line: str, ctx: _Context) -> str:
    return myst.ROLE.sub(lambda m: _role(m, ctx), substitute(line))


def _quote(lines: list[str]) -> list[str]:
    return [f"> {line}".rstrip() for line in lines]


#: What an exercise is called in each edition's student notebooks.
EXERCISE = {"en": "Exercise", "fr": "Exercice"}


def _directive(d: myst.Directive, ctx: _Context) -> list[str]:
    name, arg, options, body = d.name, d.argument, d.options, d.body
    while body and not body[0].strip():
        body = body[1:]
    inner = body if name in myst.CODE else _convert(body, ctx)
    if name in ("exercise", "exercise-start"):
        ctx.exercise += 1
        title = f"**{EXERCISE[ctx.language]} {ctx.exercise}**" + (f" ({arg})" if arg else "")
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




#: Block tokens that are MyST markup, not text: targets ``(label)=`` and comments ``%``.
_DROPPED = {"myst_target", "myst_line_comment"}


def _convert(lines: list[str], ctx: _Context) -> list[str]:
    """Markdown for MyST ``lines``: directives rewritten, plain code as it is, roles in text rewritten."""
    blocks = {}  # first line -> (line after the block, what replaces it)
    for token in myst.tokens("\n".join(lines)):
        if token.map and token.type in _DROPPED:
            blocks[token.map[0]] = (token.map[1], [])
        elif token.map and token.type in ("fence", "colon_fence"):
            directive = myst._directive(token, 0)
            start, end = token.map
            blocks[start] = (end, _directive(directive, ctx) if directive else lines[start:end])
    out, text, i = [], [], 0

    def flush():
        # roles are rewritten over the whole run of text: a role may wrap lines
        if text:
            out.extend(_roles("\n".join(text), ctx).split("\n"))
            text.clear()

    while i < len(lines):
        if i in blocks:
            flush()
            i, replacement = blocks[i]
            out += replacement
        else:
            text.append(lines[i])
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
    nb = add_answer_cells(remove_solutions(nb))
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



def chapter_notebook(nb, docname: str, root: str | Path = ROOT, names: dict[str, str] | None = None,
                     sources: dict | None = None, executed: str | Path | None = None):
    """The student copy of chapter ``docname`` (``chapters/users``) from its notebook ``nb``.

    What the site offers for download and what the pack holds are made here:
    the sources are read from ``references.bib`` when not given, and the glued
    numbers from ``executed`` (a build's ``jupyter_execute`` folder) when given.
    """
    from durovbook.sources import load_sources

    from bookbuild.editions import book_root

    root = Path(root)
    if sources is None:
        bib = book_root(root) / "references.bib"  # the repository's, for a chapter of fr/ too
        sources = load_sources(bib) if bib.exists() else {}
    glue = glue_values(executed, docname) if executed else {}
    names = chapter_names(root) if names is None else names
    return student_notebook(nb, root / docname, root, names, sources, glue)
