"""The planning stages on an event's overview, each supplied by the area that owns it.

An area registers a function that describes its stage for an event (status, link, hint);
the overview lists whatever is registered, in order. A new area adds a stage without editing
the events package::

    from eventapp import stages

    @stages.register("feedback", order=stages.Order.FEEDBACK)
    def feedback_stage(event: Event) -> stages.Stage | None:
        return stages.Stage("Feedback", "23 responses so far.", stages.IN_PROGRESS, url)

Return None to leave the stage out for this event. Areas not built yet show a placeholder
("Not yet available", no link) until they register a real provider under the same key.
Each area registers its stage in its ``stage.py``, imported by its routes module.
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


@dataclass(frozen=True)
class _Entry:
    order: int
    provider: Provider
    placeholder: bool


_registry: dict[str, _Entry] = {}


def _name(provider: Provider) -> str:
    return f"{provider.__module__}.{provider.__qualname__}"


def register(key: str, *, order: int) -> Callable[[Provider], Provider]:
    """Register the provider of one stage, replacing the placeholder of that key if any.

    Two areas registering the same key is a mistake, and raises (re-importing the same
    module, which registers the same function again, does not).
    """

    def decorator(provider: Provider) -> Provider:
        existing = _registry.get(key)
        if existing and not existing.placeholder and _name(existing.provider) != _name(provider):
            raise ValueError(
                f"Stage {key!r} is already registered by {_name(existing.provider)}; "
                f"{_name(provider)} needs a key of its own"
            )
        _registry[key] = _Entry(int(order), provider, placeholder=False)
        return provider

    return decorator


def placeholder(key: str, *, order: int, title: str, hint: str) -> None:
    """Show a stage whose area is not built yet: "Not yet available", never a link.

    The area, once built, registers a real provider under the same key, which replaces this.
    """
    if key in _registry and not _registry[key].placeholder:
        return

    def not_yet(event: Event) -> Stage:
        return Stage(title, hint, NOT_AVAILABLE, None)

    _registry[key] = _Entry(int(order), not_yet, placeholder=True)


def registered() -> list[str]:
    """The stage keys in overview order."""
    return [key for key, entry in sorted(_registry.items(), key=lambda i: (i[1].order, i[0]))]


def placeholders() -> list[str]:
    """The keys still waiting for their area (in overview order)."""
    return [key for key in registered() if _registry[key].placeholder]


def stages_for(event: Event) -> list[Stage]:
    """Every registered stage of the event, in order, leaving out those that return None."""
    result = []
    for key in registered():
        stage = _registry[key].provider(event)
        if stage is not None:
            result.append(stage)
    return result


# The areas still to come. Each replaces its placeholder by registering the same key.
for _key, _order, _title, _hint in (
    (
        "invitations",
        Order.INVITATIONS,
        "Invitations",
        "Invite the target organisations and keep track of who has replied.",
    ),
    (
        "registration",
        Order.REGISTRATION,
        "Registration",
        "Let people register for a place, so you know who is coming.",
    ),
    (
        "questions",
        Order.QUESTIONS,
        "Questions",
        "Collect questions from attendees before and during the event.",
    ),
    ("feedback", Order.FEEDBACK, "Feedback", "The anonymous Annex A feedback form."),
    ("evaluation", Order.EVALUATION, "Evaluation", "Measure the event against its objectives."),
):
    placeholder(_key, order=_order, title=_title, hint=_hint)
