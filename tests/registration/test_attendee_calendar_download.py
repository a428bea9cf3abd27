"""The calendar file a confirmed registrant downloads from their own page, whole: before the
release time it gives only the general location; after it, the venue and address."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from flask.testing import FlaskClient

from eventapp.events.models import Event
from tests.calendars.icsfile import components, conformant, content_lines
from tests.calendars.test_ical_files import CALENDAR_HEADER, VTIMEZONE
from tests.registration.conftest import register_and_confirm, registration


def _download(client: FlaskClient, page: str) -> list[tuple[str, list[str]]]:
    response = client.get(page.rstrip("/") + "/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data()
    conformant(body)
    found = components(content_lines(body))
    # DTSTAMP is the moment of the download: checked for its form, then left out.
    (vevent,) = [props for path, props in found if path == "VCALENDAR/VEVENT"]
    (stamp,) = [line for line in vevent if line.startswith("DTSTAMP")]
    assert re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", stamp)
    vevent.remove(stamp)
    return found


def _expected(
    event: Event, uid: str, sequence: int, extra: list[str]
) -> list[tuple[str, list[str]]]:
    day = f"{event.starts_at:%Y%m%d}"
    vevent = [
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        "SUMMARY:Prevent roundtable",
        f"DTSTART;TZID=Europe/London:{day}T180000",
        f"DTEND;TZID=Europe/London:{day}T200000",
        f"URL:http://localhost/e/{event.public_slug}",
        "STATUS:CONFIRMED",
        *extra,
    ]
    calendar = [*CALENDAR_HEADER, "METHOD:PUBLISH", "X-WR-CALNAME:Prevent roundtable"]
    return sorted(
        [("VCALENDAR", sorted(calendar)), *VTIMEZONE, ("VCALENDAR/VEVENT", sorted(vevent))]
    )


def test_downloaded_file_before_and_after_release(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    url = "http://localhost/e/{slug}"
    later = open_event(
        day=(datetime.now(UTC) + timedelta(days=5)).date(),
        start=time(18, 0),
        end=time(20, 0),
        public_location="Grays town centre",
        venue_address="1 High Street\nGrays",
    )
    page = register_and_confirm(client, later, "early@example.org")
    uid = f"registration-{registration('early@example.org').id}@localhost"
    assert _download(client, page) == _expected(
        later,
        uid,
        0,
        [
            "LOCATION:Grays town centre",
            f"DESCRIPTION:Your registration: {url.format(slug=later.public_slug)}",
        ],
    )

    soon = open_event(
        day=(datetime.now(UTC) + timedelta(days=1)).date(),
        start=time(18, 0),
        end=time(20, 0),
        public_location="Grays town centre",
        venue_address="1 High Street\nGrays",
    )
    page = register_and_confirm(client, soon, "late@example.org")
    uid = f"registration-{registration('late@example.org').id}@localhost"
    assert _download(client, page) == _expected(
        soon,
        uid,
        1,
        [
            "LOCATION:Civic Hall\\, 1 High Street Grays",
            "DESCRIPTION:Venue: Civic Hall\\nAddress: 1 High Street\\nGrays\\nYour registration: "
            + url.format(slug=soon.public_slug),
        ],
    )
