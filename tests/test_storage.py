"""Encrypted store: round trip, nothing in clear on disk, wrong passphrase, lock, quick delete, migration."""
import json
import os
import stat

import pytest

from course import storage

# A cheaper scrypt cost keeps the suite quick; one test below uses the real defaults.
FAST_KDF = {"name": "scrypt", "n": 2**14, "r": 8, "p": 1, "length": 32}
PASS = "correct horse battery staple"
MARKER = "MARKER-qz7 Ana Ruiz 你好 مرحبا"


@pytest.fixture
def root(tmp_path):
    return tmp_path / "store"


@pytest.fixture
def vault(root):
    v = storage.Vault(root)
    v.create(PASS, FAST_KDF)
    return v


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def all_bytes(folder):
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_round_trip_owner_only_and_nothing_in_clear(vault, root):
    record_id = storage.new_id()
    payload = {"text": MARKER + " <script>x</script>", "nested": [MARKER, {"k": MARKER}]}
    stored = vault.save("draft", record_id, "Title " + MARKER, payload)
    assert mode(stored.path) == 0o600
    assert mode(root) == 0o700
    assert vault.load("draft", record_id) == payload
    assert [r.title for r in vault.list_records("draft")] == ["Title " + MARKER]
    disk = all_bytes(root)
    for needle in ("MARKER-qz7", "Ana Ruiz", "你好", "Title"):
        assert needle.encode("utf-8") not in disk
        assert json.dumps(needle).encode() not in disk  # not even \\u-escaped
    assert PASS.encode() not in disk
    assert not [p for p in root.iterdir() if p.name.startswith(".tmp-")]


def test_real_default_parameters_are_recorded_in_the_store(root):
    v = storage.Vault(root)
    v.create(PASS)
    header = json.loads((root / storage.STORE_FILE).read_text())
    assert header["kdf"]["name"] == "scrypt" and header["kdf"]["n"] == 2**17 and header["kdf"]["r"] == 8
    assert len(storage._unb64(header["kdf"]["salt"])) == 16
    assert header["cipher"] == "AES-256-GCM"
    other = storage.Vault(root)  # a new kernel
    assert other.state() == "locked"
    other.unlock(PASS)
    assert other.state() == "unlocked"


def test_salts_differ_between_stores(tmp_path):
    salts = set()
    for name in ("a", "b"):
        storage.Vault(tmp_path / name).create(PASS, FAST_KDF)
        salts.add(json.loads((tmp_path / name / storage.STORE_FILE).read_text())["kdf"]["salt"])
    assert len(salts) == 2


def test_every_code_point_class_round_trips(vault):
    text = "".join(["\x00\x01\x1f\x7f\x85", "\ud800", "\udfff", "\ud83d", "\ufffe\uffff\ufdd0",
                    "\U0001fffe\U0010ffff", "😀", "é", "e\u0301"])
    record_id = storage.new_id()
    vault.save("draft", record_id, text, {"t": text, text: [text]})
    assert vault.load("draft", record_id) == {"t": text, text: [text]}
    assert vault.list_records("draft")[0].title == text


def test_wrong_passphrase_is_clear_and_changes_nothing(vault, root):
    record_id = storage.new_id()
    vault.save("draft", record_id, "t", {"a": 1})
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    other = storage.Vault(root)
    with pytest.raises(storage.WrongPassphrase):
        other.unlock("not the passphrase")
    assert other.state() == "locked"
    with pytest.raises(storage.Locked):
        other.load("draft", record_id)
    assert {p.name: p.read_bytes() for p in root.iterdir()} == before
    other.unlock(PASS)
    assert other.load("draft", record_id) == {"a": 1}


def test_lock_forgets_the_key(vault):
    record_id = storage.new_id()
    vault.save("riskplan", record_id, "t", {"a": 1})
    vault.lock()
    assert vault.state() == "locked" and vault._aead is None
    for call in (lambda: vault.load("riskplan", record_id), lambda: vault.list_records("riskplan"),
                 lambda: vault.save("riskplan", record_id, "t", {})):
        with pytest.raises(storage.Locked):
            call()
    assert vault.count() == 1  # the number of files is visible, their content is not


def test_short_passphrase_refused_and_second_create_refused(root):
    v = storage.Vault(root)
    with pytest.raises(storage.WeakPassphrase):
        v.create("short")
    assert v.state() == "new"
    v.create(PASS, FAST_KDF)
    with pytest.raises(storage.StorageError):
        v.create("another passphrase", FAST_KDF)


