"""Which kind of communication fits a situation, and what else can run alongside it.

Plain rules over plain data, no widgets. Everything here comes from the ISHR
Practical Guide (2025) and A/HRC/58/70; each rule carries its citation:

* three kinds of communication: urgent appeal, allegation letter, "other letter"
  (ch. III, communications 1); the experts decide the final label (tip, same section);
* the WGAD opinion procedure and the WGEID humanitarian procedure run in parallel
  with any communication (ch. I, 6), with a stricter rule on who may submit
  (ch. III, communications 2);
* joint communications and how to ask for them (ch. I, 1; ch. III, communications 3);
* communications may also go to companies and other non-State actors (ch. I, 1;
  A/HRC/58/70, para. 8);
* where and in which languages to send (ch. III, communications 3).

Text shown to people is never built here: every message is a key (``chooser.*``)
that the view translates with :func:`course.i18n.t`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from ...i18n import N_, normalise_lang, t
from ...sources import Citation, cited, guide, report
from ...terms import COMM_TYPES, SUBMISSION_LANGUAGES
from ...terms import MANDATE_ID as _SLUG

RESPONSIBLE = ("state", "company", "other_non_state", "unknown")

TYPE_NAME_KEYS = {
    "urgent_appeal": N_("chooser.type.urgent_appeal"),
    "allegation_letter": N_("chooser.type.allegation_letter"),
    "other_letter": N_("chooser.type.other_letter"),
}
TYPE_PURPOSE_KEYS = {
    "urgent_appeal": N_("chooser.purpose.urgent_appeal"),
    "allegation_letter": N_("chooser.purpose.allegation_letter"),
    "other_letter": N_("chooser.purpose.other_letter"),
}
RESPONSIBLE_KEYS = {
    "state": N_("chooser.responsible.state"),
    "company": N_("chooser.responsible.company"),
    "other_non_state": N_("chooser.responsible.other_non_state"),
    "unknown": N_("chooser.responsible.unknown"),
}

# Issues the chooser asks about, in the order it shows them, with their labels.
ISSUE_KEYS = {
    "defenders": N_("chooser.issue.defenders"),
    "detention": N_("chooser.issue.detention"),
    "disappearance": N_("chooser.issue.disappearance"),
    "expression": N_("chooser.issue.expression"),
    "assembly_association": N_("chooser.issue.assembly_association"),
    "torture": N_("chooser.issue.torture"),
    "women": N_("chooser.issue.women"),
    "indigenous": N_("chooser.issue.indigenous"),
    "environment": N_("chooser.issue.environment"),
    "lgbti": N_("chooser.issue.lgbti"),
    "religion": N_("chooser.issue.religion"),
    "housing": N_("chooser.issue.housing"),
    "business": N_("chooser.issue.business"),
    "counter_terrorism": N_("chooser.issue.counter_terrorism"),
    "privacy": N_("chooser.issue.privacy"),
    "judges_lawyers": N_("chooser.issue.judges_lawyers"),
    "killings": N_("chooser.issue.killings"),
}
ISSUES = tuple(ISSUE_KEYS)

ISSUE_MANDATES: dict[str, tuple[str, ...]] = {
    "defenders": ("human-rights-defenders",),
    "detention": ("arbitrary-detention",),
    "disappearance": ("enforced-disappearances",),
    "expression": ("freedom-of-expression",),
    "assembly_association": ("peaceful-assembly-association",),
    "torture": ("torture",),
    "women": ("violence-against-women", "discrimination-against-women"),
    "indigenous": ("indigenous-peoples",),
    "environment": ("environment",),
    "lgbti": ("sexual-orientation-gender-identity",),
    "religion": ("freedom-of-religion",),
    "housing": ("adequate-housing",),
    "business": ("business-and-human-rights",),
    "counter_terrorism": ("counter-terrorism",),
    "privacy": ("privacy",),
    "judges_lawyers": ("independence-of-judges-lawyers",),
    "killings": ("extrajudicial-executions",),
}
"""Thematic mandates (``mandate_id`` in data/mandates.csv) a joint communication on
each issue could involve. Joint action across mandates: ISHR Practical Guide (2025), ch. I, 1."""


ONLINE_FORM_URL = "https://spsubmission.ohchr.org/"
"""The online submission form (ISHR Practical Guide (2025), ch. III, 3, note 16).
Shown as a link the user may click; the course never fetches it."""



def cite_text(cites: Iterable[Citation], lang: str) -> str:
    """Sources in brackets, as each language writes them: " (a; b)" or "（a；b）"; "" for none."""
    return cited(cites, lang)


@dataclass(frozen=True)
class Note:
    """One message for the reader (a key, values to fill in) and its sources."""

    key: str
    cites: tuple[Citation, ...] = ()
    values: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **dict(self.values))


@dataclass
class Situation:
    """The answers to the chooser's questions. ``None`` means "not answered / not sure"."""

    ongoing_or_imminent: bool | None = None
    already_happened: bool | None = None
    about_law_or_policy: bool | None = None
    law_is_draft: bool | None = None
    legal_vote_imminent: bool | None = None
    detained: bool | None = None
    disappeared: bool | None = None
    responsible: str = "unknown"
    issues: set[str] = field(default_factory=set)

    def answered(self) -> bool:
        """True when at least one question about what happened has a yes or no."""
        return any(
            value is not None
            for value in (self.ongoing_or_imminent, self.already_happened, self.about_law_or_policy,
                          self.detained, self.disappeared)
        )


