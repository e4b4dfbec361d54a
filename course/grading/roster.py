"""Read a workshop roster (CSV) and check it before anything touches the gradebook.

Columns: ``id`` (required), and optionally ``first_name``, ``last_name``, ``email``,
``lang``. The id becomes a folder name in nbgrader's course directory, so it is
restricted to ASCII letters, digits, dot and hyphen. Use pseudonyms ("p01") where
participants are at risk: names are optional and never needed for grading.
Names may be in any script; they are escaped wherever they are shown.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .. import safe_text
from ..i18n import t

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,63}$")
COLUMNS = ("id", "first_name", "last_name", "email", "lang")
_ALIASES = {"student_id": "id", "participant": "id", "participant_id": "id",
            "first": "first_name", "given_name": "first_name", "last": "last_name",
            "family_name": "last_name", "surname": "last_name", "e-mail": "email", "language": "lang"}


class RosterError(ValueError):
    """The roster cannot be used; the message lists every line that is wrong."""


@dataclass(frozen=True)
class Participant:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lang: str = ""

    def gradebook_fields(self) -> dict:
        return {"first_name": self.first_name or None, "last_name": self.last_name or None,
                "email": self.email or None}


def parse_roster(text: str, lang: str = "en") -> list[Participant]:
    """Participants from CSV text; raises :class:`RosterError` listing all problems at once (in ``lang``)."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise RosterError(t("grading.roster.empty", lang))
    header = {name: _ALIASES.get((name or "").strip().lower(), (name or "").strip().lower())
              for name in reader.fieldnames}
    if "id" not in header.values():
        raise RosterError(t("grading.roster.no_id_column", lang,
                              found=", ".join(map(str, reader.fieldnames))))
    people: list[Participant] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line_no, row in enumerate(reader, start=2):
        values = {header[k]: safe_text.clean(v).strip() for k, v in row.items() if k in header and v is not None}
        pid = values.get("id", "")
        if not any(values.values()):
            continue  # blank line
        if not ID_PATTERN.match(pid):
            errors.append(t("grading.roster.bad_id", lang, line=line_no, id=repr(pid)))
            continue
        if pid.lower() in seen:
            errors.append(t("grading.roster.duplicate_id", lang, line=line_no, id=repr(pid),
                            first=seen[pid.lower()]))
            continue
        seen[pid.lower()] = line_no
        participant_lang = values.get("lang", "")
        if participant_lang and participant_lang not in ("zh", "en"):
            errors.append(t("grading.roster.bad_lang", lang, line=line_no, value=repr(participant_lang)))
            continue
        people.append(Participant(pid, values.get("first_name", ""), values.get("last_name", ""),
                                  values.get("email", ""), participant_lang))
    if errors:
        raise RosterError(t("grading.roster.problems", lang) + "\n  " + "\n  ".join(errors))
    if not people:
        raise RosterError(t("grading.roster.nobody", lang))
    return people


def read_roster(path: str | Path, lang: str = "en") -> list[Participant]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(t("grading.roster.unreadable", lang, path=path, reason=exc.strerror or exc)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError(t("grading.roster.not_utf8", lang, path=path)) from exc
    return parse_roster(text, lang)
