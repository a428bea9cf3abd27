"""Create and move forms that do their work once per page load (QUALITY.md property 25).

Going back and sending a create form again, or a double-click on "Move up", must not make a
second event or move an item two places. Each such form carries a random single-use token,
made when the page is drawn; the first request with it does the work and records where its
result is; any later one with the same token does nothing and goes to that result.

Using it for a new create or move form (the whole API is ``SingleUse`` and ``run``):

1. Mix it into the form: ``class ThingForm(SingleUse, BaseForm)``; the token is made whenever
   the form is built without a submission.
2. In the template, after ``form.csrf_token``: ``{{ form_state(form) }}`` (from
   ``macros/form_state.html``) renders it. Several buttons drawn on one page (every "Move up"
   of a list) share one token: ``{{ once_token(token) }}`` with ``token=once.new_token()``.
3. In the route, after validation, instead of ``uow.run(service, ...)``::

       done = once.run(form.form_token.data, lambda: service(...), url=lambda result: ...)
       if done.repeat:
           flash(once.ALREADY_DONE)
       return redirect(done.url)

   ``run`` is the unit of work: it commits once, or rolls back and re-raises (a
   ``DomainError`` leaves the token unused, so the corrected form can be sent).

A request without a well-formed token (not sent from one of our pages) just does the work.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from flask import url_for
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.utils import unset_value

from eventapp import uow
from eventapp.access import me
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.once.models import FormSubmission

R = TypeVar("R")

ALREADY_DONE = "That form had already been sent, so nothing was done twice. This is the result."
# Long enough for a person to go back a few pages and send a form again.
KEEP_FOR = timedelta(days=2)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    """A fresh single-use token for one page load."""
    return secrets.token_urlsafe(24)


class TokenField(HiddenField):
    """A hidden token: a new one when the form is drawn, only the one sent when it is sent."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None and self.name not in formdata:
            self.data = None  # not sent: a fresh default would pass for a first submission


class SingleUse:
    """Form mixin: a hidden single-use token, new each time the page is drawn."""

    form_token = TokenField(default=new_token)


@dataclass(frozen=True)
class Done(Generic[R]):
    """The result of a create or move form: where to go, and whether this was a repeat."""

    url: str
    repeat: bool = False
    value: R | None = None


def _token(text: object) -> str | None:
    return text if isinstance(text, str) and _TOKEN.fullmatch(text) else None


def _first_result(user_id: int, token: str) -> str | None:
    return db.session.scalar(
        select(FormSubmission.result_url).where(
            FormSubmission.user_id == user_id, FormSubmission.token == token
        )
    )


def run(token: object, work: Callable[[], R], *, url: Callable[[R], str]) -> Done[R]:
    """Do ``work`` as the unit of work unless this token already did it; say where to go."""
    token = _token(token)
    if token is None:
        value = uow.run(work)
        return Done(url(value), value=value)
    user_id = me().id
    earlier = _first_result(user_id, token)
    if earlier is not None:
        return Done(earlier, repeat=True)
    try:
        db.session.execute(
            delete(FormSubmission).where(
                FormSubmission.user_id == user_id, FormSubmission.created_at < utcnow() - KEEP_FOR
            )
        )
        # A second click arriving now waits here (PostgreSQL) until the first commits.
        submission = FormSubmission(user_id=user_id, token=token, created_at=utcnow())
        db.session.add(submission)
        db.session.flush()
    except IntegrityError:
        uow.rollback()
        return Done(_first_result(user_id, token) or url_for("main.index"), repeat=True)

    def first() -> R:
        value = work()
        submission.result_url = url(value)[:500]
        return value

    value = uow.run(first)
    return Done(submission.result_url, value=value)
