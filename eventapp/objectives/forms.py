"""The SMART objective form."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from eventapp.edits import Versioned
from eventapp.forms import BaseForm, GovDateField, NumberField, options, strip
from eventapp.handbook import AIM_LABELS, Q_OBJECTIVES_WIDER, Aim
from eventapp.objectives.models import METRIC_LABELS, Metric
from eventapp.once import SingleUse

_NUMBER = "Enter a number, like 15 or 2.5"


class ObjectiveForm(Versioned, SingleUse, BaseForm):
    statement = TextAreaField(
        "Objective",
        description="One sentence. For example: raise awareness of the links between mental health "
        "and vulnerability to radicalisation amongst safeguarding leads in 15 local schools.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            InputRequired("Enter the objective"),
            Length(max=2000, message="Enter the objective in 2000 characters or fewer"),
        ],
    )
    specific_who = StringField(
        "Specific: who is it for?",
        description="For example, safeguarding leads in 15 local schools",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=500, message="Enter 500 characters or fewer")],
    )
    specific_what = StringField(
        "Specific: what should change?",
        description="For example, increased understanding of the links between mental health and radicalisation",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=500, message="Enter 500 characters or fewer")],
    )
    metric = RadioField(
        "Measurable: how will you measure it?",
        description="The first seven come from registrations and feedback forms; the service "
        "cannot count them yet, so record the figures when you evaluate the event.",
        choices=options((m.value, METRIC_LABELS[m]) for m in Metric),
        widget=GovRadioInput(),
        validators=[Optional()],
        invalid_choice_message="Select how you will measure it",
    )
    manual_metric_name = StringField(
        "What will you measure?",
        description="Only if you chose something else. For example, Prevent referrals from community and family members",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
    )
    target_value = NumberField(
        "Target",
        description="A number, for example 15. For a percentage, enter 80 for 80%.",
        invalid_message=_NUMBER,
        validators=[
            Optional(),
            NumberRange(min=0, max=10**9, message="Enter a target between 0 and 1,000,000,000"),
        ],
    )
    target_unit = StringField(
        "Unit of the target",
        description="Only for something else you measure. For example: members, % increase, referrals",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=50, message="Enter a unit of 50 characters or fewer")],
    )
    baseline_value = NumberField(
        "Baseline (optional)",
        description="Where things stand now, if you know",
        invalid_message=_NUMBER,
        validators=[
            Optional(),
            NumberRange(min=0, max=10**9, message="Enter a baseline between 0 and 1,000,000,000"),
        ],
    )
    attainable_reason = TextAreaField(
        "Attainable: why is it achievable?",
        description="For example, the schools' safeguarding network has agreed to promote the event",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), Length(max=2000, message="Enter 2000 characters or fewer")],
    )
    relevant_aim = RadioField(
        "Relevant: which aim does it serve?",
        description="The first three are the handbook's examples of what events can help to do.",
        choices=options((a.value, AIM_LABELS[a]) for a in Aim),
        widget=GovRadioInput(),
        # Whitespace alone is no choice: Optional() would stop before the choices are checked.
        filters=[strip],
        validators=[Optional()],
        invalid_choice_message="Select the aim it serves",
    )
    relevant_reason = TextAreaField(
        "Relevant: how does it fit your wider strategic objectives?",
        description=f"The handbook asks you to consider “{Q_OBJECTIVES_WIDER.text}” An "
        "objective serving another aim is relevant when you say how it fits.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), Length(max=2000, message="Enter 2000 characters or fewer")],
    )
    measure_by = GovDateField(
        "Time-bound: by when will you measure it?",
        description="This can be after the event, for example 27 3 2029 for a two-year objective",
    )
    submit = SubmitField("Save objective", widget=GovSubmitInput())
