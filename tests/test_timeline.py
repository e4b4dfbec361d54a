"""Dates after a communication is sent (course.tools.chooser.timeline)."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from course.tools.chooser import timeline as tl
from course.tools.chooser.timeline import DateInputError, communication_timeline, parse_sent_date

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize("comm_type", ["urgent_appeal", "allegation_letter"])
def test_urgent_appeals_and_allegation_letters_60_days_and_published_after_60(comm_type):
    # ISHR Practical Guide (2025), ch. III, 4: usually 60 days; A/HRC/58/70, para. 9: public after 60 days.
    timeline = communication_timeline(comm_type, date(2024, 11, 5), today=TODAY)
    assert timeline.reply_deadline == date(2025, 1, 4)
    assert timeline.publication_date == date(2025, 1, 4)
    assert timeline.shortest_reply_deadline is None
    assert [m.milestone_id for m in timeline.milestones] == ["sent", "published", "reply_deadline"]
    assert {str(c) for c in timeline.cites} == {"ISHR Practical Guide (2025), ch. III, 4", "A/HRC/58/70, para. 9"}


def test_other_letter_published_after_48_hours():
    timeline = communication_timeline("other_letter", date(2024, 3, 1), today=TODAY)
    assert timeline.publication_date == date(2024, 3, 3)
    assert timeline.reply_deadline == date(2024, 4, 30)
    published = next(m for m in timeline.milestones if m.milestone_id == "published")
    assert "A/HRC/58/70, para. 9" in {str(c) for c in published.note.cites}
    assert "48" in published.note.text("en") and "48" in published.note.text("zh")


def test_mainly_legal_letter_on_a_draft_may_have_48_hour_deadline():
    timeline = communication_timeline("other_letter", date(2024, 12, 31), legal_draft=True, today=TODAY)
    assert timeline.shortest_reply_deadline == date(2025, 1, 2)
    ids = [m.milestone_id for m in timeline.milestones]
    assert ids[0] == "sent" and "shortest_reply" in ids
    shortest = next(m for m in timeline.milestones if m.milestone_id == "shortest_reply")
    assert str(shortest.note.cites[0]) == "ISHR Practical Guide (2025), ch. III, 4"
    assert [m.on for m in timeline.milestones] == sorted(m.on for m in timeline.milestones)


def test_leap_year_and_year_end():
    assert communication_timeline("urgent_appeal", date(2024, 1, 1), today=TODAY).reply_deadline == date(2024, 3, 1)
    assert communication_timeline("urgent_appeal", date(2023, 1, 1), today=TODAY).reply_deadline == date(2023, 3, 2)
    assert communication_timeline("allegation_letter", datetime(2024, 12, 1, 23, 59), today=TODAY).sent_on == date(
        2024, 12, 1)


def test_follow_up_steps_from_the_guide_with_citations():
    timeline = communication_timeline("allegation_letter", date(2024, 1, 10), today=TODAY)
    ids = [step.step_id for step in timeline.follow_up]
    assert ids == ["second_message", "update_ohchr", "advocacy_now", "check_database", "comment_reply",
                   "use_reply", "media_diplomats"]
    for step in timeline.follow_up:
        assert step.note.cites and all(str(c).startswith("ISHR Practical Guide (2025), ch.") for c in step.note.cites)
        assert step.note.text("en") and step.note.text("zh")
        assert step.when in {"now", "any_time", "after_publication"}


def test_unknown_type_and_non_dates_are_refused():
    with pytest.raises(ValueError):
        communication_timeline("press_release", date(2024, 1, 1), today=TODAY)
    with pytest.raises(TypeError):
        communication_timeline("urgent_appeal", "2024-01-01", today=TODAY)


def test_future_dates_are_flagged_and_far_future_refused():
    soon = communication_timeline("urgent_appeal", date(2025, 7, 1), today=TODAY)
    assert soon.in_future is True
    with pytest.raises(DateInputError):
        communication_timeline("urgent_appeal", date(9999, 12, 31), today=TODAY)


@pytest.mark.parametrize("typed, expected", [
    ("2024-11-05", date(2024, 11, 5)),
    (" 2024/11/5 ", date(2024, 11, 5)),
    ("2024.02.29", date(2024, 2, 29)),
    ("2024年11月5日", date(2024, 11, 5)),
    ("２０２４－１１－０５", date(2024, 11, 5)),
    (date(2024, 1, 2), date(2024, 1, 2)),
])
def test_parse_sent_date_accepts_common_ways_of_writing(typed, expected):
    assert parse_sent_date(typed, today=TODAY) == expected


@pytest.mark.parametrize("typed, key", [
    ("", "timeline.error.empty"),
    (None, "timeline.error.empty"),
    ("   ", "timeline.error.empty"),
    ("2024-02-30", "timeline.error.no_such_day"),
    ("2023-02-29", "timeline.error.no_such_day"),
    ("2024-04-31", "timeline.error.no_such_day"),
    ("2024-13-01", "timeline.error.no_such_month"),
    ("2024-00-10", "timeline.error.no_such_month"),
    ("0000-01-01", "timeline.error.year_zero"),
    ("0-01-01", "timeline.error.year_zero"),
    ("-44-03-15", "timeline.error.year_zero"),
    ("1066-10-14", "timeline.error.too_old"),
    ("9999-12-31", "timeline.error.too_far"),
    ("123456-01-01", "timeline.error.too_far"),
    ("2030-01-01", "timeline.error.too_far"),
    ("yesterday", "timeline.error.format"),
    ("<script>alert(1)</script>", "timeline.error.format"),
    ("2024-11-05\x00", "timeline.error.format"),
    ("x" * 1_000_000, "timeline.error.format"),
    ("11/05/2024", "timeline.error.format"),
])
def test_parse_sent_date_explains_every_problem_in_both_languages(typed, key):
    with pytest.raises(DateInputError) as caught:
        parse_sent_date(typed, today=TODAY)
    assert caught.value.key == key
    english, chinese = caught.value.message("en"), caught.value.message("zh")
    assert english and chinese and english != chinese
    assert "{" not in english and "{" not in chinese


def test_impossible_day_message_names_the_last_day():
    with pytest.raises(DateInputError) as caught:
        parse_sent_date("2024-02-30", today=TODAY)
    assert "29" in caught.value.message("en") and "29" in caught.value.message("zh")
    assert "2024年2月没有30日" in caught.value.message("zh")


def test_rules_are_the_cited_numbers():
    assert tl.USUAL_REPLY_DAYS == 60 and tl.PUBLICATION_DAYS == 60
    assert tl.SHORTEST_LEGAL_DRAFT_HOURS == 48 and tl.OTHER_LETTER_PUBLICATION_HOURS == 48
