"""course.chart_widget without a browser: what the widget is given, the phone layouts and
the plotly renderer that makes fig.show() draw a Chart."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from course import chart_widget
from course.chart_widget import Chart, labels_above_bars, stacked_on_a_phone
from course.i18n import t


def test_chart_holds_plain_json_and_speaks_the_figure_language():
    import numpy as np

    fig = go.Figure(go.Bar(x=np.array([1.5, 2.5]), y=["a", "b"], orientation="h"),
                    layout={"title": {"text": "T"}, "meta": {"lang": "zh"}})
    chart = Chart(fig, lang=chart_widget.figure_lang(fig.to_dict()))
    json.dumps(chart.figure)  # the widget state must be JSON
    assert chart.loading == t("page.chart.loading", "zh") and chart.failed == t("page.chart.failed", "zh")
    assert chart.library == chart_widget.plotly_file_name()
    chart.relabel("en")
    assert chart.loading == t("page.chart.loading", "en")


def test_figure_language_defaults_to_english():
    assert chart_widget.figure_lang({"layout": {}}) == "en"
    assert chart_widget.figure_lang({"layout": {"meta": {"lang": "xx"}}}) == "en"
    assert chart_widget.figure_lang({"layout": {"meta": {"lang": "zh_CN"}}}) == "zh"


def test_fig_show_displays_a_chart_widget(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda bundle, raw=False: shown.append(bundle))
    chart_widget.use_course_charts()
    assert pio.renderers.default == chart_widget.RENDERER
    go.Figure(go.Bar(x=[1], y=[2]), layout={"meta": {"lang": "en"}}).show()
    assert "application/vnd.jupyter.widget-view+json" in shown[-1]
    assert "application/vnd.plotly.v1+json" not in shown[-1]  # no lab extension needed


def test_stacked_on_a_phone_puts_panels_one_under_another():
    fig = make_subplots(rows=1, cols=3, subplot_titles=("One", "Two", "Three"))
    for col in (1, 2, 3):
        fig.add_trace(go.Bar(x=["a"], y=[col]), row=1, col=col)
    narrow = stacked_on_a_phone(fig, panel_height=200, gap=100)
    domains = [narrow[f"yaxis{s}"]["domain"] for s in ("", "2", "3")]
    assert all(narrow[f"xaxis{s}"]["domain"] == [0.0, 1.0] for s in ("", "2", "3"))
    assert domains[0][1] == 1.0 and domains[2][0] == pytest.approx(0.0, abs=1e-3)
    assert all(upper[0] > lower[1] for upper, lower in zip(domains, domains[1:]))  # no overlap
    assert [note["text"] for note in narrow["annotations"][:3]] == ["One", "Two", "Three"]
    assert [note["y"] for note in narrow["annotations"][:3]] == [d[1] for d in domains]
    with pytest.raises(ValueError):
        stacked_on_a_phone(go.Figure(go.Bar(x=[1], y=[1])))


def test_labels_go_above_horizontal_bars_and_long_ones_wrap():
    long_label = "Clarifying human rights norms and standards for the mandate and working methods"
    fig = go.Figure(go.Bar(x=[3, 4], y=["Short", long_label], orientation="h"),
                    layout={"annotations": [{"text": "source", "name": chart_widget.SOURCE_ANNOTATION}]})
    narrow = labels_above_bars(fig)
    assert narrow["yaxis"]["showticklabels"] is False
    texts = [note["text"] for note in narrow["annotations"]]
    assert texts[0] == "source" and texts[1] == "Short"
    assert "<br>" in texts[2] and texts[2].replace("<br>", " ") == long_label
    assert all(len(line) <= 38 for line in texts[2].split("<br>"))
    assert narrow["height"] >= 2 * 52
    with pytest.raises(ValueError):
        labels_above_bars(go.Figure(go.Bar(x=["a"], y=[1])))


def test_chinese_labels_wrap_without_spaces():
    wrapped = chart_widget._wrap("促进民主和公平的国际秩序问题独立专家以及其他很长的任务名称", cjk=10)
    assert all(len(line) <= 10 for line in wrapped.split("<br>"))
    assert wrapped.replace("<br>", "") == "促进民主和公平的国际秩序问题独立专家以及其他很长的任务名称"
