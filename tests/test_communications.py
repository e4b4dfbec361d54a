"""The communication-type chooser: rules (course.tools.chooser.rules) and its view (course.tools.chooser.view).

Situations of the guide's own examples are encoded here from the guide's text, independently of
the module, so that a change to the rules that breaks one of them fails.
"""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from course.tools.chooser import exports
from course.tools.chooser import rules as comm
from course.tools.chooser.rules import Situation, recommend

# --------------------------------------------------------------------------- the guide's examples
# ISHR Practical Guide (2025), ch. III, communications 1.
GUIDE_EXAMPLES = {
    # Nov 2024: urgent appeal on the harsh detention conditions of the imprisoned legal scholar
    # Xu Zhiyong, whose health reportedly declined after a hunger strike.
    "2024-11 urgent appeal": (
        Situation(ongoing_or_imminent=True, detained=True, responsible="state", issues={"detention", "torture"}),
        "urgent_appeal",
    ),
    # Jan 2024: allegation letter on torture or ill-treatment of Jimmy Lai (imprisoned, charged under
    # the Hong Kong national security law): the treatment complained of has already happened.
    "2024-01 allegation letter": (
        Situation(ongoing_or_imminent=False, already_happened=True, detained=True, responsible="state",
                  issues={"torture", "expression"}),
        "allegation_letter",
    ),
    # Nov 2019: twelve experts on the Counter-Terrorism Law (a law in force).
    "2019-11 other letter": (
        Situation(ongoing_or_imminent=False, already_happened=False, about_law_or_policy=True, law_is_draft=False,
                  responsible="state", issues={"counter_terrorism"}),
        "other_letter",
    ),
    # Sep 2020: on the Hong Kong national security law.
    "2020-09 other letter": (
        Situation(about_law_or_policy=True, law_is_draft=False, responsible="state",
                  issues={"expression", "assembly_association"}),
        "other_letter",
    ),
    # Mar 2024: on the Safeguarding National Security Ordinance.
    "2024-03 other letter": (
        Situation(about_law_or_policy=True, responsible="state", issues={"counter_terrorism", "expression"}),
        "other_letter",
    ),
}


@pytest.mark.parametrize("name", sorted(GUIDE_EXAMPLES))
def test_every_example_of_the_guide_maps_to_its_type(name):
    situation, expected = GUIDE_EXAMPLES[name]
    rec = recommend(situation)
    assert rec.comm_type == expected, name
    assert rec.reasons and all(str(c).startswith("ISHR Practical Guide (2025)") for n in rec.reasons for c in n.cites)
    assert rec.example is not None and rec.example.key == f"chooser.example.{expected}"


# --------------------------------------------------------------------------- edge cases
def test_detained_and_disappeared_gets_urgent_appeal_and_both_parallel_routes():
    rec = recommend(Situation(detained=True, disappeared=True))
    assert rec.comm_type == "urgent_appeal"
    assert [r.route_id for r in rec.parallel_routes] == ["wgad_opinion", "wgeid_humanitarian"]
    wgad, wgeid = rec.parallel_routes
    assert wgad.session_months == (3, 4, 8, 9, 11)  # ch. I, 6: March/April, August/September, November
    assert wgeid.session_months == (2, 5, 9)  # ch. I, 6: February, May, September
    assert {"chooser.reason.disappeared", "chooser.reason.detained"} <= {n.key for n in rec.reasons}
    for route in rec.parallel_routes:
        assert route.who_may_submit_key == "chooser.route.who_may_submit"
        assert "ISHR Practical Guide (2025), ch. III, 2" in {str(c) for c in route.cites}
    assert "chooser.route.wgad.reply" in {n.key for n in wgad.extra}  # six months to reply
    assert {"arbitrary-detention", "enforced-disappearances"} <= set(rec.suggested_mandates)


def test_disappearance_alone_is_urgent_and_only_wgeid():
    rec = recommend(Situation(disappeared=True, ongoing_or_imminent=None))
    assert rec.comm_type == "urgent_appeal"
    assert [r.route_id for r in rec.parallel_routes] == ["wgeid_humanitarian"]


