"""axe-core finds no violation of the WCAG 2.1 A and AA rules on any public page."""

import pytest

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.django_db(transaction=True)

HEG = "/strategier/heg/strategi-2028/"
PAGES = [
    "/",
    "/strategier/",
    "/strategier/?country=SE&year=tyve",
    "/soeg/?q=rekruttering",
    "/soeg/",
    "/metode/",
    "/tilgaengelighed/",
    "/organisationer/heg/",
    "/organisationer/nitus/",
    "/organisationer/herning-kommune/",
    HEG,
    HEG + "omraader/rekruttering/",
    HEG + "maal/aktivitet-1800-arselever/",
    HEG + "maal/aktivitet-1800-arselever/arselever/",
    HEG + "maal/areal-pr-elev/areal-pr-elev/",
    "/organisationer/heg/indikatorer/arselever/",
    "/organisationer/herning-kommune/indikatorer/andel-unge-med-ungdomsuddannelse/",
    "/strategier/herning-kommune/uddannelsesstrategi/",
    "/strategier/herning-kommune/uddannelsesstrategi/omraader/mal-3/",
    "/strategier/herning-kommune/born-og-laering/",
    "/strategier/nitus/modellkommun-for-larcentra-2022/",
    "/strategier/hillerod-kommune/uddannelsesstrategi/",
    "/laer-af-andre/",
    "/temaer/breddad-rekrytering/",
    "/temaer/kompetensbehov/?country=SE",
    "/arbejdsmodeller/reveljen-solleftea/motorfunktionen/",
    "/sammenlign/ungdomsuddannelse-efter-15-maaneder/",
    "/sammenlign/ungdomsuddannelse-gennemfoert/?theme=kompetensbehov",
    "/organisationer/reveljen-solleftea/",
    "/findes-ikke/",
    "/konto/log-ind/",
    "/konto/glemt-adgangskode/",
    "/en/",
    "/en" + HEG + "maal/aktivitet-1800-arselever/arselever/",
    "/sv/strategier/nitus/modellkommun-for-larcentra-2022/",
]


@pytest.mark.parametrize("width", [1280, 375])
def test_no_public_page_violates_wcag_2_1_a_or_aa(browser, live_server, live_seed, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    violations = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        found = check_accessibility(page)
        if found:
            violations[path] = found
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
