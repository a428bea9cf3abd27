"""The benchmark's baseline: a bare Flask + SQLAlchemy app that inserts the same rows as a
feedback response (one ``feedback_response`` row and one ``feedback_answer`` row per item)
from a form POST, with no sessions, CSRF, validation, rate limit or templates, on an engine set up
as the service's (its engine options, lock and statement timeouts).

Run by gunicorn exactly as the service is: ``gunicorn bench.feedback_baseline:app``.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

from flask import Flask, request
from sqlalchemy import create_engine, text

from config import Config, normalise_database_url
from eventapp.database import engine_options
from eventapp.feedback.annex_a import ITEM_KEYS

app = Flask(__name__)
_url = normalise_database_url(os.environ["DATABASE_URL"])
# The service's own engine settings (lock and statement timeouts).
engine = create_engine(
    _url,
    **engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": _url,
            # The service's engine options (pool pre-ping), as bench/baseline_insert.py has.
            "SQLALCHEMY_ENGINE_OPTIONS": Config.SQLALCHEMY_ENGINE_OPTIONS,
            "DATABASE_LOCK_TIMEOUT_MS": Config.DATABASE_LOCK_TIMEOUT_MS,
            "DATABASE_STATEMENT_TIMEOUT_MS": Config.DATABASE_STATEMENT_TIMEOUT_MS,
        }
    ),
)
EVENT_ID = int(os.environ["BENCH_EVENT_ID"])

_RESPONSE = text(
    "INSERT INTO feedback_response (id, event_id, channel, source, submitted_on) "
    "VALUES (:id, :event_id, 'online', 'open_link', :day)"
)
_ANSWER = text(
    "INSERT INTO feedback_answer (response_id, item, option, other_text) "
    "VALUES (:response_id, :item, :option, :other_text)"
)


@app.post("/submit")
def submit() -> tuple[str, int, dict[str, str]]:
    rid = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(_RESPONSE, {"id": rid, "event_id": EVENT_ID, "day": date.today()})
        conn.execute(
            _ANSWER,
            [
                {
                    "response_id": rid,
                    "item": key,
                    "option": request.form.get(key) or None,
                    "other_text": request.form.get(key + "_other") or None,
                }
                for key in ITEM_KEYS
            ],
        )
    return "", 302, {"Location": "/thanks"}
