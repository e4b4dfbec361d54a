"""A submission to the UN Special Procedures, drafted around the guide's nine questions.

Plain Python, no widgets: the drafting form (``course.tools.drafting.view``) collects
input into a :class:`Submission`, :func:`check` says what is missing or risky, and
``course.tools.drafting.exports`` turns it into Markdown, Word or JSON. Nothing here
sends anything anywhere.

Sources: the nine questions, the media-only warning and the working languages
come from ISHR Practical Guide (2025), ch. III, 3; concision from ch. III, 4;
consent and confidential parts from ch. IV.

Every value the user typed is kept as typed (``str``); validation reads it and
reports, it never rewrites or drops it.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from ... import safe_text
from ...dates import DateError, parse_period
from ...i18n import N_, UserError, language_name_in, t
from ...terms import COMM_TYPES, SUBMISSION_LANGUAGES
from ...terms import MANDATE_ID as _SLUG

SCHEMA_VERSION = 2
"""2 added the official-intake fields (issue 12); version-1 drafts load unchanged (new fields blank)."""
FORMAT = "sp-course.submission"

PROFILES = ("general", "wgeid", "wgad", "law")
"""Which receiver the draft is shaped for (issue 12): a general communication to the Special
Procedures (default); a report of a disappearance to the Working Group on Enforced or Involuntary
Disappearances; a detention case for the Working Group on Arbitrary Detention; an "other letter"
on a law, bill or policy. Their blocks, checks and section orders: ``course.tools.drafting.profiles``."""
PUBLIC_NAMING = ("full", "initials")
"""May the alleged victim be named in full in public reports, or only by initials?"""
LAW_STAGES = ("draft", "before_parliament", "adopted", "in_force")
"""Where a law, bill or policy stands (other letter profile)."""
WGAD_CATEGORIES = ("I", "II", "III", "IV", "V")
"""The Working Group on Arbitrary Detention's five categories of arbitrary detention
(WGAD methods of work, A/HRC/36/38, para. 8; the guide points to them, ch. I, 6, note 9)."""

SOURCE_TYPES = ("first_hand", "documents", "media")
CONSENT_GIVERS = ("victim", "family", "lawyer", "other", "none")
"""Who consented. The guide names the victim, the family or a lawyer (ch. III, 3, question 4);
"other" covers e.g. a legal guardian; "none" records that consent was NOT obtained."""

CITE_NINE = "ISHR Practical Guide (2025), ch. III, 3"
CITE_CONCISE = "ISHR Practical Guide (2025), ch. III, 4"
CITE_SAFETY = "ISHR Practical Guide (2025), ch. IV"
CITE_TYPES = "ISHR Practical Guide (2025), ch. III, 1"
CITE_WHO = "ISHR Practical Guide (2025), ch. III, 2"
CITE_WG = "ISHR Practical Guide (2025), ch. I, 6"
CITE_OHCHR_MIN = "OHCHR, Submission of information to the Special Procedures: minimum information required"
CITE_WGEID_FORM = "WGEID, form for submitting a case of enforced disappearance (A/HRC/WGEID/102/2, methods of work)"
CITE_WGAD_FORM = "WGAD, model questionnaire (E/CN.4/1992/20, annex; OHCHR Fact Sheet No. 26)"
CITE_WGAD_CATEGORIES = "WGAD methods of work (A/HRC/36/38), para. 8"
CITE_ONLINE_FORM = "OHCHR online submission questionnaire (spsubmission.ohchr.org; ISHR Practical Guide (2025), ch. III, 3, note 16)"
CITE_HRD_TEMPLATE = "Special Rapporteur on human rights defenders, submission template (OHCHR)"
CITE_NON_STATE = "A/HRC/58/70, para. 10"

MIN_LETTERS_FOR_LANGUAGE = 20
"""Texts with fewer letters are too short to judge their language reliably."""
LANGUAGE_SAMPLE = 2000
"""Only the first characters of a field are classified, so 1 MB of text stays fast."""
TOTAL_LENGTH_HINT = 12_000
"""Above this many characters in all free text, the check suggests cutting (our rule of thumb)."""

MAX_HANDOFF_MANDATES = 20


# --------------------------------------------------------------------------- model
@dataclass
class Sender:
    """Question 1: who sends the information, and how to reach them."""
    name: str = ""
    organisation: str = ""
    contact: str = ""
    relationship: str = ""
    """The sender's relationship to the alleged victim (required by the WGEID and the WGAD:
    ISHR Practical Guide (2025), ch. III, 2; offered otherwise)."""


@dataclass
class Urgency:
    """Question 2: is it urgent, why, and is there a window of opportunity (with a date)?"""
    is_urgent: bool | None = None
    why: str = ""
    window_date: str = ""
    window: str = ""


@dataclass
class AllegedVictim:
    """Question 3: one person, or a group described in ``name`` when ``is_group``.

    ``nationality``, ``occupation``: WGEID form and WGAD model questionnaire (part I);
    ``hrd_activity``, ``organisation``: the Special Rapporteur on human rights defenders'
    template; ``public_naming`` (``"full"``, ``"initials"`` or ``""``): whether public reports may
    name the person in full or only by initials (OHCHR online questionnaire; optional, and the
    experts decide in the end).
    """
    name: str = ""
    age: str = ""
    gender: str = ""
    origin_residence: str = ""
    is_group: bool = False
    nationality: str = ""
    occupation: str = ""
    hrd_activity: str = ""
    organisation: str = ""
    public_naming: str = ""


Victim = AllegedVictim
"""The name used before issue 12; kept so that existing code and notebooks still work."""


@dataclass
class Consent:
    """Question 4 and ch. IV: who consented, in writing or not, and what may be shared."""
    given_by: str = ""
    in_writing: bool | None = None
    names_to_government: bool | None = None
    may_publish: bool | None = None
    notes: str = ""


@dataclass
class Facts:
    """Question 5: what happened, when, where; laws or policies attached, translations."""
    what: str = ""
    date_from: str = ""
    date_to: str = ""
    places: str = ""
    laws: str = ""
    translations: bool | None = None


@dataclass
class AllegedPerpetrators:
    """Question 6: who is alleged to be responsible, in what role, and why they may have acted."""
    names: str = ""
    roles: str = ""
    motives: str = ""


Perpetrators = AllegedPerpetrators
"""The name used before issue 12."""


@dataclass
class Addressee:
    """The State the communication would be addressed to, and any company or other non-State actor
    also concerned (communications go to governments, guide ch. III, 1; non-State actors: A/HRC/58/70, para. 10)."""
    state: str = ""
    non_state: str = ""


@dataclass
class Situation:
    """Where the alleged victim is now: still detained, missing, threatened, in hiding... (OHCHR online questionnaire)."""
    current: str = ""


@dataclass
class Evidence:
    """Attachments and evidence, one per line (guide ch. III, 3: first-hand documents, laws attached)."""
    attachments: str = ""


@dataclass
class Disappearance:
    """WGEID profile: the disappearance (WGEID form and methods of work)."""
    date: str = ""
    place: str = ""
    forces: str = ""
    search_steps: str = ""
    search_impossible: str = ""
    family_consent: bool | None = None
    family_contact: bool | None = None


@dataclass
class Detention:
    """WGAD profile: arrest, detention, why arbitrary (WGAD model questionnaire, parts II-IV)."""
    arrest_date: str = ""
    arrest_place: str = ""
    arrest_forces: str = ""
    warrant_shown: bool | None = None
    warrant_authority: str = ""
    detained_since: str = ""
    detention_place: str = ""
    ordered_by: str = ""
    legal_basis: str = ""
    categories: list[str] = field(default_factory=list)
    why_arbitrary: str = ""


@dataclass
class LawPolicy:
    """Other-letter profile: the law, bill or policy of concern (guide ch. III, 1 and 3, question 5)."""
    text: str = ""
    stage: str = ""
    adoption_date: str = ""
    provisions: str = ""
    standards: str = ""


@dataclass
class Context:
    """Question 7: background and legal framework the experts should know."""
    background: str = ""
    legal_framework: str = ""


@dataclass
class ActionTaken:
    """Question 8: remedies already sought at home or abroad, and what came of them
    (results: WGAD model questionnaire, part V)."""
    domestic: str = ""
    international: str = ""
    results: str = ""


@dataclass
class Requests:
    """Question 9: what the experts should do, which questions to raise, a press release?"""
    actions: str = ""
    questions: str = ""
    press_release: bool | None = None
    press_release_why: str = ""


SECTION_TYPES = {
    "sender": Sender, "urgency": Urgency, "consent": Consent, "facts": Facts,
    "perpetrators": AllegedPerpetrators, "context": Context, "action": ActionTaken, "requests": Requests,
    "addressee": Addressee, "situation": Situation, "evidence": Evidence,
    "disappearance": Disappearance, "detention": Detention, "law": LawPolicy,
}
"""JSON keys stay as in version 1 (``victims``, ``perpetrators``) so saved drafts load unchanged."""


@dataclass
class LoadProblem:
    """A value in loaded data that had the wrong type; the value itself is kept in ``extra``."""
    path: str
    expected: str
    got: str


@dataclass
class Submission:
    title: str = ""
    comm_type: str | None = None
    mandate_ids: list[str] = field(default_factory=list)
    profile: str = "general"
    sender: Sender = field(default_factory=Sender)
    urgency: Urgency = field(default_factory=Urgency)
    victims: list[AllegedVictim] = field(default_factory=list)
    consent: Consent = field(default_factory=Consent)
    facts: Facts = field(default_factory=Facts)
    perpetrators: Perpetrators = field(default_factory=Perpetrators)
    context: Context = field(default_factory=Context)
    action: ActionTaken = field(default_factory=ActionTaken)
    requests: Requests = field(default_factory=Requests)
    addressee: Addressee = field(default_factory=Addressee)
    situation: Situation = field(default_factory=Situation)
    evidence: Evidence = field(default_factory=Evidence)
    disappearance: Disappearance = field(default_factory=Disappearance)
    detention: Detention = field(default_factory=Detention)
    law: LawPolicy = field(default_factory=LawPolicy)
    confidential: set[str] = field(default_factory=set)
    source_types: set[str] = field(default_factory=set)
    schema_version: int = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)
    load_problems: list[LoadProblem] = field(default_factory=list, compare=False, repr=False)

    # ------------------------------------------------------------ (de)serialise
    def to_dict(self) -> dict:
        data: dict[str, Any] = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "title": self.title,
            "comm_type": self.comm_type,
            "mandate_ids": list(self.mandate_ids),
            "profile": self.profile,
        }
        for name in SECTION_TYPES:
            section = getattr(self, name)
            data[name] = {f.name: _plain(getattr(section, f.name)) for f in fields(section)}
        data["victims"] = [{f.name: getattr(v, f.name) for f in fields(v)} for v in self.victims]
        data["confidential"] = sorted(self.confidential)
        data["source_types"] = sorted(self.source_types)
        if self.extra:
            data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Submission:
        """Build a submission from ``data``, keeping everything it does not understand.

        Unknown keys go to ``extra`` (by path); values of the wrong type go there too
        and are listed in ``load_problems``. Never raises on content, only returns.
        """
        sub = cls()
        if not isinstance(data, dict):
            sub.load_problems.append(LoadProblem("", "object", type(data).__name__))
            sub.extra[""] = data
            return sub
        known = {"format", "schema_version", "title", "comm_type", "mandate_ids", "profile", "victims",
                 "confidential", "source_types", "extra", *SECTION_TYPES}
        if isinstance(data.get("extra"), dict):
            sub.extra.update(data["extra"])
        elif "extra" in data:
            sub.extra["extra"] = data["extra"]
        for key, value in data.items():
            if key not in known:
                sub.extra[str(key)] = value
        version = data.get("schema_version", SCHEMA_VERSION)
        if isinstance(version, int) and version > SCHEMA_VERSION:
            sub.load_problems.append(LoadProblem("schema_version", f"<= {SCHEMA_VERSION}", str(version)))
        sub.title = _as_text(data.get("title", ""), "title", sub)
        comm = data.get("comm_type")
        if comm in COMM_TYPES or comm is None:
            sub.comm_type = comm
        else:
            sub._keep("comm_type", comm, "one of " + ", ".join(COMM_TYPES))
        sub.mandate_ids = _text_list(data.get("mandate_ids", []), "mandate_ids", sub)
        profile = data.get("profile", "general")
        if profile in PROFILES:
            sub.profile = profile
        elif profile is not None:
            sub._keep("profile", profile, "one of " + ", ".join(PROFILES))
        for name, kind in SECTION_TYPES.items():
            raw = data.get(name, {})
            section = kind()
            if not isinstance(raw, dict):
                sub._keep(name, raw, "object")
            else:
                _fill(section, raw, name, sub)
            setattr(sub, name, section)
        raw_victims = data.get("victims", [])
        if not isinstance(raw_victims, list):
            sub._keep("victims", raw_victims, "list")
            raw_victims = []
        for index, raw in enumerate(raw_victims):
            victim = AllegedVictim()
            if isinstance(raw, dict):
                _fill(victim, raw, f"victims.{index}", sub)
            else:
                sub._keep(f"victims.{index}", raw, "object")
            sub.victims.append(victim)
        sub.confidential = set(_text_list(data.get("confidential", []), "confidential", sub))
        sources = _text_list(data.get("source_types", []), "source_types", sub)
        sub.source_types = {s for s in sources if s in SOURCE_TYPES}
        unknown_sources = [s for s in sources if s not in SOURCE_TYPES]
        if unknown_sources:
            sub._keep("source_types", unknown_sources, "first_hand, documents or media")
        return sub

    def _keep(self, path: str, value: Any, expected: str) -> None:
        self.extra[path] = value
        self.load_problems.append(LoadProblem(path, expected, type(value).__name__))

    def to_json(self) -> str:
        """JSON text that encodes as UTF-8 whatever was typed (lone surrogates as ``\\uXXXX``)."""
        return safe_text.json_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2))

    @classmethod
    def from_json(cls, text: str | bytes) -> Submission:
        """Parse a JSON export; raises :class:`SubmissionFormatError` if it is not JSON."""
        if isinstance(text, (bytes, bytearray, memoryview)):
            try:
                text = bytes(text).decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise SubmissionFormatError("not_utf8") from exc
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise SubmissionFormatError("not_json") from exc
        if not isinstance(data, dict):
            raise SubmissionFormatError("not_object")
        return cls.from_dict(data)


class SubmissionFormatError(UserError):
    """A file could not be read as a saved submission. :attr:`code` is a short code
    (``not_json`` ...); the message key is ``drafting.load.<code>``."""

    def __init__(self, code: str, /, **values: object) -> None:
        super().__init__(f"drafting.load.{code}", **values)
        self.code = code
        self.args = (code,)


def _as_text(value: Any, path: str, sub: Submission) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    sub._keep(path, value, "text")
    return ""


def _text_list(value: Any, path: str, sub: Submission) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple, set)):
        sub._keep(path, value, "list of text")
        return []
    good = [v for v in value if isinstance(v, str)]
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        sub._keep(path, bad, "list of text")
    return good


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple, set)) else value


CHOICE_VALUES = {"given_by": CONSENT_GIVERS, "public_naming": PUBLIC_NAMING, "stage": LAW_STAGES}
"""Fields whose value is one of a fixed set of ids (or blank)."""


def _fill(target: Any, raw: dict, prefix: str, sub: Submission) -> None:
    names = {f.name: f for f in fields(target)}
    for key, value in raw.items():
        path = f"{prefix}.{key}"
        if key not in names:
            sub.extra[path] = value
            continue
        default = getattr(target, key)
        if key == "is_group":
            if isinstance(value, bool):
                setattr(target, key, value)
            else:
                sub._keep(path, value, "true/false")
        elif key in CHOICE_VALUES:
            if value in CHOICE_VALUES[key] or value in ("", None):
                setattr(target, key, value or "")
            else:
                sub._keep(path, value, "one of " + ", ".join(CHOICE_VALUES[key]))
        elif key == "categories":
            chosen = _text_list(value, path, sub)
            known_ids = [c for c in chosen if c in WGAD_CATEGORIES]
            if len(known_ids) < len(chosen):
                sub._keep(path, chosen, "list of " + ", ".join(WGAD_CATEGORIES))
            setattr(target, key, list(dict.fromkeys(known_ids)))
        elif isinstance(default, str):
            setattr(target, key, _as_text(value, path, sub))
        else:  # bool | None
            if value is None or isinstance(value, bool):
                setattr(target, key, value)
            else:
                sub._keep(path, value, "true/false/null")


# --------------------------------------------------------------------------- fields
@dataclass(frozen=True)
class FieldSpec:
    """One control of the form. ``question``: the guide's question (1-9) it is shown under;
    ``profiles``: the profiles that show it (empty: all); ``source``: who asks for it."""
    path: str
    question: int
    kind: str  # "text" | "longtext" | "date" | "yesno" | "choice" | "multi"
    label_key: str
    language_checked: bool = False
    length_hint: int = 0
    profiles: tuple[str, ...] = ()
    source: str = CITE_NINE

    def shown_in(self, profile: str) -> bool:
        return not self.profiles or profile in self.profiles


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("sender.name", 1, "text", N_("submission.field.sender_name")),
    FieldSpec("sender.organisation", 1, "text", N_("submission.field.sender_organisation")),
    FieldSpec("sender.contact", 1, "text", N_("submission.field.sender_contact")),
    FieldSpec("sender.relationship", 1, "text", N_("submission.field.sender_relationship"), source=CITE_WHO),
    FieldSpec("urgency.is_urgent", 2, "yesno", N_("submission.field.urgency_is_urgent")),
    FieldSpec("urgency.why", 2, "longtext", N_("submission.field.urgency_why"), True, 1500),
    FieldSpec("urgency.window_date", 2, "date", N_("submission.field.urgency_window_date")),
    FieldSpec("urgency.window", 2, "longtext", N_("submission.field.urgency_window"), True, 1000),
    FieldSpec("consent.given_by", 4, "choice", N_("submission.field.consent_given_by")),
    FieldSpec("consent.in_writing", 4, "yesno", N_("submission.field.consent_in_writing")),
    FieldSpec("consent.names_to_government", 4, "yesno", N_("submission.field.consent_names_to_government")),
    FieldSpec("consent.may_publish", 4, "yesno", N_("submission.field.consent_may_publish")),
    FieldSpec("consent.notes", 4, "longtext", N_("submission.field.consent_notes"), True, 1000),
    FieldSpec("facts.what", 5, "longtext", N_("submission.field.facts_what"), True, 4000),
    FieldSpec("facts.date_from", 5, "date", N_("submission.field.facts_date_from")),
    FieldSpec("facts.date_to", 5, "date", N_("submission.field.facts_date_to")),
    FieldSpec("facts.places", 5, "text", N_("submission.field.facts_places")),
    FieldSpec("facts.laws", 5, "longtext", N_("submission.field.facts_laws"), True, 1500),
    FieldSpec("facts.translations", 5, "yesno", N_("submission.field.facts_translations")),
    # WGEID profile: the disappearance (WGEID form; methods of work)
    FieldSpec("disappearance.date", 5, "date", N_("submission.field.disappearance_date"),
              profiles=("wgeid",), source=CITE_WGEID_FORM),
    FieldSpec("disappearance.place", 5, "text", N_("submission.field.disappearance_place"),
              profiles=("wgeid",), source=CITE_WGEID_FORM),
    FieldSpec("disappearance.forces", 5, "longtext", N_("submission.field.disappearance_forces"), True, 1500,
              profiles=("wgeid",), source=CITE_WGEID_FORM),
    # WGAD profile: arrest and detention (WGAD model questionnaire, parts II and III)
    FieldSpec("detention.arrest_date", 5, "date", N_("submission.field.detention_arrest_date"),
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.arrest_place", 5, "text", N_("submission.field.detention_arrest_place"),
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.arrest_forces", 5, "longtext", N_("submission.field.detention_arrest_forces"), True, 1000,
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.warrant_shown", 5, "yesno", N_("submission.field.detention_warrant_shown"),
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.warrant_authority", 5, "text", N_("submission.field.detention_warrant_authority"),
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.detained_since", 5, "date", N_("submission.field.detention_detained_since"),
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.detention_place", 5, "text", N_("submission.field.detention_detention_place"),
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.ordered_by", 5, "text", N_("submission.field.detention_ordered_by"),
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.legal_basis", 5, "longtext", N_("submission.field.detention_legal_basis"), True, 1500,
              profiles=("wgad",), source=CITE_WGAD_FORM),
    FieldSpec("detention.categories", 5, "multi", N_("submission.field.detention_categories"),
              profiles=("wgad",), source=CITE_WGAD_CATEGORIES),
    FieldSpec("detention.why_arbitrary", 5, "longtext", N_("submission.field.detention_why_arbitrary"), True, 3000,
              profiles=("wgad",), source=CITE_WGAD_FORM),
    # Other-letter profile: the law, bill or policy (guide ch. III, 1 and 3, question 5)
    FieldSpec("law.text", 5, "longtext", N_("submission.field.law_text"), False, 0,
              profiles=("law",), source=CITE_TYPES),
    FieldSpec("law.stage", 5, "choice", N_("submission.field.law_stage"), profiles=("law",), source=CITE_TYPES),
    FieldSpec("law.adoption_date", 5, "date", N_("submission.field.law_adoption_date"),
              profiles=("law",), source=CITE_NINE),
    FieldSpec("law.provisions", 5, "longtext", N_("submission.field.law_provisions"), True, 3000,
              profiles=("law",), source=CITE_TYPES),
    FieldSpec("law.standards", 5, "longtext", N_("submission.field.law_standards"), True, 2000,
              profiles=("law",), source=CITE_TYPES),
    FieldSpec("situation.current", 5, "longtext", N_("submission.field.situation_current"), True, 1500,
              source=CITE_ONLINE_FORM),
    FieldSpec("evidence.attachments", 5, "longtext", N_("submission.field.evidence_attachments"), False, 0,
              source=CITE_NINE),
    FieldSpec("perpetrators.names", 6, "text", N_("submission.field.perpetrators_names")),
    FieldSpec("perpetrators.roles", 6, "longtext", N_("submission.field.perpetrators_roles"), True, 1000),
    FieldSpec("perpetrators.motives", 6, "longtext", N_("submission.field.perpetrators_motives"), True, 1500),
    FieldSpec("addressee.state", 6, "text", N_("submission.field.addressee_state"), source=CITE_TYPES),
    FieldSpec("addressee.non_state", 6, "longtext", N_("submission.field.addressee_non_state"), True, 1000,
              source=CITE_NON_STATE),
    FieldSpec("context.background", 7, "longtext", N_("submission.field.context_background"), True, 2500),
    FieldSpec("context.legal_framework", 7, "longtext", N_("submission.field.context_legal_framework"), True, 2500),
    FieldSpec("action.domestic", 8, "longtext", N_("submission.field.action_domestic"), True, 2000),
    FieldSpec("action.international", 8, "longtext", N_("submission.field.action_international"), True, 1500),
    FieldSpec("action.results", 8, "longtext", N_("submission.field.action_results"), True, 1500,
              source=CITE_WGAD_FORM),
    FieldSpec("disappearance.search_steps", 8, "longtext", N_("submission.field.disappearance_search_steps"), True,
              2000, profiles=("wgeid",), source=CITE_WGEID_FORM),
    FieldSpec("disappearance.search_impossible", 8, "longtext",
              N_("submission.field.disappearance_search_impossible"), True, 1000, profiles=("wgeid",),
              source=CITE_WGEID_FORM),
    FieldSpec("disappearance.family_consent", 4, "yesno", N_("submission.field.disappearance_family_consent"),
              profiles=("wgeid",), source=CITE_WGEID_FORM),
    FieldSpec("disappearance.family_contact", 4, "yesno", N_("submission.field.disappearance_family_contact"),
              profiles=("wgeid",), source=CITE_WGEID_FORM),
    FieldSpec("requests.actions", 9, "longtext", N_("submission.field.requests_actions"), True, 2000),
    FieldSpec("requests.questions", 9, "longtext", N_("submission.field.requests_questions"), True, 2000),
    FieldSpec("requests.press_release", 9, "yesno", N_("submission.field.requests_press_release")),
    FieldSpec("requests.press_release_why", 9, "longtext", N_("submission.field.requests_press_release_why"), True, 1000),
)
FIELD_BY_PATH = {spec.path: spec for spec in FIELDS}

VICTIM_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", N_("submission.field.victim_name")),
    ("age", N_("submission.field.victim_age")),
    ("gender", N_("submission.field.victim_gender")),
    ("origin_residence", N_("submission.field.victim_origin_residence")),
    ("nationality", N_("submission.field.victim_nationality")),
    ("occupation", N_("submission.field.victim_occupation")),
    ("hrd_activity", N_("submission.field.victim_hrd_activity")),
    ("organisation", N_("submission.field.victim_organisation")),
)
"""Typed fields of each alleged victim. The first four are the guide's question 3; the rest
were added by issue 12 (sources in :class:`AllegedVictim`)."""
VICTIM_CORE = VICTIM_FIELDS[:4]
"""The guide's question 3 (completeness counts these; the others are offered)."""
PUBLIC_NAMING_KEY = N_("submission.field.victim_public_naming")
PUBLIC_NAMING_KEYS = {
    "full": N_("submission.public_naming.full"),
    "initials": N_("submission.public_naming.initials"),
}
LAW_STAGE_KEYS = {
    "draft": N_("submission.law_stage.draft"),
    "before_parliament": N_("submission.law_stage.before_parliament"),
    "adopted": N_("submission.law_stage.adopted"),
    "in_force": N_("submission.law_stage.in_force"),
}
WGAD_CATEGORY_KEYS = {
    "I": N_("submission.wgad_category.cat_i"),
    "II": N_("submission.wgad_category.cat_ii"),
    "III": N_("submission.wgad_category.cat_iii"),
    "IV": N_("submission.wgad_category.cat_iv"),
    "V": N_("submission.wgad_category.cat_v"),
}
PROFILE_KEYS = {
    "general": N_("submission.profile.general"),
    "wgeid": N_("submission.profile.wgeid"),
    "wgad": N_("submission.profile.wgad"),
    "law": N_("submission.profile.law"),
}
CHOICE_KEYS: dict[str, dict[str, str]] = {"law.stage": LAW_STAGE_KEYS}
"""Label keys of a choice field's values (consent: :data:`CONSENT_KEYS`, set below)."""
GROUP_NAME_KEY = N_("submission.field.victim_group")

