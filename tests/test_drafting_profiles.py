"""Issue 12: profiles (general, WGEID, WGAD, other letter on a law), their checks, exports and handoff.

Every person, place and organisation below is fictional.
"""
from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from course import safe_text
from course.tools.drafting import exports as export
from course.tools.drafting import profiles as p
from course.tools.drafting import rules as m

from .test_submission import TODAY, complete

FIXTURE_V1 = Path(__file__).parent / "fixtures" / "submission_v1.json"


def general_case() -> m.Submission:
    sub = complete()
    sub.addressee = m.Addressee(state="Republic of Arcadia (fictional)")
    sub.sender.relationship = "Colleague at the same collective"
    sub.victims[0].nationality = "Arcadian"
    sub.victims[0].occupation = "Journalist"
    sub.victims[0].hrd_activity = "Documents forced evictions along the coast"
    sub.victims[0].organisation = "Coastal Rights Collective"
    sub.victims[0].public_naming = "initials"
    sub.situation.current = "Still held at the central police station without access to her lawyer."
    sub.action.results = "No hearing has been set; the court registry gives no date."
    sub.evidence.attachments = "Photo of the arrest\nCopy of the habeas corpus petition"
    return sub


def wgeid_case() -> m.Submission:
    """A disappearance reported to the WGEID by the disappeared man's sister."""
    return m.Submission(
        title="Disappearance of Rafael Montoya (fictional)",
        comm_type="urgent_appeal",
        mandate_ids=["enforced-disappearances", "human-rights-defenders"],
        profile="wgeid",
        sender=m.Sender(name="Lucia Montoya", contact="lucia@example.org (fictional)",
                        relationship="Sister of the disappeared person"),
        urgency=m.Urgency(is_urgent=True, why="Nobody has seen him since the arrest; he needs daily medication."),
        victims=[m.AllegedVictim(name="Rafael Montoya Ruiz", age="41", gender="man", origin_residence="Ciudad Alta",
                                 nationality="Arcadian", occupation="Teacher",
                                 hrd_activity="Leads a network of families searching for missing relatives",
                                 organisation="Families for Truth (fictional)", public_naming="full")],
        consent=m.Consent(given_by="family", in_writing=True, names_to_government=True, may_publish=True),
        facts=m.Facts(what="Men in plain clothes took him from a bus stop and drove off in an unmarked van. "
                           "The police deny holding him.", date_from="2025-05-20", places="Ciudad Alta"),
        perpetrators=m.AllegedPerpetrators(names="Unknown", roles="Plain-clothes officers of the state security police"),
        addressee=m.Addressee(state="Republic of Arcadia (fictional)"),
        disappearance=m.Disappearance(date="2025-05", place="Bus stop on Avenida Central, Ciudad Alta",
                                      forces="State security police (plain clothes, unmarked van)",
                                      search_steps="The family asked at three police stations and filed a complaint "
                                                   "with the prosecutor on 2025-05-22; no answer.",
                                      family_consent=True, family_contact=True),
        source_types={"first_hand"},
    )


def wgad_case() -> m.Submission:
    """A detention submitted to the WGAD by the detained woman's lawyer."""
    return m.Submission(
        title="Detention of Amina Hadid (fictional)",
        comm_type="allegation_letter",
        mandate_ids=["arbitrary-detention", "human-rights-defenders"],
        profile="wgad",
        sender=m.Sender(name="Jonas Weber", organisation="Weber & Partners (fictional)",
                        contact="jweber@example.org (fictional)", relationship="Her lawyer"),
        urgency=m.Urgency(is_urgent=False),
        victims=[m.AllegedVictim(name="Amina Hadid", age="29", gender="woman", origin_residence="Port Selim",
                                 nationality="Arcadian", occupation="Lawyer",
                                 hrd_activity="Defends protesters in court", organisation="Legal Aid Circle (fictional)")],
        consent=m.Consent(given_by="victim", in_writing=True, names_to_government=True, may_publish=False),
        facts=m.Facts(what="She was arrested after representing protesters and is held on a charge of spreading "
                           "false news.", date_from="2025-03-03", places="Port Selim"),
        addressee=m.Addressee(state="Republic of Arcadia (fictional)"),
        detention=m.Detention(arrest_date="2025-03-03", arrest_place="Her office, Port Selim",
                              arrest_forces="Criminal investigation police", warrant_shown=False,
                              detained_since="2025-03-03", detention_place="Port Selim women's prison",
                              ordered_by="Public prosecutor of Port Selim",
                              legal_basis="Penal code, article 88 (false news)", categories=["II", "III", "V"],
                              why_arbitrary="She is held for her work as a lawyer, was denied a lawyer of her "
                                            "choice and her trial has been postponed five times."),
        action=m.ActionTaken(domestic="Two bail requests and an appeal to the court of appeal.",
                             results="Both bail requests refused without reasons; the appeal is pending."),
        source_types={"first_hand", "documents"},
    )


