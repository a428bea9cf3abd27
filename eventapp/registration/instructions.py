"""Joining instructions: the venue address or joining link, for confirmed attendees only,
sent at the release time the organiser sets (default 48 hours before the start), at once to
anyone confirmed after it, and again when the organiser sends an update."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.registration import mailing
from eventapp.registration.models import Registration, RegistrationSettings, RegistrationStatus


def missing_details(event: Event) -> list[str]:
    """What the attendees are promised but the event does not have yet ("joining link")."""
    missing = []
    if event.is_in_person and not (event.venue_address or "").strip():
        missing.append("venue address")
    if event.is_online and not (event.joining_link or "").strip():
        missing.append("joining link")
    return missing


def is_due(event: Event, settings: RegistrationSettings, now: datetime) -> bool:
    """Whether confirmed attendees of the event should have the instructions by now.

    Not while the event lacks the venue address or joining link its format needs: the
    instructions would not have it, and the job sends them once it is added.
    """
    if event.starts_at is None or event.status is not EventStatus.OPEN:
        return False
    if missing_details(event):
        return False
    from eventapp.registration.services import is_released

    return is_released(event, settings, now) and (event.ends_at or event.starts_at) > now


def venue_details(event: Event) -> list[tuple[str, str]]:
    """The private details, as label and value: only ever for a confirmed attendee."""
    details: list[tuple[str, str]] = []
    if event.is_in_person:
        if event.venue_name:
            details.append(("Venue", event.venue_name))
        if event.venue_address:
            details.append(("Address", event.venue_address))
    if event.is_online:
        if event.online_platform:
            details.append(("Online platform", event.online_platform))
        if event.joining_link:
            details.append(("Joining link", event.joining_link))
    return details


def send(registration: Registration, *, settings: RegistrationSettings, now: datetime) -> bool:
    """Email the current instructions to one confirmed attendee; False if not allowed."""
    event = registration.event
    if (
        registration.status is not RegistrationStatus.CONFIRMED
        or registration.purged_at is not None
        or not is_due(event, settings, now)
    ):
        return False
    from eventapp.invitations.services import when_text
    from eventapp.registration.services import own_link

    update = registration.instructions_sent_version >= 0
    paragraphs = [
        "This is an update to your joining instructions."
        if update
        else "Here are your joining instructions.",
        f"{event.title}: {when_text(event)}.",
    ]
    if settings.instructions_note:
        paragraphs.append(settings.instructions_note)
    if event.intro_video:
        paragraphs.append("The event starts with a short video introducing Prevent.")
    paragraphs.append(
        "Please keep these details to yourself: they are only for people whose place is "
        "confirmed. After the event we will ask you to fill in a short anonymous feedback form."
    )
    mailing.send_instructions(
        registration,
        own_link(registration, now=now),
        subject=(
            f"Update: joining instructions for {event.title}"
            if update
            else f"Joining instructions for {event.title}"
        ),
        paragraphs=paragraphs,
        details=venue_details(event),
        calendar=calendar_file(registration, now=now),
    )
    registration.instructions_sent_version = settings.instructions_version
    return True


def send_due(*, now: datetime | None = None) -> int:
    """Send every confirmed attendee the instructions they are due (the scheduled job)."""
    from eventapp.registration.services import settings_for

    now = now or utcnow()
    candidates = db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.purged_at.is_(None),
            Registration.email.is_not(None),
            Event.status == EventStatus.OPEN,
            Event.starts_at.is_not(None),
            Event.starts_at > now,
        )
        .order_by(Registration.event_id, Registration.id)
    )
    sent = 0
    for registration in candidates:
        settings = settings_for(registration.event)
        if registration.instructions_sent_version >= settings.instructions_version:
            continue
        if send(registration, settings=settings, now=now):
            sent += 1
    db.session.flush()
    return sent


def calendar_file(registration: Registration, *, now: datetime) -> bytes:
    """The attendee's calendar file: the same UID every time, SEQUENCE from the updates."""
    from flask import current_app

    from eventapp.calendars.ical import attendee_event_to_ical
    from eventapp.mail.links import external_url
    from eventapp.registration.services import is_released, settings_for

    event = registration.event
    settings = settings_for(event)
    confirmed = registration.status is RegistrationStatus.CONFIRMED
    venue = venue_details(event) if confirmed and is_released(event, settings, now) else []
    base = str(current_app.config.get("PUBLIC_BASE_URL") or "localhost")
    host = base.split("://")[-1].split("/")[0] or "localhost"
    return attendee_event_to_ical(
        event,
        uid=f"registration-{registration.id}@{host}",
        sequence=settings.instructions_version + (1 if venue else 0),
        url=external_url("public.event", event_slug=event.public_slug),
        now=now,
        venue=venue,
    )
