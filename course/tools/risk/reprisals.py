"""What to do after a reprisal: whom to contact and which annual report cycle applies.

Plain rules, no widgets, nothing is ever sent: the contacts are shown for the
user to copy. Sources:

- ISHR Practical Guide (2025), ch. IV, Understanding reprisals: the tip listing
  whom to contact (the mandate engaged, OHCHR's reprisals team, the Human Rights
  Council presidency); the responses the Special Procedures, the Coordination
  Committee's focal point and the Assistant Secretary-General can give; and the
  tip on the Secretary-General's annual reprisals report (reporting period 1 May
  to 30 April of the following year, information sent by 15 April, report
  usually presented to the Council in September of that year).
- A/HRC/58/70, paras. 68-69: how mandate holders responded in 2024.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ... import sources
from ...dates import DateError, parse_day
from ...i18n import N_, UserError, format_date, label_value, t
from ...i18n import format_month as i18n_format_month

CITE_CONTACTS = "ISHR Practical Guide (2025), ch. IV, Understanding reprisals (tip: whom to contact)"
CITE_SG_REPORT = "ISHR Practical Guide (2025), ch. IV, Understanding reprisals (tip: the Secretary-General's annual report)"
CITE_RESPONSES = "ISHR Practical Guide (2025), ch. IV, Understanding reprisals"
CITE_2024 = "A/HRC/58/70, paras. 68-69"


REPRISALS_EMAIL = "ohchr-reprisals@un.org"
PRESIDENCY_EMAIL = "hrcpresidency@un.org"

PERIOD_START = (5, 1)  # 1 May
PERIOD_END = (4, 30)  # 30 April of the following year
DEADLINE = (4, 15)  # information in by 15 April
PRESENTATION_MONTH = 9  # presented to the Council in September


cite = sources.cite
"""A citation kept in canonical form, in the reader's language (:func:`course.sources.cite`)."""


@dataclass(frozen=True)
class Contact:
    """Someone to tell about a reprisal. ``address`` is ``None`` when it depends on the case."""

    id: str
    label_key: str
    help_key: str
    address: str | None
    citation: str


CONTACTS: tuple[Contact, ...] = (
    Contact("mandate", N_("reprisals.contact.mandate"), N_("reprisals.contact.mandate.help"), None,
            CITE_CONTACTS),
    Contact("ohchr_reprisals", N_("reprisals.contact.ohchr_reprisals"),
            N_("reprisals.contact.ohchr_reprisals.help"), REPRISALS_EMAIL, CITE_CONTACTS),
    Contact("hrc_presidency", N_("reprisals.contact.hrc_presidency"),
            N_("reprisals.contact.hrc_presidency.help"), PRESIDENCY_EMAIL, CITE_CONTACTS),
)
"""Whom the guide says to contact after intimidation or reprisal (ch. IV tip)."""


@dataclass(frozen=True)
class Response:
    """A response the UN system can give to a reprisal."""

    id: str
    label_key: str
    help_key: str
    citation: str


RESPONSES: tuple[Response, ...] = (
    Response("communications", N_("reprisals.response.communications"),
             N_("reprisals.response.communications.help"), CITE_RESPONSES),
    Response("press_releases", N_("reprisals.response.press_releases"),
             N_("reprisals.response.press_releases.help"), CITE_RESPONSES),
    Response("reports", N_("reprisals.response.reports"), N_("reprisals.response.reports.help"), CITE_RESPONSES),
    Response("meetings", N_("reprisals.response.meetings"), N_("reprisals.response.meetings.help"),
             CITE_RESPONSES),
    Response("focal_point", N_("reprisals.response.focal_point"), N_("reprisals.response.focal_point.help"),
             CITE_RESPONSES),
    Response("asg", N_("reprisals.response.asg"), N_("reprisals.response.asg.help"), CITE_RESPONSES),
    Response("sg_report", N_("reprisals.response.sg_report"), N_("reprisals.response.sg_report.help"),
             CITE_SG_REPORT),
)
"""Other responses the guide lists (ch. IV, Understanding reprisals)."""


class ReprisalError(UserError):
    """An incident date that cannot be used; ``key`` names the message to show."""


STATUSES = ("open", "after_deadline", "deadline_passed")
STATUS_KEYS = {
    "open": N_("reprisals.status.open"),
    "after_deadline": N_("reprisals.status.after_deadline"),
    "deadline_passed": N_("reprisals.status.deadline_passed"),
}


@dataclass(frozen=True)
class Cycle:
    """The Secretary-General's annual reprisals report that covers one incident.

    ``presentation_month_year`` is the first day of the month the report is usually
    presented (only its month and year mean anything). ``note`` is the message key
    explaining ``status``: ``open`` (the deadline is ahead), ``after_deadline``
    (the incident happened after this cycle's 15 April deadline) or
    ``deadline_passed`` (the deadline is over as of ``today``). In the last two
    cases ``next_deadline`` / ``next_presentation`` give the following cycle, whose
    report also carries follow-up on earlier cases.
    """

    period_start: date
    period_end: date
    submission_deadline: date
    presentation_month_year: date
    note: str
    status: str
    next_deadline: date
    next_presentation: date
    days_left: int | None
    citation: str = CITE_SG_REPORT


