"""The drafting form's wiring, driven from Python (no browser, no kernel)."""
from __future__ import annotations

import json
import re
import stat
from datetime import date, datetime, timezone

import ipywidgets as w
import pytest

from course import storage
from course.i18n import t
from course.tools.drafting import exports as export
from course.tools.drafting import rules as m
from course.tools.drafting import view as drafting
from course.tools.drafting.view import DraftingForm, drafting_form

from .test_submission import HOSTILE, complete

TODAY = date(2025, 6, 30)


@pytest.fixture
def make(tmp_path):
    def build(lang="en", **kwargs):
        kwargs.setdefault("environ", {})
        return DraftingForm(lang=lang, store_root=tmp_path / "store", today=TODAY, **kwargs)
    return build


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def controls(form):
    kinds = (w.Text, w.Textarea, w.Dropdown, w.SelectMultiple, w.Checkbox, w.ToggleButtons,
             w.FloatProgress, w.Button, w.FileUpload)
    return [x for x in walk(form) if isinstance(x, kinds)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_control_has_an_accessible_name(make, lang):
    form = make(lang)
    found = controls(form)
    assert len(found) > 40
    for control in found:
        assert control.description.strip(), control


def test_language_switch_relabels_in_place_and_keeps_what_was_typed(make):
    form = make("en")
    form.populate(complete())
    form.controls["facts.what"].value = HOSTILE
    form.confidential["sender.contact"].value = True
    before = form.collect()
    old_labels = [c.description for c in controls(form)]
    form.lang_toggle.value = "zh"
    assert form.collect() == before
    assert form.controls["facts.what"].description == "事件经过"
    assert form.victim_rows[0]["inputs"]["name"].description == "姓名"
    assert form.victim_rows[0]["inputs"]["name"].value == "Ana Velasco"
    new_labels = [c.description for c in controls(form)]
    assert len(new_labels) == len(old_labels) and new_labels != old_labels
    assert "请注意安全" in form.warning.value
    form.lang_toggle.value = "en"
    assert form.collect() == before


def test_populate_and_collect_round_trip(make):
    form = make()
    sub = complete()
    sub.victims.append(m.Victim(name="Fishers of the bay", is_group=True))
    sub.confidential = {"victims.1.name", "facts.what"}
    sub.extra = {"future": 1}
    form.populate(sub)
    assert form.collect() == sub


def test_handoff_from_the_query_string_and_from_the_chooser(make):
    form = make(environ={"QUERY_STRING": "type=allegation_letter&mandates=torture,<b>x</b>,made-up-mandate"})
    sub = form.collect()
    assert sub.comm_type == "allegation_letter"
    assert sub.mandate_ids == ["torture"]  # unknown or malformed ids are ignored
    form.apply_handoff("urgent_appeal", ["human-rights-defenders"])
    assert form.collect().comm_type == "urgent_appeal"
    assert set(form.collect().mandate_ids) == {"torture", "human-rights-defenders"}
    explicit = make(comm_type="other_letter", mandate_ids=["privacy"],
                    environ={"QUERY_STRING": "type=urgent_appeal"})
    assert explicit.collect().comm_type == "other_letter"


def test_add_and_remove_victims_keeps_values_and_marks(make):
    form = make()
    form.victim_rows[0]["inputs"]["name"].value = "Ana"
    form.add_victim.click()
    form.victim_rows[1]["inputs"]["name"].value = "Bea"
    form.victim_rows[1]["confidential"]["name"].value = True
    form.add_victim.click()
    form.victim_rows[2]["inputs"]["name"].value = "Cai"
    remove_first = next(c for c in walk(form.victim_box) if isinstance(c, w.Button))
    remove_first.click()
    sub = form.collect()
    assert [v.name for v in sub.victims] == ["Bea", "Cai"]
    assert "victims.0.name" in sub.confidential and "victims.1.name" not in sub.confidential


def test_meter_follows_the_form(make):
    form = make()
    assert form.meter.value == 0
    form.controls["sender.name"].value = "Tomas"
    form.controls["sender.contact"].value = "safe channel"
    assert 0 < form.meter.value < 1
    assert "1 of 9" in form.meter_text.value
    form.populate(complete())
    assert form.meter.value == pytest.approx(1.0)


def test_check_shows_escaped_issues_in_the_users_language(make):
    form = make("zh")
    form.controls["facts.what"].value = HOSTILE * 3
    form.check_button.click()
    assert "错误" in form.issues.value and "《实用指南》第" in form.issues.value and "ISHR Practical Guide" not in form.issues.value
    assert "<script>" not in form.issues.value
    form.lang_toggle.value = "en"  # shown findings follow the language
    assert "Error:" in form.issues.value


def test_each_download_is_built_from_the_form_when_clicked(make):
    form = make()
    form.populate(complete())
    assert [f["filename"] for f in form.downloads.files] == [
        f"sp-submission-2025-06-30.{extension}" for extension in ("md", "docx", "json")]
    for index, extension in enumerate(("md", "docx", "json")):
        form.controls["facts.what"].value = f"{HOSTILE} {extension}"  # typed just before the click
        name, payload = form.downloads.click(index, f"sp-submission-2025-06-30.{extension}")
        assert name == f"sp-submission-2025-06-30.{extension}"
        sub = form.collect()
        assert sub.facts.what.endswith(extension)
        if extension == "md":
            assert payload.decode() == export.to_markdown(sub, "en", form._names["en"])
        elif extension == "json":
            assert m.Submission.from_json(payload) == sub
        else:
            assert payload[:2] == b"PK"
    state = json.dumps(form.downloads.get_state(), ensure_ascii=False)
    assert "script" not in state and "sp-submission-2025-06-30.md" in state  # names and labels, never typed text


def test_a_download_request_is_answered_in_a_message_buffer(make):
    """The browser's side: {"event": "download", ...} in, the bytes back in a buffer, never in state."""
    form = make()
    form.title_text.value = "Mk7Qx 黄小梅"
    sent = []
    form.downloads.send = lambda content, buffers=None: sent.append((content, buffers))
    form.downloads._received(form.downloads, {"event": "download", "index": 2, "request": 7,
                                              "filename": "sp-submission-2025-06-30.json"}, [])
    form.downloads._received(form.downloads, {"event": "download", "index": 0, "request": 8,
                                              "filename": "sp-submission-2025-06-30.docx"}, [])  # a stale button
    form.downloads._received(form.downloads, {"event": "download", "index": 9, "request": 9}, [])
    form.downloads._received(form.downloads, {"event": "download", "index": 0, "request": 10,
                                              "filename": "sp-submission-2025-06-29.md"}, [])  # drawn yesterday
    (content, buffers), *refused, (yesterday, md) = sent
    assert yesterday["filename"] == "sp-submission-2025-06-30.md" and bytes(md[0]).startswith(b"# ")
    assert content == {"event": "file", "request": 7, "filename": "sp-submission-2025-06-30.json",
                       "mime": "application/json;charset=utf-8"}
    assert m.Submission.from_json(bytes(buffers[0])).title == "Mk7Qx 黄小梅"
    assert refused == [({"event": "none", "request": 8}, None), ({"event": "none", "request": 9}, None)]



def test_document_language_can_differ_from_the_interface(make):
    form = make("zh")
    payload = form.downloads.click(0)[1].decode()
    assert "Who is sending the information" in payload  # English by default
    form.doc_lang.value = "zh"
    payload = form.downloads.click(0)[1].decode()
    assert "信息由谁提交" in payload


PASS = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    """A cheaper scrypt cost for speed; tests/test_storage.py covers the real defaults."""
    monkeypatch.setattr(storage, "DEFAULT_KDF", {"name": "scrypt", "n": 2**14, "r": 8, "p": 1, "length": 32})


def set_passphrase(form):
    form.records.passphrase.value = PASS
    form.records.passphrase_again.value = PASS
    form.records.create_button.click()
    assert form.records.vault.unlocked


def test_save_list_restore_and_delete_with_confirmation(make, tmp_path):
    form = make()
    form.populate(complete())
    form.title_text.value = HOSTILE
    form.records.save_button.click()
    assert "passphrase" in form.records.status.value  # first: set a passphrase; nothing is lost
    assert form.collect().title == HOSTILE
    set_passphrase(form)
    form.records.save_button.click()
    vault = storage.vault(tmp_path / "store")
    records = vault.list_records("draft")
    assert len(records) == 1
    assert stat.S_IMODE(records[0].path.stat().st_mode) == 0o600
    assert form.records.records.value == records[0].record_id
    assert "\x00" not in form.records.records.options[0][0]
    # change the form, then restore the saved version
    form.controls["facts.what"].value = "changed"
    form.records.open_button.click()
    assert form.collect().facts.what == complete().facts.what
    # delete asks first; cancel keeps the record
    form.records.delete_button.click()
    assert form.records.confirm_one_box.layout.display == "flex"
    form.records.confirm_one_no.click()
    assert len(vault.list_records("draft")) == 1
    form.records.delete_button.click()
    form.records.confirm_one_yes.click()
    assert vault.list_records("draft") == []
    assert form.records.open_button.disabled
    assert form.collect().facts.what == complete().facts.what  # deleting a save keeps the form


def test_quick_delete_needs_the_typed_word(make, tmp_path):
    form = make()
    set_passphrase(form)
    form.populate(complete())
    form.records.save_button.click()
    other = make()
    other.populate(complete())
    other.records.save_button.click()  # same store, same kernel: already unlocked
    vault = storage.vault(tmp_path / "store")
    assert len(vault.list_records("draft")) == 2
    form.records.wipe_button.click()
    assert form.records.wipe_yes.disabled
    form.records.wipe_yes.click()  # disabled in the browser; refused here too
    assert form.records.delete_everything() is None
    assert vault.count() == 2
    form.records.wipe_word.value = "delete"
    assert not form.records.wipe_yes.disabled
    form.records.wipe_yes.click()
    assert vault.count() == 0 and vault.state() == "new"
    assert "2" in form.records.status.value
    assert other.records.key_box.layout.display is None  # the other panel follows: asks for a passphrase


def test_an_empty_form_never_overwrites_a_save(make, tmp_path):
    form = make()
    set_passphrase(form)
    form.populate(complete())
    form.records.save_button.click()
    vault = storage.vault(tmp_path / "store")
    record = vault.list_records("draft")[0]
    form.populate(m.blank())
    form.records.save_button.click()
    assert m.Submission.from_dict(vault.load("draft", record.record_id)) == complete()
    assert t("records.nothing", "en") in form.records.status.value


def test_lock_then_wrong_then_right_passphrase(make, tmp_path):
    form = make()
    set_passphrase(form)
    form.populate(complete())
    form.records.save_button.click()
    form.records.lock_button.click()
    assert not form.records.vault.unlocked
    assert form.records.records_box.layout.display == "none"
    assert form.collect() == complete()  # locking keeps what is on screen
    form.records.passphrase.value = "wrong passphrase"
    form.records.unlock_button.click()
    assert t("records.error.wrong", "en") in form.records.status.value
    assert form.records.passphrase.value == ""  # never left in widget state
    form.records.passphrase.value = PASS
    form.records.unlock_button.click()
    assert form.records.vault.unlocked and len(form.records.records.options) == 1


def upload(form, payload: bytes, name="draft.json"):
    form.upload.value = ({"name": name, "type": "application/json", "size": len(payload),
                          "content": memoryview(payload),
                          "last_modified": datetime(2025, 6, 30, tzinfo=timezone.utc)},)


def test_load_json_restores_a_draft_and_can_be_undone(make):
    form = make()
    form.controls["facts.what"].value = "what I was typing"
    upload(form, complete().to_json().encode())
    assert form.collect() == complete()
    assert form.undo_button.layout.display is None
    form.undo_button.click()
    assert form.collect().facts.what == "what I was typing"


@pytest.mark.parametrize("payload", [b"{broken", b"[1,2,3]", b"\xff\xfe", b" " * (drafting.MAX_UPLOAD_BYTES + 1)])
def test_a_bad_file_leaves_the_form_untouched(make, payload):
    form = make("zh")
    form.controls["facts.what"].value = HOSTILE
    upload(form, payload)
    assert form.collect().facts.what == HOSTILE
    assert "sp-error" in form.status.value and "表单内容保持不变" in form.status.value


def test_loaded_type_problems_are_shown_and_kept(make):
    form = make()
    data = complete().to_dict()
    data["sender"]["name"] = ["not", "text"]
    data["new_section"] = {"a": 1}
    upload(form, json.dumps(data).encode())
    assert "sender.name" in form.status.value
    assert form.collect().extra == {"sender.name": ["not", "text"], "new_section": {"a": 1}}


def test_an_error_in_a_callback_is_shown_and_loses_nothing(make, monkeypatch):
    form = make()
    form.populate(complete())
    form.controls["facts.what"].value = HOSTILE

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export, "to_docx_bytes", broken)
    assert form.downloads.click(1) is None  # the Word button: nothing saved, the reason shown
    assert "sp-error" in form.status.value and "RuntimeError" in form.status.value
    assert form.collect().facts.what == HOSTILE


