"""A school leader reports a value, the municipality approves it, and the public sees it."""

import pytest

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.goto(live_server.url + "/konto/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_a_value_goes_from_the_school_through_approval_to_the_public_page(
    page, live_server, herning
):
    log_in(page, live_server, "skoleleder")
    page.get_by_role("link", name="Lindbjergskolen").click()
    value = page.get_by_label("Tal (elever)")
    page.get_by_label("Kilde").fill("Elevregistreringen 5. september")
    page.get_by_label("Note").fill("Inklusive modtageklassen")

    value.fill("abc")
    page.get_by_role("button", name="Send til godkendelse").click()
    assert "Skriv et tal, fx 1.384 eller 93,5." in page.locator(".form-error-message").inner_text()
    assert page.get_by_label("Kilde").input_value() == "Elevregistreringen 5. september"
    assert page.get_by_label("Note").input_value() == "Inklusive modtageklassen"

    page.get_by_label("Tal (elever)").fill("-5")
    page.get_by_role("button", name="Send til godkendelse").click()
    assert "Værdien kan ikke være negativ." in page.locator(".form-error-message").inner_text()
    assert page.get_by_label("Kilde").input_value() == "Elevregistreringen 5. september"

    page.get_by_label("Tal (elever)").fill("52")
    page.get_by_role("button", name="Send til godkendelse").click()
    assert "1 tal er sendt til godkendelse." in page.get_by_role("status").first.inner_text()

    page.get_by_role("button", name="Log ud").first.click()
    log_in(page, live_server, "redaktoer")
    page.get_by_role("link", name="1 tal venter på godkendelse").click()
    page.get_by_role("button", name="Godkend").click()
    assert "er godkendt og offentliggjort" in page.get_by_role("status").first.inner_text()

    page.goto(live_server.url + herning.get_absolute_url())
    assert "52 elever" in page.locator("table").first.inner_text().replace("\xa0", " ")