def law_case() -> m.Submission:
    """An other letter on a bill that restricts foreign funding of associations."""
    return m.Submission(
        title="Draft law on foreign funding of associations (fictional)",
        comm_type="other_letter",
        mandate_ids=["peaceful-assembly-association", "human-rights-defenders"],
        profile="law",
        sender=m.Sender(organisation="Arcadian Civic Forum (fictional)", contact="forum@example.org (fictional)"),
        urgency=m.Urgency(is_urgent=True, why="Parliament votes on the bill next month.", window_date="2025-09-15"),
        addressee=m.Addressee(state="Republic of Arcadia (fictional)"),
        law=m.LawPolicy(text="Bill No. 112 on Transparency of Foreign Funding (fictional), text attached",
                        stage="before_parliament", adoption_date="2025-09",
                        provisions="Article 4 makes every association with foreign funds register as a foreign "
                                   "agent; article 9 lets the ministry dissolve it without a court order.",
                        standards="Freedom of association (ICCPR, art. 22) and the right to seek funding."),
        context=m.Context(background="Three similar bills were tabled since 2023."),
        requests=m.Requests(actions="Send an other letter before the vote.", press_release=False),
        source_types={"documents"},
    )


CASES = {"general": general_case, "wgeid": wgeid_case, "wgad": wgad_case, "law": law_case}

REQUIRED = {
    # profile: [(path to blank, expected code)]
    "wgeid": [("addressee.state", "wgeid.state"), ("disappearance.date", "wgeid.date"),
              ("disappearance.place", "wgeid.place"), ("disappearance.forces", "wgeid.forces"),
              ("disappearance.search_steps", "wgeid.search"), ("sender.relationship", "wgeid.relationship"),
              ("disappearance.family_consent", "wgeid.family_consent"),
              ("disappearance.family_contact", "wgeid.family_contact")],
    "wgad": [("addressee.state", "wgad.state"), ("detention.arrest_date", "wgad.arrest_date"),
             ("detention.arrest_place", "wgad.arrest_place"), ("detention.arrest_forces", "wgad.arrest_forces"),
             ("detention.warrant_shown", "wgad.warrant_shown"), ("detention.detained_since", "wgad.detained_since"),
             ("detention.detention_place", "wgad.detention_place"), ("detention.ordered_by", "wgad.ordered_by"),
             ("detention.legal_basis", "wgad.legal_basis"), ("detention.categories", "wgad.categories"),
             ("detention.why_arbitrary", "wgad.why_arbitrary"), ("action.domestic", "wgad.remedies"),
             ("sender.relationship", "wgad.relationship")],
    "law": [("addressee.state", "law.state"), ("law.text", "law.text"), ("law.stage", "law.stage"),
            ("law.provisions", "law.provisions"), ("law.standards", "law.standards")],
    "general": [("sender.contact", "required.sender_contact"), ("facts.what", "required.facts_what"),
                ("requests.actions", "required.requests")],
}


def _blank(sub: m.Submission, path: str) -> None:
    section, name = path.split(".")
    current = getattr(getattr(sub, section), name)
    empty = [] if isinstance(current, list) else None if isinstance(current, bool) or current is None else ""
    setattr(getattr(sub, section), name, empty)
    if path == "requests.actions":
        sub.requests.questions = ""


# --------------------------------------------------------------------------- checks
@pytest.mark.parametrize("profile", sorted(CASES))
def test_complete_fictional_case_passes_with_no_error(profile):
    sub = CASES[profile]()
    for lang in ("en", "zh"):
        report = m.check(sub, lang, TODAY)
        assert report.errors == [], [(i.code, i.message) for i in report.errors]
        assert report.ready_to_send


@pytest.mark.parametrize("profile,path,code", [(prof, path, code) for prof, items in REQUIRED.items()
                                               for path, code in items])
def test_each_required_element_missing_gives_its_own_message_in_both_languages(profile, path, code):
    sub = CASES[profile]()
    _blank(sub, path)
    found = [f for f in m.findings(sub, TODAY) if f.severity == "error"]
    mine = [f for f in found if f.code == code]
    assert len(mine) == 1, [f.code for f in found]
    en, zh = mine[0].text("en"), mine[0].text("zh")
    assert en and zh and en != zh
    assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en)
    assert "你" not in zh
    # its own message: no other missing element of the profile reads the same
    others = {f.text("en") for f in found if f.code != code}
    assert en not in others
    assert mine[0].citation


