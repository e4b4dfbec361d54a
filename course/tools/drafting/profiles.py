"""Profiles of a submission: which receiver it is shaped for, in which order, with which checks.

Plain Python, no widgets. A :class:`~course.tools.drafting.rules.Submission` carries a
``profile`` (one of :data:`~course.tools.drafting.rules.PROFILES`); this module says, per profile:

* :data:`SECTIONS` and :data:`PROFILE_ORDER`: the sections of the exported document, in the
  receiver's order (each profile's order cites the form it follows);
* :data:`PROFILE_RULES`: the profile's own checks, each returning
  :class:`~course.tools.drafting.rules.Finding` objects (message keys, translated at the edge);
* :func:`suggest_profile`: what the chooser's handoff selects or offers;
* :func:`subject_line` and :func:`missing`: the cover of an export.

Which source asks for which field (R = required by that source, o = asked for, optional here;
"course" = our addition, optional). Sources: guide = ISHR Practical Guide (2025); OHCHR min. =
OHCHR's minimum information for a communication; WGEID = the WGEID reporting form and methods of
work (A/HRC/WGEID/102/2); WGAD = the model questionnaire annexed to E/CN.4/1992/20 (also in OHCHR
Fact Sheet No. 26) and the methods of work (A/HRC/36/38); HRD = the Special Rapporteur on human
rights defenders' submission template.

=================================  ===============================  ========================  =================
field                              general                          WGEID / WGAD              source
=================================  ===============================  ========================  =================
sender name/organisation, contact  R (guide ch. III, 3, q1;         R / R                     guide; OHCHR min.;
                                   OHCHR min.)                                                WGEID; WGAD part VI
sender.relationship                o                                R / R                     guide ch. III, 2
addressee.state                    warning if blank                 R / R (law: R)            guide ch. III, 1; forms
addressee.non_state                o                                o                         A/HRC/58/70, para. 10
victims.*.name                     R (guide q3; OHCHR min.)         R (one person, WGEID)     guide; WGEID; WGAD I
victims.*.age/gender/origin        o (guide q3)                     o                         guide ch. III, 3
victims.*.nationality, occupation  o                                o                         WGEID form; WGAD I
victims.*.hrd_activity, organisa.  o                                o                         HRD template
victims.*.public_naming            o (unsure which form requires    o                         OHCHR online form
                                   it: left optional)
consent.*                          R (guide ch. IV; q4)             R                         guide
facts.what, date, place            R / warning (guide q5;           o (the profile's own       guide; OHCHR min.
                                   OHCHR min.)                      dates below are R)
situation.current                  o                                o                         OHCHR online form
perpetrators.*                     warning (guide q6)               o                         guide; OHCHR min.
action.domestic/international      warning (guide q8)               WGAD: domestic R          guide; WGAD part V
action.results                     o                                o                         WGAD part V
evidence.attachments               o                                o                         guide ch. III, 3
disappearance.date (month+year),   -                                WGEID: R                  WGEID form
place, forces
disappearance.search_steps or      -                                WGEID: R (one of them)    WGEID form
search_impossible
disappearance.family_consent,      -                                WGEID: R                  WGEID form
family_contact
detention.arrest_* , warrant_shown -                                WGAD: R                   WGAD part II
detention.warrant_authority        -                                WGAD: warning if shown    WGAD part II
detention.detained_since, place,   -                                WGAD: R                   WGAD part III
ordered_by, legal_basis
detention.categories, why_arbitr.  -                                WGAD: R                   A/HRC/36/38, para. 8;
                                                                                              WGAD part IV
law.text, stage, provisions,       -                                law: R                    guide ch. III, 1
standards
law.adoption_date                  -                                law: warning for drafts   guide ch. III, 3 (q2)
=================================  ===============================  ========================  =================

Where the seeds are silent and the rule rests on an official form, the form is cited;
the three-month threshold of the WGEID's urgent action procedure is from its methods of
work (the guide gives no figure; A/HRC/58/70, para. 10 reports that 809 of 1,198 new cases
in 2024 went through that procedure).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ... import safe_text
from ...i18n import N_, t
from ...terms import COMM_TYPE_CODES
from .rules import (
    CITE_NINE,
    CITE_TYPES,
    CITE_WGAD_CATEGORIES,
    CITE_WGAD_FORM,
    CITE_WGEID_FORM,
    CITE_WHO,
    COMM_TYPE_KEYS,
    FIELDS,
    CheckContext,
    DateProblem,
    FieldName,
    Finding,
    Submission,
    _filled,
    _finding,
    _has,
    findings,
    get_value,
    parse_date,
)

VICTIMS = "@victims"
"""Stands for the alleged victims' rows in a section's field list."""

CITE_WGEID_URGENT = "WGEID methods of work (A/HRC/WGEID/102/2): urgent action procedure; A/HRC/58/70, para. 10"
WGEID_URGENT_DAYS = 92
"""The WGEID treats a disappearance reported within three months as urgent (its methods of work);
three months counted generously as 92 days."""
CITE_SUBJECT = "ISHR Practical Guide (2025), ch. III, 3 and 4"
"""The guide asks senders to say plainly whether a case is urgent and why, to send it to every
relevant mandate and to say whether joint action is wanted (ch. III, 3, tip; ch. III, 4, tip).
It gives no subject-line format: the line built here is the course's suggestion."""


