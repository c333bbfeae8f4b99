"""editions: the book's two editions, English and French, built into one site.

The English edition is the repository's root (``_config.yml``, ``_toc.yml``);
the French one is the tree ``fr/`` (``fr/_config.yml`` with ``language: fr``,
``fr/_toc.yml``), whose pages have the same paths, code cells and glue keys
(``tests/test_editions.py``). Sphinx's gettext translation is not used: a
translated ``{glue:text}`` role loses its value.

This module is two things:

* **The build** (``python -m bookbuild.editions``, what ``make book`` runs):
  ``jupyter-book build`` of the English edition, and of the French one into
  ``_build/fr/`` (its own doctrees and execution cache), the two at once on
  two cores; then :func:`merge` copies the French site into ``_build/html/fr/``
  and adds its pages to the site's one ``sitemap.xml``.
* **A Sphinx extension** (listed in both ``_config.yml``) that makes every
  page name its counterpart: a language switcher in the page's header
  (``_templates/langswitch.html``), and ``<link rel="alternate" hreflang>``
  for both languages and ``x-default`` (English). For an edition in a
  sub-folder it also links the static files of ``../_static`` (Jupyter Book
  links only those of a ``_static/`` beside ``_config.yml``) and sets
  ``html_baseurl`` from the English ``_config.yml``'s ``baseurl``.
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape as xml_escape

from durovbook.paths import ROOT

__version__ = "1.0"
#: Bump when a change here alters the pages written (see bookbuild/assets.py).
ENV_VERSION = 3

#: Each edition's language -> its folder, in the repository and in the site ("" is the root).
EDITIONS = {"en": "", "fr": "fr"}
#: The edition at the site's root, the one ``hreflang="x-default"`` names.
DEFAULT = "en"
#: What the switcher says, in the language it leads to.
NAMES = {"en": "English", "fr": "Français"}
#: The Sphinx pages of a build (no source file) that both editions have.
GENERATED = ("search", "genindex")


# --------------------------------------------------------------------------- where things are

def edition_folder(language: str) -> str:
    return EDITIONS.get(language, "")


def book_root(srcdir: str | Path) -> Path:
    """The repository's root for a build whose source folder is ``srcdir``.

    The English edition's source folder is the root; an edition's folder
    (``fr/``) sits in it. ``data/``, ``durovbook/``, ``references.bib`` and
    ``requirements.txt`` are the root's, whichever edition is built.
    """
    srcdir = Path(srcdir).resolve()
    if srcdir.name in {f for f in EDITIONS.values() if f} and (srcdir.parent / "_config.yml").is_file():
        return srcdir.parent
    return srcdir


def language_of(srcdir: str | Path) -> str:
    """The language of the edition whose source folder is ``srcdir`` (by its folder's name)."""
    name = Path(srcdir).resolve().name
    return next((lang for lang, folder in EDITIONS.items() if folder and folder == name
                 and (Path(srcdir).resolve().parent / "_config.yml").is_file()), DEFAULT)


def site_prefix(language: str) -> str:
    """The edition's folder in the site, with its slash: ``"fr/"``, or ``""`` for the root edition."""
    folder = edition_folder(language)
    return f"{folder}/" if folder else ""


def own_pages(outdir: str | Path) -> list[Path]:
    """The HTML pages of this build in ``outdir``: not those of ``_static`` or of an edition merged into it."""
    outdir = Path(outdir)
    skip = {"_static", *(f for f in EDITIONS.values() if f)}
    return sorted(p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0] not in skip)


def counterpart(pagename: str, target: str, language: str, other: str) -> str:
    """The relative address, from page ``pagename`` of edition ``language``, of file ``target`` of edition ``other``.

    ``target`` is the page's file as the builder names it (``chapters/bans.html``).
    """
    depth = pagename.count("/") + edition_folder(language).count("/") + bool(edition_folder(language))
    return "../" * depth + site_prefix(other) + target


# --------------------------------------------------------------------------- the Sphinx extension

