"""Private storage: owner-only files, atomic saves, listing, restoring, deleting."""
import os
import stat

import pytest

from course import storage


@pytest.fixture
def root(tmp_path):
    return tmp_path / "store"


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_saved_record_is_owner_only_and_round_trips(root):
    record_id = storage.new_id()
    text = "مرحبا 你好 👋 <script>x</script>"
    stored = storage.save("draft", record_id, "Case of Ana Ruiz (fictional)", {"text": text}, root=root)
    assert mode(stored.path) == 0o600
    assert mode(root) == 0o700
    assert storage.load("draft", record_id, root=root) == {"text": text}


def test_loose_folder_permissions_are_tightened(root):
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    storage.store_dir(root)
    assert mode(root) == 0o700


def test_list_restore_delete(root):
    first, second = storage.new_id(), storage.new_id()
    storage.save("draft", first, "one", {"n": 1}, root=root)
    storage.save("riskplan", second, "two", {"n": 2}, root=root)
    assert [r.record_id for r in storage.list_records("draft", root=root)] == [first]
    assert storage.delete("draft", first, root=root) is True
    assert storage.delete("draft", first, root=root) is False
    assert storage.list_records("draft", root=root) == []
    assert storage.delete_all(root=root) == 1
    assert storage.list_records("riskplan", root=root) == []


def test_corrupt_file_is_reported_and_skipped_in_listing(root):
    record_id = storage.new_id()
    storage.save("draft", record_id, "ok", {"a": 1}, root=root)
    (root / f"draft-{record_id}.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(storage.StorageError, match="cannot be read"):
        storage.load("draft", record_id, root=root)
    assert storage.list_records("draft", root=root) == []


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "", "x" * 32, "A" * 32])
def test_ids_cannot_escape_the_folder(root, bad_id):
    with pytest.raises(ValueError):
        storage.save("draft", bad_id, "t", {}, root=root)


def test_unknown_kind_refused(root):
    with pytest.raises(ValueError):
        storage.list_records("passwords", root=root)


@pytest.mark.parametrize("env,expected", [
    ({}, False),
    ({"BINDER_LAUNCH_HOST": "https://mybinder.org/"}, True),
    ({"JUPYTERHUB_API_URL": "http://hub"}, True),
    ({"SP_COURSE_PUBLIC": "1"}, True),
])
def test_public_server_detection(env, expected):
    assert storage.on_public_server(env) is expected
