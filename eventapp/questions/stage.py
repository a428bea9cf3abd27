"""The overview's "Questions" stage, with the open follow-up actions."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.events.models import Event
from eventapp.questions import services
from eventapp.questions.models import QuestionState


@stages.register("questions", order=stages.Order.QUESTIONS)
def questions_stage(event: Event) -> stages.Stage:
    href = url_for("questions.index", event_id=event.id)
    settings = services.settings_for(event)
    counts = services.counts(event)
    total = sum(counts.values())
    open_actions = services.open_action_count(event)
    if total == 0 and not settings.is_open:
        return stages.Stage(
            "Questions",
            "Open questions so people can ask before and during the event, anonymously if "
            "they wish.",
            stages.NOT_STARTED,
            href,
        )
    parts = [
        "Taking questions" if settings.is_open else "Closed to new questions",
        f"{counts[QuestionState.PENDING]:,} waiting for approval",
        f"{counts[QuestionState.APPROVED]:,} approved",
    ]
    if open_actions:
        parts.append(f"{open_actions:,} open follow-up action{'' if open_actions == 1 else 's'}")
    status = stages.IN_PROGRESS if settings.is_open or open_actions else stages.COMPLETED
    return stages.Stage("Questions", "; ".join(parts) + ".", status, href)
