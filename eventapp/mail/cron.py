"""Periodic jobs for ``rq cron eventapp/mail/cron.py`` (RQ's cron scheduler).

- every minute: recover messages stuck in "sending" and send everything due;
- Mondays at 07:00 UTC: the weekly task digest to checklist task owners;
- every 5 minutes: joining instructions now due to confirmed attendees;
- daily at 03:00 UTC: the purge of personal data past its event's retention period;
- daily at 03:30 UTC: anonymous tables rewritten in key order (eventapp.arrival).
"""

from rq import cron

from eventapp.checklist.digest import send_digest_job
from eventapp.mail.jobs import QUEUE_NAME, send_due_job
from eventapp.registration.cli import forget_order_job, instructions_job, purge_job

cron.register(send_due_job, QUEUE_NAME, interval=60, name="mail-send-due")
cron.register(send_digest_job, QUEUE_NAME, cron="0 7 * * 1", name="task-digest")
cron.register(instructions_job, QUEUE_NAME, interval=300, name="joining-instructions")
cron.register(purge_job, QUEUE_NAME, cron="0 3 * * *", name="personal-data-purge")
cron.register(forget_order_job, QUEUE_NAME, cron="30 3 * * *", name="forget-arrival-order")