@dataclass(frozen=True)
class Section:
    """One section of an exported document: a title key and the field paths it shows, in order."""
    id: str
    title_key: str
    paths: tuple[str, ...]


SECTIONS: dict[str, Section] = {s.id: s for s in (
    # general: the guide's nine questions, with the new fields under the question they belong to
    Section("sender", N_("submission.q1"), ("sender.name", "sender.organisation", "sender.contact",
                                            "sender.relationship")),
    Section("urgency", N_("submission.q2"), ("urgency.is_urgent", "urgency.why", "urgency.window_date",
                                             "urgency.window")),
    Section("victims", N_("submission.q3"), (VICTIMS,)),
    Section("consent", N_("submission.q4"), ("consent.given_by", "consent.in_writing",
                                             "consent.names_to_government", "consent.may_publish",
                                             "consent.notes")),
    Section("facts", N_("submission.q5"), ("facts.what", "facts.date_from", "facts.date_to", "facts.places",
                                           "situation.current", "facts.laws", "facts.translations")),
    Section("perpetrators", N_("submission.q6"), ("perpetrators.names", "perpetrators.roles",
                                                  "perpetrators.motives", "addressee.state",
                                                  "addressee.non_state")),
    Section("context", N_("submission.q7"), ("context.background", "context.legal_framework")),
    Section("action", N_("submission.q8"), ("action.domestic", "action.international", "action.results")),
    Section("requests", N_("submission.q9"), ("requests.actions", "requests.questions", "requests.press_release",
                                              "requests.press_release_why")),
    Section("evidence", N_("submission.section.evidence"), ("evidence.attachments",)),
    # shared by the working-group and law profiles
    Section("state", N_("submission.section.state"), ("addressee.state", "addressee.non_state")),
    Section("urgency_short", N_("submission.section.urgency"), ("urgency.is_urgent", "urgency.why",
                                                                "urgency.window_date", "urgency.window")),
    Section("consent_short", N_("submission.section.consent"), ("consent.given_by", "consent.in_writing",
                                                                "consent.names_to_government",
                                                                "consent.may_publish", "consent.notes")),
    Section("requests_short", N_("submission.section.requests"), ("requests.actions", "requests.questions",
                                                                  "requests.press_release",
                                                                  "requests.press_release_why")),
    Section("sender_short", N_("submission.section.sender"), ("sender.name", "sender.organisation",
                                                              "sender.contact", "sender.relationship")),
    # WGEID form
    Section("wgeid_person", N_("submission.section.wgeid_person"), (VICTIMS,)),
    Section("wgeid_disappearance", N_("submission.section.wgeid_disappearance"), (
        "disappearance.date", "disappearance.place", "disappearance.forces", "perpetrators.names",
        "perpetrators.roles", "perpetrators.motives")),
    Section("wgeid_circumstances", N_("submission.section.circumstances"), (
        "facts.what", "facts.date_from", "facts.date_to", "facts.places", "situation.current",
        "context.background", "context.legal_framework", "facts.laws", "facts.translations")),
    Section("wgeid_search", N_("submission.section.wgeid_search"), (
        "disappearance.search_steps", "disappearance.search_impossible", "action.domestic",
        "action.international", "action.results")),
    Section("wgeid_sender", N_("submission.section.wgeid_sender"), (
        "sender.name", "sender.organisation", "sender.contact", "sender.relationship",
        "disappearance.family_consent", "disappearance.family_contact")),
    # WGAD model questionnaire, parts I-VI
    Section("wgad_identity", N_("submission.section.wgad_identity"), (VICTIMS,)),
    Section("wgad_arrest", N_("submission.section.wgad_arrest"), (
        "detention.arrest_date", "detention.arrest_place", "detention.arrest_forces", "detention.warrant_shown",
        "detention.warrant_authority", "perpetrators.names", "perpetrators.roles", "perpetrators.motives")),
    Section("wgad_detention", N_("submission.section.wgad_detention"), (
        "detention.detained_since", "detention.detention_place", "detention.ordered_by", "detention.legal_basis",
        "situation.current")),
    Section("wgad_arbitrary", N_("submission.section.wgad_arbitrary"), (
        "detention.categories", "detention.why_arbitrary", "facts.what", "facts.date_from", "facts.date_to",
        "facts.places", "context.background", "context.legal_framework", "facts.laws", "facts.translations")),
    Section("wgad_remedies", N_("submission.section.wgad_remedies"), (
        "action.domestic", "action.international", "action.results")),
    Section("wgad_sender", N_("submission.section.wgad_sender"), (
        "sender.name", "sender.organisation", "sender.contact", "sender.relationship")),
    # other letter on a law or policy
    Section("law_text", N_("submission.section.law"), (
        "law.text", "law.stage", "law.adoption_date", "law.provisions", "law.standards", "facts.laws",
        "facts.translations")),
    Section("law_affected", N_("submission.section.law_affected"), (VICTIMS,)),
    Section("law_context", N_("submission.section.law_context"), (
        "context.background", "context.legal_framework", "facts.what", "facts.date_from", "facts.date_to",
        "facts.places", "situation.current", "perpetrators.names", "perpetrators.roles", "perpetrators.motives")),
    Section("law_action", N_("submission.section.action"), ("action.domestic", "action.international",
                                                            "action.results")),
)}