def _root_baseurl(root: Path) -> str:
    """``html.baseurl`` of the English ``_config.yml`` (a small YAML read: the one key)."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    base = str((config.get("html") or {}).get("baseurl") or "").strip()
    return base if not base or base.endswith("/") else base + "/"


def on_config_inited(app, config):
    language = config.language or DEFAULT
    if language not in EDITIONS:
        raise ValueError(f"bookbuild.editions: no edition for language {language!r}; add it to EDITIONS")
    app.durov_language = language
    from durovbook import i18n

    # What the build itself writes through durovbook ({{ as_of }}, the slides'
    # numbers) is in the edition's language; the notebooks find it themselves.
    i18n.set_language(language)
    root = book_root(app.srcdir)
    app.durov_root = root
    if edition_folder(language):
        # Jupyter Book links the .css and .js files of a _static/ beside _config.yml
        # only: link those of the static folders this edition shares, in the same order.
        css, js = list(config.html_css_files), list(config.html_js_files)
        names = {c if isinstance(c, str) else c[0] for c in css} | {j if isinstance(j, str) else j[0] for j in js}
        for entry in config.html_static_path:
            folder = (Path(app.confdir) / entry).resolve()
            if not folder.is_dir() or folder == (Path(app.confdir) / "_static").resolve():
                continue
            css += [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*.css"))
                    if p.relative_to(folder).as_posix() not in names]
            js += [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*.js"))
                   if p.relative_to(folder).as_posix() not in names]
        config.html_css_files, config.html_js_files = css, js
        if not (config.html_baseurl or "").strip():
            base = _root_baseurl(root)
            config.html_baseurl = base + site_prefix(language) if base else ""
    # The switcher, first of the header's buttons.
    options = dict(config.html_theme_options or {})
    end = options.get("article_header_end") or ["article-header-buttons.html"]
    end = [end] if isinstance(end, str) else list(end)
    if "langswitch.html" not in end:
        options["article_header_end"] = ["langswitch.html", *end]
    config.html_theme_options = options


def _base(app) -> str:
    base = (app.config.html_baseurl or "").strip()
    return base if not base or base.endswith("/") else base + "/"


def alternates(app, pagename: str) -> dict[str, str]:
    """Language -> the address of page ``pagename`` in each edition (absolute once ``html.baseurl`` is set)."""
    language = app.durov_language
    target = app.builder.get_target_uri(pagename)
    base = _base(app)
    out = {}
    for other in EDITIONS:
        if base:
            # This edition's base ends with its own folder: the site's root is above it.
            root = base[: len(base) - len(site_prefix(language))] if site_prefix(language) else base
            out[other] = root + site_prefix(other) + target
        else:
            out[other] = counterpart(pagename, target, language, other) if other != language else \
                PurePosixPath(target).name
    return out


def switch_context(app, pagename: str) -> dict | None:
    """What ``_templates/langswitch.html`` shows on ``pagename``: the other edition's link."""
    language = app.durov_language
    other = next(l for l in EDITIONS if l != language)
    if pagename == "404":
        # Served at any address (bookbuild/seo.py): the other edition's landing
        # page, by its path from the host's root ("/fr/intro.html").
        from bookbuild.seo import site_root

        edition_root = site_root(app)
        root = edition_root[: len(edition_root) - len(site_prefix(language))] if site_prefix(language) else edition_root
        href = root + site_prefix(other) + app.builder.get_target_uri(app.config.root_doc)
    else:
        href = alternates(app, pagename)[other]
    return {"href": href, "lang": other, "name": NAMES[other]}


def hreflang_tags(urls: dict[str, str]) -> str:
    tags = "".join(f'<link rel="alternate" hreflang="{lang}" href="{html.escape(url)}" />\n'
                   for lang, url in urls.items())
    return tags + f'<link rel="alternate" hreflang="x-default" href="{html.escape(urls[DEFAULT])}" />\n'


def _web(app) -> bool:
    return app.builder.format == "html" and not app.builder.name.startswith("epub")


def on_page_switch(app, pagename, templatename, context, doctree):
    if _web(app):
        context["durov_langswitch"] = switch_context(app, pagename)


def on_page_alternates(app, pagename, templatename, context, doctree):
    if _web(app) and pagename != "404":  # the 404 page is noindex, and has no address of its own
        context["metatags"] = context.get("metatags", "") + hreflang_tags(alternates(app, pagename))


