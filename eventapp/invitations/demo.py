"""Demo invitations for the handbook's example event: a letter, invitees in every delivery
state, a flyer channel, and their letters in the mail folder. Loaded once (idempotent)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import Sector
from eventapp.invitations import channels, sending, services
from eventapp.invitations.models import ChannelKind, Invitee
from eventapp.mail import outbox
from eventapp.mail.models import MessageState, OutboxMessage
from eventapp.mail.senders import FileSender
from eventapp.models.base import utcnow

PEOPLE = (
    ("Amira Shah", "a.shah@aveley-primary.example", "Aveley Primary School"),
    ("Ben Carter", "b.carter@belmont-castle.example", "Belmont Castle Academy"),
    ("Chloe Evans", "c.evans@chafford-hundred.example", "Chafford Hundred Academy"),
    ("Daniel Okafor", "d.okafor@corringham-primary.example", "Corringham Primary School"),
    ("Ella Morris", "e.morris@deneholm-primary.example", "Deneholm Primary School"),
    ("Farid Rahman", "f.rahman@gable-hall.example", "Gable Hall School"),
    ("Grace Holt", "g.holt@grays-convent.example", "Grays Convent High School"),
    ("Harry Nolan", "h.nolan@hassenbrook.example", "Hassenbrook Academy"),
    ("Isla Byrne", "i.byrne@orsett-heath.example", "Orsett Heath Academy"),
    ("Jacob Price", "j.price@st-cleres.example", "St Clere's School"),
)


def load(event: Event, organiser: User) -> list[str]:
    """Add the demo invitations unless the event already has invitees."""
    if db.session.scalar(select(Invitee.id).where(Invitee.event_id == event.id).limit(1)):
        return []
    if not event.public_location:
        event.public_location = "Grays"
    saved = services.get_letter(event, organiser)
    services.save_letter(
        event=event,
        actor=organiser,
        details=services.LetterDetails(
            subject=saved.subject,
            body=saved.body,
            contact_name=organiser.display_name,
            contact_details=organiser.email,
            pre_registration=True,
            version=saved.version,
        ),
    )
    for name, email, school in PEOPLE:
        services.add_invitee(
            event=event,
            actor=organiser,
            details=services.InviteeDetails(
                name=name,
                email=email,
                organisation=school,
                sector=Sector.EDUCATION_SCHOOLS,
                role="Designated safeguarding lead",
            ),
        )
    channels.add_channel(
        event=event, actor=organiser, kind=ChannelKind.FLYER, label="Flyers at Grays library"
    )
    uow.commit()
    # The letters go out (written to the mail folder), then a few get the other states a
    # real mail-out shows: a refusal, a retry, one waiting, one in flight, one purged.
    uow.run(sending.send_invitations, event=event, actor=organiser, invitee_ids=None)
    _vary_states(event)
    return ["its invitations (letters in instance/mail/)"]


def _vary_states(event: Event) -> None:
    invitees = list(
        db.session.scalars(select(Invitee).where(Invitee.event_id == event.id).order_by(Invitee.id))
    )
    now = utcnow()
    states: dict[int, dict[str, Any]] = {
        1: {
            "state": MessageState.FAILED,
            "finished_at": now,
            "sent_at": None,
            "last_error": "550 5.1.1 The email account that you tried to reach does not exist",
        },
        2: {
            "state": MessageState.RETRYING,
            "sent_at": None,
            "finished_at": None,
            "next_attempt_at": now + timedelta(minutes=20),
            "last_error": "451 4.7.1 Greylisted, please try again later",
        },
        3: {"state": MessageState.QUEUED, "sent_at": None, "finished_at": None, "attempts": 0},
        4: {"state": MessageState.SENDING, "sent_at": None, "finished_at": None, "claimed_at": now},
    }
    for position, values in states.items():
        message_id = invitees[position].last_message_id
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
        )
    purged = invitees[5]
    outbox.purge_related("invitee", [purged.id], reason="Personal data removed after the event")
    message = db.session.get(OutboxMessage, purged.last_message_id)
    if message is not None:
        # As if the purge came before the send: withheld, and no letter in the folder.
        message.state = MessageState.WITHHELD
        directory = current_app.config.get("MAIL_FILE_DIR") or f"{current_app.instance_path}/mail"
        FileSender(directory).path_for(message.id, message.kind).unlink(missing_ok=True)
    purged.name, purged.email, purged.organisation, purged.role = "", None, "", ""
    purged.purged_at = now
    for opened in invitees[6:9]:
        opened.opened_at = now - timedelta(days=1)
    channel = channels.list_channels(event)[0]
    channel.opens = 7
    uow.commit()
