"""Audience profile and target organisation queries and writes."""

from __future__ import annotations

from collections.abc import Sequence

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
MAX_NAME_LENGTH = 200
MAX_EXPECTED = 10_000


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


def get_organisation(event: Event, organisation_id: int) -> TargetOrganisation:
    """One of the event's target organisations, or 404 (another event's looks missing)."""
    organisation = db.session.scalar(
        select(TargetOrganisation).where(
            TargetOrganisation.id == organisation_id, TargetOrganisation.event_id == event.id
        )
    )
    if organisation is None:
        raise NotFoundError
    return organisation


def organisation_data(organisation: TargetOrganisation) -> dict[str, object]:
    """A target organisation as form data."""
    return {"name": organisation.name, "expected": organisation.expected_attendees}


def update_organisation(
    *, organisation: TargetOrganisation, actor: User, name: str, expected: int | None
) -> bool:
    """Rename a target organisation or change how many people are expected from it."""
    name = name.strip()
    if not name:
        raise DomainError("Enter the organisation's name", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(f"Enter a name of {MAX_NAME_LENGTH} characters or fewer", field="name")
    if expected is not None and not 0 <= expected <= MAX_EXPECTED:
        raise DomainError("Enter a number between 0 and 10,000", field="expected")
    if name == organisation.name and expected == organisation.expected_attendees:
        return False
    event = organisation.event
    if name.casefold() != organisation.name.casefold() and any(
        o.name.casefold() == name.casefold() for o in organisations(event) if o is not organisation
    ):
        raise DomainError(f"{name} is already on the list", field="name")
    changed = [
        label
        for label, differs in (
            ("name", name != organisation.name),
            ("expected attendees", expected != organisation.expected_attendees),
        )
        if differs
    ]
    organisation.name = name
    organisation.expected_attendees = expected
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="audience.organisations.update",
        obj=event,
        summary=f"changed {' and '.join(changed)}",
    )
    return True


def chosen_organisations(event: Event, ids: Sequence[int]) -> list[TargetOrganisation]:
    """The event's organisations among these ids, in list order.

    An id of another event's organisation is refused as not found; an id that matches nothing
    was removed meanwhile (by a colleague, or by this same form sent before) and is left out.
    """
    wanted = set(ids)
    if not wanted:
        return []
    if len(wanted) > MAX_ORGANISATIONS:
        raise DomainError(f"Select up to {MAX_ORGANISATIONS} organisations at a time", field="ids")
    found = list(
        db.session.scalars(
            select(TargetOrganisation)
            .where(TargetOrganisation.id.in_(wanted))
            .order_by(TargetOrganisation.id)
        )
    )
    if any(o.event_id != event.id for o in found):
        raise NotFoundError
    return found


def remove_organisations(*, event: Event, actor: User, ids: Sequence[int]) -> list[str]:
    """Remove several target organisations at once; returns the names removed."""
    chosen = chosen_organisations(event, ids)
    for organisation in chosen:
        db.session.delete(organisation)
    db.session.flush()
    if chosen:
        audit.record(
            actor=actor,
            council_id=event.council_id,
            action="audience.organisations.remove",
            obj=event,
            summary=f"{len(chosen)} removed",
        )
    return [o.name for o in chosen]


def remove_organisation(*, event: Event, actor: User, organisation_id: int) -> TargetOrganisation:
    organisation = get_organisation(event, organisation_id)
    db.session.delete(organisation)
    audit.record(
        actor=actor, council_id=event.council_id, action="audience.organisations.remove", obj=event
    )
    return organisation
