"""Words that promise what the service will do are true: each is tied to the tests that prove it.

A page or email that tells people what will happen ("We will email you …", "they get an email
…") makes a promise. Every such promise is registered below with the words it is made in and
the tests that exercise exactly that behaviour end to end (the email is queued to the right
person at the right time, the page shows what it says). A scanner reads every text the service
shows, from templates and Python, and finds the sentences that sound like a promise: each must
be a registered promise or an explicit exclusion with its reason. So a new promise fails here
until it is tied to a test that proves it, and a promise whose words are gone, or whose proof
is gone, fails too.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.handbook.test_quotes import ROOT, _shown_texts


@dataclass(frozen=True)
class Promise:
    words: str  # a distinctive part of the sentence, as shown ("{}" for a value filled in)
    proof: tuple[str, ...]  # pytest node ids of the tests that show the service keeps it


@dataclass(frozen=True)
class Exclusion:
    where: str  # the file the words are in
    words: str  # the words excluded; "" for every sentence of the file
    reason: str


CANARY = "tests/registration/test_venue_canary.py"
PUBLIC_FORM = "tests/registration/test_public_form.py"
ORGANISER = "tests/registration/test_organiser.py"
# The venue address or joining link: held back from everyone until the release time, then
# emailed (and shown on the own page) to confirmed attendees only; at once to anyone confirmed
# after it.
DETAILS_SENT_ONCE_CONFIRMED = (
    f"{CANARY}::test_canary_is_only_where_it_belongs",
    f"{CANARY}::test_confirmed_after_release_gets_instructions_at_once",
)

PROMISES = (
    # My tasks, after choosing yes.
    Promise(
        "You will get the weekly email of your tasks",
        (
            "tests/invitations/test_digest.py::test_turning_the_digest_back_on_sends_it",
            "tests/invitations/test_digest.py::test_owners_get_due_and_overdue_tasks_once_a_week",
        ),
    ),
    # The default invitation letter for an online event.
    Promise(
        "We will send you the joining link before the event, once your place is confirmed",
        DETAILS_SENT_ONCE_CONFIRMED,
    ),
    # The invitation letter's location and the flyer, when people must register first.
    Promise("details are sent to confirmed attendees before the event", DETAILS_SENT_ONCE_CONFIRMED),
    # The public registration form's email field.
    Promise(
        "We will send you a link to confirm it",
        (f"{PUBLIC_FORM}::test_register_confirm_and_see_own_page",),
    ),
    # Registration settings: the hours before the start to send the venue address or link.
    Promise(
        "Confirmed attendees get it then; anyone confirmed later gets it at once",
        (
            f"{ORGANISER}::test_an_update_before_the_release_time_goes_with_the_joining_instructions",
            *DETAILS_SENT_ONCE_CONFIRMED,
        ),
    ),
    # The joining instructions email.
    Promise(
        "After the event we will ask you to fill in a short anonymous feedback form",
        (
            "tests/feedback/test_links.py::test_feedback_page_sends_links_and_shows_the_rate",
            "tests/feedback/test_links.py::test_links_go_to_attendees_once",
            "tests/feedback/test_links.py::test_which_link_gave_which_response_cannot_be_told",
        ),
    ),
    # The email saying a place is confirmed.
    Promise("We will email you the {} before the event", DETAILS_SENT_ONCE_CONFIRMED),
    # The own page of a confirmed registrant, before the release time.
    Promise(
        "We will email you the {} on {}, and it will be shown here", DETAILS_SENT_ONCE_CONFIRMED
    ),
    # The waiting-list email and own page.
    Promise(
        "goes to the next person on the list",
        (f"{PUBLIC_FORM}::test_full_event_offers_waiting_list_and_cancel_promotes",),
    ),
    # The email and own page of a registration waiting for the organiser's approval.
    Promise(
        "we will email you when they have decided",
        (f"{ORGANISER}::test_a_pending_registrant_is_emailed_when_the_organiser_decides",),
    ),
    # The registrations page of an event without the venue address or joining link it needs.
    Promise(
        "Confirmed attendees are sent their joining instructions only once you add it",
        (f"{CANARY}::test_the_joining_link_is_held_back_until_there_is_one",),
    ),
    # The organiser sends an update before the release time.
    Promise(
        "Update saved: confirmed attendees get it with their joining instructions",
        (
            f"{ORGANISER}::test_an_update_before_the_release_time_goes_with_the_joining_instructions",
        ),
    ),
    # Adding a user.
    Promise(
        "We will email them a link to set their own password",
        (
            "tests/accounts/test_account_setup.py::test_adding_a_user_emails_them_a_set_up_link_after_commit",
            "tests/accounts/test_account_setup.py::test_the_link_sets_the_password_once",
        ),
    ),
    # Asking for a password reset.
    Promise(
        "We will email you a link to choose a new password",
        (
            "tests/password_reset/test_password_reset.py::test_a_reset_link_is_emailed_and_works_once",
        ),
    ),
    # Choosing a new password from the reset link.
    Promise(
        "Every device signed in to your account will be signed out",
        ("tests/password_reset/test_password_reset.py::test_resetting_ends_every_session",),
    ),
    # Changing one's password.
    Promise(
        "You will stay signed in here",
        (
            "tests/accounts/test_sessions.py::test_password_change_keeps_this_session_and_ends_others",
        ),
    ),
    Promise(
        "Any other device signed in to your account will be signed out",
        (
            "tests/accounts/test_sessions.py::test_password_change_keeps_this_session_and_ends_others",
        ),
    ),
    # Uploading invitees.
    Promise(
        "you will see every row that cannot be imported, with the reason",
        (
            "tests/invitations/test_pages.py::test_upload_reports_every_bad_row_and_imports_nothing_until_confirmed",
        ),
    ),
    # A follow-up action on a question whose named asker agreed to be told.
    Promise(
        "When you mark this action done, they get an email with the question and what you write here",
        (
            "tests/questions/test_registrants.py::test_a_done_action_emails_only_named_askers_who_agreed",
            "tests/questions/test_registrants.py::test_the_action_form_warns_the_organiser_that_the_asker_is_emailed",
        ),
    ),
    # The event form's introductory video.
    Promise(
        "If you play it, the feedback form asks whether it helped",
        (
            "tests/feedback/test_public_form.py::test_rendered_page_has_every_stem_and_option_in_annex_a_order",
            "tests/feedback/test_public_form.py::test_video_question_and_options_only_when_they_applied",
        ),
    ),
    # The resources page's FAQs.
    Promise(
        "You can include any of these in an event's chair's briefing pack",
        (
            "tests/briefing/test_faqs.py::test_the_pack_shows_the_chosen_faqs_with_the_statistics_warning",
            "tests/resources/test_page.py::test_the_twelve_faqs_with_the_statistics_warning",
        ),
    ),
)

EXCLUSIONS = (
    Exclusion(
        "eventapp/briefing/faqs.py",
        "",
        "the handbook's FAQ answers, quoted word for word: the Home Office's commitments "
        "(publishing data yearly, holding engagement events), not the service's",
    ),
    Exclusion(
        "templates/notices/accessibility.html",
        "",
        "the accessibility statement: the council's own commitments (answering a request for "
        "another format within 10 working days, fixing the known issues, an audit by hand), "
        "not something the service does",
    ),
    Exclusion(
        "eventapp/audience/forms.py",
        "Where do they get information",
        "a question the organiser answers about their audience",
    ),
    Exclusion(
        "eventapp/invitations/forms.py",
        "Do people need to register before they get the venue address or joining link",
        "a question the organiser answers (the setting's label)",
    ),
)

# A sentence that tells people what the service will do.
PROMISE_LIKE = re.compile(
    r"(?i)\b(we will|we['’]ll|will be (sent|emailed|told|listed|shown|signed out)"
    r"|you will (get|receive|be|see|stay)|is sent|are sent|gets? (it|an email)|they get)\b"
)


def _normal(text: str) -> str:
    return " ".join(text.replace("'", "’").split()).casefold()


# --- what people read ---------------------------------------------------------------------

INLINE = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong", "time"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
BREAK = "\n\n"


def _jinja_end(source: str, start: int, close: str) -> int:
    """The index after the ``close`` that ends the tag opened at ``start``: quotes respected."""
    at, quote, depth = start + 2, "", 0
    while at < len(source):
        char = source[at]
        if quote:
            if char == "\\":
                at += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif source.startswith(close, at) and depth == 0:
            return at + 2
        elif char in ")]}":
            depth -= 1
        at += 1
    return len(source)


def _template_chunks(source: str) -> list[str]:
    """The flowing text of a template, and each string literal inside its Jinja tags apart.

    An expression becomes "{}" in the text; a statement ({% if %}) disappears; a block-level
    HTML tag ends a sentence, an inline one does not.
    """
    literals: list[str] = []
    text: list[str] = []
    at = 0
    while at < len(source):
        opening = re.compile(r"\{\{|\{%").search(source, at)
        if opening is None:
            text.append(source[at:])
            break
        text.append(source[at : opening.start()])
        expression = opening.group() == "{{"
        end = _jinja_end(source, opening.start(), "}}" if expression else "%}")
        inside = source[opening.start() + 2 : end - 2]
        literals += [a or b for a, b in STRING.findall(inside) if (a or b).strip()]
        text.append("{}" if expression else "")
        at = end

    def tag(match: re.Match[str]) -> str:
        return "" if match.group(2).lower() in INLINE else BREAK

    flowing = TAG.sub(tag, "".join(text))
    return [html.unescape(TAG.sub(tag, chunk)) for chunk in [flowing, *literals]]


def shown_chunks(texts: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for where, text in texts:
        if where.endswith(".html"):
            yield from ((where, chunk) for chunk in _template_chunks(text))
        else:
            yield where, text


def sentences(texts: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for where, chunk in shown_chunks(texts):
        for part in chunk.split(BREAK):
            for sentence in re.split(r"(?<=[.!?])\s+", " ".join(part.split())):
                if sentence:
                    yield where, sentence


def places_saying(words: str, texts: list[tuple[str, str]]) -> list[str]:
    wanted = _normal(words)
    return sorted({where for where, chunk in shown_chunks(texts) if wanted in _normal(chunk)})


def unregistered_promises(
    texts: list[tuple[str, str]],
    promises: tuple[Promise, ...] = PROMISES,
    exclusions: tuple[Exclusion, ...] = EXCLUSIONS,
) -> list[str]:
    """The promise-like sentences no registered promise or exclusion covers."""
    found = []
    for where, sentence in sentences(texts):
        if not PROMISE_LIKE.search(sentence):
            continue
        said = _normal(sentence)
        if any(_normal(p.words) in said for p in promises):
            continue
        if any(e.where == where and _normal(e.words) in said for e in exclusions):
            continue
        found.append(f"{where}: {sentence}")
    return found


def proof_problems(node_id: str) -> list[str]:
    """What is wrong with a pytest node id: the file or the test it names is missing."""
    path, _, name = node_id.partition("::")
    if not name or not path.startswith("tests/") or not path.endswith(".py"):
        return [f"{node_id}: not tests/<file>.py::<test>"]
    if not ROOT.joinpath(path).is_file():
        return [f"{node_id}: no file {path}"]
    found: object = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    for part in re.sub(r"\[.*\]$", "", name).split("::"):
        found = getattr(found, part, None)
        if found is None:
            return [f"{node_id}: no {part} in {path}"]
    if not callable(found) or not name.split("::")[-1].startswith("test"):
        return [f"{node_id}: not a test"]
    return []


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shown() -> list[tuple[str, str]]:
    return _shown_texts()


@pytest.mark.parametrize("promise", PROMISES, ids=[p.words for p in PROMISES])
def test_every_registered_promise_is_still_made(
    promise: Promise, shown: list[tuple[str, str]]
) -> None:
    assert places_saying(promise.words, shown), (
        f"nothing says “{promise.words}” any more: remove it from PROMISES (or correct its words)"
    )


@pytest.mark.parametrize("promise", PROMISES, ids=[p.words for p in PROMISES])
def test_every_promise_names_tests_that_exist(promise: Promise) -> None:
    assert promise.proof, f"“{promise.words}” has no test that proves it"
    problems = [problem for node_id in promise.proof for problem in proof_problems(node_id)]
    assert not problems, problems


def test_every_exclusion_still_applies(shown: list[tuple[str, str]]) -> None:
    for exclusion in EXCLUSIONS:
        assert ROOT.joinpath(exclusion.where).is_file(), exclusion.where
        assert exclusion.where in places_saying(exclusion.words, shown), exclusion
        assert exclusion.reason


def test_every_promise_the_service_makes_is_registered(shown: list[tuple[str, str]]) -> None:
    unregistered = unregistered_promises(shown)
    assert not unregistered, (
        "these sentences promise what the service will do: add each to PROMISES with the tests "
        "that prove it (or to EXCLUSIONS with the reason it is not the service's promise):\n"
        + "\n".join(unregistered)
    )


def test_the_scanner_reads_templates_as_people_do() -> None:
    page = (
        '<p class="govuk-body">Your place is confirmed. We will email you the '
        '{{ "joining link" if online else "venue address" }}{% if at %} on {{ at }}{% endif %}'
        ", and it will be shown here.</p><p>{{ govukInput({'hint': {'text': 'They get it "
        "at once.'}}) }}</p><p>No <strong>promise</strong> here.</p>"
    )
    found = list(sentences([("templates/x.html", page)]))
    for sentence in (
        "Your place is confirmed.",
        "We will email you the {} on {}, and it will be shown here.",
        "No promise here.",
        "joining link",
        "venue address",
        "They get it at once.",
    ):
        assert ("templates/x.html", sentence) in found
    assert not [s for _, s in found if re.search(r"[<>]|\{\{|\{%", s)]


def test_the_scanner_catches_a_planted_unregistered_promise(shown: list[tuple[str, str]]) -> None:
    planted = [
        ("templates/planted.html", "<p>Thank you. We will text you a reminder the day before.</p>"),
        ("eventapp/planted.py", "Your organiser gets an email when you cancel."),
    ]
    assert unregistered_promises(shown + planted) == [
        "templates/planted.html: We will text you a reminder the day before.",
        "eventapp/planted.py: Your organiser gets an email when you cancel.",
    ]
    # A registered promise in a new place is covered; an exclusion holds only in its own file.
    moved = [
        ("templates/planted.html", "<p>We will email you a link to choose a new password.</p>"),
        ("templates/planted.html", "<p>Where do they get information?</p>"),
    ]
    assert unregistered_promises(moved) == [
        "templates/planted.html: Where do they get information?"
    ]


def test_a_planted_bad_proof_is_caught() -> None:
    good = "tests/registration/test_public_form.py::test_register_confirm_and_see_own_page"
    assert proof_problems(good) == []
    assert proof_problems(good + "[param]") == []
    for bad in (
        "tests/registration/test_public_form.py::test_no_such_test",
        "tests/registration/test_no_such_file.py::test_register_confirm_and_see_own_page",
        "tests/registration/test_public_form.py",
        "tests/registration/test_public_form.py::registration",
    ):
        assert proof_problems(bad), bad


def test_the_words_are_written_as_people_read_them() -> None:
    for promise in PROMISES:
        assert promise.words == promise.words.strip()
        assert not re.search(r"\s{2}", promise.words)
        assert len(set(promise.proof)) == len(promise.proof), promise.words
    assert len({_normal(p.words) for p in PROMISES}) == len(PROMISES)
