"""The benchmark's baseline: a bare Flask + SQLAlchemy app that inserts one registration row
per POST, with the same engine settings as eventapp (lock and statement timeouts, pre-ping).
Served by gunicorn with the same options as the app (see bench_registration.py)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, request
from sqlalchemy import create_engine, text

from eventapp.database import engine_options

URL = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
_options = engine_options(
    {
        "SQLALCHEMY_DATABASE_URI": URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DATABASE_LOCK_TIMEOUT_MS": 5000,
        "DATABASE_STATEMENT_TIMEOUT_MS": 30000,
    }
)
engine = create_engine(URL, **_options)
app = Flask(__name__)

INSERT = text(
    "INSERT INTO registration (event_id, status, name, email, organisation, sector_other, "
    "role, access_needs, dietary_needs, question, walk_in, instructions_sent_version, "
    "confirmed_at, created_at, updated_at) VALUES (:event_id, 'confirmed', :name, :email, "
    "'Bench', '', '', '', '', '', false, -1, :now, :now, :now)"
)


@app.post("/insert/<int:event_id>/<int:n>")
def insert(event_id: int, n: int) -> str:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            INSERT,
            {
                "event_id": event_id,
                "name": f"Baseline {n}",
                "email": f"baseline{n}.{request.remote_addr}@bench.example",
                "now": now,
            },
        )
    return "ok"
