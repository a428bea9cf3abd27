"""Home page and health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from eventapp.access import public, staff_entrance
from eventapp.extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
@staff_entrance
def index() -> Response:
    """Send people to their events, or to sign in."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    if current_user.is_admin:
        return redirect(url_for("accounts.users"))
    return redirect(url_for("events.index"))


@bp.route("/healthz")
@public
def healthz() -> tuple[Response, int]:
    """200 with the database status, or 503 when the database cannot be reached."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
