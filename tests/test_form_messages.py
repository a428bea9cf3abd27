"""Every form speaks in the service's voice: no library default message reaches a page.

The walk finds every form class in the app (importing every module, then following
``FlaskForm.__subclasses__()``), so a form added later is checked without editing this file.
Each field is sent bad input for each of its rules (nothing, blanks, too long, too short,
not a number, out of range, not one of the choices, not a date or a time, a file of the
wrong kind), through ``validate_on_submit()`` as a route calls it, and every message that
comes back is compared with the messages WTForms, Flask-WTF and govuk-frontend-wtf have
built in ("This field is required.", "Field cannot be longer than 200 characters.", "Not a
valid choice." …), read from the libraries themselves. It also checks that the walk really
reached each rule: a validator that no bad input could trip fails the test by name.
"""

from __future__ import annotations

import importlib
import io
import itertools
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import flask_wtf
import govuk_frontend_wtf
import pytest
import wtforms
from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import (
    DateField,
    DecimalField,
    Field,
    FloatField,
    HiddenField,
    IntegerField,
    SelectFieldBase,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import (
    URL,
    AnyOf,
    Email,
    EqualTo,
    Length,
    NoneOf,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

import eventapp
from eventapp.feedback.annex_a import Condition
from eventapp.feedback.forms import form_class as annex_a_form_class
from eventapp.forms import GovDateField, NumberField, TimeField

# Messages the issue found on pages, beyond the libraries' own catalogues.
FOUND_IN_THE_ISSUE = [r"Enter the year of .+ as 4 digits", r"\bDrafts events\b"]


def _as_pattern(message: str) -> str:
    """A library message as a pattern: its placeholders match anything, its full stop is
    optional (a message can reach the page with or without one)."""
    text = message.strip().rstrip(".")
    parts = re.split(r"%\(\w+\)[sd]|%s|\{\w*\}", text)
    return ".+?".join(re.escape(part) for part in parts)


def _wtforms_messages() -> list[str]:
    """Every message WTForms can show, from the catalogue it ships for translators."""
    catalogue = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    found = re.findall(r'^msgid(?:_plural)? "(.+)"$', catalogue.read_text(), flags=re.M)
    return [m.replace('\\"', '"') for m in found]


def _source_messages(package: Any) -> list[str]:
    """Messages a package writes in its code: gettext("…") and ValidationError("…")."""
    messages = []
    for path in Path(package.__file__).parent.rglob("*.py"):
        text = path.read_text()
        messages += re.findall(r'(?:gettext|ValidationError)\(\s*"([^"]+)"', text)
    return messages


LIBRARY_MESSAGES = sorted(
    {
        *_wtforms_messages(),
        *_source_messages(wtforms),
        *_source_messages(flask_wtf),
        *_source_messages(govuk_frontend_wtf),
    }
)
# Case matters: "Due date must be between …" is the service's, "Date must be between …" the
# library's. A default inside a longer message is still found.
LIBRARY_DEFAULT = re.compile(
    "|".join([*(_as_pattern(m) for m in LIBRARY_MESSAGES), *FOUND_IN_THE_ISSUE])
)


# Finding every form --------------------------------------------------------------------


def _import_everything() -> None:
    for module in pkgutil.walk_packages(eventapp.__path__, "eventapp."):
        importlib.import_module(module.name)
    # The Annex A form is built per event (what happened decides its questions): build
    # every variant, for attendees and for staff typing in a paper form.
    for size in range(len(Condition) + 1):
        for applies in itertools.combinations(Condition, size):
            for paper in (False, True):
                annex_a_form_class(frozenset(applies), paper=paper)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def all_forms() -> list[type[FlaskForm]]:
    _import_everything()
    found = {c for c in _subclasses(FlaskForm) if c.__module__.startswith("eventapp.")}
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__, id(c)))


def form_id(cls: type) -> str:
    return f"{cls.__module__.removeprefix('eventapp.')}.{cls.__qualname__}"


FORMS = all_forms()


# Bad input for each kind of field and rule ----------------------------------------------

Value = str | FileStorage
NUMBER_FIELDS = (IntegerField, DecimalField, FloatField, NumberField)