QUESTION_KEYS = (
    N_("submission.q1"), N_("submission.q2"), N_("submission.q3"),
    N_("submission.q4"), N_("submission.q5"), N_("submission.q6"),
    N_("submission.q7"), N_("submission.q8"), N_("submission.q9"),
)
QUESTION_SECTIONS = ("sender", "urgency", "victims", "consent", "facts", "perpetrators",
                     "context", "action", "requests")
COMM_TYPE_KEYS = {
    "urgent_appeal": N_("submission.type.urgent_appeal"),
    "allegation_letter": N_("submission.type.allegation_letter"),
    "other_letter": N_("submission.type.other_letter"),
}
SOURCE_KEYS = {
    "first_hand": N_("submission.source.first_hand"),
    "documents": N_("submission.source.documents"),
    "media": N_("submission.source.media"),
}
CONSENT_KEYS = {
    "victim": N_("submission.consent.victim"),
    "family": N_("submission.consent.family"),
    "lawyer": N_("submission.consent.lawyer"),
    "other": N_("submission.consent.other"),
    "none": N_("submission.consent.none"),
}
CHOICE_KEYS["consent.given_by"] = CONSENT_KEYS


def question_title(number: int, lang: str) -> str:
    return t(QUESTION_KEYS[number - 1], lang)