def test_company_as_addressee_cites_the_145_non_state_actors_and_suggests_business_mandate():
    rec = recommend(Situation(already_happened=True, responsible="company", issues={"environment", "indigenous"}))
    assert rec.comm_type == "allegation_letter"
    keys = {n.key: n for n in rec.addressee_notes}
    assert "chooser.addressee.non_state" in keys and "chooser.addressee.company" in keys
    assert "A/HRC/58/70, para. 8" in {str(c) for c in keys["chooser.addressee.non_state"].cites}
    assert "145" in keys["chooser.addressee.non_state"].text("en")
    assert "145" in keys["chooser.addressee.non_state"].text("zh")
    assert "business-and-human-rights" in rec.suggested_mandates
    assert rec.suggested_mandates[:2] == ("indigenous-peoples", "environment")


def test_non_state_disappearance_mentions_wgeid_non_state_cases():
    rec = recommend(Situation(disappeared=True, responsible="other_non_state"))
    assert "chooser.addressee.wgeid_non_state" in {n.key for n in rec.addressee_notes}
    assert "company" not in " ".join(n.key for n in rec.addressee_notes)


def test_draft_law_with_imminent_vote_is_an_urgent_other_letter():
    rec = recommend(Situation(about_law_or_policy=True, law_is_draft=True, legal_vote_imminent=True,
                              ongoing_or_imminent=False, issues={"assembly_association"}))
    assert rec.comm_type == "other_letter"
    assert rec.legal_draft is True
    assert "chooser.reason.vote_imminent" in {n.key for n in rec.reasons}
    assert "48" in next(n for n in rec.reasons if n.key == "chooser.reason.vote_imminent").text("en")


def test_existing_law_is_not_a_legal_draft_and_has_no_vote_warning():
    rec = recommend(Situation(about_law_or_policy=True, law_is_draft=False, legal_vote_imminent=True))
    assert rec.comm_type == "other_letter" and rec.legal_draft is False
    assert "chooser.reason.vote_imminent" not in {n.key for n in rec.reasons}


def test_people_at_risk_now_and_a_law_gives_urgent_appeal_and_suggests_other_letter_too():
    rec = recommend(Situation(ongoing_or_imminent=True, about_law_or_policy=True, law_is_draft=True))
    assert rec.comm_type == "urgent_appeal"
    assert rec.also_consider == ("other_letter",)
    assert rec.legal_draft is False


def test_detained_but_harm_not_ongoing_is_an_allegation_letter():
    rec = recommend(Situation(detained=True, ongoing_or_imminent=False))
    assert rec.comm_type == "allegation_letter"
    assert "chooser.reason.detained_not_ongoing" in {n.key for n in rec.reasons}
    assert [r.route_id for r in rec.parallel_routes] == ["wgad_opinion"]


def test_detained_with_ongoing_unknown_is_urgent():
    assert recommend(Situation(detained=True)).comm_type == "urgent_appeal"


def test_empty_answers_give_no_type_but_every_other_part():
    rec = recommend(Situation())
    assert rec.comm_type is None and not rec.complete
    assert [n.key for n in rec.reasons] == ["chooser.reason.not_enough"]
    assert rec.parallel_routes == () and rec.suggested_mandates == ()
    assert rec.where_to_send.online_form == "https://spsubmission.ohchr.org/"
    assert not Situation().answered()


def test_tip_experts_decide_always_present_and_cited():
    for situation, _ in GUIDE_EXAMPLES.values():
        tip = recommend(situation).tip_experts_decide
        assert tip.key == "chooser.tip.experts_decide"
        assert str(tip.cites[0]) == "ISHR Practical Guide (2025), ch. III, 1"


def test_where_to_send_form_languages_and_citation():
    rec = recommend(Situation(ongoing_or_imminent=True))
    send = rec.where_to_send
    assert send.languages == ("en", "fr", "es")
    assert send.online_form.startswith("https://spsubmission.ohchr.org")
    assert "ISHR Practical Guide (2025), ch. III, 3" in {str(c) for n in send.notes for c in n.cites}
    for lang, words in (("en", ("English", "French", "Spanish")), ("zh", ("英语", "法语", "西班牙语"))):
        text = next(n for n in send.notes if n.key == "chooser.send.languages").text(lang)
        assert all(word in text for word in words)


