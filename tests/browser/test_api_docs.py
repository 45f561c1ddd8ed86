"""The API's documentation (Swagger UI, served by the portal itself) draws every endpoint in
a browser under the Content-Security-Policy and breaks none of its rules; the developers'
page about the API passes axe."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_documentation_works_under_the_policy(page, live_server):
    page.context.add_init_script(RECORD_VIOLATIONS)

    page.goto(live_server.url + "/api/v1/docs/")
    page.locator(".opblock").first.wait_for()

    assert page.locator(".opblock-summary-path", has_text="/api/v1/targets/").count() >= 1
    assert page.evaluate("window.__cspViolations") == []


def test_the_developers_page_is_accessible(page, live_server):
    page.goto(live_server.url + reverse("portal:api_docs"))

    assert page.get_by_role("heading", name="API for udviklere").is_visible()
    assert check_accessibility(page) == []
