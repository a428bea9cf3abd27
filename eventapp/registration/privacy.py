"""The privacy notice's section about attendees, now that registration keeps their data."""

from __future__ import annotations

from eventapp.notices import privacy

privacy.add_section(
    privacy.Section("attendees", "People who come to events", privacy.Order.ATTENDEES)
)
