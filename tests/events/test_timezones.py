"""Times are typed in UK time, stored in UTC, and shown back in UK time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, text

from eventapp.events.models import Event
from eventapp.events.services import local_to_utc
from eventapp.extensions import db
from tests.events.formdata import event_form
from tests.events.pages import error_summary, input_value, main_text

# Re-run under other machine time zones by `make test` (and `make mutate`).
pytestmark = pytest.mark.timezone_sensitive

NEXT_YEAR = date.today().year + 1
JUNE = date(NEXT_YEAR, 6, 17)
DECEMBER = date(NEXT_YEAR, 12, 9)


def last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return date.fromordinal(day.toordinal() - (day.weekday() + 1) % 7)


CLOCKS_FORWARD = last_sunday(NEXT_YEAR, 3)
CLOCKS_BACK = last_sunday(NEXT_YEAR, 10)


@pytest.mark.parametrize(
    ("day", "at", "utc"),
    [
        (JUNE, time(18, 0), datetime(NEXT_YEAR, 6, 17, 17, 0, tzinfo=UTC)),
        (DECEMBER, time(18, 0), datetime(NEXT_YEAR, 12, 9, 18, 0, tzinfo=UTC)),
        (JUNE, time(0, 30), datetime(NEXT_YEAR, 6, 16, 23, 30, tzinfo=UTC)),
        (DECEMBER, time(9, 30), datetime(NEXT_YEAR, 12, 9, 9, 30, tzinfo=UTC)),
        # On the days the clocks change, the evening is already on the new offset.
        (CLOCKS_FORWARD, time(18, 0), datetime.combine(CLOCKS_FORWARD, time(17, 0), UTC)),
        (CLOCKS_BACK, time(18, 0), datetime.combine(CLOCKS_BACK, time(18, 0), UTC)),
    ],
    ids=["june", "december", "june-after-midnight", "december-morning", "clocks-forward",
         "clocks-back"],
)
def test_local_to_utc(day: date, at: time, utc: datetime) -> None:
    result = local_to_utc(day, at)
    assert result == utc
    assert result.utcoffset().total_seconds() == 0


def stored_start(event_id: int) -> datetime:
    db.session.expire_all()
    event = db.session.get(Event, event_id)
    assert event is not None and event.starts_at is not None
    return event.starts_at


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(JUNE, 17), (DECEMBER, 18)],
    ids=["june-is-bst", "december-is-gmt"],
)
def test_18_00_uk_time_is_stored_as_utc_and_shown_back_as_18_00(
    signed_in: FlaskClient, day: date, utc_hour: int
) -> None:
    response = signed_in.post("/events/new", data=event_form(day, start="18:00", end="20:00"))
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()

    starts_at = stored_start(event.id)
    assert starts_at == datetime.combine(day, time(utc_hour, 0), UTC)
    assert event.ends_at == datetime.combine(day, time(utc_hour + 2, 0), UTC)
    # What the database itself holds, read without the model's type conversion.
    raw = db.session.execute(text("SELECT starts_at FROM event")).scalar_one()
    if isinstance(raw, str):  # SQLite keeps text
        assert raw.startswith(f"{day.isoformat()} {utc_hour:02d}:00:00")
    else:
        assert raw.astimezone(UTC) == starts_at

    edit_page = signed_in.get(f"/events/{event.id}/edit").text
    assert (input_value(edit_page, "start"), input_value(edit_page, "end")) == ("18:00", "20:00")
    overview = main_text(signed_in.get(f"/events/{event.id}").text)
    assert f"{day.day} {day:%B %Y}, 6pm to 8pm" in overview


def test_saving_the_edit_form_unchanged_keeps_the_same_instant(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(day=JUNE, start=time(18, 0), end=time(20, 0))
    before = stored_start(event.id)
    page = signed_in.get(f"/events/{event.id}/edit").text
    data = event_form(JUNE, start=input_value(page, "start"), end=input_value(page, "end"))
    assert signed_in.post(f"/events/{event.id}/edit", data=data).status_code == 302
    assert stored_start(event.id) == before == datetime(NEXT_YEAR, 6, 17, 17, 0, tzinfo=UTC)


GAP = "The clocks go forward at 1am on this date: enter a time from 2am"


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        ("01:30", "02:30", ("#start", GAP)),
        ("01:00", "02:00", ("#start", GAP)),
        ("00:30", "01:15", ("#end", GAP)),
        ("00:30", "02:30", None),
    ],
)
def test_times_in_the_hour_the_clocks_skip_are_refused_not_a_server_error(
    signed_in: FlaskClient, start: str, end: str, error: tuple[str, str] | None
) -> None:
    """01:00-01:59 never happens in the UK on the day the clocks go forward."""
    response = signed_in.post("/events/new", data=event_form(CLOCKS_FORWARD, start=start, end=end))
    if error is None:
        assert response.status_code == 302
        event = db.session.scalars(select(Event)).one()
        assert event.starts_at == datetime.combine(CLOCKS_FORWARD, time(0, 30), UTC)
        assert event.ends_at == datetime.combine(CLOCKS_FORWARD, time(1, 30), UTC)
    else:
        assert response.status_code == 200
        assert error in error_summary(response.text)
