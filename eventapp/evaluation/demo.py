"""Demo evaluation: three held events across two quarters, so the report and the dashboard
are complete, and one small event shows the feedback withheld (fewer than 5 responses).

Builds on the feedback demo's past event (its 48 responses), adding the organiser's side:
attendance, the target schools reached, objectives measured the handbook's way, conclusions.
Loaded once (idempotent).
"""

from __future__ import annotations

import random
from datetime import time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.audience.models import AudienceProfile, TargetOrganisation
from eventapp.evaluation import services
from eventapp.evaluation.models import Evaluation, RepresentedOrganisation
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.feedback import demo as feedback_demo
from eventapp.feedback import services as feedback_services
from eventapp.feedback.models import FeedbackResponse, Source
from eventapp.handbook import Aim
from eventapp.models.base import utcnow
from eventapp.objectives.models import Metric, Objective

SCHOOLS = [
    "Gable Hall School",
    "Grays Convent High School",
    "Hathaway Academy",
    "Ortu Hassenbrook Academy",
    "St Clere's School",
    "William Edwards School",
]
# Two schools are matched by their staff's check-ins (the registration demo's attendees);
# the organiser ticks two more whose staff signed only the paper sheet: 4 of 6 represented.
TICKED = ["Hathaway Academy", "Ortu Hassenbrook Academy"]
OTHER_EVENTS = [
    # title, days ago, format, responses, Home Office speaking
    ("Faith leaders and Prevent: an online roundtable", 120, EventFormat.ONLINE, 22, False),
    ("Prevent briefing for youth workers", 75, EventFormat.IN_PERSON, 3, True),
]


def _objective(event: Event, position: int, **fields: object) -> None:
    if any(o.position == position for o in event.objectives):
        return
    event.objectives.append(Objective(position=position, **fields))


def _past_event_evaluation(event: Event) -> list[str]:
    created = []
    if not event.target_organisations:
        for name in SCHOOLS:
            event.target_organisations.append(TargetOrganisation(name=name, expected_attendees=2))
        db.session.flush()
        for org in event.target_organisations:
            if org.name in TICKED:
                db.session.add(
                    RepresentedOrganisation(event_id=event.id, target_organisation_id=org.id)
                )
        created.append("6 target schools, 2 ticked as represented")
    if event.audience is None:
        # A mixed audience (no single sector): understanding is measured among all respondents.
        event.audience = AudienceProfile(profession="Safeguarding leads, teachers and parents")
    assert event.starts_at is not None
    day = event.starts_at.date()
    _objective(
        event,
        1,
        statement="Raise awareness of online radicalisation amongst safeguarding leads, teachers "
        "and parents in Grays, leading to an increased understanding by the end of the event.",
        specific_who="Safeguarding leads, teachers and parents in Grays",
        specific_what="Increased understanding of Prevent and online radicalisation",
        metric=Metric.INCREASED_UNDERSTANDING,
        target_value=Decimal(50),
        attainable_reason="Most leads have not had Prevent training this year",
        relevant_aim=Aim.AWARENESS,
        measure_by=day,
    )
    _objective(
        event,
        2,
        statement="Representation from all 6 secondary schools in Grays.",
        specific_who="Secondary schools in Grays",
        specific_what="Send a safeguarding lead to the roundtable",
        metric=Metric.ORGANISATIONS_REPRESENTED,
        target_value=Decimal(6),
        attainable_reason="The schools' safeguarding network promotes the event",
        relevant_aim=Aim.AWARENESS,
        measure_by=day,
    )
    _objective(
        event,
        3,
        statement="Recruit 5 members of a new Prevent Advisory Group within three months.",
        specific_who="Attendees with an interest in local delivery",
        specific_what="Join the Prevent Advisory Group",
        metric=Metric.MANUAL,
        manual_metric_name="Advisory group members recruited",
        target_value=Decimal(5),
        target_unit="members",
        attainable_reason="Several attendees asked about the group on the night",
        relevant_aim=Aim.ADVOCACY,
        measure_by=day + timedelta(days=90),
    )
    if services.get_evaluation(event) is None:
        db.session.add(
            Evaluation(
                # Attendance comes from the check-ins (the registration demo's), not a figure.
                event_id=event.id,
                further_action="Follow up with St Clere's School and William Edwards School, "
                "who were not represented. Two attendees asked for a meeting about referrals.",
                behaviour_change="Safeguarding leads said they now know who to call and what a "
                "referral involves; several plan to brief their staff.",
                local_delivery="New contacts in four schools; the Prevent team's training offer "
                "reached people it had not reached before.",
                recommendations="Start at 4pm so school staff can attend; keep the video; allow "
                "more time for questions.",
            )
        )
        created.append("the past event's evaluation")
    return created


def _held_event(
    council_id: int, organiser: User, title: str, days_ago: int, fmt: EventFormat, home_office: bool
) -> Event:
    day = utcnow().date() - timedelta(days=days_ago)
    event = event_services.create_event(
        council_id=council_id,
        actor=organiser,
        details=event_services.EventDetails(
            title=title,
            aims=[Aim.AWARENESS],
            day=day,
            start=time(18, 0),
            end=time(19, 30),
            format=fmt,
            venue_name="" if fmt is EventFormat.ONLINE else "Tilbury Hub",
            venue_address="" if fmt is EventFormat.ONLINE else "Civic Square\nTilbury\nRM18 8AD",
            capacity=40,
            home_office_speaking=home_office,
            intro_video=True,
        ),
    )
    event_services.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    event_services.change_status(event=event, to=EventStatus.HELD, actor=organiser)
    return event


def load(council_id: int, organiser: User, coordinator: User | None = None) -> list[str]:
    """Add what is missing of the evaluation demo."""
    created: list[str] = []
    past = db.session.scalar(
        select(Event).where(Event.council_id == council_id, Event.title == feedback_demo.PAST_TITLE)
    )
    if past is not None:
        created += _past_event_evaluation(past)
    for i, (title, days_ago, fmt, responses, home_office) in enumerate(OTHER_EVENTS):
        event = db.session.scalar(
            select(Event).where(Event.council_id == council_id, Event.title == title)
        )
        if event is None:
            event = _held_event(council_id, organiser, title, days_ago, fmt, home_office)
            created.append(f"held event {title!r}")
        count = db.session.scalar(
            select(func.count())
            .select_from(FeedbackResponse)
            .where(FeedbackResponse.event_id == event.id)
        )
        if not count:
            rng = random.Random(100 + i)
            assert event.starts_at is not None
            for _ in range(responses):
                feedback_services.store_response(
                    event=event,
                    answers=feedback_demo.fake_answers(rng, event),
                    source=Source.OPEN_LINK,
                    on=event.starts_at.date(),
                )
            created.append(f"{responses} responses for {title!r}")
        if i == 0 and services.get_evaluation(event) is None:
            db.session.add(
                Evaluation(
                    event_id=event.id,
                    attendance_entered=31,
                    attendance_note="Participants list from the online platform",
                    recommendations="Share the slides in advance for people joining by phone.",
                )
            )
            if coordinator is not None and event.status is EventStatus.HELD:
                event_services.change_status(
                    event=event, to=EventStatus.EVALUATED, actor=coordinator
                )
    uow.commit()
    return created
