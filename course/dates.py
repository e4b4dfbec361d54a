"""The course's one date parser, for every date a person types.

Accepts ``2024-11-05``, ``2024/11/05``, ``2024.11.05``, ``2024年11月5日`` and full-width
digits; with ``partial=True`` also a month (``2024-11``, ``2024年11月``) or a year
(``2024``), read as the period they cover. Errors are :class:`DateError`, a
:class:`course.i18n.UserError` whose key says what is wrong (keys in ``timeline.po``).
Formatting dates for display is :func:`course.i18n.format_date`.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from .i18n import N_, UserError

_DATE = re.compile(
    r"^(?P<y>[+-]?\d{1,6})(?:\s*[-/.年]\s*(?P<m>\d{1,2})(?:\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?|\s*月)?)?$"
)
MAX_LENGTH = 64
"""Longer text is not a date (and is not worth a regular expression's time)."""


class DateError(UserError):
    """A typed date cannot be used: ``key`` and ``values`` say why."""


def parse_period(text: object, *, partial: bool = False) -> tuple[date, date] | None:
    """``(first_day, last_day)`` of the date or period in ``text``; ``None`` when blank.

    Without ``partial`` only a full day is accepted (first and last day are equal).
    Raises :class:`DateError`: ``timeline.error.format`` (not a date),
    ``timeline.error.year_zero``, ``timeline.error.no_such_month`` (``month``),
    ``timeline.error.no_such_day`` (``year``, ``month``, ``day``, ``last``).
    """
    raw = "" if text is None else str(text)
    value = unicodedata.normalize("NFKC", raw).strip()
    if not value:
        return None
    if len(value) > MAX_LENGTH:
        raise DateError(N_("timeline.error.format"))
    match = _DATE.match(value)
    if not match or (not partial and match["d"] is None):
        raise DateError(N_("timeline.error.format"))
    year = int(match["y"])
    if year <= 0:
        raise DateError(N_("timeline.error.year_zero"))
    if year > 9999:  # beyond the calendar Python knows; ``year`` lets callers say "too far ahead"
        raise DateError(N_("timeline.error.format"), year=year)
    if match["m"] is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(match["m"])
    if not 1 <= month <= 12:
        raise DateError(N_("timeline.error.no_such_month"), month=month)
    last = calendar.monthrange(year, month)[1]
    if match["d"] is None:
        return date(year, month, 1), date(year, month, last)
    day = int(match["d"])
    if not 1 <= day <= last:
        raise DateError(N_("timeline.error.no_such_day"), year=year, month=month, day=day, last=last)
    return date(year, month, day), date(year, month, day)


def parse_day(text: object) -> date:
    """One calendar day from ``text`` (a :class:`date` passes through); blank raises
    :class:`DateError` with ``timeline.error.empty``."""
    from datetime import datetime

    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    period = parse_period(text)
    if period is None:
        raise DateError(N_("timeline.error.empty"))
    return period[0]
