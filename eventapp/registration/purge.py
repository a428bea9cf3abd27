"""Keeping personal data only as long as needed (QUALITY 20).

Each event has a retention period (default 90 days after it ends). When it is over —
``flask data purge``, the daily job, or the organiser's "purge now" — registrants' and
invitees' names, emails, roles, needs and free text are blanked, and named questions
lose their link to the registration (and the asker's wish to be told of follow-up); status, sector,
organisation, channel and attendance stay, so every count stays. Their links stop working
and queued mail to them is withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.invitations.models import Invitee, InviteeImport
from eventapp.mail import outbox
from eventapp.models.base import utcnow
from eventapp.questions.models import Question, QuestionAllowance
from eventapp.registration.models import Registration, RegistrationSettings
from eventapp.tokens import SecretToken, TokenPurpose


@dataclass(frozen=True)
class PurgeResult:
    registrations: int
    invitees: int


def purge_at(event: Event, settings: RegistrationSettings) -> datetime | None:
    """When the event's personal data is due to be removed (None: no date set yet)."""
    end = event.ends_at or event.starts_at
    if end is None:
        return None
    return end + timedelta(days=settings.retention_days)


def _revoke(purposes: list[TokenPurpose], ids: list[int], now: datetime) -> None:
    if ids:
        db.session.execute(
            update(SecretToken)
            .where(
                SecretToken.purpose.in_(purposes),
                SecretToken.subject_id.in_(ids),
                SecretToken.revoked_at.is_(None),
            )
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )


def purge_event(
    *, event: Event, actor: User | None = None, now: datetime | None = None
) -> PurgeResult:
    """Remove the event's attendees' and invitees' personal data now."""
    from eventapp.registration.services import settings_for

    now = now or utcnow()
    registration_ids = [
        int(i)
        for i in db.session.scalars(
            select(Registration.id).where(
                Registration.event_id == event.id, Registration.purged_at.is_(None)
            )
        )
    ]
    invitee_ids = [
        int(i)
        for i in db.session.scalars(
            select(Invitee.id).where(Invitee.event_id == event.id, Invitee.purged_at.is_(None))
        )
    ]
    if registration_ids:
        db.session.execute(
            update(Registration)
            .where(Registration.id.in_(registration_ids))
            .values(
                name="",
                email=None,
                role="",
                access_needs="",
                dietary_needs="",
                question="",
                sector_other="",
                purged_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    if invitee_ids:
        db.session.execute(
            update(Invitee)
            .where(Invitee.id.in_(invitee_ids))
            .values(name="", email=None, role="", purged_at=now)
            .execution_options(synchronize_session=False)
        )
    # Named questions keep their text but not who asked: no first name or organisation (shown
    # as from "an attendee"), no registration, nor the asker's wish to be emailed.
    db.session.execute(
        update(Question)
        .where(Question.event_id == event.id, Question.anonymous.is_(False))
        .values(asker_name="", asker_organisation="", asker_registration_id=None, tell_asker=False)
        .execution_options(synchronize_session=False)
    )
    # The count of questions per browser limited abuse while questions were open: not needed
    # once the event's personal data goes, and one fewer record beside the questions.
    db.session.execute(delete(QuestionAllowance).where(QuestionAllowance.event_id == event.id))
    db.session.execute(delete(InviteeImport).where(InviteeImport.event_id == event.id))
    _revoke([TokenPurpose.REGISTRATION, TokenPurpose.EMAIL_CONFIRMATION], registration_ids, now)
    _revoke([TokenPurpose.INVITATION], invitee_ids, now)
    outbox.purge_related("registration", registration_ids, reason="personal data purged")
    outbox.purge_related("invitee", invitee_ids, reason="personal data purged")
    settings = db.session.get(RegistrationSettings, event.id)
    if settings is None:
        settings = settings_for(event)
        db.session.add(settings)
    settings.purged_at = now
    db.session.flush()
    db.session.expire_all()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="registration.purge",
        obj=event,
        summary=f"{len(registration_ids)} registrations, {len(invitee_ids)} invitees",
    )
    return PurgeResult(len(registration_ids), len(invitee_ids))


def due_events(now: datetime | None = None) -> list[Event]:
    """Events whose retention period is over and whose data has not been purged."""
    from eventapp.registration.services import settings_for

    now = now or utcnow()
    candidates = db.session.scalars(
        select(Event)
        .outerjoin(RegistrationSettings, RegistrationSettings.event_id == Event.id)
        .where(
            Event.starts_at.is_not(None),
            Event.starts_at < now,
            RegistrationSettings.purged_at.is_(None),
        )
        .order_by(Event.id)
    )
    due = []
    for event in candidates:
        moment = purge_at(event, settings_for(event))
        if moment is not None and moment <= now:
            due.append(event)
    return due


def purge_due(now: datetime | None = None) -> list[tuple[Event, PurgeResult]]:
    """Purge every event that is due (the daily job and ``flask data purge``)."""
    return [(event, purge_event(event=event, now=now)) for event in due_events(now)]
