"""The public registration form, the registrant's own page and the organiser's forms."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from eventapp.edits import Versioned
from eventapp.forms import BaseForm, GovDateField, TimeField, WholeNumberField, options, strip
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.mail.message import BadAddressError, clean_address
from eventapp.questions.models import QUESTION_MAX
from eventapp.registration.models import MODE_LABELS, ApprovalMode

NEEDS_LIMIT = 1000


def _valid_email(form: Any, field: Any) -> None:
    try:
        clean_address(field.data or "")
    except BadAddressError as error:
        raise ValidationError(str(error)) from None


def _short(label: str, limit: int = 200) -> Length:
    return Length(max=limit, message=f"{label} must be {limit:,} characters or fewer")


class RegisterForm(BaseForm):
    """The public form. ``website`` is a honeypot: people never see it, bots fill it in."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter your full name"), _short("Your name")],
    )
    email = EmailField(
        "Email address",
        description="We will send you a link to confirm it. Your place is held only once you have.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter your email address"),
            _short("Your email address", 254),
            _valid_email,
        ],
    )
    organisation = StringField(
        "Organisation",
        description="The school, charity, faith group, business or other organisation you "
        "represent. Write “None” if you are coming as a member of the public.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter your organisation, or None"), _short("Organisation")],
    )
    sector = RadioField(
        "Which of the following best represents the sector you currently work in?",
        choices=options((s.value, SECTOR_LABELS[s]) for s in Sector),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the sector you currently work in")],
    )
    sector_other = StringField(
        "Your sector (optional)",
        description="If you chose “Other (please state)”.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), _short("Your sector")],
    )
    role = StringField(
        "Your role (optional)",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), _short("Your role")],
    )
    access_needs = TextAreaField(
        "Access needs (optional)",
        description="Anything that would help you take part: step-free access, a hearing "
        "loop, captions, a break.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _short("Access needs", NEEDS_LIMIT)],
    )
    dietary_needs = TextAreaField(
        "Dietary needs (optional)",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _short("Dietary needs", NEEDS_LIMIT)],
    )
    question = TextAreaField(
        "A question for the speakers (optional)",
        description="It joins the event's questions without your name once you have a place "
        "or are on the waiting list, and the organiser may put it to the speakers.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _short("Your question", QUESTION_MAX)],
    )
    consent = BooleanField(
        "I have read the privacy notice and agree that my details are kept as it says",
        widget=GovCheckboxInput(),
        validators=[InputRequired("Confirm that you have read the privacy notice")],
    )
    website = StringField("Leave this box empty", filters=[strip])
    submit = SubmitField("Register", widget=GovSubmitInput())


class ConfirmForm(BaseForm):
    submit = SubmitField("Confirm my email address", widget=GovSubmitInput())


class CancelForm(BaseForm):
    submit = SubmitField("Cancel my registration", widget=GovSubmitInput())


class NeedsForm(Versioned, BaseForm):
    access_needs = TextAreaField(
        "Access needs (optional)",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _short("Access needs", NEEDS_LIMIT)],
    )
    dietary_needs = TextAreaField(
        "Dietary needs (optional)",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _short("Dietary needs", NEEDS_LIMIT)],
    )
    submit = SubmitField("Save my needs", widget=GovSubmitInput())


class DecideForm(BaseForm):
    """Approve, decline or cancel the ticked registrations."""

    ids = SelectMultipleField(
        "Registrations", choices=[], validate_choice=False, widget=GovCheckboxesInput()
    )
    action = RadioField(
        "What do you want to do?",
        choices=options([("approve", "Approve"), ("decline", "Decline"), ("cancel", "Cancel")]),
        widget=GovRadioInput(),
        validators=[InputRequired("Select approve, decline or cancel")],
    )
    message = TextAreaField(
        "Message to them (optional)",
        description="Sent with a decline or a cancellation.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _short("The message", NEEDS_LIMIT)],
    )
    submit = SubmitField("Apply", widget=GovSubmitInput())


class SettingsForm(Versioned, BaseForm):
    mode = RadioField(
        "How do people get a place?",
        description="The handbook says: “One way to mitigate this could be through "
        "pre-registration, enabling you to keep track of who's planning to come along.”",
        choices=options((m.value, MODE_LABELS[m]) for m in ApprovalMode),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how people get a place")],
    )
    closes_on = GovDateField(
        "Registration closes on (optional)",
        description="Leave empty to take registrations until the event starts. For example, "
        "27 3 2027.",
    )
    closes_time = TimeField(
        "Closing time (optional)",
        description="24-hour clock, like 17:00. Midnight at the end of the day if empty.",
    )
    release_hours = WholeNumberField(
        "Hours before the start to send the venue address or joining link",
        description="Confirmed attendees get it then; anyone confirmed later gets it at once.",
        validators=[
            InputRequired("Enter a number of hours, like 48"),
            NumberRange(min=0, max=720, message="Enter a number of hours from 0 to 720"),
        ],
    )
    retention_days = WholeNumberField(
        "Days after the event to keep attendees' personal data",
        description="Then names, emails, roles, needs and questions are removed; anonymous "
        "counts stay.",
        validators=[
            InputRequired("Enter a number of days, like 90"),
            NumberRange(min=0, max=3650, message="Enter a number of days from 0 to 3,650"),
        ],
    )
    instructions_note = TextAreaField(
        "What attendees should know (optional)",
        description="Added to the joining instructions: access, timings, parking, the video, "
        "the feedback form.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _short("The note", 2000)],
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())


class ActionForm(BaseForm):
    """A button that needs nothing else (send an update, purge now)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class CheckInForm(BaseForm):
    action = RadioField(
        choices=options([("arrived", "Arrived"), ("undo", "Undo")]),
        validators=[InputRequired("Select arrived or undo")],
    )


class WalkInForm(BaseForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter their full name"), _short("The name")],
    )
    organisation = StringField(
        "Organisation (optional)",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), _short("Organisation")],
    )
    sector = RadioField(
        "Which of the following best represents the sector you currently work in?",
        choices=options((s.value, SECTOR_LABELS[s]) for s in Sector),
        widget=GovRadioInput(),
        # Only a missing answer is optional: a value of spaces or line breaks is not one of
        # the choices and is refused, rather than reaching Sector() and failing there.
        validators=[Optional(strip_whitespace=False)],
        invalid_choice_message="Select the sector they work in, or leave it blank",
    )
    submit = SubmitField("Add and check in", widget=GovSubmitInput())
