"""The incident log: what happened, when, to whom, where, and whether it was reported.

Plain rules, no widgets. Keeping a dated log of security incidents and analysing
them is a core step of Protection International's *New Protection Manual for Human
Rights Defenders* and Front Line Defenders' *Workbook on Security*: incidents are
the evidence of an actor's intent. Here they feed the threat analysis (an incident
of the same form against the same people is evidence of intent 3, "has acted", see
:mod:`course.tools.risk.protection`) and the reprisal plan (each incident's date
goes through the Secretary-General's report-cycle calculator,
:func:`course.tools.risk.reprisals.report_cycle`; ISHR Practical Guide (2025), ch. IV,
Understanding reprisals).

Typed text is stored exactly as typed; exporters escape it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ... import safe_text
from ...i18n import N_
from . import reprisals

MAX_INCIDENTS = 200
"""More incidents than one plan needs; keeps a hostile file from freezing the page."""


def _error(key: str, **values):
    from .rules import RiskError

    return RiskError(key, **values)


@dataclass
class Incident:
    """One security incident.

    ``day``: when it happened (a ``date``; not in the future). ``what``, ``who``
    (the people it affected and, if known, who did it), ``where``: typed text.
    ``form``: the reprisal form it shows (an id of :data:`course.tools.risk.rules.THREATS`,
    or ``""`` when it fits none). ``target``: the person or group it was aimed at
    (an id of :data:`course.tools.risk.rules.PEOPLE`, or ``""``). ``reported``:
    whether it was reported, and ``reported_to`` to whom (typed).
    """

    day: date
    what: str = ""
    who: str = ""
    where: str = ""
    form: str = ""
    target: str = ""
    reported: bool = False
    reported_to: str = ""

    def validate(self, today: date | None = None) -> Incident:
        from .rules import PERSON_IDS, THREAT_IDS

        if not isinstance(self.day, date):
            raise _error(N_("risk.error.incident_date"))
        if self.day > (today or date.today()):
            raise _error(N_("risk.error.incident_future"))
        if self.form and self.form not in THREAT_IDS:
            raise _error(N_("risk.error.threat"), value=safe_text.preview(self.form, 40))
        if self.target and self.target not in PERSON_IDS:
            raise _error(N_("risk.error.person"), value=safe_text.preview(self.target, 40))
        if not isinstance(self.reported, bool):
            raise _error(N_("risk.error.file"))
        for text in (self.what, self.who, self.where, self.reported_to):
            if not isinstance(text, str):
                raise _error(N_("risk.error.text"))
        return self

    def cycle(self, today: date | None = None) -> reprisals.Cycle:
        """The Secretary-General's reprisals report cycle for this incident's date."""
        return reprisals.report_cycle(self.day, today=today)

    def to_dict(self) -> dict:
        return {"date": self.day.isoformat(), "what": self.what, "who": self.who, "where": self.where,
                "form": self.form, "target": self.target, "reported": self.reported,
                "reported_to": self.reported_to}

    @classmethod
    def from_dict(cls, data: object) -> Incident:
        if not isinstance(data, dict):
            raise _error(N_("risk.error.file"))
        try:
            day = date.fromisoformat(data["date"])
            incident = cls(day=day, what=data.get("what") or "", who=data.get("who") or "",
                           where=data.get("where") or "", form=data.get("form") or "",
                           target=data.get("target") or "", reported=data.get("reported", False),
                           reported_to=data.get("reported_to") or "")
        except (KeyError, TypeError, ValueError) as exc:
            raise _error(N_("risk.error.file")) from exc
        # A saved incident is not re-checked against today's date: the clock may differ.
        return incident.validate(today=date.max)


@dataclass
class IncidentLog:
    """Incidents in the order entered; :meth:`chronological` sorts them by date."""

    incidents: list[Incident] = field(default_factory=list)

    def chronological(self) -> list[Incident]:
        return sorted(self.incidents, key=lambda i: i.day)

    def matching(self, form: str, target: str) -> list[Incident]:
        """Incidents of reprisal ``form`` aimed at ``target`` (evidence for that threat)."""
        return [i for i in self.incidents if i.form == form and i.target == target]

    def latest(self) -> Incident | None:
        return max(self.incidents, key=lambda i: i.day) if self.incidents else None

    def unreported(self) -> list[Incident]:
        return [i for i in self.incidents if not i.reported]
