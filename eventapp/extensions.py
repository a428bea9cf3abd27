"""Flask extensions, created once and bound to the app in create_app()."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from sqlalchemy import event
from sqlalchemy.engine import Engine

from eventapp.models.base import Base

db: SQLAlchemy = SQLAlchemy(model_class=Base)

# Models subclass this. Type checkers see the typed declarative base; at run time it is
# Flask-SQLAlchemy's model class built on that base (table names, session binding).
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate: Migrate = Migrate(render_as_batch=True, compare_type=True)
csrf: CSRFProtect = CSRFProtect()
login_manager: LoginManager = LoginManager()
mail: Mail = Mail()
limiter: Limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection: object, _record: object) -> None:
    """SQLite ignores foreign keys (and ON DELETE CASCADE) unless each connection asks."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def init_app(app: Flask) -> None:
    """Bind every extension to the app."""
    from eventapp.database import engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    WTFormsHelpers(app)
    # Importing the models registers every table on db.metadata.
    import eventapp.models.registry  # noqa: F401
