"""Chart builders of modules 3 and 4 (course.lessons.engagement), without a kernel.

Every figure is checked against the data it draws (the tables in data/), and its
title and axis labels against the catalogue of the language asked for.
"""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from course.data import load
from course.i18n import t
from course.lessons import engagement as pe
from course.tools.chooser.timeline import communication_timeline

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("zh", "en")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return load("sp_facts_2024")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return load("communications_sample")


def bars(fig: go.Figure) -> list[go.Bar]:
    return [trace for trace in fig.data if isinstance(trace, go.Bar)]


def as_list(values) -> list:
    return [v.item() if hasattr(v, "item") else v for v in list(values)]


def plain(label: str, lang: str) -> str:
    """A wrapped bar label back on one line (Chinese is wrapped without spaces)."""
    return label.replace("<br>", "" if lang == "zh" else " ")


# ----------------------------------------------------------------------------- facts


def test_fact_reads_one_metric(facts):
    assert pe.fact(facts, "communications_sent") == 665  # A/HRC/58/70, para. 8


def test_fact_refuses_missing_duplicate_and_non_numeric(facts):
    with pytest.raises(pe.ChartDataError, match="no_such_metric"):
        pe.fact(facts, "no_such_metric")
    doubled = pd.concat([facts, facts[facts.metric_id == "communications_sent"]])
    with pytest.raises(pe.ChartDataError, match="2 rows"):
        pe.fact(doubled, "communications_sent")
    broken = pd.DataFrame({"metric_id": ["x"], "value": ["n/a"]})
    with pytest.raises(pe.ChartDataError, match="not a number"):
        pe.fact(broken, "x")
    with pytest.raises(pe.ChartDataError, match="metric_id"):
        pe.fact(pd.DataFrame({"a": [1]}), "x")


# ------------------------------------------------------------------ replies (para. 8)


@pytest.mark.parametrize("lang", LANGS)
def test_replies_figure_shows_para_8(facts, lang):
    fig = pe.replies_2024_figure(facts, lang)
    (bar,) = bars(fig)
    expected = [pe.fact(facts, m) for m in ("communications_sent", "replies_to_year_communications",
                                            "replies_to_year_communications_substantive")]
    assert as_list(bar.y) == expected == [665, 349, 308]
    assert as_list(bar.x) == [t("engagement.replies.sent", lang), t("engagement.replies.replies", lang),
                              t("engagement.replies.substantive", lang)]
    assert fig.layout.title.text == t("engagement.replies.title", lang, rate="46.62")
    assert fig.layout.yaxis.title.text == t("engagement.axis.count", lang)
    assert fig.layout.xaxis.title.text == t("engagement.replies.axis_x", lang)
    assert t("engagement.replies.source", lang) in [a.text for a in fig.layout.annotations]


def test_replies_rate_follows_the_table_not_a_constant(facts):
    changed = facts.copy()
    changed.loc[changed.metric_id == "response_rate_pct", "value"] = 12.5
    changed.loc[changed.metric_id == "communications_sent", "value"] = 1000
    fig = pe.replies_2024_figure(changed, "en")
    assert "12.50%" in fig.layout.title.text
    assert as_list(bars(fig)[0].y)[0] == 1000


# ------------------------------------------------------- working groups (paras 10-11)


@pytest.mark.parametrize("lang", LANGS)
def test_working_groups_figure_shows_paras_10_and_11(facts, lang):
    fig = pe.working_groups_2024_figure(facts, lang)
    wgeid, wgad = bars(fig)
    # Bars are drawn bottom-up, so the lists are reversed.
    assert as_list(wgeid.x)[::-1] == [1198, 809, 212]
    assert as_list(wgad.x)[::-1] == [71, 30, 101, 1, 50]
    assert as_list(wgeid.y)[::-1] == [t("engagement.wg.wgeid_new", lang), t("engagement.wg.wgeid_urgent", lang),
                                      t("engagement.wg.wgeid_clarified", lang)]
    assert as_list(wgad.y)[-1] == t("engagement.wg.wgad_opinions", lang)
    assert fig.layout.title.text == t("engagement.wg.title", lang)
    subtitles = {a.text for a in fig.layout.annotations}
    assert {t("engagement.wg.panel_wgeid", lang), t("engagement.wg.panel_wgad", lang),
            t("engagement.wg.source", lang)} <= subtitles
    assert fig.layout.xaxis.title.text == fig.layout.xaxis2.title.text == t("engagement.axis.count", lang)


