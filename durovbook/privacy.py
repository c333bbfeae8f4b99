"""Privacy against security: what Telegram encrypts, what it discloses, what it removes.

Four small data sets sit behind the chapter "Privacy against security":

* ``encryption.csv``: which kinds of chat are end-to-end encrypted, and who
  holds the keys;
* ``policy_changes.csv``: the changes to Telegram's privacy policy and FAQ
  about handing data to the authorities;
* ``moderation_2024.csv``: the moderation figures Telegram published for 2024;
* ``government_requests.csv``: the requests for users' data that Telegram says
  it fulfilled, by country and period.

Every figure in the last two comes from Telegram itself and has not been
audited. The plotting functions say so in their titles, so that no chart can be
copied without the warning.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from .data import load, row_error
from .display import HTML, format_date, table
from .i18n import translatable, country_name, format_number, label, language, tr
from .style import CYCLE, HATCHES, PALETTE, figure

__all__ = [
    "SELF_REPORTED",
    "load_encryption",
    "readable_by_telegram",
    "encryption_table",
    "policy_table",
    "moderation_table",
    "requests_table",
    "readable_table",
    "country_totals_table",
    "load_policy_changes",
    "load_moderation",
    "latest_figures",
    "share_of_total",
    "plot_moderation",
    "load_government_requests",
    "requests_by_country",
    "remainder_of_period",
    "plot_government_requests",
    "quarterly_requests",
    "plot_requests_by_quarter",
    "quarterly_table",
    "plot_keys",
]

#: The caveat every chart and table of Telegram's own figures carries.
SELF_REPORTED = translatable("Self-reported by Telegram; not independently audited.")

#: Plain-English labels for the metrics of ``moderation_2024.csv``.
METRIC_LABELS = {
    "groups_channels_blocked": "All groups and channels blocked",
    "csam_groups_channels_blocked": "Groups and channels blocked for child sexual abuse material",
    "terrorist_communities_blocked": "Terrorism-related communities blocked",
    "terrorist_content_removed_with_etidal": "Pieces of terrorist content removed with ETIDAL",
    "groups_channels_blocked_on_peak_day": "Groups and channels blocked on the busiest day",
}


#: The bar labels of :func:`plot_moderation`, wrapped to fit beside the bars.
_WRAPPED = {
    "groups_channels_blocked": translatable("All groups and channels blocked"),
    "csam_groups_channels_blocked": translatable("Groups and channels blocked\nfor child sexual abuse material"),
    "terrorist_communities_blocked": translatable("Terrorism-related\n communities blocked"),
}

#: How the documents of ``policy_changes.csv`` are named on the page.
DOCUMENT_LABELS = {"privacy_policy": "Privacy Policy", "faq": "FAQ", "terms_of_service": "Terms of Service"}


def _quarter(day) -> str:
    day = pd.Timestamp(day)
    return tr("Q{n} {year}", n=(day.month - 1) // 3 + 1, year=day.year)


def _chat(encryption: pd.DataFrame, column: str) -> pd.Series:
    """``chat_type`` or ``participants`` in the book's language (``*_fr`` columns of ``encryption.csv``)."""
    return encryption[f"{column}_fr"] if language() == "fr" else encryption[column]


# --- What is encrypted --------------------------------------------------------


