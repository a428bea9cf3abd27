"""Sign-in, password and user-management forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from eventapp.accounts.models import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, ROLE_LABELS, Role
from eventapp.forms import BaseForm, options, strip

_PASSWORD_HINT = f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well."


class SignInForm(BaseForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter your email address"),
            Length(max=254, message="Enter an email address of 254 characters or fewer"),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=MAX_PASSWORD_LENGTH)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=MAX_PASSWORD_LENGTH)],
    )
    password = PasswordField(
        "New password",
        description=_PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Enter a new password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=f"Enter a password that is between {MIN_PASSWORD_LENGTH} and "
                f"{MAX_PASSWORD_LENGTH} characters long",
            ),
        ],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Enter the new password again"),
            EqualTo("password", "Enter the same new password in both boxes"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class NewUserForm(BaseForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the person's full name"),
            Length(max=200, message="Enter a name of 200 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the person's email address"),
            Length(max=254, message="Enter an email address of 254 characters or fewer"),
            Email("Enter an email address in the correct format, like name@example.gov.uk"),
        ],
    )
    role = RadioField(
        "Role",
        choices=options((r.value, ROLE_LABELS[r]) for r in Role),
        widget=GovRadioInput(),
        validators=[InputRequired("Select a role")],
    )
    submit = SubmitField("Add user", widget=GovSubmitInput())


class ConfirmForm(BaseForm):
    """A button-only form: the CSRF token is its content."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
