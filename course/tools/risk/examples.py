"""The fictional cases module 4 works through, as plans the tool can load.

``"nadia"``: the worked example (a clinic documents a detained patient's case; the
group submits, with measures that each act on what they claim to lower).
``"aruna"``: a village group facing a company's guards who have already beaten one of
them; the right answer is *not* to submit now, but to build capacities first.

Everyone in them is fictional. Typed text (context, actors, notes) comes from the
catalogue in the reader's language, so both languages show the same case.

Figures (risk = threat x vulnerability / capacity, :mod:`course.tools.risk.protection`):

====  =========================  ==============  ===============  ===========================
case  threat                     before          after measures   what acts
====  =========================  ==============  ===============  ===========================
nadia R1 violence in custody     4x5/2 = 10      4x5/3 = 6.7      legal support, reprisal plan
                                 critical        high             (capacity); consent: nothing
nadia R2 surveillance of family  4x3/3 = 4       4x2/3 = 2.7      marked confidential (vuln.)
nadia R3 arrest of clinic staff  3x3/2 = 4.5     3x2/2 = 3        partner NGO, confidentiality
nadia R4 scrutiny of the clinic  3x3/3 = 3       3x2/3 = 2        partner NGO, confidentiality
nadia R5 surveillance of Nadia   4x3/3 = 4       4x1/3 = 1.3      encrypted channels
aruna R1 violence by the guards  5x4/2 = 10      5x3/3 = 5        confidentiality, alert network
                                 critical        high
aruna R2 arrest on false charge  4x4/2 = 8       4x3/2 = 6        partner NGO
====  =========================  ==============  ===============  ===========================

Nadia's group agreed, with Omar (through his lawyer) and Lea, to accept a ``high`` risk:
he is already in danger in custody and they judge silence the greater danger.
Aruna's group agreed ``medium``: nothing is urgent enough to accept more, so the
plan says not now.
"""
from __future__ import annotations

from datetime import date

from ...i18n import N_, t
from . import protection, rules
from .incidents import Incident
from .rules import AtRisk, RiskItem, RiskRegister
from .security_plan import DIGITAL_IDS, PROTOCOL_IDS, EmergencyContact, SecurityPlan

EXAMPLES = ("nadia", "aruna")


def _nadia(lang: str) -> RiskRegister:
    return RiskRegister(
        title=t("risk.example.nadia.title", lang),
        threshold_level="high",
        context=t("risk.example.nadia.context", lang),
        allies=t("risk.example.nadia.allies", lang),
        groups=[
            AtRisk("victims", ["health", "location"], ["legal_support"], vulnerability=5, capacity=2),
            AtRisk("families", ["exposed_identity", "location"], ["network"], vulnerability=3, capacity=3),
            AtRisk("colleagues", ["exposed_identity", "location"], [], vulnerability=3, capacity=2),
            AtRisk("organisation", ["legal_status"], ["network"], vulnerability=3, capacity=3),
            AtRisk("submitter", ["insecure_devices"], ["international_contacts", "training"], vulnerability=3,
                   capacity=3),
        ],
        items=[
            RiskItem("victims", "physical_violence", 3, 5, ["informed_consent", "reprisal_plan", "legal_support"],
                     2, 5, actor=t("risk.example.nadia.actor_police", lang), actor_kind="state_security",
                     intent=2, capability=3, after_capacity=3),
            RiskItem("families", "surveillance", 4, 3, ["informed_consent", "mark_confidential"], 2, 3,
                     actor=t("risk.example.nadia.actor_police", lang), actor_kind="state_security",
                     intent=2, capability=3, after_vulnerability=2),
            RiskItem("colleagues", "arbitrary_arrest", 2, 5, ["consult_affected", "partner_ngo",
                                                              "confidential_identity"], 1, 5,
                     actor=t("risk.example.nadia.actor_police", lang), actor_kind="state_security",
                     intent=1, capability=3, after_vulnerability=2),
            RiskItem("organisation", "unfair_scrutiny", 3, 3, ["partner_ngo", "confidential_identity"], 2, 3,
                     actor=t("risk.example.nadia.actor_officials", lang), actor_kind="state_officials",
                     intent=2, capability=2, after_vulnerability=2),
            RiskItem("submitter", "surveillance", 4, 3, ["encrypted_channels", "partner_ngo"], 2, 3,
                     actor=t("risk.example.nadia.actor_police", lang), actor_kind="state_security",
                     intent=2, capability=3, after_vulnerability=1),
        ],
        security=SecurityPlan(
            protocols=["arrest", "seized_phone", "threatening_message"],
            responsible={"arrest": t("risk.example.nadia.arrest_roles", lang)},
            checkin_schedule="daily", checkin_with=t("risk.example.nadia.checkin_with", lang),
            checkin_missed=t("risk.example.nadia.checkin_missed", lang),
            digital_done=["device_encryption", "e2e_messaging", "names_apart"],
        ),
    )