def load_encryption(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``encryption.csv``: one row per kind of chat or call.

    Besides the schema's checks, the row must be consistent: content that is
    end-to-end encrypted has its keys on the participants' ``devices``, and
    content that is not has its keys with ``telegram``.
    """
    rows = load("encryption", data)
    for index, row in rows.iterrows():
        expected = "devices" if bool(row["end_to_end"]) else "telegram"
        if row["keys_held_by"] != expected:
            raise row_error(
                "encryption", index, "keys_held_by",
                f"end_to_end is {str(bool(row['end_to_end'])).lower()}, so the keys must be held by '{expected}'", data,
            )
        if bool(row["end_to_end"]) and row["stored_in_telegram_cloud"] == "yes":
            raise row_error("encryption", index, "stored_in_telegram_cloud",
                            "end-to-end encrypted content cannot be readable in Telegram's cloud", data)
    return rows.reset_index(drop=True)


def _box(ax, x, y, text, holds_key, size=12):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - 0.21, y - 0.11), 0.42, 0.22, boxstyle="round,pad=0.02",
                                facecolor="#FFF3D6" if holds_key else "white", hatch="..." if holds_key else "",
                                edgecolor=PALETTE["orange"] if holds_key else "#333333",
                                linewidth=3 if holds_key else 1.2))
    ax.text(x, y + 0.03, text, ha="center", va="center", fontsize=size, fontweight="bold")
    ax.text(x, y - 0.06, "holds the keys" if holds_key else "no key", ha="center", va="center", fontsize=size - 1,
            color="#8A4B00" if holds_key else "#333333", backgroundcolor="white")


def plot_keys(encryption: pd.DataFrame, chats: tuple[str, str] = ("cloud_private_chat", "secret_chat")):
    """Two panels: who holds the decryption keys in each of two kinds of chat.

    Each panel draws the two people's devices and Telegram's servers, and
    marks as holding the keys those that the row's ``keys_held_by`` names
    (``telegram`` or ``devices``). Under each panel: whether the chat is end-to-end
    encrypted, stored in Telegram's cloud, and must be switched on. Side by side
    on a page; on a phone (``fig.phone``) one above the other. Returns the figure.
    """
    fig = _draw_keys(encryption, chats, phone=False)
    fig.phone = lambda: _draw_keys(encryption, chats, phone=True)
    return fig


def _draw_keys(encryption: pd.DataFrame, chats: tuple[str, str], phone: bool):
    rows = encryption.set_index("id")
    missing = [c for c in chats if c not in rows.index]
    if missing:
        raise KeyError(f"no row {', '.join(map(repr, missing))} in encryption.csv")
    if phone:
        fig, axes = figure(width=3.0, height=7.4, nrows=len(chats))
    else:
        fig, axes = figure(width=7.5, height=4.4, ncols=len(chats))
    size = 10 if phone else 12
    for ax, chat in zip(list(axes), chats):
        row = rows.loc[chat]
        holder = str(row["keys_held_by"])
        if holder not in ("telegram", "devices"):
            raise ValueError(f"encryption.csv, row {chat!r}: keys_held_by {holder!r} cannot be drawn")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        ax.plot([0.45, 0.55], [0.42, 0.42], color="#333333", linewidth=1.2, linestyle=":")
        _box(ax, 0.23, 0.42, tr("Your phone"), holder == "devices", size)
        _box(ax, 0.77, 0.42, tr("Friend's\nphone") if phone else tr("Friend's phone"), holder == "devices", size)
        _box(ax, 0.5, 0.78, "Telegram", holder == "telegram", size)
        chat_type = row["chat_type_fr"] if language() == "fr" else row["chat_type"]
        ax.set_title(textwrap.fill(str(chat_type), 30), loc="left", fontsize=size + 1)
        lines = [tr("End-to-end encrypted: {answer}", answer=_yes_no(row["end_to_end"])),
                 tr("Stored in Telegram's cloud: {answer}",
                    answer=label("encryption", "stored_in_telegram_cloud", row["stored_in_telegram_cloud"])),
                 tr("Must be switched on: {answer}", answer=_yes_no(row["opt_in"]))]
        ax.text(0.02, 0.2, "\n".join(lines), ha="left", va="top", fontsize=size - 0.5 if phone else 11,
                linespacing=1.5)
    fig.suptitle(tr("Who holds the keys?"), x=0.02, ha="left", fontweight="bold")
    return fig


def readable_by_telegram(encryption: pd.DataFrame) -> pd.DataFrame:
    """The kinds of chat whose content Telegram itself could decrypt.

    These are the chats that are not end-to-end encrypted: Telegram holds their
    keys. A column ``default`` says whether a user gets this kind of chat
    without choosing it.
    """
    out = encryption[~encryption["end_to_end"].astype(bool)].copy()
    out["default"] = ~out["opt_in"].astype(bool)
    return out[["id", "chat_type", "participants", "default", "keys_held_by"]].reset_index(drop=True)


# --- What the policy says --------------------------------------------------------


def load_policy_changes(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``policy_changes.csv``: one row per change, in date order.

    A change must quote at least one wording or describe a change whose text no
    source quotes; if both the old and new wordings are given they must differ,
    since a "change" that leaves the words as they were is a data error.
    """
    rows = load("policy_changes", data)
    for index, row in rows.iterrows():
        before, after = row["wording_before"], row["wording_after"]
        if not pd.isna(before) and not pd.isna(after) and str(before).strip() == str(after).strip():
            raise row_error("policy_changes", index, "wording_after",
                            "is the same as wording_before: a change must change the wording", data)
    return rows.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


# --- What Telegram says it removed ------------------------------------------------


def load_moderation(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``moderation_2024.csv``: Telegram's own moderation figures for 2024.

    Every row must be marked ``self_reported`` (true): the figures come from
    Telegram's moderation page and nobody outside Telegram has checked them.
    """
    rows = load("moderation_2024", data)
    for index, row in rows.iterrows():
        if not bool(row["self_reported"]):
            raise row_error("moderation_2024", index, "self_reported",
                            "must be true: every figure in this data set comes from Telegram itself", data)
    return rows.reset_index(drop=True)


def latest_figures(moderation: pd.DataFrame) -> pd.DataFrame:
    """Keep one figure per metric: the most recent one.

    Telegram's page showed running totals for the year, which only grow as the
    year goes on. Several reports of the same metric therefore differ, and the
    largest figure is the latest. Rounded ("about") and "at least" figures are
    used only where no exact figure exists.
    """
    ranked = moderation.assign(_exact=(moderation["value_kind"] == "exact").astype(int))
    ranked = ranked.sort_values(["metric", "_exact", "value"], ascending=[True, False, False], kind="stable")
    latest = ranked.drop_duplicates("metric", keep="first").drop(columns="_exact")
    latest = latest.assign(label=latest["metric"].map(lambda m: label("moderation_2024", "metric", m)))
    return latest.reset_index(drop=True)


def share_of_total(moderation: pd.DataFrame, metric: str, total: str = "groups_channels_blocked") -> float:
    """The share (0 to 1) of ``total`` that ``metric`` makes up, from the latest figures.

    For example, what part of all groups and channels blocked in 2024 were
    blocked for child sexual abuse material.
    """
    latest = latest_figures(moderation).set_index("metric")["value"]
    missing = [m for m in (metric, total) if m not in latest.index]
    if missing:
        raise KeyError(f"no figure for {', '.join(map(repr, missing))}; known metrics: {', '.join(latest.index)}")
    return float(latest[metric]) / float(latest[total])


def plot_moderation(moderation: pd.DataFrame):
    """Bar chart of Telegram's 2024 blocking figures, latest report of each.

    Shows the three counts of blocked groups, channels and communities on one
    scale, each bar labelled with its number. The title carries the
    self-reported caveat. Returns the ``Figure``.
    """
    metrics = ["groups_channels_blocked", "csam_groups_channels_blocked", "terrorist_communities_blocked"]
    latest = latest_figures(moderation).set_index("metric")
    present = [m for m in metrics if m in latest.index]
    if not present:
        raise ValueError("no blocking figures to plot")
    values = [int(latest.loc[m, "value"]) for m in present][::-1]
    labels = [tr(_WRAPPED[m]) for m in present][::-1]
    fig, ax = figure(width=8, height=3.8)
    colours = [PALETTE["blue"], PALETTE["vermillion"], PALETTE["orange"]][: len(values)][::-1]
    bars = ax.barh(labels, [v / 1e6 for v in values], color=colours, edgecolor="#333333")
    for bar, hatch in zip(bars, HATCHES[: len(bars)][::-1]):
        bar.set_hatch(hatch)
    for bar, value in zip(bars, values):
        ax.annotate(format_number(value), xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=10)
    ax.set_xlabel(tr("Million groups, channels or communities blocked in 2024\n{caveat}\n"
                     "Latest figures reported in December 2024.", caveat=tr(SELF_REPORTED)), fontsize=10)
    ax.set_xlim(0, max(values) / 1e6 * 1.25)
    ax.grid(axis="y", visible=False)
    if present[0] == "groups_channels_blocked":
        title = tr("Telegram says it blocked {millions} million groups and channels in 2024",
                   millions=format_number(values[-1] / 1e6, 1))
    else:
        title = tr("Telegram's blocking figures for 2024")
    ax.set_title(textwrap.fill(title, 52), loc="left")
    return fig


# --- What Telegram says it disclosed ----------------------------------------------


def load_government_requests(data: str | Path | None = None) -> pd.DataFrame:
    """Load ``government_requests.csv``: fulfilled data requests, by country and period.

    Rules the schema cannot express:

    * a period must not end before it starts;
    * a fulfilled request discloses at least one user, so ``users_affected``
      (where given) cannot be smaller than ``requests_fulfilled``;
    * for one country, a period cannot count fewer requests than the shorter
      periods inside it add up to.
    """
    rows = load("government_requests", data)
    for index, row in rows.iterrows():
        if row["period_end"] < row["period_start"]:
            raise row_error("government_requests", index, "period_end", "must not be before period_start", data)
        if not pd.isna(row["users_affected"]) and row["users_affected"] < row["requests_fulfilled"]:
            raise row_error("government_requests", index, "users_affected",
                            "cannot be smaller than requests_fulfilled: each request concerns at least one user", data)
    for index, row in rows.iterrows():
        inside = rows[(rows["country"] == row["country"]) & (rows.index != index)
                      & (rows["period_start"] >= row["period_start"]) & (rows["period_end"] <= row["period_end"])]
        if len(inside) and inside["requests_fulfilled"].sum() > row["requests_fulfilled"]:
            raise row_error("government_requests", index, "requests_fulfilled",
                            f"is smaller than the {int(inside['requests_fulfilled'].sum())} requests of the periods "
                            f"inside it ({', '.join(inside['id'])})", data)
    return rows.sort_values(["country", "period_start", "period_end"], kind="stable").reset_index(drop=True)


def _quarters(requests: pd.DataFrame) -> pd.DataFrame:
    length = (requests["period_end"] - requests["period_start"]).dt.days
    return requests[length < 100]


def requests_by_country(requests: pd.DataFrame, reported_via: str = "durov_post") -> pd.DataFrame:
    """Add up the quarterly figures of each country.

    By default it uses the figures Durov quoted on 2 October 2024
    (``reported_via="durov_post"``), which cover January to September 2024.
    Returns one row per country with the total, the number of quarters and the
    period covered.
    """
    rows = _quarters(requests[requests["reported_via"] == reported_via])
    if rows.empty:
        raise ValueError(f"no quarterly figures reported via {reported_via!r}")
    grouped = rows.groupby("country", sort=True).agg(
        requests_fulfilled=("requests_fulfilled", "sum"),
        quarters=("id", "count"),
        period_start=("period_start", "min"),
        period_end=("period_end", "max"),
    )
    grouped["requests_fulfilled"] = grouped["requests_fulfilled"].astype("int64")
    return grouped.reset_index()


def remainder_of_period(requests: pd.DataFrame, country: str) -> dict:
    """What the longest period of a country counts beyond the shorter periods inside it.

    For India, the full-year 2024 figure minus the three quarters Durov
    quoted gives the requests of October to December. Returns a dictionary
    with the whole period, the part counted in the shorter periods, and the
    remainder.
    """
    rows = requests[requests["country"] == country]
    if rows.empty:
        raise KeyError(f"no rows for country {country!r}; known: {', '.join(sorted(requests['country'].unique()))}")
    length = rows["period_end"] - rows["period_start"]
    whole = rows.loc[length.idxmax()]
    inside = rows[(rows["id"] != whole["id"]) & (rows["period_start"] >= whole["period_start"])
                  & (rows["period_end"] <= whole["period_end"])]
    counted = int(inside["requests_fulfilled"].sum())
    covered_to = inside["period_end"].max() if len(inside) else whole["period_start"] - pd.Timedelta(days=1)
    return {
        "country": country,
        "whole_period": (whole["period_start"].date().isoformat(), whole["period_end"].date().isoformat()),
        "whole": int(whole["requests_fulfilled"]),
        "counted_in_parts": counted,
        "remainder": int(whole["requests_fulfilled"]) - counted,
        "remainder_from": (covered_to + pd.Timedelta(days=1)).date().isoformat(),
    }


def plot_government_requests(requests: pd.DataFrame, countries: tuple[str, ...] = ("India", "Brazil")):
    """Grouped bars: requests fulfilled per quarter of 2024, for each country.

    Uses the quarterly figures Durov quoted on 2 October 2024. Each bar is
    labelled with its number, because India's bars dwarf Brazil's. The title
    carries the self-reported caveat. Returns the ``Figure``.
    """
    rows = _quarters(requests[(requests["reported_via"] == "durov_post") & requests["country"].isin(countries)])
    if rows.empty:
        raise ValueError(f"no quarterly figures for {', '.join(countries)}")
    quarters = sorted(rows["period_start"].unique())
    names = [_quarter(q) for q in quarters]
    fig, ax = figure(width=7.5, height=4.2)
    width = 0.8 / len(countries)
    for i, country in enumerate(countries):
        series = rows[rows["country"] == country].set_index("period_start")["requests_fulfilled"]
        xs = [k + (i - (len(countries) - 1) / 2) * width for k in range(len(quarters))]
        heights = [int(series.get(q, 0)) for q in quarters]
        bars = ax.bar(xs, heights, width=width, color=CYCLE[i], hatch=HATCHES[i], edgecolor="#333333",
                      label=country_name(country))
        for bar, h in zip(bars, heights):
            ax.annotate(format_number(h), xy=(bar.get_x() + bar.get_width() / 2, h), xytext=(0, 3),
                        textcoords="offset points", ha="center", fontsize=9)
    ax.set_xticks(range(len(quarters)), names)
    ax.set_ylabel(tr("Requests fulfilled"))
    ax.set_xlabel(tr("Quarter of 2024\n{caveat}\nFigures quoted by Durov on 2 October 2024.", caveat=tr(SELF_REPORTED)),
                  fontsize=10)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper right")
    ax.set_ylim(0, rows["requests_fulfilled"].max() * 1.18)
    totals = rows.groupby("country")["requests_fulfilled"].sum()
    if len(totals) == 2:
        big, small = totals.idxmax(), totals.idxmin()
        ratio = totals[big] / totals[small] if totals[small] else float("inf")
        title = tr("Telegram says it fulfilled about {ratio} times as many data requests from {big} as from {small}",
                   ratio=f"{ratio:.0f}", big=country_name(big), small=country_name(small))
    else:
        title = tr("Requests Telegram says it fulfilled, by quarter")
    ax.set_title(textwrap.fill(title, 52), loc="left")
    return fig


def quarterly_requests(requests: pd.DataFrame, countries: tuple[str, ...] = ("India", "Brazil")) -> pd.DataFrame:
    """The requests fulfilled in each quarter of 2024, the fourth quarter worked out by subtraction.

    The first three quarters are the figures Durov quoted; the fourth is the
    full-year figure of the transparency bot minus those three
    (:func:`remainder_of_period`), so it is our arithmetic, marked
    ``derived``. Returns one row per country and quarter: ``country``,
    ``quarter`` ("Q1 2024" ...), ``period_start``, ``period_end``,
    ``requests_fulfilled`` and ``derived``.
    """
    rows = []
    for country in countries:
        quarters = _quarters(requests[(requests["country"] == country) & (requests["reported_via"] == "durov_post")])
        if quarters.empty:
            raise ValueError(f"no quarterly figures for {country!r}")
        for _, row in quarters.sort_values("period_start").iterrows():
            rows.append({"country": country, "period_start": row["period_start"], "period_end": row["period_end"],
                         "requests_fulfilled": int(row["requests_fulfilled"]), "derived": False})
        rest = remainder_of_period(requests, country)
        start, end = pd.Timestamp(rest["remainder_from"]), pd.Timestamp(rest["whole_period"][1])
        if rest["counted_in_parts"] and start < end:
            rows.append({"country": country, "period_start": start, "period_end": end,
                         "requests_fulfilled": int(rest["remainder"]), "derived": True})
    frame = pd.DataFrame(rows)
    frame.insert(1, "quarter", [_quarter(d) for d in frame["period_start"]])
    return frame


def plot_requests_by_quarter(requests: pd.DataFrame, changes: pd.DataFrame,
                             change: str = "privacy_policy_2024_valid_orders",
                             countries: tuple[str, ...] = ("India", "Brazil")):
    """Bars of the requests fulfilled per quarter, one panel per country, with a policy change marked.

    The fourth quarter (worked out by subtraction, see :func:`quarterly_requests`)
    is hatched and labelled as our arithmetic. The dashed line is the date of
    the row ``change`` of ``policy_changes.csv``. Each panel has its own scale,
    because India's figures are many times Brazil's. Returns the ``Figure``.
    """
    rows = quarterly_requests(requests, countries)
    matched = changes[changes["id"] == change]
    if matched.empty:
        raise KeyError(f"no policy change with id {change!r}")
    day = matched["date"].iloc[0]
    fig, axes = figure(width=7.5, height=4.6, ncols=len(countries), sharex=True)
    for i, (ax, country) in enumerate(zip(list(axes), countries)):
        own = rows[rows["country"] == country]
        for _, row in own.iterrows():
            span = row["period_end"] - row["period_start"] + pd.Timedelta(days=1)
            ax.bar(row["period_start"] + span * 0.1, row["requests_fulfilled"], width=span * 0.8, align="edge",
                   color="white" if row["derived"] else CYCLE[i], hatch="///" if row["derived"] else "",
                   edgecolor=CYCLE[i], linewidth=1.5)
            ax.annotate(format_number(row["requests_fulfilled"]), xy=(row["period_start"] + span / 2, row["requests_fulfilled"]),
                        xytext=(0, 3), textcoords="offset points", ha="center", fontsize=10)
        ax.axvline(day, color=PALETTE["vermillion"], linestyle="--", linewidth=1.5)
        ax.set_ylim(0, own["requests_fulfilled"].max() * 1.3)
        ax.annotate(tr("New policy\n{date}", date=format_date(day)), xy=(day, 0.97), xycoords=("data", "axes fraction"),
                    xytext=(-4, 0), textcoords="offset points", ha="right", va="top", fontsize=10,
                    color=PALETTE["vermillion"], backgroundcolor="white")
        ax.set_title(country_name(country), loc="left")
        ax.set_xticks([r["period_start"] + (r["period_end"] - r["period_start"]) / 2 for _, r in own.iterrows()],
                      [q.split()[0] for q in own["quarter"]])
        ax.grid(axis="x", visible=False)
    for ax in axes:
        axes[0].set_ylabel(tr("Requests fulfilled"))
    fig.suptitle(tr("Data requests Telegram says it fulfilled, per quarter of 2024"), x=0.02, ha="left",
                 fontweight="bold")
    fig.supxlabel(tr("Q4 (hatched) = full year minus Q1 to Q3: our arithmetic.\n{caveat}", caveat=tr(SELF_REPORTED)),
                  fontsize=10)
    return fig


def quarterly_table(requests: pd.DataFrame, countries: tuple[str, ...] = ("India", "Brazil")) -> HTML:
    """The figures of :func:`plot_requests_by_quarter`, as a table."""
    rows = quarterly_requests(requests, countries)
    shown = rows.assign(requests_fulfilled=rows["requests_fulfilled"].map(format_number),
                        derived=rows["derived"].map({True: tr("Full year minus Q1 to Q3 (our arithmetic)"),
                                                     False: tr("Quoted by Durov, 2 Oct 2024")}),
                        country=rows["country"].map(country_name))
    return table(shown, {"country": tr("Country"), "quarter": tr("Quarter"), "requests_fulfilled": tr("Requests fulfilled"),
                         "derived": tr("Figure from")},
                 caption=tr("Requests fulfilled per quarter. {caveat}", caveat=tr(SELF_REPORTED)))


# --- Tables for the page ------------------------------------------------------------


def _yes_no(value) -> str:
    return tr("yes") if bool(value) else tr("no")


def encryption_table(encryption: pd.DataFrame) -> HTML:
    """Show ``encryption.csv`` as a table, with yes/no instead of true/false."""
    shown = encryption.assign(
        end_to_end=encryption["end_to_end"].map(_yes_no),
        opt_in=encryption["opt_in"].map(_yes_no),
        keys_held_by=encryption["keys_held_by"].map(lambda v: label("encryption", "keys_held_by", v)),
        stored_in_telegram_cloud=encryption["stored_in_telegram_cloud"].map(
            lambda v: label("encryption", "stored_in_telegram_cloud", v)),
        confidence=encryption["confidence"].map(lambda v: label("encryption", "confidence", v)),
        chat_type=_chat(encryption, "chat_type"),
        participants=_chat(encryption, "participants"),
    )
    return table(shown, {
        "chat_type": tr("Kind of chat"),
        "participants": tr("Participants"),
        "end_to_end": tr("End-to-end encrypted"),
        "opt_in": tr("Must be chosen by hand"),
        "stored_in_telegram_cloud": tr("Kept in Telegram's cloud"),
        "keys_held_by": tr("Keys held by"),
        "confidence": tr("Confidence"),
    }, caption=tr("What Telegram encrypts end to end, by kind of chat (sources: Telegram's FAQ; M. Green, 2024)"))


def policy_table(changes: pd.DataFrame) -> HTML:
    """Show ``policy_changes.csv`` as a table: date, document, change, old and new wording."""
    shown = changes.assign(document=changes["document"].map(lambda v: label("policy_changes", "document", v)))
    # The wordings are quoted from Telegram's English documents; our summary of
    # each change is in French in the French edition (change_fr, through table()).
    lang = {"wording_before": "en", "wording_after": "en"}
    return table(shown, {
        "date": tr("Date"),
        "document": tr("Document"),
        "change": tr("What changed (our words)"),
        "wording_before": tr("Wording before"),
        "wording_after": tr("Wording after"),
    }, caption=tr("Changes to what Telegram says it discloses or handles"), lang=lang)


def moderation_table(moderation: pd.DataFrame) -> HTML:
    """Show every reported moderation figure, with its date and relay, captioned as self-reported."""
    shown = moderation.assign(
        label=moderation["metric"].map(lambda m: label("moderation_2024", "metric", m)),
        figure=[(tr("about ") if k == "about" else tr("more than ") if k == "at_least" else "") + format_number(v)
                for v, k in zip(moderation["value"], moderation["value_kind"])],
        reported_on=[format_date(d, p) for d, p in zip(moderation["reported_on"], moderation["date_precision"])],
    )
    return table(shown, {
        "label": tr("What was counted"),
        "period": tr("Period"),
        "figure": tr("Figure"),
        "reported_on": tr("Reported"),
        "reported_by": tr("Published by"),
    }, caption=tr("Telegram's moderation figures for 2024. {caveat}", caveat=tr(SELF_REPORTED)),
        lang={"reported_by": "en"} if language() != "en" else None)


def requests_table(requests: pd.DataFrame) -> HTML:
    """Show the fulfilled data requests, captioned as self-reported."""
    shown = requests.assign(
        users_affected=requests["users_affected"].map(lambda v: "" if pd.isna(v) else format_number(v)),
        requests_fulfilled=requests["requests_fulfilled"].map(format_number),
        reported_via=requests["reported_via"].map({"durov_post": tr("Durov's post, 2 Oct 2024"),
                                                   "transparency_bot": tr("Transparency bot, read by the press")}),
        country=requests["country"].map(country_name),
        confidence=requests["confidence"].map(lambda v: label("government_requests", "confidence", v)),
    )
    return table(shown, {
        "country": tr("Country"),
        "period_start": tr("From"),
        "period_end": tr("To"),
        "requests_fulfilled": tr("Requests fulfilled"),
        "users_affected": tr("Users affected"),
        "reported_via": tr("Figure from"),
        "confidence": tr("Confidence"),
    }, caption=tr("Requests for IP addresses and phone numbers that Telegram says it fulfilled. {caveat}",
                  caveat=tr(SELF_REPORTED)))


def readable_table(encryption: pd.DataFrame) -> HTML:
    """Show the kinds of chat whose content Telegram could decrypt (see :func:`readable_by_telegram`)."""
    readable = readable_by_telegram(encryption)
    if language() == "fr":
        french = encryption.set_index("id")
        readable = readable.assign(chat_type=readable["id"].map(french["chat_type_fr"]),
                                   participants=readable["id"].map(french["participants_fr"]))
    return table(readable, {"chat_type": tr("Kind of chat"), "participants": tr("Participants")},
                 caption=tr("Kinds of chat whose keys Telegram holds"))


def country_totals_table(requests: pd.DataFrame) -> HTML:
    """Show :func:`requests_by_country`: the quarters Durov quoted, added up by country."""
    totals = requests_by_country(requests)
    totals = totals.assign(requests_fulfilled=totals["requests_fulfilled"].map(format_number),
                           country=totals["country"].map(country_name))
    return table(totals, {"country": tr("Country"), "requests_fulfilled": tr("Requests fulfilled"),
                          "quarters": tr("Quarters"), "period_start": tr("From"), "period_end": tr("To")},
                 caption=tr("Durov's quarterly figures for 2024, added up. {caveat}", caveat=tr(SELF_REPORTED)))
