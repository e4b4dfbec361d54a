"""RecordsPanel on its own: the interface a tool shell composes, migration, relabelling."""
from __future__ import annotations

import json

import pytest

from course import storage
from course.i18n import t
from course.tools.records import RecordsPanel, confirm_word

PASS = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(storage, "DEFAULT_KDF", {"name": "scrypt", "n": 2**14, "r": 8, "p": 1, "length": 32})


def make(root, lang="en", payload=None):
    shown = {}
    panel = RecordsPanel("riskplan", lang, lambda: payload, lambda data, rid: shown.update(data=data, rid=rid),
                         store_root=root)
    return panel, shown


def create(panel):
    panel.passphrase.value = panel.passphrase_again.value = PASS
    panel.create_button.click()


def test_callbacks_save_and_restore(tmp_path):
    panel, shown = make(tmp_path / "s", payload=({"a": "x"}, "My plan"))
    assert panel.vault.state() == "new"
    assert panel.first_note.layout.display is None  # the forgotten-passphrase warning, before any save
    assert t("records.first_note", "en") in panel.first_note.value.replace("&#x27;", "'")
    create(panel)
    record = panel.save()
    assert record is not None and panel.record_id == record.record_id
    assert [label for label, _ in panel.records.options][0].startswith("My plan")
    panel.new_record()
    assert panel.save().record_id != record.record_id  # a new record after new_record()
    panel.open_record(record.record_id)
    assert shown == {"data": {"a": "x"}, "rid": record.record_id}


def test_nothing_to_save_and_mismatched_or_short_passphrase(tmp_path):
    panel, _ = make(tmp_path / "s", payload=None)
    panel.passphrase.value, panel.passphrase_again.value = PASS, PASS + "x"
    panel.create_button.click()
    assert t("records.error.mismatch", "en") in panel.status.value and panel.vault.state() == "new"
    panel.passphrase.value = panel.passphrase_again.value = "short"
    panel.create_button.click()
    assert "8" in panel.status.value and panel.vault.state() == "new"
    create(panel)
    assert panel.save() is None and t("records.nothing", "en") in panel.status.value


def test_restore_refused_by_the_tool_is_reported(tmp_path):
    def refuse(_data, _rid):
        raise ValueError("not a plan")
    panel = RecordsPanel("draft", "en", lambda: ({"a": 1}, "t"), refuse, store_root=tmp_path / "s")
    create(panel)
    record = panel.save()
    assert panel.open_record(record.record_id) is None
    assert "sp-error" in panel.status.value and "ValueError" in panel.status.value


def test_plain_records_are_offered_for_encryption_and_removed(tmp_path):
    root = tmp_path / "s"
    root.mkdir(mode=0o700)
    old = storage.new_id()
    (root / f"riskplan-{old}.json").write_text(json.dumps(
        {"kind": "riskplan", "id": old, "title": "Old plan", "payload": {"a": "secret words"}}), encoding="utf-8")
    panel, shown = make(root)
    assert panel.legacy_box.layout.display is None
    assert panel.migrate_button.layout.display == "none"  # needs the passphrase first
    assert "1" in panel.legacy_note.value
    create(panel)
    assert panel.migrate_button.layout.display is None
    panel.migrate_button.click()
    assert not (root / f"riskplan-{old}.json").exists()
    assert panel.legacy_box.layout.display == "none"
    assert b"secret words" not in b"".join(p.read_bytes() for p in root.iterdir())
    panel.open_record(old)
    assert shown["data"] == {"a": "secret words"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quick_delete_word_in_both_languages_and_relabel(tmp_path, lang):
    panel, _ = make(tmp_path / "s", lang=lang, payload=({"a": 1}, "t"))
    create(panel)
    panel.save()
    panel.wipe_button.click()
    panel.wipe_word.value = "yes"
    assert panel.wipe_yes.disabled and panel.delete_everything() is None
    panel.wipe_word.value = f"  {confirm_word(lang)} "
    assert not panel.wipe_yes.disabled
    other = "en" if lang == "zh" else "zh"
    panel.relabel(other)
    assert panel.wipe_yes.description == t("records.wipe_yes", other)
    assert confirm_word(other) in panel.wipe_word.description
    panel.wipe_yes.click()
    assert panel.vault.count() == 0 and t("records.wiped", other, count=1) in panel.status.value


def test_locked_listing_shows_no_titles(tmp_path):
    panel, _ = make(tmp_path / "s", payload=({"a": 1}, "Title that must not show"))
    create(panel)
    panel.save()
    panel.lock()
    assert all("Title that must not show" not in label for label, _ in panel.records.options)
    assert "1" in panel.locked_note.value
