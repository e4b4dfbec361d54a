"""Any text a user can produce, in every field, through save, load, Markdown, Word and JSON.

A property-style sweep: one sample of every class of code point Python can hold is
put into every text field of a draft and of a risk plan, and each goes through every
export and the encrypted store. Nothing may crash; JSON and the store keep the text
exactly; Markdown and Word show what they cannot hold as U+FFFD and the tools say so once.
"""
from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from course import safe_text, storage
from course.i18n import t
from course.tools.drafting import exports as export
from course.tools.drafting import rules as m
from course.tools.risk import exports as risk_exports
from course.tools.risk import rules as risk

CASE = Path(__file__).parent / "fixtures" / "draft_with_U+FFFF.json"  # copy of ../shared/cases/files/

# (class name, sample, how many code points a Markdown/Word export must replace)
CLASSES = [
    ("nul", "\x00", 1),
    ("c0_controls", "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13)), 29),
    ("tab_newline_cr", "a\tb\nc\r\nd", 0),
    ("del_and_c1", "\x7f\x80\x85\x9f", 4),
    ("lone_high_surrogate", "\ud800", 1),
    ("lone_low_surrogate", "\udfff", 1),
    ("reversed_surrogates", "\udc00\ud83d", 2),
    ("surrogate_pair_as_two", "\ud83d\ude00", 2),
    ("bmp_noncharacters", "\ufffe\uffff", 2),
    ("arabic_noncharacters", "\ufdd0\ufdef", 2),
    ("astral_noncharacters", "\U0001fffe\U0010ffff", 2),
    ("private_use", "\ue000\U000f0000\U0010fffd", 0),
    ("bom_and_joiners", "\ufeff\u200d\u200b", 0),
    ("bidi_controls", "\u202e\u2066abc\u2069\u200f", 0),
    ("emoji", "👩🏽‍⚖️✊🏽", 0),
    ("combining", "e\u0301 ḁ\u0323", 0),
    ("cjk_and_rtl", "王小明 مرحبا שלום 𠀀", 0),
    ("replacement_char", "\ufffd", 0),
    ("markdown_and_html", "<script>x</script> *a* [b](c) # d | e &amp;", 0),
]
MARK = "Zq"


def draft_with(sample: str) -> m.Submission:
    """A draft with ``sample`` in every text field, a victim, the title and a mark."""
    sub = m.Submission(title=MARK + sample)
    for spec in m.FIELDS:
        if spec.kind in ("text", "longtext", "date"):
            m.set_value(sub, spec.path, MARK + sample)
    sub.victims.append(m.Victim(**{name: MARK + sample for name, _ in m.VICTIM_FIELDS}))
    sub.confidential = {"facts.what"}
    return sub


def register_with(sample: str) -> risk.RiskRegister:
    item = risk.RiskItem(who=risk.PERSON_IDS[0], threat=risk.CUSTOM_THREAT, likelihood=3, impact=4,
                         note=MARK + sample, custom_threat_label=MARK + sample)
    return risk.RiskRegister(items=[item], title=MARK + sample, mandate_engaged=MARK + sample,
                             plan_note=MARK + sample)


def docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def expected_shown(sample: str) -> str:
    return safe_text.clean(sample)


@pytest.mark.parametrize("name,sample,refused", CLASSES, ids=[c[0] for c in CLASSES])
def test_draft_every_field_every_export(name, sample, refused):
    sub = draft_with(sample)
    fields = sum(1 for s in m.FIELDS if s.kind in ("text", "longtext", "date")) + len(m.VICTIM_FIELDS) + 1
    assert safe_text.count_refused(sub.to_dict()) == refused * fields
    # JSON: valid UTF-8, loads back to the same draft (JSON itself reads a high+low surrogate
    # pair written as two escapes as the one character they encode, as every JSON parser does)
    data = sub.to_json().encode("utf-8")
    assert m.Submission.from_json(data).to_dict() == json.loads(json.dumps(sub.to_dict()))
    for lang in ("en", "zh"):
        md = export.to_markdown(sub, lang)
        md.encode("utf-8")  # no lone surrogate left
        assert not safe_text._REFUSED.search(md)
        assert md.count("\ufffd") >= refused * fields
        word = docx_text(export.to_docx_bytes(sub, lang))
        assert not safe_text._REFUSED.search(word)
        shown = re.sub(r"\s+", " ", expected_shown(sample)).strip()
        if shown:
            assert shown in re.sub(r"\s+", " ", word)


@pytest.mark.parametrize("name,sample,refused", CLASSES, ids=[c[0] for c in CLASSES])
def test_risk_plan_every_field_every_export(name, sample, refused):
    register = register_with(sample)
    assert (risk.RiskRegister.from_json(register.to_json().encode("utf-8")).to_dict()
            == json.loads(json.dumps(register.to_dict())))
    for lang in ("en", "zh"):
        md = risk_exports.to_markdown(register, lang)
        md.encode("utf-8")
        assert not safe_text._REFUSED.search(md)
        word = docx_text(risk_exports.to_docx(register, lang))
        assert not safe_text._REFUSED.search(word)
        if refused:
            assert "\ufffd" in md and "\ufffd" in word


@pytest.mark.parametrize("name,sample,refused", CLASSES, ids=[c[0] for c in CLASSES])
def test_encrypted_store_keeps_every_class_exactly(tmp_path, name, sample, refused):
    vault = storage.Vault(tmp_path / "store")
    vault.create("correct horse battery", {"name": "scrypt", "n": 2**14, "r": 8, "p": 1, "length": 32})
    payload = draft_with(sample).to_dict()
    record_id = storage.new_id()
    vault.save("draft", record_id, MARK + sample, payload)
    assert vault.load("draft", record_id) == payload
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == sorted(
        [storage.STORE_FILE, f"draft-{record_id}.sprec"])  # nothing left behind


def test_every_code_point_of_every_plane_survives_clean_and_markdown():
    """One sweep over all 1,114,112 code points in chunks: nothing raises, nothing refused is left."""
    for start in range(0, 0x110000, 0x8000):
        chunk = "".join(chr(c) for c in range(start, min(start + 0x8000, 0x110000)))
        cleaned = safe_text.clean(chunk)
        assert not safe_text._REFUSED.search(cleaned)
        cleaned.encode("utf-8")
        safe_text.markdown_text(chunk).encode("utf-8")
        assert (json.loads(safe_text.json_text(json.dumps(chunk, ensure_ascii=False)).encode("utf-8"))
                == json.loads(json.dumps(chunk)))


# --------------------------------------------------------------------------- through the tools
def upload(control, payload: bytes):
    control.value = ({"name": "x.json", "type": "application/json", "size": len(payload),
                      "content": memoryview(payload),
                      "last_modified": datetime(2026, 1, 1, tzinfo=timezone.utc)},)


def test_the_case_file_loads_and_exports_to_word(tmp_path):
    """../shared/cases/files/draft_with_U+FFFF.json: Word export used to fail, 'try again'."""
    from course.tools.drafting.view import DraftingForm

    form = DraftingForm("en", store_root=tmp_path / "store", environ={})
    upload(form.upload, CASE.read_bytes())
    assert "sp-error" not in form.status.value
    assert "\uffff" in form.collect().title  # kept exactly in the form
    for index, ext in ((1, "docx"), (0, "md"), (2, "json")):
        name, data = form.downloads.click(index)
        assert name.endswith(ext) and "sp-error" not in form.status.value, ext
        if ext == "docx":
            assert "\ufffd" in docx_text(data)
            assert form.status.value.count(t("drafting.download.replaced", "en", count=1)) == 1  # said once
        elif ext == "json":
            assert m.Submission.from_json(data).title == form.collect().title
    assert "try again" not in t("common.error.unexpected", "en")
    assert "再试一次" not in t("common.error.unexpected", "zh")


@pytest.mark.parametrize("name,sample,refused", CLASSES, ids=[c[0] for c in CLASSES])
def test_drafting_form_upload_export_save_open(tmp_path, monkeypatch, name, sample, refused):
    from course.tools.drafting.view import DraftingForm

    monkeypatch.setattr(storage, "DEFAULT_KDF", {"name": "scrypt", "n": 2**14, "r": 8, "p": 1, "length": 32})
    form = DraftingForm("zh", store_root=tmp_path / "store", environ={})
    sub = draft_with(sample)
    upload(form.upload, sub.to_json().encode("utf-8"))
    assert "sp-error" not in form.status.value
    shown = form.collect()
    lone = safe_text._SURROGATE.search(json.loads(json.dumps(sample)))  # as the JSON file reads
    if lone:  # a lone surrogate cannot travel to the browser: shown as U+FFFD, and said
        assert "\ufffd" in form.status.value and not safe_text._SURROGATE.search(json.dumps(
            shown.to_dict(), ensure_ascii=False))
    else:
        assert shown.to_dict() == json.loads(json.dumps(sub.to_dict()))
    for index in range(3):
        assert form.downloads.click(index) is not None
        assert "sp-error" not in form.status.value
    form.records.passphrase.value = form.records.passphrase_again.value = "correct horse battery"
    form.records.create_button.click()
    form.records.save_button.click()
    assert "sp-error" not in form.records.status.value
    form.records.open_button.click()
    assert form.collect() == shown


@pytest.mark.parametrize("name,sample,refused", CLASSES, ids=[c[0] for c in CLASSES])
def test_risk_tool_upload_and_exports(tmp_path, name, sample, refused):
    from course.tools.risk.view import RiskMatrix

    tool = RiskMatrix("en", environ={}, store_root=tmp_path / "store")
    upload(tool.upload, register_with(sample).to_json().encode("utf-8"))
    assert "sp-error" not in tool.status.value
    as_read = json.loads(json.dumps(sample))  # what the JSON file holds
    if safe_text._SURROGATE.search(as_read):  # cannot reach the browser: shown as U+FFFD, said once
        assert tool.status.value.count("\ufffd") == 1
    for index in range(3):
        assert tool.downloads.click(index) is not None
    assert "sp-error" not in tool.status.value
    if safe_text._REFUSED.search(safe_text._SURROGATE.sub("", as_read)):
        assert tool.status.value.count("\ufffd") == 1  # reported once
