""""Check yourself" questions: loading, validation and grading (no widgets here).

Questions live in ``course/content/quizzes/module<N>.json``, one file per module,
both languages side by side::

    {"module": 1, "questions": [
      {"id": "m1-q1", "section": "what-are-they", "kind": "single",
       "prompt": {"zh": "...", "en": "..."},
       "options": [{"zh": "...", "en": "..."}, ...],
       "correct": [0],
       "explanation": {"zh": "...", "en": "..."},
       "citation": "ISHR Practical Guide (2025), ch. I"}]}

``citation`` is either one string (shown as is in both languages) or
``{"zh": "...", "en": "..."}``.

    >>> q = question_by_id("m1-q1")
    >>> grade(q, [1], "en").correct, grade(q, [0], "en").correct
    (True, False)
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from ..i18n import LANGUAGES, normalise_lang, t

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content" / "quizzes"
KINDS = ("single", "multiple")
MIN_QUESTIONS = 5
_ID = re.compile(r"^m(\d+)-[a-z0-9][a-z0-9-]*$")
_FILE = re.compile(r"^module(\d+)\.json$")


class QuizError(ValueError):
    """Quiz content is missing or malformed, or an answer cannot be graded."""


@dataclass(frozen=True)
class Question:
    id: str
    module: int
    section: str
    kind: str
    prompt: Mapping[str, str]
    options: tuple[Mapping[str, str], ...]
    correct: tuple[int, ...]
    explanation: Mapping[str, str]
    citation: str | Mapping[str, str]

    def prompt_in(self, lang: str) -> str:
        return self.prompt[normalise_lang(lang)]

    def options_in(self, lang: str) -> list[str]:
        lang = normalise_lang(lang)
        return [option[lang] for option in self.options]

    def explanation_in(self, lang: str) -> str:
        return self.explanation[normalise_lang(lang)]

    def citation_in(self, lang: str) -> str:
        if isinstance(self.citation, str):
            return self.citation
        return self.citation[normalise_lang(lang)]


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer, ready to be shown in ``lang``."""

    question_id: str
    lang: str
    answered: bool
    correct: bool
    selected: tuple[int, ...]
    missed: tuple[int, ...] = field(default=())
    """Right options the learner did not choose."""
    wrong: tuple[int, ...] = field(default=())
    """Options the learner chose that are not right."""
    headline: str = ""
    detail: str = ""
    right_answer_label: str = ""
    right_answers: tuple[str, ...] = field(default=())
    explanation: str = ""
    citation: str = ""


# --------------------------------------------------------------------------- loading

def _bilingual(value: object, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where}: must be an object with {list(LANGUAGES)}")
        return
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: missing or empty {lang!r} text")


