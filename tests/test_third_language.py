"""A third language needs catalogues and content, not Python: every tool builds in a stub
locale whose catalogues are copies of the English ones, and no code branches on a
language code.

The stub is French ("fr", Babel locale fr_FR) with English texts: any Chinese that
shows up can only come from a hard-coded branch (``if lang == "en": ... else: 中文``),
and any crash from code that knows only two languages.
"""
from __future__ import annotations

import ast
import json
import re
import shutil
from datetime import date
from pathlib import Path

import ipywidgets as w
import pytest

from course import i18n

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
STUB = "fr"


@pytest.fixture
def stub_locale(tmp_path, monkeypatch):
    locale_dir = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale_dir)
    shutil.copytree(locale_dir / "en", locale_dir / STUB)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale_dir)
    monkeypatch.setattr(i18n, "LANGUAGES", (*i18n.LANGUAGES, STUB))
    monkeypatch.setattr(i18n, "LOCALES", {**i18n.LOCALES, STUB: STUB})
    monkeypatch.setattr(i18n, "BABEL_LOCALES", {**i18n.BABEL_LOCALES, STUB: "fr_FR"})
    i18n.load_catalogue.cache_clear()
    # Content files (quizzes) get a French copy of their English text.
    from course.lessons import quiz

    content = tmp_path / "quizzes"
    content.mkdir()
    for path in quiz.CONTENT_DIR.glob("module*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        (content / path.name).write_text(json.dumps(_add_stub(data)), encoding="utf-8")
    monkeypatch.setattr(quiz, "CONTENT_DIR", content)
    monkeypatch.setattr(quiz, "LANGUAGES", i18n.LANGUAGES)
    quiz._load.cache_clear()
    yield STUB
    i18n.load_catalogue.cache_clear()
    quiz._load.cache_clear()


def _add_stub(value):
    if isinstance(value, dict):
        copied = {key: _add_stub(item) for key, item in value.items()}
        if "en" in value and "zh" in value:
            copied[STUB] = value["en"]
        return copied
    if isinstance(value, list):
        return [_add_stub(item) for item in value]
    return value


def _texts(widget) -> list[str]:
    """Every text a widget tree shows (the language switch's own names aside)."""
    found = []
    values = [option[1] for option in getattr(widget, "options", ()) or () if isinstance(option, tuple)]
    if values and set(values) <= set(i18n.LANGUAGES):
        return found  # a choice of language names each language in its own script: 中文 is right there
    for attr in ("description", "placeholder", "tooltip"):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            found.append(value)
    value = getattr(widget, "value", None)
    if isinstance(widget, (w.HTML, w.Label)) and isinstance(value, str):
        found.append(value)
    for option in getattr(widget, "options", ()) or ():
        found.append(str(option[0]) if isinstance(option, tuple) else str(option))
    for child in getattr(widget, "children", ()):
        found += _texts(child)
    return found


def _no_chinese(texts: list[str]) -> None:
    leaks = [text[:80] for text in texts if CJK.search(text)]
    assert leaks == [], leaks


def test_every_tool_builds_in_a_third_language(stub_locale, tmp_path):
    from course.tools.chooser.view import communication_chooser
    from course.tools.drafting.view import DraftingForm
    from course.tools.risk.view import RiskMatrix, reprisal_plan

    chooser = communication_chooser(lang=stub_locale)
    view = chooser.sp_view
    view.questions["ongoing_or_imminent"].value = "yes"
    view.show_recommendation()
    view.sent_on.value = "2025-01-04"
    view.show_timeline()
    form = DraftingForm(stub_locale, store_root=tmp_path / "drafts", environ={}, today=date(2025, 6, 30))
    form.run_check()
    risk = RiskMatrix(stub_locale, environ={}, store_root=tmp_path / "plans")
    risk.add_item()
    risk.incident.value = date(2025, 6, 10)
    plan = reprisal_plan(stub_locale)
    plan.incident.value = date(2025, 6, 10)
    for tool in (chooser, form, risk, plan):
        texts = _texts(tool)
        assert len(texts) > 10
        _no_chinese(texts)
    assert "janvier" in view.timeline_out.value  # dates come from Babel in the stub's locale


def test_switching_to_the_third_language_relabels_and_keeps_input(stub_locale, tmp_path):
    from course.tools.drafting.view import DraftingForm
    from course.tools.risk.view import RiskMatrix

    form = DraftingForm("zh", store_root=tmp_path / "drafts", environ={})
    form.title_text.value = "草稿 ✊🏽"
    form.lang_toggle.value = stub_locale
    assert form.title_text.value == "草稿 ✊🏽"
    _no_chinese([text for text in _texts(form) if "草稿 ✊🏽" not in text])
    risk = RiskMatrix("zh", environ={}, store_root=tmp_path / "plans")
    risk.add_item()
    risk.language.value = stub_locale
    _no_chinese(_texts(risk))


def test_exports_in_a_third_language(stub_locale):
    from course.tools.chooser import exports as chooser_exports
    from course.tools.chooser.rules import Situation, recommend
    from course.tools.drafting import exports as drafting_exports
    from course.tools.drafting.rules import Submission
    from course.tools.risk import exports as risk_exports
    from course.tools.risk.rules import RiskItem, RiskRegister

    rec = recommend(Situation(ongoing_or_imminent=True))
    _no_chinese([chooser_exports.summary_markdown(rec, stub_locale)])
    _no_chinese([drafting_exports.to_markdown(Submission(), stub_locale)])
    register = RiskRegister(items=[RiskItem(who="victims", threat="surveillance", likelihood=3, impact=4,
                                            mitigations=["partner_ngo"])], incident_date=date(2025, 6, 10))
    markdown = risk_exports.to_markdown(register, stub_locale, today=date(2025, 7, 1))
    _no_chinese([markdown])
    assert "avril 2026" in markdown or "15 avril 2026" in markdown
    assert risk_exports.to_docx(register, stub_locale, today=date(2025, 7, 1))[:2] == b"PK"


def test_quiz_in_a_third_language(stub_locale):
    from course.lessons.quiz import load_questions
    from course.lessons.quiz_view import check_yourself

    question = load_questions(1)[0]
    _no_chinese(_texts(check_yourself(question.id, lang=stub_locale)))


LANGUAGE_BRANCH = re.compile(
    r"""\blang(?:uage)?\w*\s*(?:==|!=|\bin\b|\bnot in\b)\s*[\(\[\{]?\s*["'](?:zh|en|zh_CN)["']"""
    r"""|["'](?:zh|en|zh_CN)["']\s*(?:==|!=)\s*[\w.]*lang"""
)


@pytest.mark.parametrize("folder", ["course/tools", "course/lessons"])
def test_no_hard_coded_language_branches(folder):
    """``"、" if lang == "zh" else ", "`` and the like belong in Babel or the catalogue."""
    offenders = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        ast.parse(source)  # the file is Python, so the search below reads real code
        for number, line in enumerate(source.splitlines(), 1):
            if LANGUAGE_BRANCH.search(line.split("#", 1)[0]):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_the_branch_check_can_fail():
    assert LANGUAGE_BRANCH.search('sep = "、" if lang == "zh" else ", "')
    assert LANGUAGE_BRANCH.search('if "en" != self.lang:')
    assert LANGUAGE_BRANCH.search('if lang in ("zh", "zh_CN"):')
    assert not LANGUAGE_BRANCH.search('t("risk.title", lang)')
