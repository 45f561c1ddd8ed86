"""The API's documentation (Swagger UI, served by the portal itself) draws every endpoint in
a browser under the Content-Security-Policy, and breaks none of its rules."""

import pytest

from tests.browser.test_content_security_policy import RECORD_VIOLATIONS

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_documentation_works_under_the_policy(page, live_server):
    page.context.add_init_script(RECORD_VIOLATIONS)

    page.goto(live_server.url + "/api/v1/docs/")
    page.locator(".opblock").first.wait_for()

    assert page.locator(".opblock-summary-path", has_text="/api/v1/targets/").count() >= 1
    assert page.evaluate("window.__cspViolations") == []
