"""slides: the deck of the 50-minute lesson, written when the book is built (a Sphinx extension).

Loaded from ``_config.yml``. At the end of an HTML build it writes
``slides/index.html`` (with ``slides.css`` and ``slides.js`` beside it) from
``teacher/slides.yml``, a file that is not a page of the book:

* every slide is a ``<section class="slide">`` with one heading; a slide tied
  to a stage of the lesson shows the stage's minutes, read from the lesson's
  table in ``teacher/lessons.md``, so the slides follow the lesson plan;
* the numbers, dates and lists in the text are ``{{ name }}`` placeholders
  filled by :func:`values` from the data, through ``durovbook``: none is typed
  into the slides;
* ``quotes`` are passages of ``data/passages.csv``, Durov's English as an
  outlet carries it, or our translation, labelled; in the French deck the
  English is followed by the French rendering as a French outlet published it;
* a ``figure`` is the chapter's own figure (the same PNG, with the chapter's
  alt text), and its phone drawing for narrow screens;
* the page loads nothing from another host: its stylesheet is in the page,
  its small script a file beside it.

With the script, one slide fills the screen; the arrow keys, Space, Page Up,
Page Down, Home and End move between slides, a button shows them full screen,
a counter says "3 / 11" and the address ends in ``#slide-3``. Without it the
slides read as one scrolling page. Printed (or saved as PDF by Chromium), each
slide fills one A4 landscape page.

Each edition has its deck when its tree has the source: the English one from
``teacher/slides.yml`` at ``slides/``, the French one from
``fr/teacher/slides.yml`` at ``fr/slides/`` (``lang="fr"``, the page's words
from :data:`UI`, the values written in French by ``durovbook.i18n``, the
chapters' titles and figures' alt texts read from the French pages).

A problem (an unknown placeholder, a figure or a stage that is not found) is a
Sphinx warning, so the strict build fails on it. ``python -m bookbuild.slides``
prints the values the slides can use.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from bookbuild.seo import STANDALONE_HEAD

__version__ = "1.0"

#: The deck's source, relative to the book's folder.
SPEC = Path("teacher") / "slides.yml"
#: The lesson plans the slides follow.
LESSONS = Path("teacher") / "lessons.md"
#: The deck's folder in the built site.
FOLDER = "slides"
#: The stylesheet, written into the page (the site's one-bundle check,
#: bookbuild/cssbundle.py, reads the stylesheets that pages link), and the
#: script, copied beside the page: both are kept beside this module.
STYLESHEET = Path(__file__).with_name("slides.css")
SCRIPT = Path(__file__).with_name("slides.js")

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_SLIDE_KEYS = {"heading", "stage", "text", "quotes", "figure", "table"}


class SlidesError(ValueError):
    """A problem with the deck's source: its message says which slide and what."""


#: The words the deck's page writes itself, in each edition's language.
UI = {
    "en": {
        "and": " and ", "or": " or ", "slides": "Slides: {}", "lesson_plan": "The lesson plan",
        "book": "The book: {}", "controls": "Slide controls", "previous": "Previous slide", "next": "Next slide",
        "full_screen": "Full screen", "leave_full_screen": "Leave full screen", "minutes": "Minutes {}: {}",
        "from_chapter": "From the chapter {}.", "as_published": "Pavel Durov, {}, as published by {}.",
        "ours": "Pavel Durov: our translation of the French renderings.",
        "rendering": "", "newest_source": "For {}, the newest source dates from {}.",
        "table_caption": "The passages each chapter checks (numbered in the order of the statement)",
        "table_headers": ("Chapter", "Passages", "How many"),
    },
    "fr": {
        "and": " et ", "or": " ou ", "slides": "Diapositives : {}", "lesson_plan": "Le plan de la séance",
        "book": "Le livre : {}", "controls": "Commandes des diapositives", "previous": "Diapositive précédente",
        "next": "Diapositive suivante", "full_screen": "Plein écran", "leave_full_screen": "Quitter le plein écran",
        "minutes": "Minutes {} : {}", "from_chapter": "Tiré du chapitre {}.",
        "as_published": "Pavel Durov, {}, tel que publié par {}.",
        "rendering": "Traduction française publiée par {}.",
        "newest_source": "{} : la source la plus récente date de {}.",
        "table_caption": "Les passages que vérifie chaque chapitre (numérotés dans l'ordre de la déclaration)",
        "table_headers": ("Chapitre", "Passages", "Combien"),
    },
}


