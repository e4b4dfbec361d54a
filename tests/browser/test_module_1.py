"""Module 1 renders as a Voila app in both languages: headings, charts, quizzes that answer, no leaks."""
from __future__ import annotations

import time

import pytest

from course.lessons.quiz import load_questions

from .helpers import axe_violations, error_outputs, external_requests, open_app

ARTIFACTS = "tests/.artifacts"
PAGE = {
    "en": {"title": "Module 1", "other": "中文版", "check": "Check", "right": "Correct!", "wrong": "Not quite"},
    "zh": {"title": "模块一", "other": "English version", "check": "检查答案", "right": "答对了", "wrong": "还不太对"},
}


def open_module(page, base: str, relpath: str, charts: int, quizzes: int) -> float:
    """Open a module, wait for its charts and quizzes; returns seconds until everything is there."""
    started = time.monotonic()
    open_app(page, base, relpath, ".sp-quiz")
    page.wait_for_function(
        "([c, q]) => document.querySelectorAll('.js-plotly-plot').length >= c"
        " && document.querySelectorAll('.sp-quiz').length >= q",
        arg=[charts, quizzes], timeout=180_000,
    )
    return time.monotonic() - started


def answer_first_quiz(page, lang: str, question) -> None:
    """Pick the right option of the page's first quiz and see the feedback; then retry and pick a wrong one."""
    words = PAGE[lang]
    quiz = page.locator(".sp-quiz").first
    right_text = question.options_in(lang)[question.correct[0]]
    quiz.get_by_text(right_text, exact=True).click()
    quiz.get_by_role("button", name=words["check"]).click()
    quiz.locator(".sp-quiz-feedback").get_by_text(words["right"]).wait_for(timeout=20_000)
    assert question.explanation_in(lang)[:12] in quiz.inner_text()
    quiz.get_by_role("button", name="Try again" if lang == "en" else "再试一次").click()
    wrong = next(i for i in range(len(question.options)) if i not in question.correct)
    quiz.get_by_text(question.options_in(lang)[wrong], exact=True).click()
    quiz.get_by_role("button", name=words["check"]).click()
    quiz.locator(".sp-quiz-feedback").get_by_text(words["wrong"]).wait_for(timeout=20_000)
    assert right_text in quiz.locator(".sp-quiz-feedback").inner_text(), "the right answer is shown"


def common_checks(page, lang: str) -> None:
    words = PAGE[lang]
    body = page.locator("#rendered_cells").inner_text()
    assert page.get_by_role("link", name=words["other"]).count() == 1
    assert "import " not in body and "check_yourself(" not in body, "code is visible"
    assert page.locator("h2").count() >= 6
    assert page.get_by_text("Error displaying widget").count() == 0, "a widget failed to render"
    assert error_outputs(page) == []
    assert external_requests(page) == []
    violations = axe_violations(page)
    assert violations == [], violations
    # every external link opens in a new tab without leaking the referrer
    for link in page.locator('#rendered_cells a[href^="http"]').all():
        assert link.get_attribute("target") == "_blank", link.get_attribute("href")
        assert "noreferrer" in (link.get_attribute("rel") or ""), link.get_attribute("href")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_module_1_renders_and_quizzes_answer(voila_server, page, lang):
    questions = load_questions(1)
    seconds = open_module(page, voila_server, f"modules/{lang}/01-what-they-are.ipynb", charts=5,
                          quizzes=len(questions))
    print(f"module 1 ({lang}) ready in {seconds:.1f}s")
    assert PAGE[lang]["title"] in page.locator("h1").first.inner_text()
    assert page.locator(".js-plotly-plot").count() == 5
    assert page.locator(".sp-quiz").count() == len(questions)
    chart_titles = page.eval_on_selector_all(".sp-chart .sp-chart-title", "ns => ns.map(n => n.textContent)")
    assert any(("2024" in title) for title in chart_titles), chart_titles
    if lang == "zh":
        assert any("任务负责人" in title for title in chart_titles), chart_titles
    common_checks(page, lang)
    answer_first_quiz(page, lang, questions[0])
    assert error_outputs(page) == []
    page.screenshot(path=f"{ARTIFACTS}/module-1-{lang}.png", full_page=True)
