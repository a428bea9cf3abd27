"""Sign-in limits that stop guessing without locking people out (QUALITY 11).

Only failed attempts count, against three limits (numbers in config.py and the README):

- per address: failures from one client address, whatever the emails (stops one machine
  trying many accounts);
- per account from one address: failures for one email from one address, so an attacker's
  failures elsewhere never stop the owner signing in from their own address;
- per account from all addresses: slower and higher, so guessing spread over many addresses
  is still bounded. One address alone cannot reach it (see the README).

The keys are the email as typed (normalised), whether or not it has an account, so a refused
attempt looks the same for every email and says nothing about which ones exist.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar, cast

from flask import Response, current_app, request
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address

from eventapp.accounts.services import normalise_email
from eventapp.extensions import limiter
from eventapp.web import render_error

F = TypeVar("F", bound=Callable[..., object])


def _email() -> str:
    return normalise_email(request.form.get("email", ""))[:254]


def _client_key() -> str:
    return f"client:{get_remote_address()}"


def _account_from_client_key() -> str:
    return f"account:{_email()}|client:{get_remote_address()}"


def _account_key() -> str:
    return f"account:{_email()}"


def failed(response: Response) -> bool:
    """Whether an attempt counts: not a success (a redirect), nor itself refused by a limit."""
    return response.status_code not in (302, 429)


def _limit(setting: str, key: Callable[[], str], scope: str, view: F) -> F:
    decorate = limiter.limit(
        lambda: str(current_app.config[setting]),
        key_func=key,
        methods=["POST"],
        deduct_when=failed,
        scope=scope,
    )
    return cast(F, decorate(view))


def sign_in_limits(view: F) -> F:
    """Apply the three failure-only limits to a sign-in view."""
    for setting, key, scope in (
        ("SIGN_IN_LIMIT_PER_IP", _client_key, "sign-in-client"),
        ("SIGN_IN_LIMIT_PER_ACCOUNT", _account_from_client_key, "sign-in-account-client"),
        ("SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES", _account_key, "sign-in-account"),
    ):
        view = _limit(setting, key, scope, view)
    return view


def seconds_to_wait(now: float | None = None) -> int:
    """How long until every limit this request broke lets an attempt through again."""
    now = time.time() if now is None else now
    resets = [limit.window.reset_time for limit in limiter.current_limits if limit.breached]
    return max(1, math.ceil(max(resets, default=now) - now))


def wait_message(seconds: int) -> str:
    """'Wait 12 minutes, then try again.' in whole minutes, or hours when it is longer."""
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        unit, amount = "minute", minutes
    else:
        unit, amount = "hour", math.ceil(minutes / 60)
    return f"Wait {amount} {unit}{'' if amount == 1 else 's'}, then try again."


def too_many_attempts(error: RateLimitExceeded) -> Response:
    """The 429 page, saying when to try again (and Retry-After, in seconds, for programs)."""
    seconds = seconds_to_wait()
    response = render_error(429, wait=wait_message(seconds))
    response.headers["Retry-After"] = str(seconds)
    return response
