"""Chart builders for modules 3 (engaging) and 4 (engaging safely).

Each builder is a pure function: it takes a table from ``data/`` (a pandas
DataFrame, as returned by ``course.data.load``) and a language, and returns a
plotly ``go.Figure`` whose title, axis labels and legend are in that language.
No kernel, widget or network is needed; the notebooks simply call ``fig.show()``.

Figures come only from the tables, never from numbers typed here:

* ``communications_sample``: real communications from the OHCHR database
  (a small, business-related sample, so the charts say so);
* ``sp_facts_2024``: figures of A/HRC/58/70 (paras 8, 10, 11 and 69).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..chart_widget import SOURCE_ANNOTATION, labels_above_bars, stacked_on_a_phone, use_course_charts, wrap_words
from ..i18n import N_, normalise_lang, t
from ..plotly_config import hide_plotly_logo
from ..terms import COMM_TYPE_CODES, COMM_TYPES

# One definition of the shared pieces, so both modules' charts look and fail alike.
from .charts import FONT_FAMILY, ChartDataError, fact

hide_plotly_logo()
use_course_charts()  # fig.show() draws a course Chart (course.chart_widget)

COLOURS = ("#1f5f8b", "#d9822b", "#5a9e6f", "#8e5ea2", "#b33c3c")

TYPE_FAMILIES = COMM_TYPES
"""The three kinds of communication the guide describes (ch. III, 1), from :mod:`course.terms`."""

_FAMILY_KEYS = {
    "urgent_appeal": N_("engagement.type.urgent_appeal"),
    "allegation_letter": N_("engagement.type.allegation_letter"),
    "other_letter": N_("engagement.type.other_letter"),
}
# OHCHR's codes (UA, AL, OL; a leading J marks a joint communication): see course.terms.
_CODE_FAMILY = {code: comm_type for comm_type, code in COMM_TYPE_CODES.items()}


# --------------------------------------------------------------------------- facts


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def wrap_label(text: str, width: int = 14) -> str:
    """Break a bar label over lines (``<br>``) so that neighbouring labels never overlap.

    Words are kept whole; Chinese text, which has no spaces, is broken before a
    full-width opening bracket or after ``width`` characters.
    """
    if len(text) <= width:
        return text
    if " " in text:
        return wrap_words(text, width)
    if "（" in text[1:]:
        head, tail = text.split("（", 1)
        return wrap_label(head, width) + "<br>（" + tail
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width))


def _base_layout(fig: go.Figure, lang: str, title: str, source: str, height: int = 430,
                 bottom: int = 130) -> go.Figure:
    """Title at the top left, legend above the plot, the source line at the very bottom."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "y": 0.98, "yanchor": "top", "font": {"size": 17}},
        font={"family": FONT_FAMILY, "size": 13},
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 30, "t": 100, "b": bottom},
        legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
        meta={"lang": lang},  # the Chart widget's status line speaks the figure's language
    )
    # Anchored to the bottom of the plot area and shifted down by a fixed number of
    # pixels, so the source line sits just above the figure's lower edge whatever
    # the height of the tick labels.
    fig.add_annotation(
        text=source, name=SOURCE_ANNOTATION, xref="paper", yref="paper", x=0.0, y=0.0, yshift=-(bottom - 10),
        showarrow=False,
        xanchor="left", yanchor="bottom", font={"size": 11, "color": "#555"},
    )
    return fig


# ------------------------------------------------------------- communications sample


@dataclass(frozen=True)
class SampleSummary:
    """Counts of the communications sample by type family, joint/single and addressee."""

    total: int
    by_family: dict[str, int]
    joint: int
    single: int
    to_states: int
    to_non_state: int
    first_date: str
    last_date: str


def _type_code(value: object) -> str:
    return str(value or "").strip().upper()


def _family_of(code: str) -> str:
    base = code[1:] if code.startswith("J") and code[1:] in _CODE_FAMILY else code
    if base not in _CODE_FAMILY:
        raise ChartDataError(f"unknown communication type code {code!r}")
    return _CODE_FAMILY[base]


def _is_joint(code: str) -> bool:
    return code.startswith("J") and code[1:] in _CODE_FAMILY


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "y", "t"}
    return bool(value) and not pd.isna(value)


