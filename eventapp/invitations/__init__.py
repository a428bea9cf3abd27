"""Invitations: the handbook's letter with merge fields, invitee lists, sends and chase-ups,
the wider channels with QR codes and flyers, and the week-3 numbers.

Every letter goes through the outbox (``eventapp.mail``); the personal link in it is a token
of purpose INVITATION that opens the event's public page (``eventapp.public``).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("invitations", __name__, url_prefix="/events/<int:event_id>/invitations")
