import traceback
from flask import render_template
from eventapp.events.forms import EventForm

def test_x(signed_in, make_event, app):
    with app.test_request_context("/events/new"):
        from flask_login import login_user
        form = EventForm()
        try:
            render_template("events/form.html", form=form, event=None, slot_hint=None)
        except Exception:
            traceback.print_exc()
            raise
