"""Edit forms that never silently overwrite a colleague's save (QUALITY.md property 24).

Every edit form with more than one field carries the values it was loaded with, in a signed
hidden field. When it is sent back, the values saved meanwhile are compared field by field
(``eventapp.merge``): a colleague's change to a field this person left alone is kept; a field
both changed differently is shown to the person with both values and a choice, and nothing is
saved until they send the form again.

Using it for a new edit form (the whole API is ``Versioned``, ``remember`` and ``reconcile``):

1. Mix it into the form: ``class ThingForm(Versioned, BaseForm)``.
2. On GET, after filling the form from ``current`` (the saved values as form data, a dict
   keyed by field name): ``remember(form, current)``.
3. On a valid POST, lock what you are about to change (``events.services.lock_for_update``
   and ``db.session.refresh(row)``), read ``current`` afresh and call
   ``outcome = reconcile(form, current)``. If ``outcome.clean``, save from the form as usual:
   the colleague's changes are already in it (``outcome.kept_theirs`` names them for the
   flash message). Otherwise roll back (``db.session.rollback()``) and render the form again.
4. In the template, after ``form.csrf_token``: ``{% from "macros/form_state.html" import
   form_state %}{{ form_state(form) }}`` renders the hidden fields and, after a clash, the
   panel listing each field with "Saved by a colleague" and "Yours" and a choice of which to
   keep (named ``keep-<field name>``).

A request without the hidden field (not sent from one of our pages) saves as sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, request
from itsdangerous import BadData, URLSafeSerializer
from wtforms import Field, HiddenField, SubmitField

from eventapp import merge
from eventapp.merge import Canonical

_SALT = "eventapp.edits.loaded-version"
# Longer than any form here can produce, even compressed: anything longer is not ours.
_MAX_LENGTH = 200_000
KEEP_THEIRS = merge.Source.THEIRS.value


@dataclass(frozen=True)
class Clash:
    """A field shown to the person after a clash: both values in words, and the choice's name."""

    name: str
    label: str
    theirs: str
    mine: str
    keep_name: str
    field_id: str


class Versioned:
    """Form mixin: a hidden field with the values the form was loaded with."""

    loaded_version = HiddenField()
    clashes: tuple[Clash, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What ``reconcile`` found: clean to save, or clashes to show."""

    merged: merge.Merged
    kept_theirs: tuple[str, ...]
    # Whether the form said what it was loaded with (False: saved as sent, nothing merged).
    loaded: bool = True

    @property
    def clean(self) -> bool:
        return self.merged.clean


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def encode(values: Mapping[str, Canonical]) -> str:
    """The signed text of a form's loaded values, for its hidden field."""
    plain = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    return str(_serializer().dumps(plain))


def decode(text: str | None) -> dict[str, Canonical] | None:
    """The loaded values from a hidden field, or None if it is missing, altered or not ours."""
    if not text or len(text) > _MAX_LENGTH:
        return None
    try:
        loaded = _serializer().loads(text)
    except (BadData, ValueError, json.JSONDecodeError):
        return None
    if not isinstance(loaded, dict):
        return None
    values: dict[str, Canonical] = {}
    for key, value in loaded.items():
        if isinstance(value, str):
            values[str(key)] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            values[str(key)] = tuple(value)
        else:
            return None
    return values


def _fields(form: Any, current: Mapping[str, Any]) -> list[Field]:
    skip = {"csrf_token", "loaded_version", "form_token"}
    return [
        form[name]
        for name in current
        if name in form._fields and name not in skip and not isinstance(form[name], SubmitField)
    ]


def remember(form: Any, current: Mapping[str, Any]) -> None:
    """Put the saved values the form is showing into its hidden field."""
    names = [f.short_name for f in _fields(form, current)]
    form.loaded_version.data = encode(merge.snapshot(current, names))


def _set(field: Field, value: Any) -> None:
    """Show a saved value in a field that was sent with another one."""
    field.data = value
    field.raw_data = None
    field.process_errors = []


def _words(field: Field, value: Canonical) -> str:
    """A canonical value as the person would read it: choice labels, dates in words."""
    values = value if isinstance(value, tuple) else (value,)
    choices = getattr(field, "choices", None)
    labels: dict[str, str] = {}
    if choices:
        for choice in choices:
            key, label = (choice[0], choice[1]) if isinstance(choice, tuple) else choice[:2]
            labels[str(key)] = str(label)
    words = []
    for item in values:
        if item in labels:
            words.append(labels[item])
            continue
        try:
            words.append(
                date.fromisoformat(item).strftime("%-d %B %Y") if len(item) == 10 else item
            )
        except ValueError:
            words.append(item)
    shown = ", ".join(w for w in words if w)
    return shown or "(blank)"


def reconcile(form: Any, current: Mapping[str, Any]) -> Outcome:
    """Bring a colleague's changes into a sent form, or find the fields that clash.

    ``current`` is what is saved now, as form data, read after locking the row. Afterwards
    the form's hidden field holds ``current``, so sending the form again saves what it shows.
    """
    fields = _fields(form, current)
    theirs = merge.snapshot(current, [f.short_name for f in fields])
    loaded = decode(form.loaded_version.data)
    base = theirs if loaded is None else loaded
    mine: dict[str, Canonical] = {}
    for field in fields:
        name = field.short_name
        if request.form.get(f"keep-{field.name}") == KEEP_THEIRS:
            _set(field, current[name])  # the person chose the answer saved now
        mine[name] = merge.canonical(field.data)
    merged = merge.three_way(base, theirs, mine)
    kept = merged.taken_from_theirs()
    for name in kept:
        _set(form[name], current[name])
    form.clashes = tuple(
        Clash(
            name=c.name,
            label=str(form[c.name].label.text),
            theirs=_words(form[c.name], c.theirs),
            mine=_words(form[c.name], c.mine),
            keep_name=f"keep-{form[c.name].name}",
            field_id=str(form[c.name].id),
        )
        for c in merged.conflicts
    )
    remember(form, current)
    return Outcome(
        merged, tuple(str(form[name].label.text) for name in kept), loaded=loaded is not None
    )


def kept_note(outcome: Outcome) -> str:
    """A sentence for the flash message after a clean merge, or "" if nobody else saved."""
    if not outcome.kept_theirs:
        return ""
    names = ", ".join(outcome.kept_theirs)
    return f" A colleague's changes saved since you opened the page were kept: {names}."
