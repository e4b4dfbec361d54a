"""Chart builders for modules 1 (what the Special Procedures are) and 2 (how they help).

Every builder is a pure function: it takes a table from ``data/`` (a pandas
DataFrame as ``course.data.load`` returns it) and a language, and returns a plotly
``go.Figure`` whose title, axis labels, legend and source line are in that
language. Numbers come only from the tables, never from this file.

* ``sp_facts_2024`` (A/HRC/58/70): :func:`holders_by_gender`, :func:`holders_by_region`,
  :func:`communications_and_replies`, :func:`reports_by_destination`;
* ``thematic_reports_2024`` (A/HRC/58/70, paras. 16-26): :func:`thematic_reports_by_theme`;
* ``mandate_resolutions`` (HRC voting records): :func:`resolutions_by_year`,
  :func:`recorded_votes`, :func:`vote_summary`.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..chart_widget import SOURCE_ANNOTATION, labels_above_bars, use_course_charts
from ..i18n import N_, join, normalise_lang, t
from ..plotly_config import hide_plotly_logo

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "Helvetica Neue", Arial, sans-serif'
)
BLUE, ORANGE, GREEN, GREY, PURPLE = "#1f5f8b", "#c8702a", "#4d8f5f", "#9aa3ad", "#7b4f9e"
HRC_VOTING_NOTICE = "Copyright © 2026 Łukasz Szoszkiewicz — https://github.com/lszoszk/hrc-voting"
"""Required notice of the data set ``mandate_resolutions`` is derived from."""

REGIONS = (
    ("holders_region_africa_pct", N_("plots.region.africa")),
    ("holders_region_asia_pacific_pct", N_("plots.region.asia_pacific")),
    ("holders_region_eastern_europe_pct", N_("plots.region.eastern_europe")),
    ("holders_region_latin_america_caribbean_pct", N_("plots.region.latin_america_caribbean")),
    ("holders_region_weog_pct", N_("plots.region.weog")),
)
GENDERS = (
    ("holders_women_pct", N_("plots.gender.women")),
    ("holders_men_pct", N_("plots.gender.men")),
)
VOTE_TYPES = (
    ("without_vote", N_("plots.vote.without_vote"), BLUE),
    ("recorded", N_("plots.vote.recorded"), ORANGE),
    ("other", N_("plots.vote.other"), GREY),
)
KINDS = (("thematic", N_("plots.kind.thematic")), ("country", N_("plots.kind.country")))
SHORT_MANDATE_NAMES = {
    "foreign-debt": N_("plots.mandate.foreign_debt"),
    "international-solidarity": N_("plots.mandate.international_solidarity"),
    "mercenaries": N_("plots.mandate.mercenaries"),
    "freedom-of-expression": N_("plots.mandate.freedom_of_expression"),
    "democratic-international-order": N_("plots.mandate.democratic_international_order"),
    "sexual-orientation-gender-identity": N_("plots.mandate.sogi"),
    "climate-change": N_("plots.mandate.climate_change"),
    "peasants": N_("plots.mandate.peasants"),
}
"""Short axis labels for mandates that appear in recorded votes; others fall back to their full name."""


hide_plotly_logo()
use_course_charts()  # fig.show() draws a course Chart (course.chart_widget)


class ChartDataError(ValueError):
    """A table lacks a column or a figure a chart needs; the message names it."""


# --------------------------------------------------------------------------- helpers

def fact(facts: pd.DataFrame, metric_id: str) -> float:
    """The value of one metric of ``sp_facts_2024``; raises if absent, repeated or not a number."""
    _require(facts, ("metric_id", "value"), "sp_facts_2024")
    rows = facts.loc[facts["metric_id"] == metric_id, "value"]
    if len(rows) != 1:
        raise ChartDataError(f"sp_facts_2024 has {len(rows)} rows for {metric_id!r}, expected 1")
    value = pd.to_numeric(rows.iloc[0], errors="coerce")
    if pd.isna(value):
        raise ChartDataError(f"sp_facts_2024 value of {metric_id!r} is not a number")
    return float(value)


def _require(table: pd.DataFrame, columns, name: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ChartDataError(f"{name} must be a pandas DataFrame")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ChartDataError(f"{name} lacks column(s) {missing}")


def _number(value: float, lang: str) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _layout(fig: go.Figure, lang: str, title: str, source: str, *, height: int = 420,
            x_title: str = "", y_title: str = "", legend: bool = True, top: int = 70) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT_FAMILY, "size": 13, "color": "#222"},
        height=height, template="plotly_white", showlegend=legend,
        margin={"l": 20, "r": 30, "t": top, "b": 120},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "title": {"text": ""}},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        meta={"lang": lang},  # the Chart widget's status line speaks the figure's language
    )
    fig.update_xaxes(title_text=x_title, automargin=True)
    fig.update_yaxes(title_text=y_title, automargin=True)
    fig.add_annotation(text=source, name=SOURCE_ANNOTATION, xref="paper", yref="paper", x=0, y=0, yshift=-62,
                       xanchor="left", yanchor="top", showarrow=False, align="left",
                       font={"size": 11, "color": "#555"})
    return fig


# --------------------------------------------------------------------------- module 1

def holders_by_gender(facts: pd.DataFrame, lang: str) -> go.Figure:
    """Share of serving mandate holders who are women and men (A/HRC/58/70, para. 3)."""
    lang = normalise_lang(lang)
    labels = [t(key, lang) for _, key in GENDERS]
    values = [fact(facts, metric) for metric, _ in GENDERS]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h", marker_color=[PURPLE, BLUE],
        text=[f"{_number(v, lang)}%" for v in values], textposition="auto",
        hovertemplate="%{y}: %{x}%<extra></extra>",
    ))
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, lang, t("plots.gender.title", lang), t("plots.source.para3", lang),
                   height=330, x_title=t("plots.axis.share_of_holders", lang), legend=False)


def holders_by_region(facts: pd.DataFrame, lang: str) -> go.Figure:
    """Where mandate holders come from, by UN regional group (A/HRC/58/70, para. 4)."""
    lang = normalise_lang(lang)
    labels = [t(key, lang) for _, key in REGIONS]
    values = [fact(facts, metric) for metric, _ in REGIONS]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h", marker_color=BLUE,
        text=[f"{_number(v, lang)}%" for v in values], textposition="auto",
        hovertemplate="%{y}: %{x}%<extra></extra>",
    ))
    fig.update_xaxes(range=[0, max(values) * 1.15], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    _layout(fig, lang, t("plots.region.title", lang), t("plots.source.para4", lang),
            height=380, x_title=t("plots.axis.share_of_holders", lang), legend=False)
    fig.update_layout(meta={"lang": lang, "narrow": labels_above_bars(fig)})
    return fig


def communications_and_replies(facts: pd.DataFrame, lang: str) -> go.Figure:
    """Communications sent in 2024, how many were joint, and the replies to them (para. 8)."""
    lang = normalise_lang(lang)
    sent = fact(facts, "communications_sent")
    joint = fact(facts, "communications_joint")
    replies = fact(facts, "replies_to_year_communications")
    substantive = fact(facts, "replies_to_year_communications_substantive")
    rate = fact(facts, "response_rate_pct")
    groups = [t("plots.comms.group_sent", lang), t("plots.comms.group_replies", lang)]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name=t("plots.comms.all", lang), x=groups, y=[sent, replies], marker_color=BLUE,
        text=[_number(sent, lang), _number(replies, lang)], textposition="outside",
        hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
    ))
    fig.add_trace(go.Bar(
        name=t("plots.comms.subset", lang), x=groups, y=[joint, substantive], marker_color=ORANGE,
        text=[_number(joint, lang), _number(substantive, lang)], textposition="outside",
        customdata=[t("plots.comms.joint", lang), t("plots.comms.substantive", lang)],
        hovertemplate="%{customdata}: %{y}<extra></extra>",
    ))
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, sent * 1.18])
    title = t("plots.comms.title", lang, rate=_number(rate, lang))
    return _layout(fig, lang, title, t("plots.source.para8", lang), height=440,
                   y_title=t("plots.axis.count", lang))


def reports_by_destination(facts: pd.DataFrame, lang: str) -> go.Figure:
    """Reports presented in 2024: to the Council (country-visit reports apart) and to the GA (para. 14)."""
    lang = normalise_lang(lang)
    to_hrc = fact(facts, "reports_to_hrc")
    visits = fact(facts, "reports_country_visit")
    to_ga = fact(facts, "reports_to_ga")
    total = fact(facts, "reports_total")
    if visits > to_hrc:
        raise ChartDataError("country-visit reports exceed reports to the Council")
    places = [t("plots.reports.hrc", lang), t("plots.reports.ga", lang)]
    fig = go.Figure()
    fig.add_trace(go.Bar(name=t("plots.reports.visit", lang), x=places, y=[visits, 0],
                         marker_color=ORANGE, text=[_number(visits, lang), ""], textposition="inside",
                         hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>"))
    fig.add_trace(go.Bar(name=t("plots.reports.other", lang), x=places, y=[to_hrc - visits, to_ga],
                         marker_color=BLUE,
                         text=[_number(to_hrc - visits, lang), ""], textposition="inside",
                         hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>"))
    for place, value in zip(places, (to_hrc, to_ga)):
        fig.add_annotation(x=place, y=value, text=f"<b>{_number(value, lang)}</b>", showarrow=False,
                           yshift=12)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(range=[0, to_hrc * 1.15])
    title = t("plots.reports.title", lang, total=_number(total, lang))
    return _layout(fig, lang, title, t("plots.source.para14", lang), height=420,
                   y_title=t("plots.axis.reports", lang))


def thematic_reports_by_theme(reports: pd.DataFrame, lang: str) -> go.Figure:
    """Reports the 2024 overview cites for each theme it highlights (A/HRC/58/70, paras. 16-26).

    Counts distinct document symbols per theme, in the report's paragraph order.
    """
    lang = normalise_lang(lang)
    label = f"theme_{lang}"
    _require(reports, ("paragraph", "theme_id", label, "symbol"), "thematic_reports_2024")
    counts = (reports.groupby(["paragraph", "theme_id", label], sort=True)["symbol"].nunique()
              .reset_index().sort_values("paragraph"))
    if counts.empty:
        raise ChartDataError("thematic_reports_2024 has no rows")
    paragraph_word = t("plots.themes.paragraph", lang)
    fig = go.Figure(go.Bar(
        x=counts["symbol"].tolist(), y=counts[label].tolist(), orientation="h", marker_color=GREEN,
        text=counts["symbol"].tolist(), textposition="auto", textangle=0,
        customdata=[paragraph_word.format(n=int(p)) for p in counts["paragraph"]],
        hovertemplate="%{y} (%{customdata}): %{x}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    _layout(fig, lang, t("plots.themes.title", lang), t("plots.source.themes", lang),
            height=460, x_title=t("plots.axis.reports_cited", lang), legend=False)
    fig.update_layout(meta={"lang": lang, "narrow": labels_above_bars(fig)})
    return fig


# --------------------------------------------------------------------------- module 2

def _resolutions(resolutions: pd.DataFrame) -> pd.DataFrame:
    _require(resolutions, ("symbol", "year", "mandate_id", "kind", "vote_type", "yes", "no", "abstain"),
             "mandate_resolutions")
    table = resolutions.copy()
    table["vote_type"] = table["vote_type"].where(table["vote_type"].isin(["without_vote", "recorded"]),
                                                  "other")
    return table


def resolutions_by_year(resolutions: pd.DataFrame, lang: str) -> go.Figure:
    """Council resolutions naming a mandate, per year, stacked by how they were adopted."""
    lang = normalise_lang(lang)
    table = _resolutions(resolutions)
    years = list(range(int(table["year"].min()), int(table["year"].max()) + 1))
    counts = table.groupby(["year", "vote_type"]).size().unstack(fill_value=0).reindex(years, fill_value=0)
    fig = go.Figure()
    for vote_type, key, colour in VOTE_TYPES:
        if vote_type not in counts.columns:
            continue
        fig.add_trace(go.Bar(name=t(key, lang), x=years, y=counts[vote_type].tolist(), marker_color=colour,
                             hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=2, tickformat="d")
    title = t("plots.resolutions.title", lang, total=len(table),
              recorded=int((table["vote_type"] == "recorded").sum()))
    return _layout(fig, lang, title, t("plots.source.voting", lang, notice=HRC_VOTING_NOTICE), height=440,
                   x_title=t("plots.axis.year", lang), y_title=t("plots.axis.resolutions", lang))


def _short_mandate(mandate_id: str, names: dict[str, str], lang: str) -> str:
    if mandate_id in SHORT_MANDATE_NAMES:
        return t(SHORT_MANDATE_NAMES[mandate_id], lang)
    name = names.get(mandate_id, mandate_id)
    return name if len(name) <= 38 else name[:36] + "…"


def recorded_votes(resolutions: pd.DataFrame, lang: str, mandates: pd.DataFrame | None = None) -> go.Figure:
    """Every resolution adopted by recorded vote: yes against no plus abstentions, with the margin.

    ``mandates`` (the ``mandates`` table) supplies the mandate names in ``lang``;
    without it the mandate ids are shown.
    """
    lang = normalise_lang(lang)
    table = _resolutions(resolutions)
    voted = table[table["vote_type"] == "recorded"].copy()
    if voted.empty:
        raise ChartDataError("mandate_resolutions has no recorded votes")
    for column in ("yes", "no", "abstain"):
        voted[column] = pd.to_numeric(voted[column], errors="coerce").fillna(0).astype(int)
    voted = voted.sort_values(["kind", "year", "symbol"], ascending=[False, True, True])
    names: dict[str, str] = {}
    if mandates is not None:
        _require(mandates, ("mandate_id", "name_en", "name_zh"), "mandates")
        names = dict(zip(mandates["mandate_id"], mandates[f"name_{lang}"].fillna(mandates["name_en"])))
    kind_names = {kind: t(key, lang) for kind, key in KINDS}
    labels = [f"{int(r.year)} · {_short_mandate(r.mandate_id, names, lang)}" for r in voted.itertuples()]
    # The same label twice would merge bars: add the symbol where that happens.
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[i] = f"{label} ({voted['symbol'].iloc[i]})"
    hover = [f"{r.symbol}<br>{names.get(r.mandate_id, r.mandate_id)}<br>{kind_names.get(r.kind, r.kind)}"
             for r in voted.itertuples()]
    fig = go.Figure()
    for column, key, colour in (("yes", N_("plots.vote.yes"), BLUE), ("no", N_("plots.vote.no"), ORANGE),
                                ("abstain", N_("plots.vote.abstain"), GREY)):
        fig.add_trace(go.Bar(name=t(key, lang), y=labels, x=voted[column].tolist(), orientation="h",
                             marker_color=colour, customdata=hover,
                             text=voted[column].tolist(), textposition="inside", insidetextanchor="middle",
                             textangle=0, textfont={"size": 11},
                             hovertemplate="%{customdata}<br>%{fullData.name}: %{x}<extra></extra>"))
    margins = (voted["yes"] - voted["no"] - voted["abstain"]).tolist()
    totals = (voted["yes"] + voted["no"] + voted["abstain"]).tolist()
    for label, margin, total in zip(labels, margins, totals):
        fig.add_annotation(y=label, x=total, text=t("plots.votes.margin", lang, margin=f"{margin:+d}"),
                           showarrow=False, xanchor="left", xshift=6, font={"size": 11, "color": "#333"})
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, max(totals) * 1.2])
    summary = vote_summary(resolutions)
    parts = [t("plots.votes.kind_summary", lang, kind=kind_names[k], total=summary[k]["total"],
               recorded=summary[k]["recorded"]) for k, _ in KINDS if k in summary]
    title = t("plots.votes.title", lang) + f"<br><sup>{join(parts, lang)}</sup>"
    _layout(fig, lang, title, t("plots.source.voting", lang, notice=HRC_VOTING_NOTICE),
            height=max(460, 26 * len(voted) + 260), x_title=t("plots.axis.votes", lang), top=115)
    # On a phone the labels would take the whole width: each goes above its bar instead.
    above = [{"y": label, "x": 0, "yref": "y", "xref": "x", "text": label, "showarrow": False,
              "xanchor": "left", "yanchor": "bottom", "yshift": 9, "font": {"size": 11, "color": "#222"}}
             for label in labels]
    beside = [{"y": label, "x": total, "yref": "y", "xref": "x", "showarrow": False, "xanchor": "left", "xshift": 4,
               "text": t("plots.votes.margin", lang, margin=f"{margin:+d}"), "font": {"size": 10, "color": "#333"}}
              for label, margin, total in zip(labels, margins, totals)]
    fig.update_layout(meta={"lang": lang, "narrow": {
        "yaxis": {"showticklabels": False}, "bargap": 0.5, "height": 48 * len(voted) + 160,
        "margin": {"l": 8, "r": 12}, "annotations": above + beside,
        "xaxis": {"range": [0, max(totals) * 1.35]}}})
    return fig


def vote_summary(resolutions: pd.DataFrame) -> dict[str, dict[str, int]]:
    """``{kind: {"total": n, "recorded": n, "without_vote": n}}`` over ``mandate_resolutions``."""
    table = _resolutions(resolutions)
    out: dict[str, dict[str, int]] = {}
    for kind, rows in table.groupby("kind"):
        out[str(kind)] = {
            "total": int(len(rows)),
            "recorded": int((rows["vote_type"] == "recorded").sum()),
            "without_vote": int((rows["vote_type"] == "without_vote").sum()),
        }
    return out
