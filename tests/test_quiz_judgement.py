"""Quizzes build judgement (issue 15): scenarios, real misconceptions, and the three fixed items.

A question is a *scenario* when its JSON carries ``"scenario": true`` (an optional
key that ``course.quiz`` ignores): the learner is put in a situation and must
decide, rather than recall a figure. At least half of each module's items are
scenarios, each with a situation in its prompt (checked by length, both languages).
"""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Misconceptions defenders really hold; each must be offered (as a wrong option) somewhere.
MISCONCEPTIONS = {
    "exhaust domestic remedies first": ("remedies must be exhausted first", "用尽国内救济后才能提交"),
    "only registered NGOs may submit": ("Only registered NGOs may submit", "只有注册的非政府组织才能提交"),
    "a communication is public at once": ("made public the same day", "当天就会公开"),
    "an urgent appeal needs a lawyer": ("urgent appeal must come from a lawyer", "紧急呼吁必须由律师提交"),
}


def _questions(module):
    return json.loads((ROOT / f"course/content/quizzes/module{module}.json").read_text("utf-8"))["questions"]


def _all():
    return [q for m in (1, 2, 3, 4) for q in _questions(m)]


@pytest.mark.parametrize("module", (1, 2, 3, 4))
def test_at_least_half_are_scenarios(module):
    questions = _questions(module)
    scenarios = [q for q in questions if q.get("scenario") is True]
    assert 2 * len(scenarios) >= len(questions), f"module {module}: {len(scenarios)}/{len(questions)} scenarios"
    for q in scenarios:
        assert len(q["prompt"]["en"].split()) >= 14, f"{q['id']}: a scenario needs a situation"
        assert len(q["prompt"]["zh"]) >= 25, q["id"]


@pytest.mark.parametrize("name", sorted(MISCONCEPTIONS))
def test_each_misconception_is_offered_as_a_wrong_option(name):
    en_text, zh_text = MISCONCEPTIONS[name]
    hits = [(q["id"], i) for q in _all() for i, o in enumerate(q["options"])
            if en_text in o["en"] and zh_text in o["zh"]]
    assert hits, name
    for qid, index in hits:
        question = next(q for q in _all() if q["id"] == qid)
        assert index not in question["correct"], f"{qid}: the misconception {name!r} is marked right"


def test_m3_q1_accepts_what_the_guides_tip_allows():
    q = next(q for q in _questions(3) if q["id"] == "m3-q1")
    chosen = [q["options"][i]["en"] for i in q["correct"]]
    assert any("urgent appeal" in c for c in chosen)
    assert any("experts decide the type" in c for c in chosen), "the guide: the experts decide the type"
    assert not any("allegation letter" in o["en"].lower() for o in q["options"]), "no right answer marked wrong"


def test_m4_q5_links_the_threat_to_the_meeting():
    q = next(q for q in _questions(4) if q["id"] == "m4-q5")
    assert "UN" in q["prompt"]["en"].split("warn her")[-1]
    assert "联合国" in q["prompt"]["zh"].split("警告")[-1]


def test_m4_q6_has_no_distractor_that_truly_raises_risk():
    q = next(q for q in _questions(4) if q["id"] == "m4-q6")
    wrong = [o for i, o in enumerate(q["options"]) if i not in q["correct"]]
    assert not any("thematic report" in o["en"] or "专题报告" in o["zh"] for o in wrong)


def test_absurd_distractors_are_gone():
    absurd = ("appointed by courts", "hold a passport", "88 thematic and 87 country")
    for q in _all():
        for option in q["options"]:
            assert not any(a in option["en"] for a in absurd), (q["id"], option["en"])
