"""Reading the coverage: the claims data set and the rendering comparisons."""

from __future__ import annotations

import difflib
import re
import warnings
from html import escape

import matplotlib
import pandas as pd
import pytest
import yaml

from durovbook import DataError
from durovbook.coverage import (
    ARTICLES,
    METHOD_STEPS,
    VERDICT_MEANING,
    NOT_A_CLAIM,
    VERDICTS,
    agreement,
    asides,
    checked,
    agreement_scores,
    agreement_by_passage,
    claims_by,
    claims_table,
    comparable,
    differences,
    load_claims,
    plot_verdicts,
    verdict_counts,
    verdict_summary,
    verdict_table,
    verdicts_explained,
    word_diff,
)
from durovbook.passages import load_passages
from durovbook.paths import ROOT
from durovbook.sources import load_sources, split_keys

from bookbuild import myst

matplotlib.use("Agg")

SEED_FILES = {"seed000journalducoin": "000", "seed001liannews": "001"}


@pytest.fixture(scope="module")
def claims():
    return load_claims()


# --- the claims data set -----------------------------------------------------

def test_every_claim_has_a_verdict_evidence_and_a_known_source(claims):
    sources = load_sources(ROOT / "references.bib")
    assert len(claims) > 0
    assert claims["verdict"].isin(VERDICTS + [NOT_A_CLAIM]).all()
    assert claims["evidence"].str.len().gt(40).all(), "evidence must say what the sources show"
    for _, row in claims.iterrows():
        keys = split_keys(row["source"])
        assert keys, row["id"]
        assert all(k in sources for k in keys), row["id"]


def test_each_french_claim_occurs_verbatim_in_its_seed_article(claims, seeds):
    for _, row in claims.iterrows():
        text = seeds[SEED_FILES[row["article"]]]
        assert row["claim_fr"] in text, f"{row['id']}: claim_fr is not verbatim in seed {SEED_FILES[row['article']]}"


def test_a_claim_is_not_found_in_the_other_article(claims, seeds):
    # Guards against a claim filed under the wrong article.
    for _, row in claims.iterrows():
        other = "001" if SEED_FILES[row["article"]] == "000" else "000"
        if len(row["claim_fr"]) > 40:
            assert row["claim_fr"] not in seeds[other], row["id"]


def test_the_claims_the_issue_asks_for_are_covered(claims):
    text = " ".join(claims["claim_fr"])
    for needle in ["aéroport de Paris", "24 août", "12 chefs d’accusation", "inculpé", "5 millions d'euros",
                   "950 millions", "Russie", "Iran", "L'Inde, l'Indonésie et la Corée du Sud", "t.me/stopCA",
                   "Rumble", "licencié", "remplacement", "canal Telegram"]:
        assert needle in text, needle


def test_the_known_problems_get_the_expected_kind_of_verdict(claims):
    by_id = claims.set_index("id")
    licencie = by_id[by_id["claim_fr"].str.contains("licencié")]
    assert (licencie["verdict"] == "inaccurate").all() and (licencie["method_step"] == "translation").all()
    inculpe = by_id[by_id["claim_fr"].str.contains("inculpé")]
    assert (inculpe["verdict"] != "accurate").all()
    quote = by_id[by_id["claim_fr"].str.startswith("J’essaie encore")]
    assert (quote["method_step"] == "attribution").all() and (quote["verdict"] == "unverifiable").all()


def test_claims_linked_to_passages_match_their_rendering(claims):
    passages = load_passages().set_index("id")
    for _, row in claims[claims["passage_id"].notna()].iterrows():
        assert row["passage_id"] in passages.index
        if row["method_step"] == "translation":
            column = "fr_" + SEED_FILES[row["article"]]
            assert row["claim_fr"] in str(passages.loc[row["passage_id"], column]), row["id"]


@pytest.mark.parametrize("row_id, column, value, named, words", [
    ("jdc03", "verdict", "mostly true", None, "must be one of"),
    ("jdc01", "source", "", None, "must not be empty"),
    ("jdc04", "claim_en", "", None, "must not be empty"),
    ("jdc02", "source", "nosuchkey2024", None, "nosuchkey2024"),
    ("jdc01", "source", "seed000journalducoin", None, "only evidence for its own claim"),
    ("jdc01", "article", "seed001liannews", "id", "'abm'"),
    ("jdc01", "passage_id", "p99", None, "p99"),
    ("jdc04", "as_of", "25/11/2026", None, "YYYY-MM-DD"),
], ids=["unknown-verdict", "no-source", "no-translation", "unknown-source", "own-evidence",
        "id-against-article", "unknown-passage", "malformed-date"])
def test_a_broken_cell_names_file_row_and_column(data_copy, row_id, column, value, named, words):
    err = data_copy.broken(load_claims, "claims", row_id, column, value, named)
    assert words in err.rule


# --- counting and showing the verdicts ----------------------------------------