def _tri(value: object) -> bool | None:
    """Read a yes / no / unsure answer; anything unexpected counts as unsure."""
    if value is True or value is False or value is None:
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"yes", "true", "y", "1", "是"}:
            return True
        if lowered in {"no", "false", "n", "0", "否"}:
            return False
    return None


def situation_from_answers(answers: Mapping[str, object]) -> Situation:
    """Build a :class:`Situation` from loose answers; invalid values become "not sure"."""
    answers = answers or {}
    responsible = answers.get("responsible")
    given = answers.get("issues") or ()
    # One issue may come as a bare string; anything else that is not a collection counts as none.
    issues: Iterable[object] = [given] if isinstance(given, str) else given if isinstance(given, Iterable) else ()
    return Situation(
        ongoing_or_imminent=_tri(answers.get("ongoing_or_imminent")),
        already_happened=_tri(answers.get("already_happened")),
        about_law_or_policy=_tri(answers.get("about_law_or_policy")),
        law_is_draft=_tri(answers.get("law_is_draft")),
        legal_vote_imminent=_tri(answers.get("legal_vote_imminent")),
        detained=_tri(answers.get("detained")),
        disappeared=_tri(answers.get("disappeared")),
        responsible=responsible if responsible in RESPONSIBLE else "unknown",
        issues={issue for issue in issues if isinstance(issue, str) and issue in ISSUE_KEYS},
    )


@dataclass(frozen=True)
class ParallelRoute:
    """A procedure that can run at the same time as a communication (ch. I, 6)."""

    route_id: str  # "wgad_opinion" | "wgeid_humanitarian"
    name_key: str
    what_key: str
    who_may_submit_key: str
    session_months: tuple[int, ...]
    session_months_text_key: str
    extra: tuple[Note, ...]
    cites: tuple[Citation, ...]


