"""A failed database statement is logged (and a failed job recorded) without the values it
concerned: not the parameters, which may be a name, an email address, an answer or a token
hash, and not the driver's message, which on PostgreSQL quotes them ("invalid input syntax
for type integer: ...", "Key (email)=(...) already exists")."""

from __future__ import annotations

import logging
import traceback

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from eventapp import database
from eventapp.extensions import db
from eventapp.mail.jobs import _in_app

SECRET = "alice.secret@example.org"


def _fail() -> None:
    """A statement that fails with SECRET as its parameter; on PostgreSQL the driver's
    message quotes it too."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT CAST(:v AS integer)"), {"v": SECRET})
    else:
        db.session.execute(text("SELECT x FROM no_such_table WHERE x = :v"), {"v": SECRET})


def test_the_error_message_leaves_the_parameters_out(app: Flask) -> None:
    with pytest.raises(StatementError) as caught:
        _fail()
    db.session.rollback()
    assert f"'{SECRET}'" not in str(caught.value).split("[SQL:")[1]  # no [parameters: ...]
    assert SECRET not in database.describe(caught.value)
    assert "SQLSTATE 22P02" in database.describe(caught.value) or (
        db.engine.dialect.name == "sqlite" and "OperationalError" in database.describe(caught.value)
    )


def test_a_request_that_fails_logs_where_but_not_what(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    monkeypatch.setitem(app.view_functions, "notices.privacy", _fail)
    caplog.set_level(logging.DEBUG)
    response = client.get("/privacy")
    assert response.status_code == 500
    assert SECRET not in response.get_data(as_text=True)
    logged = caplog.text
    assert "Unhandled error on GET /privacy" in logged
    assert "in: SELECT" in logged  # the statement, with its placeholder
    assert "test_error_logs.py" in logged  # and where it failed
    assert SECRET not in logged


def test_a_failed_job_is_recorded_without_the_values(app: Flask) -> None:
    with pytest.raises(database.DatabaseError) as caught:
        _in_app(_fail)
    db.session.rollback()
    recorded = "".join(traceback.format_exception(caught.value))
    assert "SELECT" in recorded
    assert SECRET not in recorded