def setup(app):
    # Before bookbuild.seo (500) reads html_baseurl.
    app.connect("config-inited", on_config_inited, priority=400)
    # Before pydata-sphinx-theme (500) drops the header's templates that render empty.
    app.connect("html-page-context", on_page_switch, priority=400)
    # After bookbuild.seo (450, 600) has written the page's meta tags.
    app.connect("html-page-context", on_page_alternates, priority=700)
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}


# --------------------------------------------------------------------------- parity

#: The labels, citations and cross-references a translation keeps as they are
#: (identifiers, not text): ``(label)=``, ``{cite:p}`` keys, ``{doc}`` and ``{ref}`` targets.
_LABEL = re.compile(r"^\s*\(([\w.:-]+)\)=\s*$", re.M)


@functools.lru_cache(maxsize=256)
def _directives(text: str) -> tuple:
    """Every directive of ``text``, nested ones too, parsed once per text (the parity check reads each page thrice)."""
    from bookbuild import myst

    return tuple(myst.walk(myst.directives(text)))


def _prose(text: str) -> str:
    """``text`` without the lines of its code, math and raw blocks."""
    from bookbuild import myst

    code = {i for d in _directives(text) if d.name in myst.CODE for i in range(d.start, d.end)}
    return "\n".join(l for i, l in enumerate(text.splitlines()) if i not in code)


def code_cells(text: str) -> list[str]:
    """Every ``{code-cell}`` of a MyST notebook, fences, options and source exactly as written, in order."""
    lines = text.splitlines()
    return ["\n".join(lines[d.start:d.end]) for d in _directives(text) if d.name == "code-cell"]


def glue_keys(text: str) -> list[str]:
    """Every glue role and directive with its key and format: ``glue:text users_n:.0f``, sorted.

    Sorted, not in order: a translated sentence may put two numbers the other way round.
    """
    from bookbuild import myst

    found = [f"{m.group('name')} {m.group('body').strip()}" for m in myst.ROLE.finditer(_prose(text))
             if m.group("name") == "glue" or m.group("name").startswith("glue:")]
    found += [f"{d.name} {d.argument.strip()}" for d in _directives(text)
              if d.name == "glue" or d.name.startswith("glue:")]
    return sorted(found)


def identifiers(text: str) -> dict[str, list[str]]:
    """The labels, citation keys and ``{doc}``/``{ref}`` targets of a page, each sorted without repeats."""
    from bookbuild import myst

    prose = _prose(text)
    cites, targets = set(), set()
    for m in myst.ROLE.finditer(prose):
        name = m.group("name")
        if name.startswith("cite"):
            cites |= {k.strip() for k in m.group("body").split(",") if k.strip()}
        elif name in ("doc", "ref"):
            targets.add(f"{name} {myst.split_title(m.group('body'))[1].strip()}")
    return {"labels": sorted(set(_LABEL.findall(prose))), "citations": sorted(cites), "references": sorted(targets)}