def field_label(path: str, lang: str) -> str:
    """Label of a field path such as ``facts.what`` or ``victims.2.name``."""
    if path in FIELD_BY_PATH:
        return t(FIELD_BY_PATH[path].label_key, lang)
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "victims" and parts[1].isdigit():
        for name, key in (*VICTIM_FIELDS, ("public_naming", PUBLIC_NAMING_KEY)):
            if name == parts[2]:
                return t("submission.victim_field", lang, number=int(parts[1]) + 1, field=t(key, lang))
    return path


def get_value(sub: Submission, path: str) -> Any:
    """The value at a field path (``sender.name``, ``victims.0.age``); ``None`` if there is none."""
    parts = path.split(".")
    try:
        if parts[0] == "victims":
            return getattr(sub.victims[int(parts[1])], parts[2])
        if len(parts) == 2 and parts[0] in SECTION_TYPES:
            return getattr(getattr(sub, parts[0]), parts[1])
    except (IndexError, ValueError, AttributeError):
        return None
    return None


def set_value(sub: Submission, path: str, value: Any) -> None:
    parts = path.split(".")
    if parts[0] == "victims":
        setattr(sub.victims[int(parts[1])], parts[2], value)
    elif len(parts) == 2 and parts[0] in SECTION_TYPES and hasattr(getattr(sub, parts[0]), parts[1]):
        setattr(getattr(sub, parts[0]), parts[1], value)
    else:
        raise KeyError(path)


