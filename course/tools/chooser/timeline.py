"""Dates that follow from "the communication was sent on D".

Rules, each with its source:

* reply deadline: usually 60 days for urgent appeals and allegation letters; it can
  be as short as 48 hours when the letter is about a draft law or policy and is
  mainly legal. The exact deadline is written in the letter
  (ISHR Practical Guide (2025), ch. III, 4).
* publication in the communications database once the reply deadline has passed
  (ISHR Practical Guide (2025), ch. III, 4): communications are made public after
  60 days, "other letters" after 48 hours (A/HRC/58/70, para. 9).
* follow-up the guide suggests (ch. III, 4 and 5).

Dates typed by people are checked by :func:`parse_sent_date`, which explains any
problem in the user's language through :class:`DateInputError`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ...dates import DateError, parse_day
from ...i18n import N_
from ...sources import Citation, guide, report
from ...terms import COMM_TYPES
from .rules import Note

USUAL_REPLY_DAYS = 60
"""Usual reply deadline (ISHR Practical Guide (2025), ch. III, 4)."""
SHORTEST_LEGAL_DRAFT_HOURS = 48
"""Shortest reply deadline for mainly legal letters on drafts (ISHR Practical Guide (2025), ch. III, 4)."""
PUBLICATION_DAYS = 60
"""Communications are published after 60 days (A/HRC/58/70, para. 9)."""
OTHER_LETTER_PUBLICATION_HOURS = 48
"""'Other letters' are published after 48 hours (A/HRC/58/70, para. 9)."""

MIN_YEAR = 1900
"""Earliest year the calculator accepts (a sanity bound, not a rule of the UN)."""
MAX_DAYS_AHEAD = 366
"""How far after today a date may lie before it is refused as a typing mistake."""

C_AFTER = guide("III", "4")
C_FOLLOW = guide("III", "5")
C_PUBLISH = report(9)


DateInputError = DateError
"""A typed date cannot be used (the course's one :class:`course.dates.DateError`)."""


def parse_sent_date(text: object, today: date | None = None) -> date:
    """Read a date typed as 2024-11-05, 2024/11/05, 2024.11.05 or 2024年11月5日.

    Raises :class:`DateInputError` for an empty field, an unreadable text, a day the
    calendar does not have (2024-02-30), year 0 or a year before ``MIN_YEAR``, or a
    date more than ``MAX_DAYS_AHEAD`` days after ``today``.
    """
    if isinstance(text, datetime):
        return _check_range(text.date(), today)
    if isinstance(text, date):
        return _check_range(text, today)
    try:
        day = parse_day(text)
    except DateError as exc:
        if exc.key == "timeline.error.format" and "year" in exc.values:
            raise DateError(N_("timeline.error.too_far"), days=MAX_DAYS_AHEAD) from None
        raise
    return _check_range(day, today)


def _check_range(value: date, today: date | None) -> date:
    today = today or date.today()
    if value.year < MIN_YEAR:
        raise DateInputError(N_("timeline.error.too_old"), year=value.year, min_year=MIN_YEAR)
    if value > today + timedelta(days=MAX_DAYS_AHEAD):
        raise DateInputError(N_("timeline.error.too_far"), days=MAX_DAYS_AHEAD)
    return value


@dataclass(frozen=True)
class Milestone:
    """A date on the timeline. ``approximate``: the letter itself gives the exact date."""

    milestone_id: str
    label_key: str
    on: date
    note: Note
    approximate: bool = True


@dataclass(frozen=True)
class FollowUp:
    """Something to do after sending; ``when`` is "now", "after_deadline", "after_publication" or "any_time"."""

    step_id: str
    when: str
    note: Note


@dataclass(frozen=True)
class Timeline:
    comm_type: str
    sent_on: date
    legal_draft: bool
    reply_deadline: date
    shortest_reply_deadline: date | None
    publication_date: date
    milestones: tuple[Milestone, ...]
    follow_up: tuple[FollowUp, ...]
    in_future: bool = False
    cites: tuple[Citation, ...] = field(default=(C_AFTER, C_PUBLISH))


FOLLOW_UP = (
    FollowUp("second_message", "now", Note(N_("timeline.follow.second_message"), (C_AFTER,))),
    FollowUp("update_ohchr", "any_time", Note(N_("timeline.follow.update_ohchr"), (C_AFTER,))),
    FollowUp("advocacy_now", "any_time", Note(N_("timeline.follow.advocacy_now"), (C_FOLLOW, guide("IV")))),
    FollowUp("check_database", "after_publication", Note(N_("timeline.follow.check_database"), (C_AFTER, C_FOLLOW))),
    FollowUp("comment_reply", "after_publication", Note(N_("timeline.follow.comment_reply"), (C_FOLLOW,))),
    FollowUp("use_reply", "after_publication", Note(N_("timeline.follow.use_reply"), (C_FOLLOW,))),
    FollowUp("media_diplomats", "after_publication", Note(N_("timeline.follow.media_diplomats"), (C_FOLLOW,))),
)


def communication_timeline(comm_type: str, sent_on: date, legal_draft: bool = False,
                           today: date | None = None) -> Timeline:
    """The reply deadline, publication date and follow-up for a communication sent on ``sent_on``.

    ``legal_draft``: the letter is mainly legal and about a draft law or policy, so the
    reply deadline may be as short as 48 hours (ISHR Practical Guide (2025), ch. III, 4).
    """
    if comm_type not in COMM_TYPES:
        raise ValueError(f"comm_type must be one of {COMM_TYPES}, got {comm_type!r}")
    if isinstance(sent_on, datetime):
        sent_on = sent_on.date()
    if not isinstance(sent_on, date):
        raise TypeError(f"sent_on must be a date, got {type(sent_on).__name__}")
    today = today or date.today()
    sent_on = _check_range(sent_on, today)

    usual_deadline = sent_on + timedelta(days=USUAL_REPLY_DAYS)
    shortest = sent_on + timedelta(hours=SHORTEST_LEGAL_DRAFT_HOURS) if legal_draft else None
    if comm_type == "other_letter":
        published = sent_on + timedelta(hours=OTHER_LETTER_PUBLICATION_HOURS)
        publish_key = N_("timeline.note.publication_other")
    else:
        published = sent_on + timedelta(days=PUBLICATION_DAYS)
        publish_key = N_("timeline.note.publication_60")

    milestones = [
        Milestone("sent", N_("timeline.milestone.sent"), sent_on,
                  Note(N_("timeline.note.sent"), (C_AFTER,)), approximate=False),
    ]
    if shortest is not None:
        milestones.append(Milestone("shortest_reply", N_("timeline.milestone.shortest_reply"), shortest,
                                    Note(N_("timeline.note.shortest_reply"), (C_AFTER,))))
    milestones.append(Milestone("published", N_("timeline.milestone.published"), published,
                                Note(publish_key, (C_PUBLISH, C_AFTER))))
    milestones.append(Milestone("reply_deadline", N_("timeline.milestone.reply_deadline"), usual_deadline,
                                Note(N_("timeline.note.reply_deadline"), (C_AFTER,))))
    milestones.sort(key=lambda m: (m.on, m.milestone_id != "sent"))
    return Timeline(
        comm_type=comm_type,
        sent_on=sent_on,
        legal_draft=bool(legal_draft),
        reply_deadline=usual_deadline,
        shortest_reply_deadline=shortest.date() if isinstance(shortest, datetime) else shortest,
        publication_date=published,
        milestones=tuple(milestones),
        follow_up=FOLLOW_UP,
        in_future=sent_on > today,
    )
