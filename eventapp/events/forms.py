"""The event details form."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from eventapp.edits import Versioned
from eventapp.events.models import FORMAT_LABELS, PRESENTATION_LABELS, EventFormat, PresentationType
from eventapp.forms import (
    BaseForm,
    GovDateField,
    TimeField,
    WholeNumberField,
    options,
    strip,
)
from eventapp.handbook import (
    AIM_LABELS,
    Q_LOCAL_FIRST,
    Q_OFFER_SPEAKERS,
    Q_THEMATIC_TOPICS,
    Q_VIDEO_EDITS,
    VIDEO_EDIT_LABELS,
    Aim,
    VideoEdit,
)
from eventapp.once import SingleUse

YES_NO = [("yes", "Yes"), ("no", "No")]


class EventForm(Versioned, SingleUse, BaseForm):
    title = StringField(
        "Event title",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the event title"),
            Length(max=200, message="Enter a title of 200 characters or fewer"),
        ],
    )
    aims = SelectMultipleField(
        "What is the event for?",
        description="Select all that apply. The handbook's three broad aims help you set SMART objectives.",
        choices=options((a.value, AIM_LABELS[a]) for a in Aim),
        widget=GovCheckboxesInput(),
        validators=[InputRequired("Select at least one aim for the event")],
        invalid_choice_message="Select the event’s aims from the list",
    )
    other_aim = StringField(
        "Describe the other aim",
        description="Only needed if you selected another aim.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500, message="Describe the aim in 500 characters or fewer"),
        ],
    )
    day = GovDateField(
        "Date of the event",
        description="For example, 27 3 2027. You can leave this blank while the event is a draft.",
    )
    start = TimeField("Start time", description="24-hour clock, for example 18:00")
    end = TimeField("End time", description="24-hour clock, for example 20:00")
    format = RadioField(
        "How will people attend?",
        choices=options((f.value, FORMAT_LABELS[f]) for f in EventFormat),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how people will attend")],
    )
    public_location = StringField(
        "General location (public)",
        description="The town or area shown on the public page and in invitations, like "
        "Grays. Leave blank for an online event to show “Online”. Never the address.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=100, message="Enter a general location of 100 characters or fewer"),
        ],
    )
    venue_name = StringField(
        "Venue name",
        description="Private: only your council sees it. The invitation letter and the public "
        "event page never show it.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=200, message="Enter a venue name of 200 characters or fewer"),
        ],
    )
    venue_address = TextAreaField(
        "Venue address",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=1000, message="Enter an address of 1000 characters or fewer"),
        ],
    )
    online_platform = StringField(
        "Online platform",
        description="For example, Microsoft Teams or Zoom",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=100, message="Enter a platform name of 100 characters or fewer"),
        ],
    )
    joining_link = StringField(
        "Joining link",
        description="Private: only your council sees it. The invitation letter and the public "
        "event page never show it.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500, message="Enter a link of 500 characters or fewer"),
            URL(
                require_tld=False,
                message="Enter the joining link as a full web address, starting https://",
            ),
        ],
    )
    capacity = WholeNumberField(
        "Capacity",
        description="The most people who can attend. Leave blank if you have not decided.",
        invalid_message="Enter the capacity as a whole number, like 40",
        validators=[
            Optional(),
            NumberRange(min=0, max=100000, message="Enter a capacity between 0 and 100,000"),
        ],
    )
    chair_name = StringField(
        "Chairperson's name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter a name of 200 characters or fewer")],
    )
    chair_role = StringField(
        "Chairperson's role",
        description="For example, Prevent Coordinator or a senior council officer",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter a role of 200 characters or fewer")],
    )
    home_office_speaking = RadioField(
        "Is Home Office Prevent speaking?",
        description=f"The handbook: “{Q_LOCAL_FIRST.text}” and “{Q_OFFER_SPEAKERS.text}”",
        choices=options(YES_NO),
        default="no",
        widget=GovRadioInput(),
        validators=[InputRequired("Select yes if Home Office Prevent is speaking")],
    )
    presentation_type = RadioField(
        "What kind of presentation will the Home Office give?",
        description="Only if the Home Office is speaking.",
        choices=options((p.value, PRESENTATION_LABELS[p]) for p in PresentationType),
        widget=GovRadioInput(),
        validators=[Optional()],
        invalid_choice_message="Select the kind of presentation the Home Office will give",
    )
    presentation_topic = StringField(
        "Topic of the thematic presentation",
        description=f"In the handbook's words: “{Q_THEMATIC_TOPICS.text}”",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=200, message="Enter a topic of 200 characters or fewer"),
        ],
    )
    intro_video = RadioField(
        "Will you play the introductory video about Prevent?",
        choices=options(YES_NO),
        default="no",
        widget=GovRadioInput(),
        validators=[InputRequired("Select yes if you will play the introductory video")],
    )
    video_edit = RadioField(
        "Which version of the video?",
        description=f"Only if you play it. The handbook: “{Q_VIDEO_EDITS.text}”",
        choices=options((v.value, VIDEO_EDIT_LABELS[v]) for v in VideoEdit),
        widget=GovRadioInput(),
        # Whitespace alone is no choice: Optional() would stop before the choices are checked.
        filters=[strip],
        validators=[Optional()],
        invalid_choice_message="Select which version of the video you will play",
    )
    submit = SubmitField("Save event", widget=GovSubmitInput())
