"""The dashboard's quarters are UK quarters on every database, whatever the machine's zone."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import literal, select
from sqlalchemy.types import DateTime

from eventapp.evaluation.queries import quarter_label, uk_quarter
from eventapp.extensions import db


@pytest.mark.timezone_sensitive
@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # 00:30 on 1 April in summer time: the new quarter.
        ("2027-03-31 23:30:00", "Apr–Jun 2027"),
        ("2027-03-31 22:59:59", "Jan–Mar 2027"),
        # 31 March is the day summer time starts in 2024: it is already on by the evening.
        ("2024-03-31 23:00:00", "Apr–Jun 2024"),
        ("2027-06-30 23:00:00", "Jul–Sep 2027"),
        ("2027-06-30 22:30:00", "Apr–Jun 2027"),
        ("2027-09-30 23:15:00", "Oct–Dec 2027"),
        ("2027-09-30 12:00:00", "Jul–Sep 2027"),
        # New Year is in winter: UK time is UTC.
        ("2026-12-31 23:30:00", "Oct–Dec 2026"),
        ("2027-01-01 00:00:00", "Jan–Mar 2027"),
        # Early March, before summer time: an hour later never crosses a quarter anyway.
        ("2027-03-01 00:30:00", "Jan–Mar 2027"),
        ("2027-10-31 23:30:00", "Oct–Dec 2027"),
    ],
)
def test_quarter_of_a_utc_time_is_its_uk_quarter(app, utc: str, expected: str) -> None:
    moment = datetime.fromisoformat(utc)
    code = db.session.scalar(select(uk_quarter(literal(moment, DateTime()))))
    assert code is not None
    assert quarter_label(code) == expected


def test_quarter_labels_name_the_months() -> None:
    assert [quarter_label(20270 + q) for q in (1, 2, 3, 4)] == [
        "Jan–Mar 2027",
        "Apr–Jun 2027",
        "Jul–Sep 2027",
        "Oct–Dec 2027",
    ]
