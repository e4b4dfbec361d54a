"""The UPR / Special Procedures / treaty bodies comparison and the "which mechanism fits?" scenarios."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from course.data import load
from course.i18n import t
from course.lessons import mechanisms

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def table():
    return load("mechanisms")


def test_table_is_complete(table):
    assert mechanisms.validate_table(table) == []
    ids = [cid for cid, _ in mechanisms.criteria(table, "en")]
    assert len(ids) == len(set(ids)) >= 7  # the guide's table has seven rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_returns_the_three_mechanisms_in_the_guides_order(table, lang):
    for cid, label in mechanisms.criteria(table, lang):
        cells = mechanisms.compare(table, cid, lang)
        assert [c.mechanism for c in cells] == list(mechanisms.MECHANISMS)
        for cell in cells:
            assert cell.criterion == label
            row = table[(table.criterion_id == cid) & (table.mechanism == cell.mechanism)].iloc[0]
            assert cell.short_answer == row[f"short_answer_{lang}"]
            assert cell.explanation == row[f"explanation_{lang}"]
            assert "ch. II" in cell.source
            assert bool(CJK.search(cell.explanation)) == (lang == "zh")


def test_compare_unknown_criterion(table):
    with pytest.raises(mechanisms.MechanismError, match="unknown criterion"):
        mechanisms.compare(table, "nope", "en")


def test_validate_table_finds_a_missing_mechanism_and_empty_text(table):
    broken = table[~((table.criterion_id == "frequency") & (table.mechanism == "tb"))]
    assert any("frequency" in p for p in mechanisms.validate_table(broken))
    blank = table.copy()
    blank.loc[blank.index[0], "explanation_zh"] = " "
    assert any("explanation_zh" in p for p in mechanisms.validate_table(blank))
    assert mechanisms.validate_table(pd.DataFrame({"x": [1]}))
    with pytest.raises(mechanisms.MechanismError):
        mechanisms.criteria(broken, "en")


def test_scenarios_are_well_formed(table):
    criteria = {cid for cid, _ in mechanisms.criteria(table, "en")}
    assert len(mechanisms.SCENARIOS) >= 5
    assert {s.answer for s in mechanisms.SCENARIOS} == set(mechanisms.MECHANISMS), "every mechanism is an answer"
    assert len({s.id for s in mechanisms.SCENARIOS}) == len(mechanisms.SCENARIOS)
    for scenario in mechanisms.SCENARIOS:
        assert set(scenario.criteria) <= criteria, scenario.id
        assert CJK.search(mechanisms.scenario_prompt(scenario.id, "zh"))
        assert not CJK.search(mechanisms.scenario_prompt(scenario.id, "en"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_scenario_right_wrong_and_empty(lang):
    for scenario in mechanisms.SCENARIOS:
        right = mechanisms.check_scenario(scenario.id, scenario.answer, lang)
        assert right.answered and right.correct
        assert right.explanation == t(scenario.explanation_key, lang)
        assert right.answer_name == mechanisms.mechanism_name(scenario.answer, lang)
        for other in set(mechanisms.MECHANISMS) - {scenario.answer}:
            wrong = mechanisms.check_scenario(scenario.id, other, lang)
            assert wrong.answered and not wrong.correct and right.answer_name in wrong.headline
        empty = mechanisms.check_scenario(scenario.id, None, lang)
        assert not empty.answered and not empty.correct


def test_check_scenario_rejects_unknowns():
    with pytest.raises(mechanisms.MechanismError):
        mechanisms.check_scenario("no-such", "sp", "en")
    with pytest.raises(mechanisms.MechanismError):
        mechanisms.check_scenario("urgent-detention", "icc", "en")


# ----------------------------------------------------------------- widgets without a browser

def _find(widget, cls):
    found = [widget] if isinstance(widget, cls) else []
    for child in getattr(widget, "children", ()):
        found += _find(child, cls)
    return found


def test_comparison_widget_switches_criterion_and_shows_all(table):
    import ipywidgets as w

    from course.lessons.mechanisms_view import mechanism_comparison

    box = mechanism_comparison(lang="zh")
    picker = _find(box, w.Dropdown)[0]
    toggle = _find(box, w.ToggleButton)[0]
    view = box.children[2]
    first = mechanisms.compare(table, picker.value, "zh")
    assert first[0].explanation in view.value and view.value.count("<table") == 1
    picker.value = "authority"
    assert mechanisms.compare(table, "authority", "zh")[2].explanation in view.value
    toggle.value = True
    assert view.value.count("<table") == len(mechanisms.criteria(table, "zh")) and picker.disabled


def test_comparison_widget_survives_a_broken_table(table):
    import ipywidgets as w

    from course.lessons.mechanisms_view import mechanism_comparison

    out = mechanism_comparison(lang="en", table=table.drop(columns=["explanation_en"]))
    assert isinstance(out, w.HTML) and "cannot be shown" in out.value


def test_scenario_widget_flow():
    import ipywidgets as w

    from course.lessons.mechanisms_view import mechanism_scenarios

    box = mechanism_scenarios(lang="en")
    radio = _find(box, w.RadioButtons)[0]
    check, following = _find(box, w.Button)
    feedback = box.children[5]
    first = mechanisms.SCENARIOS[0]
    assert mechanisms.scenario_prompt(first.id, "en")[:30] in box.children[2].value
    check.click()
    assert "Pick a mechanism first" in feedback.value and not radio.disabled
    radio.value = first.answer
    check.click()
    assert "Right" in feedback.value and radio.disabled
    following.click()
    assert radio.value is None and not radio.disabled and feedback.value == ""
    assert mechanisms.scenario_prompt(mechanisms.SCENARIOS[1].id, "en")[:30] in box.children[2].value
    assert "Scenario 2 of" in box.children[1].value