def test_working_groups_figure_fails_clearly_without_a_figure(facts):
    with pytest.raises(pe.ChartDataError, match="wgad_opinions"):
        pe.working_groups_2024_figure(facts[facts.metric_id != "wgad_opinions"], "en")


# ----------------------------------------------------------------- reprisals (para. 69)


@pytest.mark.parametrize("lang", LANGS)
def test_reprisals_figure_shows_para_69(facts, lang):
    fig = pe.reprisals_figure(facts, lang)
    communications, countries = bars(fig)
    assert as_list(communications.y) == [9, 7]
    assert as_list(countries.y) == [8, 7]
    assert communications.name == t("engagement.reprisals.communications", lang)
    assert countries.name == t("engagement.reprisals.countries", lang)
    # Wrapped onto lines short enough for a phone; the words are the catalogue's.
    def words(text: str) -> str:
        return "".join(text.replace("<br>", " ").split())

    assert [words(x) for x in as_list(communications.x)] == [
        words(t("engagement.reprisals.group_2024", lang)), words(t("engagement.reprisals.group_sg", lang))]
    assert fig.layout.title.text == t("engagement.reprisals.title", lang, follow_up=5)
    assert fig.layout.barmode == "group"


# ------------------------------------------------------------ communications sample


def test_sample_summary_agrees_with_the_tables_own_columns(sample):
    summary = pe.summarise_sample(sample)
    assert summary.total == len(sample) > 0
    # The builder reads OHCHR's type codes; the table also carries derived columns.
    family = sample["type_family"]
    assert family.notna().all(), set(sample["type_family"])
    assert summary.by_family == {f: int((family == f).sum()) for f in pe.TYPE_FAMILIES}
    assert summary.joint == int(sample["is_joint"].sum())
    assert summary.single == len(sample) - summary.joint
    assert summary.to_non_state == int((sample["addressee_kind"] == "non_state").sum())
    assert summary.to_states + summary.to_non_state == summary.total
    dates = pd.to_datetime(sample["date"])
    assert (summary.first_date, summary.last_date) == (dates.min().date().isoformat(),
                                                       dates.max().date().isoformat())


@pytest.mark.parametrize("lang", LANGS)
def test_sample_figure_values_and_labels(sample, lang):
    summary = pe.summarise_sample(sample)
    fig = pe.communications_sample_figure(sample, lang)
    by_type, joint, addressee = bars(fig)
    assert as_list(by_type.y) == [summary.by_family[f] for f in pe.TYPE_FAMILIES]
    assert as_list(joint.y) == [summary.joint, summary.single]
    assert as_list(addressee.y) == [summary.to_states, summary.to_non_state]
    assert [plain(x, lang) for x in by_type.x] == [t(f"engagement.type.{f}", lang) for f in pe.TYPE_FAMILIES]
    assert [plain(x, lang) for x in addressee.x] == [t("engagement.sample.to_state", lang),
                                               t("engagement.sample.to_non_state", lang)]
    assert fig.layout.title.text == t("engagement.sample.title", lang, n=summary.total,
                                      start=summary.first_date, end=summary.last_date)
    assert fig.layout.yaxis.title.text == t("engagement.axis.communications", lang)
    notes = [a.text for a in fig.layout.annotations]
    assert t("engagement.sample.source", lang) in notes
    assert t("engagement.sample.panel_type", lang) in notes


def test_sample_rules_on_a_small_table():
    table = pd.DataFrame({
        "type": ["JUA", "ua", " AL ", "JOL", "OL", "JAL"],
        "reference": ["ABC 1/2024", "OTH 2/2024", "ABC 3/2024", "OTH 4/2024", "ABC 5/2024", "ABC 6/2024"],
        "date": ["2024-01-05", "2024-03-01", "bad", "2024-02-01", "2024-01-31", "2024-02-29"],
    })
    summary = pe.summarise_sample(table)
    assert summary.by_family == {"urgent_appeal": 2, "allegation_letter": 2, "other_letter": 2}
    assert (summary.joint, summary.single) == (3, 3)
    assert (summary.to_states, summary.to_non_state) == (4, 2)
    assert (summary.first_date, summary.last_date) == ("2024-01-05", "2024-03-01")


