"""Risk and security planning for engaging with the Special Procedures.

The plan (:class:`RiskRegister`) follows the protection field's method: context and
allies, the people at risk (:class:`AtRisk`: vulnerabilities and capacities), each
threat (:class:`RiskItem`: form of reprisal, actor, intent and capability), the
incident log (:mod:`course.tools.risk.incidents`), risk = threat x vulnerability /
capacity (:mod:`course.tools.risk.protection`, where the scales and bands are
documented), and the security plan (:mod:`course.tools.risk.security_plan`). The
likelihood x impact grid below stays as the view for deciding which threats to deal
with first. :func:`conclusion` says whether to submit now.

Renamed in plan format version 2: ``RiskItem.effective_level`` is now
:attr:`RiskItem.grid_level_after_measures` (grid) and
:meth:`RiskRegister.level_after_measures` (the level that decides); the conclusion
kind ``do_no_harm`` is now ``above_threshold``.

Plain rules, no widgets. Everything here follows ISHR Practical Guide (2025), ch. IV:
people beyond the submitter can be harmed (families, colleagues, whole
organisations), reprisals take the forms listed in "Understanding reprisals", and
the experts themselves follow "do no harm" and may decide not to act when the risk
is too high ("Ensuring safe engagement").

Scoring
-------
``score = likelihood x impact`` on two 1-5 scales. Bands (documented and tested on
every cell of the 5x5 grid):

========  ==============
score     level
========  ==============
1-4       ``low``
5-9       ``medium``
10-16     ``high``
20-25     ``critical``
========  ==============

(Scores 17-19 cannot occur: no product of two numbers 1-5 falls there.)

The user picks the highest level they accept (``low``, ``medium`` or ``high``;
``critical`` is never acceptable). :func:`conclusion` compares every item, after
its mitigations, with that threshold.

Typed text (notes, custom threat labels, the plan's title) is stored exactly as
typed; escaping happens in the exporters (:mod:`course.safe_text`).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from ... import safe_text, sources
from ...i18n import N_, UserError, t
from . import protection
from .incidents import Incident, IncidentLog
from .security_plan import SecurityPlan

# --------------------------------------------------------------------------- sources

CITE_SAFE = "ISHR Practical Guide (2025), ch. IV, Ensuring safe engagement"
CITE_REPRISALS = "ISHR Practical Guide (2025), ch. IV, Understanding reprisals"
CITE_CONSENT_QUESTION = "ISHR Practical Guide (2025), ch. III, Communications 3 (question 4)"



def cite(citation: str, lang: str) -> str:
    """A citation in the reader's language: a guide or report reference in canonical form
    (:func:`course.sources.cite`), or one of the protection manuals (its message key)."""
    if citation in (protection.MANUAL_PI, protection.MANUAL_FLD):
        return t(citation, lang)
    return sources.cite(citation, lang)


@dataclass(frozen=True)
class Option:
    """One choice offered by the tool: an id, its message keys and where it comes from."""

    id: str
    label_key: str
    help_key: str
    citation: str


PEOPLE: tuple[Option, ...] = (
    Option("victims", N_("risk.person.victims"), N_("risk.person.victims.help"), CITE_SAFE),
    Option("families", N_("risk.person.families"), N_("risk.person.families.help"), CITE_SAFE),
    Option("colleagues", N_("risk.person.colleagues"), N_("risk.person.colleagues.help"), CITE_SAFE),
    Option("organisation", N_("risk.person.organisation"), N_("risk.person.organisation.help"), CITE_SAFE),
    Option("submitter", N_("risk.person.submitter"), N_("risk.person.submitter.help"), CITE_SAFE),
)
"""Who could be hurt (ch. IV tip: risk reaches families, colleagues and whole organisations)."""

THREATS: tuple[Option, ...] = (
    Option("undue_restrictions", N_("risk.threat.undue_restrictions"),
           N_("risk.threat.undue_restrictions.help"), CITE_REPRISALS),
    Option("unfair_scrutiny", N_("risk.threat.unfair_scrutiny"),
           N_("risk.threat.unfair_scrutiny.help"), CITE_REPRISALS),
    Option("surveillance", N_("risk.threat.surveillance"), N_("risk.threat.surveillance.help"), CITE_REPRISALS),
    Option("smear", N_("risk.threat.smear"), N_("risk.threat.smear.help"), CITE_REPRISALS),
    Option("funding_cut", N_("risk.threat.funding_cut"), N_("risk.threat.funding_cut.help"), CITE_REPRISALS),
    Option("arbitrary_arrest", N_("risk.threat.arbitrary_arrest"),
           N_("risk.threat.arbitrary_arrest.help"), CITE_REPRISALS),
    Option("physical_violence", N_("risk.threat.physical_violence"),
           N_("risk.threat.physical_violence.help"), CITE_REPRISALS),
    Option("killing", N_("risk.threat.killing"), N_("risk.threat.killing.help"), CITE_REPRISALS),
)
"""Forms of reprisal the guide lists (ch. IV, Understanding reprisals)."""

CUSTOM_THREAT = "custom"
"""Threat id for a threat the user describes in ``custom_threat_label``."""

MITIGATIONS: tuple[Option, ...] = (
    Option("confidential_identity", N_("risk.mitigation.confidential_identity"),
           N_("risk.mitigation.confidential_identity.help"), CITE_SAFE),
    Option("partner_ngo", N_("risk.mitigation.partner_ngo"), N_("risk.mitigation.partner_ngo.help"), CITE_SAFE),
    Option("encrypted_channels", N_("risk.mitigation.encrypted_channels"),
           N_("risk.mitigation.encrypted_channels.help"), CITE_SAFE),
    Option("mark_confidential", N_("risk.mitigation.mark_confidential"),
           N_("risk.mitigation.mark_confidential.help"), CITE_SAFE),
    Option("informed_consent", N_("risk.mitigation.informed_consent"),
           N_("risk.mitigation.informed_consent.help"), f"{CITE_SAFE}; {CITE_CONSENT_QUESTION}"),
    Option("consult_affected", N_("risk.mitigation.consult_affected"),
           N_("risk.mitigation.consult_affected.help"), CITE_SAFE),
    Option("reprisal_plan", N_("risk.mitigation.reprisal_plan"),
           N_("risk.mitigation.reprisal_plan.help"), CITE_SAFE),
    Option("alert_network", N_("risk.mitigation.alert_network"),
           N_("risk.mitigation.alert_network.help"), protection.MANUAL_PI),
    Option("legal_support", N_("risk.mitigation.legal_support"),
           N_("risk.mitigation.legal_support.help"), protection.MANUAL_PI),
    Option("relocation", N_("risk.mitigation.relocation"),
           N_("risk.mitigation.relocation.help"), protection.MANUAL_FLD),
    Option("public_visibility", N_("risk.mitigation.public_visibility"),
           N_("risk.mitigation.public_visibility.help"), protection.MANUAL_PI),
)
"""Measures: the first seven are the guide's (ch. IV, Ensuring safe engagement), the last
four the protection manuals' standard ones. What each acts on: :data:`protection.MEASURES`."""

