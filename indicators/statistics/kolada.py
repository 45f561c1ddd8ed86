"""Kolada, Sweden's municipal key figures: `GET {KOLADA_URL}/data/kpi/{kpi}/municipality/
{ids}` for municipalities, `…/oudata/kpi/{kpi}/ou/{ou}` for an organizational unit
(https://github.com/Hypergene/kolada). An id Kolada does not know gives no values, not an
error."""

from django.conf import settings
from django.utils.translation import gettext as _

from indicators.models import StatisticsLink
from indicators.statistics.client import Observation, fetch_json, malformed, number

SERVICE = "Kolada"
# Kolada divides some figures by gender; "T" is the total, the one imported.
TOTAL = "T"
# A page of an answer names the next; more pages than this is no answer to one figure.
MAX_PAGES = 20


def area_code(municipality_code: str) -> str:
    """Kolada writes a municipality's code with four digits: 0180 for Stockholm."""
    return municipality_code.zfill(4)


def address(link: StatisticsLink, areas: list[str]) -> str:
    if link.kolada_ou:
        return f"{settings.KOLADA_URL}/oudata/kpi/{link.table}/ou/{link.kolada_ou}"
    return f"{settings.KOLADA_URL}/data/kpi/{link.table}/municipality/{','.join(areas)}"


def fetch(link: StatisticsLink, areas: list[str]) -> tuple[list[Observation], str]:
    """The key figure's totals for `areas` (four-digit municipality codes) or for the
    link's unit, every year, and the address asked, which is the values' source."""
    url = first = address(link, areas)
    area_key = "ou" if link.kolada_ou else "municipality"
    observations = []
    for _page in range(MAX_PAGES):
        payload = fetch_json(SERVICE, "GET", url)
        observations += parse(payload, area_key=area_key)
        url = payload.get("next_page") or payload.get("next_url")
        if not url:
            return observations, first
    raise malformed(SERVICE, _("svaret slutter ikke"))


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
