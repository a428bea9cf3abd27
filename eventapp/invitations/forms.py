"""Forms for the letter, invitees, uploads, sending and channels."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from eventapp.edits import Versioned
from eventapp.forms import BaseForm, options, strip
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.invitations.models import CHANNEL_LABELS, ChannelKind

YES_NO = [("yes", "Yes"), ("no", "No")]


class LetterForm(Versioned, BaseForm):
    subject = StringField(
        "Subject",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the subject of the email"),
            Length(max=200, message="Enter a subject of 200 characters or fewer"),
        ],
    )
    body = TextAreaField(
        "Letter",
        description="Plain text. Leave a blank line between paragraphs.",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the letter"),
            Length(max=10000, message="Enter a letter of 10,000 characters or fewer"),
        ],
    )
    contact_name = StringField(
        "Organiser's name",
        description="Goes into ((organiser)).",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter a name of 200 characters or fewer")],
    )
    contact_details = StringField(
        "Organiser's contact details",
        description="An email address or phone number; goes into ((contact)). An email "
        "address also becomes the reply address.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300, message="Enter contact details of 300 characters or fewer"),
        ],
    )
    pre_registration = RadioField(
        "Do people need to register before they get the venue address or joining link?",
        description="From the handbook: “One way to mitigate this could be through "
        "pre-registration, enabling you to keep track of who's planning to come along.” The "
        "letter never contains the address or joining link either way.",
        choices=options(YES_NO),
        default="yes",
        widget=GovRadioInput(),
        validators=[InputRequired("Select yes if people need to register first")],
    )
    version = HiddenField()
    submit = SubmitField("Save letter", widget=GovSubmitInput())


class InviteeForm(BaseForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the invitee's name"),
            Length(max=200, message="Enter a name of 200 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the invitee's email address"),
            Length(max=254, message="Enter an email address of 254 characters or fewer"),
        ],
    )
    organisation = StringField(
        "Organisation (optional)",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
    )
    sector = SelectField(
        "Sector (optional)",
        description="The sectors of the feedback form, so the numbers can be compared.",
        choices=options([("", "Not given"), *((s.value, SECTOR_LABELS[s]) for s in Sector)]),
        widget=GovSelect(),
        validators=[Optional()],
        invalid_choice_message="Select a sector from the list, or Not given",
    )
    role = StringField(
        "Role (optional)",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
    )
    submit = SubmitField("Add invitee", widget=GovSubmitInput())


class UploadForm(BaseForm):
    file = FileField(
        "Upload a CSV file",
        description="One row per person, with a heading row naming the columns: name, email, "
        "organisation, sector, role. Name and email are needed.",
        widget=GovFileInput(),
        validators=[FileRequired("Select a CSV file")],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class SendForm(BaseForm):
    """Sending or chasing: the page-load time makes a resubmitted page send nothing twice."""

    loaded_at = HiddenField()
    submit = SubmitField("Send", widget=GovSubmitInput())


class PreviewForm(BaseForm):
    class Meta(BaseForm.Meta):
        csrf = False

    invitee = IntegerField(
        "Preview for",
        validators=[Optional()],
        invalid_value_message="Select an invitee from the list",
    )


class ChannelForm(BaseForm):
    kind = RadioField(
        "Channel",
        choices=options((k.value, CHANNEL_LABELS[k]) for k in ChannelKind),
        widget=GovRadioInput(),
        validators=[InputRequired("Select a channel")],
    )
    label = StringField(
        "Name (optional)",
        description="To tell channels of one kind apart, like “Flyers at Grays library”.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=100, message="Enter a name of 100 characters or fewer")],
    )
    submit = SubmitField("Add channel", widget=GovSubmitInput())
