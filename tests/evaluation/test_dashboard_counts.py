"""The coordinators' dashboard adds up to its events' reports (issue 13, section 4).

The dashboard groups the answers per event in SQL and sums those counts by quarter, by format
and over the selection; these tests check every pooled figure against the report's own
aggregates of each event, so the dashboard cannot drift from the reports it summarises.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from eventapp.evaluation import dashboard, queries, services
from eventapp.evaluation.models import Evaluation
from eventapp.evaluation.queries import quarter_label
from eventapp.evaluation.stats import Measure, paired_change
from eventapp.events.models import Event, EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.objectives.models import Metric, Objective
from tests.evaluation.conftest import PAST
from tests.evaluation.test_pages import add_responses

KNOWLEDGE = ["very_poor", "poor", "good", "very_good", "dont_know", None]
OPINION = ["very_negative", "negative", "neutral", "positive", "very_positive", "dont_know", None]


def mixed(n: int, seed: int) -> list[dict[str, str | None]]:
    """Responses with every kind of before/after answer, Don't know and blanks included."""
    rng = random.Random(seed)
    return [
        {
            "recommend": rng.choice(["yes", "yes", "yes", "no", "dont_know", None]),
            "video": rng.choice(["yes", "no", "dont_know", None]),
            "knowledge_before": rng.choice(KNOWLEDGE),
            "knowledge_after": rng.choice(KNOWLEDGE),
            "opinion_before": rng.choice(OPINION),
            "opinion_after": rng.choice(OPINION),
        }
        for _ in range(n)
    ]


def held(make_event: Callable[..., Event], title: str, days_ago: int, fmt: EventFormat) -> Event:
    event = make_event(title=title)
    event.starts_at = datetime.combine(PAST - timedelta(days=days_ago), time(18), UTC)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.status = EventStatus.HELD
    event.format = fmt
    event.intro_video = True
    db.session.commit()
    return event


def test_dashboard_figures_are_the_sums_of_its_events_reports(
    make_event: Callable[..., Event], organiser: Any
) -> None:
    events = [
        held(make_event, f"Event {i}", days_ago, fmt)
        for i, (days_ago, fmt) in enumerate(
            [
                (0, EventFormat.IN_PERSON),
                (3, EventFormat.ONLINE),
                (120, EventFormat.IN_PERSON),
                (125, EventFormat.HYBRID),
                (240, EventFormat.ONLINE),
            ]
        )
    ]
    for i, event in enumerate(events):
        add_responses(event, mixed(20 + 13 * i, seed=i))
    board = dashboard.dashboard(organiser.council_id, dashboard.Filters())

    per_event = {e.id: queries.feedback_counts([e.id]) for e in events}

    def answered(counts: queries.FeedbackCounts, item: str) -> int:
        return sum(n for option, n in counts.options.get(item, {}).items() if option is not None)

    def pooled(measure: Measure, ids: list[int]) -> Any:
        joint: dict[Any, int] = {}
        for e in ids:
            for key, n in per_event[e].joint.get(measure.value, {}).items():
                joint[key] = joint.get(key, 0) + n
        return paired_change(measure, joint)

    ids = [e.id for e in events]
    assert board.events == 5
    assert board.responses.value == sum(c.responses for c in per_event.values())
    recommend, more_positive, video = board.headlines
    assert (recommend.yes.value, recommend.base.value) == (
        sum(c.options["recommend"].get("yes", 0) for c in per_event.values()),
        sum(answered(c, "recommend") for c in per_event.values()),
    )
    assert (video.yes.value, video.base.value) == (
        sum(c.options["video"].get("yes", 0) for c in per_event.values()),
        sum(answered(c, "video") for c in per_event.values()),
    )
    opinion = pooled(Measure.OPINION, ids)
    assert (more_positive.yes.value, more_positive.base.value) == (opinion.improved, opinion.pairs)
    for change, measure in zip(board.changes, (Measure.KNOWLEDGE, Measure.OPINION), strict=True):
        expected = pooled(measure, ids)
        assert change.result == expected

    # By quarter: each row sums the events of its quarter.
    by_quarter: dict[str, list[Event]] = {}
    for event in events:
        assert event.starts_at is not None
        moment = event.starts_at
        local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(dashboard.UK)
        code = local.year * 10 + (local.month + 2) // 3
        by_quarter.setdefault(quarter_label(code), []).append(event)
    assert [row.label for row in board.quarters] == sorted(
        by_quarter, key=lambda label: (label[-4:], ["Jan", "Apr", "Jul", "Oct"].index(label[:3]))
    )
    for row in board.quarters:
        members = [e.id for e in by_quarter[row.label]]
        assert row.events == len(members)
        assert row.responses.value == sum(per_event[e].responses for e in members)
        assert (row.recommend.yes.value, row.recommend.base.value) == (
            sum(per_event[e].options["recommend"].get("yes", 0) for e in members),
            sum(answered(per_event[e], "recommend") for e in members),
        )
        quarter_opinion = pooled(Measure.OPINION, members)
        assert (row.more_positive.yes.value, row.more_positive.base.value) == (
            quarter_opinion.improved,
            quarter_opinion.pairs,
        )
    # By format: responses per quarter and format.
    formats = list(dashboard.FORMATS)
    for r, label in enumerate(board.quarter_labels):
        for c, fmt in enumerate(formats):
            assert board.by_format.cells[r][c].value == sum(
                per_event[e.id].responses for e in by_quarter[label] if e.format is fmt
            )