def _aruna(lang: str) -> RiskRegister:
    return RiskRegister(
        title=t("risk.example.aruna.title", lang),
        threshold_level="medium",
        context=t("risk.example.aruna.context", lang),
        allies=t("risk.example.aruna.allies", lang),
        groups=[
            AtRisk("colleagues", ["location", "isolation", "dependants"], [], vulnerability=4, capacity=2),
        ],
        incidents=[Incident(date(2025, 3, 2), t("risk.example.aruna.incident", lang),
                            t("risk.example.aruna.incident_who", lang), t("risk.example.aruna.incident_where", lang),
                            form="physical_violence", target="colleagues", reported=False)],
        items=[
            RiskItem("colleagues", "physical_violence", 4, 5, ["informed_consent", "confidential_identity",
                                                                "alert_network"],
                     actor=t("risk.example.aruna.actor_guards", lang), actor_kind="company",
                     intent=3, capability=3, after_vulnerability=3, after_capacity=3),
            RiskItem("colleagues", "arbitrary_arrest", 3, 4, ["partner_ngo"],
                     actor=t("risk.example.aruna.actor_police", lang), actor_kind="state_security",
                     intent=2, capability=3, after_vulnerability=3),
        ],
        security=SecurityPlan(contacts=[EmergencyContact(t("risk.example.aruna.contact", lang), "", "")]),
    )


def example(name: str, lang: str) -> RiskRegister:
    """The fictional plan ``name`` (one of :data:`EXAMPLES`) in ``lang``; raises ``KeyError`` otherwise."""
    builders = {"nadia": _nadia, "aruna": _aruna}
    register = builders[name](lang)
    # Lists in the tool's own order, so a plan loaded into the tool reads back identical.
    for item in register.items:
        item.mitigations = [m for m in rules.MITIGATION_IDS if m in item.mitigations]
    for group in register.groups:
        group.vulnerabilities = [v for v in protection.VULNERABILITIES if v in group.vulnerabilities]
        group.capacities = [c for c in protection.CAPACITIES if c in group.capacities]
    plan = register.security
    plan.protocols = [p for p in PROTOCOL_IDS if p in plan.protocols]
    plan.digital_done = [d for d in DIGITAL_IDS if d in plan.digital_done]
    return register.validate()


EXAMPLE_KEYS = (
    N_("risk.example.nadia.title"), N_("risk.example.aruna.title"),
)


def summary_rows(register: RiskRegister) -> list[tuple[str, str, str, str, str]]:
    """``(number, before value, before level, after value, after level)`` per threat (for tests and tables).

    Raises ``ValueError`` when a threat is not fully rated (no analysis yet), as the examples always are.
    """
    from .protection import format_value

    rows = []
    for n, item in enumerate(register.items, 1):
        result = register.analysis(item)
        if result is None:
            raise ValueError(f"R{n} is not fully rated: threat, vulnerability and capacity are needed")
        rows.append((f"R{n}", format_value(result.value), result.level, format_value(result.after_value),
                     result.after_level))
    return rows


def decision(name: str) -> str:
    """The conclusion kind of an example (``proceed_with_mitigations`` or ``above_threshold``)."""
    return rules.conclusion(example(name, "en")).kind
