"""The French edition's package side: labels of the data's categories, dates,
numbers, the French catalogues, and each chapter module's figures and tables
in both languages."""

from __future__ import annotations

import json

import pytest

from durovbook import i18n
from durovbook.paths import ROOT

SCHEMAS = ROOT / "data" / "schemas"

#: Categories a module derives from the data (not a column of a CSV file), with their values.
def _derived() -> dict[tuple[str, str], list[str]]:
    from durovbook import bans

    return {("bans", "status"): list(bans.STATUSES)}


def _categorical() -> dict[tuple[str, str], list[str]]:
    """Every field whose values are a fixed list: the schemas' enums, and the derived categories."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    found = {}
    for resource in package["resources"]:
        if resource["name"] == "labels":
            continue
        schema = json.loads((ROOT / "data" / resource["schema"]).read_text(encoding="utf-8"))
        for field in schema["fields"]:
            values = field.get("constraints", {}).get("enum")
            if values:
                found[(resource["name"], field["name"])] = [v for v in values if v != ""]
    return found | _derived()


# --- labels ---------------------------------------------------------------------

def test_every_value_of_every_categorical_field_has_a_label():
    labels = i18n.labels()
    missing = [f"{d}.{f} = {v!r}" for (d, f), values in _categorical().items() for v in values
               if (d, f, v) not in labels]
    assert not missing, "no row in data/labels.csv for: " + "; ".join(missing)


def test_no_label_for_a_value_the_data_cannot_take():
    categorical = _categorical()
    stale = [key for key in i18n.labels() if key[2] not in categorical.get(key[:2], [])]
    assert not stale, stale


def test_every_value_in_the_data_has_a_label():
    from durovbook import load

    for (dataset, field), _values in _categorical().items():
        if (dataset, field) in _derived():
            continue
        for value in load(dataset)[field].dropna().unique():
            assert i18n.label(dataset, field, value)  # raises LabelMissing when absent


def test_label_in_both_languages():
    assert i18n.label("verdicts", "verdict", "partly-supported", "en") == "Partly supported"
    assert i18n.label("verdicts", "verdict", "partly-supported", "fr") == "Partiellement confirmé"
    assert i18n.label("charges", "category", "refusal to cooperate with lawful interception", "fr") == \
        "refus de coopérer aux interceptions légales"
    with i18n.using("fr"):
        assert i18n.label("bans", "status", "blocked") == "bloqué"
        assert i18n.label_map("policy_changes", "document")["terms_of_service"] == "Conditions d'utilisation"
    with i18n.using("en"):
        assert i18n.label("case_events", "kind", "procedure") == "Step of the French case"


def test_a_missing_label_raises_naming_data_set_field_and_value():
    with pytest.raises(i18n.LabelMissing) as caught:
        i18n.label("bans", "scope", "sideways", "fr")
    message = str(caught.value)
    assert "labels.csv" in message and "'bans'" in message and "'scope'" in message and "'sideways'" in message
    with pytest.raises(i18n.LabelMissing):
        i18n.label("nosuchdata", "verdict", "supported", "en")


def test_a_label_removed_from_the_file_is_missing(data_copy):
    rows = [r for r in data_copy.rows("labels") if not (r["dataset"] == "verdicts" and r["value"] == "contradicted")]
    data_copy.write("labels", rows)
    assert i18n.label("verdicts", "verdict", "supported", "fr", data=data_copy.folder) == "Confirmé"
    with pytest.raises(i18n.LabelMissing, match="contradicted"):
        i18n.label("verdicts", "verdict", "contradicted", "fr", data=data_copy.folder)


def test_labels_csv_is_checked_against_its_schema(data_copy):
    from durovbook import DataError, load

    rows = data_copy.rows("labels")
    rows[0]["fr"] = ""
    data_copy.write("labels", rows)
    with pytest.raises(DataError, match=r"labels\.csv, row 2, column 'fr'"):
        load("labels", data_copy.folder)


# --- dates and numbers ----------------------------------------------------------

@pytest.mark.parametrize("lang, short, long, month, first", [
    ("en", "5 Sep 2024", "5 September 2024", "Sep 2024", "1 August 2024"),
    ("fr", "5 sept. 2024", "5 septembre 2024", "sept. 2024", "1er août 2024"),
])
def test_dates_in_both_languages(lang, short, long, month, first):
    assert i18n.format_date("2024-09-05", lang=lang) == short
    assert i18n.format_date("2024-09-05", long=True, lang=lang) == long
    assert i18n.format_date("2024-09-01", "month", lang=lang) == month
    assert i18n.format_date("2024-08-01", long=True, lang=lang) == first
    assert i18n.format_date("2024-09-05", "year", lang=lang) == "2024"
    assert i18n.format_date(None, lang=lang) == ""


def test_numbers_in_both_languages():
    nn = i18n.NNBSP
    assert i18n.format_number(1234.5, 1, "en") == "1,234.5"
    assert i18n.format_number(1234.5, 1, "fr") == f"1{nn}234,5"
    assert i18n.format_percent(1.5, lang="en") == "1.5%"
    assert i18n.format_percent(1.5, lang="fr") == f"1,5{nn}%"
    assert i18n.format_millions(950, lang="en") == "950 million"
    assert i18n.format_millions(950, lang="fr") == "950 millions"
    assert i18n.format_millions(1, lang="fr") == "1 million"


def test_axis_formatters_write_french_months_and_numbers():
    import matplotlib.dates as mdates

    x = mdates.date2num(__import__("pandas").Timestamp("2024-09-05"))
    with i18n.using("fr"):
        assert i18n.axis_date_formatter()(x, 0) == "sept.\n2024"
        assert i18n.axis_number_formatter(1)(1234.5, 0) == f"1{i18n.NNBSP}234,5"
    with i18n.using("en"):
        assert i18n.axis_date_formatter()(x, 0) == "Sep\n2024"


def test_tr_given_translates_a_caller_s_english_keeps_a_translation_and_refuses_the_unknown():
    with i18n.using("fr"):
        assert i18n.tr_given("Category") == "Catégorie"
        assert i18n.tr_given("Catégorie") == "Catégorie"
        assert i18n.tr_given(None) is None
        with pytest.raises(i18n.TranslationMissing, match="Not a text of the book"):
            i18n.tr_given("Not a text of the book")
    assert i18n.tr_given("Not a text of the book", "en") == "Not a text of the book"


# --- the catalogues -----------------------------------------------------------

def _tr_literals() -> dict[str, str]:
    """Every English text the package passes to tr() or translatable(), as a literal, with where it is."""
    import ast

    found = {}
    for path in sorted((ROOT / "durovbook").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("tr", "translatable"):
                continue
            first = node.args[0]
            for part in ([first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.setdefault(part.value, f"durovbook/{path.name}, line {node.lineno}")
    return found


def _cell_literals() -> dict[str, str]:
    """The English texts the pages' code cells pass to the package for a reader: columns' labels and captions.

    The cells are the same in both editions, so the French edition translates
    them from the catalogue (:func:`durovbook.i18n.tr_given`): the values of
    the dict a cell passes to ``table``, and every ``caption=`` or ``title=``.
    """
    import ast

    from bookbuild import myst, toc

    found = {}
    pages = [ROOT / (p if p.endswith(".md") else p + ".md") for p in toc.pages()] if hasattr(toc, "pages") else []
    pages = pages or sorted(ROOT.glob("*.md")) + sorted((ROOT / "chapters").glob("*.md")) + \
        sorted((ROOT / "handouts").glob("*.md")) + sorted((ROOT / "teacher").glob("*.md"))
    for page in pages:
        if not page.exists():
            continue
        for directive in myst.walk(myst.directives(page.read_text(encoding="utf-8"))):
            if directive.name != "code-cell":
                continue
            code = "\n".join(line for line in directive.body if not line.startswith(":"))
            try:
                tree = ast.parse(code)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                texts = [k.value for k in node.keywords if k.arg in ("caption", "title")]
                if getattr(node.func, "id", None) == "table" and len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
                    texts += node.args[1].values
                for text in texts:
                    if isinstance(text, ast.Constant) and isinstance(text.value, str):
                        found.setdefault(text.value, page.relative_to(ROOT).as_posix())
    return found


def test_every_text_the_package_writes_has_a_french_entry():
    catalogue = i18n.catalogue("fr")
    missing = [f"{where}: {text!r}" for text, where in (_tr_literals() | _cell_literals()).items() if text not in catalogue]
    assert not missing, "add these to a file of durovbook/locale/fr/:\n" + "\n".join(missing)


def test_every_french_entry_is_used():
    used = set(_tr_literals()) | set(_cell_literals())
    unused = sorted(set(i18n.catalogue("fr")) - used)
    assert not unused, f"durovbook/locale/fr/ translates texts nothing writes (remove them): {unused}"


def test_a_missing_translation_raises_in_french_and_not_in_english():
    assert i18n.tr("No such text {n}", "en", n=2) == "No such text 2"
    with pytest.raises(i18n.TranslationMissing, match="No such text"):
        i18n.tr("No such text {n}", "fr", n=2)


def test_every_module_has_its_own_catalogue_file():
    files = {p.stem for p in (ROOT / "durovbook" / "locale" / "fr").glob("*.csv")}
    modules = {where.split("/")[1].split(".py")[0] for where in _tr_literals().values()}
    assert modules - {"i18n"} <= files | {"common"}, sorted(modules - files)


# --- glued numbers ---------------------------------------------------------------

_GLUE = r"\{glue(?::\w+)?\}`([^`]+)`"


def test_glue_decimals_follow_the_english_chapter():
    import re

    from durovbook.users import GLUE_DECIMALS

    text = (ROOT / "chapters" / "users.md").read_text(encoding="utf-8")
    for role in re.findall(_GLUE, text):
        key, _, spec = role.partition(":")
        decimals = int(re.search(r"\.(\d+)f$", spec).group(1)) if spec else 0
        assert GLUE_DECIMALS.get(key, 0) == decimals, f"{key}: the English chapter writes {spec!r}"


def test_in_french_the_numbers_are_glued_as_french_text_and_in_english_as_floats():
    from durovbook.users import glue_numbers

    for lang, expected in (("en", {"users_doubling_2014_2018": 3.94, "users_last_millions": 1000.0}),
                           ("fr", {"users_doubling_2014_2018": "3,9", "users_last_millions": f"1{i18n.NNBSP}000"})):
        glued = {}
        with i18n.using(lang):
            glue_numbers({"users_doubling_2014_2018": 3.94, "users_last_millions": 1000},
                         glue=lambda name, value, display: glued.__setitem__(name, value))
        assert glued == expected


def test_myst_nb_shows_a_french_glued_text_as_it_is_without_a_format_spec():
    """myst-nb reads a glued value's text/plain back with literal_eval, then applies the role's spec."""
    from myst_nb.core.variables import format_plain_text

    assert format_plain_text(repr("3,9"), "s") == "3,9"          # {glue:text}`key` (no spec means "s")
    assert format_plain_text(repr(f"1{i18n.NNBSP}000"), "s") == f"1{i18n.NNBSP}000"
    with pytest.raises(ValueError):
        format_plain_text(repr("3,9"), ".1f")                    # a spec ending in f cannot take French


def test_the_french_users_chapter_quotes_glued_numbers_without_a_format_spec():
    import re

    path = ROOT / "fr" / "chapters" / "users.md"
    if not path.exists():
        pytest.skip("fr/chapters/users.md does not exist yet")
    with_spec = [role for role in re.findall(_GLUE, path.read_text(encoding="utf-8")) if ":" in role]
    assert not with_spec, f"fr/chapters/users.md: write these without a format spec (the value is French text): {with_spec}"


# --- each chapter module's figures and tables, in both languages -----------------

def _texts(fig) -> list[str]:
    from matplotlib.text import Text

    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def _headers(html) -> list[str]:
    import re

    import html as escape

    return [escape.unescape(h) for h in re.findall(r'<th scope="col">([^<]*)</th>', html.html)]


def _close(fig):
    import matplotlib.pyplot as plt

    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_case_timeline_and_table(lang):
    from durovbook.case import load_case_events, plot_days, plot_timeline, timeline_table

    with i18n.using(lang):
        events = load_case_events()
        timeline, days = plot_timeline(events), plot_days(events, "2024-08-23", "2024-08-29")
        texts, day_texts = _texts(timeline), _texts(days)
        headers = _headers(timeline_table(events))
    _close(timeline), _close(days)
    if lang == "fr":
        assert "Étape de l'affaire française" in texts and "Garde à vue au Bourget" in texts
        assert "oct.\n2024" in texts and "4 jours" in day_texts and "sam.\n24 août" in day_texts
        assert "Déclaration, 5 sept. 2024" in texts
        assert headers == ["Date", "Ce qui s'est passé", "Qui a agi", "Certitude"]
    else:
        assert "Step of the French case" in texts and "Oct\n2024" in texts and "4 days" in day_texts
        assert "Sat\n24 Aug" in day_texts and "Statement, 5 Sep 2024" in texts
        assert headers == ["Date", "What happened", "Who acted", "Confidence"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_users_figure_and_tables(lang):
    from durovbook.users import dsa_table, load_dsa, load_users, plot_users, steps_table, users_table

    with i18n.using(lang):
        users = load_users()
        fig = plot_users(users)
        texts = _texts(fig)
        headers, steps, dsa = _headers(users_table(users)), steps_table(users).html, _headers(dsa_table(load_dsa()))
    _close(fig)
    if lang == "fr":
        assert "Date de l'annonce" in texts and "Utilisateurs annoncés" in texts
        assert any(t.startswith("Utilisateurs annoncés : de 35 millions (2014) à plus de 1 milliard") for t in texts), texts
        assert "« utilisateurs actifs mensuels » (confirmé)" in texts
        assert headers == ["Annoncé le", "Millions", "Mesure annoncée", "Par", "Où", "Certitude"]
        assert "Temps de doublement (années)" in steps and "<td>65,4</td>" in steps
        assert "Comment lire le nombre" in dsa
    else:
        assert "Date of the announcement" in texts and '"monthly active users" (confirmed)' in texts
        assert any(t.startswith("Announced users: 35 million (2014) to over 1 billion") for t in texts), texts
        assert headers == ["Announced", "Millions", "Metric as announced", "By", "Where", "Confidence"]
        assert "<td>65.4</td>" in steps


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_charges_figures_and_tables(lang):
    from durovbook.charges import (load_charges, load_procedure, penalty_table, plot_by_category, plot_procedure,
                                   procedure_table, side_by_side)
    from durovbook.case import load_case_events

    with i18n.using(lang):
        charges, events = load_charges(), load_case_events()
        bars, flow = plot_by_category(charges), plot_procedure(load_procedure(), events)
        bar_texts, flow_texts = _texts(bars), _texts(flow)
        sides, penalty = _headers(side_by_side(charges)), _headers(penalty_table(charges))
        stages = _headers(procedure_table(load_procedure(), events))
    _close(bars), _close(flow)
    if lang == "fr":
        assert "Infractions du communiqué du 26 août 2024" in bar_texts
        assert "Complicité d'infractions liées à des contenus ou à des actes" in bar_texts
        assert "La procédure française, étape par étape" in flow_texts
        assert sides == ["N°", "Le texte du communiqué", "Catégorie (notre classement)"]
        assert penalty[:3] == ["N°", "Infraction", "Prison maximale (années)"]
        assert stages == ["Étape", "Qui agit", "À ne pas confondre avec", "L'affaire Durov"]
    else:
        assert "Offences in the communiqué of 26 Aug 2024" in bar_texts
        assert "The French procedure, step by step" in flow_texts
        assert sides == ["No.", "The communiqué's wording (French)", "Our English rendering", "Category (ours)"]
        assert stages == ["Stage (French)", "In English (ours)", "Who acts", "Not the same as", "Durov's case"]


def test_a_chapter_s_own_table_call_is_french_in_french():
    """A cell's own labels, caption and category codes (chapters/charges.md) come out in French."""
    from durovbook import table
    from durovbook.charges import charges_by_category, load_charges

    call = lambda: table(charges_by_category(load_charges()),  # noqa: E731
                         {"category": "Category", "offences": "Offences", "share_percent": "Share (%)"},
                         caption="The newest event in the data")
    with i18n.using("fr"):
        html = call().html
    assert _headers(call()) == ["Category", "Offences", "Share (%)"]
    assert "<th scope=\"col\">Catégorie</th>" in html and "L&#x27;événement le plus récent des données" in html
    assert "refus de coopérer aux interceptions légales" in html and "<td>8,3</td>" in html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_passages_and_whole_statement(lang):
    from durovbook import passage, renderings
    from durovbook.statement_whole import statement_handout, whole_statement

    with i18n.using(lang):
        one, french_only, table_ = passage("p01").html, passage("p04").html, renderings("p20").html
        whole, handout = whole_statement().html, statement_handout().html
    assert '<blockquote lang="en"' in one
    if lang == "fr":
        assert "texte original, publié par" in one and "Version française publiée par" in one
        assert "Our translation" not in french_only and "This is surprising" not in french_only
        assert "Texte original (anglais)" in table_ and "Our translation" not in table_
        assert "Texte original, publié par" in whole and "Our translation" not in whole
        assert "verdict : " in whole and "La déclaration en anglais" in handout and "our translation" not in handout
    else:
        assert "the English original, as reproduced by" in one and "Our translation" in french_only
        assert "English original" in table_ and "As reproduced by" in whole and "(our translation)" in handout


def test_verdict_counts_and_key_in_french():
    from durovbook.verdicts import verdict_counts, verdict_key

    with i18n.using("fr"):
        assert list(verdict_counts()["verdict"])[:2] == ["Confirmé", "Partiellement confirmé"]
        assert "Les sources le confirment." in verdict_key().html
    with i18n.using("en"):
        assert list(verdict_counts()["verdict"])[0] == "Supported"
