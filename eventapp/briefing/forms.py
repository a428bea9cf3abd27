"""The form for choosing the handbook's FAQs for the chair's pack."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from wtforms import SelectMultipleField, SubmitField
from wtforms.validators import Optional

from eventapp.briefing.faqs import FAQS
from eventapp.edits import Versioned
from eventapp.forms import BaseForm, options


class FaqsForm(Versioned, BaseForm):
    faqs = SelectMultipleField(
        "Which questions should the pack include?",
        description="Select all that apply. The pack gives the handbook's suggested response "
        "to each.",
        choices=options((f.key, f.question.text) for f in FAQS),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        invalid_choice_message="Select questions from the list",
    )
    submit = SubmitField("Save questions", widget=GovSubmitInput())
