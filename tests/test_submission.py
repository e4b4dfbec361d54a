"""The submission domain: the nine questions, validation, language check, JSON, handoff."""
from __future__ import annotations

import json
import re
import time
from datetime import date

import pytest

from course.tools.drafting import rules as m

TODAY = date(2025, 6, 30)
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> \x00\x07\x1b ✊🏽 مرحبا שלום'
CITATION = re.compile(r"^(ISHR Practical Guide \(2025\), ch\. (III, [1-4]|IV)|A/HRC/58/70, para\. \d+)$")


def complete() -> m.Submission:
    """A fictional, complete draft (no real person)."""
    return m.Submission(
        title="Case of Ana Velasco (fictional)",
        comm_type="urgent_appeal",
        mandate_ids=["human-rights-defenders", "arbitrary-detention"],
        sender=m.Sender(name="Tomas Reyes", organisation="Coastal Rights Collective",
                        contact="Signal +00 000 000 (fictional)"),
        urgency=m.Urgency(is_urgent=True,
                          why="She is held without access to a lawyer and her health is getting worse every day.",
                          window_date="2025-07-15",
                          window="A court decides on her pre-trial detention that day; a letter before it could help."),
        victims=[m.Victim(name="Ana Velasco", age="34", gender="woman", origin_residence="Puerto Claro")],
        consent=m.Consent(given_by="victim", in_writing=True, names_to_government=True, may_publish=False),
        facts=m.Facts(what="Police officers arrested her at her office after she published a report on land evictions. "
                           "She has not been allowed to see her family since then.",
                      date_from="2025-05-02", places="Puerto Claro, central police station",
                      laws="Public order law, article 12 (copy attached).", translations=True),
        perpetrators=m.Perpetrators(names="Unknown officers", roles="Members of the city police special unit",
                                    motives="To stop her reporting on forced evictions along the coast."),
        context=m.Context(background="Several land rights defenders in the region have been detained this year.",
                          legal_framework="The public order law allows detention for thirty days without charge."),
        action=m.ActionTaken(domestic="Her lawyer filed a habeas corpus petition that has not been heard yet."),
        requests=m.Requests(actions="Send an urgent appeal asking for her release and access to her lawyer.",
                            questions="Please ask on what legal basis she is held and where.",
                            press_release=False),
        source_types={"first_hand", "documents"},
    )


# --------------------------------------------------------------------------- check
def test_empty_submission_reports_errors_and_is_not_ready():
    report = m.check(m.Submission(), "en", TODAY)
    assert report.answered == set()
    assert report.completeness == 0.0
    assert not report.ready_to_send and not report.consent_ok
    codes = report.codes()
    for code in ("required.sender_contact", "required.victims", "required.facts_what", "required.requests",
                 "consent.missing", "sources.missing"):
        assert code in codes


def test_complete_draft_answers_all_nine_and_is_ready():
    report = m.check(complete(), "en", TODAY)
    assert report.answered == set(range(1, 10))
    assert report.consent_ok and report.language_ok
    assert report.errors == []
    assert report.ready_to_send
    assert report.completeness == pytest.approx(1.0)


def test_every_issue_is_cited_and_in_the_users_language():
    for lang in ("en", "zh"):
        report = m.check(m.Submission(victims=[m.Victim(age="abc", gender="x")]), lang, TODAY)
        assert report.issues
        for issue in report.issues:
            assert CITATION.match(issue.citation), issue
            assert issue.severity in ("error", "warning", "hint")
            has_cjk = bool(re.search(r"[\u4e00-\u9fff]", issue.message))
            assert has_cjk == (lang == "zh"), issue.message


def test_completeness_grows_as_questions_are_answered():
    sub = m.Submission()
    before = m.check(sub, "en", TODAY).completeness
    sub.sender.contact = "a safe address"
    sub.sender.name = "Tomas Reyes"
    after = m.check(sub, "en", TODAY)
    assert after.completeness > before
    assert after.answered == {1}


@pytest.mark.parametrize("given_by", ["", "none"])
def test_missing_consent_blocks_ready_to_send(given_by):
    sub = complete()
    sub.consent.given_by = given_by
    report = m.check(sub, "en", TODAY)
    assert not report.consent_ok
    assert not report.ready_to_send
    assert 4 not in report.answered
    assert {"consent.missing", "consent.none"} & report.codes()


def test_consent_must_say_whether_names_go_to_the_government_and_publication():
    sub = complete()
    sub.consent.names_to_government = None
    sub.consent.may_publish = None
    report = m.check(sub, "zh", TODAY)
    assert {"consent.names_to_government", "consent.may_publish"} <= report.codes()
    assert not report.ready_to_send