def _non_state(row: pd.Series) -> bool:
    for column in ("addressee_kind", "addressee_type"):
        if column in row.index and isinstance(row[column], str) and row[column].strip():
            kind = row[column].strip().lower().replace("_", "-").replace(" ", "-")
            return kind not in {"state", "country", "government"}
    if "non_state" in row.index:
        return _truthy(row["non_state"])
    for column in ("reference", "ref"):
        if column in row.index and isinstance(row[column], str):
            # OHCHR files letters to non-State addressees under the prefix "OTH".
            return row[column].strip().upper().startswith("OTH")
    raise ChartDataError("communications_sample needs addressee_kind or reference to tell States from others")


def summarise_sample(sample: pd.DataFrame) -> SampleSummary:
    """Count the sample; every row is used and none is guessed."""
    type_column = next((c for c in ("type_code", "type") if c in sample.columns), None)
    if type_column is None:
        raise ChartDataError("communications_sample needs a type_code (or type) column")
    if sample.empty:
        raise ChartDataError("communications_sample is empty")
    codes = [_type_code(v) for v in sample[type_column]]
    families = Counter(_family_of(code) for code in codes)
    joint_column = next((c for c in ("is_joint", "joint") if c in sample.columns), None)
    if joint_column is not None:
        joint = sum(_truthy(v) for v in sample[joint_column])
    else:
        joint = sum(_is_joint(code) for code in codes)
    non_state = sum(_non_state(row) for _, row in sample.iterrows())
    dates = pd.to_datetime(sample["date"], errors="coerce") if "date" in sample.columns else pd.Series([], dtype="datetime64[ns]")
    dates = dates.dropna()
    return SampleSummary(
        total=len(sample),
        by_family={family: families.get(family, 0) for family in TYPE_FAMILIES},
        joint=joint,
        single=len(sample) - joint,
        to_states=len(sample) - non_state,
        to_non_state=non_state,
        first_date=dates.min().date().isoformat() if len(dates) else "",
        last_date=dates.max().date().isoformat() if len(dates) else "",
    )


def communications_sample_figure(sample: pd.DataFrame, lang: str) -> go.Figure:
    """Three bar panels: type family, joint or single, State or non-State addressee."""
    lang = normalise_lang(lang)
    summary = summarise_sample(sample)
    fig = make_subplots(
        rows=1, cols=3, horizontal_spacing=0.09,
        subplot_titles=(
            t("engagement.sample.panel_type", lang),
            t("engagement.sample.panel_joint", lang),
            t("engagement.sample.panel_addressee", lang),
        ),
    )
    panels = [
        ([t(_FAMILY_KEYS[f], lang) for f in TYPE_FAMILIES], [summary.by_family[f] for f in TYPE_FAMILIES]),
        ([t("engagement.sample.joint", lang), t("engagement.sample.single", lang)], [summary.joint, summary.single]),
        ([t("engagement.sample.to_state", lang), t("engagement.sample.to_non_state", lang)],
         [summary.to_states, summary.to_non_state]),
    ]
    label_width = int(t("engagement.label_width", lang))  # characters per line: a catalogue setting
    panels = [
        ([wrap_label(label, label_width) for label in labels], values)
        for labels, values in panels
    ]
    for col, (labels, values) in enumerate(panels, start=1):
        fig.add_trace(
            go.Bar(x=labels, y=values, text=values, texttemplate="%{text:,}", textposition="outside", cliponaxis=False,
                   marker_color=COLOURS[col - 1], showlegend=False,
                   hovertemplate="%{x}: %{y}<extra></extra>"),
            row=1, col=col,
        )
        fig.update_yaxes(title_text=t("engagement.axis.communications", lang) if col == 1 else None,
                         rangemode="tozero", row=1, col=col)
    title = t("engagement.sample.title", lang, n=summary.total,
              start=summary.first_date, end=summary.last_date)
    _base_layout(fig, lang, title, t("engagement.sample.source", lang), height=470)
    fig.update_xaxes(tickangle=0, automargin=True)
    fig.update_layout(meta={"lang": lang, "narrow": stacked_on_a_phone(fig)})
    return fig


# --------------------------------------------------------------- replies (para. 8)


