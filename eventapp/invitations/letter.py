"""The invitation letter: merge fields, the default letters, and rendering both parts.

Pure functions. Merge fields are written ((name)), as GOV.UK Notify writes placeholders, so
a letter moves to Notify unchanged. The organiser's text is plain text: in the HTML part it
is escaped, paragraphs come from blank lines, and only the personal link becomes a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from eventapp.errors import DomainError

FIELD = re.compile(r"\(\(\s*([^()]*?)\s*\)\)")

# Every merge field, with what it becomes (shown to organisers beside the letter).
FIELDS: dict[str, str] = {
    "name": "The invitee's name",
    "event": "The event's title",
    "area": "Your council's area name",
    "date_time": "The date and time of the event",
    "location": "The general location (never the venue address or joining link)",
    "organiser": "The organiser's name",
    "contact": "The organiser's contact details",
    "link": "The invitee's personal registration link",
}
SUBJECT_FIELDS = frozenset(FIELDS) - {"link", "name"}

CONFIRMED_LATER = "details are sent to confirmed attendees before the event"


def fields_in(text: str) -> list[str]:
    """The merge fields a text uses, in order of first use."""
    seen: list[str] = []
    for match in FIELD.finditer(text):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def check(subject: str, body: str) -> None:
    """Refuse unknown merge fields, naming the valid ones (and a letter without its link)."""
    valid = ", ".join(f"(({name}))" for name in FIELDS)
    for field_name, text, allowed in (("subject", subject, SUBJECT_FIELDS), ("body", body, FIELDS)):
        unknown = [name for name in fields_in(text) if name not in allowed]
        if unknown:
            listed = ", ".join(f"(({name}))" for name in unknown)
            allowed_list = ", ".join(f"(({name}))" for name in FIELDS if name in allowed)
            raise DomainError(
                f"Remove or correct {listed}: the {field_name} can use {allowed_list}"
                if field_name == "subject"
                else f"Remove or correct {listed}: the merge fields are {valid}",
                field=field_name,
            )
    if "link" not in fields_in(body):
        raise DomainError(
            "Add ((link)) to the letter: it is each invitee's personal registration link",
            field="body",
        )


def location_text(general_location: str, *, online: bool, pre_registration: bool) -> str:
    """What ((location)) says: the general location, never the address or joining link."""
    place = general_location or ("Online" if online else "")
    if not pre_registration:
        return place or "to be confirmed"
    return f"{place} ({CONFIRMED_LATER})" if place else CONFIRMED_LATER.capitalize()


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    html: Markup


EMAIL_LINK = 'style="color:#1d70b8;"'  # mail clients ignore stylesheets
PAGE_LINK = 'class="govuk-link"'  # pages allow no inline style (CSP)


def merge(subject: str, body: str, values: dict[str, str], *, link: str = EMAIL_LINK) -> Letter:
    """The letter for one invitee: the subject, the text part and the HTML part."""

    def plain(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    def html(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name)
        if value is None:
            return str(escape(match.group(0)))
        if name == "link":
            return str(Markup('<a href="{0}" ' + link + ">{0}</a>").format(value))  # noqa: S704
        return str(escape(value))

    paragraphs = [p for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        lines = [FIELD.sub(html, str(escape(line))) for line in paragraph.split("\n")]
        parts.append("<p>" + "<br>\n".join(lines) + "</p>")
    return Letter(
        subject=" ".join(FIELD.sub(plain, subject).split()),
        text=FIELD.sub(plain, body.replace("\r\n", "\n")).strip() + "\n",
        # Every piece was escaped above, line by line and value by value.
        html=Markup("\n".join(parts)),  # noqa: S704
    )


DEFAULT_SUBJECT = "Invitation: ((event)), ((date_time))"

_OPENING = """Dear ((name)),

We would like to invite you to ((event)), a community roundtable about Prevent in ((area)).

What Prevent is
Prevent is part of the government's counter-terrorism strategy. It aims to stop people being drawn into terrorism by offering early support that is voluntary and confidential, in the same way that other safeguarding work protects people from harms such as gangs, drugs or abuse.

How we deliver Prevent in ((area))
We work on Prevent with local communities, the police, schools, health services and voluntary organisations. We aim to act in proportion to the risks in our area, and to be open and accountable to the people we serve.

What this event is for
The roundtable is a chance to hear how Prevent works locally, to ask questions, and to tell us what the people you work with think about it.

Why your role matters
You know your community and it trusts you. Your views help shape how Prevent is delivered here, and your support helps us keep vulnerable people in ((area)) safe.
"""

DEFAULT_BODY_IN_PERSON = (
    _OPENING
    + """
When and where
((date_time)), ((location)).

How to register
Places are limited, so please register using your personal link:
((link))

If you have any questions, contact ((organiser)), ((contact)).
"""
)

DEFAULT_BODY_ONLINE = (
    _OPENING
    + """
When and where
((date_time)), online. We will send you the joining link before the event, once your place is confirmed.

How to register
Please register using your personal link:
((link))

If you have any questions, or need help joining online meetings, contact ((organiser)), ((contact)).
"""
)


def default_body(*, online: bool) -> str:
    return DEFAULT_BODY_ONLINE if online else DEFAULT_BODY_IN_PERSON
