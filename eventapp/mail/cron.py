"""Periodic jobs for ``rq cron eventapp/mail/cron.py`` (RQ's cron scheduler).

- every minute: recover messages stuck in "sending" and send everything due;
- Mondays at 07:00 UTC: the weekly task digest to checklist task owners.
"""

from rq import cron

from eventapp.checklist.digest import send_digest_job
from eventapp.mail.jobs import QUEUE_NAME, send_due_job

cron.register(send_due_job, QUEUE_NAME, interval=60, name="mail-send-due")
cron.register(send_digest_job, QUEUE_NAME, cron="0 7 * * 1", name="task-digest")
