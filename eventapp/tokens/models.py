"""Secret links: only a hash of each token is stored, with its purpose, expiry and revocation."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.extensions import Model
from eventapp.models.types import enum_column


class TokenPurpose(enum.StrEnum):
    """What a secret link lets its holder do. Each purpose hashes differently."""

    CALENDAR_FEED = "calendar_feed"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name, not a password
    ACCOUNT_SETUP = "account_setup"
    EMAIL_CONFIRMATION = "email_confirmation"
    REGISTRATION = "registration"
    INVITATION = "invitation"
    # Personal feedback links: hashed into feedback_link, never stored in secret_token
    # (whose check constraint, from before this member, refuses it).
    FEEDBACK = "feedback"


class SecretToken(Model):
    """One issued secret link. ``subject_id`` is the row the purpose refers to (a user, a
    registration, an invitee); the token itself is never stored, only its keyed hash."""

    __tablename__ = "secret_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    subject_id: Mapped[int]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        CheckConstraint("length(token_hash) = 64", name="token_hash_is_sha256"),
        CheckConstraint(
            "expires_at IS NULL OR expires_at > created_at", name="expires_after_issue"
        ),
        Index("ix_secret_token_purpose_subject", "purpose", "subject_id"),
    )
