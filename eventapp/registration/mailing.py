"""The emails a registrant receives, all through the outbox (sent after commit).

Only ``joining_instructions`` ever contains the venue address or joining link, and it is only
called for a confirmed registration once the release time has come (QUALITY 13).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from eventapp.events.models import Event
from eventapp.invitations.services import when_text
from eventapp.mail import outbox
from eventapp.mail.links import external_url
from eventapp.mail.message import Attachment
from eventapp.mail.models import OutboxMessage
from eventapp.registration.models import Registration, RegistrationSettings, RegistrationStatus

KIND_CONFIRM = "registration_confirm"
KIND_STATUS = "registration_status"
KIND_INSTRUCTIONS = "joining_instructions"
KIND_QUESTION_ACTION = "question_action_done"


def _render(
    registration: Registration,
    subject: str,
    *,
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> outbox.Rendered:
    event = registration.event
    return outbox.render(
        "registration",
        subject=subject,
        attachments=attachments,
        name=registration.name,
        council_name=event.council.name,
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
    where = event.general_location or "the location is to be confirmed"
    return f"{event.title}: {when_text(event)}, {where}."


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
    event = registration.event
    if status is RegistrationStatus.CONFIRMED:
        subject = f"Your place at {event.title} is confirmed"
        first = (
            "A place has become free and it is yours: your place is confirmed."
            if promoted
            else "Your place is confirmed."
        )
        paragraphs = [
            first,
            _event_line(event),
            f"We will email you the {_what(event)} before the event. If you cannot come, "
            "please cancel on your page so that someone else can have your place.",
        ]
    elif status is RegistrationStatus.WAITING:
        subject = f"You are on the waiting list for {event.title}"
        paragraphs = [
            "The event is full, so you are on the waiting list.",
            _event_line(event),
            "If a place becomes free, it goes to the next person on the list and we will "
            "email you.",
        ]
    elif status is RegistrationStatus.PENDING:
        subject = f"Your registration for {event.title} is waiting for approval"
        paragraphs = [
            "Thank you for confirming your email address. The organiser approves each "
            "registration; we will email you when they have decided.",
            _event_line(event),
        ]
    else:
        return None
    return _render(
        registration,
        subject,
        paragraphs=paragraphs,
        link=_page(raw),
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
    _instructions_if_due(registration, settings=settings, now=now)


def expected_status(
    registration: Registration, raw: str, status: RegistrationStatus
) -> OutboxMessage | None:
    """Queue, before the change is made, the email for the status the registration is about
    to take (a change made under the place lock writes nothing more when it comes out as
    expected: see ``settled_status``)."""
    letter = status_letter(registration, raw, status)
    return _enqueue(registration, KIND_STATUS, letter) if letter is not None else None


def settled_status(
    registration: Registration,
    raw: str,
    queued: OutboxMessage | None,
    expected: RegistrationStatus,
    *,
    settings: RegistrationSettings,
    now: datetime,
) -> None:
    """After the change: if the status came out other than ``expected``, the email queued by
    ``expected_status`` is rewritten (or withdrawn, for a status that has none); then the
    joining instructions as in ``status_changed``. Renders nothing when it came out as
    expected."""
    if registration.status is not expected:
        letter = status_letter(registration, raw, registration.status)
        if queued is None:
            if letter is not None:
                _enqueue(registration, KIND_STATUS, letter)
        elif letter is None:
            outbox.withdraw(queued)
        else:
            outbox.rewrite(queued, letter)
    _instructions_if_due(registration, settings=settings, now=now)


def _instructions_if_due(
    registration: Registration, *, settings: RegistrationSettings, now: datetime
) -> None:
    if registration.status is RegistrationStatus.CONFIRMED:
        from eventapp.registration import instructions

        if instructions.is_due(registration.event, settings, now):
            instructions.send(registration, settings=settings, now=now)


def _what(event: Event) -> str:
    if event.is_online and not event.is_in_person:
        return "joining link"
    if event.is_online:
        return "venue address and joining link"
    return "venue address"


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
