"""The draft check is a table of small cited rules; each is tested on its own, as data."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from course.tools.drafting import rules as m
from tests.test_submission import complete

TODAY = date(2025, 6, 30)
CTX = m.CheckContext(today=TODAY, answered=frozenset(range(1, 10)))
CANONICAL = re.compile(r"^ISHR Practical Guide \(2025\), ch\. (?:I|II|III|IV)(?:, [0-9]+)?$")


def codes(rule, sub, ctx=CTX) -> list[str]:
    return [finding.code for finding in rule(sub, ctx)]


def test_the_complete_draft_passes_every_rule():
    for rule in m.RULES:
        assert codes(rule, complete()) == [], rule.__name__


def test_every_rule_is_documented_and_cited():
    for rule in m.RULES:
        assert rule.__doc__ and "ch." in rule.__doc__, rule.__name__


def test_findings_are_data_not_text():
    sub = m.Submission(facts=m.Facts(date_from="2025-02-30"), consent=m.Consent(names_to_government=False),
                       victims=[m.Victim(name="A"), m.Victim(name="B")])
    found = m.findings(sub, TODAY)
    assert found
    for finding in found:
        assert finding.key.startswith("submission.issue.") and CANONICAL.match(finding.citation), finding
        assert all(not isinstance(value, str) or not re.search(r"[\u4e00-\u9fff]", value)
                   for _name, value in finding.values)
    names = next(f for f in found if f.code == "confidential.names")
    assert dict(names.values)["numbers"] == m.Numbers((1, 2))
    assert "1" in names.text("en") and "2" in names.text("zh")


def test_rule_type_and_mandates():
    assert codes(m.rule_type_and_mandates, m.Submission()) == ["type.missing", "mandates.missing"]


def test_rule_required_answers():
    assert codes(m.rule_required_answers, m.Submission()) == [
        "required.sender_contact", "required.sender_name", "required.victims", "required.facts_what",
        "required.requests"]
    sub = complete()
    sub.facts.date_from, sub.facts.places = "", ""
    assert codes(m.rule_required_answers, sub) == ["facts.when_where"]


def test_rule_unanswered_questions():
    ctx = replace(CTX, answered=frozenset({1, 3, 4, 5, 9}))
    found = list(m.rule_unanswered_questions(complete(), ctx))
    assert [f.code for f in found] == ["unanswered.q2", "unanswered.q6", "unanswered.q7", "unanswered.q8"]
    assert m.question_title(2, "zh") in found[0].text("zh")


def test_rule_urgency():
    sub = complete()
    sub.urgency.why = ""
    assert codes(m.rule_urgency, sub) == ["urgency.why"]
    sub.urgency.is_urgent = False
    assert codes(m.rule_urgency, sub) == ["urgency.type_mismatch"]


@pytest.mark.parametrize("change,expected", [
    ({"date_from": "2025-02-30"}, ["date.invalid"]),
    ({"date_from": "2026-01-01"}, ["date.future"]),
    ({"date_from": "2025-05-02", "date_to": "2025-04-01"}, ["date.order"]),
    ({"date_from": "2025年5月", "date_to": "2025"}, []),
])
def test_rule_dates(change, expected):
    sub = complete()
    for name, value in change.items():
        setattr(sub.facts, name, value)
    assert codes(m.rule_dates, sub) == expected


def test_rule_dates_window_past():
    sub = complete()
    sub.urgency.window_date = "2025-06-01"
    assert codes(m.rule_dates, sub) == ["window.past"]


def test_rule_victims():
    sub = m.Submission(victims=[m.Victim(name="A", age="200"), m.Victim(name="", age="30")])
    assert codes(m.rule_victims, sub) == ["victim.age", "victim.name"]


def test_rule_consent():
    assert codes(m.rule_consent, m.Submission(consent=m.Consent(given_by="none"))) == ["consent.none"]
    assert codes(m.rule_consent, m.Submission()) == [
        "consent.missing", "consent.names_to_government", "consent.may_publish", "consent.in_writing"]
    sub = complete()
    sub.consent.names_to_government = False
    assert codes(m.rule_consent, sub) == ["confidential.names"]
    sub.confidential.add("victims.0.name")
    assert codes(m.rule_consent, sub) == []


def test_rule_confidential_parts():
    sub = complete()
    sub.confidential |= {"facts.what", "victims.0.name"}
    assert codes(m.rule_confidential_parts, sub) == ["confidential.too_much"]


def test_rule_press_release_and_consent_to_publish():
    sub = complete()
    sub.requests.press_release = True
    assert codes(m.rule_press_release, sub) == ["press.why"]
    assert codes(m.rule_consent, sub) == ["consent.press"]


def test_rule_sources():
    sub = complete()
    sub.source_types = {"media"}
    assert codes(m.rule_sources, sub) == ["sources.media_only"]
    sub.source_types = set()
    assert codes(m.rule_sources, sub) == ["sources.missing"]


def test_rule_translations():
    sub = complete()
    sub.facts.translations = None
    assert codes(m.rule_translations, sub) == ["facts.translations"]


def test_rule_length():
    sub = complete()
    sub.facts.what = "x " * 20_000
    assert set(codes(m.rule_length, sub)) == {"length.field", "length.total"}


def test_rule_language():
    sub = complete()
    sub.facts.what = "警察在她发表关于强迫驱逐的报告后，在办公室逮捕了她，此后一直不准她见家人。"
    found = list(m.rule_language(sub, CTX))
    assert [f.code for f in found] == ["language.script"]
    assert "facts" == found[0].section and found[0].text("en")


def test_a_detected_language_is_named_in_the_readers_language_not_by_its_code():
    from course.tools.drafting.rules import FieldName, Finding, LanguageName

    finding = Finding("language_other", "facts", "warning", "submission.issue.language_other", "",
                      values=(("field", FieldName("facts.what")), ("language", LanguageName("no"))))
    assert "Norwegian" in finding.text("en") and "“no”" not in finding.text("en")
    assert "挪威语" in finding.text("zh")