def _file(name: str, data: bytes) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type="application/octet-stream")


def _number(value: Any) -> str:
    return format(Decimal(str(value)), "f")


def bad_inputs(field: Field) -> list[list[Value]]:
    """What a careless or hostile person might send for this field, one list per try."""
    tries: list[list[Value]] = [[], [""], ["   "], ["a\x01b"]]
    for rule in field.validators:
        if isinstance(rule, Length):
            if rule.max is not None and rule.max >= 0:
                tries.append(["x" * (rule.max + 1)])
            if rule.min is not None and rule.min > 1:
                tries.append(["x" * (rule.min - 1)])
        elif isinstance(rule, Email):
            tries += [["not-an-email"], ["name@"], ["name@example"]]
        elif isinstance(rule, URL):
            tries += [["not a link"], ["javascript:alert(1)"]]
        elif isinstance(rule, EqualTo):
            tries.append(["something that matches nothing"])
        elif isinstance(rule, NumberRange):
            if rule.min is not None:
                tries.append([_number(rule.min - 1)])
            if rule.max is not None:
                tries.append([_number(rule.max + 1)])
        elif isinstance(rule, AnyOf):
            tries.append(["not-one-of-these"])
        elif isinstance(rule, NoneOf):
            tries.append([str(next(iter(rule.values)))])
        elif isinstance(rule, Regexp):
            tries += [["!!!"], ["\u2603"]]
        elif isinstance(rule, FileAllowed):
            tries.append([_file("programme.exe", b"MZ")])
        elif isinstance(rule, FileSize):
            tries.append([_file("big.csv", b"x" * (rule.max_size + 1))])
    if isinstance(field, NUMBER_FIELDS):
        tries += [["abc"], ["1.5"], ["-1"], ["1e5"], ["nan"], ["9" * 40]]
    if isinstance(field, SelectMultipleField):
        tries += [["not-a-choice"], ["not-a-choice", "another"]]
    elif isinstance(field, SelectFieldBase):
        tries.append(["not-a-choice"])
    if isinstance(field, GovDateField):
        tries += [
            ["1", "2", ""],
            ["", "", "2027"],
            ["a", "b", "c"],
            ["31", "2", "2027"],
            ["1", "2", "27"],
            ["1", "1", "1066"],
            ["1", "1", "9999"],
        ]
    if isinstance(field, DateField):
        tries.append(["not a date"])
    if isinstance(field, TimeField):
        tries += [["25:00"], ["12:60"], ["noon"]]
    if isinstance(field, FileField):
        tries += [[_file("", b"")], [_file("empty.csv", b"")], [_file("notes.exe", b"MZ")]]
    if isinstance(field, HiddenField):
        tries += [["not-valid"], ["-1"], ["0"], ["9" * 40]]
    return tries


# Walking the rules ----------------------------------------------------------------------


@dataclass
class Walk:
    """What the walk saw: each message, where it came from, and which rules it tripped."""

    messages: dict[str, set[str]] = field(default_factory=dict)
    tripped: set[tuple[str, str, int]] = field(default_factory=set)
    rules: dict[tuple[str, str, int], Any] = field(default_factory=dict)

    def record(self, where: str, message: str) -> None:
        self.messages.setdefault(message, set()).add(where)


def _recording(walk: Walk, key: tuple[str, str, int], rule: Callable[..., Any]) -> Callable:
    def check(form: Any, checked: Field) -> None:
        try:
            rule(form, checked)
        except (ValidationError, StopValidation) as problem:
            if problem.args and problem.args[0]:
                walk.tripped.add(key)
            raise

    return check


def _errors(errors: Any) -> Iterator[str]:
    """Messages from a field's errors (a list, or a dict for enclosed forms)."""
    if isinstance(errors, dict):
        for nested in errors.values():
            yield from _errors(nested)
    elif isinstance(errors, list | tuple):
        for item in errors:
            yield from _errors(item)
    elif errors:
        yield str(errors)


def _fields(form: FlaskForm) -> list[Field]:
    return [f for f in form if f.name != "csrf_token" and not isinstance(f, SubmitField)]


