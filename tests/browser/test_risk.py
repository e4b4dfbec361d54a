"""The risk matrix and reprisal plan as a Voila app, in both languages, in headless Chromium."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import axe_violations, error_outputs, external_requests, full_screenshot, open_app, script_ran

pytestmark = pytest.mark.browser

READY = ".sp-risk select"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
MIXED = " مرحبا بالعالم שלום 😀🇺🇳 \u202e\x07\x1b 张三"

UI = {
    "en": {
        "other": "中文",
        "add": "Add a risk",
        "who": "Who could be harmed:",
        "threat": "Threat:",
        "custom": "Another threat (describe it)",
        "describe": "Describe the threat:",
        "likelihood": "Likelihood:",
        "impact": "Impact:",
        "l5": "5 – almost certain",
        "i5": "5 – catastrophic (life or liberty)",
        "partner": "Submit through a partner NGO",
        "res_l": "Likelihood after these measures:",
        "res_i": "Impact after these measures:",
        "l1": "1 – very unlikely",
        "i3": "3 – serious",
        "note": "Notes:",
        "date": "Date of the incident:",
        "deadline": "15 April 2026",
        "future": "This date is in the future",
        "title": "Name of this plan:",
        "save": "Save (encrypted)",
        "saved": "Saved on this computer, encrypted with your passphrase",
        "critical": "Critical",
        "upload": "Load a .json plan",
        "loaded": "Plan loaded from the file.",
        "restore": "Restore",
        "delete": "Delete",
    },
    "zh": {
        "other": "English",
        "add": "添加一项风险",
        "who": "可能受到伤害的是：",
        "threat": "威胁：",
        "custom": "其他威胁（请说明）",
        "describe": "描述该威胁：",
        "likelihood": "可能性：",
        "impact": "影响程度：",
        "l5": "5 – 几乎肯定",
        "i5": "5 – 灾难性（危及生命或人身自由）",
        "partner": "通过合作的非政府组织提交",
        "res_l": "采取措施后的可能性：",
        "res_i": "采取措施后的影响程度：",
        "l1": "1 – 极不可能",
        "i3": "3 – 严重",
        "note": "备注：",
        "date": "事件发生日期：",
        "deadline": "2026年4月15日",
        "future": "这个日期还没有到",
        "title": "计划名称：",
        "save": "加密保存",
        "saved": "已加密保存在这台电脑上",
        "critical": "极高",
        "upload": "载入 .json 计划",
        "loaded": "已从文件载入计划。",
        "restore": "恢复",
        "delete": "删除",
    },
}


def upload_file(page, button: str, path: Path) -> None:
    """Pick a file through the upload button, as a user does."""
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.get_by_label(button).click()
    chooser.value.set_files(str(path))


def conclusion_kind(page, kind: str) -> None:
    page.locator(f'.sp-conclusion[data-kind="{kind}"]').wait_for(timeout=30_000)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_risk_end_to_end(voila_server, page, lang):
    ui = UI[lang]
    open_app(page, voila_server, f"modules/{lang}/tools/risk.ipynb", READY)
    assert page.locator(".sp-warning").first.is_visible()
    conclusion_kind(page, "empty")

    # One risk, made critical, then brought down by a measure.
    page.get_by_role("button", name=ui["add"]).click()
    card = page.locator(".sp-risk-card").first
    card.wait_for(timeout=30_000)
    card.get_by_label(ui["threat"], exact=True).select_option(label=ui["custom"])
    card.get_by_label(ui["describe"], exact=True).fill(HOSTILE + MIXED)
    card.get_by_label(ui["likelihood"], exact=True).select_option(label=ui["l5"])
    card.get_by_label(ui["impact"], exact=True).select_option(label=ui["i5"])
    conclusion_kind(page, "above_threshold")
    page.locator(".sp-risk-table td").filter(has_text=ui["critical"]).first.wait_for(timeout=30_000)
    card.get_by_label(ui["partner"], exact=True).check()
    card.get_by_label(ui["res_l"], exact=True).select_option(label=ui["l1"])
    card.get_by_label(ui["res_i"], exact=True).select_option(label=ui["i3"])
    conclusion_kind(page, "proceed_with_mitigations")
    card.get_by_label(ui["note"], exact=True).fill(MIXED + HOSTILE)

    # A second risk so the chart holds more than one labelled item.
    page.get_by_role("button", name=ui["add"]).click()
    page.locator(".sp-risk-card").nth(1).wait_for(timeout=30_000)
    page.locator(".sp-risk-table tbody tr").nth(1).wait_for(timeout=30_000)

    table = page.locator(".sp-risk-table").inner_text()
    assert HOSTILE in table, "typed HTML must be shown as text"
    assert "مرحبا" in table and "שלום" in table and "😀" in table
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    chart_text = page.locator(".js-plotly-plot").first.inner_text()
    assert "R1" in chart_text and "R2" in chart_text and "R1′" in chart_text
    assert not script_ran(page)

    # The report-cycle calculator: a future date is refused, a real one gives the cycle.
    date_box = page.get_by_label(ui["date"], exact=True)
    date_box.fill("2999-01-01")
    page.locator(".sp-risk .sp-error").filter(has_text=ui["future"]).wait_for(timeout=30_000)
    date_box.fill("2025-06-10")
    page.locator(".sp-cycle").filter(has_text=ui["deadline"]).wait_for(timeout=30_000)

    # Save encrypted (setting or entering the passphrase first), then download all three files.
    page.get_by_label(ui["title"], exact=True).fill("practice " + HOSTILE)
    from .test_drafting import unlock_or_set

    unlock_or_set(page, lang)
    page.get_by_role("button", name=ui["save"]).click()
    page.locator(".sp-ok").filter(has_text=ui["saved"]).wait_for(timeout=30_000)
    # One click per file: each is built from the plan when its button is clicked.
    page.locator("button.sp-download").nth(2).wait_for(timeout=60_000)
    files = {}
    for index in range(3):
        with page.expect_download(timeout=60_000) as info:
            page.locator("button.sp-download").nth(index).click()
        download = info.value
        files[download.suggested_filename.rsplit(".", 1)[1]] = Path(download.path()).read_bytes()
    assert set(files) == {"md", "docx", "json"}
    markdown = files["md"].decode("utf-8")
    assert "\\<script>" in markdown and "ohchr-reprisals@un.org" in markdown
    assert files["docx"][:2] == b"PK"
    plan = json.loads(files["json"])
    assert plan["items"][0]["custom_threat_label"].startswith(HOSTILE)
    assert plan["items"][0]["mitigations"] == ["partner_ngo"]
    assert plan["incident_date"] == "2025-06-10"

    full_screenshot(page, f"/tmp/risk-{lang}.png")
    violations = axe_violations(page)
    assert violations == [], violations

    # Switching language relabels everything and keeps what was typed and chosen.
    typed = card.get_by_label(ui["describe"], exact=True).input_value()
    page.get_by_role("button", name=ui["other"], exact=True).click()
    other = UI["zh" if lang == "en" else "en"]
    page.get_by_role("button", name=other["add"]).wait_for(timeout=30_000)
    assert card.get_by_label(other["describe"], exact=True).input_value() == typed
    assert card.get_by_label(other["likelihood"], exact=True).evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ") == other["l5"]
    assert card.get_by_label(other["partner"], exact=True).is_checked()
    assert page.get_by_label(other["date"], exact=True).input_value() == "2025-06-10"
    page.locator(".sp-cycle").filter(has_text=other["deadline"]).wait_for(timeout=30_000)
    conclusion_kind(page, "proceed_with_mitigations")
    full_screenshot(page, f"/tmp/risk-{lang}-switched.png")

    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []


def test_risk_hostile_huge_input_and_reload(voila_server, page, tmp_path):
    ui = UI["zh"]
    open_app(page, voila_server, "modules/zh/tools/risk.ipynb", READY)
    # Empty submissions: downloading with nothing entered works.
    page.locator("button.sp-download").nth(2).wait_for(timeout=60_000)

    page.get_by_role("button", name=ui["add"]).click()
    card = page.locator(".sp-risk-card").first
    card.wait_for(timeout=30_000)
    huge = ("证" * 500_000) + ("x" * 500_000)  # 1 M characters
    card.get_by_label(ui["note"], exact=True).fill(huge)
    card.get_by_label(ui["likelihood"], exact=True).select_option(label=ui["l5"])
    page.locator(".sp-risk-table td").filter(has_text="5").first.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        page.locator("button.sp-download").nth(2).click()
    saved = Path(info.value.path())
    assert huge in json.loads(saved.read_text(encoding="utf-8"))["items"][0]["note"]

    # A broken upload is refused with a message; nothing typed is lost.
    broken = tmp_path / "broken.json"
    broken.write_text("{not json " + HOSTILE, encoding="utf-8")
    upload_file(page, ui["upload"], broken)
    page.locator(".sp-risk .sp-error[role=alert]").wait_for(timeout=30_000)  # not the conclusion box
    assert card.get_by_label(ui["note"], exact=True).input_value() == huge

    # The real file loads back.
    card.get_by_label(ui["note"], exact=True).fill("temporary")
    upload = tmp_path / "plan.json"
    upload.write_bytes(saved.read_bytes())
    upload_file(page, ui["upload"], upload)
    page.locator(".sp-ok").filter(has_text=ui["loaded"]).wait_for(timeout=60_000)
    assert page.locator(".sp-risk-card").first.get_by_label(ui["note"], exact=True).input_value() == huge

    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []
