"""The public pages and the admin work under the Content-Security-Policy: the browser reports
no violation on any of them (settings.SECURE_CSP)."""

import pytest

from goals.models import Strategy
from tests.browser.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Chromium fires `securitypolicyviolation` on the document for each blocked script, style,
# image or frame; the init script runs before the page's own and is not subject to the policy.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
    );
});
"""


def violations_on(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    return page.evaluate("window.__cspViolations")


def test_public_pages_and_the_admin_break_no_rule_of_the_policy(page, live_server, live_seed):
    superuser = UserFactory(username="admin", is_staff=True, is_superuser=True)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.context.add_init_script(RECORD_VIOLATIONS)
    strategy = Strategy.objects.filter(owner__isnull=False).first()
    public = ["/", strategy.get_absolute_url()]

    found = {url: violations_on(page, live_server.url + url) for url in public}
    found["/admin/login/"] = violations_on(page, live_server.url + "/admin/login/")
    page.get_by_label("Brugernavn").fill(superuser.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    with page.expect_navigation():
        page.locator('input[type="submit"]').click()
    for url in ["/admin/", "/admin/goals/strategy/", "/admin/indicators/goaltarget/"]:
        found[url] = violations_on(page, live_server.url + url)

    # Logged in: the last page is the change list, with its table.
    assert page.locator("#result_list").is_visible()
    assert {url: found_here for url, found_here in found.items() if found_here} == {}
    assert [text for text in console if "Content Security Policy" in text] == []
