"""Invitation letters, invitees and CSV uploads: queries and writes for one event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.errors import DomainError, NotFoundError
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.formatting import govuk_date, govuk_time
from eventapp.handbook import Sector
from eventapp.invitations import csvimport, letter
from eventapp.invitations.models import InvitationLetter, Invitee, InviteeImport
from eventapp.mail.message import BadAddressError, clean_address, single_line
from eventapp.models.base import utcnow

IMPORT_KEEP = timedelta(days=1)  # an unconfirmed upload is dropped after this


# The letter -------------------------------------------------------------------------


def default_letter(event: Event, author: User | None) -> InvitationLetter:
    """The service's default letter for the event (not saved)."""
    return InvitationLetter(
        event_id=event.id,
        subject=letter.DEFAULT_SUBJECT,
        body=letter.default_body(online=event.is_online and not event.is_in_person),
        contact_name=author.display_name if author else "",
        contact_details=author.email if author else "",
        pre_registration=True,
        version=0,
    )


def get_letter(event: Event, author: User | None = None) -> InvitationLetter:
    """The event's saved letter, or the default one (version 0) if none is saved yet."""
    saved = db.session.get(InvitationLetter, event.id)
    return saved if saved is not None else default_letter(event, author)


@dataclass
class LetterDetails:
    subject: str
    body: str
    contact_name: str
    contact_details: str
    pre_registration: bool
    version: int


def save_letter(*, event: Event, actor: User, details: LetterDetails) -> InvitationLetter:
    """Save the letter; refuses unknown merge fields and a save over a newer version."""
    letter.check(details.subject, details.body)
    saved = db.session.get(InvitationLetter, event.id, with_for_update=True)
    current_version = saved.version if saved is not None else 0
    if details.version != current_version:
        raise DomainError(
            "Someone else saved this letter after you opened it. Their version is shown "
            "below yours: copy anything you need from it, then save again",
            field="body",
        )
    if saved is None:
        saved = InvitationLetter(event_id=event.id, version=0)
        db.session.add(saved)
    saved.subject = single_line(details.subject, limit=200)
    saved.body = details.body.replace("\r\n", "\n").strip()
    saved.contact_name = single_line(details.contact_name, limit=200)
    saved.contact_details = single_line(details.contact_details, limit=300)
    saved.pre_registration = details.pre_registration
    saved.version = current_version + 1
    saved.updated_by_id = actor.id
    db.session.flush()
    audit.record(actor=actor, council_id=event.council_id, action="invitation.letter", obj=event)
    return saved


def when_text(event: Event) -> str:
    """'Wednesday 7 April 2027, 6pm to 8pm' in UK time, or a note that the date is not set."""
    return when_text_of(event.starts_at, event.ends_at)


def when_text_of(starts_at: datetime | None, ends_at: datetime | None) -> str:
    """``when_text`` from the event's two times."""
    if starts_at is None:
        return "date to be confirmed"
    day = f"{starts_at.astimezone(_london()):%A} {govuk_date(starts_at)}"
    if ends_at is None:
        return f"{day}, {govuk_time(starts_at)}"
    return f"{day}, {govuk_time(starts_at)} to {govuk_time(ends_at)}"


def _london() -> Any:
    from eventapp.formatting import LONDON

    return LONDON


def merge_values(event: Event, saved: InvitationLetter, *, name: str, link: str) -> dict[str, str]:
    """The value of every merge field for one invitee."""
    return {
        "name": single_line(name),
        "event": event.title,
        "area": event.council.area_name,
        "date_time": when_text(event),
        "location": letter.location_text(
            event.general_location,
            online=event.is_online and not event.is_in_person,
            pre_registration=saved.pre_registration,
        ),
        "organiser": saved.contact_name or "the organiser",
        "contact": saved.contact_details or "",
        "link": link,
    }


PREVIEW_LINK = "https://personal-link.example/(each invitee gets their own)"


def preview(event: Event, saved: InvitationLetter, invitee: Invitee | None) -> letter.Letter:
    """The letter as one invitee (or a sample invitee) will get it; no link is issued."""
    name = invitee.name if invitee is not None else "Sam Sample"
    return letter.merge(
        saved.subject,
        saved.body,
        merge_values(event, saved, name=name, link=PREVIEW_LINK),
        link=letter.PAGE_LINK,
    )


# Invitees ----------------------------------------------------------------------------


