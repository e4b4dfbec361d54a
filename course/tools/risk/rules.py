"""Risk matrix for engaging with the Special Procedures: who could be hurt, how, how badly.

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

from ... import safe_text, sources
from ...i18n import N_, UserError, t

# --------------------------------------------------------------------------- sources

CITE_SAFE = "ISHR Practical Guide (2025), ch. IV, Ensuring safe engagement"
CITE_REPRISALS = "ISHR Practical Guide (2025), ch. IV, Understanding reprisals"
CITE_CONSENT_QUESTION = "ISHR Practical Guide (2025), ch. III, Communications 3 (question 4)"



cite = sources.cite
"""A citation kept in canonical form, in the reader's language (:func:`course.sources.cite`)."""


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
)
"""Ways to lower the risk that the guide describes (ch. IV, Ensuring safe engagement)."""

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


@dataclass
class RiskItem:
    """One risk: who could be hurt, by which reprisal, how likely, how badly.

    ``residual_likelihood`` / ``residual_impact`` are the ratings once the chosen
    mitigations are in place; ``None`` means not yet assessed, in which case the
    initial rating still counts.
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
        if not isinstance(self.note, str) or not isinstance(self.custom_threat_label, str):
            raise RiskError(N_("risk.error.text"))
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
        if not self.assessed_after_mitigation:
            return None
        return level(self.residual_likelihood, self.residual_impact)

    @property
    def effective_level(self) -> str:
        """The level that counts: after mitigation when assessed, else the initial one."""
        return self.residual_level or self.level

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
            "likelihood": self.likelihood,
            "impact": self.impact,
            "mitigations": list(self.mitigations),
            "residual_likelihood": self.residual_likelihood,
            "residual_impact": self.residual_impact,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: object) -> RiskItem:
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
            )
        except (KeyError, TypeError) as exc:
            raise RiskError(N_("risk.error.file")) from exc
        return item.validate()


# Which mitigations the guide's advice points to first, by threat and by person.
_BY_THREAT = {
    "undue_restrictions": ("partner_ngo", "confidential_identity"),
    "unfair_scrutiny": ("partner_ngo", "mark_confidential"),
    "surveillance": ("encrypted_channels", "confidential_identity"),
    "smear": ("confidential_identity", "mark_confidential"),
    "funding_cut": ("partner_ngo", "confidential_identity"),
    "arbitrary_arrest": ("confidential_identity", "mark_confidential", "reprisal_plan"),
    "physical_violence": ("confidential_identity", "mark_confidential", "reprisal_plan"),
    "killing": ("confidential_identity", "mark_confidential", "reprisal_plan"),
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
    """Mitigation ids worth considering first for this item, in the order of :data:`MITIGATIONS`.

    Informed consent whenever victims or families are concerned (ch. IV, Ensuring
    safe engagement; ch. III question 4); consulting those affected when others
    than the victims are at stake and a reprisal plan for the gravest threats (ch. IV
    tip). :func:`conclusion` separately reminds of the steps no item covers yet.
    """
    wanted = set(_BY_THREAT.get(item.threat, ())) | set(_BY_PERSON.get(item.who, ()))
    return [m for m in MITIGATION_IDS if m in wanted]


# --------------------------------------------------------------------------- register


@dataclass
class RiskRegister:
    """Every risk of one planned engagement, the accepted threshold and the reprisal plan."""

    items: list[RiskItem] = field(default_factory=list)
    threshold_level: str = DEFAULT_THRESHOLD
    title: str = ""
    mandate_engaged: str = ""
    incident_date: date | None = None
    plan_note: str = ""

    FORMAT = "sp-course/riskplan"
    VERSION = 1

    def validate(self) -> RiskRegister:
        if self.threshold_level not in THRESHOLDS:
            raise RiskError(N_("risk.error.threshold"), value=safe_text.preview(self.threshold_level, 20))
        if len(self.items) > MAX_ITEMS:
            raise RiskError(N_("risk.error.too_many"), limit=MAX_ITEMS)
        for item in self.items:
            item.validate()
        for text in (self.title, self.mandate_engaged, self.plan_note):
            if not isinstance(text, str):
                raise RiskError(N_("risk.error.text"))
        if self.incident_date is not None and not isinstance(self.incident_date, date):
            raise RiskError(N_("risk.error.file"))
        return self

    def to_dict(self) -> dict:
        return {
            "format": self.FORMAT,
            "version": self.VERSION,
            "title": self.title,
            "threshold_level": self.threshold_level,
            "items": [item.to_dict() for item in self.items],
            "mandate_engaged": self.mandate_engaged,
            "incident_date": self.incident_date.isoformat() if self.incident_date else None,
            "plan_note": self.plan_note,
        }

    @classmethod
    def from_dict(cls, data: object) -> RiskRegister:
        """Rebuild a register; raises :class:`RiskError` for anything that is not one."""
        if not isinstance(data, dict) or data.get("format") != cls.FORMAT:
            raise RiskError(N_("risk.error.file"))
        raw_items = data.get("items") or []
        if not isinstance(raw_items, list):
            raise RiskError(N_("risk.error.file"))
        if len(raw_items) > MAX_ITEMS:
            raise RiskError(N_("risk.error.too_many"), limit=MAX_ITEMS)
        incident = data.get("incident_date")
        if incident is not None:
            try:
                incident = date.fromisoformat(incident)
            except (TypeError, ValueError) as exc:
                raise RiskError(N_("risk.error.file")) from exc
        register = cls(
            items=[RiskItem.from_dict(raw) for raw in raw_items],
            threshold_level=data.get("threshold_level", DEFAULT_THRESHOLD),
            title=data.get("title") or "",
            mandate_engaged=data.get("mandate_engaged") or "",
            incident_date=incident,
            plan_note=data.get("plan_note") or "",
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

CONCLUSIONS = ("empty", "acceptable", "proceed_with_mitigations", "do_no_harm")
CONCLUSION_KEYS = {
    "empty": N_("risk.conclusion.empty"),
    "acceptable": N_("risk.conclusion.acceptable"),
    "proceed_with_mitigations": N_("risk.conclusion.proceed_with_mitigations"),
    "do_no_harm": N_("risk.conclusion.do_no_harm"),
}
CORE_STEPS = ("informed_consent", "consult_affected", "reprisal_plan")
"""Steps the guide asks for before any submission (ch. IV tip; consent: ch. IV and ch. III)."""


@dataclass(frozen=True)
class Conclusion:
    """What the register says about going ahead.

    ``kind``: ``empty`` (no risk listed yet), ``acceptable`` (every item within the
    threshold as it stands), ``proceed_with_mitigations`` (within the threshold only
    after the chosen mitigations), ``do_no_harm`` (some item stays above it:
    reconsider, change the plan or do not submit). Item numbers are 1-based.
    """

    kind: str
    message_key: str
    items_above: tuple[int, ...] = ()
    items_mitigated: tuple[int, ...] = ()
    items_unassessed: tuple[int, ...] = ()
    missing_steps: tuple[str, ...] = ()
    citation: str = CITE_SAFE


def conclusion(register: RiskRegister) -> Conclusion:
    threshold = register.threshold_level
    if threshold not in THRESHOLDS:
        raise RiskError(N_("risk.error.threshold"), value=safe_text.preview(threshold, 20))
    items = register.items
    if not items:
        return Conclusion("empty", CONCLUSION_KEYS["empty"], missing_steps=CORE_STEPS)
    used = {m for item in items for m in item.mitigations}
    missing = tuple(step for step in CORE_STEPS if step not in used)
    above = tuple(n for n, item in enumerate(items, 1) if not within(item.effective_level, threshold))
    mitigated = tuple(
        n for n, item in enumerate(items, 1)
        if not within(item.level, threshold) and within(item.effective_level, threshold)
    )
    unassessed = tuple(
        n for n, item in enumerate(items, 1)
        if n in above and item.mitigations and not item.assessed_after_mitigation
    )
    if above:
        kind = "do_no_harm"
    elif mitigated:
        kind = "proceed_with_mitigations"
    else:
        kind = "acceptable"
    return Conclusion(kind, CONCLUSION_KEYS[kind], above, mitigated, unassessed, missing)


def matrix_counts(items: Iterable[RiskItem], residual: bool = False) -> dict[tuple[int, int], list[int]]:
    """``{(likelihood, impact): [item numbers]}`` for plotting (1-based numbers)."""
    cells: dict[tuple[int, int], list[int]] = {}
    for n, item in enumerate(items, 1):
        if residual:
            if not item.assessed_after_mitigation:
                continue
            key = (item.residual_likelihood, item.residual_impact)
        else:
            key = (item.likelihood, item.impact)
        cells.setdefault(key, []).append(n)
    return cells
