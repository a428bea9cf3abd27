"""Audience profile and target organisation queries and writes."""

from __future__ import annotations

from sqlalchemy import select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.audience.models import AudienceProfile, TargetOrganisation
from eventapp.audience.paste import ParsedOrganisation, Problem, parse
from eventapp.errors import DomainError, NotFoundError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import ReceptiveSlot

PROMPT_FIELDS = (
    "vital_statistics",
    "characteristics",
    "location_lifestyle",
    "behaviours",
    "attitudes",
    "barriers",
    "motivations_needs",
    "cares_about",
    "information_sources",
    "receptive_notes",
    "influencers",
)
PROFILE_FIELDS = ("sector", "sector_other", "profession", "receptive_slot", *PROMPT_FIELDS)
MAX_ORGANISATIONS = 500


def get_profile(event: Event) -> AudienceProfile | None:
    return db.session.scalar(select(AudienceProfile).where(AudienceProfile.event_id == event.id))


def profile_data(profile: AudienceProfile | None) -> dict[str, object]:
    """The saved profile as form data (a profile not yet started is blank)."""
    data: dict[str, object] = {name: "" for name in PROFILE_FIELDS}
    data["receptive_slot"] = ReceptiveSlot.UNKNOWN.value
    if profile is not None:
        data.update({name: getattr(profile, name) for name in PROFILE_FIELDS})
        data["sector"] = profile.sector.value if profile.sector else ""
        data["receptive_slot"] = profile.receptive_slot.value
    return data


def save_profile(*, event: Event, actor: User, values: dict[str, object]) -> AudienceProfile:
    profile = get_profile(event)
    if profile is None:
        profile = AudienceProfile(event=event)
        db.session.add(profile)
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(profile, name, values[name])
    if profile.sector is None or profile.sector.value != "other":
        profile.sector_other = ""
    db.session.flush()
    audit.record(actor=actor, council_id=event.council_id, action="audience.save", obj=profile)
    return profile


def profile_status(profile: AudienceProfile | None, organisations: int) -> str:
    """'not started', 'in progress' or 'completed' for the task list."""
    if profile is None and organisations == 0:
        return "not started"
    if profile is None:
        return "in progress"
    answered = sum(1 for name in PROMPT_FIELDS if getattr(profile, name))
    if profile.sector is not None and profile.profession and answered >= 3:
        return "completed"
    return "in progress"


__all__ = ["ParsedOrganisation", "Problem", "parse"]


def organisations(event: Event) -> list[TargetOrganisation]:
    return list(
        db.session.scalars(
            select(TargetOrganisation)
            .where(TargetOrganisation.event_id == event.id)
            .order_by(TargetOrganisation.id)
        )
    )


def add_organisations(
    *, event: Event, actor: User, items: list[ParsedOrganisation]
) -> tuple[int, list[str]]:
    """Add organisations, skipping names already on the list; returns (added, skipped names)."""
    existing = {o.name.casefold() for o in organisations(event)}
    if len(existing) + len(items) > MAX_ORGANISATIONS:
        raise DomainError(
            f"An event can have up to {MAX_ORGANISATIONS} target organisations", field="names"
        )
    added, skipped = 0, []
    for item in items:
        key = item.name.casefold()
        if key in existing:
            skipped.append(item.name)
            continue
        existing.add(key)
        db.session.add(
            TargetOrganisation(event=event, name=item.name, expected_attendees=item.expected)
        )
        added += 1
    db.session.flush()
    if added:
        audit.record(
            actor=actor,
            council_id=event.council_id,
            action="audience.organisations.add",
            obj=event,
            summary=f"{added} added",
        )
    return added, skipped


def remove_organisation(*, event: Event, actor: User, organisation_id: int) -> TargetOrganisation:
    organisation = db.session.scalar(
        select(TargetOrganisation).where(
            TargetOrganisation.id == organisation_id, TargetOrganisation.event_id == event.id
        )
    )
    if organisation is None:
        raise NotFoundError
    db.session.delete(organisation)
    audit.record(
        actor=actor, council_id=event.council_id, action="audience.organisations.remove", obj=event
    )
    return organisation
