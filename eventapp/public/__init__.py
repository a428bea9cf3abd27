"""The public side of an event: its page at /e/<public_slug>, the channel links that lead
to it, and each invitee's personal link. Public pages show what the event is, when, and the
general location — never the venue address or the joining link (QUALITY 13)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)
