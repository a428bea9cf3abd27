"""Feedback: the handbook's Annex A form, anonymous, on phones and on paper.

Public pages under ``/e/<slug>/feedback`` (the event's general link and QR code); the
organiser's pages under ``/events/<id>/feedback``. The wording lives in ``annex_a``, the
rules in ``answers`` and ``window`` (pure), the writes in ``services``; the tables and
what they may hold are described in ``models``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("feedback", __name__)
