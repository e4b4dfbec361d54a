"""The protection field's model in the risk tool: formula and bands, measures that act on what
they claim, incidents, protocols in both languages, the worked examples, and round trips."""
from __future__ import annotations

import io
import json
import re
from datetime import date
from fractions import Fraction

import pytest

from course.i18n import load_catalogue, t
from course.tools.risk import examples, exports, protection, security_plan
from course.tools.risk import rules as risk
from course.tools.risk.incidents import Incident
from course.tools.risk.rules import AtRisk, RiskItem, RiskRegister

CJK = re.compile(r"[\u4e00-\u9fff]")

# ------------------------------------------------------------------ formula and bands

# Worked out by hand from the table in protection's docstring (not from the code):
# (intent, capability, vulnerability, capacity) -> (threat, risk as text, level)
HAND_TABLE = [
    ((1, 1, 1, 5), (1, "1/5", "low")),
    ((1, 1, 1, 1), (1, "1", "low")),
    ((1, 2, 3, 2), (2, "3", "medium")),
    ((2, 1, 1, 1), (2, "2", "medium")),      # exactly 2: medium, not low
    ((1, 1, 5, 3), (1, "5/3", "low")),       # 1.67
    ((2, 2, 3, 3), (3, "3", "medium")),
    ((2, 2, 5, 3), (3, "5", "high")),        # exactly 5: high
    ((2, 2, 4, 3), (3, "4", "medium")),
    ((3, 2, 4, 4), (4, "4", "medium")),
    ((2, 3, 5, 2), (4, "10", "critical")),   # exactly 10: critical
    ((3, 3, 4, 2), (5, "10", "critical")),
    ((3, 3, 3, 2), (5, "15/2", "high")),     # 7.5
    ((3, 3, 5, 1), (5, "25", "critical")),
    ((3, 3, 1, 5), (5, "1", "low")),
    ((1, 3, 3, 2), (3, "9/2", "medium")),    # 4.5
    ((3, 2, 5, 2), (4, "10", "critical")),
    ((2, 3, 3, 3), (4, "4", "medium")),
    ((2, 3, 2, 3), (4, "8/3", "medium")),
    ((2, 3, 1, 3), (4, "4/3", "low")),
]


@pytest.mark.parametrize("ratings,expected", HAND_TABLE)
def test_formula_and_bands_against_a_hand_table(ratings, expected):
    intent, capability, vulnerability, capacity = ratings
    threat, value, level = expected
    assert protection.threat_score(intent, capability) == threat
    assert protection.risk_value(threat, vulnerability, capacity) == Fraction(value)
    assert protection.formula_level(threat, vulnerability, capacity) == level


def test_every_combination_against_integer_bands():
    # Independent of Fraction: compare t*v with the bounds times c in whole numbers.
    def by_hand(t, v, c):
        if t * v < 2 * c:
            return "low"
        if t * v < 5 * c:
            return "medium"
        if t * v < 10 * c:
            return "high"
        return "critical"

    seen = set()
    for t_ in range(1, 6):
        for v in range(1, 6):
            for c in range(1, 6):
                level = protection.formula_level(t_, v, c)
                assert level == by_hand(t_, v, c), (t_, v, c)
                seen.add(level)
    assert seen == set(risk.LEVELS)


@pytest.mark.parametrize("bad", [0, 6, 2.5, "3", None, True])
def test_ratings_outside_the_scales_are_refused(bad):
    with pytest.raises(risk.RiskError):
        protection.risk_value(bad, 3, 3)
    with pytest.raises(risk.RiskError):
        protection.threat_score(bad, 2)
    with pytest.raises(risk.RiskError):
        protection.threat_score(2, 4)


def test_scales_and_bands_are_documented_in_the_module_docstring():
    doc = protection.__doc__
    for text in ("risk = threat x vulnerability / capacity", "below 2", "2 to below 5", "5 to below 10",
                 "10 and above", "threat = intent + capability - 1", "New Protection Manual",
                 "Workbook on Security"):
        assert text in doc


