import pytest
from django.core.cache import cache

ENDPOINTS = (
    "organizations",
    "networks",
    "strategies",
    "focus-areas",
    "goals",
    "actions",
    "metrics",
    "indicators",
    "targets",
    "values",
    "reference-figures",
    "themes",
    "working-models",
)


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test counts its own requests against the rate (the throttle keeps its counts in
    the cache)."""
    cache.clear()
    yield
    cache.clear()


def every_row(client, url: str) -> list[dict]:
    """Every row of a list, page by page through the cursors."""
    rows = []
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows
