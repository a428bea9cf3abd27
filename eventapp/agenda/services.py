"""Agenda queries and writes: items kept in order 1..n, every change audited."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.agenda.models import MAX_DURATION_MINUTES, AgendaItem, AgendaPart
from eventapp.agenda.template import ItemSpec, example_items
from eventapp.agenda.timings import (
    Guidance,
    ItemFacts,
    guidance,
    schedule,
    slot_minutes,
    total_against_slot,
)
from eventapp.errors import DomainError, NotFoundError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.formatting import LONDON


class Direction(enum.StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass
class ItemDetails:
    """Everything the item form collects, already parsed."""

    title: str
    duration_minutes: int
    part: AgendaPart
    introduced_by: str = ""
    is_speaker: bool = False
    collects_feedback: bool = False
    notes: str = ""


def list_items(event: Event) -> list[AgendaItem]:
    """The event's agenda in order, in one query."""
    return list(
        db.session.scalars(
            select(AgendaItem).where(AgendaItem.event_id == event.id).order_by(AgendaItem.position)
        )
    )


def get_item(event: Event, item_id: int) -> AgendaItem:
    """An item of this event, or 404: another event's item looks like a missing one."""
    item = db.session.scalar(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.event_id == event.id)
    )
    if item is None:
        raise NotFoundError
    return item


def _lock(event: Event) -> list[AgendaItem]:
    """Serialise changes to one agenda, then read it afresh.

    Positions are renumbered in several steps, so two organisers changing the same agenda at
    once must take turns. The fresh read replaces positions another request may have changed
    meanwhile.
    """
    event_services.lock_for_update(event)
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.event_id == event.id)
            .order_by(AgendaItem.position)
            .execution_options(populate_existing=True)
        )
    )


def _apply(item: AgendaItem, details: ItemDetails) -> None:
    if not details.title.strip():
        raise DomainError("Enter the item title", field="title")
    if not 1 <= details.duration_minutes <= MAX_DURATION_MINUTES:
        raise DomainError(
            f"Enter a duration between 1 and {MAX_DURATION_MINUTES} minutes",
            field="duration_minutes",
        )
    item.title = details.title.strip()
    item.introduced_by = details.introduced_by.strip()
    item.duration_minutes = details.duration_minutes
    item.part = details.part
    item.is_speaker = details.is_speaker
    item.collects_feedback = details.collects_feedback
    item.notes = details.notes.strip()


def _audit(
    actor: User, event: Event, action: str, obj: AgendaItem | Event, summary: str = ""
) -> None:
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action=f"agenda.{action}",
        obj=obj,
        summary=summary,
    )


def add_item(*, event: Event, actor: User, details: ItemDetails) -> AgendaItem:
    """Add an item at the end of the agenda."""
    items = _lock(event)
    item = AgendaItem(event_id=event.id, position=(items[-1].position if items else 0) + 1)
    _apply(item, details)
    db.session.add(item)
    db.session.flush()
    _audit(actor, event, "add", item)
    return item


def update_item(*, item: AgendaItem, actor: User, details: ItemDetails) -> None:
    _apply(item, details)
    db.session.flush()
    _audit(actor, item.event, "update", item)


def _renumber(items: list[AgendaItem]) -> None:
    """Close gaps so positions run 1..n.

    Positions only go down, lowest first, and the unique constraint is checked row by row
    (PostgreSQL) so each step flushes on its own: the slot it moves into is always free.
    """
    for index, item in enumerate(items, start=1):
        if item.position != index:
            item.position = index
            db.session.flush()


def delete_item(*, item: AgendaItem, actor: User) -> None:
    event = item.event
    items = _lock(event)
    if item not in items:
        raise NotFoundError
    _audit(actor, event, "delete", item, summary=f"position {item.position}")
    db.session.delete(item)
    db.session.flush()
    _renumber([i for i in items if i is not item])


def move_item(*, item: AgendaItem, actor: User, direction: Direction) -> bool:
    """Swap an item with its neighbour; False when it is already first or last."""
    event = item.event
    items = _lock(event)
    if item not in items:
        raise NotFoundError
    index = items.index(item)
    other_index = index - 1 if direction is Direction.UP else index + 1
    if not 0 <= other_index < len(items):
        return False
    other = items[other_index]
    mine, theirs = item.position, other.position
    # (event_id, position) is unique and checked at once, so park the item past the end first.
    item.position = items[-1].position + 1
    db.session.flush()
    other.position = mine
    db.session.flush()
    item.position = theirs
    db.session.flush()
    _audit(actor, event, "move", item, summary=f"{direction.value}: {mine} -> {theirs}")
    return True


def start_from_example(*, event: Event, actor: User) -> list[AgendaItem]:
    """Fill an empty agenda with the handbook's example, fitted to the event's speakers."""
    if _lock(event):
        raise DomainError(
            "The agenda already has items: change them, or delete them all to start again"
        )
    items = [
        _from_spec(event, position, spec)
        for position, spec in enumerate(example_items(event), start=1)
    ]
    db.session.add_all(items)
    db.session.flush()
    _audit(actor, event, "example", event, summary=f"{len(items)} items from the example")
    return items


def _from_spec(event: Event, position: int, spec: ItemSpec) -> AgendaItem:
    return AgendaItem(
        event_id=event.id,
        position=position,
        title=spec.title,
        introduced_by=spec.introduced_by,
        duration_minutes=spec.duration_minutes,
        part=spec.part,
        is_speaker=spec.is_speaker,
        collects_feedback=spec.collects_feedback,
        notes=spec.notes,
    )


def details_of(item: AgendaItem) -> dict[str, Any]:
    """The item as form data."""
    return {
        "title": item.title,
        "introduced_by": item.introduced_by,
        "duration_minutes": item.duration_minutes,
        "part": item.part.value,
        "is_speaker": "yes" if item.is_speaker else "no",
        "collects_feedback": "yes" if item.collects_feedback else "no",
        "notes": item.notes,
    }


@dataclass(frozen=True)
class Row:
    """An item with its place in time (UK local), if the event's start is known."""

    item: AgendaItem
    starts: datetime | None
    ends: datetime | None


@dataclass(frozen=True)
class AgendaView:
    rows: list[Row]
    total_minutes: int
    slot_minutes: int | None
    guidance: list[Guidance]
    event_starts: datetime | None
    event_ends: datetime | None

    @property
    def summary(self) -> str:
        return total_against_slot(self.total_minutes, self.slot_minutes)

    @property
    def ends(self) -> datetime | None:
        return self.rows[-1].ends if self.rows else None


def agenda_view(event: Event) -> AgendaView:
    """The agenda with each item's times, the total against the slot, and the guidance."""
    items = list_items(event)
    start = event.starts_at.astimezone(LONDON) if event.starts_at else None
    times = schedule(start, [i.duration_minutes for i in items])
    slot = slot_minutes(event.starts_at, event.ends_at)
    facts = [
        ItemFacts(i.duration_minutes, i.part, i.is_speaker, i.collects_feedback, i.introduced_by)
        for i in items
    ]
    return AgendaView(
        rows=[
            Row(item, *times[n]) if times else Row(item, None, None) for n, item in enumerate(items)
        ],
        total_minutes=sum(i.duration_minutes for i in items),
        slot_minutes=slot,
        guidance=guidance(facts, slot),
        event_starts=start,
        event_ends=event.ends_at.astimezone(LONDON) if event.ends_at else None,
    )
