"""Evaluation fixtures: a held event with two target schools and two objectives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from eventapp.audience.models import TargetOrganisation
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.objectives.models import Metric, Objective

PAST = (datetime.now(UTC) - timedelta(days=21)).date()


@pytest.fixture
def held_event(make_event: Callable[..., Event]) -> Event:
    event = make_event(title="Mental health roundtable")
    event.starts_at = datetime.combine(PAST, time(18), UTC)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.status = EventStatus.HELD
    db.session.add(TargetOrganisation(event=event, name="Grays School"))
    db.session.add(TargetOrganisation(event=event, name="Tilbury Academy"))
    db.session.add(
        Objective(
            event=event,
            position=1,
            statement="Safeguarding leads report increased understanding",
            metric=Metric.INCREASED_UNDERSTANDING,
            target_value=Decimal(70),
            measure_by=PAST,
        )
    )
    db.session.add(
        Objective(
            event=event,
            position=2,
            statement="Recruit 5 advisory group members",
            metric=Metric.MANUAL,
            manual_metric_name="Members recruited",
            target_value=Decimal(5),
            target_unit="members",
            measure_by=PAST + timedelta(days=3650),
        )
    )
    db.session.commit()
    return event