def test_sample_refuses_unknown_codes_and_empty_tables():
    with pytest.raises(pe.ChartDataError, match="XYZ"):
        pe.summarise_sample(pd.DataFrame({"type": ["XYZ"], "reference": ["OTH 1/2024"]}))
    with pytest.raises(pe.ChartDataError, match="empty"):
        pe.summarise_sample(pd.DataFrame({"type": [], "reference": []}))
    with pytest.raises(pe.ChartDataError, match="type"):
        pe.summarise_sample(pd.DataFrame({"reference": ["OTH 1/2024"]}))
    with pytest.raises(pe.ChartDataError, match="addressee"):
        pe.summarise_sample(pd.DataFrame({"type": ["AL"]}))


def test_wrap_label_keeps_labels_short():
    assert pe.wrap_label("Joint", 14) == "Joint"
    wrapped = pe.wrap_label("Company or other non-State actor", 14)
    assert all(len(line) <= 14 for line in wrapped.split("<br>"))
    assert wrapped.replace("<br>", " ") == "Company or other non-State actor"
    assert pe.wrap_label("其他信函（法律与政策）", 9) == "其他信函<br>（法律与政策）"
    assert pe.wrap_label("企业等非国家行为体企业等", 9) == "企业等非国家行为体<br>企业等"


# --------------------------------------------------------------------------- timeline


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_figure_plots_the_timeline_dates(lang):
    timeline = communication_timeline("urgent_appeal", date(2025, 3, 20), today=date(2025, 6, 1))
    fig = pe.timeline_figure(timeline, lang)
    points = fig.data[1]
    assert [pd.Timestamp(x).date() for x in points.x] == [m.on for m in timeline.milestones]
    assert date(2025, 5, 19) in [m.on for m in timeline.milestones]  # 60 days, Guide ch. III, 4
    for text, milestone in zip(points.text, timeline.milestones):
        label, day = text.rsplit("<br>", 1)  # the label, wrapped to fit a phone, then the date
        assert label.replace("<br>", " " if lang == "en" else "") == t(milestone.label_key, lang)
        assert day == milestone.on.isoformat()
    assert fig.layout.title.text == t("engagement.timeline.title", lang)
    assert fig.layout.xaxis.title.text == t("engagement.timeline.axis_x", lang)


def test_timeline_figure_needs_milestones():
    class Empty:
        milestones = ()

    with pytest.raises(pe.ChartDataError):
        pe.timeline_figure(Empty(), "en")


# ------------------------------------------------------------------ both languages


def test_chinese_figures_are_in_chinese_and_english_ones_are_not(facts, sample):
    builders = [
        lambda lang: pe.replies_2024_figure(facts, lang),
        lambda lang: pe.working_groups_2024_figure(facts, lang),
        lambda lang: pe.reprisals_figure(facts, lang),
        lambda lang: pe.communications_sample_figure(sample, lang),
    ]
    for build in builders:
        zh, en = build("zh"), build("en")
        assert CJK.search(zh.layout.title.text), zh.layout.title.text
        assert not CJK.search(en.layout.title.text), en.layout.title.text
        zh_labels = [str(x) for trace in bars(zh) for x in list(trace.x) + list(trace.y) if isinstance(x, str)]
        assert zh_labels and all(CJK.search(label) for label in zh_labels), zh_labels


def test_unknown_language_is_refused(facts):
    with pytest.raises(ValueError):
        pe.replies_2024_figure(facts, "fr")


# ------------------------------------------------- notebooks use these quizzes and charts


@pytest.mark.parametrize("module,name", [(3, "03-engaging.ipynb"), (4, "04-engaging-safely.ipynb")])
def test_each_quiz_question_is_asked_once_per_notebook(module, name):
    ids = [q["id"] for q in json.loads((ROOT / f"course/content/quizzes/module{module}.json")
                                       .read_text(encoding="utf-8"))["questions"]]
    for lang in LANGS:
        source = "\n".join("".join(c["source"]) for c in json.loads(
            (ROOT / "modules" / lang / name).read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code")
        asked = re.findall(r'check_yourself\("(m\d+-q\d+)"', source)
        assert sorted(asked) == sorted(ids), (lang, asked)
        assert len(asked) >= 5
