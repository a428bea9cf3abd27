"""The five weeks of the handbook's schedule, counted from the event day (pure functions).

"Example schedule for organising an in-person event": weeks 1 to 4 lead up to the event and
week 4 ends with it; week 5 follows it. A task is due at the end of its week, so week 2's
"send invites at least two weeks ahead of the event" falls due exactly two weeks before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from eventapp.formatting import LONDON

WEEKS = (1, 2, 3, 4, 5)
EVENT_WEEK = 4
AFTER_WEEK = 5


def local_event_day(starts_at_utc: datetime) -> date:
    """The UK calendar date of an event starting at this instant (naive values are UTC)."""
    if starts_at_utc.tzinfo is None:
        starts_at_utc = starts_at_utc.replace(tzinfo=UTC)
    return starts_at_utc.astimezone(LONDON).date()


def _check_week(week: int) -> None:
    if week not in WEEKS:
        raise ValueError(f"week must be 1 to 5, not {week!r}")


def _shift(day: date, days: int) -> date:
    """The day moved by some days, held at the first or last date Python has, never past it."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def week_window(event_day: date, week: int) -> tuple[date, date]:
    """The first and last day of a week of the schedule, both included.

    Defined for every date: near year 1 or 9999 a window is cut short at the calendar's end
    (the forms only accept 2000 to 2100, see eventapp.dates).
    """
    _check_week(week)
    if week == AFTER_WEEK:
        return _shift(event_day, 1), _shift(event_day, 7)
    end = _shift(event_day, -7 * (EVENT_WEEK - week))
    return _shift(end, -6), end


def due_date(event_day: date, week: int) -> date:
    """When a task of this week falls due: the last day of the week."""
    return week_window(event_day, week)[1]


def week_of(event_day: date, day: date) -> int | None:
    """The week of the schedule a day falls in, or None before week 1 or after week 5."""
    for week in WEEKS:
        start, end = week_window(event_day, week)
        if start <= day <= end:
            return week
    return None


def schedule_window(event_day: date) -> tuple[date, date]:
    """The first day of week 1 and the last day of week 5: where any task's due date may fall."""
    return week_window(event_day, WEEKS[0])[0], week_window(event_day, WEEKS[-1])[1]


# The same window as days from the event day, for a due date kept as a distance from it.
FIRST_OFFSET = -7 * (EVENT_WEEK - WEEKS[0]) - 6
LAST_OFFSET = 7


def offset_day(event_day: date, offset: int) -> date:
    """The day some days from the event day (held at the calendar's ends, never past them)."""
    return _shift(event_day, offset)
