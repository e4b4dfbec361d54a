"""Match the files participants sent to a participant and an assignment.

A facilitator without a JupyterHub gets notebooks by e-mail, chat or USB stick.
Two naming rules are understood:

- ``<participant>_<assignment>.ipynb`` (``p07_m1-facts-en.ipynb``); a browser's
  ``" (1)"`` or a ``-v2`` style suffix after the assignment is tolerated, and the
  newest file wins when one participant sent several;
- nbgrader's zip-collect layout: zip archives named ``<participant>_<assignment>.zip``
  (or ``<participant>.zip`` inside a folder named after the assignment) holding the
  notebook.

Anything else is listed as "not matched" so that the facilitator can rename it.

Archives are read as untrusted input (any of them may be corrupt, encrypted,
crafted or huge): nothing is ever extracted by the name stored in the archive
(the target path is always ``submitted/<participant>/<assignment>/<assignment>.ipynb``),
members with absolute or ``..`` paths are skipped and reported (zip-slip), a member
is read with a byte limit whatever size it declares (zip bombs), archives inside
archives are opened up to :data:`MAX_NESTING` levels, and every problem becomes a
:class:`~course.grading.inspect.Problem` in :attr:`CollectPlan.problems`; the
others are still collected.

When an archive holds several notebooks for one assignment (the untouched
notebook and a worked ``-Copy1``), the one whose answers differ from the released
version is taken (the newest of those if several differ) and the others are
listed in a note; the same rule chooses between separate files of one participant
(an untouched notebook downloaded again after the worked one never wins). File
dates in the future (a clock set to 2099) are not believed: the newest believable
copy wins and the note says so.

The rules are plain functions; :func:`plan` only reads, :func:`apply` writes each
notebook atomically (a temporary file renamed into place), so an error never
leaves a half-written notebook, with a timestamp file as nbgrader expects.
"""
from __future__ import annotations

import io
import json
import os
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ..i18n import N_, t
from .inspect import MAX_NOTEBOOK_BYTES, Problem, answer_changes
from .roster import ID_PATTERN

MAX_ARCHIVE_MEMBER_BYTES = MAX_NOTEBOOK_BYTES
"""A member is read up to this many bytes, whatever size the archive declares."""

MAX_NESTING = 2
"""Archives inside archives are opened this many levels deep."""

MAX_MEMBERS = 10_000
"""An archive listing more members than this is not read (a crafted file)."""

FUTURE_TOLERANCE_S = 24 * 3600
"""A file dated more than this after the moment of collection is not believed."""


@dataclass(frozen=True)
class Match:
    participant: str
    assignment: str


@dataclass(frozen=True)
class Item:
    source: Path
    member: str | None  # path inside a zip archive ("outer.zip/inner.ipynb" for nested ones), or None
    participant: str
    assignment: str
    mtime: float
    """Seconds since the epoch: the file's modification time, or the archive member's date."""
    believable: bool = True
    """False for a date in the future: such a copy never beats a believable one."""
    member_path: tuple[str, ...] = ()
    """The member's names from the outer archive inwards (empty for a plain file)."""

    @property
    def label(self) -> str:
        return f"{self.source.name}:{self.member}" if self.member else self.source.name


@dataclass
class CollectPlan:
    items: list[Item] = field(default_factory=list)
    """One file per (participant, assignment): the newest."""
    superseded: list[Item] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    not_on_roster: list[Item] = field(default_factory=list)
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    """``(file label, problem)`` for archives (or files) that could not be read, wholly or in part."""
    notes: dict[tuple[str, str], list[Problem]] = field(default_factory=dict)
    """Problems that belong to a collected submission (other notebooks in its archive, a date in
    the future); ``sp-facilitator`` records them and ``autograde`` adds them to its report."""
    unreadable: dict[tuple[str, str], list[Problem]] = field(default_factory=dict)
    """Archives named for a participant and an assignment that could not be read at all
    (encrypted, corrupt): recorded like notes, so the follow-up list names them even when
    nothing else was received."""


