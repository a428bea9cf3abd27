"""Who may see what: role checks and council-scoped lookups."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from eventapp.accounts.models import User

F = TypeVar("F", bound=Callable[..., Any])


def me() -> User:
    """The signed-in user (only call behind login_required)."""
    return cast(User, current_user._get_current_object())


def planner_required(view: F) -> F:
    """Organisers and coordinators plan events; administrators manage users only."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not me().can_plan:
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapper)


def admin_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not me().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapper)
