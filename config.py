"""Configuration classes, chosen by create_app(); every setting can come from the environment."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """A database URL with the driver SQLAlchemy should use (psycopg 3 for PostgreSQL)."""
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _database_url(default: str) -> str:
    return normalise_database_url(os.environ.get("DATABASE_URL", default))


# Stand-ins for who runs the service and how to reach them, until a deployment sets them.
PLACEHOLDERS = {
    "SERVICE_OWNER": "Example Council",
    "SERVICE_CONTACT_EMAIL": "events@example.gov.uk",
    "DATA_PROTECTION_EMAIL": "data.protection@example.gov.uk",
}


class Config:
    """Settings shared by every environment."""

    SERVICE_NAME = "Plan a community event"
    # The service's name on pages for the public (people coming to events).
    PUBLIC_SERVICE_NAME = os.environ.get("PUBLIC_SERVICE_NAME", "Community events")
    # Who runs the service, and how people reach them: shown on public pages, the privacy
    # notice and the accessibility statement. Set them for every real deployment.
    SERVICE_OWNER = os.environ.get("SERVICE_OWNER", PLACEHOLDERS["SERVICE_OWNER"])
    SERVICE_CONTACT_EMAIL = os.environ.get(
        "SERVICE_CONTACT_EMAIL", PLACEHOLDERS["SERVICE_CONTACT_EMAIL"]
    )
    SERVICE_CONTACT_PHONE = os.environ.get("SERVICE_CONTACT_PHONE", "")
    DATA_PROTECTION_EMAIL = os.environ.get(
        "DATA_PROTECTION_EMAIL", PLACEHOLDERS["DATA_PROTECTION_EMAIL"]
    )
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'eventapp.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # How long a statement may wait for a lock, and run at all, before it gives up and the
    # person is asked to try again (503). 0 turns a limit off (PostgreSQL only).
    DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("DATABASE_LOCK_TIMEOUT_MS", "5000"))
    DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "30000"))
    # What the "try again" page's Retry-After header says.
    BUSY_RETRY_AFTER_SECONDS = int(os.environ.get("BUSY_RETRY_AFTER_SECONDS", "5"))
    REDIS_URL = os.environ.get("REDIS_URL")

    # The domain part of iCalendar UIDs: fixed, so a UID never changes with the host name used.
    CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "eventapp.local")
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))

    MAX_CONTENT_LENGTH = 1024 * 1024  # one megabyte: no form here needs more
    WTF_CSRF_TIME_LIMIT = 3600 * 4

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # Absolute lifetime of a signed-in session; the idle limit is checked on each request.
    PERMANENT_SESSION_LIFETIME = timedelta(
        hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    )
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "60"))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # A window that moves with each attempt, and every limit checked, so a refusal can say
    # when the last of them lets an attempt through (eventapp/accounts/limits.py).
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_FAIL_ON_FIRST_BREACH = False
    # Failed sign-ins only. One address alone (5 per 15 minutes is 20 an hour) can never reach
    # the all-addresses ceiling, so it cannot lock the owner out elsewhere.
    SIGN_IN_LIMIT_PER_IP = os.environ.get("SIGN_IN_LIMIT_PER_IP", "20 per 15 minutes")
    # Feedback forms sent from one address for one event: a venue's wifi puts a whole room
    # behind one address, so this only stops a script, never a full hall.
    FEEDBACK_LIMIT_PER_ADDRESS = os.environ.get("FEEDBACK_LIMIT_PER_ADDRESS", "600 per 10 minutes")
    SIGN_IN_LIMIT_PER_ACCOUNT = os.environ.get("SIGN_IN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES = os.environ.get(
        "SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES", "30 per hour"
    )

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Council community events <events@eventapp.example>"
    )
    # "file" writes each message to MAIL_FILE_DIR (instance/mail/) instead of sending it;
    # setting MAIL_SERVER sends by SMTP unless MAIL_BACKEND says otherwise.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND") or ("smtp" if MAIL_SERVER else "file")
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", "")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))  # seconds, every SMTP step
    MAIL_BATCH_SIZE = int(os.environ.get("MAIL_BATCH_SIZE", "50"))
    # Outcomes are written after this many messages (or a second): the most a crashed
    # worker can leave sent but unrecorded, for the sweeper to resend and count.
    MAIL_RECORD_EVERY = int(os.environ.get("MAIL_RECORD_EVERY", "50"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    MAIL_RETRY_BASE_SECONDS = float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "30"))
    MAIL_RETRY_CAP_SECONDS = float(os.environ.get("MAIL_RETRY_CAP_SECONDS", "3600"))
    MAIL_STUCK_AFTER_MINUTES = float(os.environ.get("MAIL_STUCK_AFTER_MINUTES", "60"))
    MAIL_MESSAGE_ID_DOMAIN = os.environ.get("MAIL_MESSAGE_ID_DOMAIN", "")
    # Public links in messages (invitations, password resets) start with this, when set.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
    PASSWORD_RESET_HOURS = int(os.environ.get("PASSWORD_RESET_HOURS", "2"))
    # A new colleague's link to set their own password (an administrator can send another).
    ACCOUNT_SETUP_HOURS = int(os.environ.get("ACCOUNT_SETUP_HOURS", "72"))
    PASSWORD_RESET_LIMIT_PER_IP = os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "10 per hour")
    PASSWORD_RESET_LIMIT_PER_ACCOUNT = os.environ.get(
        "PASSWORD_RESET_LIMIT_PER_ACCOUNT", "3 per hour"
    )

    # Where "Send to Home Office Prevent" sends an event's evaluation (the handbook's week 5:
    # "sends copies of feedback forms to Home Office Prevent"). Empty: sending is unavailable
    # and the page says so. The handbook gives PreventCommunications@HomeOffice.gov.uk as
    # its contact address; confirm the right one with Home Office before setting it.
    PREVENT_SHARE_TO = os.environ.get("PREVENT_SHARE_TO", "")
    # Questions (eventapp/questions): the most one asker (a browser, or a registration) may
    # put to one event, and how fast one address may ask and vote. Clearing cookies gives a
    # browser a new id; the per-address rates bound what that can do.
    QUESTIONS_PER_ASKER = int(os.environ.get("QUESTIONS_PER_ASKER", "10"))
    QUESTION_ASK_LIMIT_PER_IP = os.environ.get("QUESTION_ASK_LIMIT_PER_IP", "30 per hour")
    QUESTION_VOTE_LIMIT_PER_IP = os.environ.get("QUESTION_VOTE_LIMIT_PER_IP", "120 per 10 minutes")
    # The public registration form: per client address, and per event from all addresses.
    REGISTRATION_LIMIT_PER_IP = os.environ.get("REGISTRATION_LIMIT_PER_IP", "10 per hour")
    REGISTRATION_LIMIT_PER_EVENT = os.environ.get("REGISTRATION_LIMIT_PER_EVENT", "600 per hour")

    # Jobs run in the request's process unless a queue is configured.
    JOBS_INLINE = True
    HSTS = False
    DEBUG = False
    TESTING = False


class DevelopmentConfig(Config):
    """The embedded mode that `make run` uses: SQLite, mail to files, jobs inline."""

    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret"
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Mail goes to files in development: a made-up address shows the sending working.
    PREVENT_SHARE_TO = os.environ.get("PREVENT_SHARE_TO", "prevent-evaluations@homeoffice.example")


class TestConfig(Config):
    """Settings for pytest: a database given by TEST_DATABASE_URL, or an SQLite file."""

    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105 (tests only)
    # tests/conftest.py gives each test database its own URL; this one builds apps to inspect.
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite://")
    )
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SUPPRESS_SEND = True
    MAIL_BACKEND = "file"  # tests point MAIL_FILE_DIR at a temporary folder
    PUBLIC_BASE_URL = "http://localhost"
    PREVENT_SHARE_TO = "prevent-evaluations@homeoffice.example"
    # scrypt is deliberately slow; tests create hundreds of accounts.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 (a hash method name)


class ProductionConfig(Config):
    """PostgreSQL, Redis and SMTP, all from the environment; refuses unsafe settings."""

    SESSION_COOKIE_SECURE = True
    HSTS = True
    PREFERRED_URL_SCHEME = "https"
    JOBS_INLINE = not bool(os.environ.get("REDIS_URL"))

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY")
        self.REDIS_URL = os.environ.get("REDIS_URL")
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or (
            self.REDIS_URL or "memory://"
        )
        self.JOBS_INLINE = not bool(self.REDIS_URL)

    @staticmethod
    def check(app_config: dict) -> None:
        """Refuse to start with settings that would be unsafe in production."""
        if not app_config.get("SECRET_KEY"):
            raise RuntimeError("Set SECRET_KEY: production will not start without it.")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError(
                "Set DATABASE_URL to the PostgreSQL database: production does not fall back "
                "to the embedded SQLite file."
            )
        if app_config.get("DEBUG") or _bool("FLASK_DEBUG"):
            raise RuntimeError("Turn debug off: production will not start with debug on.")
        if app_config.get("MAIL_BACKEND") != "smtp":
            logging.getLogger("eventapp").warning(
                "MAIL_SERVER is not set: mail is written to files under instance/mail/ and "
                "nobody receives it. Set MAIL_SERVER (and MAIL_PORT, MAIL_USE_TLS...) to send."
            )
        if not app_config.get("PUBLIC_BASE_URL"):
            logging.getLogger("eventapp").warning(
                "PUBLIC_BASE_URL is not set: links in mail sent by background jobs (the task "
                "digest) cannot be built. Set it to the service's public https address."
            )
        placeholders = [
            name for name, value in PLACEHOLDERS.items() if app_config.get(name) == value
        ]
        if placeholders:
            logging.getLogger("eventapp").warning(
                "Set %s: the privacy notice, the accessibility statement and public pages "
                "name the organisation that runs the service and how to contact it.",
                ", ".join(placeholders),
            )
        if str(app_config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory"):
            logging.getLogger("eventapp").warning(
                "REDIS_URL is not set: sign-in rate limits are kept per worker process. "
                "Set REDIS_URL so they hold across workers."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}
