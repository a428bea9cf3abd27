"""The agenda item form, and the button-only form that moves an item."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, StopValidation

from eventapp.agenda.models import MAX_DURATION_MINUTES, PART_LABELS, AgendaPart
from eventapp.agenda.services import Direction
from eventapp.edits import Versioned
from eventapp.forms import BaseForm, NumberField, WholeNumberField, options, strip
from eventapp.handbook import Q_TWO_OR_THREE
from eventapp.once import SingleUse

YES_NO = [("yes", "Yes"), ("no", "No")]
DURATION_FORMAT = "Enter a duration in minutes, like 10"
DURATION_RANGE = f"Enter a duration between 1 and {MAX_DURATION_MINUTES} minutes"
PART_REQUIRED = "Select which part of the event the item is for"
# Shown under each part's radio, in AgendaPart order ("Setting the agenda").
PART_HINTS = {
    AgendaPart.SCENE: "For example, a welcome, a video introduction to Prevent, or the threat "
    "and the strategic context",
    AgendaPart.MESSAGES: "For example, a presentation with case studies and real-life examples",
    AgendaPart.ENGAGE: "Discussion and Q&A: the most important part of the roundtable",
    AgendaPart.CLOSE: "For example, closing remarks, thanks and next steps",
}


def _duration(form: Any, field: NumberField) -> None:
    """One message at a time: the format error from parsing, else missing, else out of range."""
    if field.process_errors:
        raise StopValidation()
    if field.data is None:
        raise StopValidation(DURATION_FORMAT)
    if not 1 <= field.data <= MAX_DURATION_MINUTES:
        raise StopValidation(DURATION_RANGE)


def _yes_no(label: str, message: str, **kwargs: Any) -> RadioField:
    # Choices are checked by AnyOf so a tampered value gets the same instruction.
    return RadioField(
        label,
        choices=options(YES_NO),
        default="no",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message), AnyOf(["yes", "no"], message=message)],
        **kwargs,
    )


class AgendaItemForm(Versioned, SingleUse, BaseForm):
    title = StringField(
        "Agenda item",
        description="For example, Welcome and introductions",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the item title"),
            Length(max=300, message="Enter the item title in 300 characters or fewer"),
        ],
    )
    introduced_by = StringField(
        "Introduced by (optional)",
        description="For example, Chairperson, Home Office Prevent or Prevent Coordinator",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
    )
    duration_minutes = WholeNumberField(
        "Duration",
        description="In minutes, for example 10. Discussion and Q&A in the handbook's example "
        "take 70.",
        invalid_message=DURATION_FORMAT,
        validators=[_duration],
    )
    part = RadioField(
        "Which part of the event is it for?",
        description="The handbook's agendas set the scene, land the key messages and engage "
        "people through Q&A.",
        choices=options((p.value, PART_LABELS[p]) for p in AgendaPart),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(PART_REQUIRED),
            AnyOf([p.value for p in AgendaPart], message=PART_REQUIRED),
        ],
    )
    is_speaker = _yes_no(
        "Is this a speaker's slot?",
        "Select yes if someone gives a talk in this item",
        description=f"In the handbook's words: “{Q_TWO_OR_THREE.text}” A speaker with two "
        "slots counts once.",
    )
    collects_feedback = _yes_no(
        "Will attendees fill in the feedback form during this item?",
        "Select yes if attendees fill in the feedback form during this item",
        description="For example, during the thanks and next steps at the end.",
    )
    notes = TextAreaField(
        "Notes (optional)",
        description="For example, what the speaker will cover, or a reminder for the chairperson",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=2000, message="Enter notes of 2000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save item", widget=GovSubmitInput())


class MoveForm(SingleUse, BaseForm):
    """A Move up or Move down button: the CSRF token, the page's single-use token, the direction."""

    direction = HiddenField(
        validators=[
            InputRequired("Select Move up or Move down"),
            AnyOf([d.value for d in Direction], message="Select Move up or Move down"),
        ],
    )
