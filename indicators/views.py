from django.shortcuts import render
from django.utils.translation import get_language

from indicators.progress import Direction, Point, Target, assess, expected_path, implied_growth

# HEG's own target, the worked example of the methodology page. The three 2024 values are
# examples, not figures HEG has reported; the page says so.
HEG_EXAMPLE = Target(
    direction=Direction.AT_LEAST,
    value=1800,
    period=2028,
    baseline=Point(2023, 1384),
    stated_growth=5,
)
EXAMPLE_VALUES_2024 = (1500, 1400, 1350)


def methodology(request):
    """How paths, statuses and forecasts are computed, with HEG's 1,800 target worked through."""
    path, _shape = expected_path(HEG_EXAMPLE, HEG_EXAMPLE.baseline)
    context = {
        "example": HEG_EXAMPLE,
        "path": path,
        "rate": implied_growth(path[0], path[-1]),
        "years": HEG_EXAMPLE.period - HEG_EXAMPLE.baseline.period,
        "cases": [assess(HEG_EXAMPLE, [Point(2024, value)]) for value in EXAMPLE_VALUES_2024],
    }
    templates = [f"indicators/methodology_{get_language()}.html", "indicators/methodology_da.html"]
    return render(request, templates, context)
