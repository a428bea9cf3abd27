"""Paper forms: the printable A4 form, and fast keyboard entry of filled-in ones by staff.

A batch is one person's run of entries: each saved form's id is kept in their session (only
staff ever see it), so a typo can be corrected until they close the batch. Closing it
forgets the ids and records in the audit log how many forms were entered, never which.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from eventapp import uow
from eventapp.access import me, planner_required
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.feedback import annex_a, bp, services
from eventapp.feedback.forms import AnnexAForm, CloseBatchForm, form_class
from eventapp.forms import show_error
from eventapp.invitations.services import when_text

BATCH = "feedback.paper"
MAX_BATCH = 500


def _batch(event: Event) -> list[uuid.UUID]:
    """The ids entered in this person's open batch for the event."""
    kept = session.get(BATCH)
    if not isinstance(kept, dict) or kept.get("e") != event.id:
        return []
    ids = []
    for value in kept.get("ids", [])[:MAX_BATCH]:
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return ids


def _keep(event: Event, ids: list[uuid.UUID]) -> None:
    session[BATCH] = {"e": event.id, "ids": [str(i) for i in ids[-MAX_BATCH:]]}


def _layout(
    event: Event,
) -> list[tuple[int, annex_a.Question, list[tuple[annex_a.Item, tuple[annex_a.Option, ...]]]]]:
    """The questions asked at the event, numbered as on its paper form."""
    happened = services.applies(event)
    return [
        (number, q, [(item, q.options_for(item, happened)) for item in q.items])
        for number, q in enumerate(annex_a.questions_for(happened), start=1)
    ]


@bp.route("/events/<int:event_id>/feedback/paper-form")
@planner_required
def paper_form(event: Event) -> str:
    """The Annex A form to print (A4) for an in-person event, with its name and date."""
    return render_template(
        "feedback/paper_form.html",
        event=event,
        layout=_layout(event),
        intro=annex_a.INTRODUCTION,
        when=when_text(event),
        tick_one=annex_a.TICK_ONE,
    )


def _entry_form(event: Event) -> AnnexAForm:
    return form_class(services.applies(event), paper=True)()


@bp.route("/events/<int:event_id>/feedback/paper", methods=["GET", "POST"])
@planner_required
def paper(event: Event) -> str | Response:
    """Type in paper forms, one after another, with a count on screen."""
    if not services.accepts_paper(event):
        return render_template("feedback/paper_not_yet.html", event=event)
    form = _entry_form(event)
    batch = _batch(event)
    correcting = request.args.get("entry", "")
    if request.method == "GET":
        form.entry.data = str(uuid.uuid4())
        if correcting:
            try:
                entry = uuid.UUID(correcting)
            except ValueError:
                abort(404)
            answers = services.paper_answers(event, entry) if entry in batch else None
            if answers is None:
                abort(404)
            form.fill(answers)
            form.entry.data = str(entry)
    if form.validate_on_submit():
        try:
            entry = uuid.UUID(form.entry.data or "")
        except ValueError:
            entry = uuid.uuid4()
        try:
            new = uow.run(
                services.enter_paper, event=event, answers=form.answers, entry=entry, batch=batch
            )
        except DomainError as error:
            show_error(form, error, "gender")
        else:
            if entry not in batch:
                batch.append(entry)
                _keep(event, batch)
            number = batch.index(entry) + 1
            flash(f"Form {number} saved." if new else f"Form {number} corrected.", "success")
            return redirect(url_for("feedback.paper", event_id=event.id))
    layout = _layout(event)
    return render_template(
        "feedback/paper.html",
        event=event,
        form=form,
        plain_layout=[(q, items) for _, q, items in layout],
        numbers={q.key: number for number, q, _ in layout},
        batch=batch,
        correcting=bool(correcting),
        counts=services.counts(event),
        close_form=CloseBatchForm(),
    )


@bp.route("/events/<int:event_id>/feedback/paper/finish", methods=["POST"])
@planner_required
def finish_paper(event: Event) -> Response:
    """Close this person's batch: its forms can no longer be corrected here."""
    if CloseBatchForm().validate_on_submit():
        entered = len(_batch(event))
        if entered:
            uow.run(services.close_paper_batch, event=event, actor=me(), entered=entered)
        session.pop(BATCH, None)
        flash(
            f"Batch finished: {entered} paper form{'s' if entered != 1 else ''} entered.", "success"
        )
    return redirect(url_for("feedback.index", event_id=event.id))