def ui(key: str, lang: str | None = None) -> str:
    """A word of the deck's page in ``lang`` (the language ``durovbook.i18n`` writes in by default)."""
    from durovbook import i18n

    return UI[lang or i18n.language()][key]


def _chapter_parts(title: str) -> tuple[str, str]:
    """"Banned: was Telegram ...?" -> ("Banned", "was Telegram ...?"); French titles put a space before the colon."""
    short, _, question = title.partition(":")
    return short.strip(), question.strip()


def chapter_titles(titles: dict[str, str] | None = None) -> dict[str, str]:
    """Each chapter's title by its short name (``users``): ``titles`` (docname -> title, as an edition's
    pages give them) where it names the chapter, else :data:`durovbook.passages.CHAPTER_TITLES`."""
    from durovbook.passages import CHAPTER_TITLES

    titles = titles or {}
    return {name: titles.get(f"chapters/{name}") or title for name, title in CHAPTER_TITLES.items()}


# --------------------------------------------------------------------------- the values

def _join(items: list[str]) -> str:
    """``["a"]`` -> "a"; ``["a", "b"]`` -> "a and b"; ``["a", "b", "c"]`` -> "a, b and c" (in French, "et")."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + ui("and") + items[-1]


def _number(value: float) -> str:
    from durovbook import i18n

    value = float(value)
    return i18n.format_number(value, 0 if value == round(value) else 1)


def _country(name: str, iso3: str | None = None) -> str:
    """A country of the data (named in English) in the edition's language, when the package can name it."""
    from durovbook import i18n

    country_name = getattr(i18n, "country_name", None)
    return country_name(name, iso3) if country_name is not None else name


def values(data: str | Path | None = None, titles: dict[str, str] | None = None) -> dict[str, str]:
    """Every value the slides can name as ``{{ name }}``, computed from the data and written as text.

    ``data`` is a data folder (the book's ``data/`` by default), so a test can
    change a row and see the slide change. The values are written in the
    language ``durovbook.i18n`` writes in; ``titles`` are the chapters' titles
    as the edition's pages give them (docname -> title; see :func:`chapter_titles`).
    """
    from durovbook import as_of_text, days_between, format_date, load_case_events
    from durovbook.bans import load_bans, status_as_of
    from durovbook.charges import load_charges
    from durovbook.passages import checkable, load_passages
    from durovbook.style import STATEMENT_DATE
    from durovbook.users import load_users

    events = load_case_events(data).set_index("id", drop=False)

    def event_date(event_id: str) -> str:
        row = events.loc[event_id]
        return format_date(row["date"], row["date_precision"], long=True)

    passages = load_passages(data)
    users = load_users(data)
    first = users.iloc[0]
    nine_fifty = users[users["users_millions"] == 950].iloc[0]
    announced = list(dict.fromkeys(users["announced_by"]))
    bans = load_bans(data)
    status = status_as_of(bans, STATEMENT_DATE)
    blocked = status[status["status"] == "blocked"]
    unconfirmed = blocked[~blocked["verified"].astype(bool)]
    russia = bans[(bans["iso3"] == "RUS") & (bans["scope"] == "full") & (bans["start_date"] <= STATEMENT_DATE)]
    russia = russia.sort_values("start_date").iloc[-1]
    charges = load_charges(data)
    chapters = {}
    for name, title in chapter_titles(titles).items():
        chapters[f"chapter_{name}"], chapters[f"question_{name}"] = _chapter_parts(title)
    return {
        **chapters,
        "statement_date": format_date(STATEMENT_DATE, long=True),
        "as_of": as_of_text(data),
        "detained": event_date("detention_le_bourget"),
        "mise_en_examen": event_date("mise_en_examen"),
        "investigation_opened": event_date("judicial_investigation_opened"),
        "custody_days": str(days_between(events, "detention_le_bourget", "mise_en_examen")),
        "investigation_days": str(days_between(events, "judicial_investigation_opened", "detention_le_bourget")),
        "passages": str(len(passages)),
        "checkable": str(len(checkable(passages))),
        "users_first": _number(first["users_millions"]),
        "users_first_month": format_date(first["date"], "month", long=True),
        "users_950": _number(nine_fifty["users_millions"]),
        "users_950_month": format_date(nine_fifty["date"], "month", long=True),
        "users_announced_by": ui("or").join(announced),
        "blocked_on_statement_day": _join([_country(row["country"], row.get("iso3")) for _, row in blocked.iterrows()]),
        "blocked_unconfirmed": " ".join(
            ui("newest_source").format(_country(row["country"], row.get("iso3")),
                                       format_date(row["verified_until"], "month", long=True))
            for _, row in unconfirmed.iterrows()),
        "russia_block_start": format_date(russia["start_date"], russia["start_precision"], long=True),
        "russia_block_end": format_date(russia["end_date"], russia["end_precision"], long=True),
        "offences": str(len(charges)),
        "complicity_offences": str(int(charges["complicity"].astype(bool).sum())),
    }