def test_swapped_or_damaged_record_does_not_open(vault, root):
    first, second = storage.new_id(), storage.new_id()
    vault.save("draft", first, "one", {"n": 1})
    vault.save("draft", second, "two", {"n": 2})
    (root / f"draft-{first}.sprec").write_bytes((root / f"draft-{second}.sprec").read_bytes())
    with pytest.raises(storage.StorageError, match="damaged"):
        vault.load("draft", first)
    (root / f"draft-{second}.sprec").write_text("{not json")
    with pytest.raises(storage.StorageError, match="cannot be read"):
        vault.load("draft", second)
    assert vault.list_records("draft") == []


def test_failed_write_leaves_nothing_behind(vault, root, monkeypatch):
    def boom(*_a):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(storage.os, "replace", boom)
    with pytest.raises(storage.StorageError, match="No space"):
        vault.save("draft", storage.new_id(), "t", {"a": MARKER})
    assert sorted(p.name for p in root.iterdir()) == [storage.STORE_FILE]


def test_delete_one_and_quick_delete_everything(vault, root):
    first, second = storage.new_id(), storage.new_id()
    vault.save("draft", first, "one", {"n": 1})
    vault.save("riskplan", second, "two", {"n": 2})
    (root / f"draft-{storage.new_id()}.json").write_text('{"payload": {}}')  # a plain leftover
    (root / ".tmp-stale").write_text("x")
    assert vault.delete("draft", first) is True
    assert vault.delete("draft", first) is False
    assert vault.delete_everything() == 2
    assert list(root.iterdir()) == []
    assert vault.state() == "new"


def test_shred_overwrites_before_unlinking(tmp_path, monkeypatch):
    path = tmp_path / "f"
    path.write_bytes(b"A" * 5000)
    seen = {}
    real_unlink = type(path).unlink

    def spy(self, *a, **k):
        seen["bytes"] = self.read_bytes()
        return real_unlink(self, *a, **k)
    monkeypatch.setattr(type(path), "unlink", spy)
    assert storage.shred(path) is True
    assert len(seen["bytes"]) == 5000 and b"AAAA" not in seen["bytes"]
    assert not path.exists()


def test_plain_records_of_earlier_versions_are_encrypted_and_removed(root):
    root.mkdir(mode=0o700)
    old_id, broken_id = storage.new_id(), storage.new_id()
    (root / f"draft-{old_id}.json").write_text(json.dumps(
        {"kind": "draft", "id": old_id, "title": "Old " + MARKER, "saved_at": "2025-01-01T00:00:00+00:00",
         "payload": {"text": MARKER}}, ensure_ascii=False), encoding="utf-8")
    (root / f"riskplan-{broken_id}.json").write_text("{broken", encoding="utf-8")
    v = storage.Vault(root)
    assert [p.name for p in v.legacy_records()] == [f"draft-{old_id}.json", f"riskplan-{broken_id}.json"]
    with pytest.raises(storage.Locked):
        v.migrate_legacy()
    v.create(PASS, FAST_KDF)
    assert v.migrate_legacy() == (1, 1)
    assert v.load("draft", old_id) == {"text": MARKER}
    assert [p.name for p in v.legacy_records()] == [f"riskplan-{broken_id}.json"]  # kept: nothing lost
    assert b"MARKER-qz7" not in all_bytes(root)


def test_one_vault_per_folder_in_a_kernel(root):
    assert storage.vault(root) is storage.vault(str(root))


def test_loose_folder_permissions_are_tightened(root):
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    storage.store_dir(root)
    assert mode(root) == 0o700


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "", "x" * 32, "A" * 32])
def test_ids_cannot_escape_the_folder(vault, bad_id):
    with pytest.raises(ValueError):
        vault.save("draft", bad_id, "t", {})


def test_unknown_kind_refused(vault):
    with pytest.raises(ValueError):
        vault.list_records("passwords")


@pytest.mark.parametrize("env,expected", [
    ({}, False),
    ({"BINDER_LAUNCH_HOST": "https://mybinder.org/"}, True),
    ({"JUPYTERHUB_API_URL": "http://hub"}, True),
    ({"SP_COURSE_PUBLIC": "1"}, True),
])
def test_public_server_detection(env, expected):
    assert storage.on_public_server(env) is expected


def test_out_of_range_kdf_parameters_are_refused(vault, root):
    header = json.loads((root / storage.STORE_FILE).read_text())
    header["kdf"]["n"] = 2**30  # would need 1 TiB of memory
    (root / storage.STORE_FILE).write_text(json.dumps(header))
    with pytest.raises(storage.StorageError, match="out of range"):
        storage.Vault(root).unlock(PASS)
