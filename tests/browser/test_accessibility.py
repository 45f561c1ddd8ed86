"""axe-core finds no violation of the WCAG 2.1 A and AA rules on any public page."""

import pytest

from tests.browser.conftest import PUBLIC_PAGES, check_accessibility, screenshots
from tests.factories import IndicatorValueFactory, ReportingRoundFactory

pytestmark = pytest.mark.django_db(transaction=True)


# Each page is loaded once, as a phone loads it, and checked there and again on a laptop after
# a resize, which lays it out anew (DKFDS's menus follow resize events): loading every page at
# each width took a third of the crawl. Two halves, which two test workers can share.
@pytest.mark.parametrize("pages", [PUBLIC_PAGES[0::2], PUBLIC_PAGES[1::2]], ids=["odd", "even"])
def test_no_public_page_violates_wcag_2_1_a_or_aa(browser, live_server, live_seed, pages):
    context = browser.new_context()
    page = context.new_page()
    violations = {}
    for path in pages:
        page.set_viewport_size({"width": 375, "height": 900})
        page.goto(live_server.url + path)
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            found = check_accessibility(page)
            if found:
                violations[f"{path} at {width} px"] = found
    context.close()

    assert violations == {}


def test_the_reporting_and_review_pages_violate_no_wcag_rule(browser, live_server, herning):
    from tests.browser.test_reporting_workflow import log_in

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations = {}

    def scan(name):
        found = check_accessibility(page)
        if found:
            violations[name] = found

    log_in(page, live_server, "skoleleder")
    scan("reporting home")
    page.get_by_role("link", name="Lindbjergskolen").click()
    scan("report form")
    page.get_by_label("Tal (elever)").fill("abc")
    page.get_by_role("button", name="Send til godkendelse").click()
    scan("report form with an error")
    page.get_by_label("Tal (elever)").fill("52")
    page.get_by_role("button", name="Send til godkendelse").click()
    page.get_by_role("button", name="Log ud").first.click()
    log_in(page, live_server, "redaktoer")
    page.goto(live_server.url + "/gennemgang/")
    scan("review queue")
    page.close()

    assert violations == {}


def test_the_catching_up_confirmation_and_upload_pages_violate_no_wcag_rule(
    page, live_server, herning, tmp_path
):
    from tests.browser.test_reporting_workflow import log_in

    school = herning.reporting_organizations.get()
    # An approved 2023 makes the several-periods page show a locked period, and 400 for 2024
    # a number to confirm.
    IndicatorValueFactory(indicator=herning, organization=school, period=2023, value=40)
    reporting_round = ReportingRoundFactory(organization=herning.organization, period=2025)
    key = f"{herning.organization.slug}/{herning.slug}"
    # One good row and three kinds of error: a number, an organization and a period.
    with_errors = tmp_path / "med-fejl.csv"
    with_errors.write_text(
        "organisation;indikator;periode;værdi\n"
        f"lindbjergskolen;{key};2025;52\n"
        f"lindbjergskolen;{key};2024;abc\n"
        f"ukendt-skole;{key};2025;10\n"
        f"lindbjergskolen;{key};2099;10\n",
        encoding="utf-8",
    )
    violations = {}

    def scan(name):
        # On a phone as well: a table that fits a laptop scrolls sideways there, and the
        # scrolling region must then be reachable by keyboard.
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            found = check_accessibility(page)
            if found:
                violations[f"{name} at {width} px"] = found
        page.set_viewport_size({"width": 1280, "height": 900})

    log_in(page, live_server, "skoleleder")
    page.goto(live_server.url + "/indberetning/lindbjergskolen/?fra=2022&periode=2024")
    scan("report form with several periods")
    page.get_by_role("group", name="Periode: 2024").get_by_label("Tal (elever)").fill("400")
    page.get_by_role("button", name="Send til godkendelse").click()
    assert page.get_by_label("Tallet er rigtigt").count() == 1
    scan("report form asking to confirm a number")
    screenshots(page, "report-confirm")

    page.get_by_role("button", name="Log ud").first.click()
    log_in(page, live_server, "redaktoer")
    page.goto(live_server.url + f"/indberetning/runder/{reporting_round.pk}/upload/")
    scan("upload page")
    screenshots(page, "upload")
    page.get_by_label("Regneark").set_input_files(with_errors)
    page.get_by_role("button", name="Upload og vis hvad der sker").click()
    assert "Filen har fejl. Intet er gemt." in page.get_by_role("alert").inner_text()
    scan("upload preview with errors")
    screenshots(page, "upload-preview-errors")
    page.goto(live_server.url + f"/indberetning/runder/{reporting_round.pk}/upload/")
    page.get_by_label("Regneark").set_input_files(
        {"name": "tekst.xlsx", "mimeType": "text/plain", "buffer": b"Bare tekst\n"}
    )
    page.get_by_role("button", name="Upload og vis hvad der sker").click()
    assert "Filen kunne ikke læses. Intet er gemt." in page.get_by_role("alert").inner_text()
    scan("upload page with an unreadable file")

    assert violations == {}
