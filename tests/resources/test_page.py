"""The resources page: Annex B, the FAQs with their warning, and the Home Office contact."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from flask.testing import FlaskClient

from eventapp.accounts.models import Role, User
from eventapp.briefing.faqs import FAQS
from eventapp.resources.content import RESOURCES
from tests.conftest import login_as
from tests.handbook.test_quotes import in_handbook


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_every_signed_in_role_can_read_it_and_the_staff_menu_links_it(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    for role in Role:
        login_as(client, make_user(role))
        html = client.get("/resources/").text
        assert "Handbook resources" in html
        assert re.search(r'href="/resources/"[^>]*>\s*(<[^>]+>\s*)*Resources\s*<', html)


def test_anonymous_people_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/resources/")
    assert response.status_code == 302
    assert "sign" in response.headers["Location"]


def test_annex_b_is_listed_in_full_in_the_handbook_s_order(signed_in: FlaskClient) -> None:
    html = signed_in.get("/resources/").text
    listed = re.search(r'<ul[^>]*id="annex-b-list">(.*?)</ul>', html, re.S)
    assert listed
    items = [text_of(li) for li in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]
    assert items == [r.text for r in RESOURCES]
    assert len(items) == 9
    assert items[1] == "Slido - Audience Interaction Made Easy"


def test_the_home_office_contact_from_next_steps(signed_in: FlaskClient) -> None:
    html = signed_in.get("/resources/").text
    assert 'href="mailto:PreventCommunications@HomeOffice.gov.uk"' in html
    assert "case studies from a breadth of ideologies" in html


def test_the_twelve_faqs_with_the_statistics_warning(signed_in: FlaskClient) -> None:
    html = signed_in.get("/resources/").text
    text = text_of(html)
    assert len(FAQS) == 12
    for faq in FAQS:
        assert faq.question.text.replace("'", "&#39;") in html or faq.question.text in text
    assert (
        "Statistics are generally updated on an annual basis, so make sure to check for the "
        "latest releases when using these lines." in text
    )


def test_every_quotation_on_the_page_is_in_the_handbook(signed_in: FlaskClient) -> None:
    html = signed_in.get("/resources/").text
    quoted = re.findall(r'<q class="app-handbook-quote"[^>]*>(.*?)</q>', html, re.S)
    assert len(quoted) > 30
    for text in quoted:
        assert in_handbook(unescape(text)), text
