import pytest
from tests.browser.helpers import axe_check, AXE_PATH, problems_of
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

def test_scratch(page, live_server, make_user):
    user = make_user()
    page.goto("/sign-in")
    try:
        page.add_script_tag(path=str(AXE_PATH))
        print("add_script_tag path ok; axe type:", page.evaluate("typeof window.axe"))
    except Exception as e:
        print("add_script_tag path failed:", str(e)[:300])
    print("console:", problems_of(page).console_errors)
    page.reload()
    axe_check(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    print(page.url)
    axe_check(page)
    page.goto("/events/new")
    open("/tmp/form.html","w").write(page.content())
    axe_check(page)
    print(problems_of(page))