def test_names_withheld_from_government_must_be_marked_confidential():
    sub = complete()
    sub.consent.names_to_government = False
    assert "confidential.names" in m.check(sub, "en", TODAY).codes()
    sub.confidential.add("victims.0.name")
    report = m.check(sub, "en", TODAY)
    assert "confidential.names" not in report.codes()
    assert report.ready_to_send


def test_marking_everything_confidential_warns_that_experts_cannot_act():
    sub = complete()
    sub.confidential |= {"facts.what", "victims.0.name"}
    assert "confidential.too_much" in m.check(sub, "en", TODAY).codes()


def test_media_only_sources_are_warned_against():
    sub = complete()
    sub.source_types = {"media"}
    issue = next(i for i in m.check(sub, "en", TODAY).issues if i.code == "sources.media_only")
    assert issue.severity == "warning"
    assert issue.citation == "ISHR Practical Guide (2025), ch. III, 3"
    sub.source_types = {"media", "first_hand"}
    assert "sources.media_only" not in m.check(sub, "en", TODAY).codes()


# --------------------------------------------------------------------------- dates
def test_event_dates_in_the_future_are_errors():
    sub = complete()
    sub.facts.date_from = "2025-07-01"
    report = m.check(sub, "en", TODAY)
    assert "date.future" in report.codes()
    assert not report.ready_to_send
    sub.facts.date_from = "2025-06-30"
    assert "date.future" not in m.check(sub, "en", TODAY).codes()


@pytest.mark.parametrize("text", ["2023-02-30", "2024-13", "31/12/2024", "yesterday", "2024-00-10", "\x00"])
def test_impossible_or_malformed_dates_are_reported_not_raised(text):
    sub = complete()
    sub.facts.date_to = text
    report = m.check(sub, "en", TODAY)
    if m.safe_text.clean(text).strip():
        assert "date.invalid" in report.codes()
        assert not report.ready_to_send
    assert sub.facts.date_to == text  # nothing the user typed is changed


@pytest.mark.parametrize("text, first, last", [
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("２０２４－０３－０５", date(2024, 3, 5), date(2024, 3, 5)),
    ("2024年3月5日", date(2024, 3, 5), date(2024, 3, 5)),
    ("2024/12", date(2024, 12, 1), date(2024, 12, 31)),
])
def test_dates_accept_partial_and_full_width_forms(text, first, last):
    assert m.parse_date(text) == (first, last)


def test_end_before_start_and_past_window_are_flagged():
    sub = complete()
    sub.facts.date_from, sub.facts.date_to = "2025-05-02", "2025-04-01"
    sub.urgency.window_date = "2025-01-01"
    codes = m.check(sub, "en", TODAY).codes()
    assert "date.order" in codes and "window.past" in codes


# --------------------------------------------------------------------------- language
def test_chinese_text_is_flagged_as_not_a_un_language():
    sub = complete()
    sub.facts.what = "警察在她发表关于强迫驱逐的报告之后，在办公室将她带走，此后家人一直无法见到她。"
    report = m.check(sub, "en", TODAY)
    issue = next(i for i in report.issues if i.code == "language.script")
    assert issue.field == "facts.what" and issue.severity == "error"
    assert not report.language_ok and not report.ready_to_send


@pytest.mark.parametrize("text, ok", [
    ("La police l'a arrêtée à son bureau et refuse de dire à sa famille où elle est détenue.", True),
    ("La policía la detuvo en su oficina y se niega a decir a su familia dónde está detenida.", True),
    ("A polícia prendeu-a no escritório e recusa-se a dizer à família onde ela está detida.", False),
    ("Die Polizei hat sie in ihrem Büro festgenommen und sagt der Familie nicht, wo sie ist.", False),
    ("اعتقلتها الشرطة في مكتبها وترفض إخبار عائلتها بمكان احتجازها حتى الآن", False),
    ("Police arrested 林乔 and 王敏 at the office on Monday and refuse to say where they are held.", True),
])
def test_language_check_accepts_english_french_spanish_only(text, ok):
    sub = complete()
    sub.context.background = text
    report = m.check(sub, "en", TODAY)
    assert report.language_ok is ok, report.issues


def test_short_texts_are_not_judged():
    sub = complete()
    sub.perpetrators.roles = "城市警察"
    assert m.check(sub, "en", TODAY).language_ok
    assert m.detect_language("城市警察") is None


# --------------------------------------------------------------------------- length and hostile text
def test_long_text_gets_a_concision_hint_citing_the_guide():
    sub = complete()
    sub.facts.what = "They were detained. " * 400
    report = m.check(sub, "en", TODAY)
    hints = [i for i in report.issues if i.code == "length.field"]
    assert hints and hints[0].severity == "hint"
    assert hints[0].citation == "ISHR Practical Guide (2025), ch. III, 4"


