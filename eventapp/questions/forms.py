"""Forms for asking, voting, settings, moderation and follow-up actions."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from eventapp.edits import Versioned
from eventapp.forms import BaseForm, GovDateField, options, strip
from eventapp.once import SingleUse
from eventapp.questions.faqs import PREVENT_FAQS
from eventapp.questions.models import (
    NAME_MAX,
    ORGANISATION_MAX,
    QUESTION_MAX,
    WHO_MAY_ASK_LABELS,
    WhoMayAsk,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
# Hidden values set by the page itself: only a stale or altered page sends them wrong.
FORM_EXPIRED = "This form expired. Check your answers and select the button again"
VOTE_BUTTON = "Select the button to vote for a question, or to take back your vote"
MODERATION_BUTTON = "Select one of the buttons beside the question"


def _radios(label: str, pairs: list[tuple[str, str]], message: str, **kwargs: Any) -> RadioField:
    # Choices are checked by AnyOf so a tampered value gets the same instruction.
    return RadioField(
        label,
        choices=options(pairs),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message), AnyOf([v for v, _ in pairs], message=message)],
        **kwargs,
    )


class AskForm(BaseForm):
    text = TextAreaField(
        "Your question",
        description="Questions appear on this event's list, where others can vote for them.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            InputRequired("Enter your question"),
            Length(
                max=QUESTION_MAX,
                message=f"Enter your question in {QUESTION_MAX} characters or fewer",
            ),
        ],
    )
    identity = _radios(
        "How should your question appear?",
        [
            ("anonymous", "Anonymously: nothing about you is kept with it"),
            ("named", "With my first name, and my organisation if I give it"),
        ],
        "Choose whether to ask anonymously or with your name",
    )
    name = StringField(
        "First name",
        description="Only if you chose to show your name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=NAME_MAX, message=f"Enter a first name of {NAME_MAX} characters or fewer"),
        ],
    )
    organisation = StringField(
        "Organisation (optional)",
        description="Only if you chose to show your name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(
                max=ORGANISATION_MAX,
                message=f"Enter an organisation of {ORGANISATION_MAX} characters or fewer",
            ),
        ],
    )
    # A random key made when the page was shown: the same form sent twice asks once.
    submission_key = HiddenField(validators=[Optional(), Length(max=64, message=FORM_EXPIRED)])
    submit = SubmitField("Send question", widget=GovSubmitInput())


class RegistrantAskForm(AskForm):
    """Asking from a registrant's own page: they may also ask to be told of follow-up."""

    tell_asker = BooleanField(
        "Email me when the organiser has done a follow-up action from my question",
        description="Only for a question asked with your name: an anonymous question keeps no "
        "link to you. We use the email address you registered with, until your details are "
        "removed after the event.",
        widget=GovCheckboxInput(),
    )


class VoteForm(BaseForm):
    """An Upvote or Withdraw my vote button: the CSRF token and the choice are its content."""

    vote = HiddenField(
        validators=[InputRequired(VOTE_BUTTON), AnyOf(["up", "withdraw"], message=VOTE_BUTTON)]
    )


class SettingsForm(Versioned, BaseForm):
    is_open = _radios(
        "Are you taking questions now?",
        YES_NO,
        "Choose whether you are taking questions",
        description="Open questions before the event, so people can ask ahead of time, and "
        "keep them open during it.",
    )
    needs_approval = _radios(
        "Should questions wait for your approval before others see them?",
        YES_NO,
        "Choose whether questions wait for your approval",
    )
    who_may_ask = _radios(
        "Who may ask and vote?",
        [(w.value, WHO_MAY_ASK_LABELS[w]) for w in WhoMayAsk],
        "Choose who may ask and vote",
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())


MODERATION_ACTIONS = ("approve", "star", "unstar", "answered", "unanswered")


class ModerateForm(BaseForm):
    """One moderation button: its value says what to do."""

    action = HiddenField(
        validators=[
            InputRequired(MODERATION_BUTTON),
            AnyOf(MODERATION_ACTIONS, message=MODERATION_BUTTON),
        ]
    )


class HideForm(BaseForm):
    reason = TextAreaField(
        "Why are you hiding this question?",
        description="Only organisers see this. For example: offensive, a duplicate, or "
        "answered in the presentation.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            InputRequired("Enter why you are hiding this question"),
            Length(max=1000, message="Enter the reason in 1000 characters or fewer"),
        ],
    )
    submit = SubmitField("Hide question", widget=GovSubmitInput())


class EditForm(BaseForm):
    text = TextAreaField(
        "Question",
        description="Correct typos only: the asker's meaning must not change.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            InputRequired("Enter the question"),
            Length(
                max=QUESTION_MAX,
                message=f"Enter the question in {QUESTION_MAX} characters or fewer",
            ),
        ],
    )
    version = HiddenField(validators=[InputRequired(FORM_EXPIRED)])
    submit = SubmitField("Save question", widget=GovSubmitInput())


class MergeForm(BaseForm):
    into = RadioField(
        "Which question is this a duplicate of?",
        choices=[],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired("Choose the question to merge it into")],
    )
    submit = SubmitField("Merge questions", widget=GovSubmitInput())


class FaqForm(BaseForm):
    faq = RadioField(
        "Which of the handbook's Prevent FAQs does it match?",
        choices=options([("", "None of them"), *((f.key, f.question) for f in PREVENT_FAQS)]),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[Optional()],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ActionForm(SingleUse, BaseForm):
    what = TextAreaField(
        "What needs to be done?",
        description="For example: send the latest Channel figures to everyone who asked",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            InputRequired("Enter what needs to be done"),
            Length(max=2000, message="Enter the action in 2000 characters or fewer"),
        ],
    )
    who = StringField(
        "Who will do it? (optional)",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
    )
    due_on = GovDateField("By when? (optional)", description="For example, 27 3 2027")
    submit = SubmitField("Save action", widget=GovSubmitInput())