PERSON_IDS = tuple(o.id for o in PEOPLE)
THREAT_IDS = tuple(o.id for o in THREATS)
MITIGATION_IDS = tuple(o.id for o in MITIGATIONS)
_BY_ID = {o.id: o for o in PEOPLE + THREATS + MITIGATIONS}

LEVELS = ("low", "medium", "high", "critical")
LEVEL_KEYS = {
    "low": N_("risk.level.low"),
    "medium": N_("risk.level.medium"),
    "high": N_("risk.level.high"),
    "critical": N_("risk.level.critical"),
}
THRESHOLDS = ("low", "medium", "high")
"""Levels a user may accept; ``critical`` is never acceptable."""
DEFAULT_THRESHOLD = "medium"

SCALE = (1, 2, 3, 4, 5)
LIKELIHOOD_KEYS = {
    1: N_("risk.likelihood.1"), 2: N_("risk.likelihood.2"), 3: N_("risk.likelihood.3"),
    4: N_("risk.likelihood.4"), 5: N_("risk.likelihood.5"),
}
IMPACT_KEYS = {
    1: N_("risk.impact.1"), 2: N_("risk.impact.2"), 3: N_("risk.impact.3"),
    4: N_("risk.impact.4"), 5: N_("risk.impact.5"),
}