def fill(text: str, known: dict[str, str], where: str) -> str:
    """``text`` with each ``{{ name }}`` replaced by its value (HTML-escaped); an unknown name is an error."""
    def one(match):
        name = match.group(1)
        if name not in known:
            raise SlidesError(f"{where}: unknown value {{{{ {name} }}}}; known: {', '.join(sorted(known))}")
        return html.escape(known[name], quote=False)

    return _PLACEHOLDER.sub(one, text)


# --------------------------------------------------------------------------- tables and quotes

def _ranges(numbers: list[int]) -> str:
    """``[2, 3, 5, 6, 7]`` -> "2, 3, 5–7"."""
    out, numbers = [], sorted(numbers)
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}" if prev > start + 1 else f"{start}, {prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def checkable_by_chapter(data: str | Path | None = None, titles: dict[str, str] | None = None) -> str:
    """The passages that make a claim a chapter checks, counted per chapter, as an HTML table."""
    from durovbook.passages import load_passages

    names = chapter_titles(titles)
    passages = load_passages(data)
    checked = passages[passages["examined_in"].notna()]
    groups = sorted(checked.groupby("examined_in"), key=lambda g: (-len(g[1]), g[1]["order"].min()))
    rows = []
    for chapter, group in groups:
        # "Banned: was Telegram blocked ...?" -> "Banned"
        title = _chapter_parts(names.get(str(chapter)) or str(chapter))[0]
        rows.append(f'<tr><th scope="row"><a href="../chapters/{html.escape(str(chapter))}.html">'
                    f'{html.escape(title)}</a></th><td>{_ranges([int(n) for n in group["order"]])}</td>'
                    f'<td class="number">{len(group)}</td></tr>')
    headers = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in ui("table_headers"))
    return (f'<table><caption>{html.escape(ui("table_caption"))}</caption>'
            f'<thead><tr>{headers}</tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


#: The tables a slide can show: ``table: <name>``.
TABLES = {"checkable_by_chapter": checkable_by_chapter}


def quote(passage_id: str, data: str | Path | None = None) -> str:
    """A passage of the statement as a slide shows it: the English and who carries it.

    In French, the French rendering follows, as the outlet that carries it
    published it (the last of ``passages.RENDERINGS`` that has one); a passage
    without English shows that rendering alone, never our translation.
    """
    from durovbook import i18n
    from durovbook.display import _present
    from durovbook.passages import RENDERINGS, english_sources, passage_row
    from durovbook.paths import bib_path, data_dir
    from durovbook.sources import load_sources

    french = i18n.language() == "fr"
    row = passage_row(passage_id, data)
    sources = load_sources(bib_path(data_dir(data)))
    out = ""
    if _present(row["en_original"]):
        outlets = _join([f"<cite>{html.escape(sources[k].outlet)}</cite>" for k in english_sources(row["source"])])
        note = ui("as_published").format(html.escape(_statement_day()), outlets)
        out = (f'<blockquote lang="en"><p>{html.escape(str(row["en_original"]))}</p>'
               f'<p class="quote-source" lang="{"fr" if french else "en"}">{note}</p></blockquote>')
    elif not french:
        out = (f'<blockquote lang="en"><p>{html.escape(str(row["en_ours"]))}</p>'
               f'<p class="quote-source">{ui("ours")}</p></blockquote>')
    if french:
        column = next((c for c in reversed(list(RENDERINGS)) if _present(row.get(c))), None)
        if column is not None:
            outlet = f"<cite>{html.escape(sources[RENDERINGS[column]].outlet)}</cite>"
            out += (f'<blockquote lang="fr" class="quote-rendering"><p>{html.escape(str(row[column]))}</p>'
                    f'<p class="quote-source">{ui("rendering").format(outlet)}</p></blockquote>')
    return out


def _statement_day() -> str:
    from durovbook import format_date
    from durovbook.style import STATEMENT_DATE

    return format_date(STATEMENT_DATE, long=True)


# --------------------------------------------------------------------------- the lesson plan

#: The name of the lesson table's column of stages, in each edition.
STAGE_COLUMNS = ("stage", "étape")


def lesson_stages(text: str, lesson: str) -> dict[str, str]:
    """The stages of a lesson and their minutes, from the table under its heading in the lesson plans.

    ``lesson`` is the start of the heading. Returns ``{stage: minutes}`` in the
    table's order, for example ``{"Start": "0–5", ...}``.
    """
    from bookbuild.myst import tokens

    toks = tokens(text)
    inside, header, stages = False, None, {}
    for i, tok in enumerate(toks):
        if tok.type == "heading_open":
            inside = toks[i + 1].content.strip().startswith(lesson)
        elif inside and tok.type == "tr_open":
            cells = []
            for t in toks[i + 1:]:
                if t.type == "tr_close":
                    break
                if t.type == "inline":
                    cells.append(t.content.strip())
            if header is None:
                # The French lesson plans call the column « étape ».
                header = ["stage" if c.lower() in STAGE_COLUMNS else c.lower() for c in cells]
                if "minutes" not in header or "stage" not in header:
                    raise SlidesError(f"the table of {lesson!r} has no 'minutes' and 'stage' columns: {cells}")
                continue
            row = dict(zip(header, cells))
            stages[row["stage"]] = row["minutes"]
        elif inside and tok.type == "table_close" and stages:
            break
    if not stages:
        raise SlidesError(f"{LESSONS}: no lesson table under a heading starting {lesson!r}")
    return stages


# --------------------------------------------------------------------------- the chapters' figures

@dataclass(frozen=True)
class Figure:
    """A chapter's figure as a slide shows it: its file in ``_images/``, its alt text, its phone drawing."""

    image: str
    alt: str
    phone: str | None = None


def _cells(doctree):
    from docutils import nodes

    for node in doctree.findall(nodes.container):
        if "cell" in node.get("classes", []):
            yield node


def figure_in(doctree, code: str, image_name) -> Figure | None:
    """The figure drawn by the first cell whose code starts with ``code``.

    ``image_name(uri)`` gives an image's file name in the built site's
    ``_images/`` and whether it is a phone drawing (``(name, is_phone)``), or
    None when the image was not copied there.
    """
    from docutils import nodes

    for cell in _cells(doctree):
        sources = [b.astext().strip() for b in cell.findall(nodes.literal_block)]
        if not sources or not sources[0].startswith(code):
            continue
        image, phone, alt = None, None, ""
        for node in cell.findall(nodes.image):
            found = image_name(node["uri"])
            if found is None:
                continue
            name, is_phone = found
            if is_phone:
                phone = phone or name
            elif image is None:
                image, alt = name, str(node.get("alt") or "").strip()
        if image is not None:
            return Figure(image, alt, phone)
    return None


# --------------------------------------------------------------------------- the page

_PAGE = STANDALONE_HEAD + """<link rel="icon" href="../_static/favicon.svg" />
<style>
{css}</style>
<script src="slides.js"></script>
</head>
<body>
<header class="deck-header">
<p class="deck-name">{deck}</p>
<p><a href="../teacher/lessons.html">{lesson_plan}</a></p>
<p><a href="../intro.html">{book}</a></p>
</header>
<main id="slides">
{slides}
</main>
<nav class="slide-controls" id="slide-controls" aria-label="{controls}" hidden>
<button type="button" id="slide-previous" aria-label="{previous}">&larr;</button>
<p id="slide-counter" aria-live="polite" role="status">1 / {count}</p>
<button type="button" id="slide-next" aria-label="{next}">&rarr;</button>
<button type="button" id="slide-fullscreen" aria-pressed="false" data-leave="{leave_full_screen}" hidden>{full_screen}</button>
</nav>
</body>
</html>
"""


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(text)


def _figure_html(figure: Figure, prefix: str, page: str = "", titles: dict[str, str] | None = None) -> str:
    from PIL import Image

    def size(name):
        with Image.open(prefix_dir / name) as im:
            return im.size

    prefix_dir = Path(prefix)
    width, height = size(figure.image)
    img = (f'<img src="../_images/{html.escape(figure.image)}" alt="{html.escape(figure.alt)}" '
           f'width="{width}" height="{height}" />')
    if figure.phone:
        pw, ph = size(figure.phone)
        img = (f'<picture><source media="(max-width: 600px)" srcset="../_images/{html.escape(figure.phone)} 2x" '
               f'width="{pw // 2}" height="{ph // 2}" />{img}</picture>')
    caption = ""
    if page:
        title = _chapter_parts(chapter_titles(titles).get(page.rsplit("/", 1)[-1]) or page)[0]
        link = f'<a href="../{html.escape(page)}.html">{html.escape(title)}</a>'
        caption = f'<figcaption>{ui("from_chapter").format(link)}</figcaption>'
    return f"<figure>{img}{caption}</figure>"


def load_spec(path: Path) -> dict:
    """Read the deck's source and check its shape (keys, one heading per slide)."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(spec, dict) or not isinstance(spec.get("slides"), list) or not spec["slides"]:
        raise SlidesError(f"{path}: needs a list 'slides'")
    for key in ("title", "lesson", "description"):
        if not str(spec.get(key) or "").strip():
            raise SlidesError(f"{path}: needs '{key}'")
    for n, slide in enumerate(spec["slides"], 1):
        if not isinstance(slide, dict) or not str(slide.get("heading") or "").strip():
            raise SlidesError(f"{path}, slide {n}: needs a 'heading'")
        unknown = set(slide) - _SLIDE_KEYS
        if unknown:
            raise SlidesError(f"{path}, slide {n}: unknown key(s) {', '.join(sorted(unknown))}; "
                              f"use {', '.join(sorted(_SLIDE_KEYS))}")
        figure = slide.get("figure")
        if figure is not None and not (isinstance(figure, dict) and figure.get("page") and figure.get("code")):
            raise SlidesError(f"{path}, slide {n}: a figure needs 'page' and 'code'")
        if slide.get("table") is not None and slide["table"] not in TABLES:
            raise SlidesError(f"{path}, slide {n}: unknown table {slide['table']!r}; use {', '.join(TABLES)}")
    return spec


def render(spec: dict, known: dict[str, str], stages: dict[str, str], figures: dict[tuple[str, str], Figure],
           images: str | Path, book: str, lang: str = "en", data: str | Path | None = None,
           titles: dict[str, str] | None = None) -> str:
    """The deck as one HTML page, its words in ``lang`` (:data:`UI`).

    ``known`` are the values (:func:`values`), ``stages`` the lesson's minutes
    (:func:`lesson_stages`), ``figures`` each slide figure's files, found by
    ``(page, code)``; ``images`` is the built site's ``_images`` folder;
    ``titles`` the chapters' titles as the edition's pages give them.
    """
    from durovbook import i18n

    lang = lang if lang in UI else "en"
    with i18n.using(lang):
        return _render(spec, known, stages, figures, images, book, lang, data, titles)


def _render(spec, known, stages, figures, images, book, lang, data, titles) -> str:
    slides = spec["slides"]
    count = len(slides)
    out = []
    for n, slide in enumerate(slides, 1):
        where = f"{SPEC}, slide {n}"
        level = "h1" if n == 1 else "h2"
        heading = fill(str(slide["heading"]).strip(), known, where)
        figure = slide.get("figure")
        parts = []
        if slide.get("stage"):
            stage = str(slide["stage"])
            if stage not in stages:
                raise SlidesError(f"{where}: the lesson has no stage {stage!r}; its stages: {', '.join(stages)}")
            parts.append(f'<p class="stage">{ui("minutes").format(html.escape(stages[stage]), html.escape(stage))}</p>')
        parts.append(f'<{level} id="slide-{n}-title">{heading}</{level}>')
        # Text, quotes and table in the order the slide lists them.
        body = []
        for key in slide:
            if key == "text":
                body.append(_markdown(fill(str(slide["text"] or ""), known, where)))
            elif key == "quotes":
                body += [quote(str(p), data) for p in slide["quotes"] or []]
            elif key == "table":
                body.append(TABLES[slide["table"]](data, titles))
        column = '<div class="slide-text">' + "\n".join(body) + "</div>"
        if figure:
            key = (str(figure["page"]), str(figure["code"]))
            if key not in figures:
                raise SlidesError(f"{where}: no figure drawn by a cell starting {key[1]!r} in {key[0]}")
            column += _figure_html(figures[key], str(images), key[0], titles)
        parts.append(f'<div class="slide-body">{column}</div>')
        parts.append(f'<p class="slide-number">{n} / {count}</p>')
        classes = "slide has-figure" if figure else "slide"
        out.append(f'<section class="{classes}" id="slide-{n}" aria-labelledby="slide-{n}-title">\n'
                   + "\n".join(parts) + "\n</section>")
    title = str(spec["title"]).strip()
    # Escaped, then filled (fill escapes the values), for an attribute.
    description = html.escape(re.sub(r"\s+", " ", str(spec["description"])).strip(), quote=False)
    description = fill(description, known, f"{SPEC}, description").replace('"', "&quot;")
    words = {key: html.escape(ui(key)) for key in ("lesson_plan", "controls", "previous", "next", "full_screen",
                                                   "leave_full_screen")}
    return _PAGE.format(lang=html.escape(lang), title=html.escape(ui("slides").format(title)),
                        description=description, deck=html.escape(ui("slides").format(title)),
                        book=html.escape(ui("book").format(book)), slides="\n".join(out), count=count,
                        css=STYLESHEET.read_text(encoding="utf-8"), **words)


def slide_figures(spec: dict, doctree_of, image_name) -> dict[tuple[str, str], Figure]:
    """Find each slide's figure in its chapter (``doctree_of(page)`` gives the chapter's doctree)."""
    found = {}
    for slide in spec["slides"]:
        figure = slide.get("figure")
        if not figure:
            continue
        key = (str(figure["page"]), str(figure["code"]))
        if key not in found:
            hit = figure_in(doctree_of(key[0]), key[1], image_name)
            if hit is not None:
                found[key] = hit
    return found


def write(outdir: Path, html_text: str) -> Path:
    """Write the deck and its assets into ``outdir/slides/``; return the page's path."""
    folder = Path(outdir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SCRIPT, folder / SCRIPT.name)
    page = folder / "index.html"
    page.write_text(html_text, encoding="utf-8")
    return page