def test_joint_action_advice_depends_on_number_of_mandates():
    one = recommend(Situation(ongoing_or_imminent=True, issues={"torture"}))
    many = recommend(Situation(ongoing_or_imminent=True, issues={"defenders", "detention", "assembly_association"}))
    assert "chooser.joint.common" not in {n.key for n in one.joint_action_advice}
    assert [n.key for n in many.joint_action_advice] == ["chooser.joint.common", "chooser.joint.how",
                                                         "chooser.joint.not_wanted"]
    # The guide's own example of a joint case: a defender detained for organising a protest (ch. I, 1).
    assert many.suggested_mandates == ("human-rights-defenders", "arbitrary-detention",
                                       "peaceful-assembly-association")


def test_recommend_rejects_non_situations():
    with pytest.raises(TypeError):
        recommend({"ongoing_or_imminent": True})


# --------------------------------------------------------------------------- answers from the view
def test_situation_from_answers_tolerates_garbage():
    situation = comm.situation_from_answers({
        "ongoing_or_imminent": "yes", "already_happened": "maybe", "detained": 3, "disappeared": "否",
        "responsible": "<script>", "issues": ["torture", "not-an-issue", None, "<img>"],
    })
    assert situation.ongoing_or_imminent is True
    assert situation.already_happened is None and situation.detained is None
    assert situation.disappeared is False
    assert situation.responsible == "unknown"
    assert situation.issues == {"torture"}
    assert comm.situation_from_answers({}) == Situation()
    assert comm.situation_from_answers(None) == Situation()


def test_situation_from_answers_reads_one_issue_or_none_from_odd_values():
    assert comm.situation_from_answers({"issues": "torture"}).issues == {"torture"}
    assert comm.situation_from_answers({"issues": ("torture", "detention")}).issues == {"torture", "detention"}
    # Not a collection: no issues rather than an error that loses the other answers.
    odd = comm.situation_from_answers({"issues": 5, "detained": "yes"})
    assert odd.issues == set() and odd.detained is True


# --------------------------------------------------------------------------- mandates from the data
def test_every_mapped_mandate_exists_in_the_course_data():
    from course import data

    table = data.load("mandates")
    ids = set(table["mandate_id"])
    mapped = {m for mandates in comm.ISSUE_MANDATES.values() for m in mandates}
    assert mapped - ids == set()
    kinds = dict(zip(table["mandate_id"], table["kind"]))
    assert {kinds[m] for m in mapped} == {"thematic"}
    assert set(comm.ISSUE_MANDATES) == set(comm.ISSUES)


def test_mandate_names_come_from_the_data_in_both_languages():
    names_en = comm.mandate_names(["arbitrary-detention", "torture"], "en")
    names_zh = comm.mandate_names(["arbitrary-detention", "torture"], "zh")
    assert "Arbitrary Detention" in names_en["arbitrary-detention"]
    assert "任意拘留" in names_zh["arbitrary-detention"]
    assert names_en["torture"] != "torture" and names_zh["torture"] != names_en["torture"]


def test_mandate_names_fall_back_to_ids_without_data():
    import pandas as pd

    assert comm.mandate_names(["torture", "unknown-x"], "en", table=pd.DataFrame({"x": [1]})) == {
        "torture": "torture", "unknown-x": "unknown-x"}
    table = pd.DataFrame({"mandate_id": ["torture"], "name_en": ["Rapporteur on torture"], "name_zh": [""]})
    assert comm.mandate_names(["torture"], "en", table=table) == {"torture": "Rapporteur on torture"}
    assert comm.mandate_names(["torture"], "zh", table=table) == {"torture": "torture"}


# --------------------------------------------------------------------------- handoff
def test_handoff_query_format_and_round_trip_with_drafting():
    from course.tools.drafting.rules import parse_handoff

    query = comm.handoff_query("urgent_appeal", ["human-rights-defenders", "arbitrary-detention"])
    assert query == "type=urgent_appeal&mandates=human-rights-defenders,arbitrary-detention"
    assert parse_handoff(query) == ("urgent_appeal", ["human-rights-defenders", "arbitrary-detention"])
    for comm_type in comm.COMM_TYPES:
        assert parse_handoff(comm.handoff_query(comm_type, [])) == (comm_type, [])


