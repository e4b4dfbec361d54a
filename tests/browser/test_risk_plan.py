"""The field's model in the browser, in both languages: an incident, the risk by
threat x vulnerability / capacity, the security plan, and the whole plan exported."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.i18n import t

from .helpers import axe_violations, error_outputs, external_requests, full_screenshot, open_app, script_ran

pytestmark = pytest.mark.browser

READY = ".sp-risk select"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def shoot_parts(page, prefix: str) -> None:
    """Screenshots of the threat card, the people at risk, the incident log, the conclusion
    and the security plan, to look at (at whatever viewport the page has)."""
    parts = {"threat": ".sp-risk-card >> nth=0", "group": ".sp-risk-group >> nth=0",
             "incident": ".sp-incident >> nth=0", "conclusion": ".sp-conclusion",
             "protocol": ".sp-risk-card:has(ol) >> nth=1"}
    for name, selector in parts.items():
        target = page.locator(selector)
        target.scroll_into_view_if_needed()
        target.screenshot(path=f"{prefix}-{name}.png")


def option(key_value: int, key: str, lang: str) -> str:
    return f"{key_value} · {t(key, lang)}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_incident_risk_level_and_plan_export(voila_server, page, lang):
    open_app(page, voila_server, f"modules/{lang}/tools/risk.ipynb", READY)
    page.get_by_role("button", name=t("risk.button.add", lang)).click()
    card = page.locator(".sp-risk-card").first
    card.wait_for(timeout=30_000)

    # The threat: its actor, intent and capability.
    card.get_by_label(t("risk.field.actor_kind", lang), exact=True).select_option(
        label=t("risk.actor.state_security", lang))
    card.get_by_label(t("risk.field.actor", lang), exact=True).fill("district police " + HOSTILE)
    card.get_by_label(t("risk.field.intent", lang), exact=True).select_option(
        label=option(3, "risk.intent.3", lang))
    card.get_by_label(t("risk.field.capability", lang), exact=True).select_option(
        label=option(3, "risk.capability.3", lang))

    # The people at risk: vulnerability and capacity; the risk level appears.
    group = page.locator(".sp-risk-group").first
    group.wait_for(timeout=30_000)
    group.get_by_label(t("risk.field.vulnerability", lang), exact=True).select_option(
        label=option(4, "risk.vulnerability.4", lang))
    group.get_by_label(t("risk.field.capacity", lang), exact=True).select_option(
        label=option(2, "risk.capacity.2", lang))
    card.locator(".sp-analysis").filter(has_text="5 × 4 ÷ 2 = 10").wait_for(timeout=60_000)
    card.locator(".sp-level").filter(has_text=t("risk.level.critical", lang)).first.wait_for(timeout=30_000)
    page.locator('.sp-conclusion[data-kind="above_threshold"]').wait_for(timeout=30_000)

    # An incident of the same form against the same people: evidence of intent, and a report cycle.
    page.get_by_label(t("risk.field.incident_day", lang), exact=True).fill("2025-06-10")
    page.get_by_label(t("risk.field.incident_what", lang), exact=True).fill("followed home " + HOSTILE)
    page.get_by_label(t("risk.field.incident_form", lang), exact=True).select_option(
        label=t("risk.threat.surveillance", lang))
    page.get_by_label(t("risk.field.incident_target", lang), exact=True).select_option(
        label=t("risk.person.victims", lang))
    page.get_by_role("button", name=t("risk.button.add_incident", lang)).click()
    page.locator(".sp-incident").filter(has_text="followed home").wait_for(timeout=30_000)
    assert HOSTILE in page.locator(".sp-incident").first.inner_text()
    card.get_by_text(t("risk.analysis.incident_count", lang, count=1)).wait_for(timeout=30_000)
    page.locator(".sp-cycle").wait_for(timeout=30_000)

    # The security plan: the protocols the threat calls for, a review date.
    page.get_by_text(t("risk.protocols.implied", lang, protocols=t("risk.protocol.seized_phone", lang)),
                     exact=True).wait_for(timeout=30_000)
    page.get_by_label(t("risk.protocol.seized_phone", lang), exact=True).check()
    page.get_by_label(t("risk.field.review_date", lang), exact=True).fill("2026-01-15")
    full_screenshot(page, f"/tmp/risk-plan-{lang}.png")
    shoot_parts(page, f"/tmp/risk-plan-{lang}")

    # Export the whole plan.
    page.locator("button.sp-download").nth(2).wait_for(timeout=60_000)
    files = {}
    for index in range(3):
        with page.expect_download(timeout=60_000) as info:
            page.locator("button.sp-download").nth(index).click()
        files[info.value.suggested_filename.rsplit(".", 1)[1]] = Path(info.value.path()).read_bytes()
    markdown = files["md"].decode("utf-8")
    for text in ("5 × 4 ÷ 2 = 10", t("risk.section.security_plan", lang), t("risk.section.incidents", lang),
                 t("risk.protocol.seized_phone.1", lang), "ohchr-reprisals@un.org"):
        assert text in markdown, text
    assert "\\<img" in markdown and " <img" not in markdown  # typed HTML escaped for Markdown
    plan = json.loads(files["json"])
    assert plan["version"] == 2
    assert plan["incidents"][0]["what"] == "followed home " + HOSTILE
    assert plan["items"][0]["intent"] == 3 and plan["groups"][0]["vulnerability"] == 4
    assert plan["security_plan"]["protocols"] == ["seized_phone"]
    assert plan["security_plan"]["review_date"] == "2026-01-15"

    assert axe_violations(page) == []
    # A phone: the same page at 360 x 740.
    page.set_viewport_size({"width": 360, "height": 740})
    shoot_parts(page, f"/tmp/risk-plan-{lang}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []
