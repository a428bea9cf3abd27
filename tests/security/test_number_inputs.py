"""Numbers a browser sends (pages, ids, filters) are checked before ``int``: "²" passes
``str.isdigit`` but ``int`` refuses it, and so does a number of 5,000 digits (Python's limit
on converting long strings). Both were a 500 on staff pages; now they are ignored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from eventapp.events.models import Event
from eventapp.routing import MAX_ID, ids_from, version_sent, whole_number

LONG = "9" * 5000
GARBLED = ["²", "¹²", LONG, "-1", "0", "1.5", " 7", "", "٣", str(MAX_ID + 1)]


@pytest.mark.parametrize("value", GARBLED)
def test_not_a_number_the_service_takes(value: str) -> None:
    assert whole_number(value) is None
    assert ids_from([value]) == []
    assert version_sent(value) == (0 if value == "0" else -1)


def test_numbers_in_range_are_read() -> None:
    assert whole_number("1") == 1
    assert whole_number(str(MAX_ID)) == MAX_ID
    assert whole_number("0", low=0) == 0
    assert whole_number("100000", high=99_999) is None
    assert ids_from(["3", "²", "x", "12", LONG]) == [3, 12]
    assert version_sent("4") == 4


@pytest.mark.parametrize("value", ["²", LONG])
def test_staff_pages_ignore_garbled_numbers(
    signed_in: FlaskClient, make_event: Callable[..., Event], value: str
) -> None:
    event = make_event()
    base = f"/events/{event.id}"
    for url in (
        f"{base}/registrations/?page={value}",
        f"{base}/registrations/?channel={value}",
        f"{base}/invitations/?page={value}",
        f"{base}/audience/organisations/remove?ids={value}",
    ):
        response = signed_in.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
    response = signed_in.post(f"{base}/registrations/", data={"ids": [value], "action": "approve"})
    assert response.status_code in (200, 302)