def test_each_step_names_its_manual_in_both_languages():
    assert [s[0] for s in protection.STEPS] == ["context", "actors", "threats", "vulnerabilities", "capacities",
                                                "risk", "plan", "review"]
    for _id, key, manuals in protection.STEPS:
        assert manuals
        for lang in ("zh", "en"):
            assert t(key, lang)
            for manual in manuals:
                assert t(manual, lang)
    assert "Protection International" in t(protection.MANUAL_PI, "en")
    assert "Front Line Defenders" in t(protection.MANUAL_FLD, "zh")


# ------------------------------------------------------------------ measures act on what they claim


def test_every_measure_declares_what_it_acts_on():
    assert {m.id for m in protection.MEASURES} == set(risk.MITIGATION_IDS)
    for measure in protection.MEASURES:
        assert measure.acts_on <= set(protection.TERMS)
        assert measure.forms is None or measure.forms <= set(risk.THREAT_IDS)
    assert protection.MEASURE_BY_ID["informed_consent"].acts_on == frozenset()


def test_consent_never_lowers_the_risk_of_violence_in_custody():
    custody = RiskItem("victims", "physical_violence", 3, 5, ["informed_consent"], 2, 5,
                       intent=2, capability=3, after_vulnerability=3, after_capacity=4)
    register = RiskRegister([custody], groups=[AtRisk("victims", vulnerability=5, capacity=2)])
    result = register.analysis(custody)
    assert (result.value, result.after_value) == (Fraction(10), Fraction(10))
    assert result.uncredited == ("vulnerability", "capacity")
    assert custody.grid_level_after_measures == "high"  # 3x5 stays: the 2x5 rating is not credited
    assert register.level_after_measures(custody) == "critical"
    outcome = risk.conclusion(register)
    assert outcome.kind == "above_threshold" and outcome.items_uncredited == (1,)


def test_a_measure_is_credited_only_for_the_term_and_forms_it_acts_on():
    assert protection.credited_after("capacity", 2, 3, ["legal_support"], "arbitrary_arrest") == 3
    assert protection.credited_after("capacity", 2, 3, ["legal_support"], "killing") == 2
    assert protection.credited_after("vulnerability", 4, 2, ["encrypted_channels"], "surveillance") == 2
    assert protection.credited_after("vulnerability", 4, 2, ["encrypted_channels"], "killing") == 4
    assert protection.credited_after("vulnerability", 4, 2, ["alert_network"], "killing") == 4  # capacity only
    assert protection.credited_after("threat", 3, 2, ["public_visibility"], "physical_violence") == 2
    # A rating that gets worse always counts: the situation changed.
    assert protection.credited_after("vulnerability", 2, 4, [], "smear") == 4
    assert protection.credited_after("capacity", 3, 1, [], "smear") == 1


def test_above_threshold_explained_in_the_fields_terms():
    outcome = risk.conclusion(examples.example("aruna", "en"))
    assert outcome.kind == "above_threshold"
    lines = " ".join(exports._conclusion_text(outcome, "en"))
    for word in ("reduce the threats", "vulnerabilities", "capacities", "everyone concerned", "Do no harm"):
        assert word in lines
    assert "do_no_harm" not in risk.CONCLUSIONS and not hasattr(RiskItem, "effective_level")


# ------------------------------------------------------------------ the worked examples (module 4)


def test_worked_example_numbers():
    register = examples.example("nadia", "en")
    assert examples.summary_rows(register) == [
        ("R1", "10", "critical", "6.7", "high"),
        ("R2", "4", "medium", "2.7", "medium"),
        ("R3", "4.5", "medium", "3", "medium"),
        ("R4", "3", "medium", "2", "medium"),
        ("R5", "4", "medium", "1.3", "low"),
    ]
    outcome = risk.conclusion(register)
    assert outcome.kind == "proceed_with_mitigations" and outcome.items_mitigated == (1,)
    assert outcome.items_uncredited == ()
    # Omar's risk falls only through what acts on capacity (legal support, the reprisal plan), not consent.
    first = register.items[0]
    without = RiskItem(**{**first.__dict__, "mitigations": ["informed_consent"]})
    assert register.analysis(without).after_value == Fraction(10)


