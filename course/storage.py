"""Drafts and risk plans stored on the machine that runs the kernel, encrypted with the user's passphrase.

What is promised, and what is not
---------------------------------
* Every record (its title, date and content) is encrypted before it touches the
  disk: AES-256-GCM (authenticated encryption, ``cryptography``'s ``AESGCM``) under
  a key derived from the user's passphrase with scrypt (memory-hard KDF,
  ``cryptography``'s ``Scrypt``). Nothing typed is written in clear: not the record,
  not a temporary file (only ciphertext is ever written, atomically, through a
  0600 temporary file in the same 0700 folder), not a log line (log messages name
  kinds, ids and errors only).
* The passphrase is never stored. The derived key lives only in this kernel's
  memory (:class:`Vault`) until :meth:`Vault.lock` or the kernel stops. Python
  cannot promise to wipe memory: locking drops every reference to the key.
* A forgotten passphrase cannot be recovered: the records cannot be opened by
  anyone, including the user.
* Not protected: a computer that is already compromised (malware, a keylogger), a
  person watching the screen, or an unlocked session left open. Deleting
  overwrites a file before unlinking it, but SSDs, copy-on-write file systems,
  snapshots and backups may keep older copies of the (encrypted) bytes.

Files in the folder (``$SP_COURSE_STORE`` when set, else ``~/.sp-course-drafts``)
-------------------------------------------------------------------------------
``store.json``
    ``{"format": "sp-course.store", "version": 1, "kdf": {"name": "scrypt", "n":
    131072, "r": 8, "p": 1, "length": 32, "salt": <base64, 16 random bytes>},
    "cipher": "AES-256-GCM", "check": <base64 nonce+ciphertext>}``. The KDF
    parameters are chosen per store (defaults: :data:`DEFAULT_KDF`, the scrypt
    parameters OWASP's Password Storage Cheat Sheet recommends, ~128 MiB and
    well under a second on a laptop). ``check`` encrypts a fixed text, so a wrong
    passphrase is told apart from a damaged record.
``<kind>-<32 hex id>.sprec``
    ``{"format": "sp-course.record", "version": 1, "kind": ..., "id": ..., "nonce":
    <base64 12 bytes>, "ciphertext": <base64>}``. The plaintext is JSON
    ``{"title", "saved_at", "payload"}`` encoded as UTF-8 with ``surrogatepass``,
    so any Python string (lone surrogates included) round-trips exactly. The kind and id
    are bound as associated data: a file renamed or swapped fails to open.
``<kind>-<id>.json`` (earlier versions)
    Plain records; :meth:`Vault.migrate_legacy` encrypts them and removes the
    plain copy (overwrite, then unlink).
"""
from __future__ import annotations

import base64
import json
import logging
import os
import re
import secrets
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

KINDS = ("draft", "riskplan")
_ID = re.compile(r"^[0-9a-f]{32}$")
_RECORD = re.compile(r"^(draft|riskplan)-([0-9a-f]{32})\.sprec$")
_LEGACY = re.compile(r"^(draft|riskplan)-([0-9a-f]{32})\.json$")
STORE_FILE = "store.json"
STORE_FORMAT = "sp-course.store"
RECORD_FORMAT = "sp-course.record"
CIPHER = "AES-256-GCM"
DEFAULT_KDF = {"name": "scrypt", "n": 2**17, "r": 8, "p": 1, "length": 32}
"""scrypt cost: N=2^17, r=8, p=1 (128 MiB of memory per derivation; OWASP Password Storage Cheat Sheet)."""
MIN_PASSPHRASE = 8
"""Shortest passphrase accepted, in characters (a phrase of several words is better)."""
_CHECK_TEXT = b"sp-course passphrase check v1"


class StorageError(OSError):
    """A record could not be saved, read or deleted; the message says which and why (never what was typed)."""


class WrongPassphrase(StorageError):
    """The passphrase does not open this store. Nothing was changed."""