def parity_problems(root: str | Path = ROOT, language: str = "fr", what=("pages", "code", "glue")) -> list[str]:
    """How the edition ``language`` differs from the English one, one line per difference (none: ``[]``).

    ``what`` names the checks: ``pages`` (the same documents in the same
    order and parts of the table of contents), ``code`` (each page's code
    cells, exactly, in order), ``glue`` (each page's glue keys and formats),
    ``identifiers`` (labels, citation keys, ``{doc}`` and ``{ref}`` targets).
    """
    from bookbuild import toc

    root = Path(root)
    other = root / edition_folder(language)
    problems: list[str] = []
    en_pages = toc.pages(root)
    fr_pages = toc.pages(other) if (other / "_toc.yml").is_file() else []
    if "pages" in what:
        if en_pages != fr_pages:
            missing = [p for p in en_pages if p not in fr_pages]
            extra = [p for p in fr_pages if p not in en_pages]
            problems.append(f"pages: {other.name}/_toc.yml lists {fr_pages if not (missing or extra) else ''}"
                            f"{'without ' + ', '.join(missing) if missing else ''}"
                            f"{'; ' if missing and extra else ''}{'with ' + ', '.join(extra) + ' too' if extra else ''}"
                            if missing or extra else "pages: the two tables of contents list the pages in another order")
        elif list(toc.parts(root).values()) != list(toc.parts(other).values()):
            problems.append("pages: the parts of the two tables of contents hold different pages")
    for page in en_pages:
        english, french = toc.source(root, page), toc.source(other, page)
        if not french.is_file():
            if "pages" in what:
                problems.append(f"pages: {french.relative_to(root)} is missing")
            continue
        a, b = english.read_text(encoding="utf-8"), french.read_text(encoding="utf-8")
        name = french.relative_to(root).as_posix()
        if "code" in what:
            ca, cb = code_cells(a), code_cells(b)
            if len(ca) != len(cb):
                problems.append(f"code: {name} has {len(cb)} code cells, {english.relative_to(root)} {len(ca)}")
            else:
                problems += [f"code: {name}, code cell {i}, differs from the English one:\n{y}\n--- English:\n{x}"
                             for i, (x, y) in enumerate(zip(ca, cb), 1) if x != y]
        if "glue" in what:
            ga, gb = glue_keys(a), glue_keys(b)
            if ga != gb:
                lost = sorted(set(ga) - set(gb)) or ["(a repeat)"]
                new = sorted(set(gb) - set(ga)) or ["(a repeat)"]
                problems.append(f"glue: {name} lacks {', '.join(lost)}; has {', '.join(new)} instead")
        if "identifiers" in what:
            ia, ib = identifiers(a), identifiers(b)
            for kind in ia:
                if ia[kind] != ib[kind]:
                    problems.append(f"{kind}: {name} lacks {sorted(set(ia[kind]) - set(ib[kind]))}, "
                                    f"adds {sorted(set(ib[kind]) - set(ia[kind]))}")
    return problems


# --------------------------------------------------------------------------- one site

_LOC = re.compile(r"<loc>(.*?)</loc>")


def sitemap_locs(path: Path) -> list[str]:
    if not path.is_file():
        return []
    from xml.sax.saxutils import unescape

    return [unescape(m) for m in _LOC.findall(path.read_text(encoding="utf-8"))]


def write_sitemap(path: Path, locs: list[str]) -> None:
    urls = "".join(f"  <url><loc>{xml_escape(u)}</loc></url>\n" for u in locs)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n",
                    encoding="utf-8")


#: What an edition in a sub-folder writes that only the site's root may have.
ROOT_ONLY = ("sitemap.xml", "robots.txt")


def mirror(source: Path, target: Path, skip: tuple[str, ...] = ()) -> int:
    """Make ``target`` a copy of ``source``: copy what is new or changed, delete what ``source`` lacks.

    A file is changed when its size or modification time differs (``copy2``
    keeps the time), so a no-change rebuild copies nothing. Returns the number
    of files copied.
    """
    source, target = Path(source), Path(target)
    copied, keep = 0, set()
    for path in source.rglob("*"):
        rel = path.relative_to(source)
        if rel.as_posix() in skip or path.is_dir():
            continue
        keep.add(rel)
        dest = target / rel
        st = path.stat()
        if dest.is_file():
            dt = dest.stat()
            if dt.st_size == st.st_size and dt.st_mtime_ns == st.st_mtime_ns:
                continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied += 1
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            rel = path.relative_to(target)
            if path.is_file() and rel not in keep:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return copied


def merge(site: str | Path, edition_html: str | Path, language: str) -> int:
    """Put the built edition ``edition_html`` into the site ``site`` at its folder; return the files copied.

    The edition's pages join the site's ``sitemap.xml`` (relative addresses
    get the edition's folder); its own ``sitemap.xml`` and ``robots.txt``,
    valid only at a site's root, are left out.
    """
    site, edition_html = Path(site), Path(edition_html)
    prefix = site_prefix(language)
    if not prefix:
        raise ValueError(f"the {language} edition is the site's root: nothing to merge")
    copied = mirror(edition_html, site / prefix.rstrip("/"), skip=ROOT_ONLY)
    own = sitemap_locs(site / "sitemap.xml")
    added = [u if re.match(r"^[a-z]+://", u) or u.startswith("/") else prefix + u
             for u in sitemap_locs(edition_html / "sitemap.xml")]
    # The English sitemap is written afresh by each English build; a merge
    # done twice (a French rebuild alone) adds nothing twice.
    write_sitemap(site / "sitemap.xml", own + [u for u in added if u not in own])
    return copied


