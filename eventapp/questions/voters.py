"""Who is voting or asking, without an account: a random id in a signed cookie (as Claper does).

A browser gets a random 128-bit id the first time it votes or asks, in a cookie signed with
its own salt. The database never stores that id: votes store one keyed hash of it, the
allowance another (different keys), so neither table can be joined to the other or to the
cookie without the app's secret key.

One person, one vote, on an open-link event: when a registrant votes from their own page,
their browser's cookie also remembers, for that event, which registration it belongs to
(``bind``). From then on that browser votes on the public page as the registration, and the
votes it had cast as a browser become the registration's (``services.adopt_votes``), each
question counted once. Only a vote sent from the own page (a POST with its form token) binds,
never merely opening the page, so another site cannot bind a visitor's browser to someone
else's registration. The cookie is signed, so a binding cannot be forged.

The limit, accepted and documented in the README: clearing cookies (or another browser)
gives a new id, so one person can vote again on an open-link event, and a browser where the
registrant never voted from their own page is not known to be theirs (its votes are
de-duplicated once they vote from their own page in it). A bounded rate per address (config
QUESTION_VOTE_LIMIT_PER_IP) keeps that small; events that need one vote per person let
registrants only ask and vote.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "eventapp_voter"
COOKIE_SALT = "eventapp.questions.voter-cookie"
COOKIE_DAYS = 180
MAX_BINDINGS = 20  # events a browser remembers its registration for (the cookie stays small)
VOTE_PURPOSE = "question-vote"
ASKER_PURPOSE = "question-asker"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=COOKIE_SALT)


def new_browser_id() -> str:
    return secrets.token_urlsafe(16)


def sign(browser_id: str, bindings: Mapping[int, int] | None = None) -> str:
    """The cookie: the browser id alone, or with its {event id: registration id} bindings."""
    if not bindings:
        return str(_serializer().dumps(browser_id))
    kept = list(bindings.items())[-MAX_BINDINGS:]  # the most recent, in the order bound
    return str(_serializer().dumps({"b": browser_id, "r": {str(e): r for e, r in kept}}))


def _load(cookie: str | None) -> object:
    if not cookie:
        return None
    try:
        return _serializer().loads(cookie)
    except BadSignature:
        return None


def _browser_id(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("b")
    if not isinstance(value, str) or not 16 <= len(value) <= 64:
        return None
    return value


def read(cookie: str | None) -> str | None:
    """The browser id a cookie carries, or None if it is missing, forged or malformed."""
    return _browser_id(_load(cookie))


def read_bindings(cookie: str | None) -> dict[int, int]:
    """The registrations a cookie says its browser belongs to, by event ({} if none)."""
    value = _load(cookie)
    if _browser_id(value) is None or not isinstance(value, dict):
        return {}
    pairs = value.get("r")
    if not isinstance(pairs, dict):
        return {}
    return {
        int(event): registration
        for event, registration in pairs.items()
        if isinstance(event, str)
        and event.isdigit()
        and len(event) < 12
        and isinstance(registration, int)
        and not isinstance(registration, bool)
        and 0 < registration < 2**63
    }


def keyed(purpose: str, subject: str, *, secret: str | bytes) -> str:
    """HMAC-SHA256 of ``purpose:subject`` under a key derived for that purpose (64 hex)."""
    key = secret.encode() if isinstance(secret, str) else secret
    derived = hmac.new(key, f"eventapp.questions.{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(derived, f"{purpose}:{subject}".encode(), hashlib.sha256).hexdigest()


def browser_subject(browser_id: str) -> str:
    return f"browser:{browser_id}"


def registration_subject(registration_id: int) -> str:
    return f"registration:{registration_id}"


def vote_key(subject: str) -> str:
    return keyed(VOTE_PURPOSE, subject, secret=current_app.config["SECRET_KEY"])


def asker_key(subject: str) -> str:
    return keyed(ASKER_PURPOSE, subject, secret=current_app.config["SECRET_KEY"])