# --------------------------------------------------------------------------- Sphinx

def build_deck(app) -> Path:
    """Write the deck of a finished HTML build (the chapters' figures are in ``_images/``)."""
    from bookbuild.phonefigures import png_info

    src, out = Path(app.srcdir), Path(app.outdir)
    spec = load_spec(src / SPEC)
    images = out / "_images"

    def image_name(uri):
        entry = app.env.images.get(uri)
        if entry is None or not (images / entry[1]).is_file():
            return None
        return entry[1], png_info(images / entry[1]) is not None

    figures = slide_figures(spec, app.env.get_doctree, image_name)
    stages = lesson_stages((src / LESSONS).read_text(encoding="utf-8"), str(spec["lesson"]))
    book = app.config.html_title or app.config.project
    lang = app.config.language or "en"
    # The chapters' titles as this edition's pages give them (the French ones in French).
    titles = {name: title.astext() for name, title in getattr(app.env, "titles", {}).items()
              if name.startswith("chapters/")}
    from durovbook import i18n

    with i18n.using(lang if lang in UI else "en"):
        known = values(titles=titles)
    page = render(spec, known, stages, figures, images, book, lang, titles=titles)
    return write(out, page)


def on_builder_inited(app):
    """Name the deck's page for the sitemap (bookbuild/seo.py), which is written before it."""
    if app.builder.format == "html" and not app.builder.name.startswith("epub") and (Path(app.srcdir) / SPEC).is_file():
        app.durov_extra_pages = sorted(set(getattr(app, "durov_extra_pages", [])) | {f"{FOLDER}/"})


def on_build_finished(app, exception):
    from sphinx.util import logging

    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    if not (Path(app.srcdir) / SPEC).is_file():
        return  # an edition without slides of its own (fr/ until fr/teacher/slides.yml exists)
    logger = logging.getLogger(__name__)
    try:
        path = build_deck(app)
    except (ValueError, KeyError, OSError) as error:  # SlidesError, DataError and the like
        logger.warning(f"slides: {error}")
        return
    logger.info(f"slides: wrote {path.relative_to(app.outdir)}")


def setup(app):
    app.connect("builder-inited", on_builder_inited)
    # Before bookbuild.cssbundle (950) reads the names every page uses, so that a
    # fresh build and a rebuild purge the same rules.
    app.connect("build-finished", on_build_finished, priority=800)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


def main() -> int:  # pragma: no cover - a report for editors
    for name, value in values().items():
        print(f"{name:<26} {value}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
