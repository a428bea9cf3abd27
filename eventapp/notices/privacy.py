"""The privacy notice, as a list of sections that each area of the service adds to.

Each section is a heading and a template (``templates/notices/privacy/<key>.html``). An
area that starts keeping personal data adds its section, or replaces one marked as coming
(registration replaces ``attendees``), by calling ``add_section`` with the same key::

    privacy.add_section(privacy.Section("attendees", "People who register for events",
                                        order=privacy.Order.ATTENDEES))

The notice must say what the service really keeps, so a section is written next to the
code that keeps the data, and changes with it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

# When the notice last changed in substance: shown at its end. Update it with any section.
LAST_UPDATED = date(2026, 11, 30)


class Order(enum.IntEnum):
    WHO_WE_ARE = 10
    STAFF = 20
    WHY = 30
    HOW_LONG = 40
    WHO_SEES_IT = 50
    ATTENDEES = 60
    COOKIES = 70
    RIGHTS = 80
    CHANGES = 90


@dataclass(frozen=True)
class Section:
    """One part of the notice. ``coming`` marks a section whose area is not built yet."""

    key: str
    heading: str
    order: int
    coming: str | None = None

    @property
    def template(self) -> str:
        return f"notices/privacy/{self.key}.html"


_sections: dict[str, Section] = {}


def add_section(section: Section) -> None:
    """Add a section to the notice, or replace the one with the same key."""
    _sections[section.key] = section


def sections() -> list[Section]:
    """The notice's sections, in order."""
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


for _section in (
    Section("who-we-are", "Who runs this service", Order.WHO_WE_ARE),
    Section("staff", "What we keep about council staff who use the service", Order.STAFF),
    Section("why", "Why we keep it, and the law that allows it", Order.WHY),
    Section("how-long", "How long we keep it", Order.HOW_LONG),
    Section("who-sees-it", "Who can see it", Order.WHO_SEES_IT),
    Section(
        "attendees",
        "People who come to events",
        Order.ATTENDEES,
        coming="Coming with registration",
    ),
    Section("cookies", "Cookies", Order.COOKIES),
    Section("rights", "Your rights, and how to complain", Order.RIGHTS),
    Section("changes", "Changes to this notice", Order.CHANGES),
):
    add_section(_section)
