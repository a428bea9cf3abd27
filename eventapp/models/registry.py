"""Import every model so that metadata (and Alembic) sees all tables."""

from eventapp.accounts.models import AuditEntry, Council, User
from eventapp.agenda.models import AgendaItem
from eventapp.audience.models import AudienceProfile, TargetOrganisation
from eventapp.checklist.models import ChecklistTask
from eventapp.events.models import Event, EventAim, StatusChange
from eventapp.feedback.link_models import FeedbackInvited, FeedbackLink
from eventapp.feedback.models import FeedbackAnswer, FeedbackResponse, FeedbackSettings
from eventapp.invitations.models import (
    InvitationChannel,
    InvitationLetter,
    Invitee,
    InviteeImport,
)
from eventapp.mail.models import OutboxMessage
from eventapp.objectives.models import Objective
from eventapp.once.models import FormSubmission
from eventapp.questions.models import (
    Question,
    QuestionAction,
    QuestionAllowance,
    QuestionSettings,
    QuestionVote,
)
from eventapp.registration.models import Registration, RegistrationSettings
from eventapp.tokens.models import SecretToken

__all__ = [
    "AgendaItem",
    "ChecklistTask",
    "AudienceProfile",
    "AuditEntry",
    "Council",
    "Event",
    "EventAim",
    "FeedbackAnswer",
    "FeedbackInvited",
    "FeedbackLink",
    "FeedbackResponse",
    "FeedbackSettings",
    "FormSubmission",
    "InvitationChannel",
    "InvitationLetter",
    "Invitee",
    "InviteeImport",
    "Objective",
    "OutboxMessage",
    "Question",
    "QuestionAction",
    "QuestionAllowance",
    "QuestionSettings",
    "QuestionVote",
    "Registration",
    "RegistrationSettings",
    "SecretToken",
    "StatusChange",
    "TargetOrganisation",
    "User",
]
