"""The open-data page meets WCAG 2.1 AA on a desktop and a phone, and its files download."""

import pytest

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_open_data_page_violates_no_wcag_rule(browser, live_server, live_seed, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/aabne-data/")
    assert check_accessibility(page) == []
    context.close()


def test_the_zip_downloads_from_the_page(page, live_server, live_seed):
    page.goto(live_server.url + "/aabne-data/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (strategiportalen.zip)").click()
    assert download.value.suggested_filename == "strategiportalen.zip"
