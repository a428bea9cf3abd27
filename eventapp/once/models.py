"""Form tokens already used: a create or move form does its work once per page load."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.extensions import Model


class FormSubmission(Model):
    """One page load's form, sent and done: where its result is, for a repeat to be shown."""

    __tablename__ = "form_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64))
    result_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (
        UniqueConstraint("user_id", "token", name="uq_form_submission_user_token"),
        CheckConstraint("length(token) >= 16", name="token_long_enough"),
    )
