"""Module 3 (engaging with the Special Procedures) as a Voila app, in both languages.

Checks what a reader must see: the title, the section headings, the four charts
with titles in the page's language, the seven "check yourself" widgets (one is
answered), the chooser and the drafting form in place, the handoff between them,
external links opening safely in a new tab, no error output and no request to
any host but the local server. A full-page screenshot of each language is kept
in tests/.artifacts/ for people to look at.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.data import load
from course.i18n import t
from course.lessons.engagement import communications_sample_figure, replies_2024_figure
from course.lessons.quiz import question_by_id

from .helpers import axe_violations, error_outputs, external_requests, full_screenshot, open_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / ".artifacts"
NOTEBOOK = "modules/{lang}/03-engaging.ipynb"
QUIZ_IDS = [q["id"] for q in json.loads((ROOT / "course/content/quizzes/module3.json")
                                        .read_text(encoding="utf-8"))["questions"]]
PAGE = {
    "en": {"title": "Module 3: How defenders engage with the Special Procedures", "other": "中文版",
           "sections": ["1. Communications", "2. Who may submit", "3. The nine questions", "4. Try it",
                        "5. After you submit", "6. Follow up", "7. Country visits", "8. Reports",
                        "Summary", "What's next", "Resources"]},
    "zh": {"title": "模块三：人权捍卫者如何与特别程序合作", "other": "English version",
           "sections": ["1. 来文", "2. 谁可以提交", "3. 九个问题", "4. 动手试试", "5. 提交之后", "6. 跟进",
                        "7. 国家访问", "8. 报告与互动对话", "小结", "接下来", "资源"]},
}
CHARTS = 4


def open_module(page, base: str, lang: str) -> float:
    """Open the module and wait until every chart and quiz has rendered."""
    seconds = open_app(page, base, NOTEBOOK.format(lang=lang), ready_selector=".sp-quiz")
    page.wait_for_function(
        "([charts, quizzes]) => document.querySelectorAll('.js-plotly-plot').length >= charts"
        " && document.querySelectorAll('.sp-quiz').length >= quizzes",
        arg=[CHARTS, len(QUIZ_IDS)], timeout=120_000)
    return seconds


def next_cell_text(page, heading: str) -> str:
    """Text of the notebook cell right after the markdown cell whose heading starts with ``heading``."""
    return page.evaluate(
        """(heading) => {
            const cells = Array.from(document.querySelectorAll('.jp-Cell'));
            const i = cells.findIndex(c => Array.from(c.querySelectorAll('h2, h3'))
                                              .some(h => h.innerText.trim().startsWith(heading)));
            return i >= 0 && i + 1 < cells.length ? cells[i + 1].innerText : null;
        }""", heading)


def next_cell_has(page, heading: str, selector: str) -> bool:
    """Whether the cell right after the heading's markdown cell contains ``selector``."""
    return page.evaluate(
        """([heading, selector]) => {
            const cells = Array.from(document.querySelectorAll('.jp-Cell'));
            const i = cells.findIndex(c => Array.from(c.querySelectorAll('h2, h3'))
                                              .some(h => h.innerText.trim().startsWith(heading)));
            return i >= 0 && i + 1 < cells.length && cells[i + 1].querySelector(selector) !== null;
        }""", [heading, selector])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_module_3_renders_with_charts_quizzes_and_tools(voila_server, page, lang):
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

    # Charts: all four, titled in the page's language.
    assert page.locator(".js-plotly-plot").count() == CHARTS
    chart_titles = page.eval_on_selector_all(".sp-chart .sp-chart-title", "nodes => nodes.map(n => n.textContent)")
    expected = [
        communications_sample_figure(load("communications_sample"), lang).layout.title.text,
        t("engagement.wg.title", lang),
        t("engagement.timeline.title", lang),
        replies_2024_figure(load("sp_facts_2024"), lang).layout.title.text,
    ]
    assert [title.strip() for title in chart_titles] == expected

    # Every quiz is there, in order; answering one gives feedback with its source.
    for quiz_id in QUIZ_IDS:
        assert page.locator(f".sp-quiz-{quiz_id}").count() == 1, quiz_id
    question = question_by_id("m3-q1")
    quiz = page.locator(".sp-quiz-m3-q1")
    for index in question.correct:  # a multiple-answer item: every right option, and only those
        quiz.get_by_label(question.options_in(lang)[index], exact=True).check()
    quiz.get_by_role("button", name=t("quiz.check", lang)).click()
    feedback = quiz.locator(".sp-quiz-feedback .sp-ok")
    feedback.wait_for(timeout=30_000)
    assert t("quiz.correct", lang) in feedback.inner_text()
    assert ("ch. III, 1" if lang == "en" else "第三章") in quiz.locator(".sp-cite").inner_text()

    # The tools sit where the text says: the chooser under section 4, the form under its heading.
    chooser_cell = next_cell_text(page, "4.")
    assert chooser_cell and t("chooser.question.detained", lang) in chooser_cell
    form_heading = "The drafting form" if lang == "en" else "起草表格"
    form_cell = next_cell_text(page, form_heading)
    assert form_cell and t("drafting.comm_type", lang) in form_cell
    assert next_cell_has(page, "4.", ".sp-chooser") and next_cell_has(page, form_heading, ".sp-drafting")
    assert page.locator(".sp-chooser").count() == 1 and page.locator(".sp-drafting").count() == 1

    # External links open in a new tab without giving the page a handle on the course.
    external = page.locator('#rendered_cells .jp-MarkdownCell a[href^="http"]')
    assert external.count() >= 10
    for i in range(external.count()):
        link = external.nth(i)
        assert link.get_attribute("target") == "_blank", link.get_attribute("href")
        assert "noopener" in (link.get_attribute("rel") or ""), link.get_attribute("href")

    assert error_outputs(page) == []
    assert external_requests(page) == []
    full_screenshot(page, ARTIFACTS / f"module-3-{lang}.png", max_height=30_000)
    violations = axe_violations(page, context="#rendered_cells .jp-MarkdownCell")
    assert violations == [], violations


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_module_3_chooser_hands_its_choice_to_the_drafting_form(voila_server, page, lang):
    open_module(page, voila_server, lang)
    chooser = page.locator(".sp-chooser")
    yes = t("chooser.answer.yes", lang)
    chooser.get_by_label(t("chooser.question.ongoing", lang)).select_option(label=yes)
    chooser.get_by_label(t("chooser.question.detained", lang)).select_option(label=yes)
    chooser.get_by_label(t("chooser.issue.defenders", lang), exact=True).check()
    chooser.get_by_role("button", name=t("chooser.button.recommend", lang)).click()
    chooser.locator('.sp-recommendation[data-type="urgent_appeal"]').wait_for(timeout=30_000)

    handoff = chooser.locator("a.sp-handoff").get_attribute("href")
    assert handoff.startswith("tools/drafting.ipynb?type=urgent_appeal"), handoff
    chooser.get_by_role("button", name=t("chooser.button.handoff", lang)).click()

    comm_type = page.locator(".sp-drafting").get_by_label(t("drafting.comm_type", lang), exact=True)
    page.wait_for_function(
        # ipywidgets writes option texts with no-break spaces.
        "([el, text]) => el.options[el.selectedIndex]"
        " && el.options[el.selectedIndex].text.replace(/\\u00a0/g, ' ') === text",
        arg=[comm_type.element_handle(), t("submission.type.urgent_appeal", lang)], timeout=30_000)
    mandates = page.locator(".sp-drafting").get_by_label(t("drafting.mandates", lang), exact=True)
    assert mandates.evaluate("s => Array.from(s.selectedOptions).length") >= 1
    # A detention: the form offers the WGAD profile (issue 12).
    page.locator(".sp-drafting .sp-profile-offer").wait_for(timeout=30_000)

    # The two worked cases (issue 12): one preview each, the WGEID one with its open question.
    previews = page.locator(".sp-profile-preview")
    assert previews.count() == 2
    wgeid, wgad = previews.nth(0).inner_text(), previews.nth(1).inner_text()
    assert t("submission.profile.wgeid", lang) in wgeid and t("submission.profile.wgad", lang) in wgad
    assert t("submission.field.disappearance_family_contact", lang) in wgeid
    assert t("drafting.preview.nothing_missing", lang) in wgad
    assert "Identity of the person detained (questionnaire, part I)" in wgad  # the document stays in English
    assert error_outputs(page) == []
    assert external_requests(page) == []