def confidential_paths(sub: Submission) -> list[str]:
    """Every path that may be marked confidential, in the order of the form."""
    paths = [spec.path for spec in FIELDS if spec.kind in ("text", "longtext", "date")]
    for index in range(len(sub.victims)):
        paths.extend(f"victims.{index}.{name}" for name, _ in VICTIM_FIELDS)
    return paths


def remove_victim(sub: Submission, index: int) -> None:
    """Remove one victim and renumber the confidential marks of those after it."""
    del sub.victims[index]
    marks = set()
    for path in sub.confidential:
        parts = path.split(".")
        if len(parts) == 3 and parts[0] == "victims" and parts[1].isdigit():
            number = int(parts[1])
            if number == index:
                continue
            if number > index:
                path = f"victims.{number - 1}.{parts[2]}"
        marks.add(path)
    sub.confidential = marks


def _filled(value: Any) -> bool:
    """Typed text that is not blank, or any yes/no answer (``False`` is an answer)."""
    if isinstance(value, str):
        return bool(safe_text.clean(value).strip())
    if isinstance(value, (list, tuple, set)):
        return bool(value)
    return value is not None


def is_empty(sub: Submission) -> bool:
    """True when nothing was typed or chosen: such a form must never overwrite a saved draft."""
    if _filled(sub.title) or sub.comm_type or sub.mandate_ids or sub.source_types or sub.confidential:
        return False
    if any(_filled(getattr(v, name)) for v in sub.victims for name, _ in VICTIM_FIELDS):
        return False
    if any(v.public_naming for v in sub.victims) or sub.detention.categories:
        return False
    return not any(_filled(get_value(sub, spec.path)) for spec in FIELDS)