def test_handoff_query_drops_anything_that_is_not_a_mandate_id():
    query = comm.handoff_query("other_letter", ["torture", "Ahmed Karimi", "<script>", "a&b=c", "torture", "", 7])
    assert query == "type=other_letter&mandates=torture"
    with pytest.raises(ValueError):
        comm.handoff_query("press_release", ["torture"])
    with pytest.raises(ValueError):
        comm.handoff_query("urgent_appeal&x=1", [])


# --------------------------------------------------------------------------- citations and summary
def test_citations_render_in_both_languages():
    cite = comm.guide("III", "1")
    assert str(cite) == "ISHR Practical Guide (2025), ch. III, 1"
    assert cite.text("en") == "ISHR Practical Guide (2025), ch. III, 1"
    assert "第三章" in cite.text("zh") and "1" in cite.text("zh")
    assert comm.report(9).text("zh") == "A/HRC/58/70，第9段"
    assert comm.cite_text([cite, comm.report(8)], "zh").startswith("（") and "；" in comm.cite_text(
        [cite, comm.report(8)], "zh")
    assert comm.cite_text([], "en") == ""


HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> مرحبا שלום 😀 \x00\x1b 张三'


def test_summary_markdown_escapes_the_label_and_includes_everything():
    rec = recommend(Situation(detained=True, disappeared=True, issues={"defenders"}))
    from course.tools.chooser.timeline import communication_timeline

    timeline = communication_timeline("urgent_appeal", date(2024, 11, 5), today=date(2025, 1, 1))
    for lang in ("en", "zh"):
        text = exports.summary_markdown(rec, lang, label=HOSTILE, timeline=timeline)
        assert re.search(r"(?<!\\)<(script|img)", text) is None, "typed HTML must be escaped"
        assert "\\<script>" in text and "\x00" not in text
        assert "مرحبا" in text and "😀" in text and "张三" in text
        assert "`human-rights-defenders`" in text
        assert "https://spsubmission.ohchr.org/" in text
        assert "2025-01-04" in text.replace("\\", "")  # 60 days after 5 November 2024
    assert "紧急呼吁" in exports.summary_markdown(rec, "zh")
    assert "Urgent appeal" in exports.summary_markdown(rec, "en")
    empty = exports.summary_markdown(recommend(Situation()), "en")
    assert "Answer at least one" in empty


# --------------------------------------------------------------------------- the view, without a kernel
@pytest.fixture
def view():
    from course.tools.chooser.view import communication_chooser

    calls = []
    root = communication_chooser(lang="en", on_handoff=lambda t, m: calls.append((t, m)))
    root.sp_view.calls = calls
    return root.sp_view


def _download_text(downloads) -> str:
    """The summary a click on the download button saves, built as the browser asks for it."""
    assert [f["filename"] for f in downloads.files] == ["communication-choice.md"]
    name, data = downloads.click(0, "communication-choice.md")
    return data.decode("utf-8")


def test_view_language_switch_relabels_and_keeps_values(view):
    view.questions["detained"].value = "yes"
    view.questions["about_law_or_policy"].value = "no"
    view.responsible.value = "company"
    view.issue_boxes["torture"].value = True
    view.case_label.value = HOSTILE
    view.sent_on.value = "2024-11-05"
    view.show_recommendation()
    english = view.questions["detained"].description
    view.language.value = "zh"
    assert view.questions["detained"].description != english and "拘留" in view.questions["detained"].description
    assert view.questions["detained"].value == "yes" and view.questions["about_law_or_policy"].value == "no"
    assert view.responsible.value == "company" and view.issue_boxes["torture"].value
    assert view.case_label.value == HOSTILE and view.sent_on.value == "2024-11-05"
    assert dict(view.questions["detained"].options)["是"] == "yes"
    assert "紧急呼吁" in view.result.value
    assert "酷刑" in view.issue_boxes["torture"].description
    view.language.value = "en"
    assert "Urgent appeal" in view.result.value and view.case_label.value == HOSTILE