def test_one_megabyte_of_hostile_text_is_checked_quickly_and_kept():
    sub = complete()
    big = (HOSTILE + "\n") * (1_000_000 // len(HOSTILE))
    sub.facts.what = big
    sub.victims[0].name = HOSTILE
    started = time.monotonic()
    report = m.check(sub, "en", TODAY)
    assert time.monotonic() - started < 3
    assert "length.total" in report.codes()
    assert sub.facts.what == big
    again = m.Submission.from_json(sub.to_json())
    assert again.facts.what == big and again.victims[0].name == HOSTILE


# --------------------------------------------------------------------------- serialisation
def test_json_round_trip_is_exact():
    sub = complete()
    sub.confidential = {"victims.0.name", "sender.contact"}
    sub.victims.append(m.Victim(name="Families of the coastal village", is_group=True))
    assert m.Submission.from_json(sub.to_json()) == sub


def test_unknown_keys_are_kept_and_written_back():
    data = complete().to_dict()
    data["future_field"] = {"nested": [1, 2]}
    data["sender"]["pgp_key"] = "ABCD"
    data["victims"][0]["nickname"] = "Ani"
    sub = m.Submission.from_dict(data)
    assert sub.extra == {"future_field": {"nested": [1, 2]}, "sender.pgp_key": "ABCD", "victims.0.nickname": "Ani"}
    assert sub.load_problems == []
    again = m.Submission.from_json(sub.to_json())
    assert again.extra == sub.extra


def test_wrong_types_are_reported_and_kept_not_raised():
    data = complete().to_dict()
    data["sender"]["name"] = {"first": "Tomas"}
    data["urgency"]["is_urgent"] = "yes"
    data["victims"] = [{"name": "Ana", "age": 34}, "not a victim"]
    data["consent"] = ["victim"]
    data["confidential"] = "facts.what"
    data["comm_type"] = "telegram"
    sub = m.Submission.from_dict(data)
    paths = {p.path for p in sub.load_problems}
    assert {"sender.name", "urgency.is_urgent", "victims.1", "consent", "confidential", "comm_type"} <= paths
    assert sub.victims[0].age == "34"  # a number is read as text, not lost
    assert sub.extra["sender.name"] == {"first": "Tomas"}
    assert sub.extra["comm_type"] == "telegram"
    assert m.check(sub, "en", TODAY).issues  # still checkable


@pytest.mark.parametrize("value", [None, 5, "text", [1, 2]])
def test_from_dict_of_a_non_object_never_raises(value):
    sub = m.Submission.from_dict(value)
    assert sub.load_problems and m.is_empty(sub)


@pytest.mark.parametrize("text, code", [("{not json", "not_json"), ("[1, 2]", "not_object"),
                                        (b"\xff\xfe\x00", "not_utf8"), ("[" * 100_000, "not_json")])
def test_from_json_rejects_non_drafts_with_a_code(text, code):
    with pytest.raises(m.SubmissionFormatError) as caught:
        m.Submission.from_json(text)
    assert caught.value.code == code


def test_from_json_accepts_bytes_with_a_bom():
    sub = complete()
    assert m.Submission.from_json(b"\xef\xbb\xbf" + sub.to_json().encode()) == sub


def test_to_dict_is_plain_json():
    data = complete().to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["format"] == m.FORMAT and data["schema_version"] == m.SCHEMA_VERSION


def test_is_empty_and_remove_victim_renumbers_marks():
    assert m.is_empty(m.blank())
    sub = m.blank()
    sub.victims = [m.Victim(name="A"), m.Victim(name="B"), m.Victim(name="C")]
    sub.confidential = {"victims.0.name", "victims.2.age", "facts.what"}
    m.remove_victim(sub, 1)
    assert [v.name for v in sub.victims] == ["A", "C"]
    assert sub.confidential == {"victims.0.name", "victims.1.age", "facts.what"}
    assert not m.is_empty(sub)


# --------------------------------------------------------------------------- handoff
@pytest.mark.parametrize("query, expected", [
    ("type=urgent_appeal&mandates=torture,arbitrary-detention", ("urgent_appeal", ["torture", "arbitrary-detention"])),
    ("?type=other_letter", ("other_letter", [])),
    ("type=telegram&mandates=torture", (None, ["torture"])),
    ("type=<script>&mandates=<script>alert(1)</script>,Torture,../etc,torture,torture", (None, ["torture"])),
    ("", (None, [])),
    ("%%%&&&==", (None, [])),
    ("mandates=" + ",".join(f"m{i}" for i in range(50)), (None, [f"m{i}" for i in range(20)])),
])
def test_parse_handoff_ignores_anything_invalid(query, expected):
    assert m.parse_handoff(query) == expected


def test_parse_handoff_filters_by_known_mandates_and_survives_non_strings():
    assert m.parse_handoff("mandates=torture,made-up", known_mandates={"torture"}) == (None, ["torture"])
    assert m.parse_handoff(None) == (None, [])  # type: ignore[arg-type]
