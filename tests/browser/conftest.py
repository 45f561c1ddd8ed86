"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

The browser is found at $CHROMIUM (default /usr/bin/chromium). Without it these tests are
skipped, unless REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import transaction
from django.test.testcases import LiveServerThread

from indicators.models import Metric
from municipalities.models import Membership
from tests.conftest import insert_seed
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    MembershipFactory,
    OrganizationFactory,
    SchoolFactory,
    StrategyFactory,
    UserFactory,
)

# Playwright's synchronous API runs an event loop in this thread; the test code around it
# touches the database synchronously, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeServer(WSGIServer):
    """The live server without a thread per request. On SQLite every request thread shares
    the test's one in-memory connection, and two of them querying through it at once could
    hang a query for good (twice in a full run: the value list's date hierarchy, after a save
    in the admin). Answered one at a time, with each connection closed, nothing shares it."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # LiveServerThread.run() already put the shared connections in its own thread.
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATimeServer

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PROJECT_DIR = Path(__file__).resolve().parents[2]
AXE = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_DIR / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"  # the factories' password

HEG = "/strategier/heg/strategi-2028/"
# One page of each main kind, which is also visited in Swedish and English: front, strategy,
# goal, target, series, comparison, theme, working model, methodology and search.
MAIN_PAGES = [
    "/",
    HEG,
    HEG + "maal/aktivitet-1800-arselever/",
    HEG + "maal/aktivitet-1800-arselever/arselever/",
    "/organisationer/heg/indikatorer/arselever/",
    "/sammenlign/ungdomsuddannelse-efter-15-maaneder/",
    "/temaer/breddad-rekrytering/",
    "/arbejdsmodeller/reveljen-solleftea/motorfunktionen/",
    "/metode/",
    "/soeg/?q=rekruttering",
]
# Every public page of the seed data (`live_seed`) that the browser tests visit: each kind of
# page at least once, in Danish, and the main pages in all three languages.
PUBLIC_PAGES = [
    *MAIN_PAGES,
    "/strategier/",
    "/strategier/?country=SE&year=tyve",
    "/soeg/",
    "/tilgaengelighed/",
    "/organisationer/heg/",
    "/organisationer/nitus/",
    "/organisationer/herning-kommune/",
    HEG + "omraader/rekruttering/",
    HEG + "rapport/2024/",
    HEG + "rapporter/",
    HEG + "maal/areal-pr-elev/areal-pr-elev/",
    "/organisationer/herning-kommune/indikatorer/andel-unge-med-ungdomsuddannelse/",
    "/strategier/herning-kommune/uddannelsesstrategi/",
    "/strategier/herning-kommune/uddannelsesstrategi/omraader/mal-3/",
    "/strategier/herning-kommune/born-og-laering/",
    "/strategier/nitus/modellkommun-for-larcentra-2022/",
    "/strategier/hillerod-kommune/uddannelsesstrategi/",
    "/laer-af-andre/",
    "/aabne-data/",
    "/aabne-data/api/",
    "/temaer/kompetensbehov/?country=SE",
    "/sammenlign/ungdomsuddannelse-gennemfoert/?theme=kompetensbehov",
    "/organisationer/reveljen-solleftea/",
    "/findes-ikke/",
    "/konto/log-ind/",
    "/konto/glemt-adgangskode/",
    "/sv/strategier/nitus/modellkommun-for-larcentra-2022/",
    *("/sv" + path for path in MAIN_PAGES),
    *("/en" + path for path in MAIN_PAGES),
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install it or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_seed(transactional_db, live_seed_rows):
    """The seed data, committed so that the live server's thread sees it."""
    # One transaction, as loaddata's: the foreign keys are checked at its end.
    with transaction.atomic():
        insert_seed(live_seed_rows)


@pytest.fixture
def herning(transactional_db):
    """Herning with a school that reports an indicator, its school leader and an editor.
    Returns the indicator, which a published goal of Herning's targets."""
    municipality = OrganizationFactory(name="Herning Kommune", slug="herning")
    school = SchoolFactory(name="Lindbjergskolen", slug="lindbjergskolen", parent=municipality)
    indicator = GoalTargetFactory(
        goal=GoalFactory(focus_area__strategy=StrategyFactory(owner=municipality)),
        indicator__name="Elever i 0. klasse",
        indicator__metric__unit="elever",
        indicator__metric__measure=Metric.Measure.COUNT,
        indicator__metric__aggregation=Metric.Aggregation.SUM,
        indicator__reporting_organizations=[school],
        baseline_period=2020,
        baseline_value=40,
        target_period=2030,
        target_value=60,
    ).indicator
    leader = UserFactory(username="skoleleder")
    MembershipFactory(user=leader, organization=school, role=Membership.Role.REPORTER)
    editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(user=editor, organization=municipality, role=Membership.Role.EDITOR)
    return indicator


def check_accessibility(page) -> list[dict]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page; return the violations."""
    # Evaluated, not added as an inline <script>, which the pages' CSP blocks; once for each
    # page loaded, not again for each check of the same page at another width.
    if page.evaluate("typeof axe === 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                // Every rule still runs on every element; only the violations are given a
                // selector for each node, which saved a quarter of axe's time on the seed's pages.
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
            }));
        }"""
    )


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# The narrowest phone the design promises to fit (WCAG's 320 px reflow), a common phone, and
# a laptop.
SCREENSHOT_WIDTHS = (320, 375, 1280)


def screenshots(page, name: str) -> None:
    """Screenshots of the page at each of `SCREENSHOT_WIDTHS`, named `<name>-<width>`, to be
    looked at for content that is cut off; the viewport is restored after. A page wider than
    the screen (WCAG 1.4.10, reflow) fails at once: a wide table scrolls inside its own
    region instead."""
    viewport = page.viewport_size
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": viewport["height"]})
        screenshot(page, f"{name}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (
            f"{name} scrolls sideways at {width} px"
        )
    page.set_viewport_size(viewport)
