"""Who may reach each page, declared on the view, and the one place a request loads its event.

Every view carries exactly one of these decorators, just under its ``@bp.route``:

- ``@public``: anyone, with no account (the privacy notice, attendees' pages);
  ``@public_facts(load)`` the same for a busy POST that needs only a few of the event's facts.
- ``@staff_entrance``: anyone, but the page is for staff not yet signed in (signing in).
- ``@token_route(TokenPurpose.X)``: anyone holding a secret link of that purpose; the path
  takes the token through the ``<token:...>`` converter.
- ``@signed_in``: any signed-in member of staff, whatever their role.
- ``@planner_required``: organisers and coordinators (they plan events).
- ``@admin_required``: administrators (they manage their council's accounts).

Each sets ``view.access`` (and ``view.token_purpose``), which the security tests read to
build their table of who may reach what; ``check_routes`` refuses to start an app with a
route that declares nothing, or whose arguments do not fit its declaration.

Event scoping is done here, not in each view: a staff route's ``<int:event_id>`` reaches the
view as ``event``, already checked against the signed-in user's council (another council's
event is a 404, exactly like a missing one). A public route's ``<slug:event_slug>`` reaches
it as ``event`` found by its public slug, and sets ``g.council`` for the public layout.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from flask import Flask, abort, g
from flask_login import current_user, login_required

from eventapp.accounts.models import User

if TYPE_CHECKING:
    from eventapp.events.models import Event
    from eventapp.tokens import TokenPurpose

F = TypeVar("F", bound=Callable[..., Any])

EVENT_ID = "event_id"  # a staff route's event: council-checked
EVENT_SLUG = "event_slug"  # a public route's event: found by its public slug


class Access(enum.StrEnum):
    """Who may reach a view."""

    PUBLIC = "public"
    TOKEN = "token"  # noqa: S105 - an access rule's name, not a secret
    SIGNED_IN = "signed in"
    PLANNER = "planner"
    ADMIN = "admin"


# Pages for people without an account: rendered in the public layout when they fail.
PUBLIC_FACING = frozenset({Access.PUBLIC, Access.TOKEN})
# Flask's own endpoints, which no decorator of ours can mark.
BUILT_IN = {"static": Access.PUBLIC}


def me() -> User:
    """The signed-in user (only call behind an access decorator that requires sign-in)."""
    return cast(User, current_user._get_current_object())


def access_of(view: Callable[..., Any] | None, endpoint: str = "") -> Access | None:
    """The access a view declares, or None if it declares none."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    return cast(Access | None, getattr(view, "access", None))


def _declare(wrapper: Callable[..., Any], access: Access) -> None:
    wrapper.access = access  # type: ignore[attr-defined]


def _staff_event(kwargs: dict[str, Any]) -> None:
    """Turn ``event_id`` into the signed-in user's council's event (404 for any other)."""
    if EVENT_ID in kwargs:
        from eventapp.events.services import get_event

        event = get_event(me().council_id, kwargs.pop(EVENT_ID))
        g.event = event
        kwargs["event"] = event


def public_event(slug: str) -> Event:
    """The event public under ``slug`` (404 if none), kept as this request's event."""
    from eventapp.events.services import get_public_event

    event = get_public_event(slug)
    g.event = event
    g.council = event.council
    return event


def _public_event(kwargs: dict[str, Any]) -> None:
    """Turn ``event_slug`` into the event it names (404 if none is public under it)."""
    if EVENT_SLUG in kwargs:
        kwargs["event"] = public_event(kwargs.pop(EVENT_SLUG))


def public(view: F) -> F:
    """Anyone may open this page, signed in or not."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _public_event(kwargs)
        return view(*args, **kwargs)

    _declare(wrapper, Access.PUBLIC)
    return cast(F, wrapper)


def public_facts(load: Callable[[str], object | None]) -> Callable[[F], F]:
    """``@public`` for a busy POST that needs only a few of its event's facts: the view gets
    ``event`` as ``load(slug)`` returns it, 404 when that is None. ``load`` finds only an
    event public under the slug, as ``get_public_event`` does; it loads no council, so a
    page the view renders loads the event itself (``public_event``; the public send of the
    feedback form: one statement instead of the ORM event and its settings), and an error
    page reads the council's name then (``council_for_page``).
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from eventapp.errors import NotFoundError

            slug = kwargs.pop(EVENT_SLUG)
            facts = load(slug)
            if facts is None:
                raise NotFoundError
            g.council_slug = slug
            kwargs["event"] = facts
            return view(*args, **kwargs)

        _declare(wrapper, Access.PUBLIC)
        return cast(F, wrapper)

    return decorator


