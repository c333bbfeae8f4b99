"""Reading the coverage: how two French articles reported Durov's statement.

Two tools live here.

* **Comparing translations.** ``passages.csv`` holds, for each passage of the
  statement, the French of seed article 000 (*Journal du Coin*) and of seed
  article 001 (*Lian News ABMedia*). :func:`agreement` scores how closely the
  two renderings agree, :func:`differences` lists the words that differ and
  :func:`word_diff` shows them inline, in HTML that a screen reader can follow.
* **Checking claims.** ``claims.csv`` holds every checkable factual claim of
  the two articles, with a verdict, the evidence and its sources.
  :func:`load_claims` validates it, :func:`verdict_counts` counts the verdicts
  and :func:`plot_verdicts` draws them.
"""

from __future__ import annotations

import difflib
import html
import unicodedata
from pathlib import Path

import pandas as pd

from . import style
from .data import load, row_error
from .display import HTML, table
from .i18n import translatable, format_number, label, language, tr
from .passages import RENDERINGS, load_passages, passage_row
from .paths import bib_path, data_dir
from .sources import load_sources, split_keys

#: What the chapter "Reading the coverage" imports with ``from durovbook.coverage import *``.
__all__ = [
    "ARTICLES", "METHOD_STEPS", "VERDICTS", "VERDICT_MEANING",
    "agreement", "agreement_by_passage", "agreement_scores", "claims_by", "claims_table", "comparable",
    "differences", "load_claims", "plot_verdicts", "verdict_counts", "verdict_summary", "verdict_table",
    "verdicts_explained", "word_diff",
]

#: The verdicts, from best to worst, in the order tables and charts use.
VERDICTS = ["accurate", "misleading", "inaccurate", "unverifiable"]

#: What each verdict means, in a sentence a student can quote.
VERDICT_MEANING = {
    "accurate": translatable("The sources support the claim."),
    "misleading": translatable("Partly true, but worded or framed so that a reader is misled."),
    "inaccurate": translatable("The sources contradict the claim."),
    "unverifiable": translatable("No source we found can confirm or refute it."),
}

#: The mark of a row that the method examines but that makes no claim about the
#: story (an outlet's advertisement for itself): shown apart, never counted.
NOT_A_CLAIM = "not a claim"

#: The steps of the checking method, in the order the chapter teaches them.
METHOD_STEPS = ["author", "translation", "attribution", "dates", "cross-check"]

#: Short names of the two seed articles, used in tables and charts.
ARTICLES = {
    "seed000journalducoin": "Journal du Coin",
    "seed001liannews": "Lian News ABMedia",
}

# Colour, hatch and label together: a verdict never depends on colour alone.
_VERDICT_STYLE = {
    "accurate": (style.PALETTE["blue"], ""),
    "misleading": (style.PALETTE["orange"], "///"),
    "inaccurate": (style.PALETTE["vermillion"], "xxx"),
    "unverifiable": (style.PALETTE["grey"], "..."),
}

# Typographic variants that are a matter of the outlet's typesetting, not of
# translation: curly and straight apostrophes, dashes, non-breaking spaces.
_NORMALISE = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "\u00a0": " ", "\u202f": " "})
_HIDDEN = ("position:absolute;width:1px;height:1px;overflow:hidden;"
           "clip:rect(0 0 0 0);white-space:nowrap")


# --- comparing the two French renderings ------------------------------------

def _words(text: str) -> list[str]:
    """Split a rendering into words, keeping punctuation attached as written."""
    return str(text).split()


def _key(word: str) -> str:
    """What two words must share to count as the same word."""
    return unicodedata.normalize("NFC", word).translate(_NORMALISE).lower()


def _renderings(passage_id: str, data: str | Path | None = None) -> tuple[str, str]:
    row = passage_row(passage_id, data)
    texts = [row[column] for column in RENDERINGS]
    if any(pd.isna(text) for text in texts):
        missing = [c for c, t in zip(RENDERINGS, texts) if pd.isna(t)]
        raise ValueError(
            f"passage {passage_id} has no rendering in {', '.join(missing)}: "
            "only passages that both seed articles render can be compared"
        )
    return str(texts[0]), str(texts[1])


def _matcher(first: list[str], second: list[str]) -> difflib.SequenceMatcher:
    # autojunk=False: short passages must not have frequent words discarded.
    return difflib.SequenceMatcher(None, [_key(w) for w in first], [_key(w) for w in second], autojunk=False)


