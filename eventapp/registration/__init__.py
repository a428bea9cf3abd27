"""Pre-registration (issue 10): the public sign-up form on an event's page, email
confirmation, approval by the organiser, capacity that is never oversold, an ordered waiting
list, joining instructions for confirmed attendees only, check-in on the day and the purge of
personal data after the event.

For other areas, the API is:

- ``eventapp.registration.models``: ``Registration`` (event_id, name, email, organisation,
  sector, sector_other, role, access/dietary needs, question, status, checked_in_at,
  created_at, purged_at...) and ``RegistrationStatus`` (UNCONFIRMED, PENDING, CONFIRMED,
  WAITING, CANCELLED, DECLINED; only CONFIRMED holds a place).
- ``eventapp.registration.queries``: ``attendance(event_id)`` (registered / confirmed /
  waiting / pending / declined / cancelled / attended / walk-ins, one SQL query),
  ``confirmed_attendees(event_id)``, ``attended_attendees(event_id)``,
  ``attended_by(event_id, "sector" | "organisation")``, ``status_counts(event_id)``.
- ``eventapp.registration.capacity.lock_places(event_id)``: take before changing who holds
  a place.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("registration", __name__)
staff_bp = Blueprint("registrations", __name__, url_prefix="/events/<int:event_id>/registrations")