def match_name(filename: str, assignments: list[str], folder_hint: str | None = None) -> Match | None:
    """``Match`` for a file name, or ``None``. Longest assignment id wins (``m3-drafting-en`` before ``m3``)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot or ext.lower() not in ("ipynb", "zip"):
        return None
    stem = re.sub(r"\s*\(\d+\)$", "", stem.strip())  # "name (1)" from a browser
    for assignment in sorted(assignments, key=len, reverse=True):
        found = re.match(rf"^(?P<pid>.+?)[_ ]{re.escape(assignment)}(?:[ _\-.].*)?$", stem)
        if found and ID_PATTERN.match(found["pid"]):
            return Match(found["pid"], assignment)
    if folder_hint in assignments and ID_PATTERN.match(stem):
        return Match(stem, folder_hint)
    return None


# --------------------------------------------------------------------------- archives

class ArchiveError(Exception):
    """An archive (or one of its members) that cannot be read; carries a :class:`Problem`."""

    def __init__(self, problem: Problem):
        super().__init__(problem.detail)
        self.problem = problem


@dataclass(frozen=True)
class _Member:
    path: tuple[str, ...]
    """Names from the outer archive inwards: ``("inner.zip", "m1.ipynb")``."""
    date: float | None


def _unsafe_name(name: str) -> bool:
    pure = PurePosixPath(name.replace("\\", "/"))
    return name.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", name)) or ".." in pure.parts \
        or "\x00" in name


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    """A member's bytes, read with a hard limit (the declared size of a crafted member may lie)."""
    if info.flag_bits & 0x1:
        raise ArchiveError(Problem.of("archive_encrypted", N_("grading.problem.archive_encrypted"), fatal=True,
                                      name=label))
    if info.file_size > MAX_ARCHIVE_MEMBER_BYTES:
        raise ArchiveError(Problem.of("archive_member_too_large", N_("grading.problem.archive_member_too_large"),
                                      fatal=True, name=label, mb=info.file_size / 1e6))
    try:
        with zf.open(info) as stream:
            data = stream.read(MAX_ARCHIVE_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError,
            RuntimeError, ValueError) as exc:  # CRC errors, unknown compression, password asked
        if "encrypted" in str(exc) or "password" in str(exc):
            raise ArchiveError(Problem.of("archive_encrypted", N_("grading.problem.archive_encrypted"),
                                          fatal=True, name=label)) from exc
        raise ArchiveError(Problem.of("archive_corrupt", N_("grading.problem.archive_corrupt"), fatal=True,
                                      name=label, error=str(exc)[:200])) from exc
    if len(data) > MAX_ARCHIVE_MEMBER_BYTES:
        raise ArchiveError(Problem.of("archive_member_too_large", N_("grading.problem.archive_member_too_large"),
                                      fatal=True, name=label, mb=len(data) / 1e6))
    return data


