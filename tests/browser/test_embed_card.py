"""The progress card in a browser: accessible, whole at 300 × 200 CSS pixels, and shown in a
frame on a website its organization lists, but not on another."""

from decimal import Decimal

import pytest

from indicators.models import GoalTarget
from indicators.periods import PeriodKind
from municipalities.models import Organization
from tests.browser.conftest import check_accessibility, screenshot, screenshots
from tests.factories import GoalTargetFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEG_TARGET = "/strategier/heg/strategi-2028/maal/aktivitet-1800-arselever/arselever/"
# Chromium keeps a page on a public website from framing one on this machine (Local Network
# Access), so the portal is reached under a public name too: Playwright answers the websites
# and passes the portal's requests on to the live server, headers included.
PORTAL = "http://strategiportal.example"
ALLOWED = "http://www.heg.example"
NOT_ALLOWED = "http://www.andet.example"


def fits(page) -> bool:
    """Whether the document fits the viewport without scrolling either way."""
    return page.evaluate(
        """() => document.documentElement.scrollWidth <= window.innerWidth
            && document.documentElement.scrollHeight <= window.innerHeight"""
    )


def crowded_target() -> GoalTarget:
    """A card with everything at its longest: names, a range in school years with decimals,
    an illustrative value, and the status of a target with values enough to judge."""
    target = GoalTargetFactory(
        goal__focus_area__strategy__owner__short_name="CFL – centrum för flexibelt lärande",
        indicator__name=(
            "Andel elever og studerende på erhvervsuddannelserne, der gennemfører et "
            "struktureret onboardingforløb i første skoleår"
        ),
        indicator__metric__period_kind=PeriodKind.SCHOOL_YEAR,
        indicator__metric__decimals=1,
        indicator__metric__unit="procentpoint",
        direction=GoalTarget.Direction.RANGE,
        baseline_period=2014,
        baseline_value=Decimal("1000.5"),
        target_period=2029,
        target_value=Decimal("2000.5"),
        target_value_max=Decimal("2500.5"),
    )
    for period in range(2014, 2025):
        IndicatorValueFactory(
            indicator=target.indicator,
            period=period,
            value=Decimal(1000 + 90 * (period - 2014)),
            is_illustrative=period == 2024,
        )
    # The longest status.
    IndicatorValueFactory(indicator=target.indicator, period=2025, value=Decimal(1500))
    return target


def test_cards_are_accessible_and_fit_300_by_200_pixels(page, live_server, live_seed):
    """Every published seed target's card and a crowded one in Danish, and HEG's in Swedish
    and English."""
    targets = GoalTarget.objects.public().select_related("goal__strategy__owner", "indicator")
    cards = [target.get_absolute_url() + "kort/" for target in [*targets, crowded_target()]]
    cards += ["/sv" + HEG_TARGET + "kort/", "/en" + HEG_TARGET + "kort/"]
    page.set_viewport_size({"width": 300, "height": 200})
    for index, card in enumerate(cards):
        assert page.goto(live_server.url + card).status == 200, card
        screenshot(page, f"embed-card-{index}-300x200")
        assert fits(page), f"{card} scrolls at 300 × 200"
        assert check_accessibility(page) == [], card
    # Wider, as an editor may make the frame: the card flows on.
    page.set_viewport_size({"width": 320, "height": 200})
    page.goto(live_server.url + cards[0])
    screenshot(page, "embed-card-0-320x200")
    assert fits(page)


def embedding_page(card: str) -> str:
    return (
        '<!DOCTYPE html><html lang="da"><head><title>Kommunens side</title></head><body>'
        f'<iframe src="{card}" width="300" height="200" title="Fremdrift" loading="lazy">'
        "</iframe></body></html>"
    )


def test_a_listed_website_shows_the_card_in_a_frame_and_another_cannot(
    page, live_server, live_seed
):
    heg = Organization.objects.get(slug="heg")
    heg.embed_origins = ALLOWED
    heg.save()
    card = f"{PORTAL}{HEG_TARGET}kort/"
    context = page.context
    context.route(
        f"{PORTAL}/**",
        lambda route: route.fulfill(
            response=route.fetch(url=route.request.url.replace(PORTAL, live_server.url))
        ),
    )
    for origin in (ALLOWED, NOT_ALLOWED):
        context.route(
            f"{origin}/",
            lambda route: route.fulfill(content_type="text/html", body=embedding_page(card)),
        )
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.set_viewport_size({"width": 400, "height": 300})

    page.goto(ALLOWED + "/")
    frame = page.frame_locator("iframe")
    frame.locator("h1").wait_for()
    screenshot(page, "embed-card-framed")
    assert frame.locator("h1").inner_text() == "Årselever"
    assert failed == []
    link = frame.get_by_role("link", name="Se hele målet på Strategiportalen")
    assert link.get_attribute("target") == "_top"
    # The link opens the target page in the whole window, not in the frame.
    link.click()
    page.wait_for_url(f"{PORTAL}{HEG_TARGET}")

    page.goto(NOT_ALLOWED + "/")
    page.wait_for_load_state("load")
    assert page.frames[1].url != card
    assert page.frames[1].locator("h1.embed-card__name").count() == 0


def test_the_target_pages_iframe_code_is_accessible_and_fits_a_phone(page, live_server, live_seed):
    page.goto(live_server.url + HEG_TARGET)
    page.get_by_text("Vis kortet på jeres hjemmeside").click()
    code = page.get_by_label("Kode til kortet (HTML)")

    assert code.input_value().startswith(f'<iframe src="{live_server.url}{HEG_TARGET}kort/"')
    assert code.get_attribute("readonly") is not None
    assert check_accessibility(page) == []
    code.scroll_into_view_if_needed()
    screenshots(page, "embed-snippet")
