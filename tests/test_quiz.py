"""Quiz content of every module, grading, and the check-yourself widget (no kernel needed)."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from course.i18n import LANGUAGES
from course.lessons import quiz
from course.lessons.quiz import QuizError, grade, load_questions, question_by_id, validate

ROOT = Path(__file__).resolve().parents[1]
MODULES = (1, 2, 3, 4)
NOTEBOOKS = {
    1: "01-what-they-are.ipynb", 2: "02-how-they-help.ipynb",
    3: "03-engaging.ipynb", 4: "04-engaging-safely.ipynb",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _raw(module: int) -> dict:
    return json.loads(quiz.quiz_path(module).read_text(encoding="utf-8"))


# ----------------------------------------------------------------- content of every module

@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_a_valid_quiz_file(module):
    path = quiz.quiz_path(module)
    assert path.exists(), f"module {module} has no quiz file at {path}"
    assert validate(_raw(module), module) == []
    questions = load_questions(module)
    assert len(questions) >= quiz.MIN_QUESTIONS


@pytest.mark.parametrize("module", [m for m in MODULES if quiz.quiz_path(m).exists()])
def test_each_language_reads_like_itself(module):
    """Chinese text contains Chinese; English text contains none (a swapped field shows up here)."""
    for question in load_questions(module):
        for lang in LANGUAGES:
            texts = [question.prompt_in(lang), question.explanation_in(lang), *question.options_in(lang)]
            for text in texts:
                if lang == "zh":
                    assert CJK.search(text), f"{question.id}: zh text without Chinese: {text!r}"
                else:
                    assert not CJK.search(text), f"{question.id}: en text with Chinese: {text!r}"


def test_ids_are_unique_across_modules():
    ids = [q.id for m in MODULES if quiz.quiz_path(m).exists() for q in load_questions(m)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("module", [m for m in MODULES if quiz.quiz_path(m).exists()])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_uses_every_question_once_and_only_known_ones(module, lang):
    notebook = ROOT / "modules" / lang / NOTEBOOKS[module]
    if not notebook.exists():
        pytest.fail(f"{notebook} is missing")
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    used = [m for c in cells if c["cell_type"] == "code"
            for m in re.findall(r'check_yourself\(\s*"([^"]+)"', "".join(c["source"]))]
    ids = [q.id for q in load_questions(module)]
    assert sorted(used) == sorted(ids), f"{notebook.name}: quiz ids used {used}, defined {ids}"
    # the widget numbers questions in file order ("question 3 of 8"), so the page must follow it
    assert used == ids, f"{notebook.name}: questions appear in the order {used}, the quiz file has {ids}"


# ----------------------------------------------------------------- validation catches mistakes

def _good():
    return copy.deepcopy(_raw(1))


@pytest.mark.parametrize("breakage, expected", [
    (lambda d: d["questions"][0]["prompt"].pop("zh"), "missing or empty 'zh'"),
    (lambda d: d["questions"][0]["options"].__setitem__(slice(None), [{"zh": "一", "en": "one"}]), "at least 2 options"),
    (lambda d: d["questions"][0].__setitem__("correct", [9]), "out of range"),
    (lambda d: d["questions"][0].__setitem__("correct", [0, 1]), "exactly one correct"),
    (lambda d: d["questions"][1].__setitem__("id", d["questions"][0]["id"]), "duplicate id"),
    (lambda d: d["questions"][0].__setitem__("citation", ""), "'citation' missing"),
    (lambda d: d["questions"][0]["explanation"].__setitem__("en", "  "), "missing or empty 'en'"),
    (lambda d: d["questions"][0].__setitem__("kind", "essay"), "kind"),
    (lambda d: d.__setitem__("questions", d["questions"][:2]), "at least 5"),
    (lambda d: d["questions"][0].__setitem__("id", "m2-q1"), "does not start with m1-"),
    (lambda d: d["questions"][0].__setitem__("correct", []), "non-empty list"),
])
def test_validate_reports_each_kind_of_mistake(breakage, expected):
    data = _good()
    breakage(data)
    problems = validate(data, 1)
    assert any(expected in p for p in problems), problems


def test_validate_rejects_non_objects():
    assert validate([], 1)
    assert validate({"module": 1, "questions": "x"}, 1)


# ----------------------------------------------------------------- grading

def test_single_right_and_wrong():
    q = question_by_id("m1-q2")
    right = grade(q, [q.correct[0]], "en")
    assert right.answered and right.correct and right.headline == "Correct!"
    wrong_index = next(i for i in range(len(q.options)) if i not in q.correct)
    wrong = grade(q, wrong_index, "zh")
    assert wrong.answered and not wrong.correct
    assert wrong.wrong == (wrong_index,) and wrong.missed == q.correct
    assert wrong.right_answers == (q.options_in("zh")[q.correct[0]],)
    assert CJK.search(wrong.headline) and wrong.explanation == q.explanation_in("zh")
    assert "第一章" in wrong.citation


def test_multiple_needs_exactly_the_right_set():
    q = next(q for q in load_questions(1) if q.kind == "multiple")
    assert grade(q, list(q.correct), "en").correct
    partial = grade(q, list(q.correct[:-1]), "en")
    assert not partial.correct and partial.missed == (q.correct[-1],)
    assert f"you chose {len(q.correct) - 1}" in partial.detail
    extra = next(i for i in range(len(q.options)) if i not in q.correct)
    too_many = grade(q, [*q.correct, extra], "en")
    assert not too_many.correct and too_many.wrong == (extra,) and "1 of your choices" in too_many.detail
    assert len(too_many.right_answers) == len(q.correct)


def test_empty_selection_is_not_graded():
    q = question_by_id("m1-q1")
    for empty in (None, [], ()):
        feedback = grade(q, empty, "en")
        assert not feedback.answered and not feedback.correct and "Choose" in feedback.headline


@pytest.mark.parametrize("bad", [[99], [-1], ["0"], [True], "0", 1.5])
def test_invalid_selection_raises_quiz_error(bad):
    with pytest.raises(QuizError):
        grade(question_by_id("m1-q1"), bad, "en")


def test_single_refuses_two_choices():
    with pytest.raises(QuizError):
        grade(question_by_id("m1-q1"), [0, 1], "en")


@pytest.mark.parametrize("bad_id", ["m1-nope", "m99-q1", "", "drop table", None, "m1-q1\x00"])
def test_unknown_question_raises_quiz_error(bad_id):
    with pytest.raises(QuizError):
        question_by_id(bad_id)


# ----------------------------------------------------------------- the widget (no browser)

def _find(widget, cls):
    found = []
    if isinstance(widget, cls):
        found.append(widget)
    for child in getattr(widget, "children", ()):
        found.extend(_find(child, cls))
    return found


def test_widget_single_check_and_retry():
    import ipywidgets as w

    from course.lessons.quiz_view import check_yourself

    q = question_by_id("m1-q2")
    box = check_yourself("m1-q2", lang="zh")
    radio = _find(box, w.RadioButtons)[0]
    check, retry = _find(box, w.Button)
    feedback = [h for h in _find(box, w.HTML) if h is not box.children[0]]
    assert radio.value is None and retry.disabled and check.description == "检查答案"
    assert list(radio.options) == [(t, i) for i, t in enumerate(q.options_in("zh"))]
    check.click()  # nothing chosen: asked to choose, nothing locked
    assert "请先选择" in feedback[0].value and not radio.disabled
    radio.value = q.correct[0]
    check.click()
    assert "答对了" in feedback[0].value and q.explanation_in("zh")[:10] in feedback[0].value
    assert radio.disabled and check.disabled and not retry.disabled
    retry.click()
    assert radio.value is None and not radio.disabled and feedback[0].value == ""


def test_widget_multiple_shows_right_answers_when_wrong():
    import ipywidgets as w

    from course.lessons.quiz_view import check_yourself

    q = question_by_id("m1-q5")
    box = check_yourself(q.id, lang="en")
    boxes = _find(box, w.Checkbox)
    assert [b.description for b in boxes] == q.options_in("en")
    wrong = next(i for i in range(len(q.options)) if i not in q.correct)
    boxes[wrong].value = True
    _find(box, w.Button)[0].click()
    html = box.children[-2].value
    assert "Not quite" in html and "<li>" in html and q.citation_in("en") in html


def test_widget_never_raises_on_unknown_id_or_language():
    import ipywidgets as w

    from course.lessons.quiz_view import check_yourself

    message = check_yourself("m1-<script>alert(1)</script>", lang="zh")
    assert isinstance(message, w.HTML) and "无法显示" in message.value and "<script>" not in message.value
    fallback = check_yourself("m1-q1", lang="fr")  # unknown language falls back to English
    assert isinstance(fallback, w.VBox)