def display_title(sub: Submission, lang: str) -> str:
    """A title for lists of saved drafts: the user's title, or a neutral default."""
    title = safe_text.preview(sub.title, 60)
    return title or t("submission.untitled", lang)


# --------------------------------------------------------------------------- dates
class DateProblem(DateError):
    """A typed date the form cannot read (the course's one :class:`course.dates.DateError`)."""


def parse_date(text: str) -> tuple[date, date] | None:
    """``(first_day, last_day)`` of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` if blank.

    Full-width digits and ``/`` or ``.`` separators are accepted. Raises
    :class:`DateProblem` for text that is not such a date or a day that does not exist.
    """
    try:
        return parse_period(safe_text.clean(text), partial=True)
    except DateError as exc:
        raise DateProblem(exc.key, **exc.values) from None


# --------------------------------------------------------------------------- check
@dataclass(frozen=True)
class FieldName:
    """A field path (``facts.what``, ``victims.0.name``) to be named in the reader's language."""
    path: str


@dataclass(frozen=True)
class Term:
    """A message key to be translated where the finding is shown."""
    key: str


@dataclass(frozen=True)
class LanguageName:
    """A language code (ISO 639, as the detector gives it) to be named in the reader's language."""
    code: str


@dataclass(frozen=True)
class Numbers:
    """Numbers to be listed the reader's way (CLDR list pattern)."""
    values: tuple[int, ...]


