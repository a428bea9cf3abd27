"""The chair's briefing pack: which of the handbook's FAQs it includes."""

from __future__ import annotations

from collections.abc import Iterable

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.briefing.faqs import BY_KEY, FAQS, Faq
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db


def chosen_faqs(event: Event) -> list[Faq]:
    """The FAQs the organiser chose for the pack, in the handbook's order."""
    chosen = set(event.briefing_faqs or [])
    return [f for f in FAQS if f.key in chosen]


def set_faqs(*, event: Event, actor: User, keys: Iterable[str]) -> bool:
    """Choose the FAQs for the chair's pack; False when nothing changed."""
    wanted = set(keys)
    unknown = wanted - set(BY_KEY)
    if unknown:
        raise DomainError("Select questions from the list", field="faqs")
    ordered = [f.key for f in FAQS if f.key in wanted]
    if ordered == list(event.briefing_faqs or []):
        return False
    event.briefing_faqs = ordered
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="briefing.faqs",
        obj=event,
        summary=", ".join(ordered) or "none",
    )
    return True
