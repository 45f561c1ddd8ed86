"""The page of what changed, in the browser: no WCAG 2.1 A or AA violation, and it fits a
phone."""

from decimal import Decimal

import pytest

from indicators.models import GoalTarget
from tests.browser.conftest import HEG, check_accessibility, screenshots
from tests.factories import IndicatorValueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_changes_page_is_accessible_and_fits_a_phone(browser, live_server, live_seed):
    target = GoalTarget.objects.get(
        indicator__slug="arselever", goal__strategy__slug="strategi-2028"
    )
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=Decimal(1460))
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    page.goto(live_server.url + HEG + "udvikling/")
    page.select_option("#id_fra", "2023")
    page.select_option("#id_til", "2024")
    page.click("text=Vis")

    assert page.url == live_server.url + HEG + "udvikling/2023-2024/"
    assert check_accessibility(page) == []
    screenshots(page, "changes")
    page.close()
