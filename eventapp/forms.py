"""Form pieces shared by several journeys: fields that never raise on odd input."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from typing import Any

from flask import g, request
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import (
    Field,
    FileField,
    PasswordField,
    SelectChoice,
    SelectFieldBase,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, ValidationError
from wtforms.widgets import PasswordInput, TextArea

from eventapp.dates import out_of_range
from eventapp.errors import DomainError

TIME_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox field (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: Any) -> Any:
    """Filter that trims surrounding spaces from text input."""
    return value.strip() if isinstance(value, str) else value


def show_error(form: FlaskForm, error: DomainError, default_field: str) -> None:
    """Put a broken rule's message on the field it names (or the default one)."""
    field = getattr(form, error.field or default_field, None)
    if not isinstance(field, Field):
        field = getattr(form, default_field)
    field.errors = [*(field.errors or []), error.message]


# Characters that end a line, or move along one, in text typed or pasted into a form.
_LINE_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
_KEPT_IN_PARAGRAPHS = frozenset("\t\n\r")
# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F) but those kept
# in paragraphs, as one character class: a scan in C over the whole value.
_HIDDEN = re.compile(
    "["
    + "".join(
        re.escape(chr(code))
        for code in (*range(0x20), *range(0x7F, 0xA0))
        if chr(code) not in _KEPT_IN_PARAGRAPHS
    )
    + "]"
)


def one_line(value: Any) -> Any:
    """Filter: each run of line breaks or tabs in a single-line field becomes one space.

    A browser drops line breaks from a text box; anything else sending them (a script, a
    paste through another tool) gets the same text on one line rather than an error.
    """
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


def refuse_control_characters(form: Any, field: Field) -> None:
    """Validator: no invisible control characters (multi-line fields keep their line breaks).

    They cannot be seen or typed, and in a calendar file or an email header a stray one can
    end a line early.
    """
    value = field.data if isinstance(field.data, str) else ""
    if _HIDDEN.search(value):
        raise ValidationError(
            f"{field.label.text} contains a hidden character that cannot be saved. "
            "Type it again instead of pasting it"
        )


def _instruct_on_a_wrong_choice(field: Field) -> None:
    """A choice that is not one of the options (only an altered or stale page sends one) gets
    the question's own instruction ("Select a role"), never WTForms' "Not a valid choice."

    A field with no required message must give ``invalid_choice_message`` itself:
    tests/test_form_messages.py sends every form bad input and finds any it forgot.
    """
    if getattr(field, "invalid_choice_message", "") is not None:
        return
    for rule in field.validators:
        if isinstance(rule, InputRequired | DataRequired) and isinstance(rule.message, str):
            # SelectMultipleField fills in "%(value)s"; a literal % must not look like one.
            field.invalid_choice_message = rule.message.replace("%", "%%")
            return


class BaseForm(FlaskForm):
    """A FlaskForm whose CSRF failure reads as an instruction and whose text stays text.

    Every text box of every form is a single line (line breaks become spaces) and every text
    box or text area refuses control characters: set here, so no form can forget it.
    """

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: Any) -> Field:
            field: Field = super().bind_field(form, unbound_field, options)
            if isinstance(field, SelectFieldBase):
                _instruct_on_a_wrong_choice(field)
            if not isinstance(field, StringField):
                return field
            if isinstance(field, PasswordField) or isinstance(field.widget, PasswordInput):
                return field  # a password is checked exactly as typed
            if not isinstance(field, TextAreaField) and not isinstance(field.widget, TextArea):
                field.filters = (one_line, *field.filters)
            field.validators = [refuse_control_characters, *field.validators]
            return field

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """Read only the form-encoded body, without NUL characters or unasked-for files.

            Flask-WTF would also read a JSON body, where a value can be a number, a list or
            not a dict at all, and PostgreSQL text cannot hold NUL: both gave a 500. A file
            sent where text is expected reached a text field as a file object: a 500 too.
            """
            if formdata is None or hasattr(formdata, "getlist"):
                return formdata
            if not form.is_submitted():
                return None
            text = [(key, value.replace("\x00", "")) for key, value in request.form.items(True)]
            wanted = {field.name for field in form if isinstance(field, FileField)}
            files = [(key, f) for key, f in request.files.items(multi=True) if key in wanted]
            return MultiDict([*text, *files])

    def validate_on_submit(self, extra_validators: Any = None) -> bool:
        ok = super().validate_on_submit(extra_validators)
        if "csrf_token" in self.errors:
            self.csrf_token.errors = [
                "This form expired. Check your answers and select the button again"
            ]
        return ok and not g.get("csrf_failed", False)


class GovDateField(Field):
    """Day, month and year boxes that turn any input into a date or a helpful error."""

    widget = GovDateInput()

    def __init__(
        self, label: str = "", validators: Any = None, *, required_message: str = "", **kwargs: Any
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [v.strip() for v in valuelist[:3]] + [""] * (3 - len(valuelist[:3]))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        if not all(parts):
            missing = [n for n, v in zip(("day", "month", "year"), parts, strict=True) if not v]
            raise ValueError(f"{self.label.text} must include a {' and '.join(missing)}")
        if not all(p.isdigit() for p in parts):
            raise ValueError(f"{self.label.text} must be a real date, written in numbers")
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            raise ValueError(f"{self.label.text} must have a year of 4 digits, like 2027")
        try:
            typed = date(year, month, day)
        except (ValueError, OverflowError):
            raise ValueError(f"{self.label.text} must be a real date") from None
        problem = out_of_range(self.label.text, typed)
        if problem:
            raise ValueError(problem)
        self.data = typed

    def pre_validate(self, form: Any) -> None:
        if self.required_message and self.data is None and not self.process_errors:
            raise ValidationError(self.required_message)


class TimeField(Field):
    """A 24-hour time typed as 18:00 or 18.00."""

    widget = GovTextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0][:10]
        return self.data.strftime("%H:%M") if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        match = TIME_RE.match(valuelist[0][:20])
        if not match:
            raise ValueError(f"Enter {self.label.text.lower()} as a 24-hour time, like 18:00")
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ValueError(f"Enter {self.label.text.lower()} as a real time, like 18:00")
        self.data = time(hour, minute)


def parse_time(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


class NumberField(Field):
    """A decimal number typed by a person: commas allowed, nothing infinite or 'NaN'."""

    widget = GovTextInput()
    data: Decimal | None

    def __init__(
        self, label: str = "", validators: Any = None, *, invalid_message: str = "", **kwargs: Any
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or f"Enter {self.label.text.lower()} as a number"

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])[:50]
        if self.data is None:
            return ""
        return format(Decimal(self.data).normalize(), "f")

    def _parse(self, valuelist: list[str]) -> Decimal | None:
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        if not text:
            return None
        if len(text) > 30 or not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise ValueError(self.invalid_message)
        return Decimal(text)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        self.data = self._parse(valuelist)


class WholeNumberField(NumberField):
    """A whole number typed by a person, such as a capacity or a number of minutes."""

    data: int | None  # type: ignore[assignment]

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        value = self._parse(valuelist)
        if value is None:
            return
        if value != value.to_integral_value():
            raise ValueError(self.invalid_message)
        self.data = int(value)


def error_summary(form: FlaskForm) -> dict[str, Any]:
    """GOV.UK error summary parameters for a form, linking date errors to the day box."""
    from govuk_frontend_wtf.main import wtforms_errors

    params = wtforms_errors(form)
    dates = {f"#{field.id}" for field in form if isinstance(field, GovDateField)}
    for item in params["errorList"]:
        if item.get("href") in dates:
            item["href"] = f"{item['href']}-day"
    return params