def test_verdict_counts_add_up_to_the_claims(claims):
    counts = verdict_counts(claims)
    assert list(counts.columns) == VERDICTS + ["total"]
    assert list(counts.index) == list(ARTICLES.values())
    assert counts["total"].sum() == len(checked(claims)) == len(claims) - len(asides(claims))
    for key, name in ARTICLES.items():
        own = claims[claims["article"] == key]
        for verdict in VERDICTS:
            assert counts.loc[name, verdict] == (own["verdict"] == verdict).sum()


def test_verdict_counts_keep_zero_columns():
    tiny = pd.DataFrame({"article": ["seed000journalducoin"], "verdict": ["accurate"]})
    counts = verdict_counts(tiny)
    assert counts.loc[ARTICLES["seed001liannews"], "total"] == 0
    assert counts.loc[ARTICLES["seed000journalducoin"], "inaccurate"] == 0


def test_wide_tables_can_be_scrolled_with_the_keyboard(claims):
    for out in (claims_table(claims), agreement_scores(), verdicts_explained(), verdict_table(claims)):
        assert 'tabindex="0"' in out.html and 'role="region"' in out.html
        label = re.search(r'aria-label="([^"]+)"', out.html).group(1)
        assert label != "Table" and f"<caption>{label}</caption>" in out.html


def test_verdict_table_shows_the_counts(claims):
    html = verdict_table(claims).html
    counts = verdict_counts(claims)
    for name in counts.index:
        assert name in html
    assert f"<td>{len(checked(claims)) - counts['total'].iloc[1]}</td>" in html


def test_verdict_summary_states_every_count(claims):
    sentence = str(verdict_summary(claims))
    assert sentence.startswith(f"Of {len(checked(claims))} claims")
    for verdict in VERDICTS:
        assert f"{(claims['verdict'] == verdict).sum()} {verdict}" in sentence


def test_the_advertisement_is_shown_apart_and_never_counted(claims):
    apart = asides(claims)
    assert list(apart["id"]) == ["jdc12"]
    assert "jdc12" not in set(checked(claims)["id"])
    assert verdict_counts(claims)["total"].sum() == verdict_counts(checked(claims))["total"].sum()
    assert list(claims_by(claims, verdict=NOT_A_CLAIM)["id"]) == ["jdc12"]
    tiny = pd.DataFrame({"article": ["seed000journalducoin"] * 2, "verdict": ["accurate", NOT_A_CLAIM]})
    assert verdict_counts(tiny).loc[ARTICLES["seed000journalducoin"], "total"] == 1


def test_claims_by_filters_and_refuses_unknown_values(claims):
    only = claims_by(claims, article="001", verdict="inaccurate")
    assert len(only) == ((claims["article"] == "seed001liannews") & (claims["verdict"] == "inaccurate")).sum()
    assert set(claims_by(claims, method_step="translation")["method_step"]) == {"translation"}
    assert len(claims_by(claims, article="seed000journalducoin")) == (claims["article"] == "seed000journalducoin").sum()
    for bad in ({"article": "002"}, {"verdict": "true"}, {"method_step": "vibes"}):
        with pytest.raises(ValueError):
            claims_by(claims, **bad)


def test_plot_verdicts_labels_each_segment_and_needs_no_colour(claims):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_verdicts(claims)
    ax = fig.axes[0]
    counts = verdict_counts(claims)
    labels = sorted(int(t.get_text()) for t in ax.texts)
    expected = sorted(int(v) for v in counts[VERDICTS].to_numpy().ravel() if v)
    assert labels == expected
    hatches = {p.get_hatch() for p in ax.patches}
    assert len(hatches) == len(VERDICTS), "each verdict needs its own hatch pattern"
    assert str(int(counts["accurate"].sum())) in ax.get_title()
    assert fig.get_facecolor()[3] == 1.0
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == VERDICTS
    matplotlib.pyplot.close(fig)


def test_claims_table_tags_the_french_and_names_the_outlets(claims):
    html = claims_table(claims).html
    assert html.count('<td lang="fr">') == len(claims)
    assert "Evidence (our words)" in html and "Libération" in html
    # Every French claim has our English beside it, in an untagged (English) cell.
    assert "Our translation" in html
    for english in claims["claim_en"]:
        assert f"<td>{escape(english)}</td>" in html
    short = claims_table(claims, evidence=False).html
    assert "Evidence" not in short and short.count("<tr>") == len(claims) + 1


def test_every_verdict_has_a_meaning():
    assert set(VERDICT_MEANING) == set(VERDICTS)
    html = verdicts_explained().html
    for verdict, meaning in VERDICT_MEANING.items():
        assert f"<td>{verdict}</td>" in html and meaning in html
    assert METHOD_STEPS[0] == "author" and "cross-check" in METHOD_STEPS


# --- comparing the two renderings --------------------------------------------

def test_comparable_passages_have_both_renderings():
    passages = load_passages().set_index("id")
    ids = comparable()
    assert ids, "at least one passage is rendered by both articles"
    for pid in ids:
        assert passages.loc[pid, ["fr_000", "fr_001"]].notna().all()
    assert len(ids) == passages[["fr_000", "fr_001"]].notna().all(axis=1).sum()


