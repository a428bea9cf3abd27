"""Calendar downloads: an event's .ics for staff, and each user's private task feed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from eventapp import uow
from eventapp.access import me, planner_required, signed_in, token_route
from eventapp.accounts.forms import ConfirmForm
from eventapp.calendars import ical, services
from eventapp.events.models import Event
from eventapp.models.base import utcnow
from eventapp.tokens import TokenPurpose

bp = Blueprint("calendars", __name__)

ICS = "text/calendar; charset=utf-8"


def _host() -> str:
    # The UID must not depend on how the request reached us (host name, port, proxy).
    return str(current_app.config["CALENDAR_UID_DOMAIN"])


@bp.route("/events/<int:event_id>/calendar.ics")
@planner_required
def event_ics(event: Event) -> Response:
    """Download the event for a staff calendar (includes the private venue or link)."""
    if event.starts_at is None:
        abort(404)
    body = ical.event_to_ical(
        event,
        host=_host(),
        url=url_for("events.overview", event_id=event.id, _external=True),
        now=utcnow(),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Type": ICS,
            "Content-Disposition": f'attachment; filename="event-{event.id}.ics"',
        },
    )


@bp.route("/calendar", methods=["GET", "POST"])
@signed_in
def feed_settings() -> str:
    """Set up, replace or turn off your private calendar feed of checklist due dates."""
    form = ConfirmForm()
    feed_url = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("action") == "revoke":
            services.revoke_feed_token(me())
        else:
            token = services.issue_feed_token(me())
            feed_url = url_for("calendars.task_feed", token=token, _external=True)
        uow.commit()
    return render_template(
        "calendars/feed.html",
        form=form,
        feed_url=feed_url,
        has_feed=services.has_feed(me()),
        revoked=request.method == "POST" and feed_url is None,
    )


@bp.route("/calendar/<token:token>.ics")
@token_route(TokenPurpose.CALENDAR_FEED)
def task_feed(token: str) -> Response:
    """A user's checklist tasks as a calendar to subscribe to; unknown tokens get 404."""
    from eventapp.checklist import services as checklist_services

    user = services.user_for_token(token)
    if user is None:
        abort(404)
    entries = [
        ical.TaskEntry(
            id=row.task.id,
            title=row.task.title,
            due_on=row.task.due_on,
            event_title=row.task.event.title,
            url=url_for(
                "checklist.edit", event_id=row.task.event_id, task_id=row.task.id, _external=True
            ),
            sequence=row.task.ics_sequence or 0,
        )
        for row in checklist_services.my_tasks(user)
        if row.task.due_on is not None and row.task.is_open
    ]
    body = ical.tasks_to_ical(entries, host=_host(), name="My event planning tasks", now=utcnow())
    return Response(body, mimetype="text/calendar", headers={"Content-Type": ICS})