MAX_ITEMS = 200
"""More rows than anyone needs; keeps a hostile file from freezing the page."""


def option(option_id: str) -> Option:
    return _BY_ID[option_id]


def label(option_id: str, lang: str) -> str:
    """Translated label of a person, threat or mitigation id."""
    return t(_BY_ID[option_id].label_key, lang)


class RiskError(UserError):
    """Invalid input. ``key`` and ``values`` give the message to show (see :meth:`message`)."""


# --------------------------------------------------------------------------- scoring


def _check_scale(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise RiskError(N_("risk.error.scale"), value=safe_text.preview(value, 20))
    return value


def score(likelihood: int, impact: int) -> int:
    """``likelihood x impact`` (1-25); both must be whole numbers from 1 to 5."""
    return _check_scale(likelihood, "likelihood") * _check_scale(impact, "impact")


def level(likelihood: int, impact: int) -> str:
    """``"low"`` (1-4), ``"medium"`` (5-9), ``"high"`` (10-16) or ``"critical"`` (20-25)."""
    product = score(likelihood, impact)
    if product <= 4:
        return "low"
    if product <= 9:
        return "medium"
    if product <= 16:
        return "high"
    return "critical"


def level_rank(level_id: str) -> int:
    return LEVELS.index(level_id)


def within(level_id: str, threshold_level: str) -> bool:
    """True when ``level_id`` is no worse than the accepted threshold."""
    return level_rank(level_id) <= level_rank(threshold_level)


# --------------------------------------------------------------------------- items


def _optional(value: object, allowed: tuple[int, ...]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise RiskError(N_("risk.error.scale"), value=safe_text.preview(value, 20))
    return value


@dataclass
class RiskItem:
    """One threat: which reprisal, by whom, against which person or group, and how it is rated.

    The field's analysis (:mod:`course.tools.risk.protection`): ``actor`` (typed) and
    ``actor_kind`` (one of :data:`protection.ACTORS` or ``""``), ``intent`` and
    ``capability`` (1-3, ``None`` while not rated). The prioritisation grid:
    ``likelihood`` and ``impact`` (1-5). ``mitigations``: the measures chosen against
    it. Ratings after those measures: ``residual_likelihood`` / ``residual_impact`` for
    the grid, ``after_intent``, ``after_capability``, ``after_vulnerability`` and
    ``after_capacity`` for the formula; ``None`` means unchanged or not yet assessed.
    """

    who: str
    threat: str
    likelihood: int
    impact: int
    mitigations: list[str] = field(default_factory=list)
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    note: str = ""
    custom_threat_label: str = ""
    actor: str = ""
    actor_kind: str = ""
    intent: int | None = None
    capability: int | None = None
    after_intent: int | None = None
    after_capability: int | None = None
    after_vulnerability: int | None = None
    after_capacity: int | None = None

    def validate(self) -> RiskItem:
        if self.who not in PERSON_IDS:
            raise RiskError(N_("risk.error.person"), value=safe_text.preview(self.who, 40))
        # A custom threat may be left undescribed for now: it is shown as such, never refused.
        if self.threat != CUSTOM_THREAT and self.threat not in THREAT_IDS:
            raise RiskError(N_("risk.error.threat"), value=safe_text.preview(self.threat, 40))
        _check_scale(self.likelihood, "likelihood")
        _check_scale(self.impact, "impact")
        if (self.residual_likelihood is None) != (self.residual_impact is None):
            raise RiskError(N_("risk.error.residual_pair"))
        if self.residual_likelihood is not None:
            _check_scale(self.residual_likelihood, "residual_likelihood")
            _check_scale(self.residual_impact, "residual_impact")
        if not isinstance(self.mitigations, list):
            raise RiskError(N_("risk.error.mitigation"), value=safe_text.preview(self.mitigations, 40))
        for mitigation in self.mitigations:
            if mitigation not in MITIGATION_IDS:
                raise RiskError(N_("risk.error.mitigation"), value=safe_text.preview(mitigation, 40))
        for text in (self.note, self.custom_threat_label, self.actor):
            if not isinstance(text, str):
                raise RiskError(N_("risk.error.text"))
        if self.actor_kind and self.actor_kind not in protection.ACTORS:
            raise RiskError(N_("risk.error.file"))
        for value in (self.intent, self.capability, self.after_intent, self.after_capability):
            _optional(value, protection.INTENT)
        for value in (self.after_vulnerability, self.after_capacity):
            _optional(value, protection.RATING)
        return self

    @property
    def score(self) -> int:
        return score(self.likelihood, self.impact)

    @property
    def level(self) -> str:
        return level(self.likelihood, self.impact)

    @property
    def assessed_after_mitigation(self) -> bool:
        return self.residual_likelihood is not None and self.residual_impact is not None

    @property
    def residual_level(self) -> str | None:
        """The grid level the user rated after measures, as rated (``None`` if not rated)."""
        if self.residual_likelihood is None or self.residual_impact is None:  # not assessed after measures
            return None
        return level(self.residual_likelihood, self.residual_impact)

    @property
    def acting_measures(self) -> list[str]:
        """The chosen measures that act on anything (threat, vulnerability or capacity) for this form."""
        return [m for m in self.mitigations
                if any(protection.acts_on(m, term, self.threat) for term in protection.TERMS)]

    @property
    def grid_level_after_measures(self) -> str:
        """The grid level after measures that counts (formerly ``effective_level``).

        A lower rating after measures counts only when a chosen measure acts on this
        threat at all (:func:`protection.acts_on`); otherwise the initial level stands.
        """
        residual = self.residual_level
        if residual is None:
            return self.level
        if level_rank(residual) < level_rank(self.level) and not self.acting_measures:
            return self.level
        return residual

    @property
    def threat_level(self) -> int | None:
        """``intent + capability - 1`` (1-5), or ``None`` while either is not rated."""
        if self.intent is None or self.capability is None:
            return None
        return protection.threat_score(self.intent, self.capability)

    def threat_label(self, lang: str) -> str:
        """Label of the threat; a custom label is returned as typed (escape it to show it)."""
        if self.threat == CUSTOM_THREAT:
            typed = safe_text.clean(self.custom_threat_label)
            return typed if typed.strip() else t("risk.threat.custom.undescribed", lang)
        return label(self.threat, lang)

    def to_dict(self) -> dict:
        return {
            "who": self.who,
            "threat": self.threat,
            "custom_threat_label": self.custom_threat_label,
            "actor": self.actor,
            "actor_kind": self.actor_kind,
            "intent": self.intent,
            "capability": self.capability,
            "likelihood": self.likelihood,
            "impact": self.impact,
            "mitigations": list(self.mitigations),
            "residual_likelihood": self.residual_likelihood,
            "residual_impact": self.residual_impact,
            "after_intent": self.after_intent,
            "after_capability": self.after_capability,
            "after_vulnerability": self.after_vulnerability,
            "after_capacity": self.after_capacity,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: object) -> RiskItem:
        """Rebuild an item; a version-1 item (no actor, intent ...) loads with those fields empty."""
        if not isinstance(data, dict):
            raise RiskError(N_("risk.error.file"))
        try:
            item = cls(
                who=data["who"],
                threat=data["threat"],
                likelihood=data["likelihood"],
                impact=data["impact"],
                mitigations=list(data.get("mitigations") or []),
                residual_likelihood=data.get("residual_likelihood"),
                residual_impact=data.get("residual_impact"),
                note=data.get("note") or "",
                custom_threat_label=data.get("custom_threat_label") or "",
                actor=data.get("actor") or "",
                actor_kind=data.get("actor_kind") or "",
                intent=data.get("intent"),
                capability=data.get("capability"),
                after_intent=data.get("after_intent"),
                after_capability=data.get("after_capability"),
                after_vulnerability=data.get("after_vulnerability"),
                after_capacity=data.get("after_capacity"),
            )
        except (KeyError, TypeError) as exc:
            raise RiskError(N_("risk.error.file")) from exc
        return item.validate()


@dataclass
class AtRisk:
    """A person or group at risk (one of :data:`PEOPLE`): their vulnerabilities and capacities.

    ``vulnerabilities`` / ``capacities``: factor ids from :data:`protection.VULNERABILITIES`
    and :data:`protection.CAPACITIES`; ``vulnerability`` / ``capacity``: the overall
    ratings (1-5, ``None`` while not rated); ``note``: typed detail.
    """

    who: str
    vulnerabilities: list[str] = field(default_factory=list)
    capacities: list[str] = field(default_factory=list)
    vulnerability: int | None = None
    capacity: int | None = None
    note: str = ""

    def validate(self) -> AtRisk:
        if self.who not in PERSON_IDS:
            raise RiskError(N_("risk.error.person"), value=safe_text.preview(self.who, 40))
        if not isinstance(self.vulnerabilities, list) or any(
                v not in protection.VULNERABILITIES for v in self.vulnerabilities):
            raise RiskError(N_("risk.error.file"))
        if not isinstance(self.capacities, list) or any(c not in protection.CAPACITIES for c in self.capacities):
            raise RiskError(N_("risk.error.file"))
        _optional(self.vulnerability, protection.RATING)
        _optional(self.capacity, protection.RATING)
        if not isinstance(self.note, str):
            raise RiskError(N_("risk.error.text"))
        return self

    def to_dict(self) -> dict:
        return {"who": self.who, "vulnerabilities": list(self.vulnerabilities),
                "capacities": list(self.capacities), "vulnerability": self.vulnerability,
                "capacity": self.capacity, "note": self.note}

    @classmethod
    def from_dict(cls, data: object) -> AtRisk:
        if not isinstance(data, dict):
            raise RiskError(N_("risk.error.file"))
        try:
            group = cls(who=data["who"], vulnerabilities=list(data.get("vulnerabilities") or []),
                        capacities=list(data.get("capacities") or []), vulnerability=data.get("vulnerability"),
                        capacity=data.get("capacity"), note=data.get("note") or "")
        except (KeyError, TypeError) as exc:
            raise RiskError(N_("risk.error.file")) from exc
        return group.validate()


@dataclass(frozen=True)
class Analysis:
    """One threat through the formula, before and after measures.

    ``value`` / ``after_value``: exact fractions; ``level`` / ``after_level``: their bands.
    The ``after_*`` ratings are those credited (:func:`protection.credited_after`);
    ``uncredited``: the terms whose better rating no chosen measure supports.
    """

    threat: int
    vulnerability: int
    capacity: int
    value: Fraction
    level: str
    after_threat: int
    after_vulnerability: int
    after_capacity: int
    after_value: Fraction
    after_level: str
    uncredited: tuple[str, ...] = ()


# Which measures the guide's advice (and the manuals) point to first, by threat and by person.
_BY_THREAT = {
    "undue_restrictions": ("partner_ngo", "confidential_identity", "legal_support"),
    "unfair_scrutiny": ("partner_ngo", "mark_confidential", "legal_support"),
    "surveillance": ("encrypted_channels", "confidential_identity"),
    "smear": ("confidential_identity", "mark_confidential"),
    "funding_cut": ("partner_ngo", "confidential_identity"),
    "arbitrary_arrest": ("confidential_identity", "mark_confidential", "reprisal_plan", "legal_support",
                         "alert_network"),
    "physical_violence": ("confidential_identity", "mark_confidential", "reprisal_plan", "alert_network"),
    "killing": ("confidential_identity", "mark_confidential", "reprisal_plan", "alert_network"),
    CUSTOM_THREAT: ("confidential_identity",),
}
_BY_PERSON = {
    "victims": ("informed_consent",),
    "families": ("informed_consent", "consult_affected"),
    "colleagues": ("consult_affected",),
    "organisation": ("consult_affected", "partner_ngo"),
    "submitter": ("encrypted_channels", "partner_ngo"),
}


def suggest_mitigations(item: RiskItem) -> list[str]:
    """Measure ids worth considering first for this item, in the order of :data:`MITIGATIONS`.

    Informed consent whenever victims or families are concerned (ch. IV, Ensuring
    safe engagement; ch. III question 4); consulting those affected when others
    than the victims are at stake and a reprisal plan for the gravest threats (ch. IV
    tip); legal support and an alert network against arrest and violence (the
    protection manuals). :func:`conclusion` separately reminds of the steps no item covers yet.
    """
    wanted = set(_BY_THREAT.get(item.threat, ())) | set(_BY_PERSON.get(item.who, ()))
    return [m for m in MITIGATION_IDS if m in wanted]


# --------------------------------------------------------------------------- register


@dataclass
class RiskRegister:
    """The whole plan for one engagement: context and allies, the people at risk, the threats,
    the incident log, the accepted threshold, the reprisal plan and the security plan.

    ``incident_date`` is the date typed in the reprisal plan (version 1); when it is
    empty the latest logged incident is used (:meth:`reprisal_date`).
    """

    items: list[RiskItem] = field(default_factory=list)
    threshold_level: str = DEFAULT_THRESHOLD
    title: str = ""
    mandate_engaged: str = ""
    incident_date: date | None = None
    plan_note: str = ""
    context: str = ""
    allies: str = ""
    groups: list[AtRisk] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    security: SecurityPlan = field(default_factory=SecurityPlan)

    FORMAT = "sp-course/riskplan"
    VERSION = 2
    """Version 2 adds context, allies, groups, incidents, the security plan and the
    threat analysis fields; version-1 files load with those empty."""

    def validate(self) -> RiskRegister:
        if self.threshold_level not in THRESHOLDS:
            raise RiskError(N_("risk.error.threshold"), value=safe_text.preview(self.threshold_level, 20))
        if len(self.items) > MAX_ITEMS or len(self.incidents) > MAX_ITEMS:
            raise RiskError(N_("risk.error.too_many"), limit=MAX_ITEMS)
        for item in self.items:
            item.validate()
        seen = set()
        for group in self.groups:
            group.validate()
            if group.who in seen:
                raise RiskError(N_("risk.error.file"))
            seen.add(group.who)
        for incident in self.incidents:
            incident.validate(today=date.max)
        self.security.validate()
        for text in (self.title, self.mandate_engaged, self.plan_note, self.context, self.allies):
            if not isinstance(text, str):
                raise RiskError(N_("risk.error.text"))
        if self.incident_date is not None and not isinstance(self.incident_date, date):
            raise RiskError(N_("risk.error.file"))
        return self

    # ------------------------------------------------------------ analysis

    def group(self, who: str) -> AtRisk | None:
        return next((g for g in self.groups if g.who == who), None)

    def incident_log(self) -> IncidentLog:
        return IncidentLog(list(self.incidents))

    def suggested_intent(self, item: RiskItem) -> int | None:
        """3 when a logged incident of this form targeted these people (evidence of intent)."""
        return 3 if self.incident_log().matching(item.threat, item.who) else None

    def analysis(self, item: RiskItem) -> Analysis | None:
        """``threat x vulnerability / capacity`` for ``item``; ``None`` until all three are rated."""
        group = self.group(item.who)
        # intent and capability rated is what makes item.threat_level a number
        if item.intent is None or item.capability is None or group is None or group.vulnerability is None \
                or group.capacity is None:
            return None
        form, measures = item.threat, item.mitigations
        uncredited = []
        after_intent = protection.credited_after("threat", item.intent, item.after_intent, measures, form)
        after_capability = protection.credited_after("threat", item.capability, item.after_capability,
                                                     measures, form)
        if (item.after_intent is not None and after_intent != item.after_intent) or (
                item.after_capability is not None and after_capability != item.after_capability):
            uncredited.append("threat")
        after_v = protection.credited_after("vulnerability", group.vulnerability, item.after_vulnerability,
                                            measures, form)
        if item.after_vulnerability is not None and after_v != item.after_vulnerability:
            uncredited.append("vulnerability")
        after_c = protection.credited_after("capacity", group.capacity, item.after_capacity, measures, form)
        if item.after_capacity is not None and after_c != item.after_capacity:
            uncredited.append("capacity")
        after_t = protection.threat_score(after_intent, after_capability)
        threat = protection.threat_score(item.intent, item.capability)  # item.threat_level, narrowed
        value = protection.risk_value(threat, group.vulnerability, group.capacity)
        after_value = protection.risk_value(after_t, after_v, after_c)
        return Analysis(threat, group.vulnerability, group.capacity, value, protection.band(value),
                        after_t, after_v, after_c, after_value, protection.band(after_value), tuple(uncredited))

    def level_after_measures(self, item: RiskItem) -> str:
        """The level that decides (formerly ``effective_level``): the formula's level after
        credited measures once threat, vulnerability and capacity are rated, else the
        grid's level after credited measures."""
        result = self.analysis(item)
        return result.after_level if result else item.grid_level_after_measures

    def level_before_measures(self, item: RiskItem) -> str:
        result = self.analysis(item)
        return result.level if result else item.level

    def reprisal_date(self) -> date | None:
        """The date for the report-cycle calculator: the one typed, else the latest incident's."""
        if self.incident_date is not None:
            return self.incident_date
        latest = self.incident_log().latest()
        return latest.day if latest else None

    def implied_protocols(self) -> list[str]:
        from .security_plan import implied_protocols

        return implied_protocols(item.threat for item in self.items)

    # ------------------------------------------------------------ files

    def to_dict(self) -> dict:
        return {
            "format": self.FORMAT,
            "version": self.VERSION,
            "title": self.title,
            "threshold_level": self.threshold_level,
            "context": self.context,
            "allies": self.allies,
            "groups": [g.to_dict() for g in self.groups],
            "items": [item.to_dict() for item in self.items],
            "incidents": [i.to_dict() for i in self.incidents],
            "mandate_engaged": self.mandate_engaged,
            "incident_date": self.incident_date.isoformat() if self.incident_date else None,
            "plan_note": self.plan_note,
            "security_plan": self.security.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> RiskRegister:
        """Rebuild a register (version 1 or 2); raises :class:`RiskError` for anything that is not one."""
        if not isinstance(data, dict) or data.get("format") != cls.FORMAT:
            raise RiskError(N_("risk.error.file"))
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= cls.VERSION:
            raise RiskError(N_("risk.error.version"))
        lists = {}
        for name in ("items", "groups", "incidents"):
            raw = data.get(name) or []
            if not isinstance(raw, list):
                raise RiskError(N_("risk.error.file"))
            if len(raw) > MAX_ITEMS:
                raise RiskError(N_("risk.error.too_many"), limit=MAX_ITEMS)
            lists[name] = raw
        incident = data.get("incident_date")
        if incident is not None:
            try:
                incident = date.fromisoformat(incident)
            except (TypeError, ValueError) as exc:
                raise RiskError(N_("risk.error.file")) from exc
        register = cls(
            items=[RiskItem.from_dict(raw) for raw in lists["items"]],
            threshold_level=data.get("threshold_level", DEFAULT_THRESHOLD),
            title=data.get("title") or "",
            mandate_engaged=data.get("mandate_engaged") or "",
            incident_date=incident,
            plan_note=data.get("plan_note") or "",
            context=data.get("context") or "",
            allies=data.get("allies") or "",
            groups=[AtRisk.from_dict(raw) for raw in lists["groups"]],
            incidents=[Incident.from_dict(raw) for raw in lists["incidents"]],
            security=SecurityPlan.from_dict(data.get("security_plan")),
        )
        return register.validate()

    def to_json(self) -> str:
        """JSON text that encodes as UTF-8 whatever was typed (lone surrogates as ``\\uXXXX``)."""
        return safe_text.json_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2))

    @classmethod
    def from_json(cls, text: str | bytes) -> RiskRegister:
        try:
            if isinstance(text, (bytes, bytearray, memoryview)):
                text = bytes(text).decode("utf-8-sig")
            data = json.loads(text)
        except (UnicodeDecodeError, ValueError, TypeError, RecursionError) as exc:
            raise RiskError(N_("risk.error.file")) from exc
        return cls.from_dict(data)


# --------------------------------------------------------------------------- conclusion

CONCLUSIONS = ("empty", "acceptable", "proceed_with_mitigations", "above_threshold")
CONCLUSION_KEYS = {
    "empty": N_("risk.conclusion.empty"),
    "acceptable": N_("risk.conclusion.acceptable"),
    "proceed_with_mitigations": N_("risk.conclusion.proceed_with_mitigations"),
    "above_threshold": N_("risk.conclusion.above_threshold"),
}
CORE_STEPS = ("informed_consent", "consult_affected", "reprisal_plan")
"""Steps the guide asks for before any submission (ch. IV tip; consent: ch. IV and ch. III)."""


@dataclass(frozen=True)
class Conclusion:
    """What the plan says about submitting now.

    ``kind``: ``empty`` (no threat listed yet), ``acceptable`` (every threat within the
    threshold of acceptable risk as it stands), ``proceed_with_mitigations`` (within it
    only once the chosen measures are in place), ``above_threshold`` (formerly
    ``do_no_harm``: some risk stays above the threshold agreed with everyone concerned,
    so do not submit now; reduce the threats or vulnerabilities, or increase the
    capacities, first). Item numbers are 1-based. ``items_uncredited``: threats whose
    better rating after measures no chosen measure supports (the better rating is
    ignored). ``items_unanalysed``: threats not yet rated by the formula (the grid decides).
    """

    kind: str
    message_key: str
    items_above: tuple[int, ...] = ()
    items_mitigated: tuple[int, ...] = ()
    items_unassessed: tuple[int, ...] = ()
    missing_steps: tuple[str, ...] = ()
    citation: str = CITE_SAFE
    items_uncredited: tuple[int, ...] = ()
    items_unanalysed: tuple[int, ...] = ()


def conclusion(register: RiskRegister) -> Conclusion:
    threshold = register.threshold_level
    if threshold not in THRESHOLDS:
        raise RiskError(N_("risk.error.threshold"), value=safe_text.preview(threshold, 20))
    items = register.items
    if not items:
        return Conclusion("empty", CONCLUSION_KEYS["empty"], missing_steps=CORE_STEPS)
    used = {m for item in items for m in item.mitigations}
    missing = tuple(step for step in CORE_STEPS if step not in used)
    after = {n: register.level_after_measures(item) for n, item in enumerate(items, 1)}
    before = {n: register.level_before_measures(item) for n, item in enumerate(items, 1)}
    above = tuple(n for n in after if not within(after[n], threshold))
    mitigated = tuple(n for n in after if not within(before[n], threshold) and within(after[n], threshold))
    unassessed = tuple(
        n for n, item in enumerate(items, 1)
        if n in above and item.mitigations and not item.assessed_after_mitigation
        and register.analysis(item) is None
    )
    uncredited = []
    unanalysed = []
    for n, item in enumerate(items, 1):
        result = register.analysis(item)
        if result is None:
            unanalysed.append(n)
            if item.residual_level and item.grid_level_after_measures != item.residual_level:
                uncredited.append(n)
        elif result.uncredited:
            uncredited.append(n)
    if above:
        kind = "above_threshold"
    elif mitigated:
        kind = "proceed_with_mitigations"
    else:
        kind = "acceptable"
    return Conclusion(kind, CONCLUSION_KEYS[kind], above, mitigated, unassessed, missing,
                      items_uncredited=tuple(uncredited), items_unanalysed=tuple(unanalysed))


def matrix_counts(items: Iterable[RiskItem], residual: bool = False) -> dict[tuple[int, int], list[int]]:
    """``{(likelihood, impact): [item numbers]}`` for plotting (1-based numbers)."""
    cells: dict[tuple[int, int], list[int]] = {}
    for n, item in enumerate(items, 1):
        if residual:
            if item.residual_likelihood is None or item.residual_impact is None:  # not assessed after measures
                continue
            key = (item.residual_likelihood, item.residual_impact)
        else:
            key = (item.likelihood, item.impact)
        cells.setdefault(key, []).append(n)
    return cells