def test_summary_rows_names_a_threat_that_is_not_fully_rated():
    register = examples.example("nadia", "en")
    unrated = RiskItem(**{**register.items[0].__dict__, "intent": None})
    partial = RiskRegister.from_dict({**register.to_dict(), "items": [unrated.to_dict()]})
    with pytest.raises(ValueError, match="R1 is not fully rated"):
        examples.summary_rows(partial)


def test_second_case_says_not_now():
    register = examples.example("aruna", "zh")
    assert examples.summary_rows(register) == [("R1", "10", "critical", "5", "high"),
                                               ("R2", "8", "high", "6", "high")]
    assert examples.decision("aruna") == "above_threshold"
    # The logged beating is the evidence of the guards' intent.
    assert register.suggested_intent(register.items[0]) == 3


@pytest.mark.parametrize("name", examples.EXAMPLES)
def test_module_4_states_the_examples_figures(name):
    register = examples.example(name, "en")
    for lang in ("zh", "en"):
        text = open(f"modules/{lang}/04-engaging-safely.ipynb", encoding="utf-8").read()
        for item in register.items:
            a = register.analysis(item)
            before = f"{a.threat} × {a.vulnerability} ÷ {a.capacity} = {protection.format_value(a.value)}"
            after = (f"{a.after_threat} × {a.after_vulnerability} ÷ {a.after_capacity} = "
                     f"{protection.format_value(a.after_value)}")
            assert before in text and after in text, (lang, before, after)


# ------------------------------------------------------------------ incidents


def test_incident_inside_and_outside_a_reporting_period():
    today = date(2026, 4, 1)
    inside = Incident(date(2026, 3, 2), "threatening call").validate(today=today)
    cycle = inside.cycle(today=today)
    assert cycle.status == "open"
    assert (cycle.period_start, cycle.period_end, cycle.submission_deadline) == (
        date(2025, 5, 1), date(2026, 4, 30), date(2026, 4, 15))
    assert cycle.period_start <= inside.day <= cycle.period_end
    closed = Incident(date(2024, 6, 1), "office searched").validate(today=today)
    old = closed.cycle(today=today)
    assert old.status == "deadline_passed"
    assert not (cycle.period_start <= closed.day <= cycle.period_end)
    assert old.submission_deadline == date(2025, 4, 15) and old.next_deadline == date(2026, 4, 15)
    late = Incident(date(2026, 4, 20), "summons").validate(today=date(2026, 4, 25))
    assert late.cycle(today=date(2026, 4, 25)).status == "after_deadline"


def test_incidents_feed_the_threat_analysis_and_the_reprisal_plan():
    item = RiskItem("families", "surveillance", 3, 3)
    register = RiskRegister([item], incidents=[
        Incident(date(2025, 1, 5), "followed home", form="surveillance", target="families"),
        Incident(date(2025, 6, 10), "phone call", form="smear", target="families"),
    ])
    assert register.suggested_intent(item) == 3
    assert register.suggested_intent(RiskItem("submitter", "surveillance", 3, 3)) is None
    assert register.reprisal_date() == date(2025, 6, 10)  # the latest incident
    md = exports.to_markdown(register, "en", today=date(2025, 7, 1))
    assert "15 April 2026" in md  # the latest incident's cycle
    assert t("risk.analysis.incident_evidence", "en", number="R1") in md


