"""Chart builders of modules 1-2: real values from data/, text in the module's language."""
from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from course.i18n import t
from course.lessons import charts as plots

CJK = re.compile(r"[\u4e00-\u9fff]")


def _csv(name: str) -> pd.DataFrame:
    """The table as the notebooks get it (typed by course.data)."""
    from course.data import load

    return load(name)


@pytest.fixture(scope="module")
def facts():
    return _csv("sp_facts_2024")


@pytest.fixture(scope="module")
def resolutions():
    return _csv("mandate_resolutions")


def _value(facts, metric):
    return float(facts.loc[facts.metric_id == metric, "value"].iloc[0])


def _texts(fig: go.Figure) -> str:
    layout = fig.layout
    parts = [layout.title.text or "", layout.xaxis.title.text or "", layout.yaxis.title.text or ""]
    parts += [a.text or "" for a in layout.annotations]
    parts += [trace.name or "" for trace in fig.data]
    for trace in fig.data:
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None:
                parts += [str(v) for v in values if isinstance(v, str)]
    return "\n".join(parts)


def _assert_language(fig: go.Figure, lang: str):
    assert fig.layout.title.text, "chart without a title"
    fig.to_json()  # what fig.show() sends to the browser must serialise
    text = _texts(fig)
    if lang == "zh":
        assert CJK.search(fig.layout.title.text)
        assert CJK.search(fig.layout.xaxis.title.text or fig.layout.yaxis.title.text or "")
    else:
        assert not CJK.search(text), f"Chinese in an English chart: {text!r}"