def walk_form(app: Flask, cls: type[FlaskForm], walk: Walk) -> None:
    """Send every bad input to every field of one form, and once with nothing at all."""
    name = form_id(cls)
    with app.test_request_context(method="POST"):
        blank = cls(formdata=MultiDict(), meta={"csrf": True})
        plan = [(f.name, tries) for f in _fields(blank) for tries in bad_inputs(f)]
    for field_name, value in [*plan, ("", [])]:
        with app.test_request_context(method="POST"):
            formdata = MultiDict([(field_name, v) for v in value] if field_name else [])
            form = cls(formdata=formdata, meta={"csrf": True})
            for bound in _fields(form):
                for i, rule in enumerate(bound.validators):
                    walk.rules.setdefault((name, bound.name, i), rule)
                bound.validators = [
                    _recording(walk, (name, bound.name, i), rule)
                    for i, rule in enumerate(bound.validators)
                ]
            form.validate_on_submit()
            for bound in form:
                for message in _errors(bound.errors):
                    walk.record(f"{name}.{bound.name}", message)
            for message in _errors(getattr(form, "form_errors", [])):
                walk.record(f"{name} (form)", message)


@pytest.fixture(scope="module")
def walked(_session_app: Flask) -> Walk:
    walk = Walk()
    with _session_app.app_context():
        for cls in FORMS:
            walk_form(_session_app, cls, walk)
    return walk


# The tests ------------------------------------------------------------------------------


def test_the_library_catalogue_is_read() -> None:
    """The comparison is against the libraries' own words, not a hand-kept list."""
    for known in (
        "This field is required.",
        "Not a valid choice.",
        "Invalid email address.",
        "Not a valid integer value.",
        "The CSRF token is missing.",
        "File does not have an approved extension.",
    ):
        assert known in LIBRARY_MESSAGES, known
    for default in (
        "Field cannot be longer than 200 characters.",
        "Number must be between 0 and 10.",
        "'x' is not a valid choice for this field.",
        "Enter the year of date of the event as 4 digits",
        "Drafts events",
    ):
        assert LIBRARY_DEFAULT.search(default), default
    for ours in (
        "Enter the event title",
        "Enter a title of 200 characters or fewer",
        "Select a role",
        "Date of the event must have a year of 4 digits, like 2027",
    ):
        assert not LIBRARY_DEFAULT.search(ours), ours


def test_the_walk_finds_every_form() -> None:
    names = {form_id(cls) for cls in FORMS}
    for expected in (
        "accounts.forms.NewUserForm",
        "events.forms.EventForm",
        "registration.forms.RegisterForm",
        "invitations.forms.UploadForm",
        "feedback.forms.FeedbackForm",
        "feedback.forms.PaperForm",
    ):
        assert expected in names
    assert len(FORMS) >= 50


def test_no_form_shows_a_library_default_message(walked: Walk) -> None:
    defaults = {
        message: sorted(where)
        for message, where in walked.messages.items()
        if LIBRARY_DEFAULT.search(message)
    }
    assert not defaults, "Library default messages reach the page:\n" + "\n".join(
        f"  {message!r} from {', '.join(where)}" for message, where in sorted(defaults.items())
    )


def _describe(rule: Any) -> str:
    if hasattr(rule, "__qualname__"):
        return f"{rule.__module__}.{rule.__qualname__}"
    return type(rule).__name__


def test_the_walk_trips_every_rule(walked: Walk) -> None:
    """Each validator that can refuse input was made to refuse some (else the walk above
    would prove nothing about it)."""
    untripped = [
        f"{form}.{name}: {_describe(rule)}"
        for (form, name, i), rule in sorted(walked.rules.items(), key=lambda item: item[0])
        if (form, name, i) not in walked.tripped and not isinstance(rule, Optional)
    ]
    assert not untripped, "No bad input tripped:\n  " + "\n  ".join(untripped)


def test_the_walk_sees_the_services_own_messages(walked: Walk) -> None:
    """The walk reaches real validation: the service's own messages come back from it."""
    for ours in (
        "Enter the event title",
        "Select a role",
        "Enter a title of 200 characters or fewer",
        "Confirm that you have read the privacy notice",
        "Select a CSV file",
    ):
        assert ours in walked.messages, ours
    assert len(walked.messages) > 100
