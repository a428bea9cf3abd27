"""Senders, one per channel: the file sender of the embedded default, and SMTP.

A sender is used as a context manager around one batch (``with sender as s``), so an SMTP
batch reuses one connection. ``send`` never raises for a delivery problem: it returns a
``Result`` saying whether the message was sent, should be tried again (SMTP 4xx, a dropped
connection, a timeout) or failed for good (SMTP 5xx, an address that cannot be used), with
the server's reply.
"""

from __future__ import annotations

import enum
import logging
import os
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol

from eventapp.mail.message import (
    BadAddressError,
    Parts,
    build_email,
    clean_address,
    split_sender,
)

log = logging.getLogger("eventapp.mail")


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    detail: str = ""
    # The connection is unusable (refused, dropped, timed out, closed by a 421): the rest of
    # the batch waits for the retry rather than trying one dead server message by message.
    connection_lost: bool = False


class Sender(Protocol):
    """Delivers messages of one channel; used as ``with sender: sender.send(...)``."""

    def __enter__(self) -> Sender: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def send(self, parts: Parts, *, ident: int, date: datetime) -> Result: ...


class FileSender:
    """The embedded default: each message becomes ``<dir>/<row id>-<kind>.eml``.

    The file name comes from the outbox row, so sending the same row again replaces its file
    rather than adding a second one. The log line names the message, never the recipient.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def __enter__(self) -> FileSender:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def path_for(self, ident: int, kind: str) -> Path:
        safe_kind = "".join(c for c in kind if c.isalnum() or c in "-_") or "message"
        return self.directory / f"{ident:08d}-{safe_kind}.eml"

    def send(self, parts: Parts, *, ident: int, date: datetime) -> Result:
        try:
            message = build_email(parts, date=date)
        except (BadAddressError, ValueError) as error:
            return Result(Outcome.FAILED, f"Not sent: {error}")
        target = self.path_for(ident, parts.kind)
        # Write then rename: a reader never sees half a message.
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(message)
            os.replace(temporary, target)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            return Result(Outcome.RETRY, f"Could not write the mail file: {error.strerror}")
        log.info("Mail %s (%s) written to %s", parts.message_id, parts.kind, target.name)
        return Result(Outcome.SENT, target.name)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    use_tls: bool = False
    use_ssl: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"[:900]


class SmtpSender:
    """SMTP with a timeout on every operation and one connection for the whole batch."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._connection: smtplib.SMTP | None = None
        self.connections_opened = 0

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self._drop(polite=True)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        connection: smtplib.SMTP
        if s.use_ssl:
            connection = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            connection.ehlo()
            if s.use_tls:
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if s.username:
                connection.login(s.username, s.password or "")
        except BaseException:
            connection.close()
            raise
        self.connections_opened += 1
        return connection

    def _drop(self, *, polite: bool = False) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if polite:
                connection.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            connection.close()

    def send(self, parts: Parts, *, ident: int, date: datetime) -> Result:
        try:
            message = build_email(parts, date=date)
            envelope_to = clean_address(parts.recipient)
            envelope_from = split_sender(parts.sender)[1]
        except (BadAddressError, ValueError) as error:
            return Result(Outcome.FAILED, f"Not sent: {error}")
        connecting = self._connection is None
        try:
            if self._connection is None:
                self._connection = self._connect()
            connecting = False
            self._connection.sendmail(envelope_from, [envelope_to], message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()), (0, b""))
            return self._classified(code, reply, connecting=False)
        except smtplib.SMTPResponseException as error:
            return self._classified(error.smtp_code, error.smtp_error, connecting=connecting)
        except smtplib.SMTPServerDisconnected as error:
            self._drop()
            # smtplib reports a timeout while waiting for a reply as a disconnection.
            if not isinstance(error.__context__, TimeoutError):
                return Result(
                    Outcome.RETRY, f"The mail server closed the connection: {error}", True
                )
            return self._timed_out()
        except TimeoutError:
            self._drop()
            return self._timed_out()
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            return Result(Outcome.RETRY, f"Could not reach the mail server: {error}", True)
        log.info("Mail %s (%s) accepted by the SMTP server", parts.message_id, parts.kind)
        return Result(Outcome.SENT)

    def _timed_out(self) -> Result:
        return Result(
            Outcome.RETRY,
            f"The mail server did not answer within {self.settings.timeout:g} seconds",
            True,
        )

    def _classified(self, code: int, reply: bytes | str, *, connecting: bool) -> Result:
        """5xx fails for good, anything else is tried again. smtplib resets the session after
        a refusal and closes it after a 421, so only a 421 (or a refusal while connecting)
        loses the connection."""
        detail = _reply(code, reply)
        lost = connecting or code == 421
        if lost:
            self._drop()
        if 500 <= code < 600:
            return Result(Outcome.FAILED, detail, lost)
        return Result(Outcome.RETRY, detail, lost)
