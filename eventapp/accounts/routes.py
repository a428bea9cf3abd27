"""Signing in and out, changing a password, and managing a council's users."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from eventapp import uow
from eventapp.access import admin_required, me, signed_in, staff_entrance
from eventapp.accounts import limits, services
from eventapp.accounts.forms import ChangePasswordForm, ConfirmForm, NewUserForm, SignInForm
from eventapp.accounts.models import ROLE_LABELS, Role
from eventapp.errors import DomainError
from eventapp.extensions import limiter
from eventapp.forms import show_error
from eventapp.models.base import utcnow
from eventapp.password_reset import services as password_links
from eventapp.tokens import TokenPurpose
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("accounts", __name__)
bp.app_errorhandler(RateLimitExceeded)(limits.too_many_attempts)


def _safe_next(target: str | None) -> str:
    # Browsers drop tabs and newlines inside a URL ("/\t/evil.example" is "//evil.example")
    # and a header cannot hold a newline, so any control character sends you home instead.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return url_for("main.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@staff_entrance
@limits.sign_in_limits
@keeps_input_on_csrf_error
def sign_in() -> str | Response:
    """Sign in with email and password."""
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            # A fresh session: nothing from before sign-in carries over.
            session.clear()
            login_user(user)
            session.permanent = True
            now = int(utcnow().timestamp())
            session["signed_in_at"] = now
            session["seen_at"] = now
            uow.commit()
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors = ["Enter a correct email address and password"]
        form.password.data = ""
    return render_template("accounts/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out() -> Response:
    """Sign out, ending every session of this account."""
    uow.run(services.sign_out_everywhere, me())
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.sign_in"))


def _user_key() -> str:
    return f"user:{me().id}" if current_user.is_authenticated else "anonymous"


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
    key_func=_user_key,
    methods=["POST"],
    deduct_when=limits.failed,
    scope="change-password",
)
@keeps_input_on_csrf_error
def change_password() -> str | Response:
    """Change your own password; other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            uow.run(
                services.change_own_password,
                user=me(),
                current=form.current_password.data or "",
                new=form.password.data or "",
            )
        except DomainError as error:
            show_error(form, error, "password")
        else:
            # Keep this session alive under the account's new token.
            login_user(me())
            flash("Your password has been changed. Other sessions have been signed out.", "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/users")
@admin_required
def users() -> str:
    """List the users of your council."""
    return render_template(
        "accounts/users.html",
        users=services.council_users(me().council_id),
        role_labels=ROLE_LABELS,
        form=ConfirmForm(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
@keeps_input_on_csrf_error
def new_user() -> str | Response:
    """Add a user to your council."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = uow.run(
                password_links.add_user,
                council=me().council,
                email=form.email.data or "",
                role=Role(form.role.data),
                name=form.name.data or "",
                actor=me(),
            )
        except DomainError as error:
            show_error(form, error, "email")
        else:
            flash(
                f"{user.display_name} has been added. We have emailed {user.email} a link "
                "to set their own password.",
                "success",
            )
            return redirect(url_for("accounts.users"))
    return render_template(
        "accounts/new_user.html", form=form, hours=password_links.hours(TokenPurpose.ACCOUNT_SETUP)
    )


@bp.route("/users/<int:user_id>/set-up-link", methods=["POST"])
@admin_required
def send_setup_link(user_id: int) -> Response:
    """Email a user who has not set a password yet a new set-up link; older links stop working."""
    user = services.get_council_user(me().council_id, user_id)
    if user is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        uow.run(password_links.send_setup_link, user, actor=me())
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            f"We have emailed {user.email} a new link to set their password. "
            "Earlier links no longer work.",
            "success",
        )
    return redirect(url_for("accounts.users"))


@bp.route("/users/<int:user_id>/<any(disable, enable):action>", methods=["POST"])
@admin_required
def set_active(user_id: int, action: str) -> Response:
    """Disable or re-enable a user of your council."""
    user = services.get_council_user(me().council_id, user_id)
    if user is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        uow.run(services.set_active, user=user, active=action == "enable", actor=me())
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"{user.display_name} has been {action}d.", "success")
    return redirect(url_for("accounts.users"))
