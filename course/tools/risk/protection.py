"""Risk analysis the way protection trainers teach it: risk = threats x vulnerabilities / capacities.

Plain rules, no widgets. The method (context, actors, threats, vulnerabilities,
capacities, risk, plan, review) follows two manuals:
Protection International, *New Protection Manual for Human Rights Defenders*, and
Front Line Defenders, *Workbook on Security*;
what is specific to reprisals for engaging with the UN (the forms reprisals take,
who carries them out) follows ISHR Practical Guide (2025), ch. IV, Understanding
reprisals. The scales below are the course's own, documented here so that a
facilitator can explain every number.

Scales
------
For each threat (one form of reprisal, by one actor, against one person or group):

==============  =====  ==========================================================
rating          value  meaning
==============  =====  ==========================================================
intent          1      no sign that the actor means to act against them
intent          2      the actor has said or hinted it will act (a threat made)
intent          3      the actor has acted against them, or people like them
capability      1      little means or reach to carry it out
capability      2      some means or reach
capability      3      full means and reach (e.g. the security forces at home)
==============  =====  ==========================================================

``threat = intent + capability - 1`` (1-5). For each person or group at risk,
``vulnerability`` (1 few and minor ... 5 many and serious) and ``capacity``
(1 almost none ... 5 strong) are rated on 1-5 scales, with the factors behind them
listed (:data:`VULNERABILITIES`, :data:`CAPACITIES`).

Formula and bands
-----------------
``risk = threat x vulnerability / capacity``, an exact fraction from 1/5 to 25:

=================  ==============
risk               level
=================  ==============
below 2            ``low``
2 to below 5       ``medium``
5 to below 10      ``high``
10 and above       ``critical``
=================  ==============

Worked values: threat 5, vulnerability 4, capacity 2 gives 10 (critical); 3 x 3 / 3
gives 3 (medium); 2 x 2 / 4 gives 1 (low). The levels are the same four as the
likelihood x impact grid (:mod:`course.tools.risk.rules`), which stays the view for
deciding which threats to deal with first.

Measures and what they act on
-----------------------------
Every measure (:data:`MEASURES`) declares which terms of the formula it acts on
(``threat``, ``vulnerability``, ``capacity``) and, when it only helps against some
forms of reprisal, which ones. A rating after measures counts only where a chosen
measure acts on it (:func:`credited_after`): informed consent, for instance, is an
ethical condition for submitting, not a protection, so it lowers no risk at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ... import safe_text
from ...i18n import N_

MANUAL_PI = N_("risk.manual.pi")
"""Protection International, *New Protection Manual for Human Rights Defenders*."""
MANUAL_FLD = N_("risk.manual.fld")
"""Front Line Defenders, *Workbook on Security*."""
CITE_REPRISALS = "ISHR Practical Guide (2025), ch. IV, Understanding reprisals"
CITE_SAFE = "ISHR Practical Guide (2025), ch. IV, Ensuring safe engagement"

STEPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("context", N_("risk.step.context"), (MANUAL_PI, MANUAL_FLD)),
    ("actors", N_("risk.step.actors"), (MANUAL_PI,)),
    ("threats", N_("risk.step.threats"), (MANUAL_PI, MANUAL_FLD)),
    ("vulnerabilities", N_("risk.step.vulnerabilities"), (MANUAL_PI, MANUAL_FLD)),
    ("capacities", N_("risk.step.capacities"), (MANUAL_PI, MANUAL_FLD)),
    ("risk", N_("risk.step.risk"), (MANUAL_PI, MANUAL_FLD)),
    ("plan", N_("risk.step.plan"), (MANUAL_FLD, MANUAL_PI)),
    ("review", N_("risk.step.review"), (MANUAL_FLD, MANUAL_PI)),
)
"""The method's steps, in order, with the manual(s) each follows (message keys)."""

INTENT = (1, 2, 3)
CAPABILITY = (1, 2, 3)
RATING = (1, 2, 3, 4, 5)
INTENT_KEYS = {1: N_("risk.intent.1"), 2: N_("risk.intent.2"), 3: N_("risk.intent.3")}
CAPABILITY_KEYS = {1: N_("risk.capability.1"), 2: N_("risk.capability.2"), 3: N_("risk.capability.3")}
VULNERABILITY_KEYS = {v: k for v, k in zip(RATING, (
    N_("risk.vulnerability.1"), N_("risk.vulnerability.2"), N_("risk.vulnerability.3"),
    N_("risk.vulnerability.4"), N_("risk.vulnerability.5")))}
CAPACITY_KEYS = {v: k for v, k in zip(RATING, (
    N_("risk.capacity.1"), N_("risk.capacity.2"), N_("risk.capacity.3"),
    N_("risk.capacity.4"), N_("risk.capacity.5")))}

BANDS: tuple[tuple[Fraction, str], ...] = (
    (Fraction(2), "low"), (Fraction(5), "medium"), (Fraction(10), "high"),
)
"""Upper bounds (exclusive) of each level; anything from 10 up is ``critical``."""

ACTORS = ("state_security", "state_judiciary", "state_officials", "company", "criminal_group",
          "armed_group", "unknown")
ACTOR_KEYS = {
    "state_security": N_("risk.actor.state_security"),
    "state_judiciary": N_("risk.actor.state_judiciary"),
    "state_officials": N_("risk.actor.state_officials"),
    "company": N_("risk.actor.company"),
    "criminal_group": N_("risk.actor.criminal_group"),
    "armed_group": N_("risk.actor.armed_group"),
    "unknown": N_("risk.actor.unknown"),
}
"""Kinds of actor behind reprisals (ch. IV, Understanding reprisals: police, military or
security forces, the judiciary; companies, criminal groups, armed groups)."""

