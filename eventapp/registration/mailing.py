"""The emails a registrant receives, all through the outbox (sent after commit).

Only ``joining_instructions`` ever contains the venue address or joining link, and it is only
called for a confirmed registration once the release time has come (QUALITY 13).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from flask import current_app
from markupsafe import escape

from eventapp import pipeline
from eventapp.events.models import Event, EventFormat, general_location, is_in_person, is_online
from eventapp.invitations.services import when_text_of
from eventapp.mail import outbox
from eventapp.mail.links import external_url
from eventapp.mail.message import Attachment
from eventapp.mail.models import OutboxMessage
from eventapp.registration.models import Registration, RegistrationSettings, RegistrationStatus

KIND_CONFIRM = "registration_confirm"
KIND_STATUS = "registration_status"
KIND_INSTRUCTIONS = "joining_instructions"
KIND_QUESTION_ACTION = "question_action_done"


@dataclass(frozen=True)
class EventFacts:
    """What a registrant's letters say about the event and its council: read from an
    ``Event``, or from the columns a Core query selected (the place-taking request loads no
    instances)."""

    event_id: int
    council_id: int
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    public_location: str
    format: EventFormat
    council_name: str

    @classmethod
    def of(cls, event: Event) -> EventFacts:
        return cls(
            event_id=event.id,
            council_id=event.council_id,
            title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            public_location=event.public_location,
            format=event.format,
            council_name=event.council.name,
        )

    @property
    def line(self) -> str:
        """The event in one line: title, when and where."""
        where = general_location(self.public_location, self.format) or (
            "the location is to be confirmed"
        )
        return f"{self.title}: {when_text_of(self.starts_at, self.ends_at)}, {where}."

    @property
    def what(self) -> str:
        """What the joining instructions will give: a venue address, a link or both."""
        if is_online(self.format) and not is_in_person(self.format):
            return "joining link"
        if is_online(self.format):
            return "venue address and joining link"
        return "venue address"


@dataclass(frozen=True)
class Registrant:
    """The columns of a registration its status letter needs (read by a Core query)."""

    id: int
    name: str
    email: str | None
    purged: bool


def _render(
    registration: Registration,
    subject: str,
    *,
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> outbox.Rendered:
    return _render_for(
        registration.name,
        registration.event.council.name,
        subject,
        attachments=attachments,
        **context,
    )


def _render_for(
    name: str,
    council_name: str,
    subject: str,
    *,
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> outbox.Rendered:
    return outbox.render(
        "registration",
        subject=subject,
        attachments=attachments,
        name=name,
        council_name=council_name,
        service_name=current_app.config.get("PUBLIC_SERVICE_NAME", ""),
        **{"paragraphs": [], "details": [], "link": "", "link_text": "", "closing": ""} | context,
    )


def _enqueue(
    registration: Registration, kind: str, content: outbox.Rendered
) -> OutboxMessage | None:
    """Put a rendered message in the outbox (nothing for a registration without an address)."""
    if not registration.email or registration.purged_at is not None:
        return None
    event = registration.event
    return outbox.enqueue(
        to=registration.email,
        name=registration.name,
        content=content,
        kind=kind,
        council_id=event.council_id,
        event_id=event.id,
        related=registration,
    )


def _send(
    registration: Registration,
    kind: str,
    subject: str,
    *,
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> None:
    if not registration.email or registration.purged_at is not None:
        return
    _enqueue(registration, kind, _render(registration, subject, attachments=attachments, **context))


def _page(raw: str) -> str:
    return external_url("registration.own_page", token=raw)


def _event_line(event: Event) -> str:
    return EventFacts.of(event).line


def confirm_email(registration: Registration, raw: str, *, hours: int) -> None:
    """The link that confirms the email address (nothing is held until it is used)."""
    _send(
        registration,
        KIND_CONFIRM,
        f"Confirm your email address for {registration.event.title}",
        paragraphs=[
            "You asked to register for this event:",
            _event_line(registration.event),
            f"To finish registering, open this link within {hours} hours. Until you do, no "
            "place is held for you.",
        ],
        link=external_url("registration.confirm", token=raw),
        link_text="Confirm your email address",
        closing="If you did not ask to register, you can ignore this email.",
    )


def already_registered(registration: Registration, raw: str) -> None:
    """Someone registered again with this address: tell its owner, and nobody else."""
    _send(
        registration,
        KIND_STATUS,
        f"You are already registered for {registration.event.title}",
        paragraphs=[
            "Someone (probably you) tried to register this email address again for:",
            _event_line(registration.event),
            "You already have a registration, so nothing has changed. You can see it, change "
            "your access or dietary needs, or cancel it on your own page.",
        ],
        link=_page(raw),
        link_text="Your registration",
    )


def status_letter(
    registration: Registration, raw: str, status: RegistrationStatus, *, promoted: bool = False
) -> outbox.Rendered | None:
    """The email saying the registration is now ``status`` (None for a status that has none).

    Rendered apart from sending, so that a change made under the place lock can have its
    letters ready before taking it (``status_changed(..., letter=...)``)."""
    return status_letter_for(
        EventFacts.of(registration.event), registration.name, raw, status, promoted=promoted
    )


def status_letter_for(
    event: EventFacts, name: str, raw: str, status: RegistrationStatus, *, promoted: bool = False
) -> outbox.Rendered | None:
    """``status_letter`` from the event's facts and the registrant's name.

    The letter differs between registrants only by their name and link, so each process
    renders it once per event, status and service name, with slots that the name and link
    then fill (escaped in the HTML part, as the template escapes them). Not while templates
    reload (a developer editing them sees each edit)."""
    if status not in _LETTER_STATUSES:
        return None
    if current_app.jinja_env.auto_reload:
        return _status_letter(event, name, _page(raw), status, promoted)
    blank = _blank_status_letter(
        event,
        status,
        promoted,
        bool(name),
        current_app.config.get("PUBLIC_SERVICE_NAME", ""),
    )
    return _fill(blank, name=name, link=_page(raw))


_LETTER_STATUSES = frozenset(
    {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.PENDING}
)
# Control characters: never in a rendered name or link (``_fill`` replaces them in one pass,
# so a name that spells a slot is not filled in again).
_SLOTS = {"name": "\x00name\x00", "link": "\x00link\x00"}
_SLOT = re.compile("\x00(name|link)\x00")


@lru_cache(maxsize=256)
def _blank_status_letter(
    event: EventFacts,
    status: RegistrationStatus,
    promoted: bool,
    named: bool,
    service_name: str,  # noqa: ARG001 - part of the cache key: _render_for reads it
) -> outbox.Rendered:
    return _status_letter(event, _SLOTS["name"] if named else "", _SLOTS["link"], status, promoted)


def _fill(blank: outbox.Rendered, *, name: str, link: str) -> outbox.Rendered:
    text = {"name": name, "link": link}
    html = {"name": str(escape(name)), "link": str(escape(link))}
    return replace(
        blank,
        text=_SLOT.sub(lambda slot: text[slot[1]], blank.text),
        html=_SLOT.sub(lambda slot: html[slot[1]], blank.html),
    )


def _status_letter(
    event: EventFacts, name: str, link: str, status: RegistrationStatus, promoted: bool
) -> outbox.Rendered:
    if status is RegistrationStatus.CONFIRMED:
        subject = f"Your place at {event.title} is confirmed"
        first = (
            "A place has become free and it is yours: your place is confirmed."
            if promoted
            else "Your place is confirmed."
        )
        paragraphs = [
            first,
            event.line,
            f"We will email you the {event.what} before the event. If you cannot come, "
            "please cancel on your page so that someone else can have your place.",
        ]
    elif status is RegistrationStatus.WAITING:
        subject = f"You are on the waiting list for {event.title}"
        paragraphs = [
            "The event is full, so you are on the waiting list.",
            event.line,
            "If a place becomes free, it goes to the next person on the list and we will "
            "email you.",
        ]
    elif status is RegistrationStatus.PENDING:
        subject = f"Your registration for {event.title} is waiting for approval"
        paragraphs = [
            "Thank you for confirming your email address. The organiser approves each "
            "registration; we will email you when they have decided.",
            event.line,
        ]
    else:
        raise ValueError(f"No status letter for {status}")
    return _render_for(
        name,
        event.council_name,
        subject,
        paragraphs=paragraphs,
        link=link,
        link_text="Your registration",
    )


def status_changed(
    registration: Registration,
    raw: str,
    *,
    settings: RegistrationSettings,
    now: datetime,
    promoted: bool = False,
) -> None:
    """Where the registration now stands; a confirmed one past the release time also gets
    the joining instructions at once."""
    letter = status_letter(registration, raw, registration.status, promoted=promoted)
    if letter is not None:
        _enqueue(registration, KIND_STATUS, letter)
    instructions_if_due(registration, settings=settings, now=now)


def expected_status(
    registrant: Registrant, event: EventFacts, raw: str, status: RegistrationStatus
) -> pipeline.Step | None:
    """The email for the status the registration is about to take, written before the change
    is made (a change made under the place lock writes nothing more when it comes out as
    expected: see ``settled_status``). For the place-taking request, which loads no
    instances: the outbox's INSERT, to run with the change in one round trip; its row goes to
    ``outbox.inserted``. None when there is nothing to send."""
    if not registrant.email or registrant.purged:
        return None
    letter = status_letter_for(event, registrant.name, raw, status)
    return _insert_step(registrant, event, letter) if letter is not None else None


def settled_status(
    registrant: Registrant,
    event: EventFacts,
    raw: str,
    queued: outbox.Queued | None,
    expected: RegistrationStatus,
    status: RegistrationStatus,
) -> None:
    """After the change: if the status came out other than ``expected``, the email queued by
    ``expected_status`` is rewritten (or withdrawn, for a status that has none). Renders
    nothing when it came out as expected. The joining instructions are the caller's
    (``instructions_if_due``, with instances, in the rare case they are due)."""
    if status is expected:
        return
    letter = status_letter_for(event, registrant.name, raw, status)
    if queued is None:
        if letter is not None:
            _insert(registrant, event, letter)
    elif letter is None:
        outbox.withdraw(queued)
    else:
        outbox.rewrite(queued, letter)


def _insert(registrant: Registrant, event: EventFacts, content: outbox.Rendered) -> int | None:
    """``_enqueue`` by columns (nothing for a registration without an address)."""
    if not registrant.email or registrant.purged:
        return None
    return outbox.inserted(pipeline.run(_insert_step(registrant, event, content))[0])


def _insert_step(
    registrant: Registrant, event: EventFacts, content: outbox.Rendered
) -> pipeline.Step:
    return outbox.insert_step(
        to=registrant.email or "",
        name=registrant.name,
        content=content,
        kind=KIND_STATUS,
        council_id=event.council_id,
        event_id=event.event_id,
        related_type="registration",
        related_id=registrant.id,
    )


def instructions_if_due(
    registration: Registration, *, settings: RegistrationSettings, now: datetime
) -> None:
    """A confirmed registration gets the joining instructions at once if they are due."""
    if registration.status is RegistrationStatus.CONFIRMED:
        from eventapp.registration import instructions

        if instructions.is_due(registration.event, settings, now):
            instructions.send(registration, settings=settings, now=now)


def declined(registration: Registration, message: str) -> None:
    """The organiser did not approve the registration (their message, if any, included)."""
    paragraphs = [
        f"Thank you for registering for {registration.event.title}. The organiser was not able "
        "to offer you a place."
    ]
    if message:
        paragraphs.append(f"Their message: {message}")
    _send(
        registration,
        KIND_STATUS,
        f"Your registration for {registration.event.title}",
        paragraphs=paragraphs,
    )


def cancelled_by_organiser(registration: Registration, message: str) -> None:
    paragraphs = [f"The organiser has cancelled your registration for {registration.event.title}."]
    if message:
        paragraphs.append(f"Their message: {message}")
    _send(
        registration,
        KIND_STATUS,
        f"Your registration for {registration.event.title}",
        paragraphs=paragraphs,
    )


def send_instructions(
    registration: Registration,
    raw: str,
    *,
    subject: str,
    paragraphs: list[str],
    details: list[tuple[str, str]],
    calendar: bytes,
) -> None:
    """The joining instructions (the only email with the venue address or joining link),
    with the attendee's calendar file: the same UID every time, a higher SEQUENCE for an
    update, so calendars update their entry rather than add another."""
    _send(
        registration,
        KIND_INSTRUCTIONS,
        subject,
        paragraphs=paragraphs,
        details=details,
        link=_page(raw),
        link_text="Your registration, where you can also download a calendar file",
        attachments=(
            Attachment("event.ics", "text/calendar; method=PUBLISH; charset=utf-8", calendar),
        ),
    )


def question_followed_up(registration: Registration, *, question: str, action: str) -> None:
    """A follow-up action from their named question is done (only if they asked to be told)."""
    event = registration.event
    _send(
        registration,
        KIND_QUESTION_ACTION,
        f"A follow-up to your question at {event.title}",
        paragraphs=[
            f"You asked at {event.title}, and asked to be told about any follow-up:",
            question,
            "The organiser has marked this follow-up action as done:",
            action,
        ],
        closing="You were sent this because you chose to be told when you asked your question.",
    )