@dataclass(frozen=True)
class Finding:
    """What one rule found: data and a message key, no translated text (translate with :meth:`text`)."""
    code: str
    section: str
    severity: str  # "error" | "warning" | "hint"
    key: str
    citation: str
    field: str | None = None
    values: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str) -> str:
        """The message in ``lang``; field names, terms and number lists are rendered here, at the edge."""
        from ...i18n import format_list

        def render(value: Any) -> Any:
            if isinstance(value, FieldName):
                return field_label(value.path, lang)
            if isinstance(value, Term):
                return t(value.key, lang)
            if isinstance(value, Numbers):
                return format_list([str(n) for n in value.values], lang)
            if isinstance(value, LanguageName):
                return language_name_in(value.code, lang)
            return value

        return t(self.key, lang, **{name: render(value) for name, value in self.values})


@dataclass(frozen=True)
class Issue:
    code: str
    section: str
    severity: str  # "error" | "warning" | "hint"
    message: str
    citation: str
    field: str | None = None


@dataclass
class CheckReport:
    issues: list[Issue]
    answered: set[int]
    completeness: float
    consent_ok: bool
    language_ok: bool

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ready_to_send(self) -> bool:
        return self.consent_ok and not self.errors

    def codes(self) -> set[str]:
        return {i.code for i in self.issues}


def _has(sub: Submission, path: str) -> bool:
    return _filled(get_value(sub, path))


def answered_questions(sub: Submission) -> set[int]:
    """The numbers (1-9) of the guide's questions this draft answers."""
    done = set()
    if _has(sub, "sender.contact") and (_has(sub, "sender.name") or _has(sub, "sender.organisation")):
        done.add(1)
    if sub.urgency.is_urgent is False or (sub.urgency.is_urgent and _has(sub, "urgency.why")):
        done.add(2)
    if any(_filled(v.name) for v in sub.victims):
        done.add(3)
    if _consent_ok(sub):
        done.add(4)
    if _has(sub, "facts.what") and (_has(sub, "facts.date_from") or _has(sub, "facts.places")):
        done.add(5)
    if _has(sub, "perpetrators.names") or _has(sub, "perpetrators.roles"):
        done.add(6)
    if _has(sub, "context.background") or _has(sub, "context.legal_framework"):
        done.add(7)
    if _has(sub, "action.domestic") or _has(sub, "action.international"):
        done.add(8)
    if _has(sub, "requests.actions") or _has(sub, "requests.questions"):
        done.add(9)
    return done


def _consent_ok(sub: Submission) -> bool:
    c = sub.consent
    if sub.profile == "law" and not c.given_by and not any(_filled(v.name) for v in sub.victims):
        return True  # a letter on a law that names nobody needs nobody's consent (ch. IV)
    return (c.given_by in CONSENT_GIVERS and c.given_by != "none"
            and c.names_to_government is not None and c.may_publish is not None)


def completeness(sub: Submission) -> float:
    """Share of the form filled in, 0..1: each of the nine questions weighs the same.

    Within a question, alternatives (e.g. domestic *or* international action) count
    once, and optional details (a window date, an end date, attached laws) do not
    count against the user.
    """
    def has(path: str) -> bool:
        return _has(sub, path)

    named = [v for v in sub.victims if _filled(v.name)]
    people = [v for v in named if not v.is_group]
    victims = [bool(named)] + [any(_filled(getattr(v, n)) for v in people) for n, _ in VICTIM_CORE[1:] if people]
    items = {
        1: [has("sender.name") or has("sender.organisation"), has("sender.contact")],
        2: [sub.urgency.is_urgent is not None, sub.urgency.is_urgent is False or has("urgency.why")],
        3: victims,
        4: [sub.consent.given_by not in ("", "none"), sub.consent.in_writing is not None,
            sub.consent.names_to_government is not None, sub.consent.may_publish is not None],
        5: [has("facts.what"), has("facts.date_from"), has("facts.places")],
        6: [has("perpetrators.names") or has("perpetrators.roles"), has("perpetrators.motives")],
        7: [has("context.background") or has("context.legal_framework")],
        8: [has("action.domestic") or has("action.international")],
        9: [has("requests.actions") or has("requests.questions"), sub.requests.press_release is not None],
    }
    scores = [sum(v) / len(v) for v in items.values()]
    return round(sum(scores) / len(scores), 4)


@dataclass(frozen=True)
class CheckContext:
    """What every rule may look at besides the draft."""
    today: date
    answered: frozenset[int]


def _finding(code: str, section: str, severity: str, key: str, citation: str, field_path: str | None = None,
             **values: Any) -> Finding:
    return Finding(code, section, severity, key, citation, field_path, tuple(values.items()))


