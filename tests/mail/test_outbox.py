"""The outbox: written in the change's transaction, sent only after commit (QUALITY 5)."""

from __future__ import annotations

import email
import logging
from collections.abc import Callable
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from eventapp import uow
from eventapp.extensions import db
from eventapp.mail import delivery, outbox
from eventapp.mail.message import BadAddressError
from eventapp.mail.models import MessageState, OutboxMessage
from eventapp.models.base import utcnow
from tests.mail.conftest import content, insert, row


def mail_files(app: Flask) -> list[Path]:
    folder = Path(app.config["MAIL_FILE_DIR"])
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def count_rows() -> int:
    return int(db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


def test_a_committed_message_is_written_as_one_eml_file(app: Flask) -> None:
    message = outbox.enqueue(to="ann@example.org", name="Ann", content=content(), kind="test")
    assert mail_files(app) == []  # nothing before commit
    uow.commit()
    files = mail_files(app)
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["To"] == "Ann <ann@example.org>"
    assert parsed["Message-ID"] == row(message.id).message_id
    assert parsed["Date"]
    assert parsed.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in parsed.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    assert row(message.id).state is MessageState.SENT


def test_a_rolled_back_change_sends_nothing(app: Flask) -> None:
    def failing_service() -> None:
        outbox.enqueue(to="ann@example.org", content=content(), kind="test")
        db.session.flush()
        raise RuntimeError("the change failed after writing its mail")

    with pytest.raises(RuntimeError):
        uow.run(failing_service)
    assert count_rows() == 0
    assert mail_files(app) == []
    # A later, successful unit of work does not send the rolled-back message either.
    uow.run(outbox.enqueue, to="bob@example.org", content=content(), kind="test")
    assert count_rows() == 1
    assert len(mail_files(app)) == 1


def test_one_transaction_sends_all_its_messages_in_one_job(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventapp.mail import jobs

    calls: list[list[int]] = []
    monkeypatch.setattr(jobs, "dispatch", lambda ids: calls.append(list(ids)))
    rows = [outbox.enqueue(to=f"p{n}@example.org", content=content(n), kind="t") for n in range(3)]
    uow.commit()
    assert calls == [[r.id for r in rows]]


def test_the_log_names_the_message_but_never_the_recipient(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="eventapp.mail")
    outbox.enqueue(
        to="private.person@example.org", name="Private Person", content=content(), kind="test"
    )
    uow.commit()
    assert "written to" in caplog.text
    assert "private.person" not in caplog.text and "Private Person" not in caplog.text


@pytest.mark.parametrize(
    "name",
    ["Ann\r\nBcc: victim@example.org", "Ann\nTo: other@example.org", "Ann, <evil@example.org>"],
)
def test_names_and_subjects_cannot_add_headers_or_recipients(app: Flask, name: str) -> None:
    """QUALITY 8: CR/LF in names or subjects cannot add a header or a recipient."""
    evil = outbox.Rendered(f"Hello\r\nBcc: victim@example.org\r\nX-Evil: 1 {name}", "t", "<p>h</p>")
    message = outbox.enqueue(to="ann@example.org", name=name, content=evil, kind="test")
    uow.commit()
    (path,) = mail_files(app)
    parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["ann@example.org"]
    assert "\n" not in parsed["Subject"] and "\r" not in parsed["Subject"]
    assert row(message.id).recipient == "ann@example.org"


@pytest.mark.parametrize(
    "address", ["ann@example.org\r\nbob@example.org", "not-an-address", "a@b@c.org", ""]
)
def test_an_unusable_address_is_refused_before_it_is_queued(app: Flask, address: str) -> None:
    with pytest.raises(BadAddressError):
        outbox.enqueue(to=address, content=content(), kind="test")


def test_html_part_is_escaped_by_render(app: Flask) -> None:
    with app.test_request_context():
        rendered = outbox.render(
            "password_reset",
            subject="Reset",
            name="<script>x</script>",
            link="https://e.example/r",
            hours=2,
        )
    assert "<script>x" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "<script>x</script>" in rendered.text  # plain text is not HTML


def test_latest_for_gives_each_recipients_newest_message(app: Flask, held: list) -> None:
    class Invitee:
        def __init__(self, id: int) -> None:  # noqa: A002
            self.id = id

    first = outbox.enqueue(to="a@example.org", content=content(), kind="t", related=Invitee(7))
    second = outbox.enqueue(to="a@example.org", content=content(), kind="t", related=Invitee(7))
    other = outbox.enqueue(to="b@example.org", content=content(), kind="t", related=Invitee(8))
    uow.commit()
    latest = outbox.latest_for("invitee", [7, 8, 9])
    assert {k: v.id for k, v in latest.items()} == {7: second.id, 8: other.id}
    assert first.id not in {v.id for v in latest.values()}


def test_purge_withholds_queued_mail_and_blanks_personal_data(app: Flask, held: list) -> None:
    class Invitee:
        id = 5

    queued = outbox.enqueue(
        to="a@example.org", name="Ann", content=content(), kind="t", related=Invitee()
    )
    sent = outbox.enqueue(
        to="a@example.org", name="Ann", content=content(), kind="t", related=Invitee()
    )
    uow.commit()
    delivery.deliver([sent.id])
    uow.run(outbox.purge_related, "invitee", [5], reason="Personal data purged")
    q, s = row(queued.id), row(sent.id)
    assert q.state is MessageState.WITHHELD and q.last_error == "Personal data purged"
    assert s.state is MessageState.SENT
    for message in (q, s):
        assert message.recipient == "" and message.recipient_name == ""
        assert message.body_text == "" and message.body_html == ""
        assert message.purged_at is not None
    assert delivery.deliver().claimed == 0


def test_retry_queues_a_failed_message_again(app: Flask, held: list) -> None:
    message = outbox.enqueue(to="a@example.org", content=content(), kind="t")
    uow.commit()
    db.session.execute(
        OutboxMessage.__table__.update().values(
            state="failed", attempts=8, finished_at=utcnow(), last_error="550 no"
        )
    )
    db.session.commit()
    assert uow.run(outbox.retry, [row(message.id)]) == 1
    assert held[-1] == [message.id]
    again = row(message.id)
    assert again.state is MessageState.QUEUED and again.attempts == 0
    assert uow.run(outbox.retry, [again]) == 0  # only failed ones


def test_sweeper_recovers_rows_stuck_in_sending_and_counts_them(app: Flask, held: list) -> None:
    message = outbox.enqueue(to="a@example.org", content=content(), kind="t")
    uow.commit()
    claimed_at = utcnow() - timedelta(hours=2)
    assert delivery.claim(db.session(), now=claimed_at + timedelta(seconds=-1), limit=10) == []
    assert delivery.claim(db.session(), now=utcnow(), limit=10) == [message.id]
    db.session.execute(OutboxMessage.__table__.update().values(claimed_at=claimed_at))
    db.session.commit()
    assert delivery.sweep(now=utcnow(), stuck_after=timedelta(hours=3)) == 0
    assert delivery.sweep(now=utcnow(), stuck_after=timedelta(hours=1)) == 1
    recovered = row(message.id)
    assert recovered.state is MessageState.RETRYING and recovered.recoveries == 1
    assert "may arrive twice" in recovered.last_error
    assert outbox.recovered_count() == 1
    assert delivery.deliver().sent == 1
    assert row(message.id).state is MessageState.SENT


def test_a_sender_whose_claim_was_swept_does_not_overwrite_the_new_state(
    app: Flask, held: list
) -> None:
    message = outbox.enqueue(to="a@example.org", content=content(), kind="t")
    uow.commit()
    now = utcnow()
    delivery.claim(db.session(), now=now, limit=1)
    delivery.sweep(now=now + timedelta(hours=2), stuck_after=timedelta(hours=1))
    assert not delivery._record(
        db.session(), message.id, now, {"state": MessageState.SENT, "sent_at": now}
    )
    db.session.commit()
    assert row(message.id).state is MessageState.RETRYING


def test_queue_mail_helper_keeps_messages_queued(
    app: Flask, queue_mail: Callable[..., list[int]]
) -> None:
    (message_id,) = queue_mail("a@example.org")
    assert row(message_id).state is MessageState.QUEUED


def test_a_message_queued_in_this_transaction_can_be_rewritten_or_withdrawn(app: Flask) -> None:
    kept = outbox.enqueue(to="ann@example.org", name="Ann", content=content(), kind="test")
    gone = outbox.enqueue(to="bob@example.org", name="Bob", content=content(), kind="test")
    db.session.flush()
    outbox.rewrite(kept, outbox.Rendered(subject="Other\nsubject", text="other", html="<p>o</p>"))
    outbox.withdraw(gone)
    uow.commit()
    files = mail_files(app)
    assert len(files) == 1  # only the kept one was stored and sent
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["To"] == "Ann <ann@example.org>"
    assert parsed["Subject"] == "Other subject"
    assert count_rows() == 1


def test_a_committed_message_can_no_longer_be_rewritten_or_withdrawn(app: Flask) -> None:
    message = outbox.enqueue(to="ann@example.org", name="Ann", content=content(), kind="test")
    uow.commit()
    with pytest.raises(ValueError, match="current transaction"):
        outbox.rewrite(message, content())
    with pytest.raises(ValueError, match="current transaction"):
        outbox.withdraw(message)


# outbox.insert_step: the same row written by one Core INSERT (the place-taking request) ---------


def _columns(message: OutboxMessage) -> dict[str, object]:
    skip = {"id", "message_id", "created_at", "next_attempt_at"}
    return {
        c.key: getattr(message, c.key) for c in OutboxMessage.__table__.columns if c.key not in skip
    }


def test_insert_writes_the_row_enqueue_writes(app: Flask) -> None:
    evil = outbox.Rendered("Hello\r\nBcc: victim@example.org", "t", "<p>h</p>")
    by_enqueue = outbox.enqueue(
        to="Ann@Example.org", name='Ann, "<evil@example.org>"', content=evil, kind="k\nind"
    )
    db.session.flush()
    before = utcnow()
    by_insert = insert(
        to="Ann@Example.org", name='Ann, "<evil@example.org>"', content=evil, kind="k\nind"
    )
    expected = _columns(by_enqueue)
    stored = row(by_insert)
    assert _columns(stored) == expected
    assert before <= stored.created_at == stored.next_attempt_at <= utcnow()
    assert stored.message_id != row(by_enqueue.id).message_id
    assert stored.message_id.startswith("<") and stored.message_id.endswith(">")


def test_insert_names_the_related_row_and_the_event(app: Flask, held: list) -> None:
    message_id = insert(
        to="ann@example.org",
        content=content(),
        kind="registration_status",
        related_type="registration",
        related_id=12,
    )
    stored = row(message_id)
    assert (stored.related_type, stored.related_id) == ("registration", 12)
    assert (stored.council_id, stored.event_id) == (None, None)
    assert outbox.latest_for("registration", [12])[12].id == message_id


@pytest.mark.parametrize("address", ["ann@example.org\r\nbob@example.org", "not-an-address", ""])
def test_insert_refuses_an_unusable_address(app: Flask, address: str) -> None:
    with pytest.raises(BadAddressError):
        insert(to=address, content=content(), kind="test")
    assert count_rows() == 0


def test_insert_takes_no_attachments(app: Flask) -> None:
    from eventapp.mail.message import Attachment

    files = outbox.Rendered("s", "t", "<p>h</p>", (Attachment("a.ics", "text/calendar", b"x"),))
    with pytest.raises(ValueError, match="enqueue"):
        insert(to="ann@example.org", content=files, kind="test")
    assert count_rows() == 0


def test_inserted_messages_are_sent_with_the_others_in_one_job_after_commit(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventapp.mail import jobs

    calls: list[list[int]] = []
    monkeypatch.setattr(jobs, "dispatch", lambda ids: calls.append(list(ids)))
    first = outbox.enqueue(to="a@example.org", content=content(1), kind="t")
    second = insert(to="b@example.org", content=content(2), kind="t")
    assert calls == []
    uow.commit()
    assert calls == [[first.id, second]]


def test_a_rolled_back_insert_sends_nothing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from eventapp.mail import jobs

    calls: list[list[int]] = []
    monkeypatch.setattr(jobs, "dispatch", lambda ids: calls.append(list(ids)))
    insert(to="a@example.org", content=content(), kind="t")
    uow.rollback()
    uow.commit()
    assert calls == [] and count_rows() == 0


def test_an_inserted_message_can_be_rewritten_or_withdrawn_by_its_id(app: Flask) -> None:
    kept = insert(to="ann@example.org", name="Ann", content=content(1), kind="test")
    gone = insert(to="bob@example.org", name="Bob", content=content(2), kind="test")
    with pytest.raises(ValueError, match="files"):
        from eventapp.mail.message import Attachment

        outbox.rewrite(
            kept, outbox.Rendered("s", "t", "h", (Attachment("a.ics", "text/calendar", b"x"),))
        )
    outbox.rewrite(kept, outbox.Rendered(subject="Other\nsubject", text="other", html="<p>o</p>"))
    outbox.withdraw(gone)
    with pytest.raises(ValueError, match="current transaction"):
        outbox.withdraw(gone)
    uow.commit()
    files = mail_files(app)
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["To"] == "Ann <ann@example.org>"
    assert parsed["Subject"] == "Other subject"
    stored = row(kept)
    assert (stored.body_text, stored.body_html) == ("other", "<p>o</p>")
    assert count_rows() == 1


def test_an_id_from_another_transaction_cannot_be_rewritten_or_withdrawn(app: Flask) -> None:
    message_id = insert(to="ann@example.org", content=content(), kind="test")
    uow.commit()
    with pytest.raises(ValueError, match="current transaction"):
        outbox.rewrite(message_id, content())
    with pytest.raises(ValueError, match="current transaction"):
        outbox.withdraw(message_id)
