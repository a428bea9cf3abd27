"""Forgotten password: ask for a link, then choose a new password with it. A new
colleague's set-up link opens the same page to choose their first password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eventapp import uow
from eventapp.access import staff_entrance, token_route
from eventapp.accounts.services import normalise_email
from eventapp.errors import DomainError
from eventapp.extensions import limiter
from eventapp.forms import show_error
from eventapp.password_reset import bp, services, setup_bp
from eventapp.password_reset.forms import ChoosePasswordForm, RequestResetForm
from eventapp.tokens import TokenPurpose
from eventapp.web import keeps_input_on_csrf_error


def _address_key() -> str:
    return "reset:" + normalise_email(request.form.get("email", ""))[:254]


@bp.route("/", methods=["GET", "POST"])
@staff_entrance
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"],
    key_func=_address_key,
    methods=["POST"],
    scope="password-reset-address",
)
@keeps_input_on_csrf_error
def request_link() -> str | Response:
    """Ask for a password reset link by email."""
    form = RequestResetForm()
    if form.validate_on_submit():
        uow.run(services.request_reset, form.email.data or "")
        return redirect(url_for("password_reset.sent"))
    return render_template("password_reset/request.html", form=form)


@bp.route("/sent")
@staff_entrance
def sent() -> str:
    """The same answer whether or not the address has an account."""
    return render_template(
        "password_reset/sent.html", hours=current_app.config["PASSWORD_RESET_HOURS"]
    )


@bp.route("/<token:token>", methods=["GET", "POST"])
@token_route(TokenPurpose.PASSWORD_RESET)
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_IP"], methods=["POST"])
def choose(token: str) -> str | Response | tuple[str, int]:
    """Choose a new password with a reset link."""
    return _choose_password(token, TokenPurpose.PASSWORD_RESET)


@setup_bp.route("/<token:token>", methods=["GET", "POST"])
@token_route(TokenPurpose.ACCOUNT_SETUP)
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_IP"], methods=["POST"])
def choose_first(token: str) -> str | Response | tuple[str, int]:
    """A new colleague sets their own password with the link an administrator had sent."""
    return _choose_password(token, TokenPurpose.ACCOUNT_SETUP)


def _choose_password(token: str, purpose: TokenPurpose) -> str | Response | tuple[str, int]:
    setting_up = purpose is TokenPurpose.ACCOUNT_SETUP
    expired = render_template("password_reset/expired.html", setting_up=setting_up), 404
    user = services.user_for(token, purpose)
    if user is None:
        return expired
    form = ChoosePasswordForm()
    if setting_up:
        form.submit.label.text = "Set password"
    if form.validate_on_submit():
        try:
            done = uow.run(services.reset_password, token, form.password.data or "", purpose)
        except DomainError as error:
            show_error(form, error, "password")
        else:
            if done is None:
                return expired
            flash(
                "Your password has been set. Sign in with it now."
                if setting_up
                else "Your password has been changed. Sign in with your new password.",
                "success",
            )
            return redirect(url_for("accounts.sign_in"))
    return render_template(
        "password_reset/choose.html", form=form, setting_up=setting_up, user=user
    )