def council_for_page() -> Any:
    """The council a public page names in its header: the one its route found, or, for a
    page shown by a ``public_facts`` view (an error page), its event's, loaded now
    (``public_event``). None when there is none, or when the database cannot say (the page
    then names the service's owner)."""
    council = g.get("council")
    if council is not None or "council_slug" not in g:
        return council
    from sqlalchemy.exc import SQLAlchemyError

    from eventapp.errors import NotFoundError
    from eventapp.extensions import db

    try:
        return public_event(g.pop("council_slug")).council
    except NotFoundError:
        return None
    except SQLAlchemyError:
        db.session.rollback()
        return None


def staff_entrance(view: F) -> F:
    """Anyone may open this page, which is for staff not yet signed in (signing in).

    It and its error pages keep the staff layout (without navigation until sign-in), not
    the public one that attendees see.
    """
    wrapper = public(view)
    wrapper.staff_facing = True  # type: ignore[attr-defined]
    return wrapper


def is_staff_facing(view: Callable[..., Any] | None, endpoint: str = "") -> bool:
    """Whether a view's pages are for staff (everything but public and secret-link pages,
    apart from the staff entrance)."""
    if access_of(view, endpoint) not in PUBLIC_FACING:
        return True
    return bool(getattr(view, "staff_facing", False))


def token_route(purpose: TokenPurpose) -> Callable[[F], F]:
    """Anyone holding a secret link of this purpose may open this page.

    The view checks the token itself (``eventapp.tokens.find`` or ``consume``) and answers
    404 for one that is unknown, expired, used or revoked.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            _public_event(kwargs)
            return view(*args, **kwargs)

        _declare(wrapper, Access.TOKEN)
        wrapper.token_purpose = purpose  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorator


def signed_in(view: F) -> F:
    """Any signed-in member of staff, whatever their role."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    _declare(wrapper, Access.SIGNED_IN)
    return cast(F, wrapper)


def planner_required(view: F) -> F:
    """Organisers and coordinators plan events; administrators manage users only."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not me().can_plan:
            abort(403)
        _staff_event(kwargs)
        return view(*args, **kwargs)

    _declare(wrapper, Access.PLANNER)
    return cast(F, wrapper)


def admin_required(view: F) -> F:
    """Administrators manage their council's accounts."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not me().is_admin:
            abort(403)
        return view(*args, **kwargs)

    _declare(wrapper, Access.ADMIN)
    return cast(F, wrapper)


def route_problems(app: Flask) -> list[str]:
    """Every route whose access is undeclared or does not fit its arguments."""
    problems = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        access = access_of(view, rule.endpoint)
        where = f"{rule.rule} ({rule.endpoint})"
        converters = {name: type(c).__name__ for name, c in rule._converters.items()}
        if access is None:
            problems.append(
                f"{where} declares no access: add @public, @token_route(...), @signed_in, "
                "@planner_required or @admin_required under its @route (eventapp.access)"
            )
            continue
        if EVENT_ID in rule.arguments and access is not Access.PLANNER:
            problems.append(
                f"{where} takes <{EVENT_ID}> but is {access.value}: only @planner_required "
                "loads a staff event with the council check; public pages use <slug:event_slug>"
            )
        if EVENT_SLUG in rule.arguments and access not in PUBLIC_FACING:
            problems.append(f"{where} takes <{EVENT_SLUG}> but is {access.value}")
        has_token = "TokenConverter" in converters.values()
        if (access is Access.TOKEN) != has_token:
            problems.append(
                f"{where}: a token route takes its token through <token:...>, and only "
                "token routes take one"
            )
    return sorted(problems)


def check_routes(app: Flask) -> None:
    """Refuse to build an app with a route that does not say who may reach it."""
    problems = route_problems(app)
    if problems:
        raise RuntimeError("Routes without a fitting access rule:\n- " + "\n- ".join(problems))
