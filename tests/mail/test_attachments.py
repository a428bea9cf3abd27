"""Files sent with a message: stored with it, sent byte for byte, removed by a purge."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from eventapp import uow
from eventapp.extensions import db
from eventapp.mail import delivery, outbox
from eventapp.mail.message import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Parts,
    build_email,
    safe_filename,
)
from eventapp.mail.models import MessageState, OutboxAttachment, OutboxMessage

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
CALENDAR = "text/calendar; method=REQUEST; charset=utf-8"


def parsed_file(app: Flask) -> EmailMessage:
    files = sorted(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def with_files(*files: Attachment) -> outbox.Rendered:
    return outbox.Rendered("Your place", "See the calendar file.", "<p>See the file.</p>", files)


def test_a_calendar_file_arrives_beside_both_parts(app: Flask) -> None:
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 40
    outbox.enqueue(
        to="ann@example.org",
        content=with_files(
            Attachment("event.ics", CALENDAR, ICS),
            Attachment("report.pdf", "application/pdf", pdf),
        ),
        kind="test",
    )
    uow.commit()
    message = parsed_file(app)
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().strip() == "See the calendar file."
    html = message.get_body(preferencelist=("html",))
    assert html is not None and "<p>See the file.</p>" in html.get_content()
    files = list(message.iter_attachments())
    assert [f.get_filename() for f in files] == ["event.ics", "report.pdf"]
    assert [f.get_content_type() for f in files] == ["text/calendar", "application/pdf"]
    assert files[0].get_param("method") == "REQUEST"
    assert files[0].get_payload(decode=True) == ICS
    assert files[1].get_payload(decode=True) == pdf


def test_a_message_without_files_stays_multipart_alternative(app: Flask) -> None:
    outbox.enqueue(to="ann@example.org", content=with_files(), kind="test")
    uow.commit()
    assert parsed_file(app).get_content_type() == "multipart/alternative"


def test_files_are_stored_with_the_message_so_a_retry_sends_the_same_bytes(
    app: Flask, held: list
) -> None:
    row = outbox.enqueue(
        to="ann@example.org",
        content=with_files(Attachment("a.csv", "text/csv", b"x,y\r\n1,2\r\n")),
        kind="test",
    )
    uow.commit()
    stored = db.session.scalars(
        select(OutboxAttachment).where(OutboxAttachment.message_id == row.id)
    ).all()
    assert [(a.filename, a.content_type, a.data) for a in stored] == [
        ("a.csv", "text/csv", b"x,y\r\n1,2\r\n")
    ]


def test_a_non_ascii_file_name_survives_with_an_ascii_fallback(app: Flask) -> None:
    outbox.enqueue(
        to="ann@example.org",
        content=with_files(Attachment("Évaluation – café.pdf", "application/pdf", b"%PDF")),
        kind="test",
    )
    uow.commit()
    raw = next(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml")).read_bytes()
    assert raw.isascii()
    (attached,) = list(parsed_file(app).iter_attachments())
    assert attached.get_filename() == "Évaluation – café.pdf"


def test_a_long_non_ascii_name_is_split_and_no_line_is_too_long() -> None:
    name = "会議の評価報告書" * 14 + ".pdf"
    parts = Parts(
        sender="events@example.org",
        recipient="ann@example.org",
        recipient_name="",
        subject="x",
        text="x",
        html="x",
        message_id="<1@example.org>",
        attachments=(Attachment(name, "application/pdf", b"%PDF"),),
    )
    raw = build_email(parts, date=datetime(2026, 11, 30, tzinfo=UTC))
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    message = email.message_from_bytes(raw, policy=policy.default)
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == safe_filename(name)


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ('a"b;c=d.ics', "abcd.ics"),
        ("line\r\nContent-Type: text/html.ics", "html.ics"),
        ("tab\there.ics", "tab here.ics"),
        ("", "attachment"),
        ("...", "attachment"),
        ("0\xa0:", "0"),
        ("\u2003report.pdf\xa0", "report.pdf"),
        ("x" * 300 + ".ics", "x" * 116 + ".ics"),
    ],
)
def test_file_names_lose_folders_and_header_characters(given_name: str, expected: str) -> None:
    assert safe_filename(given_name) == expected
    assert Attachment(given_name, "text/plain", b"").filename == expected


@pytest.mark.parametrize(
    "content_type",
    ["text", "text/calendar\r\nBcc: x@example.org", 'text/plain; name="a\nb"', "a/b; c", "é/x", ""],
)
def test_a_malformed_content_type_is_refused(content_type: str) -> None:
    with pytest.raises(ValueError, match="MIME type"):
        Attachment("a.txt", content_type, b"")


def test_files_too_large_for_one_message_are_refused_before_queueing(app: Flask) -> None:
    half = b"x" * (MAX_ATTACHMENT_BYTES // 2 + 1)
    too_much = with_files(
        Attachment("a.bin", "application/octet-stream", half),
        Attachment("b.bin", "application/octet-stream", half),
    )
    with pytest.raises(ValueError, match="attachments come to"):
        outbox.enqueue(to="ann@example.org", content=too_much, kind="test")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_purge_deletes_the_files_with_the_personal_data(app: Flask, held: list) -> None:
    class Invitee:
        id = 41

    kept = outbox.enqueue(
        to="bob@example.org", content=with_files(Attachment("b.ics", CALENDAR, ICS)), kind="t"
    )
    purged = outbox.enqueue(
        to="ann@example.org",
        content=with_files(Attachment("a.ics", CALENDAR, ICS)),
        kind="t",
        related=Invitee(),
    )
    uow.commit()
    assert outbox.purge_related("invitee", [41], reason="Data removed") == 1
    uow.commit()
    left = db.session.scalars(select(OutboxAttachment.message_id)).all()
    assert left == [kept.id]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, purged.id).state is MessageState.WITHHELD


def test_sending_a_batch_loads_its_files_in_one_query(app: Flask, held: list) -> None:
    def queue(n: int) -> None:
        for i in range(n):
            outbox.enqueue(
                to=f"p{i}@example.org",
                content=with_files(Attachment(f"{i}.ics", CALENDAR, ICS)),
                kind="t",
            )
        uow.commit()

    def statements_to_send() -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            report = delivery.deliver()
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        assert report.failed == 0
        return len([s for s in seen if "outbox_attachment" in s])

    queue(2)
    few = statements_to_send()
    queue(30)
    many = statements_to_send()
    assert few == many == 1


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=0, max_size=40),
    data=st.binary(max_size=2000),
    text=st.text(max_size=200),
)
def test_any_name_and_bytes_round_trip_through_a_mail_parser(
    name: str, data: bytes, text: str
) -> None:
    parts = Parts(
        sender="Council <events@example.org>",
        recipient="ann@example.org",
        recipient_name="Ann",
        subject="Files",
        text=text,
        html="<p>x</p>",
        message_id="<1@example.org>",
        attachments=(Attachment(name, "application/octet-stream", data),),
    )
    raw = build_email(parts, date=datetime(2026, 11, 30, tzinfo=UTC))
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    (attached,) = list(message.iter_attachments())
    assert attached.get_payload(decode=True) == data
    assert attached.get_filename() == safe_filename(name)
    assert message["To"] == "Ann <ann@example.org>"
    assert not message.defects
