"""A school leader reports a value, the municipality approves it, and the public sees it."""

import pytest

from indicators.models import Metric
from municipalities.models import Membership
from tests.browser.conftest import PASSWORD
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganizationFactory,
    SchoolFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def herning_target(transactional_db):
    """Herning's goal on a series its school reports, the school leader and an editor."""
    municipality = OrganizationFactory(name="Herning Kommune", slug="herning")
    school = SchoolFactory(name="Lindbjergskolen", slug="lindbjergskolen", parent=municipality)
    indicator = IndicatorFactory(
        organization=municipality,
        name="Elever i 0. klasse",
        metric__unit="elever",
        metric__measure=Metric.Measure.COUNT,
        metric__aggregation=Metric.Aggregation.SUM,
        reporting_organizations=[school],
    )
    target = GoalTargetFactory(
        goal=GoalFactory(focus_area__strategy=StrategyFactory(owner=municipality)),
        indicator=indicator,
        baseline_period=2020,
        baseline_value=40,
        target_period=2030,
        target_value=60,
    )
    leader = UserFactory(username="skoleleder")
    MembershipFactory(user=leader, organization=school, role=Membership.Role.REPORTER)
    editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(user=editor, organization=municipality, role=Membership.Role.EDITOR)
    return target


def log_in(page, live_server, username):
    page.goto(live_server.url + "/konto/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_a_value_goes_from_the_school_through_rejection_and_approval_to_the_public_page(
    page, live_server, herning_target
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
    page.get_by_role("button", name="Gem som kladde").click()
    assert "1 tal er gemt som kladde." in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Tal (elever)").input_value() == "52"
    assert page.get_by_label("Kilde").input_value() == "Elevregistreringen 5. september"

    # The draft is saved again, changed: the form carries the saved value's revision.
    page.get_by_label("Tal (elever)").fill("53")
    page.get_by_role("button", name="Send til godkendelse").click()
    assert "1 tal er sendt til godkendelse." in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Tal (elever)").input_value() == "53"

    page.get_by_role("button", name="Log ud").first.click()
    log_in(page, live_server, "redaktoer")
    page.get_by_role("link", name="1 tal venter på godkendelse").click()
    page.get_by_label("Begrundelse").fill("Modtageklassen tæller ikke med i 0. klasse")
    page.get_by_role("button", name="Afvis").click()
    assert "sendt tilbage med din begrundelse" in page.get_by_role("status").first.inner_text()

    page.get_by_role("button", name="Log ud").first.click()
    log_in(page, live_server, "skoleleder")
    page.get_by_role("link", name="Lindbjergskolen").click()
    reason = page.locator(".alert-warning").inner_text()
    assert "Modtageklassen tæller ikke med i 0. klasse" in reason
    assert page.get_by_label("Tal (elever)").input_value() == "53"
    page.get_by_label("Tal (elever)").fill("49")
    page.get_by_label("Note").fill("Uden modtageklassen")
    page.get_by_role("button", name="Send til godkendelse").click()
    assert "1 tal er sendt til godkendelse." in page.get_by_role("status").first.inner_text()
    assert page.locator(".alert-warning").count() == 0

    page.get_by_role("button", name="Log ud").first.click()
    log_in(page, live_server, "redaktoer")
    page.get_by_role("link", name="1 tal venter på godkendelse").click()
    page.get_by_role("button", name="Godkend").click()
    assert "er godkendt og offentliggjort" in page.get_by_role("status").first.inner_text()

    page.goto(live_server.url + herning_target.get_absolute_url())
    assert "49 elever" in page.locator("table").first.inner_text().replace("\xa0", " ")
