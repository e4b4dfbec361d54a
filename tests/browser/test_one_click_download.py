"""Issue 11: what was just typed is in the file on the FIRST click of a download, in every tool,
for every format, in both languages, on a 360x740 phone screen and on a slow link.

The slow link: every frame the page sends on its websockets (the kernel's channel) leaves
562 ms late, in order, as on Chrome's "Fast 3G" profile. A field changed twice within one
round trip then has its newest value held back by ipywidgets (one update per model in
flight), which is the case a naive "ask the kernel at once" would get wrong.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document

from course.i18n import t

from .helpers import error_outputs, external_requests, open_app, script_ran
from .test_chooser import UI as CHOOSER_UI
from .test_drafting import READY as DRAFTING_READY
from .test_drafting import UI as DRAFTING_UI
from .test_risk import READY as RISK_READY
from .test_risk import UI as RISK_UI

pytestmark = pytest.mark.browser

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
LATENCY_MS = 562

SLOW_SOCKETS = """ms => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    setTimeout(() => { try { send.call(this, data); } catch (e) { /* closed meanwhile */ } }, ms);
  };
}"""


def phone(page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})


def slow_link(page) -> None:
    """From now on, every websocket frame the page sends leaves LATENCY_MS late (order kept)."""
    page.evaluate(SLOW_SOCKETS, LATENCY_MS)


def click_once(page, button) -> bytes:
    """One click on a download button; returns the saved file's bytes."""
    with page.expect_download(timeout=120_000) as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def fits_the_screen(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 362, width


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_drafting_typed_text_is_in_every_format_on_the_first_click(voila_server, page, lang):
    ui = DRAFTING_UI[lang]
    phone(page)
    open_app(page, voila_server, f"modules/{lang}/tools/drafting.ipynb", DRAFTING_READY)
    buttons = page.locator(".sp-drafting button.sp-download")
    buttons.nth(2).wait_for(timeout=60_000)
    assert [buttons.nth(i).get_attribute("data-filename").rsplit(".", 1)[1] for i in range(3)] == ["md", "docx", "json"]
    slow_link(page)

    title = page.get_by_label(ui["title"])
    what = page.get_by_label(ui["what"], exact=True)
    name = page.get_by_label(ui["name"], exact=True)

    # Markdown: typed, left with Tab (sent), typed again at once, then the button: the second text wins.
    title.fill(f"first {lang} title")
    page.keyboard.press("Tab")
    title.fill(f"Fictional {lang} title " + HOSTILE)
    markdown = click_once(page, buttons.nth(0)).decode("utf-8")
    assert f"Fictional {lang} title" in markdown and "first " not in markdown
    assert "\\<script>" in markdown  # typed HTML stays inert in the file

    # Word: a text area typed into and the button clicked straight away.
    what.fill("他们在黎明时被带走。They were taken at dawn. " + lang)
    document = docx_text(click_once(page, buttons.nth(1)))
    assert "他们在黎明时被带走。They were taken at dawn. " + lang in document

    # JSON: the same field changed twice within one round trip, still the newest text.
    name.fill("Tomas")
    page.keyboard.press("Tab")
    name.fill("Tomas Reyes " + lang)
    data = json.loads(click_once(page, buttons.nth(2)))
    assert data["sender"]["name"] == "Tomas Reyes " + lang
    assert data["facts"]["what"].startswith("他们在黎明时被带走。")
    assert data["title"] == f"Fictional {lang} title " + HOSTILE

    fits_the_screen(page)
    buttons.nth(0).scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/one-click-drafting-{lang}-360.png")
    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []


def test_drafting_one_megabyte_and_any_script_on_the_first_click(voila_server, page):
    """1 MB typed into a text area, with RTL, emoji and a control character, then one click on
    JSON (kept exactly) and one on Word (the control character shown as U+FFFD, and said so)."""
    ui = DRAFTING_UI["en"]
    open_app(page, voila_server, "modules/en/tools/drafting.ipynb", DRAFTING_READY)
    buttons = page.locator(".sp-drafting button.sp-download")
    buttons.nth(2).wait_for(timeout=60_000)
    slow_link(page)
    huge = ("Ж" * 300_000) + ("police arrested them " * 33_000) + " مرحبا שלום 🙂 \u202e\x07 end " + HOSTILE
    what = page.get_by_label(ui["what"], exact=True)
    what.fill(huge)
    data = json.loads(click_once(page, buttons.nth(2)))
    assert data["facts"]["what"] == huge
    what.fill(huge + " (again)")
    document = docx_text(click_once(page, buttons.nth(1)))
    assert "police arrested them" in document and "🙂" in document and "\ufffd end" in document
    assert "(again)" in document
    page.locator(".sp-drafting .sp-warning").filter(has_text=t("drafting.download.replaced", "en", count=1)).wait_for(
        timeout=60_000)
    assert what.input_value() == huge + " (again)"
    assert not script_ran(page)
    assert error_outputs(page) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chooser_typed_label_is_in_the_summary_on_the_first_click(voila_server, page, lang):
    ui = CHOOSER_UI[lang]
    phone(page)
    open_app(page, voila_server, f"modules/{lang}/tools/chooser.ipynb", ".sp-chooser select")
    page.get_by_label(ui["detained"]).select_option(label=ui["yes"])
    page.get_by_role("button", name=ui["recommend"]).click()
    page.locator('.sp-recommendation[data-type="urgent_appeal"]').wait_for(timeout=60_000)
    button = page.locator(".sp-chooser button.sp-download")
    button.wait_for(timeout=60_000)
    slow_link(page)

    label = page.get_by_label(ui["label"])
    label.fill("case A")  # this field sends every change as it is typed
    label.press_sequentially(f" / fictional {lang} 张三")
    summary = click_once(page, button).decode("utf-8")
    assert f"case A / fictional {lang} 张三" in summary

    fits_the_screen(page)
    button.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/one-click-chooser-{lang}-360.png")
    assert not script_ran(page)
    assert error_outputs(page) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_risk_typed_text_is_in_every_format_on_the_first_click(voila_server, page, lang):
    ui = RISK_UI[lang]
    phone(page)
    open_app(page, voila_server, f"modules/{lang}/tools/risk.ipynb", RISK_READY)
    page.get_by_role("button", name=ui["add"]).click()
    card = page.locator(".sp-risk-card").first
    card.wait_for(timeout=60_000)
    buttons = page.locator(".sp-risk button.sp-download")
    buttons.nth(2).wait_for(timeout=60_000)
    slow_link(page)

    plan_title = page.get_by_label(ui["title"], exact=True)
    note = card.get_by_label(ui["note"], exact=True)
    plan_title.fill(f"plan {lang} " + HOSTILE)
    markdown = click_once(page, buttons.nth(0)).decode("utf-8")
    assert f"plan {lang} \\<script>" in markdown

    note.fill(f"note for Word {lang} 笔记")
    assert f"note for Word {lang} 笔记" in docx_text(click_once(page, buttons.nth(1)))

    plan_title.fill(f"renamed {lang}")
    data = json.loads(click_once(page, buttons.nth(2)))
    assert data["title"] == f"renamed {lang}" and data["items"][0]["note"] == f"note for Word {lang} 笔记"

    fits_the_screen(page)
    buttons.nth(0).scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/one-click-risk-{lang}-360.png")
    assert t("risk.download.md", lang) in buttons.nth(0).inner_text()
    assert not script_ran(page)
    assert error_outputs(page) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_module_4_reprisal_plan_typed_mandate_is_in_the_file_on_the_first_click(voila_server, page, lang):
    phone(page)
    open_app(page, voila_server, f"modules/{lang}/04-engaging-safely.ipynb", ".sp-quiz")
    mandate = page.get_by_label(t("reprisals.field.mandate", lang), exact=True).last  # the plan's own field
    mandate.wait_for(timeout=120_000)
    plan = page.locator(".sp-risk").filter(has=mandate).last
    button = plan.locator("button.sp-download")
    button.wait_for(timeout=60_000)
    assert re.fullmatch(r"reprisal-plan-\d{4}-\d{2}-\d{2}\.md", button.get_attribute("data-filename") or "")
    slow_link(page)
    mandate.fill("Working Group (fictional) " + lang + " " + HOSTILE)
    markdown = click_once(page, button).decode("utf-8")
    assert f"Working Group (fictional) {lang} \\<script>" in markdown
    fits_the_screen(page)
    assert not script_ran(page)
