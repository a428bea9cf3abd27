"""The letter's merge fields and rendering: pure functions, tables of cases."""

from __future__ import annotations

import pytest

from eventapp.errors import DomainError
from eventapp.invitations import letter

VALUES = {
    "name": "Ann <b>Lee</b>",
    "event": "Roundtable",
    "area": "Thurrock",
    "date_time": "Wednesday 7 April 2027, 6pm to 8pm",
    "location": "Grays",
    "organiser": "Olivia",
    "contact": "olivia@example.gov.uk",
    "link": "https://events.example/i/abc",
}


def test_the_default_letters_use_only_known_fields_and_carry_the_link() -> None:
    for online in (True, False):
        letter.check(letter.DEFAULT_SUBJECT, letter.default_body(online=online))
        assert "((link))" in letter.default_body(online=online)
    assert "joining link before the event, once your place is confirmed" in letter.default_body(online=True)


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        ("Hi", "Dear ((nmae)) ((link))", "Remove or correct ((nmae)): the merge fields are"),
        ("Hi ((link))", "((link))", "the subject can use"),
        ("Hi ((name))", "((link))", "the subject can use"),
        ("Hi", "Dear ((name)), no link here", "Add ((link)) to the letter"),
        ("Hi", "((venue_address)) ((link))", "Remove or correct ((venue_address))"),
    ],
)
def test_unknown_fields_are_refused_with_the_valid_ones(subject: str, body: str, message: str) -> None:
    with pytest.raises(DomainError) as error:
        letter.check(subject, body)
    assert message in error.value.message
    if "merge fields are" in message:
        assert all(f"(({name}))" in error.value.message for name in letter.FIELDS)


def test_merge_fills_both_parts_and_escapes_the_html() -> None:
    merged = letter.merge(
        "Invitation: ((event))", "Dear ((name)),\n\nSee <this>: ((link))\nThanks", VALUES
    )
    assert merged.subject == "Invitation: Roundtable"
    assert merged.text.startswith("Dear Ann <b>Lee</b>,")
    assert "https://events.example/i/abc" in merged.text
    html = str(merged.html)
    assert "Ann &lt;b&gt;Lee&lt;/b&gt;" in html and "<b>" not in html
    assert "See &lt;this&gt;:" in html
    assert '<a href="https://events.example/i/abc"' in html
    assert html.count("<p>") == 2 and "<br>" in html


def test_a_value_cannot_smuggle_markup_through_the_link() -> None:
    merged = letter.merge("s", "((link))", {**VALUES, "link": '"><script>x</script>'})
    assert "<script>" not in str(merged.html)


def test_a_subject_is_one_line_whatever_the_values() -> None:
    merged = letter.merge("((event))", "((link))", {**VALUES, "event": "A\r\nBcc: x@example.org"})
    assert "\n" not in merged.subject and "\r" not in merged.subject


@pytest.mark.parametrize(
    ("general", "online", "pre", "expected"),
    [
        ("Grays", False, True, "Grays (details are sent to confirmed attendees before the event)"),
        ("Grays", False, False, "Grays"),
        ("", True, True, "Online (details are sent to confirmed attendees before the event)"),
        ("", False, True, "Details are sent to confirmed attendees before the event"),
        ("", False, False, "to be confirmed"),
    ],
)
def test_location_is_general_and_never_the_address(
    general: str, online: bool, pre: bool, expected: str
) -> None:
    assert letter.location_text(general, online=online, pre_registration=pre) == expected
