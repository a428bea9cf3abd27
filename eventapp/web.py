"""Request-wide behaviour: security headers, sessions, error pages and template helpers."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, render_template, request, session
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from eventapp.errors import NotFoundError
from eventapp.extensions import db, login_manager
from eventapp.forms import error_summary

F = TypeVar("F", bound=Callable[..., Any])

ERROR_PAGES = {
    400: ("There is a problem with your request", "errors/400.html"),
    403: ("You do not have permission to see this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("Page not found", "errors/404.html"),
    413: ("What you sent is too large", "errors/400.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
}


def keeps_input_on_csrf_error(view: F) -> F:
    """Mark a form view as safe to re-render when its CSRF token is missing or expired.

    The view must validate its FlaskForm (which checks the token again) before it changes
    anything, so calling it with a bad token only re-displays the form with the input kept.
    """
    view.rerender_on_csrf_error = True  # type: ignore[attr-defined]
    return view


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
    def _csrf_error(error: CSRFError) -> tuple[str, int] | Response:
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
        return (
            render_template(
                "errors/400.html",
                title="Your form expired",
                message="The page was open too long or the form was sent from elsewhere. "
                "Go back, refresh the page and try again.",
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        title, template = ERROR_PAGES.get(code, ERROR_PAGES[400])
        return render_template(template, title=title, code=code), code

    @app.errorhandler(NotFoundError)
    def _not_found(error: NotFoundError) -> tuple[str, int]:
        title, template = ERROR_PAGES[404]
        return render_template(template, title=title, code=404), 404

    @app.errorhandler(IntegrityError)
    def _conflict(error: IntegrityError) -> tuple[str, int]:
        # Two people (or two clicks) changed the same thing at once and the database refused
        # the second: nothing was saved, and trying again will work.
        db.session.rollback()
        current_app.logger.warning("Conflicting write on %s %s", request.method, _route())
        return render_template("errors/409.html", title="Someone else changed this", code=409), 409

    @app.errorhandler(Exception)
    def _server_error(error: Exception) -> tuple[str, int]:
        current_app.logger.exception("Unhandled error on %s %s", request.method, _route())
        db.session.rollback()
        title, template = ERROR_PAGES[500]
        return render_template(template, title=title, code=500), 500

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {
            "csp_nonce": _nonce(),
            "error_summary": error_summary,
            "service_name": current_app.config["SERVICE_NAME"],
        }

    from eventapp import formatting

    formatting.init_app(app)
