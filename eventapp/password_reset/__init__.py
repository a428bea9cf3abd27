"""Staff who forgot their password reset it by email: a time-limited, single-use link.

The request page answers the same whether or not the address has an account (and whether
the account is disabled), and is rate-limited per IP and per address (QUALITY 11).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("password_reset", __name__, url_prefix="/password-reset")