def agreement(passage_id: str, data: str | Path | None = None) -> float:
    """Score how closely the two French renderings of a passage agree.

    The score is :class:`difflib.SequenceMatcher`'s ratio computed on words:
    twice the number of words the two renderings share, in the same order,
    divided by the total number of words. 1.0 means the same words; 0.0 means
    no word in common. Differences of typesetting only (curly or straight
    apostrophes, capital letters) are ignored.

    Raises ``KeyError`` for an unknown passage and ``ValueError`` when only one
    seed article renders the passage.
    """
    first, second = _renderings(passage_id, data)
    return _matcher(_words(first), _words(second)).ratio()


def comparable(data: str | Path | None = None) -> list[str]:
    """The ids of the passages that both seed articles render, in order."""
    passages = load_passages(data)
    both = passages[passages[list(RENDERINGS)].notna().all(axis=1)]
    return list(both["id"])


def agreement_by_passage(data: str | Path | None = None) -> pd.DataFrame:
    """One row per passage rendered by both articles, with its agreement score.

    Columns: ``id``, ``topic``, ``words_000`` and ``words_001`` (the length of
    each rendering in words) and ``agreement`` (see :func:`agreement`),
    rounded to two decimals, in the order of the statement.
    """
    passages = load_passages(data).set_index("id")
    rows = []
    for pid in comparable(data):
        first, second = _renderings(pid, data)
        rows.append({
            "id": pid,
            "topic": passages.loc[pid, "topic"],
            "words_000": len(_words(first)),
            "words_001": len(_words(second)),
            "agreement": round(_matcher(_words(first), _words(second)).ratio(), 2),
        })
    return pd.DataFrame(rows, columns=["id", "topic", "words_000", "words_001", "agreement"])


def agreement_scores(data: str | Path | None = None) -> HTML:
    """Show :func:`agreement_by_passage` as an accessible table, with readable headings."""
    return table(
        agreement_by_passage(data),
        {"id": tr("Passage"), "topic": tr("Topic"), "words_000": tr("Words (Journal du Coin)"),
         "words_001": tr("Words (Lian News ABMedia)"), "agreement": tr("Agreement score")},
        tr("How closely the two French renderings agree, passage by passage"),
    )


def differences(passage_id: str, data: str | Path | None = None) -> pd.DataFrame:
    """List the stretches of words where the two renderings differ.

    One row per difference: ``change`` is ``replaced`` (each article has its
    own words), ``only_000`` (words only seed 000 has) or ``only_001``;
    ``seed_000`` and ``seed_001`` hold the words as each article printed them.
    """
    first, second = map(_words, _renderings(passage_id, data))
    names = {"replace": "replaced", "delete": "only_000", "insert": "only_001"}
    rows = [
        {"change": names[tag], "seed_000": " ".join(first[i1:i2]), "seed_001": " ".join(second[j1:j2])}
        for tag, i1, i2, j1, j2 in _matcher(first, second).get_opcodes()
        if tag != "equal"
    ]
    return pd.DataFrame(rows, columns=["change", "seed_000", "seed_001"])


def _label(text: str) -> str:
    # Read aloud by screen readers, invisible on screen, in the page's language
    # (inside the French passage, so it says which language it is in).
    return f'<span lang="{language()}" style="{_HIDDEN}">{html.escape(tr(text))}</span>'


def word_diff(passage_id: str, data: str | Path | None = None) -> HTML:
    """Show the two French renderings of a passage merged, word by word.

    Words both articles use are plain. Words only *Journal du Coin* (seed 000)
    uses are struck through (``<del>``); words only *Lian News ABMedia* (seed
    001) uses are underlined (``<ins>``). Each change also carries a text
    label, hidden on screen but read by screen readers, so the difference never
    rests on colour or line style alone. The French carries ``lang="fr"``.
    """
    first, second = map(_words, _renderings(passage_id, data))
    parts = []
    for tag, i1, i2, j1, j2 in _matcher(first, second).get_opcodes():
        old, new = html.escape(" ".join(first[i1:i2])), html.escape(" ".join(second[j1:j2]))
        if tag == "equal":
            parts.append(old)
            continue
        if old:
            parts.append(f'<del style="background:#fde0cf;color:#1a1a1a">{_label(translatable("[only in Journal du Coin:]"))} {old}</del>')
        if new:
            parts.append(f'<ins style="background:#d6eaf8;color:#1a1a1a">{_label(translatable("[only in Lian News ABMedia:]"))} {new}</ins>')
        parts.append(_label(translatable("[end of change]")))
    score = agreement(passage_id, data)
    return HTML(
        f'<div class="durov-diff" id="diff-{html.escape(passage_id)}" style="margin:1em 0">'
        f'<p lang="fr" style="line-height:1.8;margin:0">{" ".join(parts)}</p>'
        f'<p style="font-size:0.9em;margin:0.4em 0 0 0">'
        + tr("Passage {id}. <del>Struck through</del>: only in <cite>Journal du Coin</cite>. "
             "<ins>Underlined</ins>: only in <cite>Lian News ABMedia</cite>. Agreement score: {score}.",
             id=html.escape(passage_id), score=format_number(score, 2))
        + "</p></div>"
    )


