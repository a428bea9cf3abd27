"""The forgotten-password forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from eventapp.accounts.models import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from eventapp.forms import BaseForm, strip


class RequestResetForm(BaseForm):
    email = EmailField(
        "Email address",
        description="The address you sign in with.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter your email address"),
            Length(max=254, message="Enter an email address of 254 characters or fewer"),
        ],
    )
    submit = SubmitField("Send me a reset link", widget=GovSubmitInput())


class ChoosePasswordForm(BaseForm):
    password = PasswordField(
        "New password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well.",
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
    submit = SubmitField("Set new password", widget=GovSubmitInput())
