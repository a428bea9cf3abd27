"""Building a message: one-line header values, a text part and an HTML part, Message-ID, Date.

Pure functions of their arguments. Header injection cannot happen here twice over: every
header value is flattened to one line before it is stored (``single_line``), and the MIME
message is built with the standard library's header registry, which refuses CR or LF in a
value. The envelope recipient is the row's ``recipient`` column alone, never read back from
headers, so no name or subject can add a recipient.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from email_validator import EmailNotValidError, validate_email

# Every control character (CR, LF, tab, NUL, DEL, the C1 set) and the Unicode line and
# paragraph separators, which some mail clients also break lines at.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
MAX_SUBJECT = 300
MAX_NAME = 200


def single_line(value: str, *, limit: int | None = None) -> str:
    """The value with every control character turned into one space, trimmed."""
    flat = _CONTROL.sub(" ", value or "").strip()
    return flat[:limit] if limit is not None else flat


def display_name(value: str) -> str:
    """A name fit for a From or To header: one line, without the characters that make a
    name look like a second address (``,`` ``;`` ``<`` ``>`` ``"`` ``@``)."""
    cleaned = re.sub(r'[,;<>"@\\]', " ", single_line(value))
    return re.sub(r"\s+", " ", cleaned).strip()[:MAX_NAME]


class BadAddressError(ValueError):
    """An address that cannot be used as an envelope recipient or sender."""


def clean_address(value: str) -> str:
    """A syntactically valid address (lower-cased domain), or BadAddressError.

    No deliverability (DNS) check: that is the mail server's job, and its refusal is
    recorded on the message.
    """
    text = (value or "").strip()
    if not text or _CONTROL.search(text) or len(text) > 254:
        raise BadAddressError("Enter an email address in the correct format, like name@example.com")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise BadAddressError(
            "Enter an email address in the correct format, like name@example.com"
        ) from None
    return str(result.normalized)


def split_sender(sender: str) -> tuple[str, str]:
    """A configured sender ("Name <addr>" or "addr") as (name, address)."""
    name, address = parseaddr(sender)
    return display_name(name), clean_address(address)


def new_message_id(domain: str) -> str:
    """A globally unique Message-ID, fixed when the row is written and kept across retries."""
    host = re.sub(r"[^A-Za-z0-9.-]", "", domain) or "eventapp.local"
    return f"<{secrets.token_hex(16)}@{host}>"


@dataclass(frozen=True)
class Parts:
    """What a sender needs to build one email."""

    sender: str
    recipient: str
    recipient_name: str
    subject: str
    text: str
    html: str
    message_id: str
    reply_to: str = ""
    kind: str = ""


def build_email(parts: Parts, *, date: datetime) -> EmailMessage:
    """The MIME message: multipart/alternative with the text part first, then the HTML."""
    message = EmailMessage(policy=SMTP)
    sender_name, sender_address = split_sender(parts.sender)
    message["From"] = Address(display_name=sender_name, addr_spec=sender_address)
    message["To"] = Address(
        display_name=display_name(parts.recipient_name), addr_spec=clean_address(parts.recipient)
    )
    if parts.reply_to:
        reply_name, reply_address = split_sender(parts.reply_to)
        message["Reply-To"] = Address(display_name=reply_name, addr_spec=reply_address)
    message["Subject"] = single_line(parts.subject, limit=MAX_SUBJECT)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = parts.message_id
    # Out-of-office and other robots should not answer an automatic message.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    message.set_content(parts.text, subtype="plain", charset="utf-8")
    message.add_alternative(parts.html, subtype="html", charset="utf-8")
    return message