def test_view_escapes_typed_text_everywhere(view):
    view.case_label.value = HOSTILE
    view.questions["ongoing_or_imminent"].value = "yes"
    view.show_recommendation()
    view.sent_on.value = HOSTILE
    view.show_timeline()
    for html in (view.result.value, view.timeline_out.value):
        assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in view.result.value and "&lt;script&gt;" in view.timeline_out.value
    assert "sp-error" in view.timeline_out.value
    assert "script" not in json.dumps(view.download.get_state())  # typed text never in the widget's state
    assert re.search(r"(?<!\\)<(script|img)", _download_text(view.download)) is None


def test_view_survives_huge_input_and_keeps_it(view):
    big = "法" * 1_000_000
    view.case_label.value = big
    view.sent_on.value = big
    view.questions["already_happened"].value = "yes"
    view.show_recommendation()
    view.show_timeline()
    assert view.case_label.value == big and view.sent_on.value == big
    assert len(view.result.value) < 200_000 and "sp-error" in view.timeline_out.value
    assert view.status.value == ""


def test_view_empty_answers_no_handoff_no_download(view):
    rec = view.show_recommendation()
    assert rec.comm_type is None
    assert "Answer at least one" in view.result.value
    assert view.handoff_link.value == "" and view.download.files == []
    view.sent_on.value = "2024-02-30"
    view.show_timeline()
    assert "no day 30" in view.timeline_out.value
    view.sent_on.value = "2024-02-29"
    view.show_timeline()
    assert "sp-timeline" in view.timeline_out.value and "60" in view.timeline_out.value


def test_view_handoff_link_button_and_mandate_choice(view):
    view.questions["detained"].value = "yes"
    view.issue_boxes["defenders"].value = True
    view.show_recommendation()
    assert 'href="drafting.ipynb?type=urgent_appeal&amp;mandates=human-rights-defenders,arbitrary-detention"' \
        in view.handoff_link.value
    view._mandate_boxes["human-rights-defenders"].value = False
    assert 'href="drafting.ipynb?type=urgent_appeal&amp;mandates=arbitrary-detention"' in view.handoff_link.value
    view.handoff_button.click()
    assert view.calls == [("urgent_appeal", ["arbitrary-detention"])]
    assert view.handoff_button.layout.display is None
    summary = _download_text(view.download)
    assert "`arbitrary-detention`" in summary and "`human-rights-defenders`" not in summary


def test_view_handoff_button_hidden_without_callback():
    from course.tools.chooser.view import communication_chooser

    view = communication_chooser(lang="zh", drafting_href="tools/drafting.ipynb").sp_view
    view.questions["about_law_or_policy"].value = "yes"
    assert view.questions["law_is_draft"].layout.display is None
    view.show_recommendation()
    assert view.handoff_button.layout.display == "none"
    assert 'href="tools/drafting.ipynb?type=other_letter"' in view.handoff_link.value
    view.questions["about_law_or_policy"].value = "no"
    assert view.questions["law_is_draft"].layout.display == "none"


def test_view_timeline_for_draft_law_shows_48_hours(view):
    view.questions["about_law_or_policy"].value = "yes"
    view.questions["law_is_draft"].value = "yes"
    view.questions["legal_vote_imminent"].value = "yes"
    view.show_recommendation()
    view.sent_on.value = "2024-03-01"
    timeline = view.show_timeline()
    assert timeline.shortest_reply_deadline == date(2024, 3, 3)
    assert timeline.publication_date == date(2024, 3, 3)
    assert "3 March 2024" in view.timeline_out.value and "48" in view.timeline_out.value
    view.language.value = "zh"
    assert "2024年3月3日" in view.timeline_out.value


def test_callback_errors_are_shown_and_lose_nothing(view, monkeypatch):
    view.case_label.value = "practice case"
    view.questions["ongoing_or_imminent"].value = "yes"

    def boom(_situation):
        raise RuntimeError("simulated")

    monkeypatch.setattr(comm, "recommend", boom)
    view.recommend_button.click()
    assert "sp-error" in view.status.value
    assert view.case_label.value == "practice case" and view.questions["ongoing_or_imminent"].value == "yes"