class Locked(StorageError):
    """The store is locked (or has no passphrase yet): unlock it first."""


class WeakPassphrase(ValueError):
    """The passphrase is shorter than :data:`MIN_PASSPHRASE` characters."""


@dataclass(frozen=True)
class StoredRecord:
    kind: str
    record_id: str
    title: str
    saved_at: str
    path: Path


def store_dir(root: str | os.PathLike | None = None) -> Path:
    """The store folder, created with mode 0700 if needed (and tightened if it was looser)."""
    folder = Path(root or os.environ.get("SP_COURSE_STORE") or Path.home() / ".sp-course-drafts")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError as exc:
        raise StorageError(f"cannot create the store folder {folder}: {exc.strerror or exc}") from exc
    return folder


def new_id() -> str:
    return uuid.uuid4().hex


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def _record_path(folder: Path, kind: str, record_id: str) -> Path:
    _check_kind(kind)
    if not isinstance(record_id, str) or not _ID.match(record_id):
        raise ValueError(f"not a record id: {record_id!r}")
    return folder / f"{kind}-{record_id}.sprec"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` (ciphertext only) to ``path`` through a 0600 temporary file; nothing is left on failure."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise StorageError(f"could not write {path.name}: {exc.strerror or exc}") from exc
        raise


def shred(path: Path) -> bool:
    """Overwrite ``path`` with random bytes, flush, then unlink it; ``False`` if it was already gone.

    On SSDs (wear levelling), copy-on-write file systems (btrfs, APFS, ZFS),
    snapshots and backups the old blocks may survive: this reduces what is left,
    it cannot guarantee that nothing is.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StorageError(f"could not delete {path.name}: {exc.strerror or exc}") from exc
    try:
        with open(path, "r+b", buffering=0) as handle:
            remaining = size
            while remaining > 0:
                chunk = min(remaining, 1 << 20)
                handle.write(secrets.token_bytes(chunk))
                remaining -= chunk
            os.fsync(handle.fileno())
    except OSError:
        pass  # read-only or odd file system: still unlink below
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StorageError(f"could not delete {path.name}: {exc.strerror or exc}") from exc
    return True


def _derive(passphrase: str, kdf: dict) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if kdf.get("name") != "scrypt":
        raise StorageError(f"unknown key derivation {kdf.get('name')!r}")
    # A damaged or planted header must not make the kernel allocate gigabytes.
    if not (2**10 <= int(kdf["n"]) <= 2**20 and 1 <= int(kdf["r"]) <= 32 and 1 <= int(kdf["p"]) <= 16
            and int(kdf["length"]) == 32):
        raise StorageError("the key derivation parameters in store.json are out of range")
    salt = _unb64(kdf["salt"])
    # surrogatepass: a passphrase is any Python string, like every other input.
    secret = passphrase.encode("utf-8", "surrogatepass")
    return Scrypt(salt=salt, length=int(kdf["length"]), n=int(kdf["n"]), r=int(kdf["r"]),
                  p=int(kdf["p"])).derive(secret)


def _aad(kind: str, record_id: str) -> bytes:
    return f"{RECORD_FORMAT}/1/{kind}/{record_id}".encode("ascii")


class Vault:
    """One store folder and, while unlocked, the key that opens it (in this kernel's memory only).

    States: ``"new"`` (no passphrase set yet), ``"locked"``, ``"unlocked"``.
    Use :func:`vault` to share one instance per folder within a kernel, so both
    tools unlock together.

    Raises :class:`Locked` when used while locked, :class:`WrongPassphrase` on a
    wrong passphrase, :class:`StorageError` when the disk refuses.
    """

    def __init__(self, root: str | os.PathLike | None = None) -> None:
        self._root = root
        self._aead: AESGCM | None = None  # holds the key; None when locked

    # ------------------------------------------------------------------ state
    @property
    def folder(self) -> Path:
        return store_dir(self._root)

    def _header(self) -> dict | None:
        path = self.folder / STORE_FILE
        try:
            header = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StorageError(f"{STORE_FILE} cannot be read: {exc}") from exc
        if not isinstance(header, dict) or header.get("format") != STORE_FORMAT:
            raise StorageError(f"{STORE_FILE} is not a course store")
        return header

    def state(self) -> str:
        if self._aead is not None:
            return "unlocked"
        return "new" if self._header() is None else "locked"

    @property
    def unlocked(self) -> bool:
        return self._aead is not None

    # ------------------------------------------------------------------ passphrase
    def create(self, passphrase: str, kdf: dict | None = None) -> None:
        """Set the passphrase of a new store (and unlock it). Raises :class:`WeakPassphrase`,
        or :class:`StorageError` if the store already has one."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not isinstance(passphrase, str) or len(passphrase) < MIN_PASSPHRASE:
            raise WeakPassphrase(f"a passphrase needs at least {MIN_PASSPHRASE} characters")
        if self._header() is not None:
            raise StorageError("this store already has a passphrase")
        params = dict(DEFAULT_KDF if kdf is None else kdf)
        params["salt"] = _b64(secrets.token_bytes(16))
        aead = AESGCM(_derive(passphrase, params))
        nonce = secrets.token_bytes(12)
        header = {"format": STORE_FORMAT, "version": 1, "kdf": params, "cipher": CIPHER,
                  "check": _b64(nonce + aead.encrypt(nonce, _CHECK_TEXT, STORE_FORMAT.encode()))}
        _write_atomic(self.folder / STORE_FILE, json.dumps(header, indent=2).encode("ascii"))
        self._aead = aead

    def unlock(self, passphrase: str) -> None:
        """Open the store for this session. Raises :class:`WrongPassphrase` (nothing changes)."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        header = self._header()
        if header is None:
            raise Locked("this store has no passphrase yet")
        try:
            aead = AESGCM(_derive(passphrase if isinstance(passphrase, str) else "", header["kdf"]))
            blob = _unb64(header["check"])
            aead.decrypt(blob[:12], blob[12:], STORE_FORMAT.encode())
        except InvalidTag:
            raise WrongPassphrase("the passphrase does not open this store") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise StorageError(f"{STORE_FILE} is damaged: {type(exc).__name__}") from exc
        self._aead = aead

    def lock(self) -> None:
        """Forget the key: nothing can be read or saved until the passphrase is entered again."""
        self._aead = None

    def _require(self):
        if self._aead is None:
            raise Locked("the store is locked")
        return self._aead

    # ------------------------------------------------------------------ records
    def save(self, kind: str, record_id: str, title: str, payload: dict) -> StoredRecord:
        """Encrypt and write ``payload`` under ``record_id`` (replacing an earlier version atomically)."""
        aead = self._require()
        path = _record_path(self.folder, kind, record_id)
        saved_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        # surrogatepass: lone surrogates survive exactly (the bytes never leave the ciphertext).
        plain = json.dumps({"title": title, "saved_at": saved_at, "payload": payload},
                           ensure_ascii=False).encode("utf-8", "surrogatepass")
        nonce = secrets.token_bytes(12)
        document = {"format": RECORD_FORMAT, "version": 1, "kind": kind, "id": record_id,
                    "nonce": _b64(nonce), "ciphertext": _b64(aead.encrypt(nonce, plain, _aad(kind, record_id)))}
        del plain
        _write_atomic(path, json.dumps(document).encode("ascii"))
        log.info("saved %s %s", kind, record_id)
        return StoredRecord(kind, record_id, title, saved_at, path)

    def _open(self, path: Path, kind: str, record_id: str) -> dict:
        from cryptography.exceptions import InvalidTag

        aead = self._require()
        try:
            document = json.loads(path.read_text(encoding="ascii"))
            plain = aead.decrypt(_unb64(document["nonce"]), _unb64(document["ciphertext"]), _aad(kind, record_id))
            content = json.loads(plain.decode("utf-8", "surrogatepass"))
        except FileNotFoundError as exc:
            raise StorageError(f"no saved {kind} {record_id}") from exc
        except InvalidTag:
            raise StorageError(f"{path.name} is damaged or was not saved with this passphrase") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StorageError(f"{path.name} cannot be read: {type(exc).__name__}") from exc
        if not isinstance(content, dict) or not isinstance(content.get("payload"), dict):
            raise StorageError(f"{path.name} is not a saved {kind}")
        return content

    def load(self, kind: str, record_id: str) -> dict:
        """The payload saved under ``record_id``."""
        return self._open(_record_path(self.folder, kind, record_id), kind, record_id)["payload"]

    def count(self, kind: str | None = None) -> int:
        """How many encrypted records there are (works while locked: only file names are read)."""
        kinds = KINDS if kind is None else (kind,)
        return sum(1 for p in self.folder.iterdir() if (m := _RECORD.match(p.name)) and m.group(1) in kinds)

    def list_records(self, kind: str) -> list[StoredRecord]:
        """Records of one kind, newest first; files that cannot be opened are skipped, not fatal."""
        _check_kind(kind)
        self._require()
        records = []
        for path in self.folder.glob(f"{kind}-*.sprec"):
            match = _RECORD.match(path.name)
            if not match:
                continue
            try:
                content = self._open(path, kind, match.group(2))
            except StorageError:
                log.warning("skipped an unreadable record %s", path.name)
                continue
            records.append(StoredRecord(kind, match.group(2), str(content.get("title", "")),
                                        str(content.get("saved_at", "")), path))
        return sorted(records, key=lambda r: r.saved_at, reverse=True)

    def delete(self, kind: str, record_id: str) -> bool:
        """Overwrite then remove one record; ``False`` if it was already gone. Works while locked."""
        return shred(_record_path(self.folder, kind, record_id))

    # ------------------------------------------------------------------ earlier versions
    def legacy_records(self) -> list[Path]:
        """Plain JSON records left by earlier versions of the course (readable by anyone who has the disk)."""
        return sorted(p for p in self.folder.iterdir() if _LEGACY.match(p.name))

    def migrate_legacy(self) -> tuple[int, int]:
        """Encrypt every plain record, then overwrite and remove the plain copy.

        Returns ``(encrypted, unreadable)``; an unreadable plain file is left in place
        (so nothing is lost) and counted. Requires the store to be unlocked.
        """
        self._require()
        done = failed = 0
        for path in self.legacy_records():
            match = _LEGACY.match(path.name)
            if match is None:  # legacy_records() lists only matching names
                continue
            kind, record_id = match.groups()
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
                payload = document["payload"]
                if not isinstance(payload, dict):
                    raise TypeError("payload")
                title = str(document.get("title", ""))
            except (OSError, ValueError, KeyError, TypeError):
                failed += 1
                continue
            self.save(kind, record_id, title, payload)
            shred(path)
            done += 1
        return done, failed

    # ------------------------------------------------------------------ quick delete
    def delete_everything(self) -> int:
        """Quick delete: overwrite and remove every record of every kind, plain leftovers,
        temporary files and the passphrase header, then lock. Returns how many records went."""
        folder = self.folder
        count = 0
        for path in sorted(folder.iterdir()):
            if _RECORD.match(path.name) or _LEGACY.match(path.name):
                count += shred(path)
            elif path.name.startswith(".tmp-") or path.name == STORE_FILE:
                shred(path)
        self.lock()
        return count


_VAULTS: dict[str, Vault] = {}


def vault(root: str | os.PathLike | None = None) -> Vault:
    """The kernel's one :class:`Vault` for ``root`` (default folder when ``None``)."""
    key = str(store_dir(root).resolve())
    if key not in _VAULTS:
        _VAULTS[key] = Vault(root)
    return _VAULTS[key]


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
