"""Exports of a draft: Markdown, Word and JSON, escaped and with confidential parts marked."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from course.tools.drafting import exports as export
from course.tools.drafting import rules as m

from .test_submission import HOSTILE, complete

MARK = {"en": "CONFIDENTIAL – not to be shared with the government", "zh": "保密——不得向该国政府披露"}


def hostile_draft() -> m.Submission:
    sub = complete()
    sub.title = HOSTILE
    sub.facts.what = "Line one\n" + HOSTILE + "\n# not a heading\n[link](http://example.org)"
    sub.victims[0].name = "مريم الأحمد"  # fictional, right-to-left
    sub.confidential = {"victims.0.name", "sender.contact"}
    return sub


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_escapes_typed_text_and_marks_confidential_fields(lang):
    text = export.to_markdown(hostile_draft(), lang)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("> **"))  # our own quote
    assert re.search(r"(?<!\\)<", body) is None  # every "<" typed is escaped: no tag can open
    assert r"\<script>" in text
    assert "\x00" not in text and "\x07" not in text and "\x1b" not in text
    assert r"\# not a heading" in text and r"\[link\](http://example.org)" in text
    assert "✊🏽" in text and "مريم الأحمد" in text
    # every confidential field carries the mark, and only those
    assert text.count(f"**[{MARK[lang]}]**") == 2
    contact_line = text.split("Signal")[0].rsplit("\n", 3)
    assert any(MARK[lang] in line for line in contact_line)


def test_markdown_document_language_is_independent_of_the_interface():
    sub = complete()
    english = export.to_markdown(sub, "en")
    chinese = export.to_markdown(sub, "zh")
    assert "## 1. Who is sending the information" in english
    assert "## 1. 信息由谁提交" in chinese
    assert "**What happened:**" in english and "**事件经过：**" in chinese
    assert "**Is the situation urgent?**" in english and "**情况紧急吗？**" in chinese  # no "?:"


def test_markdown_lists_all_nine_questions_even_when_empty():
    # the general profile: the nine questions, then attachments and evidence (issue 12)
    text = export.to_markdown(m.Submission(), "en")
    for number in range(1, 11):
        assert f"\n## {number}. " in text
    assert text.count("(not answered yet)") == 10


def test_markdown_uses_mandate_names_when_given():
    text = export.to_markdown(complete(), "en", {"human-rights-defenders": "Special Rapporteur on HRDs"})
    assert "Special Rapporteur on HRDs; arbitrary-detention" in text


def _docx_text(payload: bytes) -> str:
    document = Document(io.BytesIO(payload))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_docx_keeps_text_literal_and_marks_confidential_parts(lang):
    payload = export.to_docx_bytes(hostile_draft(), lang)
    text = _docx_text(payload)
    assert '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">' in text
    assert "\x00" not in text and "\x07" not in text
    assert text.count(f"[{MARK[lang]}]") == 2
    xml = zipfile.ZipFile(io.BytesIO(payload)).read("word/document.xml").decode()
    assert "<script>" not in xml  # stored as &lt;script&gt;


def test_docx_sets_east_asian_font_and_right_to_left_runs():
    payload = export.to_docx_bytes(hostile_draft(), "zh")
    document = Document(io.BytesIO(payload))
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == export.EAST_ASIAN_FONT
    arabic = [p for p in document.paragraphs if "مريم" in p.text]
    assert arabic and arabic[0]._p.pPr.find(qn("w:bidi")) is not None
    chinese = [p for p in document.paragraphs if "信息由谁提交" in p.text]
    assert chinese  # Chinese headings in a Chinese document


def test_docx_metadata_names_nobody():
    document = Document(io.BytesIO(export.to_docx_bytes(complete(), "en")))
    props = document.core_properties
    assert props.author == "" and props.last_modified_by == "" and props.title == ""


def test_exports_survive_one_megabyte_and_empty_drafts():
    sub = complete()
    sub.context.background = ("Ж" + HOSTILE) * (1_000_000 // (len(HOSTILE) + 1))
    assert len(export.to_markdown(sub, "en")) > 1_000_000
    assert _docx_text(export.to_docx_bytes(sub, "en")).count("✊🏽") > 1000
    assert export.to_docx_bytes(m.Submission(), "zh")[:2] == b"PK"


def test_json_export_round_trips():
    sub = hostile_draft()
    assert m.Submission.from_json(export.to_json(sub)) == sub


def test_export_filename_holds_no_personal_data():
    assert export.export_filename("docx", date(2025, 6, 30)) == "sp-submission-2025-06-30.docx"