VULNERABILITIES = ("exposed_identity", "location", "insecure_devices", "isolation", "legal_status",
                   "dependants", "health")
VULNERABILITY_FACTOR_KEYS = {
    "exposed_identity": N_("risk.vfactor.exposed_identity"),
    "location": N_("risk.vfactor.location"),
    "insecure_devices": N_("risk.vfactor.insecure_devices"),
    "isolation": N_("risk.vfactor.isolation"),
    "legal_status": N_("risk.vfactor.legal_status"),
    "dependants": N_("risk.vfactor.dependants"),
    "health": N_("risk.vfactor.health"),
}
"""Common vulnerabilities (the manuals' checklists, in the course's words)."""

CAPACITIES = ("network", "legal_support", "security_protocols", "secure_devices", "international_contacts",
              "training", "wellbeing_support")
CAPACITY_FACTOR_KEYS = {
    "network": N_("risk.cfactor.network"),
    "legal_support": N_("risk.cfactor.legal_support"),
    "security_protocols": N_("risk.cfactor.security_protocols"),
    "secure_devices": N_("risk.cfactor.secure_devices"),
    "international_contacts": N_("risk.cfactor.international_contacts"),
    "training": N_("risk.cfactor.training"),
    "wellbeing_support": N_("risk.cfactor.wellbeing_support"),
}
"""Common capacities (the manuals' checklists, in the course's words)."""

TERMS = ("threat", "vulnerability", "capacity")
TERM_KEYS = {"threat": N_("risk.term.threat"), "vulnerability": N_("risk.term.vulnerability"),
             "capacity": N_("risk.term.capacity")}


@dataclass(frozen=True)
class Measure:
    """A protective measure (or a condition of engaging) and what it acts on.

    ``acts_on``: the formula's terms it can change; empty for a condition such as
    informed consent that protects no one by itself. ``forms``: the reprisal forms
    it helps against, ``None`` for all of them.
    """

    id: str
    acts_on: frozenset[str]
    forms: frozenset[str] | None = None


_SERIOUS = frozenset({"arbitrary_arrest", "physical_violence", "killing"})
MEASURES: tuple[Measure, ...] = (
    Measure("confidential_identity", frozenset({"vulnerability"})),
    Measure("partner_ngo", frozenset({"vulnerability"})),
    Measure("encrypted_channels", frozenset({"vulnerability"}),
            frozenset({"surveillance", "arbitrary_arrest", "smear", "unfair_scrutiny"})),
    Measure("mark_confidential", frozenset({"vulnerability"})),
    Measure("informed_consent", frozenset()),
    Measure("consult_affected", frozenset({"capacity"})),
    Measure("reprisal_plan", frozenset({"capacity"})),
    Measure("alert_network", frozenset({"capacity"})),
    Measure("legal_support", frozenset({"capacity"}),
            frozenset({"arbitrary_arrest", "undue_restrictions", "unfair_scrutiny", "funding_cut"})),
    Measure("relocation", frozenset({"vulnerability"}), _SERIOUS | {"surveillance"}),
    Measure("public_visibility", frozenset({"threat"}), _SERIOUS | {"smear"}),
)
"""What each measure acts on. The first seven come from ch. IV, Ensuring safe engagement
(and the tip on consulting those affected and planning a response); the last four are
the manuals' standard capacities and protective moves."""
MEASURE_BY_ID = {m.id: m for m in MEASURES}


def _rating(value: object, allowed: tuple[int, ...]) -> int:
    from .rules import RiskError

    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise RiskError(N_("risk.error.scale"), value=safe_text.preview(value, 20))
    return value


def threat_score(intent: int, capability: int) -> int:
    """``intent + capability - 1`` (1-5); intent and capability are whole numbers 1-3."""
    return _rating(intent, INTENT) + _rating(capability, CAPABILITY) - 1


def risk_value(threat: int, vulnerability: int, capacity: int) -> Fraction:
    """``threat x vulnerability / capacity`` as an exact fraction (1/5 to 25); each 1-5.

    Raises :class:`~course.tools.risk.rules.RiskError` for a rating outside 1-5.
    """
    return Fraction(_rating(threat, RATING) * _rating(vulnerability, RATING), _rating(capacity, RATING))


def band(value: Fraction) -> str:
    """The level of a risk value: ``low`` (<2), ``medium`` (<5), ``high`` (<10), ``critical``."""
    for bound, name in BANDS:
        if value < bound:
            return name
    return "critical"


def formula_level(threat: int, vulnerability: int, capacity: int) -> str:
    return band(risk_value(threat, vulnerability, capacity))


def acts_on(measure_id: str, term: str, form: str) -> bool:
    """Whether a measure can change ``term`` ("threat", "vulnerability", "capacity") for a form."""
    measure = MEASURE_BY_ID.get(measure_id)
    if measure is None or term not in measure.acts_on:
        return False
    return measure.forms is None or form in measure.forms


def credited_after(term: str, before: int, after: int | None, measures: list[str], form: str) -> int:
    """The rating after measures that counts.

    A rating that improves (threat or vulnerability down, capacity up) counts only if
    one of ``measures`` acts on ``term`` for ``form``; otherwise the rating before
    stands. A rating that worsens always counts (the situation changed).
    """
    if after is None:
        return before
    improves = after > before if term == "capacity" else after < before
    if improves and not any(acts_on(m, term, form) for m in measures):
        return before
    return after


def format_value(value: Fraction) -> str:
    """``10``, ``3``, ``7.5``, ``0.2`` (one decimal at most; values are multiples of 1/60)."""
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.1f}"
    return text
