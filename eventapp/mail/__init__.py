"""Mail that is never lost or sent twice: the outbox, its senders and its jobs.

Sending a message, from a service (inside the request's unit of work)::

    from eventapp.mail import outbox

    content = outbox.render("password_reset", subject="Reset your password", link=link)
    outbox.enqueue(
        to=user.email, name=user.display_name, content=content, kind="password_reset",
        council_id=user.council_id, related=user,
    )

``enqueue`` adds an ``OutboxMessage`` row to the current transaction and registers, once per
transaction, an after-commit hook (``eventapp.uow.after_commit``). Nothing is sent unless the
transaction commits; a rolled-back request sends nothing. ``render`` reads
``templates/mail/<name>.txt`` and ``.html`` (the HTML autoescaped); a service may also build
an ``outbox.Rendered(subject, text, html)`` itself (the invitation letter does).

After commit the hook calls ``jobs.dispatch(ids)``: inline (the embedded default, and tests)
it sends at once; with ``REDIS_URL`` in production it queues an RQ job on the ``mail`` queue.

States: queued → sending → sent; a temporary failure (SMTP 4xx, a dropped connection, a
timeout) → retrying (backoff doubling from 30 s, capped at an hour, 8 tries) → sent or failed;
SMTP 5xx → failed at once, with the server's reply in ``last_error``; a purge → withheld.

- ``delivery.claim`` takes due rows with one conditional UPDATE (``FOR UPDATE SKIP LOCKED``
  on PostgreSQL), so two workers or a job delivered twice never send one message twice.
- ``delivery.sweep`` returns rows stuck in "sending" after a crash, counting the recovery.
- Senders, one per channel (``Channel``): ``FileSender`` writes ``instance/mail/*.eml``
  (the embedded default), ``SmtpSender`` uses one connection per batch with a timeout.
  GOV.UK Notify's email, SMS and letters fit as further senders.
- Pages: ``outbox.latest_for(related_type, ids)`` (each recipient's delivery state),
  ``Rendered(..., attachments=(Attachment(filename, content_type, data),))`` sends files
  (stored with the row, so a retry sends the same bytes; a purge deletes them);
  ``outbox.retry(messages)``, ``outbox.counts_by_state(...)``; a purge calls
  ``outbox.purge_related(related_type, ids, reason=...)``.
- Operators: ``flask mail send-due``, ``flask mail status``; administrators: ``/admin/outbox``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")
