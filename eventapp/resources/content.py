"""What the resources page shows, in the handbook's words (each a registered quotation).

Annex B names its resources without web addresses (every link in the source is "#"), so the
page gives the titles as the handbook prints them and says so, rather than guessing links.
"""

from __future__ import annotations

from eventapp.handbook import Quote, quotation

ANNEX_B = "Annex B: Useful Resources"
NEXT_STEPS = "Next steps"
OFFER = "Our offer to you"
SUPPLEMENTARY = "Supplementary content"

RESOURCES: tuple[Quote, ...] = tuple(
    quotation(f"annex_b_{n}", ANNEX_B, title)
    for n, title in enumerate(
        (
            "COVID-19 communications: Community engagement and local democracy | Local "
            "Government Association",
            "Slido - Audience Interaction Made Easy",
            "Video conferencing services: using them securely - NCSC.GOV.UK",
            "Remote Council Meetings: Video conferencing and audio platforms | Local Government "
            "Association",
            "The surprising secret to speaking with confidence | Caroline Goyder | TEDxBrixton - "
            "YouTube",
            "How to Keep Attendees Engaged During Virtual Events – Eventbrite",
            "How to Run a Great Virtual Meeting",
            "How to avoid death By PowerPoint | David JP Phillips | TEDxStockholmSalon - YouTube",
            "How to avoid 'death by PowerPoint' - BBC News",
        ),
        start=1,
    )
)
Q_SLIDES_NOTE = quotation(
    "annex_b_slides_note",
    ANNEX_B,
    "NB: sometimes attendees will ask for slides after the event has finished. If this is the "
    "case and they are suitable for sharing, you may wish to make them longer than this "
    "article, and the TEDx talk above, suggest",
)

HOME_OFFICE_EMAIL = "PreventCommunications@HomeOffice.gov.uk"
Q_NEXT_STEPS = quotation(
    "next_steps_support",
    NEXT_STEPS,
    "We are always interested to hear your feedback and are available for any further support "
    "you need in setting up a programme of community engagement in your area – whether that's "
    "further resources, advice on who to invite to your first community event, gathering "
    "feedback or suggestions of topics to discuss.",
)
Q_NEXT_STEPS_CONTACT = quotation(
    "next_steps_contact",
    NEXT_STEPS,
    f"Please get in touch with {HOME_OFFICE_EMAIL} where necessary.",
)
Q_CASE_STUDIES = quotation(
    "case_studies",
    SUPPLEMENTARY,
    "We have a number of case studies from a breadth of ideologies; and CSO work, which can be "
    "used for presentations. Please get in contact with PreventCommunications@homeoffice.gov.uk "
    "for a copy.",
)
Q_ELECTED_MEMBER_HANDBOOK = quotation(
    "elected_member_handbook",
    "Elected Members",
    "We have developed an Elected Member handbook. Please get in touch with "
    "preventcommunications@homeoffice.gov.uk for a copy.",
)
Q_VIRTUAL_RESOURCES = quotation(
    "virtual_resources",
    "Tips for running a virtual roundtable",
    "A full list of resources and useful content for holding virtual events can be found at "
    "Annex B.",
)
