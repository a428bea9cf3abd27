"""Who is voting or asking, without an account: a random id in a signed cookie (as Claper does).

A browser gets a random 128-bit id the first time it votes or asks, in a cookie signed with
its own salt. The database never stores that id: votes store one keyed hash of it, the
allowance another (different keys), so neither table can be joined to the other or to the
cookie without the app's secret key.

The limit, accepted and documented in the README: clearing cookies (or another browser)
gives a new id, so one person can vote again on an open-link event. A bounded rate per
address (config QUESTION_VOTE_LIMIT_PER_IP) keeps that small; events that need one vote per
person let registrants only ask and vote.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "eventapp_voter"
COOKIE_SALT = "eventapp.questions.voter-cookie"
COOKIE_DAYS = 180
VOTE_PURPOSE = "question-vote"
ASKER_PURPOSE = "question-asker"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=COOKIE_SALT)


def new_browser_id() -> str:
    return secrets.token_urlsafe(16)


def sign(browser_id: str) -> str:
    return str(_serializer().dumps(browser_id))


def read(cookie: str | None) -> str | None:
    """The browser id a cookie carries, or None if it is missing, forged or malformed."""
    if not cookie:
        return None
    try:
        value = _serializer().loads(cookie)
    except BadSignature:
        return None
    if not isinstance(value, str) or not 16 <= len(value) <= 64:
        return None
    return value


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