def parse_incident_date(value: object) -> date:
    """A ``date`` from a date, a datetime or an ISO text ``YYYY-MM-DD``.

    Raises :class:`ReprisalError` for anything else, including impossible dates
    such as 2025-02-30.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ReprisalError(N_("reprisals.error.no_date"))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_day(value)
        except DateError:
            pass
    raise ReprisalError(N_("reprisals.error.bad_date"))


def report_cycle(incident_date: object, today: date | None = None) -> Cycle:
    """The annual report cycle for an incident (see :class:`Cycle`).

    >>> c = report_cycle(date(2025, 6, 10), today=date(2025, 7, 1))
    >>> c.period_start, c.period_end, c.submission_deadline, c.presentation_month_year
    (datetime.date(2025, 5, 1), datetime.date(2026, 4, 30), datetime.date(2026, 4, 15), datetime.date(2026, 9, 1))
    """
    incident = parse_incident_date(incident_date)
    today = today or date.today()
    if incident > today:
        raise ReprisalError(N_("reprisals.error.future"))
    start_year = incident.year if (incident.month, incident.day) >= PERIOD_START else incident.year - 1
    end_year = start_year + 1
    if start_year < 1 or end_year + 1 > 9999:
        raise ReprisalError(N_("reprisals.error.bad_date"))
    deadline = date(end_year, *DEADLINE)
    presentation = date(end_year, PRESENTATION_MONTH, 1)
    if incident > deadline:
        status = "after_deadline"
    elif today > deadline:
        status = "deadline_passed"
    else:
        status = "open"
    return Cycle(
        period_start=date(start_year, *PERIOD_START),
        period_end=date(end_year, *PERIOD_END),
        submission_deadline=deadline,
        presentation_month_year=presentation,
        note=STATUS_KEYS[status],
        status=status,
        next_deadline=date(end_year + 1, *DEADLINE),
        next_presentation=date(end_year + 1, PRESENTATION_MONTH, 1),
        days_left=(deadline - today).days if status == "open" else None,
    )


# --------------------------------------------------------------------------- wording


def format_day(day: date, lang: str) -> str:
    """``2026年4月15日`` / ``15 April 2026`` (:func:`course.i18n.format_date`)."""
    return format_date(day, lang)


def format_month(day: date, lang: str) -> str:
    """``2026年9月`` / ``September 2026`` (:func:`course.i18n.format_month`)."""
    return i18n_format_month(day, lang)


def describe_cycle(cycle: Cycle, lang: str) -> list[str]:
    """Plain sentences about a cycle, in ``lang`` (no typed text inside)."""
    lines = [
        t("reprisals.cycle.period", lang, start=format_day(cycle.period_start, lang),
          end=format_day(cycle.period_end, lang)),
        t("reprisals.cycle.deadline", lang, deadline=format_day(cycle.submission_deadline, lang),
          email=REPRISALS_EMAIL),
        t("reprisals.cycle.presented", lang, month=format_month(cycle.presentation_month_year, lang)),
    ]
    if cycle.status == "open":
        lines.append(t("reprisals.status.open", lang, days=cycle.days_left))
    elif cycle.status == "after_deadline":
        lines.append(t("reprisals.status.after_deadline", lang,
                       deadline=format_day(cycle.submission_deadline, lang),
                       next_deadline=format_day(cycle.next_deadline, lang),
                       next_month=format_month(cycle.next_presentation, lang)))
    else:
        lines.append(t("reprisals.status.deadline_passed", lang,
                       deadline=format_day(cycle.submission_deadline, lang),
                       next_deadline=format_day(cycle.next_deadline, lang),
                       next_month=format_month(cycle.next_presentation, lang)))
    lines.append(t("reprisals.cycle.contact_anyway", lang, email=REPRISALS_EMAIL))
    lines.append(t("reprisals.source", lang, source=cite(cycle.citation, lang)))
    return lines


def contact_lines(mandate_engaged: str, lang: str, escape=None) -> list[str]:
    """One line per contact. ``escape`` is applied to the typed mandate name (e.g. for Markdown)."""
    lines = []
    for contact in CONTACTS:
        name = t(contact.label_key, lang)
        if contact.id == "mandate":
            typed = mandate_engaged.strip()
            detail = (escape(typed) if escape else typed) if typed else t("reprisals.contact.mandate.unknown", lang)
        else:
            detail = contact.address or ""
        lines.append(t("reprisals.contact.line", lang, name=name, detail=detail))
    return lines


@dataclass(frozen=True)
class PlanSection:
    """One part of the reprisal plan, as data: a heading, bullet points and paragraphs.

    Texts are translated; typed text in them has gone through the ``escape`` given to
    :func:`plan_sections` (a renderer passes its own), so each export renders the
    sections its own way instead of parsing another export's markup.
    """

    heading: str
    bullets: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()


def plan_sections(mandate_engaged: str, incident_date: date | None, lang: str, escape=None,
                  today: date | None = None) -> list[PlanSection]:
    """The reprisal plan: whom to contact, other responses, the report cycle (ch. IV)."""
    contacts = PlanSection(
        t("reprisals.contacts.heading", lang),
        tuple(contact_lines(mandate_engaged, lang, escape)),
        (t("reprisals.source", lang, source=cite(CITE_CONTACTS, lang)),),
    )
    responses = PlanSection(
        t("reprisals.responses.heading", lang),
        tuple(label_value(t(r.label_key, lang), t(r.help_key, lang), lang) for r in RESPONSES),
        (t("reprisals.source", lang, source=cite(CITE_RESPONSES, lang)),),
    )
    cycle_lines: list[str] = []
    if incident_date is None:
        cycle_lines.append(t("reprisals.cycle.no_date", lang))
    else:
        try:
            cycle = report_cycle(incident_date, today=today)
        except ReprisalError as exc:
            cycle_lines.append(exc.message(lang))
        else:
            cycle_lines.append(t("reprisals.cycle.incident", lang, date=format_day(incident_date, lang)))
            cycle_lines += describe_cycle(cycle, lang)
    return [contacts, responses, PlanSection(t("reprisals.cycle.heading", lang), (), tuple(cycle_lines))]
