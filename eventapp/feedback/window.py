"""When an event's feedback form is open: a pure function of the event's times and settings.

The handbook collects feedback in the event's last minutes and afterwards, so the form opens
at the event's start and closes at the end of the UK day ``days_open`` days after the event
(0: the end of the event's own day). The organiser can close it earlier.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from eventapp.formatting import LONDON


class State(enum.StrEnum):
    NO_DATE = "no_date"  # the event has no start time yet
    NOT_YET = "not_yet"  # before the event starts
    OPEN = "open"
    CLOSED = "closed"  # the window has ended, or the organiser closed it


@dataclass(frozen=True)
class Window:
    state: State
    opens_at: datetime | None
    closes_at: datetime | None
    # The last UK day the form is open (for "until the end of 14 March").
    last_day: date | None = None
    closed_early: bool = False

    @property
    def is_open(self) -> bool:
        return self.state is State.OPEN


def last_day(starts_at: datetime, ends_at: datetime | None, days_open: int) -> date:
    """The last UK day on which the form is open."""
    end = ends_at if ends_at is not None else starts_at
    return end.astimezone(LONDON).date() + timedelta(days=days_open)


def feedback_window(
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    days_open: int,
    closed_at: datetime | None,
    now: datetime,
    opened_at: datetime | None = None,
) -> Window:
    """The window and whether it is open at ``now`` (all datetimes aware). ``opened_at``:
    the organiser opened the form before the start (an event that began early)."""
    if starts_at is None:
        return Window(State.NO_DATE, None, None)
    opens_at = min(starts_at, opened_at) if opened_at is not None else starts_at
    final = last_day(starts_at, ends_at, days_open)
    closes_at = datetime.combine(final + timedelta(days=1), time(0, 0), tzinfo=LONDON)
    if closed_at is not None and closed_at < closes_at:
        return Window(State.CLOSED, opens_at, closed_at, final, closed_early=True)
    if now < opens_at:
        return Window(State.NOT_YET, opens_at, closes_at, final)
    if now >= closes_at:
        return Window(State.CLOSED, opens_at, closes_at, final)
    return Window(State.OPEN, opens_at, closes_at, final)
