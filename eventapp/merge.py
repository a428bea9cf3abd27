"""Three-way merge of one form's fields: what was loaded, what is saved now, what was sent.

Pure functions over plain values, used by ``eventapp.edits`` to stop a save silently
overwriting a colleague's work (QUALITY.md property 24):

- ``canonical(value)`` turns a form value (text, number, date, time, list of choices) into a
  comparable string or sorted tuple of strings: "" and None are the same blank, Windows line
  ends are plain ones, the order of ticked boxes does not matter.
- ``three_way(base, theirs, mine)`` takes three mappings of field name to canonical value
  (``base``: as the page was loaded; ``theirs``: as saved now; ``mine``: as sent) and says,
  for each field of ``mine``, whose value to keep, and which fields clash.

A field nobody changed keeps its value; a field only one side changed takes that side's value;
a field both sides changed to the same value is not a clash; a field both changed differently
is a ``Conflict`` for the person to decide. Nothing here reads a request or a database.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

Canonical = str | tuple[str, ...]


class Source(enum.StrEnum):
    """Whose value a merged field keeps."""

    MINE = "mine"
    THEIRS = "theirs"


def canonical(value: object) -> Canonical:
    """A form value as a string (or a sorted tuple of strings) that compares as a person would."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(str(canonical(v)) for v in value))
    return str(value)


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed differently since the page was loaded."""

    name: str
    base: Canonical
    theirs: Canonical
    mine: Canonical


@dataclass(frozen=True)
class Merged:
    """Whose value each field keeps, and the fields that clash (they keep ``mine`` for now)."""

    sources: dict[str, Source] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()

    @property
    def clean(self) -> bool:
        """True when the save can go ahead without asking the person anything."""
        return not self.conflicts

    def taken_from_theirs(self) -> list[str]:
        """The fields a colleague changed that this save keeps (the person did not touch them)."""
        return [name for name, source in self.sources.items() if source is Source.THEIRS]


def three_way(
    base: Mapping[str, Canonical],
    theirs: Mapping[str, Canonical],
    mine: Mapping[str, Canonical],
) -> Merged:
    """Merge field by field; a field missing from ``base`` or ``theirs`` counts as unchanged."""
    sources: dict[str, Source] = {}
    conflicts: list[Conflict] = []
    for name, my_value in mine.items():
        loaded = base.get(name, theirs.get(name, my_value))
        saved = theirs.get(name, loaded)
        if saved == loaded or saved == my_value:
            sources[name] = Source.MINE
        elif my_value == loaded:
            sources[name] = Source.THEIRS
        else:
            sources[name] = Source.MINE
            conflicts.append(Conflict(name, loaded, saved, my_value))
    return Merged(sources, tuple(conflicts))


def ticks(base: Iterable[str], theirs: Iterable[str], mine: Iterable[str]) -> tuple[str, ...]:
    """Merge a list of ticked boxes box by box: each box is its own yes-or-no answer.

    A box this person ticked or unticked since loading takes their answer; any other box keeps
    what is saved now, so a colleague's ticks and unticks meanwhile are kept. Nothing can clash.
    The result is sorted, like ``canonical``.
    """
    loaded, saved, sent = set(base), set(theirs), set(mine)
    return tuple(sorted((saved | (sent - loaded)) - (loaded - sent)))


def changed(base: Mapping[str, Canonical], theirs: Mapping[str, Canonical]) -> list[str]:
    """The fields whose saved value differs from the loaded one, in ``theirs`` order."""
    return [name for name, value in theirs.items() if name in base and base[name] != value]


def snapshot(values: Mapping[str, object], names: Iterable[str]) -> dict[str, Canonical]:
    """The canonical values of the named fields (a missing field is blank)."""
    return {name: canonical(values.get(name)) for name in names}
