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
    "/strategier/herning-kommune/uddannelsesstrategi/",
    "/strategier/herning-kommune/uddannelsesstrategi/omraader/mal-3/",
    "/strategier/herning-kommune/born-og-laering/",
    "/strategier/nitus/modellkommun-for-larcentra-2022/",
    "/strategier/hillerod-kommune/uddannelsesstrategi/",
    "/findes-ikke/",
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