def test_one_megabyte_of_text_works_end_to_end(make):
    form = make()
    big = ("ا" + HOSTILE) * (1_000_000 // (len(HOSTILE) + 1))
    form.controls["context.background"].value = big
    form.check_button.click()
    for index in range(3):
        name, data = form.downloads.click(index)
        if name.endswith(".json"):
            assert m.Submission.from_json(data).context.background == big
    assert form.collect().context.background == big
    assert "sp-error" not in form.status.value


def test_drafting_form_function_returns_the_widget(tmp_path):
    form = drafting_form("zh", environ={}, store_root=tmp_path)
    assert isinstance(form, w.VBox) and form.lang == "zh"


def test_status_and_confirmation_follow_a_language_switch(make):
    form = make("en")
    form.populate(complete())
    set_passphrase(form)
    form.records.save_button.click()
    assert "encrypted with your passphrase" in form.records.status.value
    form.lang_toggle.value = "zh"
    assert "已加密保存在这台电脑上" in form.records.status.value
    assert form.records.save_button.description == t("records.save", "zh")


def test_mandate_names_match_the_validated_table():
    from course import data

    table = data.load("mandates")
    for lang, column in (("en", "name_en"), ("zh", "name_zh")):
        assert drafting._mandate_names(lang) == dict(zip(table["mandate_id"], table[column]))


def test_hiding_one_control_hides_no_other(make):
    """Layouts are shared between controls to keep the page light; hidden ones own theirs."""
    form = make()
    assert form.undo_button.layout.display == "none"
    for button in (form.check_button, form.downloads, form.records.save_button, form.records.open_button):
        assert button.layout.display is None
        assert button.layout is not form.undo_button.layout


def test_a_file_over_the_limit_is_refused_by_size_alone_and_keeps_the_form(make):
    """The browser sends only name and size for a file over the limit (course.widgets.upload)."""
    form = make()
    form.populate(complete())
    form.upload.receive("huge.json", b"", size=12 * 1024 * 1024)  # what the browser reports for 12 MB
    assert t("drafting.load.too_big", "en") in form.status.value
    assert form.collect() == complete()
    assert form.upload.max_bytes == drafting.MAX_UPLOAD_BYTES < 10 * 1024 * 1024  # under Tornado's limit
    form.upload.receive("draft.json", complete().to_json().encode("utf-8"))
    assert form.collect() == complete() and "sp-error" not in form.status.value


# --------------------------------------------------------------------------- profiles (issue 12)
def _shown(row) -> bool:
    return row.layout.display != "none"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_profile_switch_shows_its_blocks_and_keeps_what_was_typed(make, lang):
    from .test_drafting_profiles import wgad_case

    form = make(lang)
    assert form.profile.value == "general"
    assert not _shown(form.rows["detention.arrest_date"]) and not _shown(form.rows["disappearance.date"])
    form.populate(wgad_case())
    assert form.profile.value == "wgad"
    assert _shown(form.rows["detention.arrest_date"]) and not _shown(form.rows["law.text"])
    assert form.controls["detention.categories"].value == ["II", "III", "V"]
    typed = form.collect()
    form.profile.value = "wgeid"
    assert _shown(form.rows["disappearance.date"]) and not _shown(form.rows["detention.arrest_date"])
    assert _shown(form.rows["facts.what"])  # shared rows stay
    back = form.collect()
    assert back.detention == typed.detention and back.victims == typed.victims  # hidden, never lost
    form.profile.value = "wgad"
    assert form.collect() == typed
    assert form.run_check().errors == []


def test_profile_blocks_relabel_on_language_switch(make):
    form = make("en")
    form.profile.value = "wgad"
    box = form.controls["detention.categories"].boxes["II"]
    english = box.description
    form.controls["detention.categories"].value = ["II"]
    form.lang_toggle.value = "zh"
    assert box.description != english and re.search(r"[\u4e00-\u9fff]", box.description)
    assert form.controls["detention.categories"].value == ["II"]
    assert form.profile.value == "wgad" and re.search(r"[\u4e00-\u9fff]", form.profile.label)


@pytest.mark.parametrize("mandates,profile,offered", [
    (["enforced-disappearances"], "wgeid", False),
    (["arbitrary-detention"], "general", True),
    (["human-rights-defenders"], "general", False),
])
def test_handoff_selects_or_offers_the_profile(make, mandates, profile, offered):
    form = make("en", comm_type="urgent_appeal", mandate_ids=mandates)
    assert form.profile.value == profile
    assert (form.profile_offer_button.layout.display != "none") is offered
    if offered:
        assert "Working Group on Arbitrary Detention" in form.profile_offer.value
        form.profile_offer_button.click()
        assert form.profile.value == "wgad" and form.profile_offer.value == ""


def test_handoff_from_the_query_string_selects_wgeid(make):
    form = make("zh", environ={"QUERY_STRING": "type=urgent_appeal&mandates=enforced-disappearances"})
    assert form.profile.value == "wgeid"


def test_victim_public_naming_and_new_fields_round_trip_through_the_form(make):
    from .test_drafting_profiles import general_case

    form = make("en")
    form.populate(general_case())
    assert form.collect() == general_case()
    assert form.victim_rows[0]["naming"].value == "initials"