PROFILE_ORDER: dict[str, tuple[str, ...]] = {
    # ISHR Practical Guide (2025), ch. III, 3 (the nine questions, most of them in OHCHR's online form),
    # then the attachments the guide asks for (question 5; first-hand documents).
    "general": ("sender", "urgency", "victims", "consent", "facts", "perpetrators", "context", "action",
                "requests", "evidence"),
    # The WGEID form: the State, the person, the disappearance (date, place, forces), the
    # circumstances, the search, who reports (with the family's consent and contact); then the
    # course's consent record, urgency, requests and attachments.
    "wgeid": ("state", "wgeid_person", "wgeid_disappearance", "wgeid_circumstances", "wgeid_search",
              "wgeid_sender", "consent_short", "urgency_short", "requests_short", "evidence"),
    # The WGAD model questionnaire (E/CN.4/1992/20, annex), parts I-VI in order; then the State,
    # consent, urgency, requests and attachments.
    "wgad": ("wgad_identity", "wgad_arrest", "wgad_detention", "wgad_arbitrary", "wgad_remedies",
             "wgad_sender", "state", "consent_short", "urgency_short", "requests_short", "evidence"),
    # An "other letter" (guide ch. III, 1): who writes, to which State, the law and its stage, who is
    # affected, the context, the window (adoption date), action taken, requests, the text attached.
    "law": ("sender_short", "state", "law_text", "law_affected", "law_context", "urgency_short", "law_action",
            "requests_short", "consent_short", "evidence"),
}
"""Each profile's section order in its exports (ids of :data:`SECTIONS`). Sources in the comments."""

