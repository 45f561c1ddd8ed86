"""A citizen follows links from the front page to HEG's 1,800 årselever and downloads them."""

import csv
import io

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

JOURNEYS = {
    "da": {
        "start": "/",
        "links": [
            "Himmerlands Erhvervs- og Gymnasieuddannelser",
            "Strategi 2028",
            "Rekruttering",
            "Årselever",
        ],
        "chart": "Diagram: Årselever",
        "summary": "1.384 årselever i 2023. Målet er mindst 1.800 årselever i 2028.",
        "download": "Hent tallene som CSV",
    },
    "en": {
        "start": "/en/",
        "links": [
            "Himmerlands Erhvervs- og Gymnasieuddannelser",
            "Strategi 2028",
            "Rekruttering",
            "Årselever",
        ],
        "chart": "Chart: Årselever",
        "summary": "1,384 årselever in 2023. The target is at least 1,800 årselever in 2028.",
        "download": "Download the values as CSV",
    },
}


@pytest.mark.parametrize("language", JOURNEYS)
def test_a_citizen_reaches_hegs_1800_target_and_downloads_its_figures(
    page, live_server, live_seed, language
):
    journey = JOURNEYS[language]
    page.goto(live_server.url + journey["start"])

    for link in journey["links"]:
        page.get_by_role("link", name=link, exact=True).first.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Årselever"
    assert page.get_by_role("img", name=journey["chart"]).is_visible()
    assert page.locator("table").first.is_visible()
    assert journey["summary"] in page.locator(".font-lead").inner_text().replace("\xa0", " ")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=journey["download"]).click()
    content = download_info.value.path().read_text(encoding="utf-8")
    rows = {row["periode"]: row for row in csv.DictReader(io.StringIO(content))}
    assert rows["2023"]["vaerdi"] == "1384"
    assert rows["2028"]["maal"] == "1800"


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_front_strategy_and_indicator_pages(
    browser, live_server, live_seed, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    pages = {
        "front": "/",
        "strategy": "/strategier/heg/strategi-2028/",
        "indicator": "/strategier/heg/strategi-2028/maal/aktivitet-1800-arselever/arselever/",
    }
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200
        screenshot(page, f"{name}-{width}")
    context.close()


def test_without_javascript_the_menu_is_in_the_page_on_a_phone(browser, live_server, live_seed):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")

    menu = page.get_by_role("navigation", name="Hovedmenu").first

    assert menu.is_visible()
    assert menu.get_by_role("link", name="Strategier").is_visible()
    context.close()


def test_a_citizen_goes_from_hegs_target_to_the_whole_series_of_arselever(
    page, live_server, live_seed
):
    page.goto(live_server.url + "/strategier/heg/strategi-2028/maal/aktivitet-1800-arselever/")
    page.get_by_role("link", name="Årselever", exact=True).click()

    page.get_by_role("link", name="Se indikatorens hele tidsserie").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Årselever"
    assert "1.384 årselever" in page.locator("table").first.inner_text().replace("\xa0", " ")
    page.get_by_role("link", name="Skolens aktivitet stiger", exact=False).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Årselever"  # back at the target
