"""The handbook's "Prevent FAQs" for questions: the chair's view shows a tagged question's
suggested response, and the service suggests a tag from the words a question uses.

The FAQs themselves (questions and responses, word for word, registered quotations) live in
eventapp.briefing.faqs; the keywords here are the service's own, not the handbook's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventapp.briefing.faqs import FAQS, Q_STATISTICS

# The handbook's own warning, printed above its FAQs.
STATISTICS_WARNING = Q_STATISTICS.text

# The service's own guesses at the words a question on each FAQ would use.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "toxic_brand": ("toxic", "brand", "trust", "reputation"),
    "target_muslims": ("muslim", "muslims", "islam", "faith", "religion", "target"),
    "far_right": ("far-right", "far right", "right-wing", "right wing"),
    "mixed_ideology": ("mixed", "unclear", "unstable", "ideology"),
    "rebrand": ("rebrand", "rename"),
    "spying": ("spy", "spying", "surveillance", "informant", "informer"),
    "criminal_record": ("criminal", "record", "conviction", "career"),
    "referral_numbers": ("referral", "referrals", "cases", "outlier"),
    "free_speech": ("speech", "university", "universities", "campus", "academic"),
    "projects_effective": ("effective", "evaluation", "evaluate", "projects"),
    "mental_health": ("mental", "health", "autism"),
    "ddp": ("desistance", "disengagement", "ddp", "prison", "probation"),
}


@dataclass(frozen=True)
class Faq:
    key: str
    question: str
    response: tuple[str, ...]
    keywords: tuple[str, ...]  # the service's own, for suggestions


PREVENT_FAQS: tuple[Faq, ...] = tuple(
    Faq(f.key, f.question.text, tuple(p.text for p in f.answer), KEYWORDS.get(f.key, ()))
    for f in FAQS
)

FAQ_BY_KEY = {faq.key: faq for faq in PREVENT_FAQS}
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def _words(text: str) -> str:
    """The text lower-cased with every run of other characters as one space, padded."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def suggest(text: str, *, limit: int = 3) -> list[Faq]:
    """The FAQs whose keywords a question uses, most matches first (the service's guess).

    A keyword matches whole words only ("record" is not "recorded"); ties keep the
    handbook's order.
    """
    words = _words(text)
    scored = []
    for index, faq in enumerate(PREVENT_FAQS):
        hits = sum(1 for keyword in faq.keywords if f" {keyword} " in words)
        if hits:
            scored.append((-hits, index, faq))
    return [faq for _, _, faq in sorted(scored)[:limit]]
