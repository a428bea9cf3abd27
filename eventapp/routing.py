"""URL converters that keep ids in range and secret tokens out of logs, by construction.

- ``<int:...>`` is bounded to 1 … 2**31 - 1 (PostgreSQL's ``integer``), so an id of 2**63 or
  a negative id is a plain 404 on every route and both databases, never a driver error.
- ``<token:...>`` accepts only what could be a token (``eventapp.tokens``) and marks the
  argument as secret: the request-log filter finds it through the URL map and redacts it,
  so a new token route needs no hand-written log pattern.
- ``<slug:...>`` is an event's random public slug, the only event identifier public URLs use.
"""

from __future__ import annotations

import logging
import re
import weakref
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, IntegerConverter, Map

from eventapp.tokens import MAX_TOKEN_LENGTH, MIN_TOKEN_LENGTH

MAX_ID = 2**31 - 1
REDACTED = "[redacted]"


def whole_number(value: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """A number typed or sent by a browser (a page, an id, a version), or None if it is not
    one written in ASCII digits between ``low`` and ``high``. ``str.isdigit`` alone is not
    enough: it accepts "²", which ``int`` refuses, and 5,000 digits, which ``int`` refuses too
    (Python's limit on converting long strings): either was a 500."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > len(str(high)):
        return None
    number = int(value)
    return number if low <= number <= high else None


def version_sent(value: str | None) -> int:
    """The version a form was loaded at (eventapp.edits), or -1 (matches none) if garbled."""
    number = whole_number(value, low=0, high=999_999_999)
    return -1 if number is None else number


def ids_from(values: list[str]) -> list[int]:
    """Ids from checkboxes or a query string; anything that is not an id is ignored."""
    return [n for n in (whole_number(v) for v in values) if n is not None]


class BoundedIntConverter(IntegerConverter):
    """A database id: a positive whole number that fits every database's integer column."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class TokenConverter(BaseConverter):
    """A secret token in a path segment; its value is redacted from request logs."""

    regex = rf"[A-Za-z0-9_-]{{{MIN_TOKEN_LENGTH},{MAX_TOKEN_LENGTH}}}"
    secret = True


class SlugConverter(BaseConverter):
    """An event's public slug (``Event.public_slug``): public URLs never carry its id."""

    regex = r"[A-Za-z0-9_-]{8,32}"


# A path in a log line: after a method ("GET /path HTTP/1.1", werkzeug's and gunicorn's
# request line) or after a scheme and host (a Referer logged by gunicorn).
# The method may follow a colour code ("\x1b[32mPOST ..."): werkzeug colours 3xx and 4xx lines,
# so the method is found after any character but a capital letter, not at a word boundary.
_REQUEST_LINE = re.compile(
    r'(?P<prefix>(?<![A-Z])[A-Z]{3,10} |https?://[^/\s"]+)(?P<path>/[^\s"?#]*)(?P<query>[?#][^\s"]*)?'
)


class RedactSecretPaths(logging.Filter):
    """Redact every path argument whose converter is secret, in each app's request logs."""

    def __init__(self) -> None:
        super().__init__()
        self._maps: weakref.WeakSet[Map] = weakref.WeakSet()

    def add_map(self, url_map: Map) -> None:
        self._maps.add(url_map)

    def redact_path(self, path: str) -> str:
        for url_map in list(self._maps):
            adapter = url_map.bind("redaction.invalid")
            try:
                rule, values = adapter.match(path, method="GET", return_rule=True)
            except HTTPException:
                try:
                    rule, values = adapter.match(path, method="POST", return_rule=True)
                except HTTPException:
                    continue
            except Exception:  # noqa: BLE001, S112 - a log line must never fail to log
                continue
            for name, converter in rule._converters.items():
                if getattr(converter, "secret", False) and name in values:
                    path = path.replace(str(values[name]), REDACTED)
        return path

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001
            return True
        redacted = _REQUEST_LINE.sub(
            lambda m: f"{m['prefix']}{self.redact_path(m['path'])}{m['query'] or ''}", message
        )
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


_FILTER = RedactSecretPaths()
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def init_app(app: Flask) -> None:
    """Install the converters (before any blueprint adds a rule) and the log filter."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["token"] = TokenConverter
    app.url_map.converters["slug"] = SlugConverter
    _FILTER.add_map(app.url_map)
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def redact(text: str) -> str:
    """Redact secret path arguments from any text that quotes request lines."""
    return _REQUEST_LINE.sub(
        lambda m: f"{m['prefix']}{_FILTER.redact_path(m['path'])}{m['query'] or ''}", text
    )
