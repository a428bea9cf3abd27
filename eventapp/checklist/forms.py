"""Checklist forms: a task's status, owner and note, and the organiser's own task."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from eventapp.accounts.models import User
from eventapp.checklist.models import TASK_STATUS_LABELS, TaskStatus
from eventapp.checklist.weeks import WEEKS, week_window
from eventapp.edits import Versioned
from eventapp.formatting import govuk_date
from eventapp.forms import BaseForm, GovDateField, options, strip
from eventapp.once import SingleUse

NOBODY = ""
_OWNER_CHOICE = "Choose someone from your council who plans events"


def owner_choices(users: Iterable[User], current: User | None = None) -> list[SelectChoice]:
    """The people a task can go to; a current owner who has since left stays listed."""
    people = list(users)
    if current is not None and current not in people:
        people.append(current)
    choices = [(NOBODY, "Nobody yet")]
    for user in people:
        label = user.display_name if user.active else f"{user.display_name} (no longer active)"
        choices.append((str(user.id), label))
    return options(choices)


def week_choices(event_day: date) -> list[SelectChoice]:
    """Weeks 1 to 5 with their dates, for example 'Week 2: 1 March 2027 to 7 March 2027'."""
    after = {4: " (ends on the event day)", 5: " (after the event)"}
    choices = []
    for week in WEEKS:
        start, end = week_window(event_day, week)
        label = f"Week {week}{after.get(week, '')}: {govuk_date(start)} to {govuk_date(end)}"
        choices.append((str(week), label))
    return options(choices)


def owner_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class TaskForm(Versioned, BaseForm):
    status = RadioField(
        "Status",
        choices=options((s.value, TASK_STATUS_LABELS[s]) for s in TaskStatus),
        widget=GovRadioInput(),
        invalid_choice_message="Select whether the task is to do, done or not needed",
        validators=[InputRequired("Select whether the task is to do, done or not needed")],
    )
    due_on = GovDateField(
        "Due date",
        description="For example, 12 3 2027. Leave it blank for the end of the task's week.",
    )
    owner = SelectField(
        "Owner",
        description="The person doing this task. They see it in My tasks.",
        choices=[],
        widget=GovSelect(),
        invalid_choice_message=_OWNER_CHOICE,
        validators=[Optional()],
    )
    note = TextAreaField(
        "Note (optional)",
        description="For example, who you spoke to or what is left to do.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=2000, message="Enter a note of 2000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save task", widget=GovSubmitInput())


class NewTaskForm(SingleUse, BaseForm):
    title = StringField(
        "Task",
        description="What needs doing, for example: Print name badges",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the task"),
            Length(max=300, message="Enter the task in 300 characters or fewer"),
        ],
    )
    week = RadioField(
        "Which week is it for?",
        description="The task falls due at the end of the week, unless you give it a due date.",
        choices=[],
        widget=GovRadioInput(),
        invalid_choice_message="Select the week the task belongs to",
        validators=[Optional()],
    )
    due_on = GovDateField(
        "Due date (optional)",
        description="For example, 12 3 2027. The task goes in the week this date falls in.",
    )
    owner = SelectField(
        "Owner (optional)",
        description="The person doing this task. They see it in My tasks.",
        choices=[],
        widget=GovSelect(),
        invalid_choice_message=_OWNER_CHOICE,
        validators=[Optional()],
    )
    description = TextAreaField(
        "Details (optional)",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=2000, message="Enter details of 2000 characters or fewer"),
        ],
    )
    submit = SubmitField("Add task", widget=GovSubmitInput())