def rule_type_and_mandates(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """A type chosen (hint) and at least one mandate named (warning). Guide ch. III, 1 and 3."""
    if sub.comm_type is None:
        yield _finding("type.missing", "general", "hint", N_("submission.issue.type_missing"), CITE_TYPES)
    if not sub.mandate_ids:
        yield _finding("mandates.missing", "general", "warning", N_("submission.issue.mandates_missing"), CITE_NINE)


def rule_required_answers(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Who sends, who the victims are, what happened, what is asked: the core of the nine questions (ch. III, 3)."""
    if not _has(sub, "sender.contact"):
        yield _finding("required.sender_contact", "sender", "error", N_("submission.issue.required"), CITE_NINE,
                       "sender.contact", field=FieldName("sender.contact"))
    if not (_has(sub, "sender.name") or _has(sub, "sender.organisation")):
        yield _finding("required.sender_name", "sender", "error", N_("submission.issue.sender_name"), CITE_NINE,
                       "sender.name")
    if sub.profile != "law" and not any(_filled(v.name) for v in sub.victims):
        yield _finding("required.victims", "victims", "error", N_("submission.issue.victims_missing"), CITE_NINE,
                       "victims")
    if not _has(sub, "facts.what"):
        if sub.profile != "law":  # a letter on a law describes the law instead (profiles.rule_law)
            yield _finding("required.facts_what", "facts", "error", N_("submission.issue.required"), CITE_NINE,
                           "facts.what", field=FieldName("facts.what"))
    elif not (_has(sub, "facts.date_from") or _has(sub, "facts.places")):
        yield _finding("facts.when_where", "facts", "warning", N_("submission.issue.when_where"), CITE_NINE,
                       "facts.date_from")
    # The two working groups' own procedures say what they do with a case (guide ch. I, 6).
    if sub.profile not in ("wgeid", "wgad") and not (_has(sub, "requests.actions") or _has(sub, "requests.questions")):
        yield _finding("required.requests", "requests", "error", N_("submission.issue.requests_missing"), CITE_NINE,
                       "requests.actions")


def rule_unanswered_questions(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Questions 2, 6, 7 and 8 left open (warning). Guide ch. III, 3."""
    for number, section in ((2, "urgency"), (6, "perpetrators"), (7, "context"), (8, "action")):
        if number == 6 and sub.profile == "law":
            continue  # a law or policy has an author, not a perpetrator (ch. III, 1)
        if number not in ctx.answered:
            yield _finding(f"unanswered.q{number}", section, "warning", N_("submission.issue.unanswered"), CITE_NINE,
                           None, question=Term(QUESTION_KEYS[number - 1]))


def rule_urgency(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Urgent means saying why (ch. III, 3); an urgent appeal for a case marked not urgent (ch. III, 1)."""
    if sub.urgency.is_urgent and not _has(sub, "urgency.why"):
        yield _finding("urgency.why", "urgency", "warning", N_("submission.issue.urgency_why"), CITE_NINE,
                       "urgency.why")
    if sub.comm_type == "urgent_appeal" and sub.urgency.is_urgent is False:
        yield _finding("urgency.type_mismatch", "urgency", "hint", N_("submission.issue.urgent_type_not_urgent"),
                       CITE_TYPES, "urgency.is_urgent")


def rule_dates(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Dates readable, not in the future, in order; a window for action not already past (ch. III, 3 and 4)."""
    periods: dict[str, tuple[date, date]] = {}
    for path in ("facts.date_from", "facts.date_to", "urgency.window_date"):
        try:
            period = parse_date(get_value(sub, path))
        except DateProblem:
            yield _finding("date.invalid", path.split(".")[0], "error", N_("submission.issue.date_invalid"),
                           CITE_NINE, path, field=FieldName(path))
            continue
        if period:
            periods[path] = period
    for path in ("facts.date_from", "facts.date_to"):
        if path in periods and periods[path][0] > ctx.today:
            yield _finding("date.future", "facts", "error", N_("submission.issue.date_future"), CITE_NINE, path,
                           field=FieldName(path))
    if ("facts.date_from" in periods and "facts.date_to" in periods
            and periods["facts.date_to"][1] < periods["facts.date_from"][0]):
        yield _finding("date.order", "facts", "error", N_("submission.issue.date_order"), CITE_NINE, "facts.date_to")
    if "urgency.window_date" in periods and periods["urgency.window_date"][1] < ctx.today:
        yield _finding("window.past", "urgency", "warning", N_("submission.issue.window_past"), CITE_CONCISE,
                       "urgency.window_date")


def rule_victims(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """A plausible age; details given for someone without a name (ch. III, 3)."""
    for index, victim in enumerate(sub.victims):
        age = unicodedata.normalize("NFKC", safe_text.clean(victim.age)).strip()
        if age and not victim.is_group and (not age.isdigit() or not 0 <= int(age) <= 130):
            yield _finding("victim.age", "victims", "hint", N_("submission.issue.victim_age"), CITE_NINE,
                           f"victims.{index}.age", number=index + 1)
        if not _filled(victim.name) and any(_filled(getattr(victim, n)) for n, _ in VICTIM_FIELDS[1:]):
            yield _finding("victim.name", "victims", "warning", N_("submission.issue.victim_unnamed"), CITE_NINE,
                           f"victims.{index}.name", number=index + 1)


def rule_consent(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Consent recorded: who gave it, whether names may go to the government and be published (ch. IV;
    ch. III, 3, question 4); names kept confidential when they may not be shared."""
    consent = sub.consent
    if sub.profile == "law" and not any(_filled(v.name) for v in sub.victims) and not _filled(consent.given_by):
        return  # a letter on a law that names nobody needs nobody's consent (ch. IV)
    if consent.given_by == "none":
        yield _finding("consent.none", "consent", "error", N_("submission.issue.consent_none"), CITE_SAFETY,
                       "consent.given_by")
    elif not consent.given_by:
        yield _finding("consent.missing", "consent", "error", N_("submission.issue.consent_missing"), CITE_SAFETY,
                       "consent.given_by")
    if consent.given_by != "none":
        if consent.names_to_government is None:
            yield _finding("consent.names_to_government", "consent", "error", N_("submission.issue.consent_names"),
                           CITE_SAFETY, "consent.names_to_government")
        if consent.may_publish is None:
            yield _finding("consent.may_publish", "consent", "error", N_("submission.issue.consent_publish"),
                           CITE_SAFETY, "consent.may_publish")
        if consent.in_writing is None:
            yield _finding("consent.in_writing", "consent", "hint", N_("submission.issue.consent_writing"), CITE_NINE,
                           "consent.in_writing")
    if consent.names_to_government is False:
        unmarked = tuple(i + 1 for i, v in enumerate(sub.victims)
                         if _filled(v.name) and f"victims.{i}.name" not in sub.confidential)
        if unmarked:
            yield _finding("confidential.names", "consent", "error", N_("submission.issue.names_not_confidential"),
                           CITE_SAFETY, "consent.names_to_government", numbers=Numbers(unmarked))
    if consent.may_publish is False and sub.requests.press_release:
        yield _finding("consent.press", "requests", "warning", N_("submission.issue.press_without_consent"),
                       CITE_SAFETY, "requests.press_release")


def rule_confidential_parts(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Not everything that matters marked confidential, or the experts cannot act (ch. IV)."""
    core = ["facts.what"] + [f"victims.{i}.name" for i, v in enumerate(sub.victims) if _filled(v.name)]
    if len(core) > 1 and all(path in sub.confidential for path in core):
        yield _finding("confidential.too_much", "general", "warning", N_("submission.issue.too_confidential"),
                       CITE_SAFETY)


def rule_press_release(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """A press release asked for says why (ch. III, 4)."""
    if sub.requests.press_release and not _has(sub, "requests.press_release_why"):
        yield _finding("press.why", "requests", "warning", N_("submission.issue.press_why"), CITE_CONCISE,
                       "requests.press_release_why")


def rule_sources(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Where the information comes from, and not from the media alone (ch. III, 3)."""
    if not sub.source_types:
        yield _finding("sources.missing", "general", "warning", N_("submission.issue.sources_missing"), CITE_NINE)
    elif sub.source_types == {"media"}:
        yield _finding("sources.media_only", "general", "warning", N_("submission.issue.media_only"), CITE_NINE)


def rule_translations(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Laws attached: say whether a translation is available (ch. III, 3)."""
    if _has(sub, "facts.laws") and sub.facts.translations is None:
        yield _finding("facts.translations", "facts", "hint", N_("submission.issue.translations"), CITE_NINE,
                       "facts.translations")


def rule_length(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Concise: long fields and a long draft in all (ch. III, 4; the limits are our rule of thumb)."""
    total = 0
    for spec in FIELDS:
        if spec.kind != "longtext" or not spec.shown_in(sub.profile):
            continue
        size = len(safe_text.clean(get_value(sub, spec.path)).strip())
        total += size
        if spec.length_hint and size > spec.length_hint:
            yield _finding("length.field", spec.path.split(".")[0], "hint", N_("submission.issue.too_long"),
                           CITE_CONCISE, spec.path, field=FieldName(spec.path), size=size, limit=spec.length_hint)
    if total > TOTAL_LENGTH_HINT:
        yield _finding("length.total", "general", "hint", N_("submission.issue.total_too_long"), CITE_CONCISE, None,
                       size=total, limit=TOTAL_LENGTH_HINT)


def rule_language(sub: Submission, ctx: CheckContext) -> Iterable[Finding]:
    """Written in one of OHCHR's working languages for submissions: English, French or Spanish (ch. III, 3)."""
    for spec in FIELDS:
        if not spec.language_checked or not spec.shown_in(sub.profile):
            continue
        verdict = detect_language(get_value(sub, spec.path))
        if verdict is None or verdict.accepted:
            continue
        section = spec.path.split(".")[0]
        if verdict.script != "latin":
            yield _finding("language.script", section, "error", N_("submission.issue.language_script"), CITE_NINE,
                           spec.path, field=FieldName(spec.path), script=Term(SCRIPT_KEYS[verdict.script]))
        else:
            yield _finding("language.other", section, "warning", N_("submission.issue.language_other"), CITE_NINE,
                           spec.path, field=FieldName(spec.path), language=LanguageName(verdict.code))


RULES = (
    rule_type_and_mandates, rule_required_answers, rule_unanswered_questions, rule_urgency, rule_dates,
    rule_victims, rule_consent, rule_confidential_parts, rule_press_release, rule_sources, rule_translations,
    rule_length, rule_language,
)
"""The draft check, one small cited rule each, in the order their findings are listed."""


def findings(sub: Submission, today: date | None = None) -> list[Finding]:
    """Everything missing, wrong or risky in a draft, as data (no translated text).

    The general rules (:data:`RULES`) run for every profile, then the profile's own
    (``course.tools.drafting.profiles.PROFILE_RULES``)."""
    from .profiles import PROFILE_RULES  # the profiles module builds on this one

    ctx = CheckContext(today=today or date.today(), answered=frozenset(answered_questions(sub)))
    rules = (*RULES, *PROFILE_RULES.get(sub.profile, ()))
    return [finding for rule in rules for finding in rule(sub, ctx)]


def check(sub: Submission, lang: str, today: date | None = None) -> CheckReport:
    """:func:`findings` with each message translated into ``lang`` (the edge), and the summary."""
    found = findings(sub, today)
    issues = [Issue(f.code, f.section, f.severity, f.text(lang), f.citation, f.field) for f in found]
    return CheckReport(issues=issues, answered=answered_questions(sub), completeness=completeness(sub),
                       consent_ok=_consent_ok(sub), language_ok=not any(f.code.startswith("language.") for f in found))


# --------------------------------------------------------------------------- language
SCRIPT_KEYS = {
    "cjk": N_("submission.script.cjk"),
    "arabic": N_("submission.script.arabic"),
    "hebrew": N_("submission.script.hebrew"),
    "cyrillic": N_("submission.script.cyrillic"),
    "other": N_("submission.script.other"),
}


@dataclass(frozen=True)
class LanguageVerdict:
    code: str  # ISO 639-1 code from py3langid, or "" when the script decides
    script: str  # "latin" | "cjk" | "arabic" | "hebrew" | "cyrillic" | "other"

    @property
    def accepted(self) -> bool:
        return self.script == "latin" and self.code in SUBMISSION_LANGUAGES


def _script_of(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x250 or 0x1E00 <= cp <= 0x1EFF:
        return "latin"
    if 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F:
        return "hebrew"
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return "arabic"
    if 0x0400 <= cp <= 0x052F:
        return "cyrillic"
    if (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF):
        return "cjk"
    return "other"


def detect_language(text: Any) -> LanguageVerdict | None:
    """Which language a free text is in; ``None`` when it is too short to judge.

    A text whose letters are mostly in a non-Latin script (Chinese, Arabic ...) is
    flagged by script; Latin-script text is classified with py3langid.
    """
    sample = safe_text.clean(text)[:LANGUAGE_SAMPLE]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < MIN_LETTERS_FOR_LANGUAGE:
        return None
    counts: dict[str, int] = {}
    for ch in letters:
        script = _script_of(ch)
        counts[script] = counts.get(script, 0) + 1
    # CJK characters carry a word each: weigh them so a Chinese sentence is not outvoted by names.
    weighted = {s: n * (3 if s == "cjk" else 1) for s, n in counts.items()}
    main = max(weighted, key=lambda script: weighted[script])
    if main != "latin" and weighted[main] * 2 >= sum(weighted.values()):
        return LanguageVerdict("", main)
    return LanguageVerdict(_classify(sample), "latin")


def _classify(sample: str) -> str:
    import py3langid as langid  # imported lazily: its model takes a moment to load

    code, _score = langid.classify(sample)
    return code


# --------------------------------------------------------------------------- handoff
def parse_handoff(query: str, known_mandates: Iterable[str] | None = None) -> tuple[str | None, list[str]]:
    """``(comm_type, mandate_ids)`` from ``"type=<id>&mandates=<id1>,<id2>"``.

    Anything invalid is ignored: an unknown type gives ``None``, mandate ids that are
    not slugs (or not in ``known_mandates`` when given) are dropped, duplicates too.
    """
    if not isinstance(query, str):
        return None, []
    query = query.lstrip("?")[:4000]
    try:
        params = parse_qs(query, keep_blank_values=False, max_num_fields=20)
    except ValueError:
        return None, []
    comm_type = next((v for v in params.get("type", []) if v in COMM_TYPES), None)
    known = set(known_mandates) if known_mandates is not None else None
    mandates: list[str] = []
    for value in params.get("mandates", []):
        for slug in value.split(","):
            slug = slug.strip()
            if (_SLUG.match(slug) and len(slug) <= 80 and slug not in mandates
                    and (known is None or slug in known)):
                mandates.append(slug)
    return comm_type, mandates[:MAX_HANDOFF_MANDATES]


def blank() -> Submission:
    """An empty draft with one (blank) victim row, as the form starts."""
    return Submission(victims=[AllegedVictim()])