def list_invitees(event: Event, *, offset: int = 0, limit: int | None = None) -> list[Invitee]:
    """The event's invitees (purged ones too) by name, with their latest message: two queries."""
    query = (
        select(Invitee)
        .where(Invitee.event_id == event.id)
        .options(selectinload(Invitee.last_message))
        .order_by(Invitee.name, Invitee.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def find_invitee(event: Event, invitee_id: int) -> Invitee | None:
    return db.session.scalar(
        select(Invitee).where(Invitee.event_id == event.id, Invitee.id == invitee_id)
    )


def get_invitee(event: Event, invitee_id: int) -> Invitee:
    invitee = find_invitee(event, invitee_id)
    if invitee is None:
        raise NotFoundError
    return invitee


@dataclass
class InviteeDetails:
    name: str
    email: str
    organisation: str = ""
    sector: Sector | None = None
    role: str = ""


def _check_open(event: Event) -> None:
    if event.status is EventStatus.ARCHIVED:
        raise DomainError("This event is archived: restore it to change its invitations")


def add_invitee(*, event: Event, actor: User, details: InviteeDetails) -> Invitee:
    """Add one invitee; refuses an email address already on the list."""
    _check_open(event)
    if not single_line(details.name):
        raise DomainError("Enter the invitee's name", field="name")
    try:
        email = clean_address(details.email).lower()
    except BadAddressError as error:
        raise DomainError(str(error), field="email") from None
    taken = db.session.scalar(
        select(Invitee.id).where(Invitee.event_id == event.id, Invitee.email == email)
    )
    if taken is not None:
        raise DomainError("This email address is already on the invitation list", field="email")
    invitee = Invitee(
        event_id=event.id,
        name=single_line(details.name, limit=200),
        email=email,
        organisation=single_line(details.organisation, limit=200),
        sector=details.sector,
        role=single_line(details.role, limit=200),
        added_by_id=actor.id,
    )
    db.session.add(invitee)
    db.session.flush()
    audit.record(actor=actor, council_id=event.council_id, action="invitee.add", obj=event)
    return invitee


def remove_invitee(*, event: Event, actor: User, invitee: Invitee) -> None:
    """Take someone off the list before they are invited (afterwards they stay, for the counts)."""
    if invitee.invited_at is not None:
        raise DomainError("This person has been invited already, so they stay on the list")
    db.session.delete(invitee)
    audit.record(actor=actor, council_id=event.council_id, action="invitee.remove", obj=event)


# CSV uploads ---------------------------------------------------------------------------


def stage_import(*, event: Event, actor: User, filename: str, data: bytes) -> InviteeImport:
    """Check an uploaded CSV and keep what would be imported until the organiser confirms.

    Replaces the event's earlier unconfirmed uploads, and drops any older than a day.
    """
    _check_open(event)
    parsed = csvimport.parse(data)
    if not parsed.rows and not parsed.rejected and not parsed.merged:
        raise DomainError("The file has no invitees: add one row per person", field="file")
    db.session.execute(
        delete(InviteeImport).where(
            (InviteeImport.event_id == event.id)
            | (InviteeImport.created_at < utcnow() - IMPORT_KEEP)
        )
    )
    upload = InviteeImport(
        event_id=event.id,
        created_by_id=actor.id,
        filename=single_line(filename, limit=200),
        rows=[row.as_dict() for row in parsed.rows],
        rejected=[{"line": p.line, "reason": p.reason} for p in parsed.rejected],
        merged=[{"line": p.line, "reason": p.reason} for p in parsed.merged],
        lines=parsed.lines,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def find_import(event: Event, import_id: int) -> InviteeImport | None:
    return db.session.scalar(
        select(InviteeImport).where(
            InviteeImport.event_id == event.id, InviteeImport.id == import_id
        )
    )


def get_import(event: Event, import_id: int) -> InviteeImport:
    upload = find_import(event, import_id)
    if upload is None:
        raise NotFoundError
    return upload


@dataclass(frozen=True)
class ImportResult:
    added: int
    merged: int


def confirm_import(*, event: Event, actor: User, upload: InviteeImport) -> ImportResult:
    """Import the upload's good rows: new addresses are added, known ones filled in where
    blank. The upload is marked finished, so confirming twice imports once."""
    _check_open(event)
    existing = {
        invitee.email: invitee
        for invitee in db.session.scalars(
            select(Invitee).where(Invitee.event_id == event.id, Invitee.email.is_not(None))
        )
    }
    added = merged = 0
    new_rows = []
    for row in upload.rows:
        known = existing.get(row["email"])
        if known is not None:
            known.organisation = known.organisation or row["organisation"]
            known.role = known.role or row["role"]
            known.sector = known.sector or (Sector(row["sector"]) if row["sector"] else None)
            merged += 1
            continue
        new_rows.append(
            Invitee(
                event_id=event.id,
                name=row["name"],
                email=row["email"],
                organisation=row["organisation"],
                sector=Sector(row["sector"]) if row["sector"] else None,
                role=row["role"],
                added_by_id=actor.id,
            )
        )
        added += 1
    db.session.add_all(new_rows)
    _finish(upload)
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="invitee.import",
        obj=event,
        summary=f"{added} added, {merged} merged",
    )
    return ImportResult(added, merged)


def _finish(upload: InviteeImport) -> None:
    """Mark the upload done and drop the personal data it held."""
    upload.finished_at = utcnow()
    upload.rows, upload.rejected, upload.merged = [], [], []


def cancel_import(*, event: Event, upload: InviteeImport) -> None:
    _finish(upload)


def invitee_counts(event: Event) -> dict[str, int]:
    """How many invitees there are, how many were invited, opened their link, were chased."""
    row = db.session.execute(
        select(
            func.count(Invitee.id),
            func.count(Invitee.invited_at),
            func.count(Invitee.opened_at),
            func.count(Invitee.chased_at),
            func.count(Invitee.responded_at),
        ).where(Invitee.event_id == event.id, Invitee.purged_at.is_(None))
    ).one()
    total, invited, opened, chased, responded = (int(v) for v in row)
    return {
        "total": total,
        "invited": invited,
        "not_invited": total - invited,
        "opened": opened,
        "chased": chased,
        "responded": responded,
        "awaiting": invited - responded,
    }