# --------------------------------------------------------------------------- the build

def jupyter_book() -> str:
    return str(Path(sys.executable).with_name("jupyter-book"))


def edition_build_dir(out: Path, language: str) -> Path:
    """The ``--path-output`` of an edition: ``out`` for the root one, ``out/_build/<folder>`` for the others."""
    folder = edition_folder(language)
    return out / "_build" / folder if folder else out


def build(root: Path = ROOT, out: Path | None = None, extra: list[str] | None = None,
          languages: list[str] | None = None, parallel: bool = True, log=print) -> int:
    """Build every edition of the book at ``root`` into one site at ``out/_build/html``; return the exit code.

    ``extra`` are jupyter-book's options (default: strict, ``-W -n --keep-going``).
    The root edition's output is printed as it comes; the others' is kept in
    ``_build/<folder>/build.log`` and printed when they end. With ``parallel``
    the editions are built at once (the French build executes its own
    notebooks on the second core).
    """
    root = Path(root).resolve()
    out = Path(out).resolve() if out is not None else root
    extra = ["-W", "-n", "--keep-going"] if extra is None else list(extra)
    languages = languages or [l for l in EDITIONS if (root / edition_folder(l) / "_config.yml").is_file()]
    codes: dict[str, int] = {}
    logs: dict[str, Path] = {}

    def run(language: str, stream) -> None:
        src = root / edition_folder(language)
        dest = edition_build_dir(out, language)
        dest.mkdir(parents=True, exist_ok=True)
        argv = [jupyter_book(), "build", str(src), "--path-output", str(dest), *extra]
        start = time.perf_counter()
        codes[language] = subprocess.call(argv, stdout=stream, stderr=subprocess.STDOUT, cwd=root)
        stream_note = f"{language}: jupyter-book build {src.relative_to(root) if src != root else '.'} " \
                      f"{'ok' if codes[language] == 0 else 'FAILED'} in {time.perf_counter() - start:.1f} s"
        notes.append(stream_note)

    notes: list[str] = []
    threads = []
    for language in languages:
        if not edition_folder(language):
            continue
        logs[language] = edition_build_dir(out, language) / "build.log"
        logs[language].parent.mkdir(parents=True, exist_ok=True)
        handle = open(logs[language], "w", encoding="utf-8")
        thread = threading.Thread(target=lambda l=language, h=handle: (run(l, h), h.close()))
        threads.append(thread)
        thread.start()
        if not parallel:
            thread.join()
    if DEFAULT in languages:
        sys.stdout.flush()
        run(DEFAULT, None)
    for thread in threads:
        thread.join()
    for language, path in logs.items():
        log(f"---- the {language} edition (jupyter-book build {edition_folder(language)}; log {path}):")
        text = path.read_text(encoding="utf-8")
        log(text if codes.get(language) else "\n".join(text.splitlines()[-6:]))
    for note in notes:
        log(note)
    if any(codes.values()):
        return 1
    site = out / "_build" / "html"
    for language in logs:
        copied = merge(site, edition_build_dir(out, language) / "_build" / "html", language)
        log(f"{language}: merged into {site / edition_folder(language)} ({copied} file(s) copied)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build both editions of the book into one site.")
    parser.add_argument("root", nargs="?", type=Path, default=ROOT, help="the repository (default: this one)")
    parser.add_argument("--path-output", type=Path, default=None, help="where _build/ goes (default: the root)")
    parser.add_argument("--language", action="append", choices=sorted(EDITIONS),
                        help="build only this edition (repeat for several)")
    parser.add_argument("--serial", action="store_true", help="one edition after the other")
    parser.add_argument("--check", action="store_true",
                        help="build nothing: list how fr/ differs from the English pages (pages, code cells, "
                             "glue keys, labels, citations, cross-references)")
    args, extra = parser.parse_known_args(argv)
    if args.check:
        problems = parity_problems(args.root, what=("pages", "code", "glue", "identifiers"))
        print("\n".join(problems) if problems else "fr/ matches the English pages: pages, code cells, glue keys, "
              "labels, citations and cross-references.")
        return 1 if problems else 0
    return build(args.root, args.path_output, extra or None, args.language, parallel=not args.serial)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
