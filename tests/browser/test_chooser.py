"""The communication-type chooser as a Voila app, in both languages, in headless Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import axe_violations, error_outputs, external_requests, full_screenshot, open_app, script_ran

pytestmark = pytest.mark.browser

READY = ".sp-chooser select"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
MIXED = " مرحبا بالعالم שלום 😀🇺🇳 \u202e\x07 张三"

UI = {
    "en": {
        "other": "中文",
        "detained": "Is someone detained (arrested, held or in prison)?",
        "disappeared": "Has someone gone missing after being taken, with the authorities saying nothing about where they are?",
        "responsible": "Who is responsible for the harm?",
        "company": "A company",
        "yes": "Yes",
        "issues": ["Human rights defenders", "Torture or ill-treatment"],
        "label": "Your own label for this case (optional, no real names)",
        "recommend": "Show the recommendation",
        "date": "Date sent (YYYY-MM-DD)",
        "dates": "Work out the dates",
        "type": "Urgent appeal",
        "bad_day": "has no day 30",
        "deadline": "4 January 2025",
        "other_type": "紧急呼吁",
    },
    "zh": {
        "other": "English",
        "detained": "是否有人被拘留（被逮捕、被羁押或在监狱中）？",
        "disappeared": "是否有人被带走后下落不明，而当局对其去向闭口不谈？",
        "responsible": "谁应对这一伤害负责？",
        "company": "企业",
        "yes": "是",
        "issues": ["人权捍卫者", "酷刑或虐待"],
        "label": "给这个案件起个标签（可选，请勿使用真实姓名）",
        "recommend": "查看建议",
        "date": "发出日期（年-月-日）",
        "dates": "推算日期",
        "type": "紧急呼吁",
        "bad_day": "没有30日",
        "deadline": "2025年1月4日",
        "other_type": "Urgent appeal",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chooser_end_to_end(voila_server, page, lang):
    ui = UI[lang]
    open_app(page, voila_server, f"modules/{lang}/tools/chooser.ipynb", READY)
    assert page.locator(".sp-warning").is_visible()

    page.get_by_label(ui["detained"]).select_option(label=ui["yes"])
    page.get_by_label(ui["disappeared"]).select_option(label=ui["yes"])
    page.get_by_label(ui["responsible"]).select_option(label=ui["company"])
    for issue in ui["issues"]:
        page.get_by_label(issue, exact=True).check()
    page.get_by_label(ui["label"]).fill(HOSTILE + MIXED)
    page.get_by_role("button", name=ui["recommend"]).click()

    recommendation = page.locator('.sp-recommendation[data-type="urgent_appeal"]')
    recommendation.wait_for(timeout=30_000)
    assert ui["type"] in recommendation.inner_text()
    result = page.locator(".sp-chooser").inner_text()
    assert HOSTILE in result, "typed HTML must be shown as text"
    assert "مرحبا" in result and "שלום" in result and "😀" in result and "张三" in result
    assert not script_ran(page)
    assert page.locator('[data-route="wgad_opinion"]').is_visible()
    assert page.locator('[data-route="wgeid_humanitarian"]').is_visible()
    assert "145" in result  # non-State actors, A/HRC/58/70 para. 8

    form = page.locator('a[href="https://spsubmission.ohchr.org/"]')
    assert form.count() == 1 and form.get_attribute("target") == "_blank"
    assert "noopener" in form.get_attribute("rel")
    handoff = page.locator("a.sp-handoff").get_attribute("href")
    assert handoff.startswith("drafting.ipynb?type=urgent_appeal&mandates=")
    assert {"human-rights-defenders", "arbitrary-detention", "enforced-disappearances", "torture",
            "business-and-human-rights"} == set(handoff.split("mandates=")[1].split(","))

    date_box = page.get_by_label(ui["date"])
    date_box.fill("2024-02-30")
    page.get_by_role("button", name=ui["dates"]).click()
    page.locator(".sp-chooser .sp-error").filter(has_text=ui["bad_day"]).wait_for(timeout=30_000)
    date_box.fill("2024-11-05")
    page.get_by_role("button", name=ui["dates"]).click()
    page.locator("table.sp-timeline").filter(has_text=ui["deadline"]).wait_for(timeout=30_000)

    with page.expect_download(timeout=30_000) as download_info:
        page.locator("button.sp-download").click()  # one click: the summary is built then
    download = download_info.value
    assert download.suggested_filename == "communication-choice.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert ui["type"] in text and "`arbitrary-detention`" in text and ui["deadline"] in text
    # Typed HTML stays inert: escaped where it would become markup, so rendered Markdown has no element from it.
    import mistune  # installed with nbconvert

    rendered = mistune.create_markdown()(text)
    assert "\\<script>" in text and "<script" not in rendered and "<img" not in rendered

    full_screenshot(page, f"/tmp/chooser-{lang}.png")
    violations = axe_violations(page)
    assert violations == [], violations

    # Switching language relabels everything and keeps what was typed and chosen.
    typed_label = page.get_by_label(ui["label"]).input_value()
    assert typed_label.startswith(HOSTILE) and "😀" in typed_label
    page.get_by_role("button", name=ui["other"], exact=True).click()
    page.locator(".sp-recommendation").filter(has_text=ui["other_type"]).wait_for(timeout=30_000)
    other = UI["zh" if lang == "en" else "en"]
    assert page.get_by_label(other["label"]).input_value() == typed_label
    assert page.get_by_label(other["detained"]).evaluate("s => s.options[s.selectedIndex].text") == other["yes"]
    assert page.get_by_label(other["date"]).input_value() == "2024-11-05"
    # The timeline is redrawn after the recommendation: wait for it rather than race it.
    page.locator("table.sp-timeline").filter(has_text=other["deadline"]).first.wait_for(timeout=30_000)
    assert page.locator("table.sp-timeline").filter(has_text=other["deadline"]).count() == 1
    assert page.get_by_label(other["issues"][1], exact=True).is_checked()
    full_screenshot(page, f"/tmp/chooser-{lang}-switched.png")

    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []


def test_chooser_hostile_and_huge_input(voila_server, page):
    ui = UI["en"]
    open_app(page, voila_server, "modules/en/tools/chooser.ipynb", READY)
    huge = ("证" * 500_000) + ("x" * 500_000)  # 1 MB of characters
    page.get_by_label(ui["label"]).fill(huge)
    page.get_by_label(ui["date"]).fill(HOSTILE + "\x01\x1b" + MIXED)
    page.get_by_role("button", name=ui["dates"]).click()
    error = page.locator(".sp-chooser .sp-error")
    error.wait_for(timeout=30_000)
    assert HOSTILE in error.inner_text()
    page.get_by_role("button", name=ui["recommend"]).click()  # nothing answered: a note, no type
    page.locator(".sp-note").filter(has_text="Answer at least one").wait_for(timeout=60_000)
    assert page.locator("a.sp-handoff").count() == 0
    for typed in ("0000-01-01", "9999-12-31", "2024-13-01"):
        page.get_by_label(ui["date"]).fill(typed)
        page.get_by_role("button", name=ui["dates"]).click()
        page.locator(".sp-chooser .sp-error").filter(has_text=typed).wait_for(timeout=30_000)
    assert page.get_by_label(ui["label"]).input_value() == huge
    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []


PHONE_FIT = """() => {
  const shown = el => el.getBoundingClientRect().width > 0;
  const spill = [], clipped = [];
  for (const box of document.querySelectorAll('.sp-chooser .widget-checkbox')) {
    const r = box.getBoundingClientRect(), p = box.parentElement.getBoundingClientRect();
    if (shown(box) && (r.left < p.left - 0.5 || r.right > p.right + 0.5)) spill.push([box.innerText, r.right - p.right]);
  }
  for (const label of document.querySelectorAll('.sp-chooser .widget-label')) {
    if (shown(label) && (label.scrollHeight > label.clientHeight + 1 || label.scrollWidth > label.clientWidth + 1)) {
      clipped.push(label.innerText);
    }
  }
  return {spill, clipped, width: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chooser_checkboxes_and_questions_fit_a_phone(voila_server, page, lang):
    """At 360 px every checkbox (issues, then the suggested mandates) stays inside its box and
    every question is shown whole, not cut at the end of its first line."""
    ui = UI[lang]
    page.set_viewport_size({"width": 360, "height": 740})
    open_app(page, voila_server, f"modules/{lang}/tools/chooser.ipynb", READY)
    page.get_by_label(ui["detained"]).select_option(label=ui["yes"])
    page.get_by_label(ui["issues"][0], exact=True).check()
    page.get_by_role("button", name=ui["recommend"]).click()
    page.locator('.sp-recommendation[data-type="urgent_appeal"]').wait_for(timeout=60_000)
    page.locator(".sp-chooser .sp-mandates .widget-checkbox, .sp-chooser .widget-checkbox").nth(18).wait_for(
        timeout=60_000)
    fit = page.evaluate(PHONE_FIT)
    assert fit["spill"] == [] and fit["clipped"] == [] and fit["width"] <= 362, fit
    page.get_by_label(ui["issues"][0], exact=True).scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/chooser-{lang}-360-issues.png")