PROFILE_SOURCES = {
    "general": CITE_NINE,
    "wgeid": CITE_WGEID_FORM,
    "wgad": CITE_WGAD_FORM,
    "law": CITE_TYPES,
}
RECEIVER_KEYS = {
    "general": N_("submission.receiver.general"),
    "wgeid": N_("submission.receiver.wgeid"),
    "wgad": N_("submission.receiver.wgad"),
    "law": N_("submission.receiver.law"),
}
OTHER_SECTION_KEY = N_("submission.section.other")
"""Filled fields the profile has no place for (typed under another profile): kept, never dropped."""


def sections_for(profile: str) -> list[Section]:
    """The sections of ``profile`` in export order; unknown profiles get the general order."""
    return [SECTIONS[sid] for sid in PROFILE_ORDER.get(profile, PROFILE_ORDER["general"])]


def placed_paths(profile: str) -> set[str]:
    return {path for section in sections_for(profile) for path in section.paths}


def unplaced_filled(sub: Submission) -> list[str]:
    """Paths of filled fields the draft's profile does not show (typed under another profile)."""
    placed = placed_paths(sub.profile)
    return [spec.path for spec in FIELDS if spec.path not in placed and _filled(get_value(sub, spec.path))]


# --------------------------------------------------------------------------- handoff
def suggest_profile(comm_type: str | None, mandate_ids: Iterable[str]) -> tuple[str, str | None]:
    """``(profile, offered)`` for the chooser's handoff.

    A disappearance (the chooser adds ``enforced-disappearances``) selects the WGEID profile; a
    detention (``arbitrary-detention``) keeps the general profile and *offers* the WGAD one, since
    an urgent appeal by several mandates may fit better than a WGAD case (guide ch. I, 6: the two
    procedures run alongside communications); an other letter selects the law profile.
    """
    ids = set(mandate_ids or ())
    if "enforced-disappearances" in ids:
        return "wgeid", None
    if comm_type == "other_letter":
        return "law", None
    if "arbitrary-detention" in ids:
        return "general", "wgad"
    return "general", None


# --------------------------------------------------------------------------- checks
def _required(path: str, code: str, section: str, citation: str) -> Finding:
    return _finding(code, section, "error", N_("submission.issue.required"), citation, path, field=FieldName(path))


def _read_dates(sub: Submission, ctx: CheckContext, paths: Iterable[str], section: str, citation: str,
                past_only: bool = True) -> tuple[dict[str, tuple[date, date]], list[Finding]]:
    periods: dict[str, tuple[date, date]] = {}
    found: list[Finding] = []
    for path in paths:
        try:
            period = parse_date(get_value(sub, path) or "")
        except DateProblem:
            found.append(_finding("date.invalid", section, "error", N_("submission.issue.date_invalid"), citation,
                                  path, field=FieldName(path)))
            continue
        if period:
            periods[path] = period
            if past_only and period[0] > ctx.today:
                found.append(_finding("date.future", section, "error", N_("submission.issue.date_future"), citation,
                                      path, field=FieldName(path)))
    return periods, found


