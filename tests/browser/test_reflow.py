"""Every public page fits a phone (WCAG 1.4.10, reflow): at 320 and 375 px nothing makes the
page scroll sideways (a wide table scrolls inside its own labelled region, which the keyboard
can reach; a chart shrinks to fit), and no chart label is cut off at the edge of its drawing."""

import pytest

from tests.browser.conftest import HEG, PUBLIC_PAGES, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# The pages with the widest content (charts, long tables), photographed at each width to be
# looked at.
PHOTOGRAPHED = {
    HEG + "maal/aktivitet-1800-arselever/arselever/": "reflow-target",
    "/organisationer/heg/indikatorer/arselever/": "reflow-series",
    "/sammenlign/ungdomsuddannelse-efter-15-maaneder/": "reflow-comparison",
    "/metode/": "reflow-methodology",
}

# The chart labels that reach outside their drawing's viewBox, which clips them; a label
# hidden at this width (display: none) does not count.
CLIPPED_CHART_LABELS = """() => [...document.querySelectorAll("svg.portal-chart__svg")]
    .flatMap(svg => {
        const box = svg.viewBox.baseVal;
        return [...svg.querySelectorAll("text")]
            .filter(text => getComputedStyle(text).display !== "none")
            .filter(text => {
                const label = text.getBBox();
                return label.x < box.x || label.y < box.y
                    || label.x + label.width > box.x + box.width
                    || label.y + label.height > box.y + box.height;
            })
            .map(text => text.textContent);
    })"""

# What scrolls sideways inside the page without being a labelled region that the keyboard can
# reach and scroll: tabindex="0", role="region" and a name.
UNLABELLED_SCROLLING = """() => [...document.querySelectorAll("body *")]
    .filter(box => ["auto", "scroll"].includes(getComputedStyle(box).overflowX)
        && box.scrollWidth > box.clientWidth)
    .filter(box => box.getAttribute("tabindex") !== "0" || box.getAttribute("role") !== "region"
        || !(box.getAttribute("aria-labelledby") || box.getAttribute("aria-label")))
    .map(box => box.outerHTML.slice(0, 80))"""


def test_no_public_page_scrolls_sideways_or_cuts_off_a_chart_label_on_a_phone(
    browser, live_server, live_seed
):
    too_wide, clipped, unlabelled = {}, {}, {}
    context = browser.new_context()
    page = context.new_page()
    for path in PUBLIC_PAGES:
        # Loaded once at the narrowest width, then laid out anew at each wider one by a
        # resize; on a laptop only the photographed pages, for their pictures and chart labels.
        page.set_viewport_size({"width": 320, "height": 900})
        page.goto(live_server.url + path)
        for width in (320, 375, 1280) if path in PHOTOGRAPHED else (320, 375):
            page.set_viewport_size({"width": width, "height": 900})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide[f"{path} at {width} px"] = scroll_width
            labels = page.evaluate(CLIPPED_CHART_LABELS)
            if labels:
                clipped[f"{path} at {width} px"] = labels
            boxes = page.evaluate(UNLABELLED_SCROLLING)
            if boxes:
                unlabelled[f"{path} at {width} px"] = boxes
            if path in PHOTOGRAPHED:
                screenshot(page, f"{PHOTOGRAPHED[path]}-{width}")
    context.close()

    assert too_wide == {}, "pages wider than the screen, with their width in px"
    assert clipped == {}, "chart labels cut off"
    assert unlabelled == {}, "boxes that scroll sideways but are no labelled, focusable region"