def test_dashboard_counts_a_response_with_no_answers_as_the_report_does(
    make_event: Callable[..., Event], organiser: Any
) -> None:
    """Five responses, one left entirely blank: the report counts five (enough to judge a
    response rate), and so must the dashboard's verdict."""
    event = held(make_event, "Small event", 0, EventFormat.IN_PERSON)
    db.session.add(Evaluation(event_id=event.id, attendance_entered=10))
    db.session.add(
        Objective(
            event_id=event.id,
            position=1,
            statement="Half of those attending give feedback",
            metric=Metric.RESPONSE_RATE,
            target_value=Decimal(50),
            measure_by=PAST,
        )
    )
    db.session.commit()
    add_responses(event, mixed(4, seed=1) + [{}])
    today = utcnow().date()
    report = services.build_report(event, today=today)
    assert report.feedback.responses == 5
    [result] = report.objectives
    assert result.judgement.label == "Met"
    board = dashboard.dashboard(organiser.council_id, dashboard.Filters(), today=today)
    assert board.responses.value == 5
    assert dict(board.objectives)["Met"] == 1


def test_dashboard_judges_a_registrations_objective_as_the_report_does(
    make_event: Callable[..., Event], organiser: Any
) -> None:
    """Registrations counted as the report counts them (walk-ins and unconfirmed emails left
    out); an event that took no registrations cannot be judged, on both."""
    from eventapp.registration.models import RegistrationStatus
    from tests.evaluation.test_attendance import add_registrations

    met = held(make_event, "Well registered", 10, EventFormat.IN_PERSON)
    missed = held(make_event, "Few registered", 20, EventFormat.IN_PERSON)
    none = held(make_event, "Nobody registered", 30, EventFormat.ONLINE)
    for event in (met, missed, none):
        db.session.add(
            Objective(
                event_id=event.id,
                position=1,
                statement="At least six people register",
                metric=Metric.REGISTRATIONS,
                target_value=Decimal(6),
                measure_by=PAST,
            )
        )
    db.session.commit()
    add_registrations(met, 4)
    add_registrations(met, 2, status=RegistrationStatus.WAITING, start=4)
    add_registrations(missed, 5)
    add_registrations(missed, 1, status=RegistrationStatus.UNCONFIRMED, start=5)
    add_registrations(missed, 2, walk_in=True, checked_in=True, start=6)
    db.session.commit()
    today = utcnow().date()

    labels = [
        services.build_report(event, today=today).objectives[0].judgement.label
        for event in (met, missed, none)
    ]
    board = dashboard.dashboard(organiser.council_id, dashboard.Filters(), today=today)

    assert labels == ["Met", "Not met", "Cannot be judged yet"]
    assert dict(board.objectives) == {
        "Met": 1,
        "Not met": 1,
        "Not yet measurable": 0,
        "Cannot be judged yet": 1,
    }
