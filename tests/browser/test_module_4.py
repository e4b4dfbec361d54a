"""Module 4 (engaging safely) as a Voila app, in both languages.

Checks the title, the section headings, the reprisals chart titled in the page's
language, the eight "check yourself" widgets (one is answered), the risk matrix
and the reprisal plan in place, the in-page link to section 7, external links
opening safely in a new tab, no error output and no request to any host but the
local server. A full-page screenshot of each language is kept in tests/.artifacts/.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from course.data import load
from course.i18n import t
from course.lessons.engagement import reprisals_figure
from course.lessons.quiz import question_by_id

from .helpers import axe_violations, error_outputs, external_requests, full_screenshot, open_app
from .test_module_3 import next_cell_has, next_cell_text

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / ".artifacts"
NOTEBOOK = "modules/{lang}/04-engaging-safely.ipynb"
QUIZ_IDS = [q["id"] for q in json.loads((ROOT / "course/content/quizzes/module4.json")
                                        .read_text(encoding="utf-8"))["questions"]]
PAGE = {
    "en": {"title": "Module 4: How to engage safely", "other": "中文版",
           "sections": ["1. Who knows", "2. How much detail", "3. Consent", "4. Worked example",
                        "5. What reprisals are", "6. What the experts", "7. If it happens",
                        "Summary", "What's next", "Resources"]},
    "zh": {"title": "模块四：如何安全地参与", "other": "English version",
           "sections": ["1. 谁会知道", "2. 提供多少细节", "3. 知情同意", "4. 范例", "5. 什么是报复",
                        "6. 专家和联合国", "7. 万一发生", "小结", "接下来", "资源"]},
}


def open_module(page, base: str, lang: str) -> float:
    seconds = open_app(page, base, NOTEBOOK.format(lang=lang), ready_selector=".sp-quiz")
    page.wait_for_function(
        "(quizzes) => document.querySelectorAll('.js-plotly-plot').length >= 1"
        " && document.querySelectorAll('.sp-quiz').length >= quizzes",
        arg=len(QUIZ_IDS), timeout=120_000)
    return seconds


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_module_4_renders_with_chart_quizzes_and_tools(voila_server, page, lang):
    ui = PAGE[lang]
    open_module(page, voila_server, lang)

    assert page.locator("h1").first.inner_text().strip() == ui["title"]
    headings = [h.strip() for h in page.locator("#rendered_cells h2").all_inner_texts()]
    position = -1
    for section in ui["sections"]:
        found = [i for i, h in enumerate(headings) if h.startswith(section)]
        assert found and found[0] > position, (section, headings)
        position = found[0]
    body = page.locator("#rendered_cells").inner_text()
    assert ui["other"] in body
    assert "import " not in body and "check_yourself(" not in body, "code is visible"

    # The shortcut to section 7 in the overview points at a heading that exists.
    anchor = page.locator('#rendered_cells a[href^="#7."]').first.get_attribute("href")
    # Browsers match a fragment against ids as written, then percent-decoded (HTML spec).
    assert page.evaluate("f => !!(document.getElementById(f) || document.getElementById(decodeURIComponent(f)))",
                         anchor[1:]), anchor
    assert unquote(anchor[1:]).startswith("7.-")

    # Two charts: the risk matrix of the worked example (the tool opens with it loaded) and the
    # reprisals chart of section 6.
    assert page.locator(".js-plotly-plot").count() == 2
    titles = page.eval_on_selector_all(".sp-chart .sp-chart-title", "nodes => nodes.map(n => n.textContent)")
    assert sorted(titles) == sorted([
        reprisals_figure(load("sp_facts_2024"), lang).layout.title.text,
        t("risk.chart.title", lang, threshold=t("risk.level.high", lang)),
    ])

    for quiz_id in QUIZ_IDS:
        assert page.locator(f".sp-quiz-{quiz_id}").count() == 1, quiz_id
    question = question_by_id("m4-q7")  # the Secretary-General's report deadline
    quiz = page.locator(".sp-quiz-m4-q7")
    wrong = next(i for i in range(len(question.options)) if i not in question.correct)
    quiz.get_by_label(question.options_in(lang)[wrong], exact=True).check()
    quiz.get_by_role("button", name=t("quiz.check", lang)).click()
    feedback = quiz.locator(".sp-quiz-feedback")
    feedback.locator(".sp-no").wait_for(timeout=30_000)
    assert question.options_in(lang)[question.correct[0]] in feedback.inner_text()  # shows the right answer

    # The risk matrix under section 4, the reprisal plan under section 7.
    assert next_cell_has(page, "4.", ".sp-risk")
    plan_cell = next_cell_text(page, "7.")
    assert plan_cell and "ohchr-reprisals@un.org" in plan_cell and "hrcpresidency@un.org" in plan_cell

    external = page.locator('#rendered_cells .jp-MarkdownCell a[href^="http"]')
    assert external.count() >= 8
    for i in range(external.count()):
        link = external.nth(i)
        assert link.get_attribute("target") == "_blank", link.get_attribute("href")
        assert "noopener" in (link.get_attribute("rel") or ""), link.get_attribute("href")

    assert error_outputs(page) == []
    assert external_requests(page) == []
    full_screenshot(page, ARTIFACTS / f"module-4-{lang}.png", max_height=30_000)
    violations = axe_violations(page, context="#rendered_cells .jp-MarkdownCell")
    assert violations == [], violations