def _open_zip(source, label: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(source)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ArchiveError(Problem.of("archive_corrupt", N_("grading.problem.archive_corrupt"), fatal=True,
                                      name=label, error=str(exc)[:200])) from exc
    if len(infos) > MAX_MEMBERS:
        zf.close()
        raise ArchiveError(Problem.of("archive_corrupt", N_("grading.problem.archive_too_many"), fatal=True,
                                      name=label, count=len(infos)))
    return zf


def _zip_date(info: zipfile.ZipInfo) -> float | None:
    try:
        return datetime(*info.date_time).timestamp()  # zip dates are local time, without a zone
    except (ValueError, OverflowError):
        return None


def _walk(zf: zipfile.ZipFile, prefix: tuple[str, ...], label: str, depth: int,
          found: list[_Member], problems: list[Problem]) -> None:
    for info in zf.infolist():
        name = info.filename
        if info.is_dir() or "__MACOSX" in name or ".ipynb_checkpoints" in name \
                or PurePosixPath(name).name.startswith("._"):
            continue
        lower = name.lower()
        if not lower.endswith((".ipynb", ".zip")):
            continue
        shown = "/".join((label, *prefix, name))
        if _unsafe_name(name):
            problems.append(Problem.of("archive_unsafe_path", N_("grading.problem.archive_unsafe_path"),
                                       fatal=True, name=shown))
            continue
        if lower.endswith(".ipynb"):
            if info.flag_bits & 0x1:
                problems.append(Problem.of("archive_encrypted", N_("grading.problem.archive_encrypted"),
                                           fatal=True, name=shown))
                continue
            found.append(_Member((*prefix, name), _zip_date(info)))
            continue
        if depth >= MAX_NESTING:
            problems.append(Problem.of("archive_nested", N_("grading.problem.archive_nested_too_deep"),
                                       fatal=True, name=shown, levels=MAX_NESTING))
            continue
        try:
            inner_bytes = _read_member(zf, info, shown)
            with _open_zip(io.BytesIO(inner_bytes), shown) as inner:
                _walk(inner, (*prefix, name), label, depth + 1, found, problems)
        except ArchiveError as exc:
            problems.append(exc.problem)


def archive_notebooks(archive: Path) -> tuple[list[_Member], list[Problem]]:
    """Notebooks in a zip archive (and in zip archives inside it) and what could not be read."""
    found: list[_Member] = []
    problems: list[Problem] = []
    try:
        with _open_zip(archive, archive.name) as zf:
            _walk(zf, (), archive.name, 1, found, problems)
    except ArchiveError as exc:
        problems.append(exc.problem)
    return found, problems


def read_member(archive: Path, names: tuple[str, ...]) -> bytes:
    """The bytes of one notebook in an archive (``names`` from outer to inner); raises :class:`ArchiveError`."""
    data: bytes | None = None
    source: object = archive
    label = archive.name
    for name in names:
        with _open_zip(source if data is None else io.BytesIO(data), label) as zf:
            try:
                info = zf.getinfo(name)
            except KeyError as exc:
                raise ArchiveError(Problem.of("archive_corrupt", N_("grading.problem.archive_corrupt"),
                                              fatal=True, name=label, error=f"no member {name!r}")) from exc
            label = f"{label}/{name}"
            data = _read_member(zf, info, label)
    assert data is not None
    return data


def _choose_member(archive: Path, members: list[_Member], assignment: str, release: dict | None,
                   problems: list[Problem]) -> tuple[_Member | None, list[_Member]]:
    """The member to grade among several, and the others (see the module docstring)."""
    if len(members) == 1:
        return members[0], []
    named = [m for m in members if PurePosixPath(m.path[-1]).stem.startswith(assignment)] or members
    if release is None:
        chosen = max(named, key=lambda m: (PurePosixPath(m.path[-1]).stem == assignment, m.date or 0))
        return chosen, [m for m in members if m is not chosen]
    worked: list[tuple[int, float, _Member]] = []
    readable: list[_Member] = []
    for member in named:
        try:
            nb = json.loads(read_member(archive, member.path).decode("utf-8-sig"))
        except ArchiveError as exc:
            problems.append(exc.problem)
            continue
        except (UnicodeDecodeError, ValueError):
            nb = None
        readable.append(member)
        changed = answer_changes(nb, release) if isinstance(nb, dict) else 0
        worked.append((changed, member.date or 0.0, member))
    if not readable:
        return None, members
    worked.sort(key=lambda entry: (entry[0] > 0, entry[1], entry[0]), reverse=True)
    chosen = worked[0][2]
    return chosen, [m for m in members if m is not chosen]


def plan(folder: str | Path, assignments: list[str], roster_ids: set[str] | None = None,
         lang: str = "en", releases: dict[str, dict] | None = None, now: float | None = None) -> CollectPlan:
    """What :func:`apply` would copy; nothing is written.

    ``lang``: language of the notes in ``unmatched``. ``releases``: the released notebook
    of each assignment (``{assignment: notebook dict}``), used to tell a worked copy
    from an untouched one inside an archive. ``now``: the moment of collection
    (seconds since the epoch; default: the clock), against which dates in the future
    are judged.
    """
    folder = Path(folder)
    releases = releases or {}
    now = time.time() if now is None else now
    result = CollectPlan()
    chosen: dict[tuple[str, str], Item] = {}
    candidates: dict[tuple[str, str], list[tuple[Item, list[Problem], bool]]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        hint = path.parent.name if path.parent != folder else None
        match = match_name(path.name, assignments, hint)
        if match is None:
            result.unmatched.append(str(path.relative_to(folder)))
            continue
        notes: list[Problem] = []
        try:
            file_time = path.stat().st_mtime
        except OSError:
            continue
        member_path: tuple[str, ...] = ()
        item_time = file_time
        if path.suffix.lower() == ".zip":
            members, problems = archive_notebooks(path)
            result.problems.extend((path.name, p) for p in problems)
            if not members and problems:
                result.unreadable.setdefault((match.participant, match.assignment), []).extend(problems)
            if not members:
                if not problems:
                    result.unmatched.append(t("grading.collect.zip_without_notebook", lang,
                                              name=path.relative_to(folder)))
                continue
            unreadable: list[Problem] = []
            member, others = _choose_member(path, members, match.assignment, releases.get(match.assignment),
                                            unreadable)
            result.problems.extend((path.name, p) for p in unreadable)
            if member is None:
                continue
            member_path = member.path
            if others:
                notes.append(Problem.of("several_notebooks", N_("grading.problem.several_notebooks"),
                                        archive=path.name, chosen="/".join(member.path),
                                        others=", ".join("/".join(o.path) for o in others)))
            # the member's own date says when it was saved; the archive's says when it was downloaded
            if member.date is not None and member.date <= now + FUTURE_TOLERANCE_S:
                item_time = min(file_time, member.date) if file_time <= now + FUTURE_TOLERANCE_S else member.date
        believable = item_time <= now + FUTURE_TOLERANCE_S
        if not believable:
            notes.append(Problem.of("timestamp_future", N_("grading.problem.timestamp_future"),
                                    date=_iso(item_time), file=path.name))
        item = Item(path, "/".join(member_path) if member_path else None, match.participant,
                    match.assignment, item_time, believable, member_path)
        if roster_ids is not None and match.participant not in roster_ids:
            result.not_on_roster.append(item)
            continue
        release = releases.get(match.assignment)
        worked = True if release is None else _worked(item, release)
        candidates.setdefault((match.participant, match.assignment), []).append((item, notes, worked))
    for key, entries in candidates.items():
        # believable dates first, then copies with answers before untouched ones, then the newest
        best_item, best_notes, _ = max(entries, key=lambda e: (e[0].believable, e[2], e[0].mtime))
        chosen[key] = best_item
        notes = list(best_notes)
        passed_over = [e for e in entries if e[0] is not best_item]
        result.superseded.extend(e[0] for e in passed_over)
        future = [e[0] for e in passed_over if not e[0].believable]
        if future and not any(n.code == "timestamp_future" for n in notes):
            notes.append(Problem.of("timestamp_future", N_("grading.problem.timestamp_future"),
                                    date=_iso(future[0].mtime), file=future[0].source.name))
        newer_untouched = [e[0] for e in passed_over if e[0].believable and not e[2] and e[0].mtime > best_item.mtime]
        if newer_untouched:
            notes.append(Problem.of("several_notebooks", N_("grading.problem.newest_untouched"),
                                    newest=newer_untouched[-1].label, chosen=best_item.label))
        if notes:
            result.notes[key] = notes
    for key, problems in result.unreadable.items():
        result.notes.setdefault(key, []).extend(problems)
    result.items = sorted(chosen.values(), key=lambda i: (i.assignment, i.participant))
    return result


def _worked(item: Item, release: dict) -> bool:
    """Whether a candidate's answers differ from the released version (unreadable ones count as worked:
    they are then reported by ``autograde``, never silently passed over)."""
    try:
        nb = json.loads(_item_bytes(item).decode("utf-8-sig"))
    except (ArchiveError, OSError, UnicodeDecodeError, ValueError):
        return True
    return not isinstance(nb, dict) or answer_changes(nb, release) > 0


def _iso(seconds: float) -> str:
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, OSError, ValueError):
        return "?"


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _item_bytes(item: Item) -> bytes:
    if item.member is None:
        size = item.source.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise ArchiveError(Problem.of("too_large", N_("grading.problem.too_large"), fatal=True, mb=size / 1e6))
        return item.source.read_bytes()
    return read_member(item.source, item.member_path or (item.member,))


def apply(collect_plan: CollectPlan, submitted_dir: str | Path, notebook_name=lambda a: f"{a}.ipynb",
          now: float | None = None) -> list[Path]:
    """Copy each planned item to nbgrader's ``submitted`` layout; returns the written paths.

    Each notebook is read completely before anything is written, then written
    atomically; an item that cannot be read leaves any earlier submission as it
    was and is added to ``collect_plan.problems``. The timestamp is the item's
    date, or the moment of collection for a date in the future.
    """
    now = time.time() if now is None else now
    written: list[Path] = []
    for item in collect_plan.items:
        try:
            data = _item_bytes(item)
        except (ArchiveError, OSError) as exc:
            problem = exc.problem if isinstance(exc, ArchiveError) else Problem.of(
                "not_notebook", N_("grading.problem.unreadable"), fatal=True, reason=getattr(exc, "strerror", exc))
            collect_plan.problems.append((item.label, problem))
            continue
        target_dir = Path(submitted_dir) / item.participant / item.assignment
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / notebook_name(item.assignment)
        for stale in target_dir.iterdir():  # files of an earlier collection (a repaired copy, its .orig)
            if stale.is_file() and stale.name not in (target.name, "timestamp.txt"):
                stale.unlink()
        _write_atomically(target, data)
        moment = item.mtime if item.believable else now
        stamp = datetime.fromtimestamp(moment, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
        _write_atomically(target_dir / "timestamp.txt", stamp.encode("utf-8"))
        written.append(target)
    return written


def notes_record(collect_plan: CollectPlan) -> dict[str, list[dict]]:
    """``{"participant/assignment": [problem dicts]}`` for the collection record."""
    return {f"{p}/{a}": [problem.as_dict() for problem in problems]
            for (p, a), problems in collect_plan.notes.items()}