def test_incident_validation():
    with pytest.raises(risk.RiskError) as info:
        Incident(date(2999, 1, 1)).validate()
    assert info.value.key == "risk.error.incident_future"
    with pytest.raises(risk.RiskError):
        Incident(date(2025, 1, 1), form="not-a-form").validate()
    with pytest.raises(risk.RiskError):
        Incident.from_dict({"date": "2025-02-30"})


# ------------------------------------------------------------------ security plan


@pytest.mark.parametrize("protocol", security_plan.PROTOCOLS, ids=lambda p: p.id)
def test_each_protocol_template_in_both_languages(protocol):
    assert len(protocol.step_keys) >= 4
    zh, en = load_catalogue("zh", "risk"), load_catalogue("en", "risk")
    for key in (protocol.title_key,) + protocol.step_keys:
        assert zh.get(key) and en.get(key), key
        assert CJK.search(zh[key]) and not CJK.search(en[key]), key
    assert len({zh[k] for k in protocol.step_keys}) == len(protocol.step_keys)


def test_protocols_follow_from_the_threats():
    assert [p.id for p in security_plan.PROTOCOLS] == ["arrest", "raid", "seized_phone", "threatening_message"]
    assert security_plan.implied_protocols(["arbitrary_arrest"]) == ["arrest", "raid", "seized_phone"]
    assert security_plan.implied_protocols(["smear"]) == ["threatening_message"]
    assert security_plan.implied_protocols(["funding_cut"]) == []


def test_review_status_and_reminder():
    plan = security_plan.SecurityPlan(review_date=date(2025, 9, 1))
    assert plan.review_status(date(2025, 8, 31)) == "scheduled"
    assert plan.review_status(date(2025, 9, 1)) == "due"
    assert security_plan.SecurityPlan().review_status() == "none"
    md = exports.to_markdown(RiskRegister(security=plan), "zh", today=date(2025, 9, 2))
    assert t("risk.review.due", "zh") in md


def test_security_plan_export_has_every_part():
    register = examples.example("nadia", "en")
    md = exports.to_markdown(register, "en", today=date(2025, 7, 1))
    for key in ("risk.section.security_plan", "risk.section.checkins", "risk.section.contacts",
                "risk.section.digital", "risk.section.wellbeing", "risk.section.review",
                "risk.section.context", "risk.section.groups", "risk.section.analysis",
                "risk.export.method"):
        assert t(key, "en") in md, key
    assert t("risk.protocol.arrest.1", "en") in md
    assert "ohchr-reprisals@un.org" in md and "hrcpresidency@un.org" in md
    assert "☑" in md and "☐" in md
    assert "Protection International" in md and "Front Line Defenders" in md


# ------------------------------------------------------------------ round trips


def _full_plan() -> RiskRegister:
    register = examples.example("nadia", "en")
    register.incidents.append(Incident(date(2025, 5, 3), "<script>x</script> | *bold*", who="שלום 👋",
                                       where="路口", form="surveillance", target="families", reported=True,
                                       reported_to="OHCHR"))
    register.security.contacts.append(security_plan.EmergencyContact("Lawyer", "counsel", "Signal"))
    register.security.information = "notes\non the laptop"
    register.security.wellbeing = "we rest on Sundays"
    register.security.review_date = date(2025, 10, 1)
    return register.validate()


def test_json_round_trip_keeps_the_whole_plan():
    register = _full_plan()
    again = RiskRegister.from_json(register.to_json())
    assert again.to_dict() == register.to_dict()
    assert again.to_dict()["version"] == 2


def test_store_round_trip_through_the_tools_records_panel(tmp_path):
    # Through the tool's saved-records panel (the seam to the encrypted store), not the store's API.
    from course.tools.risk.view import RiskMatrix

    register = _full_plan()
    tool = RiskMatrix("en", environ={}, store_root=tmp_path)
    tool.load_register(register)
    assert tool.register().to_dict() == register.to_dict()
    tool.records.passphrase.value = tool.records.passphrase_again.value = "correct horse battery"
    tool.records.create_button.click()  # a new encrypted store, then the save
    record = tool.save()
    assert record is not None
    other = RiskMatrix("zh", environ={}, store_root=tmp_path)  # a new page: locked until the passphrase
    other.records.passphrase.value = "correct horse battery"
    assert other.records.unlock()
    assert other.records.open_record(record.record_id)
    assert other.register().to_dict() == register.to_dict()
    # The review date has passed by now: reopening the plan shows the reminder.
    assert "sp-review-due" in other.security.review_note.value


