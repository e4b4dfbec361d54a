"""Module 2 renders as a Voila app in both languages, with its charts, the mechanism comparison and scenarios."""
from __future__ import annotations

import pytest

from course.lessons import mechanisms
from course.lessons.quiz import load_questions

from .helpers import error_outputs, external_requests
from .test_module_1 import ARTIFACTS, answer_first_quiz, common_checks, open_module

WORDS = {
    "en": {"title": "Module 2", "show_all": "Show all criteria", "pick": "Compare by:", "check": "Check",
           "right": "Right", "next": "Next scenario"},
    "zh": {"title": "模块二", "show_all": "显示全部比较项目", "pick": "比较项目：", "check": "检查",
           "right": "选对了", "next": "下一个情景"},
}


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_module_2_renders_with_tools_and_quizzes(voila_server, page, lang):
    words = WORDS[lang]
    questions = load_questions(2)
    seconds = open_module(page, voila_server, f"modules/{lang}/02-how-they-help.ipynb", charts=2,
                          quizzes=len(questions))
    print(f"module 2 ({lang}) ready in {seconds:.1f}s")
    assert words["title"] in page.locator("h1").first.inner_text()
    assert page.locator(".js-plotly-plot").count() == 2
    assert page.locator(".sp-quiz").count() == len(questions)

    comparison = page.locator(".sp-mech-comparison")
    assert comparison.count() == 1
    assert comparison.locator("table").count() == 1
    comparison.get_by_role("button", name=words["show_all"]).click()
    page.wait_for_function("() => document.querySelectorAll('.sp-mech-comparison table').length >= 7",
                           timeout=20_000)

    scenarios = page.locator(".sp-mech-scenario")
    assert scenarios.count() == 1
    first = mechanisms.SCENARIOS[0]
    scenarios.get_by_text(mechanisms.mechanism_name(first.answer, lang), exact=True).click()
    scenarios.get_by_role("button", name=words["check"], exact=True).click()
    scenarios.get_by_text(words["right"]).first.wait_for(timeout=20_000)
    scenarios.get_by_role("button", name=words["next"]).click()
    scenarios.get_by_text(mechanisms.scenario_prompt(mechanisms.SCENARIOS[1].id, lang)[:15]).wait_for(timeout=20_000)

    common_checks(page, lang)
    answer_first_quiz(page, lang, questions[0])
    assert error_outputs(page) == [] and external_requests(page) == []
    page.screenshot(path=f"{ARTIFACTS}/module-2-{lang}.png", full_page=True)
