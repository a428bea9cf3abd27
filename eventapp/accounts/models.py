"""Councils and the people who sign in for them."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from eventapp.extensions import Model
from eventapp.models.base import TimestampMixin
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.events.models import Event

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
# The stored hash of an account whose owner has not yet set a password: matches nothing.
NO_PASSWORD = ""


class Role(enum.StrEnum):
    """What a user may do within their council."""

    ORGANISER = "organiser"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.ORGANISER: "Organiser",
    Role.COORDINATOR: "Coordinator",
    Role.ADMIN: "Administrator",
}


def new_session_token() -> str:
    """A random token that ties signed-in sessions to the account's current state."""
    return secrets.token_urlsafe(24)


class Council(TimestampMixin, Model):
    """A local authority whose staff use the service; every event belongs to one."""

    __tablename__ = "council"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    area_name: Mapped[str] = mapped_column(String(200))

    users: Mapped[list[User]] = relationship(back_populates="council")
    events: Mapped[list[Event]] = relationship(back_populates="council")

    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("length(area_name) > 0", name="area_name_not_empty"),
    )


class User(TimestampMixin, Model):
    """A member of council staff who signs in."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(
        ForeignKey("council.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    # NO_PASSWORD until the person sets their own through their set-up link.
    password_hash: Mapped[str] = mapped_column(String(512))
    active: Mapped[bool] = mapped_column(default=True)
    # Changing this ends every session issued before the change.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(default=None)
    # The weekly email of checklist tasks due and overdue; the owner can turn it off.
    task_digest: Mapped[bool] = mapped_column(default=True)

    council: Mapped[Council] = relationship(back_populates="users")

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lower_case"),)

    # Flask-Login interface -------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    # Passwords and sessions ------------------------------------------------
    def set_password(self, password: str) -> None:
        # Werkzeug's default (scrypt) unless configured otherwise; tests use a cheaper method.
        method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
        self.password_hash = (
            generate_password_hash(password, method=method)
            if method
            else generate_password_hash(password)
        )
        self.end_sessions()

    def clear_password(self) -> None:
        """No password at all: nobody can sign in until the person sets one of their own."""
        self.password_hash = NO_PASSWORD
        self.end_sessions()

    @property
    def has_password(self) -> bool:
        return self.password_hash != NO_PASSWORD

    def check_password(self, password: str) -> bool:
        return self.has_password and check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        self.session_token = new_session_token()

    # Roles -----------------------------------------------------------------
    @property
    def can_evaluate(self) -> bool:
        return self.role in (Role.COORDINATOR,)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def can_plan(self) -> bool:
        return self.role in (Role.ORGANISER, Role.COORDINATOR)

    @property
    def display_name(self) -> str:
        return self.name or self.email


class AuditEntry(Model):
    """Who did what, when: never personal data of attendees, never tokens."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(
        ForeignKey("council.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(index=True)

    user: Mapped[User | None] = relationship()
