"""Request-wide behaviour: security headers, sessions, error pages and template helpers."""

from __future__ import annotations

import secrets
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, render_template, request, session
from flask_login import current_user, logout_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from eventapp import database, handbook
from eventapp.access import PUBLIC_FACING, access_of, council_for_page, is_staff_facing
from eventapp.errors import NotFoundError
from eventapp.extensions import db, login_manager
from eventapp.forms import error_summary

F = TypeVar("F", bound=Callable[..., Any])

STAFF_LAYOUT = "layouts/staff.html"
PUBLIC_LAYOUT = "layouts/public.html"

ERROR_PAGES = {
    400: ("There is a problem with your request", "errors/400.html"),
    403: ("You do not have permission to see this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("Page not found", "errors/404.html"),
    409: ("Someone else changed this", "errors/409.html"),
    413: ("What you sent is too large", "errors/400.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
    503: ("Sorry, the service is busy", "errors/503.html"),
}


def keeps_input_on_csrf_error(view: F) -> F:
    """Mark a form view as safe to re-render when its CSRF token is missing or expired.

    The view must validate its FlaskForm (which checks the token again) before it changes
    anything, so calling it with a bad token only re-displays the form with the input kept.
    """
    view.rerender_on_csrf_error = True  # type: ignore[attr-defined]
    return view


def is_staff_page() -> bool:
    """Whether this request's pages (its error pages among them) use the staff layout.

    Pages for the public (attendees' pages, secret links, the notices) use the public
    layout, which says nothing about the staff side, as does any page nobody signed in can
    reach except the staff entrance (signing in).
    """
    endpoint = request.endpoint
    view = current_app.view_functions.get(endpoint) if endpoint else None
    if view is not None and access_of(view, endpoint or "") in PUBLIC_FACING:
        return is_staff_facing(view, endpoint or "")
    return _signed_in()


def _signed_in() -> bool:
    try:
        return bool(current_user.is_authenticated)
    except Exception:  # noqa: BLE001 - an error page must render even if the user cannot load
        return False


def render_error(code: int, *, title: str | None = None, **context: Any) -> Response:
    """The error page for ``code``, in the staff or the public layout as the request needs."""
    default_title, template = ERROR_PAGES.get(code, ERROR_PAGES[400])
    staff_layout = is_staff_page()
    page = render_template(
        template,
        title=title or default_title,
        code=code,
        # Links into the staff side only for staff who are signed in.
        staff=staff_layout and _signed_in(),
        layout=STAFF_LAYOUT if staff_layout else PUBLIC_LAYOUT,
        **context,
    )
    response = current_app.make_response((page, code))
    if code == 503:
        response.headers["Retry-After"] = str(current_app.config["BUSY_RETRY_AFTER_SECONDS"])
    return response


def _csp(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


def _nonce() -> str:
    """This response's script nonce, made on first use: an error page may come before any hook."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def _route() -> str:
    """The matched route pattern, never the path: paths can carry private tokens."""
    return request.url_rule.rule if request.url_rule is not None else "(no route)"


def init_app(app: Flask) -> None:
    """Register hooks, error handlers and template globals."""
    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    @login_manager.user_loader
    def load_user(user_id: str) -> Any:
        from eventapp.accounts.models import User

        ident, _, token = user_id.partition(":")
        if not ident.isdigit() or not token:
            return None
        user = db.session.get(User, int(ident))
        if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
            return None
        return user

    def _before() -> None:
        remember = current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)
        if "_user_id" not in session and remember not in request.cookies:
            # Nobody is signed in: nothing to expire, and no user to load until something
            # asks for one. Loading one for a session without it would mark the session
            # (Flask-Login's "not fresh"), so that a public form's first POST sent its cookie
            # back signed again. (The service sets no remember-me cookie; one sent anyway
            # takes the checks below, which end such a sign-in at once.)
            return
        if not current_user.is_authenticated:
            return
        now = datetime.now(UTC)
        idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
        seen = session.get("seen_at")
        signed_in = session.get("signed_in_at")
        lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
        expired = (
            seen is None
            or signed_in is None
            or now - datetime.fromtimestamp(seen, UTC) > idle
            or now - datetime.fromtimestamp(signed_in, UTC) > lifetime
        )
        if expired:
            logout_user()
            session.clear()
            return
        session["seen_at"] = int(now.timestamp())

    # First of all hooks, before CSRF and rate-limit checks, so their error pages (and a form
    # re-rendered after a CSRF failure) see an expired session as signed out.
    app.before_request_funcs.setdefault(None, []).insert(0, _before)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = _csp(_nonce())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if current_app.config.get("HSTS"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if not request.path.startswith("/static/"):
            # Pages carry venue details or personal data once signed in: never cache them.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.teardown_request
    def _rollback(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> Response:
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, "rerender_on_csrf_error", False):
            g.csrf_failed = True
            try:
                response = current_app.make_response(view(**(request.view_args or {})))  # type: ignore[arg-type]
            except HTTPException as http_error:
                # Another council's object (404) or the wrong role (403), not a crash.
                return _http_error(http_error)
            except NotFoundError as missing:
                return _not_found(missing)
            if response.status_code == 200:
                response.status_code = 400
            return response
        return render_error(
            400,
            title="Your form expired",
            message="The page was open too long or the form was sent from elsewhere. "
            "Go back, refresh the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        return render_error(error.code or 500)

    @app.errorhandler(NotFoundError)
    def _not_found(error: NotFoundError) -> Response:
        return render_error(404)

    @app.errorhandler(IntegrityError)
    def _conflict(error: IntegrityError) -> Response:
        # Two people (or two clicks) changed the same thing at once and the database refused
        # the second: nothing was saved, and trying again will work.
        db.session.rollback()
        current_app.logger.warning("Conflicting write on %s %s", request.method, _route())
        return render_error(409, title="Someone else changed this")

    @app.errorhandler(OperationalError)
    def _busy(error: OperationalError) -> Response:
        # Waiting for a lock (or a slow statement) ran out: the transaction is rolled back
        # whole, so nothing half-written is kept, and trying again in a moment will work.
        db.session.rollback()
        if not database.is_busy(error):
            return _server_error(error)
        current_app.logger.warning(
            "Database busy (%s) on %s %s",
            database.sqlstate(error) or "locked",
            request.method,
            _route(),
        )
        return render_error(503)

    @app.errorhandler(Exception)
    def _server_error(error: Exception) -> Response:
        if isinstance(error, StatementError):
            # Where the code failed, but not the values the database quotes in its message.
            current_app.logger.error(
                "Unhandled error on %s %s: %s\n%s",
                request.method,
                _route(),
                database.describe(error),
                "".join(traceback.format_tb(error.__traceback__)).rstrip(),
            )
        else:
            current_app.logger.exception("Unhandled error on %s %s", request.method, _route())
        db.session.rollback()
        return render_error(500)

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {
            "csp_nonce": _nonce(),
            "error_summary": error_summary,
            "service_name": current_app.config["SERVICE_NAME"],
            "public_service_name": current_app.config["PUBLIC_SERVICE_NAME"],
            "service_owner": current_app.config["SERVICE_OWNER"],
            "service_contact_email": current_app.config["SERVICE_CONTACT_EMAIL"],
            # The council a public page belongs to, when its route found one or can find it
            # (eventapp.access.council_for_page).
            "council": council_for_page(),
            # The handbook's words, exactly (eventapp.handbook; templates/handbook/_quote.html).
            "handbook_quote": handbook.quote,
        }

    from eventapp import formatting

    formatting.init_app(app)
