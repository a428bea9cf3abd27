"""The handbook's "Prevent FAQs": twelve misconceptions and its suggested responses, word for word.

The chair's briefing pack can include any of them; the organiser picks which. Every question
and paragraph is a registered quotation, checked against the handbook's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventapp.handbook import Quote, quotation

SECTION = "Prevent FAQs"

Q_FAQ_INTRO = quotation(
    "faq_intro",
    SECTION,
    "There are some widespread misconceptions surrounding Prevent, which do not reflect what "
    "the Prevent strategy aims to do or how it works.",
)
Q_STATISTICS = quotation(
    "faq_statistics",
    SECTION,
    "Statistics are generally updated on an annual basis, so make sure to check for the latest "
    "releases when using these lines.",
)


@dataclass(frozen=True)
class Faq:
    """One misconception: the question as the handbook asks it, and its suggested response."""

    key: str
    question: Quote
    answer: tuple[Quote, ...]


def _faq(key: str, question: str, *paragraphs: str) -> Faq:
    return Faq(
        key,
        quotation(f"faq_{key}", SECTION, question),
        tuple(quotation(f"faq_{key}_{n}", SECTION, text) for n, text in enumerate(paragraphs, 1)),
    )


FAQS: tuple[Faq, ...] = (
    _faq(
        "toxic_brand",
        "Isn't Prevent a toxic brand? Why should communities trust it?",
        (
            "Prevent, like any policy, isn't perfect – the challenges it is seeking to address "
            "are complex and shifting. We want to do the best we can to engage locally, "
            "communicate more effectively and be more transparent about the programme. We haven't"
            " historically done a good enough job, and awareness about the programme is generally"
            " low."
        ),
        (
            "But Prevent is also subject to unfair and inaccurate media reporting and "
            "campaigning, which can create a tension between how people understand the programme "
            "locally and how it works in reality. Prevent works in a similar way to other "
            "safeguarding programmes; Channel is confidential and voluntary, it doesn't target "
            "any one community. Since 2012, almost 3,000 people have been adopted to Prevent's "
            "voluntary and confidential Channel programme, which supports people who are "
            "considered to be vulnerable to exploitation from terrorist influences."
        ),
        (
            "And despite reporting that suggests this, Prevent isn't a 'toxic brand'. 58% of "
            "people who are aware of Prevent feel favourably towards it – compared with just 8% "
            "who feel unfavourably. That number rises the more we tell people about the "
            "programme, which is why community engagement is so vital. Getting out there, "
            "explaining what Prevent is and how it works, is a really important way we can help "
            "people understand Prevent and protect people who are vulnerable."
        ),
    ),
    _faq(
        "target_muslims",
        "Does the Prevent strategy target Muslims?",
        (
            "Prevent does not target a specific faith or ethnic group - it deals with all forms "
            "of terrorism, including extreme right-wing, mixed, unclear or unstable ideologies, "
            "and left-wing, anarchist, and single-issue (LASI). Prevent simply seeks to ensure "
            "that individuals who are identified as at-risk of radicalisation are offered "
            "support. Although extreme right-wing terrorism is a significantly growing threat, "
            "currently the greatest threat still comes from terrorist recruiters inspired by "
            "Daesh and Al Qa'ida."
        ),
        (
            "Anyone who is deemed to be at risk of any type of radicalisation can receive support"
            " from Channel. In 2019/20, almost half of those who were adopted as Channel cases "
            "were related to extreme right-wing radicalisation (43%, or 302 individuals), more "
            "than those related to Daesh and Al Qa'ida-inspired radicalisation (30%, or 210 "
            "individuals)."
        ),
    ),
    _faq(
        "far_right",
        "Is Prevent doing enough to tackle Far-Right extremism?",
        (
            "Prevent is implemented in a proportionate manner that takes into account the level "
            "of risk in any given area or institution. In some areas the risk of extreme "
            "right-wing terrorism may be significant and Prevent activity will therefore focus on"
            " this threat – including protecting those most likely to be vulnerable to it. In "
            "2019/20, 697 individuals were adopted as a Channel case. Of these, 43% were referred"
            " for concerns related to right-wing radicalisation."
        ),
    ),
    _faq(
        "mixed_ideology",
        (
            "Why has the number of Prevent referrals related to a mixed/unclear/unstable ideology"
            " increased?"
        ),
        (
            "The total number of referrals discussed at a Channel panel and adopted as a Channel "
            "case for individuals with a mixed, unstable or unclear ideology increased "
            "substantially by 680% (45 to 351) and 535% (20 to 127) from 2018/19 to 2019/20."
        ),
        (
            "This is likely due to a formal recognition of this type of concern by Policing and "
            "the Home Office. Guidance around this category was shared with multi-agency partners"
            " in 2019 to help them recognise broader radicalisation concerns, where individuals "
            "showed an interest in violence, without a clear ideological attachment."
        ),
    ),
    _faq(
        "rebrand",
        "Will you consider a rebrand of Prevent?",
        (
            "We recognise that there is some misunderstanding about what Prevent aims to do and "
            "how it functions in practice, which does not accurately reflect the reality of its "
            "work. This includes inaccurate media reporting and, often, the spreading of false "
            "stories about Prevent by individuals and organisations who seek to undermine the "
            "work Prevent is doing to safeguard and support vulnerable individuals."
        ),
        (
            "However, Prevent is effective in its purpose of safeguarding people from becoming "
            "terrorists or supporting terrorism. Since being launched in 2011, Prevent training "
            "has been completed over a million times to enable frontline practitioners, including"
            " teachers, to recognise the signs of radicalisation so that they know what steps to "
            "take, including, where appropriate, how to make a referral."
        ),
        (
            "We are also making the programme more transparent. We now publish data on Prevent "
            "and Channel referrals to increase transparency and understanding, and we will "
            "continue to do so on an annual basis. We will also continue to hold engagement "
            "events, and invite local communities around the country to learn more about Prevent "
            "and discuss and offer their views on the programme."
        ),
    ),
    _faq(
        "spying",
        "Does Prevent encourage spying?",
        (
            "No. There is nothing in law, in the guidance, or in any form of training that "
            "requires, authorises, or encourages any form of spying whatsoever in connection with"
            " the Prevent Duty. The Prevent Duty does not require teachers to spy on pupils or to"
            " carry out unnecessary intrusion into family life. It is about ensuring that "
            "teachers know how to identify concerns and how to refer pupils who may be at-risk of"
            " radicalisation for appropriate support."
        ),
    ),
    _faq(
        "criminal_record",
        "Does being on the Channel programme mean you get a criminal record?",
        (
            "Channel is completely confidential and voluntary. Being referred to or supported by "
            "Channel is not any form of criminal sanction; Channel is a safeguarding programme "
            "and not a programme to further an investigation. It will have no bearing on a "
            "person's education or career prospects."
        ),
    ),
    _faq(
        "referral_numbers",
        (
            "Is Prevent an outlier in terms of referral numbers versus cases, compared with other"
            " safeguarding processes?"
        ),
        (
            "Compared with other safeguarding services, Prevent makes up an extremely small "
            "percentage of overall safeguarding referrals, but for all safeguarding processes, "
            "including Prevent, the number of referrals outnumber the number of cases taken on. "
            "This is true across the safeguarding system, because after consideration by a local "
            "multi-agency safeguarding panel many referrals either require no further action, or "
            "are signposted to support elsewhere, such as mental health services."
        ),
        (
            "As the quality of referrals improves, a greater proportion are progressing into "
            "Channel - in 2019-20, only 27% of Prevent referrals required no further action, "
            "which is less than the proportion of Child Safeguarding referrals (36.5%) with this "
            "outcome."
        ),
        (
            "Over half (57%) of Prevent referrals not adopted as a case are signposted elsewhere "
            "in the safeguarding system – meaning that although these individuals are determined "
            "to not be in need of support for radicalisation, the multi-agency panel has "
            "determined that they do need help for other safeguarding concerns, which can be best"
            " managed through another appropriate safeguarding service. Sometimes, for example, a"
            " solution is rooted in social care, even though the referral initially presented as "
            "a radicalisation concern."
        ),
    ),
    _faq(
        "free_speech",
        "Isn't the Prevent Duty an attack on freedom of speech in universities?",
        (
            "The right to free speech and protest are cornerstones of British democracy, which "
            "the Government is committed to protecting. Universities in particular represent one "
            "of the most important arenas for challenging extremist views and ideologies. The "
            "Prevent strategy in no way, shape or form undermines this commitment."
        ),
        (
            "In 2019, the Government published guidance to help protect and enhance free speech "
            "on campus, to ensure they remain forums for open and robust enquiry. The Prevent "
            "Duty explicitly requires further and higher education institutions to have regard to"
            " their duty to secure freedom of speech and to have particular regard to the "
            "importance of academic freedom."
        ),
    ),
    _faq(
        "projects_effective",
        "How do you assess whether projects are effective in tackling radicalisation?",
        (
            "Evaluations are commissioned centrally by the Home Office to assess how projects are"
            " meeting Prevent delivery objectives. Local authorities who lead on commissioning "
            "projects also have internal processes that manage project delivery against local "
            "risks and threats through regular project meetings, gathering of data and narrative "
            "reports. Prospective bidders are expected to clearly describe their capability and "
            "capacity to delivery Prevent objectives. Outlining their relevant experience, track "
            "record and success in safeguarding vulnerable people as well as working within the "
            "Counter Terrorism space."
        ),
    ),
    _faq(
        "mental_health",
        "Is there a link between mental health and radicalisation?",
        (
            "Research on individuals who have engaged with terrorist activity demonstrates that "
            "there is no single socio-demographic profile or pathway that leads an individual to "
            "become involved in terrorism. Susceptibility to radicalisation depends on complex "
            "interactions between different risk factors."
        ),
        (
            "There should be no assumption that an individual who carries out a terrorist act is "
            "suffering mental ill health, nor that someone with poor mental health is likely to "
            "carry out a terrorist act."
        ),
    ),
    _faq(
        "ddp",
        "What is the Desistance and Disengagement Programme (DDP)?",
        (
            "DDP offers a range of intensive, tailored interventions and practical support "
            "designed to tackle the drivers of radicalisation and enable those engaged in "
            "terrorism and/or terrorism related activity to desist and disengage. It is delivered"
            " with a range of partners and agencies, including the police, Ministry of Justice, "
            "and Her Majesty's Prison and Probation Service, as well as academics and "
            "organisations outside of government."
        ),
        (
            "The programme runs alongside existing statutory risk assessment and management "
            "processes to ensure it bolsters and complements work being done through existing "
            "frameworks. It is not a replacement for any police investigation or prosecution "
            "response to individuals who have committed terrorism offences, either abroad or at "
            "home."
        ),
    ),
)

FAQ_KEYS = tuple(f.key for f in FAQS)
BY_KEY = {f.key: f for f in FAQS}
# The demo event is on mental health and radicalisation.
MENTAL_HEALTH = "mental_health"
