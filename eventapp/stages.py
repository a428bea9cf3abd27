"""The planning stages on an event's overview, each supplied by the area that owns it.

An area registers a function that describes its stage for an event (status, link, hint);
the overview lists whatever is registered, in order. A new area adds a stage without editing
the events package::

    from eventapp import stages

    @stages.register("feedback", order=stages.Order.FEEDBACK)
    def feedback_stage(event: Event) -> stages.Stage | None:
        return stages.Stage("Feedback", "23 responses so far.", stages.IN_PROGRESS, url)

Return None to leave the stage out for this event.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventapp.events.models import Event

COMPLETED = "Completed"
IN_PROGRESS = "In progress"
NOT_STARTED = "Not started"
NOT_AVAILABLE = "Not yet available"
CANNOT_START = "Cannot start yet"


class Order(enum.IntEnum):
    """Where each area's stage sits on the overview (the handbook's order)."""

    DETAILS = 10
    OBJECTIVES = 20
    AUDIENCE = 30
    FORMAT = 40
    AGENDA = 50
    CHECKLIST = 60
    INVITATIONS = 70
    REGISTRATION = 80
    QUESTIONS = 90
    FEEDBACK = 100
    EVALUATION = 110


@dataclass(frozen=True)
class Stage:
    title: str
    hint: str
    status: str
    href: str | None

    @property
    def tag_class(self) -> str:
        return {
            COMPLETED: "",
            IN_PROGRESS: "govuk-tag--light-blue",
            NOT_STARTED: "govuk-tag--blue",
        }.get(self.status, "govuk-tag--grey")


Provider = Callable[["Event"], Stage | None]

_registry: dict[str, tuple[int, Provider]] = {}


def register(key: str, *, order: int) -> Callable[[Provider], Provider]:
    """Register (or replace) the provider of one stage."""

    def decorator(provider: Provider) -> Provider:
        _registry[key] = (int(order), provider)
        return provider

    return decorator


def registered() -> list[str]:
    """The stage keys in overview order."""
    return [key for key, _ in sorted(_registry.items(), key=lambda item: (item[1][0], item[0]))]


def stages_for(event: Event) -> list[Stage]:
    """Every registered stage of the event, in order, leaving out those that return None."""
    result = []
    for key in registered():
        stage = _registry[key][1](event)
        if stage is not None:
            result.append(stage)
    return result
