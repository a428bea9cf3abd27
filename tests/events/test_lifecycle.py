"""The lifecycle rules: which status changes are allowed, and why one is not (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from eventapp.events.lifecycle import EventFacts, Move, moves, why_not
from eventapp.events.models import EventStatus as S

NOW = datetime(2027, 5, 1, 12, 0, tzinfo=UTC)
FUTURE = NOW + timedelta(days=30)
PAST = NOW - timedelta(days=30)
NOT_DIRECT = "An event cannot move directly between these stages"
NOT_STARTED = "An event can be marked as held once it has started"
COORDINATOR_ONLY = "Only a coordinator can mark an event as evaluated"

# Every move the lifecycle allows, written out independently of the code's table.
ALLOWED = {
    (S.DRAFT, S.PLANNING), (S.DRAFT, S.ARCHIVED),
    (S.PLANNING, S.DRAFT), (S.PLANNING, S.OPEN), (S.PLANNING, S.HELD), (S.PLANNING, S.ARCHIVED),
    (S.OPEN, S.PLANNING), (S.OPEN, S.HELD),
    (S.HELD, S.EVALUATED),
    (S.EVALUATED, S.HELD), (S.EVALUATED, S.ARCHIVED),
    (S.ARCHIVED, S.DRAFT), (S.ARCHIVED, S.EVALUATED),
}


def facts(status: S, starts: datetime | None = FUTURE, *, was_held: bool = False) -> EventFacts:
    ends = starts + timedelta(hours=2) if starts else None
    return EventFacts(status=status, starts_at=starts, ends_at=ends, was_held=was_held)


def favourable(frm: S, to: S) -> EventFacts:
    """Facts that satisfy every condition of the target, so only the pair itself decides."""
    starts = PAST if to is S.HELD else FUTURE
    was_held = frm is S.ARCHIVED and to is S.EVALUATED
    return facts(frm, starts, was_held=was_held)


@pytest.mark.parametrize(
    ("frm", "to"), list(product(S, S)), ids=[f"{a}->{b}" for a, b in product(S, S)]
)
def test_every_pair_of_statuses(frm: S, to: S) -> None:
    reason = why_not(favourable(frm, to), to, now=NOW, can_evaluate=True)
    if (frm, to) in ALLOWED:
        assert reason is None
    else:
        assert reason == NOT_DIRECT


@pytest.mark.parametrize(
    ("event", "to", "can_evaluate", "reason"),
    [
        # Opening registration needs a date and times, and a start still to come.
        (facts(S.PLANNING, None), S.OPEN, True,
         "Enter the date, start time and end time before opening registration"),
        (EventFacts(S.PLANNING, FUTURE, None, False), S.OPEN, True,
         "Enter the date, start time and end time before opening registration"),
        # The database never stores an end without a start, but the rule does not rely on it.
        (EventFacts(S.PLANNING, None, FUTURE, False), S.OPEN, True,
         "Enter the date, start time and end time before opening registration"),
        (facts(S.PLANNING, PAST), S.OPEN, True,
         "Registration cannot open for an event that has already started"),
        (facts(S.PLANNING, NOW), S.OPEN, True,
         "Registration cannot open for an event that has already started"),
        (facts(S.PLANNING, NOW + timedelta(minutes=1)), S.OPEN, True, None),
        # Held needs the start to have passed.
        (facts(S.PLANNING, FUTURE), S.HELD, True, NOT_STARTED),
        (facts(S.OPEN, FUTURE), S.HELD, True, NOT_STARTED),
        (facts(S.PLANNING, None), S.HELD, True, NOT_STARTED),
        (facts(S.OPEN, NOW), S.HELD, True, None),
        (facts(S.OPEN, PAST), S.HELD, False, None),
        # Evaluated needs a coordinator.
        (facts(S.HELD, PAST), S.EVALUATED, False, COORDINATOR_ONLY),
        (facts(S.HELD, PAST), S.EVALUATED, True, None),
        (facts(S.ARCHIVED, PAST, was_held=True), S.EVALUATED, False,
         "Only a coordinator can restore this event, because it was held"),
        (facts(S.ARCHIVED, PAST, was_held=False), S.EVALUATED, False,
         "This event was never held: restore it as a draft instead"),
        # Restoring from the archive goes back where the event came from.
        (facts(S.ARCHIVED, PAST, was_held=True), S.DRAFT, True,
         "This event was held: restore it to its evaluation instead"),
        (facts(S.ARCHIVED, FUTURE, was_held=False), S.DRAFT, True, None),
        (facts(S.ARCHIVED, None, was_held=False), S.DRAFT, False, None),
        (facts(S.ARCHIVED, PAST, was_held=False), S.EVALUATED, True,
         "This event was never held: restore it as a draft instead"),
        (facts(S.ARCHIVED, PAST, was_held=True), S.EVALUATED, True, None),
        # Moves without conditions.
        (facts(S.DRAFT, None), S.PLANNING, False, None),
        (facts(S.DRAFT, None), S.ARCHIVED, False, None),
        (facts(S.PLANNING, PAST), S.DRAFT, False, None),
        (facts(S.OPEN, FUTURE), S.PLANNING, False, None),
        (facts(S.EVALUATED, PAST), S.HELD, False, None),
        (facts(S.EVALUATED, PAST, was_held=True), S.ARCHIVED, False, None),
        # A pair that is not a move is refused before any condition is looked at.
        (facts(S.DRAFT, None), S.OPEN, True, NOT_DIRECT),
        (facts(S.DRAFT, PAST), S.HELD, True, NOT_DIRECT),
        (facts(S.OPEN, FUTURE), S.OPEN, True, NOT_DIRECT),
    ],
)
def test_why_not(event: EventFacts, to: S, can_evaluate: bool, reason: str | None) -> None:
    assert why_not(event, to, now=NOW, can_evaluate=can_evaluate) == reason


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.DRAFT, [(S.PLANNING, "Start planning"), (S.ARCHIVED, "Archive this draft")]),
        (S.PLANNING, [
            (S.DRAFT, "Return to draft"),
            (S.OPEN, "Open registration"),
            (S.HELD, "Mark as held"),
            (S.ARCHIVED, "Archive (event will not go ahead)"),
        ]),
        (S.OPEN, [(S.PLANNING, "Close registration"), (S.HELD, "Mark as held")]),
        (S.HELD, [(S.EVALUATED, "Mark as evaluated")]),
        (S.EVALUATED, [(S.HELD, "Reopen evaluation"), (S.ARCHIVED, "Archive")]),
        (S.ARCHIVED, [(S.DRAFT, "Restore as a draft")]),
    ],
)
def test_moves_lists_every_move_from_a_status_in_order(
    status: S, expected: list[tuple[S, str]]
) -> None:
    listed = moves(facts(status, FUTURE), now=NOW, can_evaluate=True)
    assert [(m.to, m.label) for m in listed] == expected


def test_moves_include_blocked_ones_with_their_reason() -> None:
    listed = moves(facts(S.PLANNING, FUTURE), now=NOW, can_evaluate=True)
    by_target = {m.to: m for m in listed}
    assert by_target[S.OPEN].allowed
    assert by_target[S.DRAFT].allowed
    assert by_target[S.ARCHIVED].allowed
    assert by_target[S.HELD] == Move(
        S.HELD, "Mark as held", "An event can be marked as held once it has started"
    )
    assert not by_target[S.HELD].allowed


def test_moves_of_a_held_event_for_an_organiser_and_a_coordinator() -> None:
    held = facts(S.HELD, PAST, was_held=True)
    [organiser_move] = moves(held, now=NOW, can_evaluate=False)
    [coordinator_move] = moves(held, now=NOW, can_evaluate=True)
    assert organiser_move.blocked_because == "Only a coordinator can mark an event as evaluated"
    assert coordinator_move.allowed


@pytest.mark.parametrize("status", list(S))
def test_moves_agree_with_why_not(status: S) -> None:
    event = facts(status, PAST, was_held=True)
    for move in moves(event, now=NOW, can_evaluate=False):
        assert move.blocked_because == why_not(event, move.to, now=NOW, can_evaluate=False)
        assert (status, move.to) in ALLOWED


@pytest.mark.parametrize(
    ("was_held", "can_evaluate", "expected"),
    [
        (False, False, [Move(S.DRAFT, "Restore as a draft")]),
        (False, True, [Move(S.DRAFT, "Restore as a draft")]),
        (True, True, [Move(S.EVALUATED, "Restore")]),
        (
            True,
            False,
            [Move(S.EVALUATED, "Restore", "Only a coordinator can restore this event, because it was held")],
        ),
    ],
)
def test_an_archived_event_is_offered_only_the_restore_that_fits(
    was_held: bool, can_evaluate: bool, expected: list[Move]
) -> None:
    # Regression: "Restore: Only a coordinator can mark an event as evaluated." showed
    # beside "Restore as a draft" on an event that was never held.
    listed = moves(facts(S.ARCHIVED, PAST, was_held=was_held), now=NOW, can_evaluate=can_evaluate)
    assert listed == expected
