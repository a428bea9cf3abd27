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
from urllib.parse import quote

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
    """A syntactically valid ASCII address (lower-cased domain), or BadAddressError.

    No deliverability (DNS) check: that is the mail server's job, and its refusal is
    recorded on the message.
    """
    text = (value or "").strip()
    if not text or _CONTROL.search(text) or len(text) > 254:
        raise BadAddressError("Enter an email address in the correct format, like name@example.com")
    try:
        # No SMTPUTF8: a mailbox name in other alphabets could be stored but not sent by
        # most council mail servers, so it is refused here, where the person can correct it.
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise BadAddressError(
            "Enter an email address in the correct format, like name@example.com"
        ) from None
    # An international domain is kept in its ASCII (punycode) form, which every server takes.
    return str(result.ascii_email or result.normalized)


@lru_cache(maxsize=256)
def split_sender(sender: str) -> tuple[str, str]:
    """A configured sender ("Name <addr>" or "addr") as (name, address)."""
    name, address = parseaddr(sender)
    return display_name(name), clean_address(address)


def new_message_id(domain: str) -> str:
    """A globally unique Message-ID, fixed when the row is written and kept across retries."""
    host = re.sub(r"[^A-Za-z0-9.-]", "", domain) or "eventapp.local"
    return f"<{secrets.token_hex(16)}@{host}>"


# Together, a message's files may not exceed this: most mail servers refuse larger
# messages, and base64 adds a third on the way.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_FILENAME = 120
_MIME_WORD = r"[A-Za-z0-9!#$&^_.+-]+"
_CONTENT_TYPE = re.compile(
    rf'{_MIME_WORD}/{_MIME_WORD}(?:; ?[A-Za-z0-9-]+=(?:{_MIME_WORD}|"[^"\\\x00-\x1f\x7f]*"))*'
)


def safe_filename(value: str) -> str:
    """A file name with no folder, no control characters and none of the characters mail
    clients or file systems treat specially; never empty."""
    name = single_line(value).replace("\\", "/").rpartition("/")[2]
    name = re.sub(r'[<>:"|?*;=\x00-\x1f]', "", name)
    # No space of any kind, nor a dot, at either end (mail parsers trim spaces).
    name = re.sub(r"^[\s.]+|[\s.]+$", "", name)
    return name[-MAX_FILENAME:] or "attachment"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: its name as the recipient sees it, its MIME type
    (parameters allowed, e.g. ``text/calendar; method=REQUEST; charset=utf-8``) and bytes."""

    filename: str
    content_type: str
    data: bytes

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", safe_filename(self.filename))
        if not _CONTENT_TYPE.fullmatch(self.content_type or ""):
            raise ValueError(f"Not a MIME type: {self.content_type!r}")
        if not isinstance(self.data, bytes):
            raise TypeError("An attachment's data must be bytes")


def check_attachments(attachments: tuple[Attachment, ...]) -> None:
    """Refuse a set of files too large to send (the whole message would be refused)."""
    total = sum(len(a.data) for a in attachments)
    if total > MAX_ATTACHMENT_BYTES:
        raise ValueError(
            f"The attachments come to {total:,} bytes; the most a message can carry "
            f"is {MAX_ATTACHMENT_BYTES:,}"
        )


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
    attachments: tuple[Attachment, ...] = ()


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


CHARSET = "utf-8''"


def _attachment_part(attachment: Attachment) -> bytes:
    """One file as a MIME part: base64 in 76-character lines, its name given both as plain
    ASCII (for old clients) and in full as RFC 2231 UTF-8."""
    name = safe_filename(attachment.filename)
    fallback = re.sub(r"[^A-Za-z0-9 ._()-]", "_", name)
    # RFC 2231's full name comes first: parsers that read one value take the first.
    # A long encoded name is split into RFC 2231 continuations on folded lines, so no
    # line comes near the 998-character limit.
    disposition = f'\r\n filename="{fallback}"'
    if fallback != name:
        # Split between characters, never inside one, for readers that decode each piece.
        pieces = [""]
        for character in name:
            encoded = quote(character, safe="")
            if len(pieces[-1]) + len(encoded) > 60:
                pieces.append("")
            pieces[-1] += encoded
        numbered = [
            f"filename*{n}*={'' if n else CHARSET}{piece};" for n, piece in enumerate(pieces)
        ]
        disposition = "".join(f"\r\n {part}" for part in numbered) + disposition
    head = (
        f'Content-Type: {attachment.content_type}; name="{fallback}"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment;{disposition}\r\n\r\n"
    )
    # The type was checked for control characters; a quoted parameter may still hold
    # letters outside ASCII, which a header cannot carry.
    if not head.isascii():
        raise ValueError("An attachment header would not be ASCII")
    body = base64.encodebytes(attachment.data).replace(b"\n", b"\r\n")
    return head.encode() + body


def build_email(parts: Parts, *, date: datetime) -> bytes:
    """The message as SMTP sends it: multipart/alternative, the text part, then the HTML;
    with attachments, that alternative is the first part of a multipart/mixed.

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
    mixed = "=_" + secrets.token_hex(16) if parts.attachments else ""
    check_attachments(parts.attachments)
    headers += [
        ("Subject", _encoded(single_line(parts.subject, limit=MAX_SUBJECT))),
        ("Date", format_datetime(date)),
        ("Message-ID", single_line(parts.message_id)),
        ("MIME-Version", "1.0"),
        (
            "Content-Type",
            f'multipart/mixed; boundary="{mixed}"'
            if mixed
            else f'multipart/alternative; boundary="{boundary}"',
        ),
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
    alternative = [
        marker,
        part_head.format("plain").encode(),
        _qp(parts.text),
        b"\r\n",
        marker,
        part_head.format("html").encode(),
        _qp(parts.html),
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    if not mixed:
        return b"".join([head, b"\r\n", *alternative])
    # Base64 never contains "=_" either, so the outer boundary is as safe as the inner one.
    outer = f"--{mixed}\r\n".encode()
    chunks = [
        head,
        b"\r\n",
        outer,
        f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode(),
        *alternative,
    ]
    for attachment in parts.attachments:
        chunks += [b"\r\n", outer, _attachment_part(attachment)]
    chunks.append(f"\r\n--{mixed}--\r\n".encode())
    return b"".join(chunks)
