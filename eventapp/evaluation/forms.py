"""Forms of the evaluation: the organiser's conclusions, a measured value, the covering note."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from eventapp.edits import Versioned
from eventapp.forms import BaseForm, NumberField, WholeNumberField, strip

_LONG = Length(max=5000, message="Enter 5000 characters or fewer")


def _text_area(label: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _LONG],
    )


class ConclusionsForm(Versioned, BaseForm):
    attendance_entered = WholeNumberField(
        "How many people attended?",
        description="Only needed if attendance was not recorded by check-in. Leave empty if you do not know.",
        invalid_message="Enter the number of people who attended as a whole number, like 24",
        validators=[
            Optional(),
            NumberRange(min=0, max=100000, message="Enter a number from 0 to 100000"),
        ],
    )
    attendance_note = StringField(
        "How do you know? (optional)",
        description="For example, the sign-in sheet or a head count during the event",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=500, message="Enter 500 characters or fewer")],
    )
    represented = SelectMultipleField(
        "Which of your target organisations were represented?",
        description="Select all that sent someone. An organisation whose staff were checked in at the event counts as represented without a tick. The ones not represented are listed for follow-up.",
        widget=GovCheckboxesInput(),
        choices=[],
        validate_choice=True,
        invalid_choice_message="Select organisations from the list of target organisations",
    )
    further_action = _text_area(
        "What needs further action?",
        "For example follow-up meetings, organisations not reached, or questions still to answer",
    )
    behaviour_change = _text_area(
        "Will what attendees learned change how they act in their work?",
        "In your own words: do they know what to do with this information?",
    )
    local_delivery = _text_area(
        "How has the event contributed to Prevent delivery in your area and your team?", ""
    )
    recommendations = _text_area("What do you recommend for the next event?", "")
    submit = SubmitField("Save", widget=GovSubmitInput())


class MeasureForm(Versioned, BaseForm):
    actual_value = NumberField(
        "Actual value",
        invalid_message="Enter the actual value as a number, like 5 or 2.5",
        validators=[
            Optional(),
            NumberRange(min=0, max=9999999999, message="Enter a number from 0 to 9999999999"),
        ],
    )
    source_note = StringField(
        "Where does this come from?",
        description="For example, the Prevent Advisory Group membership list on 1 August",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=500, message="Enter 500 characters or fewer")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ShareForm(BaseForm):
    covering_note = TextAreaField(
        "Covering note",
        description="Highlight anything that needs further action, such as follow-up meetings, "
        "and your recommendations for the next event.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), _LONG],
    )
    submit = SubmitField("Send to Home Office Prevent", widget=GovSubmitInput())