# --- checking the claims -----------------------------------------------------

def load_claims(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``claims.csv``: one row per checkable claim of the seed articles.

    Besides the schema's checks (verdicts, method steps and sources), a claim's
    id must match its article (``jdc`` for seed 000, ``abm`` for seed 001), a
    ``passage_id`` must name a passage of ``passages.csv``, and a claim that
    quotes the statement must not cite only the seed article itself as
    evidence, unless it is about the article (``author``).
    """
    claims = load("claims", data)
    passage_ids = set(load_passages(data)["id"])
    prefixes = {"seed000journalducoin": "jdc", "seed001liannews": "abm"}
    for index, row in claims.iterrows():
        if not str(row["id"]).startswith(prefixes[str(row["article"])]):
            raise row_error("claims", index, "id",
                            f"a claim of {row['article']} needs an id starting with '{prefixes[str(row['article'])]}'", data)
        if not pd.isna(row["passage_id"]) and row["passage_id"] not in passage_ids:
            raise row_error("claims", index, "passage_id",
                            f"no passage {row['passage_id']!r} in passages.csv", data)
        keys = set(split_keys(row["source"]))
        if row["method_step"] != "author" and keys <= {row["article"]}:
            raise row_error("claims", index, "source",
                            "an article cannot be the only evidence for its own claim", data)
    return claims.reset_index(drop=True)


def checked(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims about the story: every row except those marked :data:`NOT_A_CLAIM`."""
    return claims[claims["verdict"] != NOT_A_CLAIM].reset_index(drop=True)


def asides(claims: pd.DataFrame) -> pd.DataFrame:
    """The rows that make no claim about the story (:data:`NOT_A_CLAIM`), shown apart."""
    return claims[claims["verdict"] == NOT_A_CLAIM].reset_index(drop=True)


def claims_by(claims: pd.DataFrame, article: str | None = None, verdict: str | None = None,
              method_step: str | None = None) -> pd.DataFrame:
    """Keep the claims of one article, one verdict and/or one method step.

    ``article`` may be the BibTeX key or just ``"000"`` / ``"001"``. Unknown
    values raise ``ValueError`` rather than silently returning nothing.
    """
    out = claims
    if article is not None:
        keys = [k for k in ARTICLES if k == article or k.startswith(f"seed{article}")]
        if not keys:
            raise ValueError(f"unknown article {article!r}; use '000', '001' or one of {', '.join(ARTICLES)}")
        out = out[out["article"] == keys[0]]
    if verdict is not None:
        if verdict not in VERDICTS + [NOT_A_CLAIM]:
            raise ValueError(f"unknown verdict {verdict!r}; use one of {', '.join(VERDICTS + [NOT_A_CLAIM])}")
        out = out[out["verdict"] == verdict]
    if method_step is not None:
        if method_step not in METHOD_STEPS:
            raise ValueError(f"unknown method step {method_step!r}; use one of {', '.join(METHOD_STEPS)}")
        out = out[out["method_step"] == method_step]
    return out.reset_index(drop=True)


def verdict_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Count the verdicts for each article (rows marked :data:`NOT_A_CLAIM` are left out).

    Returns a table with one row per article (named as in :data:`ARTICLES`),
    one column per verdict (in the order of :data:`VERDICTS`, zeros included)
    and a ``total`` column.
    """
    claims = checked(claims)
    counts = pd.crosstab(claims["article"].astype(str), claims["verdict"].astype(str))
    counts = counts.reindex(index=list(ARTICLES), columns=VERDICTS, fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts.index = [ARTICLES[k] for k in counts.index]
    counts.index.name = "article"
    counts.columns.name = None
    return counts.astype(int)


def verdict_table(claims: pd.DataFrame) -> HTML:
    """Show :func:`verdict_counts` as an accessible table."""
    frame = verdict_counts(claims).reset_index()
    columns = {"article": tr("article"), **{v: label("claims", "verdict", v) for v in VERDICTS}, "total": tr("total")}
    return table(frame, columns, tr("Verdicts on the claims checked in each of the two French articles"))


def verdict_summary(claims: pd.DataFrame) -> HTML:
    """Say in one sentence how many claims got each verdict, over both articles.

    Returns HTML (a paragraph) that a notebook shows as text; ``str()`` of it
    is the plain sentence. Rows marked :data:`NOT_A_CLAIM` are left out.
    """
    claims = checked(claims)
    totals = claims["verdict"].value_counts()
    parts = [tr("{count} {verdict}", count=int(totals.get(v, 0)), verdict=label("claims", "verdict", v)) for v in VERDICTS]
    sentence = tr("Of {n} claims checked in the two articles: {parts} and {last}.",
                  n=len(claims), parts=", ".join(parts[:-1]), last=parts[-1])
    return HTML(f"<p><strong>{html.escape(sentence)}</strong></p>")


def plot_verdicts(claims: pd.DataFrame):
    """Draw the verdicts of each article as horizontal stacked bars.

    Each verdict has its own colour *and* hatch pattern, and every segment is
    labelled with its count, so the chart reads in greyscale too. Returns the
    ``Figure``; it neither saves nor shows it. Rows marked
    :data:`NOT_A_CLAIM` are left out.
    """
    claims = checked(claims)
    counts = verdict_counts(claims)
    fig, ax = style.figure(width=7.5, height=3.2)
    left = pd.Series(0, index=counts.index)
    for verdict in VERDICTS:
        colour, hatch = _VERDICT_STYLE[verdict]
        values = counts[verdict]
        bars = ax.barh(counts.index, values, left=left, color=colour, hatch=hatch,
                       edgecolor="white", linewidth=1, label=label("claims", "verdict", verdict))
        for bar, value in zip(bars, values):
            if value:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(value),
                        ha="center", va="center", fontsize=11, fontweight="bold", color="black",
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
        left = left + values
    ax.invert_yaxis()
    ax.set_axisbelow(True)
    ax.set_xlabel(tr("Number of claims checked"))
    ax.set_xlim(0, max(int(counts["total"].max()), 1) + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    accurate = int(counts["accurate"].sum())
    ax.set_title(tr("{accurate} of {n} checked claims are accurate", accurate=accurate, n=len(claims)))
    fig.legend(ncols=len(VERDICTS), loc="outside lower center", frameon=False)
    return fig


def verdicts_explained() -> HTML:
    """Show the four verdicts and what each one means, as a table."""
    frame = pd.DataFrame([(label("claims", "verdict", v), tr(m)) for v, m in VERDICT_MEANING.items()],
                         columns=["verdict", "meaning"])
    return table(frame, {"verdict": tr("Verdict"), "meaning": tr("What it means")}, tr("The four verdicts"))


def claims_table(claims: pd.DataFrame, evidence: bool = True, data: str | Path | None = None) -> HTML:
    """Show claims as an accessible table; the French claim is tagged ``lang="fr"``.

    Each French claim sits beside our English translation of it (``claim_en``),
    headed "Our translation". With ``evidence=True`` the table adds our
    evidence and the outlets behind each verdict (their full references are in
    the bibliography).
    """
    frame = claims.copy()
    frame["outlet"] = frame["article"].map(lambda k: ARTICLES[str(k)].split(" (")[0])
    frame["verdict"] = frame["verdict"].map(lambda v: label("claims", "verdict", v))
    columns = {"id": tr("Id"), "outlet": tr("Article"), "claim_fr": tr("Claim as published"),
               "claim_en": tr("Our translation"), "verdict": tr("Verdict")}
    french = language() == "fr"
    if french:
        # The French edition reads the claims as the articles published them.
        del columns["claim_en"]
    if evidence:
        sources = load_sources(bib_path(data_dir(data)))
        frame["outlets"] = frame["source"].map(
            lambda cell: "; ".join(dict.fromkeys(sources[k].outlet for k in split_keys(cell))))
        columns["evidence"] = tr("Evidence (our words)")
        columns["outlets"] = tr("Sources")
    # In French the evidence is evidence_fr (our translation, through table()).
    lang = {"claim_fr": "fr"}
    return table(frame, columns, tr("Claims checked, with their verdicts"), lang=lang)