def test_view_adds_an_incident_and_keeps_the_form_on_error(tmp_path):
    from course.tools.risk.view import RiskMatrix

    tool = RiskMatrix("en", environ={}, store_root=tmp_path)
    tool.add_item()
    card = tool.cards[0]
    card.who.value, card.threat.value = "families", "surveillance"
    log = tool.incident_log
    log.what.value = "followed home"
    log.add.click()  # no date yet: refused, text kept
    assert "sp-error" in tool.status.value and log.what.value == "followed home"
    log.day.value = date(2025, 6, 10)
    log.form.value, log.target.value = "surveillance", "families"
    log.add.click()
    assert [i.what for i in tool.register().incidents] == ["followed home"]
    assert t("risk.analysis.incident_count", "en", count=1) in card.evidence.value
    assert "sp-cycle" in tool.cycle.value and "15 April 2026" in tool.cycle.value
    card.intent.value, card.capability.value = 3, 3
    group = tool.group_cards["families"]
    group.vulnerability.value, group.capacity.value = 4, 2
    assert "5 × 4 ÷ 2 = 10" in card.analysis.value
    assert 'data-kind="above_threshold"' in tool.conclusion.value
    tool.shell.language.value = "zh"
    assert tool.register().incidents[0].what == "followed home"
    assert group.vulnerability.value == 4


def test_version_1_plans_load_without_loss():
    v1 = {
        "format": "sp-course/riskplan", "version": 1, "title": "old plan", "threshold_level": "high",
        "items": [{"who": "families", "threat": "smear", "custom_threat_label": "", "likelihood": 4, "impact": 3,
                   "mitigations": ["mark_confidential"], "residual_likelihood": 2, "residual_impact": 3,
                   "note": "kept"}],
        "mandate_engaged": "SR on defenders", "incident_date": "2025-06-10", "plan_note": "call Lea",
    }
    register = RiskRegister.from_dict(json.loads(json.dumps(v1)))
    again = register.to_dict()
    for key in ("title", "threshold_level", "mandate_engaged", "incident_date", "plan_note"):
        assert again[key] == v1[key]
    for key, value in v1["items"][0].items():
        assert again["items"][0][key] == value
    assert risk.conclusion(register).items_unanalysed == (1,)


def test_a_newer_version_is_refused_with_a_message():
    with pytest.raises(risk.RiskError) as info:
        RiskRegister.from_dict({"format": "sp-course/riskplan", "version": 3})
    assert info.value.key == "risk.error.version"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_of_the_whole_plan(lang):
    from docx import Document

    register = _full_plan()
    doc = Document(io.BytesIO(exports.to_docx(register, lang, today=date(2025, 7, 1))))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for table in doc.tables for row in table.rows for c in row.cells)
    assert t("risk.section.security_plan", lang) in text
    assert t("risk.protocol.seized_phone.1", lang) in text
    assert "<script>x</script>" in cells  # typed text kept as text, in the incident table
    assert "10" in cells and t("risk.level.critical", lang) in cells


def test_markdown_escapes_typed_text_in_the_new_parts():
    md = exports.to_markdown(_full_plan(), "en", today=date(2025, 7, 1))
    import mistune  # installed with nbconvert: typed HTML must stay inert once rendered

    rendered = mistune.create_markdown(plugins=["table"])(md)
    assert "<script" not in rendered and "\\<script>" in md
    assert "\\*bold\\*" in md or "&#42;bold" in md or "\\*bold" in md
