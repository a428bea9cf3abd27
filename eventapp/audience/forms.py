"""Audience profile and target organisation forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from eventapp.edits import Versioned
from eventapp.forms import BaseForm, WholeNumberField, options, strip
from eventapp.handbook import RECEPTIVE_LABELS, SECTOR_LABELS, ReceptiveSlot, Sector
from eventapp.once import SingleUse

# An organiser's audience has a sector; "Prefer not to say" only makes sense for a respondent.
AUDIENCE_SECTORS = [s for s in Sector if s is not Sector.PREFER_NOT]


def _prompt(label: str, hint: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=hint,
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), Length(max=2000, message="Enter 2000 characters or fewer")],
    )


class AudienceForm(Versioned, BaseForm):
    sector = SelectField(
        "Primary audience sector",
        description="The sectors match question 3 of the feedback form, so you can compare later.",
        choices=options(
            [("", "Select a sector")] + [(s.value, SECTOR_LABELS[s]) for s in AUDIENCE_SECTORS]
        ),
        widget=GovSelect(),
        validators=[InputRequired("Select the primary audience sector")],
    )
    sector_other = StringField(
        "Other sector",
        description="Only if you chose Other.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
    )
    profession = StringField(
        "Profession or role",
        description="For example, teachers and safeguarding leads",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
    )
    vital_statistics = _prompt("What are they?", "Vital statistics: how many, ages, roles")
    characteristics = _prompt("Who are they?", "Characteristics")
    location_lifestyle = _prompt("Where are they?", "Location and lifestyle")
    behaviours = _prompt(
        "Behaviours", "What they do now, for example how they handle safeguarding concerns"
    )
    attitudes = _prompt("Attitudes", "What they think of Prevent and of the council")
    barriers = _prompt("Barriers", "What might stop them coming or engaging")
    motivations_needs = _prompt(
        "Motivations and needs", "What would make the event worth their time"
    )
    cares_about = _prompt("What do they care about?", "")
    information_sources = _prompt("Where do they get information, and how much do they want?", "")
    receptive_slot = RadioField(
        "When are they most receptive?",
        description="Events are usually in the evening, from 6pm to 8pm. Mornings or lunchtime suit some audiences better.",
        choices=options((r.value, RECEPTIVE_LABELS[r]) for r in ReceptiveSlot),
        default=ReceptiveSlot.UNKNOWN.value,
        widget=GovRadioInput(),
        validators=[InputRequired("Select when they are most receptive, or 'Not known yet'")],
    )
    receptive_notes = _prompt(
        "More about when they are receptive", "For example, after school finishes"
    )
    influencers = _prompt(
        "Who influences them?", "People or organisations they trust and listen to"
    )
    submit = SubmitField("Save audience profile", widget=GovSubmitInput())


def _organisation_name() -> StringField:
    return StringField(
        "Organisation name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired("Enter the organisation's name"),
            Length(max=200, message="Enter a name of 200 characters or fewer"),
        ],
    )


def _expected_attendees() -> WholeNumberField:
    return WholeNumberField(
        "Expected attendees (optional)",
        invalid_message="Enter the expected attendees as a whole number, like 2",
        validators=[
            Optional(),
            NumberRange(min=0, max=10000, message="Enter a number between 0 and 10,000"),
        ],
    )


class AddOrganisationForm(BaseForm):
    name = _organisation_name()
    expected = _expected_attendees()
    submit = SubmitField("Add organisation", widget=GovSubmitInput())


class EditOrganisationForm(Versioned, BaseForm):
    name = _organisation_name()
    expected = _expected_attendees()
    submit = SubmitField("Save organisation", widget=GovSubmitInput())


class RemoveOrganisationsForm(SingleUse, BaseForm):
    """The one confirmation for removing the organisations ticked on the list.

    The ids travel as hidden ``ids`` inputs, read by the route, and the button says how many;
    the token makes a second sending of the same page do nothing.
    """


class PasteOrganisationsForm(BaseForm):
    names = TextAreaField(
        "Paste a list of organisations",
        description="One per line. To give the expected attendees, add a comma and a number, "
        "for example: Hall Lane Primary School, 2",
        widget=GovTextArea(),
        validators=[
            InputRequired("Paste at least one organisation"),
            Length(max=50000, message="Paste fewer organisations at a time"),
        ],
    )
    submit = SubmitField("Add these organisations", widget=GovSubmitInput())
