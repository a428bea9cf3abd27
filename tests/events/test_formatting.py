"""Dates, times and numbers shown the GOV.UK way, in UK time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from eventapp.formatting import govuk_date, govuk_datetime, govuk_time, number

# Re-run under other machine time zones by `make test` (and `make mutate`).
pytestmark = pytest.mark.timezone_sensitive


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (datetime(2027, 6, 17, 17, 0, tzinfo=UTC), "6pm"),  # BST
        (datetime(2027, 12, 9, 18, 0, tzinfo=UTC), "6pm"),  # GMT
        (datetime(2027, 6, 17, 17, 30, tzinfo=UTC), "6:30pm"),
        (datetime(2027, 6, 17, 11, 0, tzinfo=UTC), "midday"),
        (datetime(2027, 12, 9, 0, 0, tzinfo=UTC), "midnight"),
        (datetime(2027, 12, 9, 9, 5, tzinfo=UTC), "9:05am"),
        (datetime(2027, 12, 9, 12, 30, tzinfo=UTC), "12:30pm"),
        (datetime(2027, 12, 9, 0, 30, tzinfo=UTC), "12:30am"),
        (None, ""),
    ],
)
def test_govuk_time(utc: datetime | None, shown: str) -> None:
    assert govuk_time(utc) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2027, 3, 5), "5 March 2027"),
        (datetime(2027, 12, 9, 18, 0, tzinfo=UTC), "9 December 2027"),
        # 23:30 UTC on 30 June is already 1 July in the UK.
        (datetime(2027, 6, 30, 23, 30, tzinfo=UTC), "1 July 2027"),
        (None, ""),
    ],
)
def test_govuk_date_uses_the_uk_date(value: date | datetime | None, shown: str) -> None:
    assert govuk_date(value) == shown


def test_govuk_datetime() -> None:
    assert govuk_datetime(datetime(2027, 6, 17, 17, 0, tzinfo=UTC)) == "17 June 2027 at 6pm"
    assert govuk_datetime(None) == ""


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("15.00"), "15"),
        (Decimal("2.50"), "2.5"),
        (Decimal("100"), "100"),
        (Decimal("1E+2"), "100"),
        (5, "5"),
        (2.5, "2.5"),
        (None, ""),
    ],
)
def test_number_drops_needless_decimals(value: Decimal | int | float | None, shown: str) -> None:
    assert number(value) == shown