@pytest.mark.parametrize("profile", ["wgeid", "wgad", "law"])
def test_profile_checks_cite_their_source(profile):
    for finding in m.findings(m.Submission(profile=profile), TODAY):
        assert finding.citation


def test_wgeid_one_form_per_person_and_month_and_year():
    sub = wgeid_case()
    sub.victims.append(m.AllegedVictim(name="Second person"))
    assert "wgeid.one_person" in {f.code for f in m.findings(sub, TODAY)}
    sub = wgeid_case()
    sub.disappearance.date = "2025"
    codes = {f.code for f in m.findings(sub, TODAY)}
    assert "wgeid.month_year" in codes
    sub.disappearance.date = "2099-01"
    assert "date.future" in {f.code for f in m.findings(sub, TODAY)}


def test_wgeid_recent_case_suggests_the_urgent_procedure_and_older_does_not():
    sub = wgeid_case()  # May 2025, checked on 30 June 2025
    assert "wgeid.urgent" in {f.code for f in m.findings(sub, TODAY)}
    sub.disappearance.date = "2024-11"
    assert "wgeid.urgent" not in {f.code for f in m.findings(sub, TODAY)}


def test_wgeid_family_refusal_is_an_error_and_no_search_needs_a_reason():
    sub = wgeid_case()
    sub.disappearance.family_consent = False
    assert "wgeid.no_family_consent" in {f.code for f in m.findings(sub, TODAY) if f.severity == "error"}
    sub = wgeid_case()
    sub.disappearance.search_steps = ""
    sub.disappearance.search_impossible = "The family fled abroad the day after the arrest."
    assert "wgeid.search" not in {f.code for f in m.findings(sub, TODAY)}


def test_wgad_detention_before_arrest_and_warrant_without_authority():
    sub = wgad_case()
    sub.detention.detained_since = "2025-02-01"
    assert "wgad.date_order" in {f.code for f in m.findings(sub, TODAY)}
    sub = wgad_case()
    sub.detention.warrant_shown = True
    assert "wgad.warrant_authority" in {f.code for f in m.findings(sub, TODAY)}


def test_law_profile_needs_no_alleged_victim_nor_consent():
    codes = {f.code for f in m.findings(law_case(), TODAY)}
    assert not codes & {"required.victims", "consent.missing", "required.facts_what"}


def test_general_profile_warns_when_no_state_is_named():
    sub = general_case()
    sub.addressee.state = ""
    assert [f.severity for f in m.findings(sub, TODAY) if f.code == "state.missing"] == ["warning"]