def rule_general_state(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """General profile: name the State the communication would go to (warning; ch. III, 1)."""
    if not _has(sub, "addressee.state"):
        yield _finding("state.missing", "perpetrators", "warning", N_("submission.issue.state_missing"), CITE_TYPES,
                       "addressee.state")


def rule_wgeid(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """The WGEID's required elements (its form and methods of work) and who may report (ch. III, 2)."""
    if not _has(sub, "addressee.state"):
        yield _required("addressee.state", "wgeid.state", "state", CITE_WGEID_FORM)
    people = [v for v in sub.victims if _filled(v.name)]
    if len(people) > 1 or any(v.is_group for v in people):
        yield _finding("wgeid.one_person", "victims", "error", N_("submission.issue.wgeid_one_person"),
                       CITE_WGEID_FORM, "victims")
    periods, found = _read_dates(sub, ctx, ["disappearance.date"], "disappearance", CITE_WGEID_FORM)
    yield from found
    raw = safe_text.clean(sub.disappearance.date).strip()
    if not raw:
        yield _required("disappearance.date", "wgeid.date", "disappearance", CITE_WGEID_FORM)
    elif "disappearance.date" in periods:
        first, last = periods["disappearance.date"]
        if (last - first).days > 31:  # a year alone: the WGEID needs at least the month
            yield _finding("wgeid.month_year", "disappearance", "error", N_("submission.issue.month_year"),
                           CITE_WGEID_FORM, "disappearance.date", field=FieldName("disappearance.date"))
        elif first <= ctx.today and ctx.today - last <= timedelta(days=WGEID_URGENT_DAYS):
            yield _finding("wgeid.urgent", "urgency", "hint", N_("submission.issue.wgeid_urgent"),
                           CITE_WGEID_URGENT, "urgency.is_urgent")
    if not _has(sub, "disappearance.place"):
        yield _required("disappearance.place", "wgeid.place", "disappearance", CITE_WGEID_FORM)
    if not _has(sub, "disappearance.forces"):
        yield _required("disappearance.forces", "wgeid.forces", "disappearance", CITE_WGEID_FORM)
    if not (_has(sub, "disappearance.search_steps") or _has(sub, "disappearance.search_impossible")):
        yield _finding("wgeid.search", "action", "error", N_("submission.issue.wgeid_search"), CITE_WGEID_FORM,
                       "disappearance.search_steps")
    if not _has(sub, "sender.relationship"):
        yield _required("sender.relationship", "wgeid.relationship", "sender", CITE_WHO)
    consent = sub.disappearance.family_consent
    if consent is None:
        yield _required("disappearance.family_consent", "wgeid.family_consent", "consent", CITE_WGEID_FORM)
    elif consent is False:
        yield _finding("wgeid.no_family_consent", "consent", "error", N_("submission.issue.wgeid_no_family_consent"),
                       CITE_WGEID_FORM, "disappearance.family_consent")
    contact = sub.disappearance.family_contact
    if contact is None:
        yield _required("disappearance.family_contact", "wgeid.family_contact", "consent", CITE_WGEID_FORM)
    elif contact is False:
        yield _finding("wgeid.no_family_contact", "consent", "warning",
                       N_("submission.issue.wgeid_no_family_contact"), CITE_WGEID_FORM,
                       "disappearance.family_contact")


def rule_wgad(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """The WGAD model questionnaire's parts II-V and VI (who submits: ch. III, 2)."""
    if not _has(sub, "addressee.state"):
        yield _required("addressee.state", "wgad.state", "state", CITE_WGAD_FORM)
    periods, found = _read_dates(sub, ctx, ["detention.arrest_date", "detention.detained_since"], "detention",
                                 CITE_WGAD_FORM)
    yield from found
    for path, code in (("detention.arrest_date", "wgad.arrest_date"), ("detention.arrest_place", "wgad.arrest_place"),
                       ("detention.arrest_forces", "wgad.arrest_forces")):
        if not _has(sub, path):
            yield _required(path, code, "detention", CITE_WGAD_FORM)
    if sub.detention.warrant_shown is None:
        yield _required("detention.warrant_shown", "wgad.warrant_shown", "detention", CITE_WGAD_FORM)
    elif sub.detention.warrant_shown and not _has(sub, "detention.warrant_authority"):
        yield _finding("wgad.warrant_authority", "detention", "warning", N_("submission.issue.wgad_warrant_authority"),
                       CITE_WGAD_FORM, "detention.warrant_authority")
    for path, code in (("detention.detained_since", "wgad.detained_since"),
                       ("detention.detention_place", "wgad.detention_place"),
                       ("detention.ordered_by", "wgad.ordered_by"), ("detention.legal_basis", "wgad.legal_basis")):
        if not _has(sub, path):
            yield _required(path, code, "detention", CITE_WGAD_FORM)
    if ("detention.arrest_date" in periods and "detention.detained_since" in periods
            and periods["detention.detained_since"][1] < periods["detention.arrest_date"][0]):
        yield _finding("wgad.date_order", "detention", "error", N_("submission.issue.wgad_date_order"),
                       CITE_WGAD_FORM, "detention.detained_since")
    if not sub.detention.categories:
        yield _finding("wgad.categories", "detention", "error", N_("submission.issue.wgad_categories"),
                       CITE_WGAD_CATEGORIES, "detention.categories")
    if not _has(sub, "detention.why_arbitrary"):
        yield _required("detention.why_arbitrary", "wgad.why_arbitrary", "detention", CITE_WGAD_FORM)
    if not _has(sub, "action.domestic"):
        yield _required("action.domestic", "wgad.remedies", "action", CITE_WGAD_FORM)
    if not _has(sub, "sender.relationship"):
        yield _required("sender.relationship", "wgad.relationship", "sender", CITE_WHO)


def rule_law(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """An other letter on a law, bill or policy: which, where it stands, what is wrong with it (ch. III, 1)."""
    if not _has(sub, "addressee.state"):
        yield _required("addressee.state", "law.state", "state", CITE_TYPES)
    for path, code in (("law.text", "law.text"), ("law.stage", "law.stage"), ("law.provisions", "law.provisions"),
                       ("law.standards", "law.standards")):
        if not _has(sub, path):
            yield _required(path, code, "law", CITE_TYPES)
    _periods, found = _read_dates(sub, ctx, ["law.adoption_date"], "law", CITE_NINE, past_only=False)
    yield from found
    if sub.law.stage in ("draft", "before_parliament") and not _has(sub, "law.adoption_date"):
        yield _finding("law.adoption_date", "law", "warning", N_("submission.issue.law_adoption_date"), CITE_NINE,
                       "law.adoption_date")


PROFILE_RULES: dict[str, tuple[Callable[[Submission, CheckContext], Iterable[Finding]], ...]] = {
    "general": (rule_general_state,),
    "wgeid": (rule_wgeid,),
    "wgad": (rule_wgad,),
    "law": (rule_law,),
}
"""Each profile's own checks, run after the general rules (``rules.RULES``)."""


# --------------------------------------------------------------------------- cover
def missing(sub: Submission, lang: str, today: date | None = None) -> list[str]:
    """What is still missing or risky (errors, then warnings), translated into ``lang``."""
    found = findings(sub, today)
    ordered = [f for f in found if f.severity == "error"] + [f for f in found if f.severity == "warning"]
    return [f.text(lang) for f in ordered]


def subject_line(sub: Submission, lang: str, mandate_names: dict[str, str] | None = None,
                 today: date | None = None) -> str:
    """A suggested e-mail subject: urgent marker, type or receiver, mandate(s), country.

    Built from what the guide asks a sender to make plain (``CITE_SUBJECT``); no names of
    people, so that the subject line never exposes the alleged victim.
    """
    names = mandate_names or {}
    parts: list[str] = []
    urgent = bool(sub.urgency.is_urgent) or sub.comm_type == "urgent_appeal"
    if sub.profile == "wgeid":
        urgent = urgent or any(f.code == "wgeid.urgent" for f in findings(sub, today))
    if sub.profile in ("wgeid", "wgad") or sub.comm_type not in COMM_TYPE_CODES:
        kind = t(RECEIVER_KEYS[sub.profile if sub.profile in RECEIVER_KEYS else "general"], lang)
    else:
        kind = t(COMM_TYPE_KEYS[sub.comm_type], lang)
    parts.append(kind)
    mandates = [safe_text.clean(names.get(m, m)).strip() for m in sub.mandate_ids]
    if mandates and sub.profile not in ("wgeid", "wgad"):
        parts.append("; ".join(mandates))
    state = safe_text.clean(sub.addressee.state).strip()
    parts.append(state or t("submission.subject.country_missing", lang))
    line = " – ".join(p for p in parts if p)
    if urgent:
        line = t("submission.subject.urgent", lang, subject=line)
    return line