BUILDERS_FACTS = ["holders_by_gender", "holders_by_region", "communications_and_replies",
                  "reports_by_destination"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", BUILDERS_FACTS)
def test_fact_charts_speak_the_language(facts, name, lang):
    fig = getattr(plots, name)(facts, lang)
    assert isinstance(fig, go.Figure)
    _assert_language(fig, lang)
    assert "A/HRC/58/70" in _texts(fig), "every chart names its source"


def test_gender_values_equal_the_data(facts):
    fig = plots.holders_by_gender(facts, "en")
    assert list(fig.data[0].x) == [_value(facts, "holders_women_pct"), _value(facts, "holders_men_pct")]
    assert list(fig.data[0].y) == ["Women", "Men"]


def test_region_values_equal_the_data_and_sum_to_100(facts):
    fig = plots.holders_by_region(facts, "zh")
    expected = [_value(facts, m) for m, _ in plots.REGIONS]
    assert list(fig.data[0].x) == expected
    assert sum(expected) == pytest.approx(100, abs=0.1)
    assert fig.data[0].y[0] == "非洲国家"


def test_communications_values_and_rate(facts):
    fig = plots.communications_and_replies(facts, "en")
    all_, subset = fig.data
    assert list(all_.y) == [_value(facts, "communications_sent"), _value(facts, "replies_to_year_communications")]
    assert list(subset.y) == [_value(facts, "communications_joint"),
                              _value(facts, "replies_to_year_communications_substantive")]
    assert "46.62%" in fig.layout.title.text
    # The report's rate (46.62%) is close to, not exactly, 308/665 (46.32%): the chart shows the
    # published rate and the published counts side by side and computes neither.
    assert 100 * subset.y[1] / all_.y[0] == pytest.approx(_value(facts, "response_rate_pct"), abs=0.5)


def test_reports_stack_adds_up(facts):
    fig = plots.reports_by_destination(facts, "zh")
    visits, other = fig.data
    assert visits.y[0] + other.y[0] == _value(facts, "reports_to_hrc")
    assert other.y[1] == _value(facts, "reports_to_ga")
    assert visits.y[0] == _value(facts, "reports_country_visit")
    assert str(int(_value(facts, "reports_total"))) in fig.layout.title.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_themes_count_distinct_symbols(lang):
    reports = _csv("thematic_reports_2024")
    fig = plots.thematic_reports_by_theme(reports, lang)
    _assert_language(fig, lang)
    expected = reports.groupby("paragraph")["symbol"].nunique().sort_index().tolist()
    assert list(fig.data[0].x) == expected
    first = reports.sort_values("paragraph")[f"theme_{lang}"].iloc[0]
    assert fig.data[0].y[0] == first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_resolutions_by_year_stacks_every_row(resolutions, lang):
    fig = plots.resolutions_by_year(resolutions, lang)
    _assert_language(fig, lang)
    assert sum(sum(trace.y) for trace in fig.data) == len(resolutions)
    by_name = {trace.name: trace for trace in fig.data}
    recorded = by_name[t("plots.vote.recorded", lang)]
    per_year = resolutions[resolutions.vote_type == "recorded"].groupby("year").size()
    for year, count in per_year.items():
        assert recorded.y[list(recorded.x).index(year)] == count
    assert "Szoszkiewicz" in _texts(fig), "required notice of the voting data"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_recorded_votes_values_and_margins(resolutions, lang):
    mandates = _csv("mandates")
    fig = plots.recorded_votes(resolutions, lang, mandates=mandates)
    _assert_language(fig, lang)
    voted = resolutions[resolutions.vote_type == "recorded"]
    yes, no, abstain = fig.data
    assert len(yes.x) == len(voted)
    assert sorted(yes.x) == sorted(voted.yes.astype(int))
    assert sorted(no.x) == sorted(voted["no"].astype(int))
    assert sum(abstain.x) == int(voted.abstain.sum())
    margins = [a.text for a in fig.layout.annotations if a.text and re.search(r"[+-]\d", a.text)]
    assert len(margins) == len(voted)
    first = voted.sort_values(["year", "symbol"]).iloc[0]
    assert any(f"{int(first.yes - first['no'] - first.abstain):+d}" in m for m in margins)
    if lang == "zh":
        assert any("外债" in label for label in yes.y), "mandate names in Chinese"


def test_vote_summary_counts(resolutions):
    summary = plots.vote_summary(resolutions)
    assert sum(v["total"] for v in summary.values()) == len(resolutions)
    assert summary["thematic"]["recorded"] == int(((resolutions.kind == "thematic")
                                                   & (resolutions.vote_type == "recorded")).sum())


def test_missing_figures_and_columns_are_named(facts):
    with pytest.raises(plots.ChartDataError, match="communications_sent"):
        plots.communications_and_replies(facts[facts.metric_id != "communications_sent"], "en")
    with pytest.raises(plots.ChartDataError, match="yes"):
        plots.recorded_votes(pd.DataFrame({"symbol": [], "year": [], "mandate_id": [], "kind": [],
                                           "vote_type": [], "no": [], "abstain": []}), "en")
    with pytest.raises(ValueError):
        plots.holders_by_gender(facts, "fr")


def test_module2_quiz_numbers_match_the_voting_data(resolutions):
    """The check-yourself question on the chart quotes counts that must stay true to the data."""
    from course.lessons.quiz import question_by_id

    summary = plots.vote_summary(resolutions)
    total = sum(v["total"] for v in summary.values())
    without = sum(v["without_vote"] for v in summary.values())
    recorded = sum(v["recorded"] for v in summary.values())
    text = question_by_id("m2-q8").explanation_in("en")
    assert f"Of the {total} resolutions" in text
    assert f"{without} were adopted without a vote and {recorded} by recorded vote" in text
    assert summary.get("country", {}).get("recorded", 0) == 0, "the text says all votes were on thematic mandates"
    assert f"{total}项决议里有{without}项" in question_by_id("m2-q8").explanation_in("zh")


def test_chart_toolbars_carry_no_link_to_plotly():
    import plotly.io as pio

    import course.lessons.engagement  # noqa: F401  (importing applies the setting)
    from course.plotly_config import hide_plotly_logo

    hide_plotly_logo()
    configured = [getattr(pio.renderers[name], "config", None) for name in pio.renderers]
    configured = [config for config in configured if isinstance(config, dict)]
    assert configured and all(config.get("displaylogo") is False for config in configured)
