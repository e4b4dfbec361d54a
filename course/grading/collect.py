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
The rules are plain functions; :func:`plan` only reads, :func:`apply` copies into
``submitted/<participant>/<assignment>/<assignment>.ipynb`` with a timestamp file.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ..i18n import t
from .roster import ID_PATTERN

MAX_ARCHIVE_MEMBER_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Match:
    participant: str
    assignment: str


@dataclass(frozen=True)
class Item:
    source: Path
    member: str | None  # path inside a zip archive, or None for a plain file
    participant: str
    assignment: str
    mtime: float

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


def _notebook_members(archive: Path) -> list[str]:
    try:
        with zipfile.ZipFile(archive) as zf:
            return [info.filename for info in zf.infolist()
                    if info.filename.endswith(".ipynb") and not info.is_dir()
                    and "__MACOSX" not in info.filename and ".ipynb_checkpoints" not in info.filename
                    and info.file_size <= MAX_ARCHIVE_MEMBER_BYTES]
    except (zipfile.BadZipFile, OSError):
        return []


def plan(folder: str | Path, assignments: list[str], roster_ids: set[str] | None = None,
         lang: str = "en") -> CollectPlan:
    """What :func:`apply` would copy; nothing is written. ``lang``: language of the notes in ``unmatched``."""
    folder = Path(folder)
    result = CollectPlan()
    chosen: dict[tuple[str, str], Item] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        hint = path.parent.name if path.parent != folder else None
        match = match_name(path.name, assignments, hint)
        if match is None:
            result.unmatched.append(str(path.relative_to(folder)))
            continue
        members: list[str | None] = [None]
        if path.suffix.lower() == ".zip":
            members = _notebook_members(path)
            if not members:
                result.unmatched.append(t("grading.collect.zip_without_notebook", lang,
                                            name=path.relative_to(folder)))
                continue
            members = members[:1] if len(members) == 1 else [
                m for m in members if PurePosixPath(m).stem == match.assignment] or members[:1]
        item = Item(path, members[0], match.participant, match.assignment, path.stat().st_mtime)
        if roster_ids is not None and match.participant not in roster_ids:
            result.not_on_roster.append(item)
            continue
        key = (match.participant, match.assignment)
        previous = chosen.get(key)
        if previous is None or item.mtime >= previous.mtime:
            if previous is not None:
                result.superseded.append(previous)
            chosen[key] = item
        else:
            result.superseded.append(item)
    result.items = sorted(chosen.values(), key=lambda i: (i.assignment, i.participant))
    return result


def apply(collect_plan: CollectPlan, submitted_dir: str | Path, notebook_name=lambda a: f"{a}.ipynb") -> list[Path]:
    """Copy each planned item to nbgrader's ``submitted`` layout; returns the written paths."""
    written: list[Path] = []
    for item in collect_plan.items:
        target_dir = Path(submitted_dir) / item.participant / item.assignment
        if target_dir.exists():
            shutil.rmtree(target_dir)
        target_dir.mkdir(parents=True)
        target = target_dir / notebook_name(item.assignment)
        if item.member is None:
            shutil.copyfile(item.source, target)
        else:
            with zipfile.ZipFile(item.source) as zf, zf.open(item.member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        stamp = datetime.fromtimestamp(item.mtime, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
        (target_dir / "timestamp.txt").write_text(stamp, encoding="utf-8")
        written.append(target)
    return written
