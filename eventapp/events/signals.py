"""Signals other journeys listen to, so events need not know about them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent (with event=...) after an event's details, format or date are saved and flushed.
event_saved = _signals.signal("event-saved")
