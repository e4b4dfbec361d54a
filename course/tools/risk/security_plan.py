"""The security plan: protocols, check-ins, emergency contacts, digital security, well-being, review.

Plain rules, no widgets. The plan's parts follow Front Line Defenders' *Workbook on
Security* (a written plan with protocols for foreseeable situations, check-ins,
contacts, digital security and well-being, reviewed as the situation changes) and
Protection International's *New Protection Manual for Human Rights Defenders*
(security plans and their review). The reprisal contacts come from ISHR Practical
Guide (2025), ch. IV, Understanding reprisals (:mod:`course.tools.risk.reprisals`).

Protocols
---------
Each protocol is a template of steps (message keys, in every course language) for a
situation the plan's threats make foreseeable:

======================  ===========================================================
protocol                implied by the reprisal forms
======================  ===========================================================
``arrest``              arbitrary arrest
``raid``                arbitrary arrest, undue restrictions, unfair scrutiny
``seized_phone``        surveillance, arbitrary arrest
``threatening_message`` smear campaigns, physical violence, killing
======================  ===========================================================

Typed text is stored exactly as typed; exporters escape it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...i18n import N_


@dataclass(frozen=True)
class Protocol:
    """A protocol template: a title, its steps (message keys) and the forms that call for it."""

    id: str
    title_key: str
    step_keys: tuple[str, ...]
    implied_by: frozenset[str]


PROTOCOLS: tuple[Protocol, ...] = (
    Protocol("arrest", N_("risk.protocol.arrest"), (
        N_("risk.protocol.arrest.1"), N_("risk.protocol.arrest.2"), N_("risk.protocol.arrest.3"),
        N_("risk.protocol.arrest.4"), N_("risk.protocol.arrest.5")),
        frozenset({"arbitrary_arrest"})),
    Protocol("raid", N_("risk.protocol.raid"), (
        N_("risk.protocol.raid.1"), N_("risk.protocol.raid.2"), N_("risk.protocol.raid.3"),
        N_("risk.protocol.raid.4")),
        frozenset({"arbitrary_arrest", "undue_restrictions", "unfair_scrutiny"})),
    Protocol("seized_phone", N_("risk.protocol.seized_phone"), (
        N_("risk.protocol.seized_phone.1"), N_("risk.protocol.seized_phone.2"),
        N_("risk.protocol.seized_phone.3"), N_("risk.protocol.seized_phone.4")),
        frozenset({"surveillance", "arbitrary_arrest"})),
    Protocol("threatening_message", N_("risk.protocol.threatening_message"), (
        N_("risk.protocol.threatening_message.1"), N_("risk.protocol.threatening_message.2"),
        N_("risk.protocol.threatening_message.3"), N_("risk.protocol.threatening_message.4")),
        frozenset({"smear", "physical_violence", "killing"})),
)
PROTOCOL_BY_ID = {p.id: p for p in PROTOCOLS}
PROTOCOL_IDS = tuple(PROTOCOL_BY_ID)

CHECKIN_SCHEDULES = ("daily", "twice_daily", "each_movement")
CHECKIN_KEYS = {
    "daily": N_("risk.checkin.daily"),
    "twice_daily": N_("risk.checkin.twice_daily"),
    "each_movement": N_("risk.checkin.each_movement"),
}

DIGITAL_AREAS = ("devices", "accounts", "communications", "information")
DIGITAL_AREA_KEYS = {
    "devices": N_("risk.digital.area.devices"),
    "accounts": N_("risk.digital.area.accounts"),
    "communications": N_("risk.digital.area.communications"),
    "information": N_("risk.digital.area.information"),
}
DIGITAL_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("device_encryption", "devices", N_("risk.digital.device_encryption")),
    ("updates", "devices", N_("risk.digital.updates")),
    ("backups", "devices", N_("risk.digital.backups")),
    ("two_factor", "accounts", N_("risk.digital.two_factor")),
    ("password_manager", "accounts", N_("risk.digital.password_manager")),
    ("e2e_messaging", "communications", N_("risk.digital.e2e_messaging")),
    ("disappearing_messages", "communications", N_("risk.digital.disappearing_messages")),
    ("inventory", "information", N_("risk.digital.inventory")),
    ("names_apart", "information", N_("risk.digital.names_apart")),
)
"""``(id, area, label key)``: the digital-security checklist (devices, accounts,
communications, and what information exists and where). Encrypted e-mail and
messaging for contact with the Special Procedures: ch. IV, Ensuring safe engagement (tip)."""
DIGITAL_IDS = tuple(c[0] for c in DIGITAL_CHECKS)

MAX_CONTACTS = 50


def _error(key: str, **values):
    from .rules import RiskError

    return RiskError(key, **values)


def implied_protocols(forms) -> list[str]:
    """Protocol ids the given reprisal forms call for, in the order of :data:`PROTOCOLS`."""
    forms = set(forms)
    return [p.id for p in PROTOCOLS if p.implied_by & forms]


@dataclass
class EmergencyContact:
    """Someone to call: ``name``, ``role`` (lawyer, family, partner NGO ...) and ``reach`` (how)."""

    name: str = ""
    role: str = ""
    reach: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "reach": self.reach}


@dataclass
class SecurityPlan:
    """The written plan.

    ``protocols``: chosen protocol ids; ``responsible``: who does what, per protocol id
    (typed). ``checkin_schedule`` (one of :data:`CHECKIN_SCHEDULES` or ``""``),
    ``checkin_with`` and ``checkin_missed`` (what happens when a check-in is missed).
    ``digital_done``: checklist ids done; ``information``: what information exists and
    where. ``wellbeing``: the answer to the well-being prompt. ``review_date``: when
    the plan is to be reviewed.
    """

    protocols: list[str] = field(default_factory=list)
    responsible: dict[str, str] = field(default_factory=dict)
    checkin_schedule: str = ""
    checkin_with: str = ""
    checkin_missed: str = ""
    contacts: list[EmergencyContact] = field(default_factory=list)
    digital_done: list[str] = field(default_factory=list)
    information: str = ""
    wellbeing: str = ""
    review_date: date | None = None

    def validate(self) -> SecurityPlan:
        if not isinstance(self.protocols, list) or any(p not in PROTOCOL_IDS for p in self.protocols):
            raise _error(N_("risk.error.protocol"))
        if not isinstance(self.responsible, dict) or any(
                k not in PROTOCOL_IDS or not isinstance(v, str) for k, v in self.responsible.items()):
            raise _error(N_("risk.error.protocol"))
        if self.checkin_schedule and self.checkin_schedule not in CHECKIN_SCHEDULES:
            raise _error(N_("risk.error.file"))
        if not isinstance(self.digital_done, list) or any(d not in DIGITAL_IDS for d in self.digital_done):
            raise _error(N_("risk.error.file"))
        if len(self.contacts) > MAX_CONTACTS:
            raise _error(N_("risk.error.too_many"), limit=MAX_CONTACTS)
        texts = [self.checkin_with, self.checkin_missed, self.information, self.wellbeing]
        texts += [v for c in self.contacts for v in (c.name, c.role, c.reach)]
        if any(not isinstance(x, str) for x in texts):
            raise _error(N_("risk.error.text"))
        if self.review_date is not None and not isinstance(self.review_date, date):
            raise _error(N_("risk.error.file"))
        return self

    def review_status(self, today: date | None = None) -> str:
        """``"none"`` (no review date), ``"due"`` (the date has come) or ``"scheduled"``."""
        if self.review_date is None:
            return "none"
        return "due" if self.review_date <= (today or date.today()) else "scheduled"

    def to_dict(self) -> dict:
        return {
            "protocols": list(self.protocols),
            "responsible": dict(self.responsible),
            "checkin_schedule": self.checkin_schedule,
            "checkin_with": self.checkin_with,
            "checkin_missed": self.checkin_missed,
            "contacts": [c.to_dict() for c in self.contacts],
            "digital_done": list(self.digital_done),
            "information": self.information,
            "wellbeing": self.wellbeing,
            "review_date": self.review_date.isoformat() if self.review_date else None,
        }

    @classmethod
    def from_dict(cls, data: object) -> SecurityPlan:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise _error(N_("risk.error.file"))
        try:
            review = data.get("review_date")
            raw_contacts = data.get("contacts") or []
            if not isinstance(raw_contacts, list) or len(raw_contacts) > MAX_CONTACTS:
                raise _error(N_("risk.error.file"))
            plan = cls(
                protocols=list(data.get("protocols") or []),
                responsible=dict(data.get("responsible") or {}),
                checkin_schedule=data.get("checkin_schedule") or "",
                checkin_with=data.get("checkin_with") or "",
                checkin_missed=data.get("checkin_missed") or "",
                contacts=[EmergencyContact(c.get("name") or "", c.get("role") or "", c.get("reach") or "")
                          for c in raw_contacts],
                digital_done=list(data.get("digital_done") or []),
                information=data.get("information") or "",
                wellbeing=data.get("wellbeing") or "",
                review_date=date.fromisoformat(review) if review else None,
            )
        except (AttributeError, TypeError, ValueError) as exc:
            raise _error(N_("risk.error.file")) from exc
        return plan.validate()
