"""The Annex A form as WTForms fields (built per event: Q7 and two Q10 options depend on
what happened), checked by the pure rules in ``answers``."""

from __future__ import annotations

from functools import cache
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from eventapp.feedback.annex_a import OTHER_MAX, Condition
from eventapp.feedback.answers import OTHER_SUFFIX, Answer, Answers, clean, items_for
from eventapp.feedback.models import MAX_DAYS_OPEN
from eventapp.forms import BaseForm, WholeNumberField, options


class AnnexAForm(BaseForm):
    """Base of the per-event form classes; ``applies`` is set on each subclass."""

    applies: frozenset[Condition] = frozenset()

    def raw_answers(self) -> dict[str, str]:
        return {
            field.name: field.data if isinstance(field.data, str) else ""
            for field in self
            if isinstance(field, RadioField | StringField) and field.name != "csrf_token"
        }

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        self.answers, errors = clean(self.raw_answers(), self.applies)
        for name, message in errors.items():
            field = self[name]
            field.errors = [*field.errors, message]
        return ok and not errors

    def fill(self, answers: Answers) -> None:
        """Show saved answers (going back to change one)."""
        for key, answer in answers.items():
            if key in self:
                self[key].data = answer.option
            if answer.other_text and key + OTHER_SUFFIX in self:
                self[key + OTHER_SUFFIX].data = answer.other_text

    answers: Answers


@cache
def form_class(applies: frozenset[Condition], *, paper: bool = False) -> type[AnnexAForm]:
    """The form for an event where ``applies`` happened (``paper``: staff entry, with the
    id of the form being entered so a resubmission corrects it instead of adding one)."""
    fields: dict[str, Any] = {"applies": applies}
    for item, allowed in items_for(applies):
        fields[item.key] = RadioField(
            item.key, choices=options((key, key) for key in allowed), validate_choice=False
        )
        if item.has_other:
            fields[item.key + OTHER_SUFFIX] = StringField(
                "Other (please state)", widget=GovTextInput()
            )
    if paper:
        fields["entry"] = HiddenField()
    label = "Save this form" if paper else "Continue"
    fields["submit"] = SubmitField(label, widget=GovSubmitInput())
    name = "PaperForm" if paper else "FeedbackForm"
    return type(name, (AnnexAForm,), fields)


def answers_as_data(answers: Answers) -> dict[str, list[str | None]]:
    """Answers in a form the session (JSON) keeps."""
    return {key: [a.option, a.other_text] for key, a in answers.items()}


def answers_from_data(data: Any) -> Answers | None:
    """Answers kept by ``answers_as_data``, or None if they are not in that shape."""
    if not isinstance(data, dict):
        return None
    answers: Answers = {}
    for key, value in data.items():
        if not (isinstance(value, list) and len(value) == 2):
            return None
        option, text = value
        if not all(v is None or isinstance(v, str) for v in (option, text)):
            return None
        answers[str(key)] = Answer(option, text)
    return answers


class SendForm(BaseForm):
    """ "Check your answers": send them."""

    submit = SubmitField("Send feedback", widget=GovSubmitInput())


class WindowForm(BaseForm):
    days_open = WholeNumberField(
        "How many days after the event should the form stay open?",
        description="Attendees can answer from the start of the event until the end of "
        "this many days after it. 0 closes it at the end of the event's day.",
        validators=[
            InputRequired("Enter a number of days"),
            NumberRange(0, MAX_DAYS_OPEN, f"Enter a number of days between 0 and {MAX_DAYS_OPEN}"),
        ],
        invalid_message="Enter the number of days as a whole number, like 14",
        widget=GovTextInput(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class CloseForm(BaseForm):
    submit = SubmitField("Close the form now", widget=GovSubmitInput())


class OpenForm(BaseForm):
    submit = SubmitField("Open the form now", widget=GovSubmitInput())


class SendLinksForm(BaseForm):
    submit = SubmitField("Email personal links", widget=GovSubmitInput())


class SendRemindersForm(BaseForm):
    submit = SubmitField("Send reminders", widget=GovSubmitInput())


class CloseBatchForm(BaseForm):
    submit = SubmitField("Finish this batch", widget=GovSubmitInput())


class ReopenForm(BaseForm):
    submit = SubmitField("Reopen the form", widget=GovSubmitInput())


OTHER_MAX_TEXT = f"{OTHER_MAX} characters or fewer"
