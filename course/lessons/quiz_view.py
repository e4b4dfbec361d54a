"""The "check yourself" widget: one question, immediate feedback, retry.

Layout and event wiring only; the questions and the grading live in
:mod:`course.lessons.quiz`.

    from course.lessons.quiz_view import check_yourself
    check_yourself("m1-q1", lang="en")
"""
from __future__ import annotations

import logging

import ipywidgets as w

from .. import safe_text
from ..i18n import N_, normalise_lang, t
from .check import QuestionCheck, Verdict
from .quiz import Feedback, QuizError, grade, load_questions, question_by_id

log = logging.getLogger(__name__)

# Long options must wrap instead of being cut off; the Check/Retry row keeps its size.
_STYLE = """<style>
.sp-quiz { border: 1px solid #c9d3e0; border-left: 4px solid #2f5d8a; border-radius: 4px;
           padding: 8px 12px; margin: 8px 0 16px 0; background: #f7f9fc; max-width: 52rem; }
.sp-quiz .widget-radio-box label, .sp-quiz .widget-checkbox label,
.sp-quiz .widget-label-basic, .sp-quiz .widget-label-basic span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; line-height: 1.45; }
.sp-quiz .widget-radio-box label { margin: 3px 0; display: flex !important; flex-wrap: nowrap !important;
  flex-direction: row-reverse !important; justify-content: flex-end !important; align-items: flex-start; gap: 6px; }
.sp-quiz .widget-radio-box input, .sp-quiz .widget-checkbox input { flex-shrink: 0; margin-top: 4px; }
.sp-quiz .widget-checkbox { height: auto !important; margin: 3px 0; }
.sp-quiz .widget-radio, .sp-quiz .widget-radio-box { width: 100%; height: auto !important; }
.sp-quiz-heading { font-weight: 600; color: #2f5d8a; }
.sp-quiz-prompt { font-size: 1.05em; margin: 2px 0 4px 0; }
.sp-quiz-hint { color: #555; font-size: 0.92em; }
.sp-quiz-feedback .sp-ok { color: #1d6b2f; font-weight: 600; }
.sp-quiz-feedback .sp-no { color: #9a3412; font-weight: 600; }
.sp-quiz-feedback .sp-ask { color: #555; }
.sp-quiz-feedback p { margin: 4px 0; }
.sp-quiz-feedback .sp-cite { color: #555; font-size: 0.92em; }
</style>"""


def _verdict(feedback: Feedback) -> Verdict:
    return Verdict(answered=feedback.answered, correct=feedback.correct, headline=feedback.headline,
                   details=(feedback.detail,) if feedback.detail else (),
                   right_answer_label=feedback.right_answer_label, right_answers=feedback.right_answers,
                   explanation=feedback.explanation, citation=feedback.citation)


def _message(text: str) -> w.HTML:
    return w.HTML(f'<div class="sp-error" role="alert">{safe_text.html_text(text)}</div>')


def check_yourself(question_id: str, lang: str = "en") -> w.Widget:
    """A self-contained quiz widget for one question. Never raises.

    An unknown id or broken quiz file shows a short message in ``lang`` instead.
    """
    try:
        lang = normalise_lang(lang)
    except ValueError:
        lang = "en"
    try:
        question = question_by_id(question_id)
    except QuizError as exc:
        log.warning("quiz question not available: %s", exc)
        return _message(t("quiz.unknown", lang, id=safe_text.preview(question_id, 40)))
    try:
        return _build(question, lang)
    except Exception:  # a learner must never see a traceback
        log.exception("quiz widget failed for %s", question_id)
        return _message(t("quiz.unknown", lang, id=question.id))


def _build(question, lang: str) -> w.Widget:
    options = question.options_in(lang)
    hint_key = N_("quiz.hint_single") if question.kind == "single" else N_("quiz.hint_multiple")
    siblings = [q.id for q in load_questions(question.module)]
    heading = safe_text.html_text(t("quiz.heading", lang, n=siblings.index(question.id) + 1, total=len(siblings)))
    prompt = safe_text.html_text(question.prompt_in(lang))
    hint = safe_text.html_text(t(hint_key, lang))
    header = w.HTML(
        _STYLE
        + f'<div class="sp-quiz-heading">{heading}</div>'
        + f'<div class="sp-quiz-prompt" dir="auto">{prompt}</div>'
        + f'<div class="sp-quiz-hint">{hint}</div>'
    )
    box = QuestionCheck(
        lang, options=[(text, i) for i, text in enumerate(options)], multiple=question.kind != "single",
        grade=lambda chosen: _verdict(grade(question, chosen, lang)),
        check_label=t("quiz.check", lang), second_label=t("quiz.retry", lang), second="retry",
        header=[header], feedback_class="sp-quiz-feedback")
    box.add_class("sp-quiz")
    box.add_class(f"sp-quiz-{question.id}")
    return box