@dataclass(frozen=True)
class WhereToSend:
    online_form: str
    languages: tuple[str, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Recommendation:
    comm_type: str | None
    reasons: tuple[Note, ...]
    also_consider: tuple[str, ...]
    tip_experts_decide: Note
    parallel_routes: tuple[ParallelRoute, ...]
    suggested_mandates: tuple[str, ...]
    joint_action_advice: tuple[Note, ...]
    addressee_notes: tuple[Note, ...]
    where_to_send: WhereToSend
    legal_draft: bool
    example: Note | None

    @property
    def complete(self) -> bool:
        return self.comm_type is not None


C_TYPES = guide("III", "1")
C_WHO = guide("III", "2")
C_WHERE = guide("III", "3")
C_AFTER = guide("III", "4")
C_WHAT = guide("I", "1")
C_WG = guide("I", "6")

GUIDE_EXAMPLES = {
    "urgent_appeal": Note(N_("chooser.example.urgent_appeal"), (C_TYPES,)),
    "allegation_letter": Note(N_("chooser.example.allegation_letter"), (C_TYPES,)),
    "other_letter": Note(N_("chooser.example.other_letter"), (C_TYPES,)),
}
"""The guide's own example of each type (public cases, named as the guide names them)."""

WGAD = ParallelRoute(
    route_id="wgad_opinion",
    name_key=N_("chooser.route.wgad.name"),
    what_key=N_("chooser.route.wgad.what"),
    who_may_submit_key=N_("chooser.route.who_may_submit"),
    session_months=(3, 4, 8, 9, 11),
    session_months_text_key=N_("chooser.route.wgad.sessions"),
    extra=(Note(N_("chooser.route.wgad.reply"), (C_WG,)),),
    cites=(C_WG, C_WHO),
)
WGEID = ParallelRoute(
    route_id="wgeid_humanitarian",
    name_key=N_("chooser.route.wgeid.name"),
    what_key=N_("chooser.route.wgeid.what"),
    who_may_submit_key=N_("chooser.route.who_may_submit"),
    session_months=(2, 5, 9),
    session_months_text_key=N_("chooser.route.wgeid.sessions"),
    extra=(Note(N_("chooser.route.wgeid.confidential"), (C_WG,)),
           Note(N_("chooser.route.wgeid.may_be_detained"), (C_WG,))),
    cites=(C_WG, C_WHO),
)

WHERE_TO_SEND = WhereToSend(
    online_form=ONLINE_FORM_URL,
    languages=SUBMISSION_LANGUAGES,
    notes=(
        Note(N_("chooser.send.form_or_email"), (C_WHERE,)),
        Note(N_("chooser.send.languages"), (C_WHERE,)),
        Note(N_("chooser.send.first_hand"), (C_WHERE,)),
        Note(N_("chooser.send.consent"), (C_AFTER, guide("IV"))),
        Note(N_("chooser.send.safety"), (guide("IV"),)),
    ),
)


def people_at_risk_now(situation: Situation) -> bool:
    """Someone is being harmed now or is about to be, or is missing, or is still held."""
    return bool(
        situation.ongoing_or_imminent
        or situation.disappeared
        or (situation.detained and situation.ongoing_or_imminent is not False)
    )


def recommend(situation: Situation) -> Recommendation:
    """The kind of communication that fits, why, and what else can help.

    Order of the rules (ISHR Practical Guide (2025), ch. III, 1): urgent appeals stop
    violations under way or about to happen; allegation letters deal with violations
    that have already happened; "other letters" raise concerns about laws, bills,
    policies or practices. A disappearance, or a detention that goes on, is a risk
    under way. The experts decide the final label (tip, same section).
    """
    if not isinstance(situation, Situation):
        raise TypeError(f"expected a Situation, got {type(situation).__name__}")
    reasons: list[Note] = []
    also: list[str] = []
    about_law = bool(situation.about_law_or_policy)
    comm_type: str | None

    if people_at_risk_now(situation):
        comm_type = "urgent_appeal"
        if situation.disappeared:
            reasons.append(Note(N_("chooser.reason.disappeared"), (C_TYPES, C_WG)))
        if situation.detained and situation.ongoing_or_imminent is not False:
            reasons.append(Note(N_("chooser.reason.detained"), (C_TYPES,)))
        if situation.ongoing_or_imminent:
            reasons.append(Note(N_("chooser.reason.ongoing"), (C_TYPES,)))
        if situation.already_happened:
            reasons.append(Note(N_("chooser.reason.past_too"), (C_TYPES,)))
        if about_law:
            also.append("other_letter")
            reasons.append(Note(N_("chooser.reason.law_also"), (C_TYPES,)))
    elif situation.already_happened or situation.detained:
        comm_type = "allegation_letter"
        reasons.append(Note(N_("chooser.reason.already_happened"), (C_TYPES,)))
        if situation.detained:
            reasons.append(Note(N_("chooser.reason.detained_not_ongoing"), (C_TYPES,)))
        if about_law:
            also.append("other_letter")
            reasons.append(Note(N_("chooser.reason.law_also"), (C_TYPES,)))
    elif about_law:
        comm_type = "other_letter"
        reasons.append(Note(
            N_("chooser.reason.law_draft") if situation.law_is_draft else N_("chooser.reason.law_existing"),
            (C_TYPES,),
        ))
    else:
        comm_type = None
        reasons.append(Note(N_("chooser.reason.not_enough"), ()))

    legal_draft = bool(comm_type == "other_letter" and situation.law_is_draft)
    if comm_type == "other_letter" and situation.law_is_draft and situation.legal_vote_imminent:
        reasons.append(Note(N_("chooser.reason.vote_imminent"), (C_WHERE, C_AFTER)))

    routes: list[ParallelRoute] = []
    if situation.detained:
        routes.append(WGAD)
    if situation.disappeared:
        routes.append(WGEID)

    mandates = suggested_mandate_ids(situation)
    joint = [Note(N_("chooser.joint.how"), (C_WHERE,))]
    if len(mandates) > 1:
        joint.insert(0, Note(N_("chooser.joint.common"), (C_WHAT,)))
    joint.append(Note(N_("chooser.joint.not_wanted"), (C_WHERE,)))

    return Recommendation(
        comm_type=comm_type,
        reasons=tuple(reasons),
        also_consider=tuple(also),
        tip_experts_decide=Note(N_("chooser.tip.experts_decide"), (C_TYPES,)),
        parallel_routes=tuple(routes),
        suggested_mandates=tuple(mandates),
        joint_action_advice=tuple(joint),
        addressee_notes=tuple(addressee_notes(situation)),
        where_to_send=WHERE_TO_SEND,
        legal_draft=legal_draft,
        example=GUIDE_EXAMPLES.get(comm_type) if comm_type else None,
    )


def addressee_notes(situation: Situation) -> list[Note]:
    """Who the communication may be addressed to, given who is responsible."""
    notes: list[Note] = []
    if situation.responsible in ("company", "other_non_state"):
        notes.append(Note(N_("chooser.addressee.non_state"), (C_WHAT, report(8))))
        if situation.responsible == "company":
            notes.append(Note(N_("chooser.addressee.company"), (report(12),)))
        if situation.disappeared:
            notes.append(Note(N_("chooser.addressee.wgeid_non_state"), (report(10),)))
    elif situation.responsible == "state":
        notes.append(Note(N_("chooser.addressee.state"), (C_WHAT,)))
    else:
        notes.append(Note(N_("chooser.addressee.unknown"), (C_WHAT, guide("III", "3"))))
    return notes


def suggested_mandate_ids(situation: Situation) -> list[str]:
    """Mandate ids (data/mandates.csv) for the issues chosen, in a stable order, no repeats."""
    issues = set(situation.issues)
    if situation.detained:
        issues.add("detention")
    if situation.disappeared:
        issues.add("disappearance")
    if situation.responsible == "company":
        issues.add("business")
    ids: list[str] = []
    for issue in ISSUES:  # fixed order, whatever order the answers came in
        if issue in issues:
            for mandate_id in ISSUE_MANDATES[issue]:
                if mandate_id not in ids:
                    ids.append(mandate_id)
    return ids


def mandate_names(mandate_ids: Iterable[str], lang: str, table=None) -> dict[str, str]:
    """``{mandate_id: name}`` in ``lang`` from data/mandates.csv; an id it lacks maps to itself.

    ``table`` is the loaded DataFrame (for tests); by default ``course.data.load("mandates")``.
    A missing or unreadable table never breaks the chooser: ids are shown as they are.
    """
    lang = normalise_lang(lang)
    ids = list(mandate_ids)
    names = {mandate_id: mandate_id for mandate_id in ids}
    if table is None:
        table = load_mandates()
    if table is None:
        return names
    column = f"name_{normalise_lang(lang)}"
    if column not in getattr(table, "columns", ()):
        column = "name_en"  # a language the table has no names for reads the English ones
    try:
        rows = table.set_index("mandate_id")
        for mandate_id in ids:
            if mandate_id in rows.index:
                value = rows.at[mandate_id, column]
                if isinstance(value, str) and value.strip():
                    names[mandate_id] = value.strip()
    except (KeyError, AttributeError, ValueError, TypeError):
        return names
    return names


def load_mandates():
    """The mandates table, or None when the course data cannot be read."""
    try:
        from ... import data
        return data.load("mandates")
    except Exception:  # noqa: BLE001 - missing data must not break the tool
        return None


def handoff_query(comm_type: str, mandate_ids: list[str]) -> str:
    """``"type=<id>&mandates=<id1>,<id2>"`` for the drafting form. Ids only, never personal data.

    Raises ValueError for an unknown type; mandate ids that are not plain slugs are dropped.
    """
    if comm_type not in COMM_TYPES:
        raise ValueError(f"comm_type must be one of {COMM_TYPES}, got {comm_type!r}")
    clean_ids: list[str] = []
    for mandate_id in mandate_ids or ():
        if isinstance(mandate_id, str) and _SLUG.match(mandate_id) and mandate_id not in clean_ids:
            clean_ids.append(mandate_id)
    query = "type=" + quote(comm_type, safe="")
    if clean_ids:
        query += "&mandates=" + ",".join(quote(m, safe="") for m in clean_ids)
    return query
