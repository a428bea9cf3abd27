"""Demo feedback: a roundtable held three weeks ago with 48 anonymous Annex A responses
(online and paper), stored through the same service as real ones. Loaded once (idempotent).

The evaluation's demo reads this event: find it by ``PAST_TITLE``.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from sqlalchemy import func, select

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventFormat, EventStatus, PresentationType
from eventapp.extensions import db
from eventapp.feedback import services
from eventapp.feedback.answers import Answer, Answers, items_for
from eventapp.feedback.models import FeedbackResponse, Source
from eventapp.handbook import Aim
from eventapp.models.base import utcnow

PAST_TITLE = "Prevent and online safety: a roundtable for Grays"
ONLINE, PAPER = 36, 12  # responses: most on phones in the last minutes, some on paper
SEED = 2026

# Weights in the order of each item's options (Annex A's order); None leaves it blank.
WEIGHTS: dict[str, list[int]] = {
    "gender": [19, 25, 4],
    "age": [0, 3, 9, 12, 11, 8, 3, 2],
    "sector": [6, 9, 2, 5, 4, 3, 1, 2, 1, 3, 4, 2, 1, 1, 4],
    "heard": [6, 3, 2, 5, 14, 3, 9, 3],
    "interest": [18, 22, 3, 1, 2],
    "recommend": [38, 4, 6],
    "video": [27, 9, 9],
    "element": [12, 9, 7, 6, 4, 10],
}
OTHER_TEXTS = {
    "sector": ["Youth work", "Housing association", "Community volunteer", "Sports club coach"],
    "heard": ["School newsletter", "Residents' association", "Local radio"],
}
# Before and after on each scale: how far people moved (most up by one step, some unchanged).
KNOWLEDGE = ["very_poor", "poor", "good", "very_good"]
OPINION = ["very_negative", "negative", "neutral", "positive", "very_positive"]


def _scale_pair(rng: random.Random, scale: list[str], start_weights: list[int]) -> tuple[str, str]:
    if rng.random() < 0.06:
        return "dont_know", rng.choice(["dont_know", scale[len(scale) // 2]])
    before = rng.choices(range(len(scale)), start_weights)[0]
    step = rng.choices([-1, 0, 1, 2], [1, 9, 14, 3])[0]
    after = max(0, min(len(scale) - 1, before + step))
    return scale[before], scale[after]


def fake_answers(rng: random.Random, event: Event) -> Answers:
    """One plausible filled-in form for the event (a few questions left blank)."""
    answers: Answers = {}
    for item, options in items_for(services.applies(event)):
        if item.key in WEIGHTS:
            option = rng.choices(options, WEIGHTS[item.key][: len(options)])[0]
            text = rng.choice(OTHER_TEXTS[item.key]) if option == "other" else None
            answers[item.key] = Answer(option, text)
    answers["knowledge_before"], answers["knowledge_after"] = (
        Answer(v) for v in _scale_pair(rng, KNOWLEDGE, [6, 16, 12, 2])
    )
    answers["opinion_before"], answers["opinion_after"] = (
        Answer(v) for v in _scale_pair(rng, OPINION, [2, 6, 16, 10, 3])
    )
    for key in list(answers):
        if rng.random() < 0.04:
            answers[key] = Answer()
    return answers


def _past_event(council_id: int, organiser: User) -> Event:
    day = utcnow().date() - timedelta(days=21)
    event = event_services.create_event(
        council_id=council_id,
        actor=organiser,
        details=event_services.EventDetails(
            title=PAST_TITLE,
            aims=[Aim.AWARENESS],
            day=day,
            start=time(18, 0),
            end=time(20, 0),
            format=EventFormat.IN_PERSON,
            venue_name="Grays Community Hub, Room 1",
            venue_address="Quarry Hill\nGrays\nRM17 5BT",
            capacity=60,
            chair_name="Sam Patel",
            chair_role="Prevent Coordinator, Thurrock Council",
            home_office_speaking=True,
            presentation_type=PresentationType.GENERAL,
            intro_video=True,
        ),
    )
    event.public_location = "Grays"
    event_services.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    event_services.change_status(event=event, to=EventStatus.HELD, actor=organiser)
    return event


def load(council_id: int, organiser: User) -> list[str]:
    """Add the past event and its responses unless they are there."""
    event = db.session.scalar(
        select(Event).where(Event.council_id == council_id, Event.title == PAST_TITLE)
    )
    created = []
    if event is None:
        event = _past_event(council_id, organiser)
        created.append("a past event")
    count = db.session.scalar(
        select(func.count())
        .select_from(FeedbackResponse)
        .where(FeedbackResponse.event_id == event.id)
    )
    if not count:
        rng = random.Random(SEED)
        assert event.starts_at is not None
        day = event.starts_at.date()
        for n in range(ONLINE + PAPER):
            paper = n >= ONLINE
            # Online: most during the event, the rest over the following days.
            later = 0 if paper or rng.random() < 0.7 else rng.choice([1, 1, 2, 3, 5, 9])
            services.store_response(
                event=event,
                answers=fake_answers(rng, event),
                source=Source.PAPER
                if paper
                else rng.choice([Source.OPEN_LINK] * 3 + [Source.PERSONAL_LINK]),
                on=day + timedelta(days=later),
            )
        created.append(f"{ONLINE + PAPER} feedback responses ({ONLINE} online, {PAPER} paper)")
    uow.commit()
    return created