def validate(data: object, module: int | None = None) -> list[str]:
    """Every problem with the content of one ``module<N>.json``; empty when it is sound."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["top level must be an object with 'module' and 'questions'"]
    number = data.get("module")
    if not isinstance(number, int) or isinstance(number, bool):
        problems.append("'module' must be an integer")
    elif module is not None and number != module:
        problems.append(f"'module' is {number}, file is for module {module}")
    questions = data.get("questions")
    if not isinstance(questions, list):
        return problems + ["'questions' must be a list"]
    if len(questions) < MIN_QUESTIONS:
        problems.append(f"only {len(questions)} questions; at least {MIN_QUESTIONS} per module")
    seen: set[str] = set()
    for index, item in enumerate(questions):
        where = f"question {index + 1}"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object")
            continue
        qid = item.get("id")
        if not isinstance(qid, str) or not _ID.match(qid):
            problems.append(f"{where}: id {qid!r} must look like 'm<module>-<name>'")
        else:
            where = f"{qid}"
            if isinstance(number, int) and int(_ID.match(qid).group(1)) != number:
                problems.append(f"{where}: id does not start with m{number}-")
            if qid in seen:
                problems.append(f"{where}: duplicate id")
            seen.add(qid)
        if not isinstance(item.get("section"), str) or not item["section"].strip():
            problems.append(f"{where}: 'section' missing")
        kind = item.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} must be one of {KINDS}")
        _bilingual(item.get("prompt"), f"{where} prompt", problems)
        _bilingual(item.get("explanation"), f"{where} explanation", problems)
        options = item.get("options")
        if not isinstance(options, list) or len(options) < 2:
            problems.append(f"{where}: needs at least 2 options")
            options = options if isinstance(options, list) else []
        for n, option in enumerate(options):
            _bilingual(option, f"{where} option {n}", problems)
        for lang in LANGUAGES:
            texts = [o.get(lang) for o in options if isinstance(o, dict)]
            if len(set(texts)) != len(texts):
                problems.append(f"{where}: two options read the same in {lang!r}")
        correct = item.get("correct")
        if (not isinstance(correct, list) or not correct
                or not all(isinstance(i, int) and not isinstance(i, bool) for i in correct)):
            problems.append(f"{where}: 'correct' must be a non-empty list of option indices")
        else:
            if any(i < 0 or i >= len(options) for i in correct):
                problems.append(f"{where}: correct index out of range 0..{len(options) - 1}")
            if len(set(correct)) != len(correct):
                problems.append(f"{where}: correct index repeated")
            if kind == "single" and len(correct) != 1:
                problems.append(f"{where}: a 'single' question has exactly one correct option")
            if kind == "multiple" and len(set(correct)) >= len(options):
                problems.append(f"{where}: a 'multiple' question needs at least one wrong option")
        citation = item.get("citation")
        if isinstance(citation, dict):
            _bilingual(citation, f"{where} citation", problems)
        elif not isinstance(citation, str) or not citation.strip():
            problems.append(f"{where}: 'citation' missing")
    return problems


def quiz_path(module: int) -> Path:
    return CONTENT_DIR / f"module{int(module)}.json"


def available_modules() -> list[int]:
    return sorted(int(m.group(1)) for p in CONTENT_DIR.glob("module*.json") if (m := _FILE.match(p.name)))


@functools.lru_cache(maxsize=None)
def _load(module: int, mtime: float) -> tuple[Question, ...]:
    path = quiz_path(module)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuizError(f"{path}: cannot be read: {exc}") from exc
    problems = validate(data, module)
    if problems:
        raise QuizError(f"{path}: " + "; ".join(problems))
    return tuple(
        Question(
            id=item["id"], module=module, section=item["section"], kind=item["kind"],
            prompt=dict(item["prompt"]), options=tuple(dict(o) for o in item["options"]),
            correct=tuple(item["correct"]), explanation=dict(item["explanation"]),
            citation=item["citation"] if isinstance(item["citation"], str) else dict(item["citation"]),
        )
        for item in data["questions"]
    )


def load_questions(module: int) -> list[Question]:
    """All questions of one module, in file order. Raises :class:`QuizError` if broken."""
    path = quiz_path(module)
    if not path.exists():
        raise QuizError(f"no quiz file for module {module}: {path}")
    return list(_load(int(module), path.stat().st_mtime))


def question_by_id(question_id: str) -> Question:
    """The question with this id (``"m1-q3"``); :class:`QuizError` when there is none."""
    match = _ID.match(question_id) if isinstance(question_id, str) else None
    if not match:
        raise QuizError(f"question id {question_id!r} must look like 'm<module>-<name>'")
    for question in load_questions(int(match.group(1))):
        if question.id == question_id:
            return question
    raise QuizError(f"no question {question_id!r} in {quiz_path(int(match.group(1)))}")


# --------------------------------------------------------------------------- grading

def _normalise_selection(question: Question, selected: object) -> tuple[int, ...]:
    if selected is None:
        return ()
    if isinstance(selected, int) and not isinstance(selected, bool):
        selected = [selected]
    if isinstance(selected, (str, bytes)) or not isinstance(selected, Iterable):
        raise QuizError(f"selection must be option indices, got {selected!r}")
    chosen = []
    for index in selected:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(question.options):
            raise QuizError(f"{question.id}: no option {index!r} (0..{len(question.options) - 1})")
        if index not in chosen:
            chosen.append(index)
    if question.kind == "single" and len(chosen) > 1:
        raise QuizError(f"{question.id}: only one option can be chosen")
    return tuple(sorted(chosen))


def grade(question: Question, selected: object, lang: str) -> Feedback:
    """Check the chosen option indices and explain the right answer in ``lang``.

    An empty selection is not graded (``answered`` is False): the learner is asked
    to choose first. A multiple-choice answer is right only when it picks every
    right option and nothing else.
    """
    lang = normalise_lang(lang)
    chosen = _normalise_selection(question, selected)
    if not chosen:
        return Feedback(question.id, lang, answered=False, correct=False, selected=(),
                        headline=t("quiz.no_answer", lang))
    right = set(question.correct)
    missed = tuple(sorted(right - set(chosen)))
    wrong = tuple(sorted(set(chosen) - right))
    correct = not missed and not wrong
    options = question.options_in(lang)
    answers = tuple(options[i] for i in question.correct)
    label = t("quiz.right_answer_one", lang) if len(answers) == 1 else t("quiz.right_answer_many", lang)
    detail = ""
    if not correct and question.kind == "multiple":
        detail = t("quiz.partial", lang, found=len(right) - len(missed), total=len(right))
        if wrong:
            detail += t("quiz.partial_extra", lang, extra=len(wrong))
    return Feedback(
        question.id, lang, answered=True, correct=correct, selected=chosen, missed=missed, wrong=wrong,
        headline=t("quiz.correct", lang) if correct else t("quiz.incorrect", lang),
        detail=detail, right_answer_label=label, right_answers=answers,
        explanation=question.explanation_in(lang),
        citation=t("quiz.source", lang, citation=question.citation_in(lang)),
    )
