"""Kolada, Sweden's municipal key figures: `GET {KOLADA_URL}/data/kpi/{kpi}/municipality/
{ids}` for municipalities, `…/oudata/kpi/{kpi}/ou/{ou}` for an organizational unit, paged
with `page` and `per_page` (https://github.com/Hypergene/kolada; version 3 has the same
routes and answers as version 2, which is gone). An id Kolada does not know gives no values,
not an error."""

import itertools

from django.conf import settings
from django.utils.translation import gettext as _

from indicators.models import StatisticsLink
from indicators.statistics.client import Observation, fetch_json, malformed, number

SERVICE = "Kolada"
# Kolada divides some figures by gender; "T" is the total, the one imported.
TOTAL = "T"
# Kolada answers for a score of municipalities at a time, in pages of at most 5.000 rows.
MUNICIPALITIES_PER_REQUEST = 20
PER_PAGE = 5000
# One key figure for twenty municipalities is a page; more than this is no answer.
MAX_PAGES = 20


def area_code(municipality_code: str) -> str:
    """Kolada writes a municipality's code with four digits: 0180 for Stockholm."""
    return municipality_code.zfill(4)


def source_url(link: StatisticsLink, area: str) -> str:
    """The address of one organization's values: what each of them cites."""
    if link.kolada_ou:
        return f"{settings.KOLADA_URL}/oudata/kpi/{link.table}/ou/{link.kolada_ou}"
    return f"{settings.KOLADA_URL}/data/kpi/{link.table}/municipality/{area}"


def fetch(link: StatisticsLink, areas: list[str]) -> list[Observation]:
    """The key figure's totals for `areas` (four-digit municipality codes) or for the
    link's unit, every year."""
    area_key = "ou" if link.kolada_ou else "municipality"
    observations = []
    for batch in itertools.batched(areas, MUNICIPALITIES_PER_REQUEST):
        url = source_url(link, ",".join(batch))
        for page in range(1, MAX_PAGES + 1):
            payload = fetch_json(SERVICE, "GET", f"{url}?page={page}&per_page={PER_PAGE}")
            observations += parse(payload, area_key=area_key)
            if len(payload["values"]) < PER_PAGE:  # read by parse: a list
                break
        else:
            raise malformed(SERVICE, _("svaret slutter ikke"))
    # Two totals for one area and year would leave it to chance which is imported.
    if len({(found.area, found.period) for found in observations}) < len(observations):
        raise malformed(SERVICE, _("svaret giver flere tal for samme område og år"))
    return observations


def parse(payload, *, area_key: str) -> list[Observation]:
    """The totals of one page of an answer: {"values": [{area_key: …, "period": 2023,
    "values": [{"gender": "T", "value": 78.3}, …]}, …]}."""
    observations = []
    try:
        for row in payload["values"]:
            for entry in row["values"]:
                value = number(entry["value"])
                if entry["gender"] == TOTAL and value is not None:
                    observations.append(
                        Observation(area=str(row[area_key]), period=str(row["period"]), value=value)
                    )
    except (KeyError, TypeError) as error:
        raise malformed(SERVICE, _("der mangler dele af svaret")) from error
    return observations
