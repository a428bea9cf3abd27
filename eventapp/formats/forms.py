"""The format decision form."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from eventapp.edits import Versioned
from eventapp.events.models import FORMAT_LABELS, EventFormat
from eventapp.forms import BaseForm, options, strip
from eventapp.handbook import IN_PERSON_PROS, Q_BOTH_FORMATS, VIRTUAL_ACTIONS, VIRTUAL_PROS

_FROM_THE_LIST = "Select from the list, or leave them all unticked"


class FormatDecisionForm(Versioned, BaseForm):
    virtual_pros = SelectMultipleField(
        "What matters about an online event?",
        description="Select all that matter for this audience.",
        choices=options((c.key, c.label) for c in VIRTUAL_PROS),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        invalid_choice_message=_FROM_THE_LIST,
    )
    in_person_pros = SelectMultipleField(
        "What matters about meeting in person?",
        description="Select all that matter for this audience.",
        choices=options((c.key, c.label) for c in IN_PERSON_PROS),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        invalid_choice_message=_FROM_THE_LIST,
    )
    format = RadioField(
        "What have you decided?",
        choices=options((f.value, FORMAT_LABELS[f]) for f in EventFormat),
        widget=GovRadioInput(),
        # Whitespace alone is no choice: Optional() would stop before the choices are checked.
        filters=[strip],
        validators=[Optional()],
        invalid_choice_message="Select in person, online or hybrid",
    )
    rationale = TextAreaField(
        "Why?",
        description="A sentence or two for colleagues and for the evaluation.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), Length(max=2000, message="Enter 2000 characters or fewer")],
    )
    virtual_actions = SelectMultipleField(
        "What will you act on?",
        description="The handbook's tips for running a virtual roundtable. The platform and "
        f"technical tips are for online and hybrid events; of the rest it says “{Q_BOTH_FORMATS.text}”, "
        "so the Q&A and feedback tips are kept for an event in a room too. These become "
        "planning tasks.",
        choices=options((c.key, c.label) for c in VIRTUAL_ACTIONS),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        invalid_choice_message=_FROM_THE_LIST,
    )
    update = SubmitField("Update the tally", widget=GovSubmitInput())
    submit = SubmitField("Save decision", widget=GovSubmitInput())
