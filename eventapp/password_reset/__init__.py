"""Staff who forgot their password reset it by email: a time-limited, single-use link.
A new colleague added by an administrator sets their first password the same way, through
the set-up link emailed to them (``setup_bp``).

The request page answers the same whether or not the address has an account (and whether
the account is disabled), and is rate-limited per IP and per address (QUALITY 11).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("password_reset", __name__, url_prefix="/password-reset")
setup_bp = Blueprint("account_setup", __name__, url_prefix="/set-up")
