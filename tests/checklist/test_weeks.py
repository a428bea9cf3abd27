"""The schedule's weeks: windows counted back from the UK-local event day (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventapp.checklist.weeks import WEEKS, due_date, local_event_day, week_of, week_window

# Re-run under other machine time zones by `make test` (and `make mutate`).
pytestmark = pytest.mark.timezone_sensitive

D = date.fromisoformat

# (event day, week, first day, last day)
WINDOWS = [
    # A Monday event: week 4 runs Tuesday to Monday and ends on the day.
    ("2027-03-08", 1, "2027-02-09", "2027-02-15"),
    ("2027-03-08", 2, "2027-02-16", "2027-02-22"),
    ("2027-03-08", 3, "2027-02-23", "2027-03-01"),
    ("2027-03-08", 4, "2027-03-02", "2027-03-08"),
    ("2027-03-08", 5, "2027-03-09", "2027-03-15"),
    # The Sunday the clocks go forward (28 March 2027) and the week after it.
    ("2027-03-28", 4, "2027-03-22", "2027-03-28"),
    ("2027-04-04", 3, "2027-03-22", "2027-03-28"),
    ("2027-04-04", 4, "2027-03-29", "2027-04-04"),
    # The Sunday the clocks go back (31 October 2027).
    ("2027-10-31", 2, "2027-10-11", "2027-10-17"),
    ("2027-10-31", 5, "2027-11-01", "2027-11-07"),
    # Year end: an event on 2 January starts its schedule in December...
    ("2028-01-02", 1, "2027-12-06", "2027-12-12"),
    ("2028-01-02", 3, "2027-12-20", "2027-12-26"),
    ("2028-01-02", 4, "2027-12-27", "2028-01-02"),
    # ...and one on 30 December finishes it in January.
    ("2027-12-30", 4, "2027-12-24", "2027-12-30"),
    ("2027-12-30", 5, "2027-12-31", "2028-01-06"),
    # A leap year: week 4 starts on 29 February.
    ("2028-03-06", 3, "2028-02-22", "2028-02-28"),
    ("2028-03-06", 4, "2028-02-29", "2028-03-06"),
]


@pytest.mark.parametrize(("event_day", "week", "first", "last"), WINDOWS)
def test_week_window(event_day: str, week: int, first: str, last: str) -> None:
    assert week_window(D(event_day), week) == (D(first), D(last))


@pytest.mark.parametrize(
    ("event_day", "week", "due"),
    [
        ("2027-03-08", 1, "2027-02-15"),
        # "Send invites at least two weeks ahead of event": due exactly 14 days before.
        ("2027-03-08", 2, "2027-02-22"),
        ("2027-03-08", 3, "2027-03-01"),
        ("2027-03-08", 4, "2027-03-08"),
        ("2027-03-08", 5, "2027-03-15"),
        ("2028-01-02", 1, "2027-12-12"),
        ("2027-12-30", 5, "2028-01-06"),
    ],
)
def test_due_date_is_the_last_day_of_the_week(event_day: str, week: int, due: str) -> None:
    assert due_date(D(event_day), week) == D(due)


@pytest.mark.parametrize("event_day", ["2027-03-08", "2027-10-31", "2028-01-02", "2028-03-06"])
def test_weeks_are_seven_days_back_to_back(event_day: str) -> None:
    day = D(event_day)
    windows = [week_window(day, w) for w in WEEKS]
    assert all(end - start == timedelta(days=6) for start, end in windows)
    assert all(b[0] - a[1] == timedelta(days=1) for a, b in zip(windows, windows[1:], strict=False))
    assert windows[3][1] == day
    assert due_date(day, 2) == day - timedelta(days=14)


@pytest.mark.parametrize("week", [0, 6, -1])
def test_week_outside_the_schedule_is_refused(week: int) -> None:
    with pytest.raises(ValueError) as refused:
        week_window(D("2027-03-08"), week)
    assert str(refused.value) == f"week must be 1 to 5, not {week}"


# (start instant in UTC, UK-local event day)
LOCAL_DAYS = [
    # Winter (GMT): the UTC date is the local date.
    (datetime(2027, 3, 8, 18, 0, tzinfo=UTC), "2027-03-08"),
    (datetime(2027, 12, 31, 23, 30, tzinfo=UTC), "2027-12-31"),
    # 00:30 on the Sunday the clocks go forward is still GMT.
    (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), "2027-03-28"),
    # 00:30 BST on the Monday after is 23:30 UTC on the Sunday: the local date wins.
    (datetime(2027, 3, 28, 23, 30, tzinfo=UTC), "2027-03-29"),
    # 00:30 BST on the Sunday the clocks go back is 23:30 UTC on the Saturday.
    (datetime(2027, 10, 30, 23, 30, tzinfo=UTC), "2027-10-31"),
    # After the clocks go back, 23:30 UTC is 23:30 GMT the same day.
    (datetime(2027, 10, 31, 23, 30, tzinfo=UTC), "2027-10-31"),
    # Midsummer: 23:30 UTC on 30 June is 00:30 on 1 July in the UK.
    (datetime(2027, 6, 30, 23, 30, tzinfo=UTC), "2027-07-01"),
    # A naive value is taken as UTC.
    (datetime(2027, 6, 30, 23, 30), "2027-07-01"),
]


@pytest.mark.parametrize(("starts_at", "day"), LOCAL_DAYS)
def test_local_event_day(starts_at: datetime, day: str) -> None:
    assert local_event_day(starts_at) == D(day)


@pytest.mark.parametrize(
    ("starts_at", "week", "first", "last"),
    [
        # Event at 00:30 BST on Monday 29 March 2027 (23:30 UTC on Sunday 28 March).
        (datetime(2027, 3, 28, 23, 30, tzinfo=UTC), 4, "2027-03-23", "2027-03-29"),
        (datetime(2027, 3, 28, 23, 30, tzinfo=UTC), 2, "2027-03-09", "2027-03-15"),
        # Event at 00:30 BST on Sunday 31 October 2027, the night the clocks go back.
        (datetime(2027, 10, 30, 23, 30, tzinfo=UTC), 4, "2027-10-25", "2027-10-31"),
        (datetime(2027, 10, 30, 23, 30, tzinfo=UTC), 5, "2027-11-01", "2027-11-07"),
    ],
)
def test_windows_use_the_local_day_across_clock_changes(
    starts_at: datetime, week: int, first: str, last: str
) -> None:
    assert week_window(local_event_day(starts_at), week) == (D(first), D(last))


@pytest.mark.parametrize(
    ("day", "week"),
    [
        ("2027-02-08", None),
        ("2027-02-09", 1),
        ("2027-02-22", 2),
        ("2027-02-23", 3),
        ("2027-03-08", 4),
        ("2027-03-09", 5),
        ("2027-03-15", 5),
        ("2027-03-16", None),
    ],
)
def test_week_of(day: str, week: int | None) -> None:
    assert week_of(D("2027-03-08"), D(day)) == week


# The ends of the calendar: the forms stop at 2000 and 2100, but the functions hold anywhere.

EDGES = [
    # (event day, week, first day, last day): cut short at year 1 and year 9999.
    (date.min, 1, date.min, date.min),
    (date.min, 4, date.min, date.min),
    (date(1, 1, 8), 4, date(1, 1, 2), date(1, 1, 8)),
    (date(1, 1, 8), 3, date.min, date(1, 1, 1)),
    (date(1, 1, 8), 2, date.min, date.min),
    (date.max, 4, date(9999, 12, 25), date.max),
    (date.max, 5, date.max, date.max),
    (date(9999, 12, 28), 5, date(9999, 12, 29), date.max),
]


@pytest.mark.parametrize(("event_day", "week", "first", "last"), EDGES)
def test_windows_stop_at_the_ends_of_the_calendar(
    event_day: date, week: int, first: date, last: date
) -> None:
    assert week_window(event_day, week) == (first, last)
    assert due_date(event_day, week) == last


@given(event_day=st.dates(), day=st.dates(), week=st.sampled_from(WEEKS))
def test_every_date_has_windows_and_a_week(event_day: date, day: date, week: int) -> None:
    """Any event day, year 1 to 9999: windows in order, seven days wherever the calendar allows."""
    first, last = week_window(event_day, week)
    assert first <= last
    if date(1, 3, 1) <= event_day <= date(9999, 10, 1):
        assert last - first == timedelta(days=6)
    assert week_of(event_day, day) in (None, *WEEKS)


def test_the_schedule_window_is_the_due_offsets_range_from_the_event_day() -> None:
    """Week 1's first day to week 5's last is days FIRST_OFFSET to LAST_OFFSET from the event
    day, for every weekday, across both clock changes and a year end; a due date kept as an
    offset (the database allows exactly that range) can therefore never leave the window."""
    from eventapp.checklist.models import ChecklistTask
    from eventapp.checklist.weeks import FIRST_OFFSET, LAST_OFFSET, offset_day, schedule_window

    assert schedule_window(date(2027, 1, 14)) == (date(2026, 12, 18), date(2027, 1, 21))
    assert (FIRST_OFFSET, LAST_OFFSET) == (-27, 7)
    start = date(2026, 12, 1)
    for n in range(400):
        day = start + timedelta(days=n)
        assert schedule_window(day) == (
            offset_day(day, FIRST_OFFSET),
            offset_day(day, LAST_OFFSET),
        ), day
    constraint = next(
        str(c.sqltext)
        for c in ChecklistTask.__table__.constraints
        if str(c.name).endswith("due_offset_in_schedule")
    )
    assert f"BETWEEN {FIRST_OFFSET} AND {LAST_OFFSET}" in constraint