def replies_2024_figure(facts: pd.DataFrame, lang: str) -> go.Figure:
    """Communications sent in 2024 and the replies to them (A/HRC/58/70, para. 8)."""
    lang = normalise_lang(lang)
    sent = fact(facts, "communications_sent")
    replies = fact(facts, "replies_to_year_communications")
    substantive = fact(facts, "replies_to_year_communications_substantive")
    rate = fact(facts, "response_rate_pct")
    labels = [
        t("engagement.replies.sent", lang),
        t("engagement.replies.replies", lang),
        t("engagement.replies.substantive", lang),
    ]
    values = [_num(sent), _num(replies), _num(substantive)]
    fig = go.Figure(
        go.Bar(x=labels, y=values, text=values, texttemplate="%{text:,}", textposition="outside", cliponaxis=False,
               marker_color=[COLOURS[0], COLOURS[1], COLOURS[2]],
               hovertemplate="%{x}: %{y}<extra></extra>")
    )
    fig.update_yaxes(title_text=t("engagement.axis.count", lang), rangemode="tozero")
    fig.update_xaxes(title_text=t("engagement.replies.axis_x", lang))
    title = t("engagement.replies.title", lang, rate=f"{rate:.2f}")
    return _base_layout(fig, lang, title, t("engagement.replies.source", lang))


# ------------------------------------------------------ working groups (paras 10-11)


def working_groups_2024_figure(facts: pd.DataFrame, lang: str) -> go.Figure:
    """WGEID cases (para. 10) and WGAD opinions and letters (para. 11) in 2024."""
    lang = normalise_lang(lang)
    wgeid = [
        (t("engagement.wg.wgeid_new", lang), fact(facts, "wgeid_new_cases")),
        (t("engagement.wg.wgeid_urgent", lang), fact(facts, "wgeid_urgent_action_cases")),
        (t("engagement.wg.wgeid_clarified", lang), fact(facts, "wgeid_cases_clarified")),
    ]
    wgad = [
        (t("engagement.wg.wgad_opinions", lang), fact(facts, "wgad_opinions")),
        (t("engagement.wg.wgad_urgent", lang), fact(facts, "wgad_urgent_appeals")),
        (t("engagement.wg.wgad_allegation", lang), fact(facts, "wgad_allegation_letters")),
        (t("engagement.wg.wgad_other", lang), fact(facts, "wgad_other_letters")),
        (t("engagement.wg.wgad_released", lang), fact(facts, "wgad_persons_released")),
    ]
    fig = make_subplots(
        rows=1, cols=2, horizontal_spacing=0.28,
        subplot_titles=(t("engagement.wg.panel_wgeid", lang), t("engagement.wg.panel_wgad", lang)),
    )
    for col, (rows, colour) in enumerate(((wgeid, COLOURS[0]), (wgad, COLOURS[3])), start=1):
        labels = [label for label, _ in rows][::-1]
        values = [_num(value) for _, value in rows][::-1]
        fig.add_trace(
            go.Bar(y=labels, x=values, orientation="h", text=values, texttemplate="%{text:,}", textposition="outside",
                   cliponaxis=False, marker_color=colour, showlegend=False,
                   hovertemplate="%{y}: %{x}<extra></extra>"),
            row=1, col=col,
        )
        fig.update_xaxes(title_text=t("engagement.axis.count", lang), rangemode="tozero",
                         row=1, col=col)
    fig.update_yaxes(automargin=True)
    _base_layout(fig, lang, t("engagement.wg.title", lang), t("engagement.wg.source", lang), height=450)
    fig.update_layout(meta={"lang": lang, "narrow": labels_above_bars(fig, stacked_on_a_phone(fig, panel_height=5 * 52))})
    return fig


# ------------------------------------------------------------ reprisals (para. 69)


