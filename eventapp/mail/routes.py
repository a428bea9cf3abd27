"""The administrator's outbox page: counts by state and the latest failures."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from eventapp import uow
from eventapp.access import admin_required, me
from eventapp.accounts.forms import ConfirmForm
from eventapp.extensions import db
from eventapp.mail import bp, outbox
from eventapp.mail.models import STATE_LABELS, MessageState, OutboxMessage


@bp.route("/")
@admin_required
def index() -> str:
    """Your council's outbox: how many messages are in each state, and what failed."""
    council_id = me().council_id
    return render_template(
        "outbox/index.html",
        counts=outbox.counts_by_state(council_id=council_id),
        failures=outbox.latest_failures(council_id=council_id),
        recovered=outbox.recovered_count(council_id=council_id),
        labels=STATE_LABELS,
        states=MessageState,
        form=ConfirmForm(),
    )


@bp.route("/<int:message_id>/retry", methods=["POST"])
@admin_required
def retry(message_id: int) -> Response:
    """Queue one failed message again."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.council_id != me().council_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if uow.run(outbox.retry, [message]):
        flash("The message has been queued again.", "success")
    else:
        flash("Only a failed message can be sent again.", "error")
    return redirect(url_for("mail.index"))
