"""Building a message: one-line header values, a text part and an HTML part, Message-ID, Date.

Pure functions of their arguments. Header injection cannot happen here twice over: every
header value is flattened to one line before it is stored (``single_line``), and the built
message is checked once more for a line break in any header. The envelope recipient is the
row's ``recipient`` column alone, never read back from headers, so no name or subject can
add a recipient.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache

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


@lru_cache(maxsize=256)
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


def _encoded(text: str) -> str:
    """The text as a header value: as is if ASCII, else RFC 2047 encoded words (each under
    75 characters, split between characters, on one line)."""
    if text.isascii():
        return text
    words, chunk = [], ""
    for character in text:
        if len((chunk + character).encode()) > 45:
            words.append(chunk)
            chunk = ""
        chunk += character
    words.append(chunk)
    return " ".join("=?utf-8?b?" + base64.b64encode(w.encode()).decode() + "?=" for w in words)


def _address(name: str, address: str) -> str:
    name = display_name(name)
    if not name:
        return address
    if name.isascii():
        return formataddr((name, address))
    return f"{_encoded(name)} <{address}>"


def _qp(text: str) -> bytes:
    """A body as quoted-printable UTF-8 with CRLF line endings (readable, 7-bit safe)."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return binascii.b2a_qp(normalised.encode(), istext=True).replace(b"\n", b"\r\n")


def build_email(parts: Parts, *, date: datetime) -> bytes:
    """The message as SMTP sends it: multipart/alternative, the text part, then the HTML.

    Written directly rather than through ``email.message``: the standard library's
    generator costs over 10 ms a message, more than sending it. Every header value here is
    one line (checked below), and the boundary starts with "=_", which quoted-printable
    output can never contain, so no part can end the message early.
    """
    sender_name, sender_address = split_sender(parts.sender)
    headers = [
        ("From", _address(sender_name, sender_address)),
        ("To", _address(parts.recipient_name, clean_address(parts.recipient))),
    ]
    if parts.reply_to:
        headers.append(("Reply-To", _address(*split_sender(parts.reply_to))))
    boundary = "=_" + secrets.token_hex(16)
    headers += [
        ("Subject", _encoded(single_line(parts.subject, limit=MAX_SUBJECT))),
        ("Date", format_datetime(date)),
        ("Message-ID", single_line(parts.message_id)),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        # Out-of-office and other robots should not answer an automatic message.
        ("Auto-Submitted", "auto-generated"),
        ("X-Auto-Response-Suppress", "OOF, AutoReply"),
    ]
    for name, value in headers:
        if _CONTROL.search(value) or not value.isascii():
            raise ValueError(f"The {name} header would not be one line of ASCII")
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode()
    marker = f"--{boundary}\r\n".encode()
    part_head = (
        'Content-Type: text/{0}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    )
    return b"".join(
        [
            head,
            b"\r\n",
            marker,
            part_head.format("plain").encode(),
            _qp(parts.text),
            b"\r\n",
            marker,
            part_head.format("html").encode(),
            _qp(parts.html),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