def test_agreement_is_the_word_level_difflib_ratio():
    passages = load_passages().set_index("id")
    for pid in comparable():
        a, b = passages.loc[pid, "fr_000"], passages.loc[pid, "fr_001"]
        norm = lambda t: [w.replace("’", "'").lower() for w in t.split()]  # noqa: E731
        expected = difflib.SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio()
        assert agreement(pid) == pytest.approx(expected)
        assert 0.0 < agreement(pid) < 1.0


def test_agreement_ignores_typesetting_but_not_words(data_copy):
    rows = data_copy.rows("passages")
    index = next(i for i, r in enumerate(rows) if r["fr_000"] and r["fr_001"])
    pid = rows[index]["id"]
    rows[index]["fr_001"] = rows[index]["fr_000"].replace("’", "'").upper()
    data_copy.write("passages", rows)
    assert agreement(pid, data_copy.folder) == 1.0
    assert differences(pid, data_copy.folder).empty
    rows[index]["fr_001"] = "Zzz qqq."
    data_copy.write("passages", rows)
    assert agreement(pid, data_copy.folder) == 0.0


def test_agreement_refuses_unknown_or_single_renderings():
    with pytest.raises(KeyError, match="p99"):
        agreement("p99")
    passages = load_passages()
    single = passages[passages["fr_000"].isna() & passages["fr_001"].notna()]["id"].iloc[0]
    with pytest.raises(ValueError, match="fr_000"):
        agreement(single)
    with pytest.raises(ValueError):
        word_diff(single)


def test_agreement_table_matches_agreement():
    frame = agreement_by_passage()
    html = agreement_scores().html
    assert "aria-label=" in html and html.count("<tr>") == len(frame) + 1
    assert list(frame["id"]) == comparable()
    for _, row in frame.iterrows():
        assert row["agreement"] == round(agreement(row["id"]), 2)
        assert row["words_000"] > 0 and row["words_001"] > 0


def test_differences_rebuild_each_rendering():
    passages = load_passages().set_index("id")
    diff = differences("p20")
    assert set(diff["change"]) <= {"replaced", "only_000", "only_001"}
    assert any("soudaine" in w for w in diff["seed_001"])
    assert any("brutale" in w for w in diff["seed_000"])
    # Every word that differs is a word of that rendering.
    for column, seed in (("seed_000", "fr_000"), ("seed_001", "fr_001")):
        for chunk in diff[column]:
            assert chunk in passages.loc["p20", seed]


def test_word_diff_is_accessible_french_html():
    html = word_diff("p20").html
    assert '<p lang="fr"' in html
    assert "<del" in html and "<ins" in html
    assert "only in Journal du Coin:" in html and "only in Lian News ABMedia:" in html  # text labels, not colour alone
    assert "brutale" in html and "soudaine" in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Struck through" in text and "Underlined" in text
    assert f"{agreement('p20'):.2f}" in text


def test_word_diff_escapes_html(data_copy):
    rows = data_copy.rows("passages")
    index = next(i for i, r in enumerate(rows) if r["fr_000"] and r["fr_001"])
    rows[index]["fr_001"] = rows[index]["fr_001"] + " <script>"
    data_copy.write("passages", rows)
    html = word_diff(rows[index]["id"], data_copy.folder).html
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- the chapter --------------------------------------------------------------

CHAPTER = ROOT / "chapters" / "coverage.md"


def image_alt(cell: myst.Directive) -> str | None:
    """The alt text a code cell gives its figure: ``mystnb: image: alt:`` of its options.

    As MyST-NB reads them: the leading ``:`` lines, each without its first
    ``:``, are one YAML mapping, so a quote or a colon inside the alt text, or
    a value folded over lines, reads as the build reads it.
    """
    lines = [line[1:] for line in cell.content[:len(cell.content) - len(cell.body)]]
    settings = yaml.safe_load("\n".join(lines)) or {}
    alt = ((settings.get("mystnb") or {}).get("image") or {}).get("alt")
    return str(alt) if alt else None


def test_image_alt_reads_the_cell_options_as_yaml():
    cell, = myst.directives('```{code-cell} ipython3\n:tags: [hide-input]\n:mystnb:\n:  image:\n'
                            ':    alt: \'A chart: 5 "accurate",\n:      4 misleading\'\nplot()\n```\n')
    assert image_alt(cell) == 'A chart: 5 "accurate", 4 misleading'
    assert image_alt(myst.directives("```{code-cell} ipython3\nplot()\n```\n")[0]) is None


@pytest.mark.skipif(not CHAPTER.exists(), reason="the chapter is not written yet")
def test_the_chart_alt_text_states_the_counts_in_the_data(claims):
    alts = [image_alt(cell) for cell in myst.walk(myst.directives(CHAPTER.read_text(encoding="utf-8")))
            if cell.name == "code-cell" and image_alt(cell)]
    chart = [a for a in alts if "stacked bar" in a.lower()]
    assert chart, "the verdict chart needs alt text"
    counts = verdict_counts(claims)
    for name in ARTICLES.values():
        outlet = name.split(" (")[0]
        assert outlet in chart[0]
        for verdict in VERDICTS:
            n = counts.loc[name, verdict]
            if n:
                assert f"{n} {verdict}" in chart[0], f"alt text lacks '{n} {verdict}' for {outlet}"