# --------------------------------------------------------------------------- exports
def _headings(markdown: str) -> list[str]:
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("profile", sorted(CASES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_section_order_matches_the_profile_table(profile, lang):
    from course.i18n import t

    sub = CASES[profile]()
    titles = [t(section.title_key, lang) for section in p.sections_for(profile)]
    expected = [f"{n}. {title}" for n, title in enumerate(titles, start=1)]
    escaped = [f"{n}. {safe_text.markdown_text(title)}" for n, title in enumerate(titles, start=1)]
    assert _headings(export.to_markdown(sub, lang)) == escaped
    import io

    from docx import Document

    document = Document(io.BytesIO(export.to_docx_bytes(sub, lang)))
    heads = [para.text for para in document.paragraphs if para.style.name == "Heading 1"]
    assert heads == expected


def test_every_field_shown_in_a_profile_has_a_place_in_its_export():
    for profile in m.PROFILES:
        placed = p.placed_paths(profile)
        for spec in m.FIELDS:
            if spec.shown_in(profile):
                assert spec.path in placed, (profile, spec.path)
        assert p.VICTIMS in placed
        assert p.PROFILE_ORDER[profile] and all(sid in p.SECTIONS for sid in p.PROFILE_ORDER[profile])


def test_fields_typed_under_another_profile_are_exported_not_dropped():
    sub = wgad_case()
    sub.profile = "general"
    text = export.to_markdown(sub, "en")
    assert "## 11. Other information given" in text
    assert "Port Selim women" in text and "Category II" in text


def test_cover_lists_what_is_missing_and_a_subject_line():
    sub = wgeid_case()
    sub.disappearance.place = ""
    text = export.to_markdown(sub, "en", {"enforced-disappearances": "Working Group on Enforced Disappearances"})
    cover = text.split("\n## ")[0]
    assert "**Still missing or to check before sending:**" in cover
    assert safe_text.markdown_text("Place of arrest, abduction or last sighting: this must be filled in.") in cover
    assert safe_text.markdown_text(
        "URGENT – Report of a disappearance for the WGEID – Republic of Arcadia (fictional)") in cover
    assert "Rafael" not in p.subject_line(sub, "en")  # no names in a subject line
    zh = export.to_markdown(sub, "zh")
    assert "紧急——提交强迫或非自愿失踪问题工作组的失踪报告" in zh and "发送前仍缺少或需核实的内容" in zh
    law = law_case()
    law.mandate_ids = ["peaceful-assembly-association"]
    complete_text = export.to_markdown(law, "en", {"peaceful-assembly-association": "SR FoAA"})
    assert safe_text.markdown_text("URGENT – Other letter (laws and policies) – SR FoAA – Republic of Arcadia (fictional)") in complete_text


def test_subject_line_without_urgency_or_state():
    sub = m.Submission(comm_type="allegation_letter")
    assert p.subject_line(sub, "en") == "Allegation letter – [country]"
    assert p.subject_line(sub, "zh") == "指控信 – [国家]"


# --------------------------------------------------------------------------- handoff
@pytest.mark.parametrize("comm_type,mandates,expected", [
    ("urgent_appeal", ["enforced-disappearances", "human-rights-defenders"], ("wgeid", None)),
    ("urgent_appeal", ["arbitrary-detention"], ("general", "wgad")),
    ("allegation_letter", ["arbitrary-detention", "enforced-disappearances"], ("wgeid", None)),
    ("other_letter", ["freedom-of-expression"], ("law", None)),
    ("allegation_letter", ["human-rights-defenders"], ("general", None)),
    (None, [], ("general", None)),
])
def test_chooser_handoff_selects_the_right_profile(comm_type, mandates, expected):
    assert p.suggest_profile(comm_type, mandates) == expected


def test_chooser_handoff_query_for_a_disappearance_selects_wgeid():
    from course.tools.chooser import rules as chooser

    query = chooser.handoff_query("urgent_appeal", ["enforced-disappearances"])
    assert p.suggest_profile(*m.parse_handoff(query)) == ("wgeid", None)


# --------------------------------------------------------------------------- old drafts
def _subset(old, new, path=""):
    if isinstance(old, dict):
        for key, value in old.items():
            if key == "schema_version":
                continue
            assert key in new, path + "." + key
            _subset(value, new[key], path + "." + key)
    elif isinstance(old, list):
        assert len(old) == len(new), path
        for a, b in zip(old, new):
            _subset(a, b, path)
    else:
        assert old == new, path


def test_json_draft_saved_by_version_1_loads_without_loss():
    raw = FIXTURE_V1.read_text(encoding="utf-8")
    old = json.loads(raw)
    assert old["schema_version"] == 1
    sub = m.Submission.from_json(raw)
    assert sub.load_problems == []
    assert sub.profile == "general"
    new = sub.to_dict()
    _subset(old, new)  # every value saved by version 1 is in the new draft, unchanged
    assert new["schema_version"] == m.SCHEMA_VERSION
    assert m.Submission.from_json(sub.to_json()) == sub
    # and everything typed reaches the export
    text = export.to_markdown(sub, "en")
    for section in ("sender", "urgency", "facts", "context", "requests"):
        for value in old[section].values():
            if isinstance(value, str) and value:
                assert safe_text.markdown_text(value.split()[0]) in text


def test_new_fields_round_trip_and_bad_values_are_kept():
    for make in CASES.values():
        sub = make()
        assert m.Submission.from_json(sub.to_json()) == sub
    data = wgad_case().to_dict()
    data["profile"] = "tribunal"
    data["detention"]["categories"] = ["II", "VII"]
    data["victims"][0]["public_naming"] = "nickname"
    sub = m.Submission.from_dict(data)
    assert sub.profile == "general" and sub.extra["profile"] == "tribunal"
    assert sub.detention.categories == ["II"] and "VII" in sub.extra["detention.categories"]
    assert sub.victims[0].public_naming == "" and sub.extra["victims.0.public_naming"] == "nickname"
    assert {problem.path for problem in sub.load_problems} >= {"profile", "detention.categories",
                                                               "victims.0.public_naming"}


def test_alleged_names_in_model_and_labels():
    assert m.Victim is m.AllegedVictim and m.Perpetrators is m.AllegedPerpetrators
    assert {f.name for f in fields(m.AllegedVictim)} >= {"nationality", "occupation", "hrd_activity",
                                                         "organisation", "public_naming"}
    text = export.to_markdown(general_case(), "en")
    assert "## 3. Who are the alleged victims?" in text and "Alleged victim 1 – Nationality" in text
    zh = export.to_markdown(general_case(), "zh")
    assert "据称受害者 1" in zh and "据称肇事者" in zh


def test_dates_checked_today_not_frozen():
    sub = wgeid_case()
    assert "wgeid.urgent" not in {f.code for f in m.findings(sub, date(2026, 1, 1))}
