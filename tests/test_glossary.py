"""One Chinese voice: the glossary is well formed and no banned variant appears anywhere.

Scope: every notebook (modules, solutions, exercises), every gettext catalogue,
every content file (quizzes), every exercise spec, every facilitator doc and the
home-page generator. Exact quotations of a seed may keep the seed's wording only
inside ``<q>…</q>`` (see ``course.glossary``).
"""
from course import glossary

SHARED_DECISIONS = {  # PROTOCOL.md, shared decisions
    "communication": "来文", "urgent_appeal": "紧急呼吁", "allegation_letter": "指控信",
    "other_letter": "其他信函", "human_rights_defender": "人权捍卫者", "country_visit": "国家访问",
    "mandate_holder": "任务负责人", "module": "模块",
}
COURSE_TERMS = {"facilitator", "participant", "reprisals_focal_point", "draft", "alleged_victim",
                "reprisal", "communication_types", "address_form"}


def test_glossary_rows_are_complete_and_unique():
    terms = glossary.load()
    ids = [t.id for t in terms]
    assert len(ids) == len(set(ids))
    for term in terms:
        assert term.zh not in term.avoid_zh, term.id
        for variant in term.avoid_zh:
            # A banned variant must not hide inside the preferred term (or the check could never pass).
            assert variant not in term.zh or any(variant in e for e in term.exempt_zh), term.id


def test_glossary_follows_the_shared_decisions_and_covers_the_course_terms():
    by_id = {t.id: t for t in glossary.load()}
    for key, zh in SHARED_DECISIONS.items():
        assert by_id[key].zh == zh, key
    assert COURSE_TERMS <= set(by_id)


def test_no_banned_variant_anywhere():
    found = glossary.problems(glossary.load(), glossary.texts())
    assert not found, "\n".join(found[:60])


def test_the_check_catches_a_variant_and_respects_quotations_and_titles():
    terms = glossary.load()
    assert glossary.problems(terms, [("x", "第三单元讲函件。")])
    assert not glossary.problems(terms, [("x", "报告写道：<q>函件</q>（A/HRC/58/70，第8段）。")])
    assert not glossary.problems(terms, [("x", "人权维护者处境特别报告员；下一个单元格。")])
    assert glossary.problems(terms, [("x", "请联系协调人。")])
    assert not glossary.problems(terms, [("x", "请联系报复问题协调人。")])
    assert glossary.problems(terms, [("x", "in one of the UN languages")])


def test_one_form_of_address():
    counts = glossary.address_forms(glossary.texts())
    assert counts["您"] > 0
    assert counts["你"] == 0, f"the course mixes 你 ({counts['你']}) and 您 ({counts['您']}); use 您"
