"""The Secretary-General's report cycle calculator and the reprisal contacts."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from course.i18n import t
from course.tools.risk import reprisals

TODAY = date(2025, 7, 1)


def test_example_from_the_brief():
    cycle = reprisals.report_cycle(date(2025, 6, 10), today=TODAY)
    assert cycle.period_start == date(2025, 5, 1)
    assert cycle.period_end == date(2026, 4, 30)
    assert cycle.submission_deadline == date(2026, 4, 15)
    assert (cycle.presentation_month_year.year, cycle.presentation_month_year.month) == (2026, 9)
    assert cycle.status == "open" and cycle.days_left == (date(2026, 4, 15) - TODAY).days
    assert "ch. IV" in cycle.citation


def test_incident_after_the_15_april_deadline():
    cycle = reprisals.report_cycle(date(2026, 4, 20), today=date(2026, 4, 25))
    assert (cycle.period_start, cycle.period_end) == (date(2025, 5, 1), date(2026, 4, 30))
    assert cycle.submission_deadline == date(2026, 4, 15)
    assert cycle.status == "after_deadline"
    assert cycle.next_deadline == date(2027, 4, 15)
    assert (cycle.next_presentation.year, cycle.next_presentation.month) == (2027, 9)
    text = " ".join(reprisals.describe_cycle(cycle, "en"))
    assert "follow-up" in text and "15 April 2027" in text and "ohchr-reprisals@un.org" in text
    zh = " ".join(reprisals.describe_cycle(cycle, "zh"))
    assert "2027年4月15日" in zh and "后续" in zh


@pytest.mark.parametrize("incident,start_year", [
    (date(2025, 5, 1), 2025),   # first day of a period
    (date(2025, 4, 30), 2024),  # last day of the previous one
    (date(2025, 4, 15), 2024),  # deadline day itself: still in time
    (date(2024, 12, 31), 2024),
    (date(2025, 1, 1), 2024),
    (date(2024, 2, 29), 2023),  # leap day
])
def test_period_boundaries(incident, start_year):
    cycle = reprisals.report_cycle(incident, today=incident)
    assert cycle.period_start == date(start_year, 5, 1)
    assert cycle.period_end == date(start_year + 1, 4, 30)
    assert cycle.submission_deadline == date(start_year + 1, 4, 15)
    assert cycle.period_start <= incident <= cycle.period_end


def test_deadline_day_is_open_and_day_after_is_late():
    assert reprisals.report_cycle(date(2025, 4, 15), today=date(2025, 4, 15)).status == "open"
    assert reprisals.report_cycle(date(2025, 4, 16), today=date(2025, 4, 16)).status == "after_deadline"


def test_deadline_passed_by_today():
    cycle = reprisals.report_cycle(date(2024, 6, 1), today=date(2025, 6, 1))
    assert cycle.status == "deadline_passed" and cycle.days_left is None
    assert cycle.next_deadline == date(2026, 4, 15)


@pytest.mark.parametrize("value", ["2025-06-10", datetime(2025, 6, 10, 14, 30), date(2025, 6, 10)])
def test_accepted_date_forms(value):
    assert reprisals.report_cycle(value, today=TODAY).submission_deadline == date(2026, 4, 15)


@pytest.mark.parametrize("value,key", [
    ("2025-02-30", "reprisals.error.bad_date"),
    ("2025-13-01", "reprisals.error.bad_date"),
    ("10/06/2025", "reprisals.error.bad_date"),
    ("<script>alert(1)</script>", "reprisals.error.bad_date"),
    ("9" * 1_000_000, "reprisals.error.bad_date"),
    (20250610, "reprisals.error.bad_date"),
    ("", "reprisals.error.no_date"),
    (None, "reprisals.error.no_date"),
    (date(2025, 7, 2), "reprisals.error.future"),
    (date(1, 1, 1), "reprisals.error.bad_date"),
])
def test_impossible_dates_are_refused_with_a_message(value, key):
    with pytest.raises(reprisals.ReprisalError) as info:
        reprisals.report_cycle(value, today=TODAY)
    assert info.value.key == key
    assert info.value.message("zh") and info.value.message("en")


def test_contacts_as_the_guide_lists_them():
    by_id = {c.id: c for c in reprisals.CONTACTS}
    assert list(by_id) == ["mandate", "ohchr_reprisals", "hrc_presidency"]
    assert by_id["ohchr_reprisals"].address == "ohchr-reprisals@un.org"
    assert by_id["hrc_presidency"].address == "hrcpresidency@un.org"
    assert by_id["mandate"].address is None
    for contact in reprisals.CONTACTS:
        assert "ch. IV" in contact.citation
        assert t(contact.label_key, "zh") and t(contact.help_key, "en")
    assert "安全渠道" in t("reprisals.contact.ohchr_reprisals.help", "zh")


def test_other_responses_listed():
    ids = [r.id for r in reprisals.RESPONSES]
    assert ids == ["communications", "press_releases", "reports", "meetings", "focal_point", "asg", "sg_report"]
    for response in reprisals.RESPONSES:
        assert t(response.label_key, "zh") and t(response.help_key, "en")


def test_contact_lines_escape_the_typed_mandate():
    from course import safe_text

    lines = reprisals.contact_lines("<b>WG</b>", "en", safe_text.markdown_text)
    assert "\\<b>WG\\</b>" in lines[0]
    assert reprisals.contact_lines("", "zh")[0].endswith(t("reprisals.contact.mandate.unknown", "zh"))


def test_plan_sections_handle_a_bad_date_without_crashing():
    sections = reprisals.plan_sections("", date(2999, 1, 1), "en", today=TODAY)
    assert t("reprisals.error.future", "en") in sections[-1].paragraphs
    assert [len(s.bullets) for s in sections] == [len(reprisals.CONTACTS), len(reprisals.RESPONSES), 0]
