"""No edit form with more than one field is left without the loaded version (QUALITY.md 24).

Every form class in eventapp is found (all modules imported, then every subclass of
``BaseForm``). A form with more than one input that is not ``Versioned`` must be listed below
with the reason it edits nothing a colleague could have changed meanwhile: a new edit form
fails here until it uses ``eventapp.edits`` (and is added to test_two_tabs.py) or someone
consciously lists it.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

from wtforms import HiddenField, SubmitField
from wtforms.fields.core import UnboundField

import eventapp
from eventapp.edits import Versioned
from eventapp.forms import BaseForm

# Forms with more than one input that do not edit saved values, so have nothing to merge.
# Each says why. Add a form here only if it creates something, acts once, or never shows the
# saved values it changes; a form that loads saved values into its fields and saves them
# back must be Versioned instead.
NOT_EDIT_FORMS = {
    # Signing in, and choosing a password: nothing saved is shown, nothing to merge.
    "eventapp.accounts.forms.SignInForm": "signs in",
    "eventapp.accounts.forms.ChangePasswordForm": "sets a new password; the old is never shown",
    "eventapp.password_reset.forms.ChoosePasswordForm": "sets a new password once, by link",
    # Creating something new: there is no earlier version to have changed.
    "eventapp.accounts.forms.NewUserForm": "adds a user",
    "eventapp.audience.forms.AddOrganisationForm": "adds a target organisation",
    "eventapp.checklist.forms.NewTaskForm": "adds a task (SingleUse)",
    "eventapp.invitations.forms.InviteeForm": "adds an invitee (/invitees/new only)",
    "eventapp.invitations.forms.ChannelForm": "adds a channel (no edit route)",
    "eventapp.questions.forms.AskForm": "asks a new question",
    "eventapp.questions.forms.RegistrantAskForm": "asks a new question, by own link",
    "eventapp.questions.forms.ActionForm": "adds a follow-up action (SingleUse)",
    "eventapp.registration.forms.RegisterForm": "registers, on the public form",
    "eventapp.registration.forms.WalkInForm": "adds a walk-in and checks them in",
    # Acting once on what is ticked: nothing saved is loaded into its fields.
    "eventapp.registration.forms.DecideForm": "approves, declines or cancels ticked rows",
}


def _all_forms() -> dict[str, type[BaseForm]]:
    for module in pkgutil.walk_packages(eventapp.__path__, "eventapp."):
        importlib.import_module(module.name)
    found: dict[str, type[BaseForm]] = {}
    todo = list(BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        # Only classes a module defines by name: forms built at run time (the Annex A form,
        # made per event by eventapp.feedback.forms.form_class, which only ever creates a
        # response) exist or not depending on which tests ran first, so the module's own
        # class stands for them.
        module = sys.modules.get(cls.__module__)
        if (
            cls.__module__.startswith("eventapp.")
            and getattr(module, cls.__qualname__, None) is cls
        ):
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def _inputs(form: type[BaseForm]) -> list[str]:
    """The fields a person fills in: not buttons, not hidden state such as the CSRF token."""
    return sorted(
        name
        for name in dir(form)
        if isinstance(field := getattr(form, name), UnboundField)
        and not issubclass(field.field_class, (SubmitField, HiddenField))
    )


def test_every_form_with_more_than_one_input_is_versioned_or_listed() -> None:
    forms = _all_forms()
    assert len(forms) > 40  # the walk found the forms (57 when written)
    unversioned = sorted(
        name
        for name, form in forms.items()
        if len(_inputs(form)) > 1 and not issubclass(form, Versioned) and name not in NOT_EDIT_FORMS
    )
    assert unversioned == [], (
        "These forms have more than one field but no loaded version: mix in "
        "eventapp.edits.Versioned as its docstring says (and add them to test_two_tabs.py), "
        "or, if they edit nothing saved, list them in NOT_EDIT_FORMS with the reason"
    )


def test_the_list_of_forms_that_edit_nothing_is_current() -> None:
    """A listed form that is gone, now Versioned or down to one field is taken off the list."""
    forms = _all_forms()
    stale = sorted(
        name
        for name in NOT_EDIT_FORMS
        if name not in forms or issubclass(forms[name], Versioned) or len(_inputs(forms[name])) < 2
    )
    assert stale == []


def test_the_walk_sees_the_versioned_forms() -> None:
    forms = _all_forms()
    versioned = {name for name, form in forms.items() if issubclass(form, Versioned)}
    assert {
        "eventapp.evaluation.forms.ConclusionsForm",
        "eventapp.evaluation.forms.MeasureForm",
        "eventapp.registration.forms.SettingsForm",
        "eventapp.registration.forms.NeedsForm",
        "eventapp.questions.forms.SettingsForm",
        "eventapp.events.forms.EventForm",
    } <= versioned
