"""Domain errors raised by services and turned into form errors by routes."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; the message tells the person what to do."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(Exception):
    """The thing asked for does not exist for this person (another council's looks the same).

    Raised by services; the web layer shows the 404 page.
    """
