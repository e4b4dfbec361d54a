"""Private storage of drafts and risk plans on the machine that runs the kernel.

Every record is a JSON file readable and writable only by its owner (0600) in a
folder only its owner can enter (0700). Nothing is ever sent anywhere. Records
are written atomically, so a crash mid-save leaves the previous version intact.

The folder is ``$SP_COURSE_STORE`` when set, else ``~/.sp-course-drafts``.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

KINDS = ("draft", "riskplan")
_ID = re.compile(r"^[0-9a-f]{32}$")


class StorageError(OSError):
    """A record could not be saved, read or deleted; the message says which and why."""


@dataclass(frozen=True)
class StoredRecord:
    kind: str
    record_id: str
    title: str
    saved_at: str
    path: Path


def store_dir(root: str | os.PathLike | None = None) -> Path:
    """The private folder, created with mode 0700 if needed (and tightened if it was looser)."""
    folder = Path(root or os.environ.get("SP_COURSE_STORE") or Path.home() / ".sp-course-drafts")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError as exc:
        raise StorageError(f"cannot create the private folder {folder}: {exc.strerror or exc}") from exc
    return folder


def new_id() -> str:
    return uuid.uuid4().hex


def _path(kind: str, record_id: str, root=None) -> Path:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if not _ID.match(record_id or ""):
        raise ValueError(f"not a record id: {record_id!r}")
    return store_dir(root) / f"{kind}-{record_id}.json"


def save(kind: str, record_id: str, title: str, payload: dict, root=None) -> StoredRecord:
    """Write ``payload`` under ``record_id``; returns what was stored."""
    path = _path(kind, record_id, root)
    saved_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    document = {"kind": kind, "id": record_id, "title": title, "saved_at": saved_at, "payload": payload}
    text = json.dumps(document, ensure_ascii=False, indent=2)
    # mkstemp creates the file with mode 0600 before anything is written into it.
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise StorageError(f"could not save to {path}: {exc.strerror or exc}") from exc
    return StoredRecord(kind, record_id, title, saved_at, path)


def load(kind: str, record_id: str, root=None) -> dict:
    """The payload saved under ``record_id``."""
    path = _path(kind, record_id, root)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise StorageError(f"no saved {kind} {record_id} in {path.parent}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StorageError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("payload"), dict):
        raise StorageError(f"{path} is not a saved {kind}")
    return document["payload"]


def list_records(kind: str, root=None) -> list[StoredRecord]:
    """Saved records of one kind, newest first; unreadable files are skipped, not fatal."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    records = []
    for path in store_dir(root).glob(f"{kind}-*.json"):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            records.append(StoredRecord(kind, document["id"], str(document.get("title", "")),
                                        str(document.get("saved_at", "")), path))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(records, key=lambda r: r.saved_at, reverse=True)


def delete(kind: str, record_id: str, root=None) -> bool:
    """Remove one record; ``False`` if it was already gone."""
    path = _path(kind, record_id, root)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StorageError(f"could not delete {path}: {exc.strerror or exc}") from exc
    return True


def delete_all(kind: str | None = None, root=None) -> int:
    """Remove every record (of one kind, or of all kinds); returns how many went."""
    kinds = KINDS if kind is None else (kind,)
    return sum(delete(k, r.record_id, root) for k in kinds for r in list_records(k, root))


def on_public_server(environ: dict | None = None) -> bool:
    """True on Binder or another shared hub, where real names must never be typed."""
    env = os.environ if environ is None else environ
    markers = ("BINDER_LAUNCH_HOST", "BINDER_REQUEST", "BINDER_REPO_URL", "JUPYTERHUB_API_URL")
    return any(env.get(name) for name in markers) or env.get("SP_COURSE_PUBLIC") == "1"


def server_kind(environ: dict | None = None) -> str:
    """Where the course runs, for the warning a tool shows: ``"binder"``, ``"hub"`` or ``"local"``.

    ``"binder"``: Binder (its ``BINDER_*`` variables) or ``SP_COURSE_PUBLIC=1``, a public
    server whose files are deleted when the session ends. ``"hub"``: a lasting
    JupyterHub (``JUPYTERHUB_API_URL`` without Binder's variables; Binder runs on a hub
    too), shared with other people but keeping each user's files. ``"local"``: otherwise.
    """
    env = os.environ if environ is None else environ
    binder = ("BINDER_LAUNCH_HOST", "BINDER_REQUEST", "BINDER_REPO_URL")
    if any(env.get(name) for name in binder) or env.get("SP_COURSE_PUBLIC") == "1":
        return "binder"
    return "hub" if env.get("JUPYTERHUB_API_URL") else "local"
