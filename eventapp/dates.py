"""The dates the service accepts: any real event's, and far from the ends of the calendar.

From 2000: the service plans events and evaluates ones already held, and no event it records
is older, so an earlier year is a slip of the keyboard. To 2100: decades of room for any plan,
while 2207 typed for 2027 is caught. Both ends keep every calculation on a date (week windows
weeks either side, UK time to UTC, calendar files) far from Python's years 1 and 9999.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def _written(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def out_of_range(label: str, day: date) -> str | None:
    """The error for a date the service does not accept, or None if it is in range."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{label} must be between {_written(FIRST_DAY)} and {_written(LAST_DAY)}"