def reprisals_figure(facts: pd.DataFrame, lang: str) -> go.Figure:
    """Reprisal communications in 2024 and in the Secretary-General's report (para. 69)."""
    lang = normalise_lang(lang)
    label_width = int(t("engagement.label_width", lang))  # characters per line: a catalogue setting
    groups = [wrap_label(t("engagement.reprisals.group_2024", lang), label_width),
              wrap_label(t("engagement.reprisals.group_sg", lang), label_width)]
    communications = [_num(fact(facts, "reprisal_communications")),
                      _num(fact(facts, "reprisal_communications_in_sg_report"))]
    countries = [_num(fact(facts, "reprisal_communications_countries")),
                 _num(fact(facts, "reprisal_countries_in_sg_report"))]
    follow_up = _num(fact(facts, "reprisal_follow_up_countries_in_sg_report"))
    fig = go.Figure()
    fig.add_trace(go.Bar(name=t("engagement.reprisals.communications", lang), x=groups, y=communications,
                         text=communications, textposition="outside", cliponaxis=False,
                         marker_color=COLOURS[4]))
    fig.add_trace(go.Bar(name=t("engagement.reprisals.countries", lang), x=groups, y=countries,
                         text=countries, textposition="outside", cliponaxis=False,
                         marker_color=COLOURS[0]))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=t("engagement.axis.count", lang), rangemode="tozero")
    fig.update_xaxes(title_text=t("engagement.reprisals.axis_x", lang))
    title = t("engagement.reprisals.title", lang, follow_up=follow_up)
    return _base_layout(fig, lang, title, t("engagement.reprisals.source", lang))


# ------------------------------------------------- timeline of one communication


def timeline_figure(timeline, lang: str) -> go.Figure:
    """The dates of a :class:`course.tools.chooser.timeline.Timeline` on one line, with their labels.

    ``timeline`` is what :func:`course.tools.chooser.timeline.communication_timeline` returns; the
    milestone labels are that module's messages (``timeline.*``), shown in ``lang``.
    """
    lang = normalise_lang(lang)
    milestones = list(getattr(timeline, "milestones", ()) or ())
    if not milestones:
        raise ChartDataError("the timeline has no milestones")
    dates = [m.on for m in milestones]
    label_width = int(t("engagement.label_width", lang))  # characters per line: fits a phone
    labels = [wrap_label(t(m.label_key, lang), label_width) for m in milestones]
    day_fmt = "%Y-%m-%d"
    texts = [f"{label}<br>{d.strftime(day_fmt)}" for label, d in zip(labels, dates)]
    # Alternate labels above and below the line so that close dates stay readable.
    positions = ["top center" if i % 2 == 0 else "bottom center" for i in range(len(milestones))]
    symbols = ["circle" if not getattr(m, "approximate", True) else "diamond-open" for m in milestones]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[dates[0], dates[-1]], y=[0, 0], mode="lines", line={"color": "#9aa7b5", "width": 3},
        hoverinfo="skip", showlegend=False,
    ))
    fig.add_trace(go.Scatter(
        x=dates, y=[0] * len(dates), mode="markers+text", text=texts, textposition=positions,
        marker={"size": 15, "color": COLOURS[0], "symbol": symbols, "line": {"width": 2, "color": COLOURS[0]}},
        hovertemplate="%{text}<extra></extra>", showlegend=False, cliponaxis=False,
    ))
    span = max((dates[-1] - dates[0]).days, 1)
    pad = pd.Timedelta(days=max(6, span // 6))
    fig.update_xaxes(title_text=t("engagement.timeline.axis_x", lang), type="date",
                     range=[pd.Timestamp(dates[0]) - pad, pd.Timestamp(dates[-1]) + pad],
                     tickformat=day_fmt, showgrid=False)
    fig.update_yaxes(visible=False, range=[-1.2, 1.2])
    fig.update_layout(
        title={"text": t("engagement.timeline.title", lang), "x": 0.0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT_FAMILY, "size": 13}, template="plotly_white", height=330,
        margin={"l": 40, "r": 40, "t": 70, "b": 100},
        # On a phone the first and last labels need more room beside the line.
        meta={"lang": lang, "narrow": {"xaxis": {"range": [pd.Timestamp(dates[0]) - 4 * pad,
                                                           pd.Timestamp(dates[-1]) + 4 * pad]}}},
    )
    fig.add_annotation(
        text=t("engagement.timeline.source", lang), name=SOURCE_ANNOTATION, xref="paper", yref="paper", x=0.0, y=0.0,
        yshift=-90, showarrow=False, xanchor="left", yanchor="bottom", font={"size": 11, "color": "#555"},
    )
    return fig
