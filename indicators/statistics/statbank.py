"""Statistics Denmark's Statistikbank: `POST {STATBANK_URL}/data` with the table, the
variables chosen and JSON-stat as the format
(https://www.dst.dk/da/Statistik/brug-statistikken/muligheder-i-statistikbanken/api)."""

import itertools
import math

from django.conf import settings
from django.utils.translation import gettext as _

from indicators.models import STATBANK_TIME_VARIABLE, StatisticsLink
from indicators.statistics.client import Observation, fetch_json, malformed, number

SERVICE = "Danmarks Statistik"
# The table's page for readers, the source a value links to.
TABLE_PAGE = "https://www.statistikbanken.dk/{table}"


def request_body(link: StatisticsLink, areas: list[str]) -> dict:
    return {
        "table": link.table,
        "format": "JSONSTAT",
        "lang": "da",
        "variables": [
            {"code": link.area_variable, "values": areas},
            *({"code": code, "values": values} for code, values in link.variables.items()),
            {"code": STATBANK_TIME_VARIABLE, "values": ["*"]},
        ],
    }


def source_url(link: StatisticsLink, area: str) -> str:
    """The table's page for readers: what each value cites."""
    return TABLE_PAGE.format(table=link.table)


def fetch(link: StatisticsLink, areas: list[str]) -> list[Observation]:
    """The table's numbers for `areas` (municipality codes), every period."""
    payload = fetch_json(
        SERVICE, "POST", f"{settings.STATBANK_URL}/data", payload=request_body(link, areas)
    )
    return parse(payload, area_variable=link.area_variable)


def parse(payload, *, area_variable: str) -> list[Observation]:
    """The numbers of a JSON-stat answer (version 1, under "dataset", as Statistikbanken
    sends it; or version 2), one per area and period. Values run with the last dimension
    fastest; a table that gives more than one number for an area and period (a variable
    left unchosen) is refused rather than guessed at."""
    try:
        dataset = payload.get("dataset", payload)
        dimensions = dataset["dimension"]
        ids = dataset.get("id") or dimensions["id"]
        sizes = dataset.get("size") or dimensions["size"]
        codes = [_category_codes(dimensions[name]["category"]) for name in ids]
        values = dataset["value"]
        if isinstance(values, dict):  # the sparse form: position → value
            values = {int(position): value for position, value in values.items()}
        else:
            values = dict(enumerate(values))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise malformed(SERVICE, _("der mangler dele af JSON-stat")) from error
    if [len(category) for category in codes] != list(sizes) or any(
        not 0 <= position < math.prod(sizes) for position in values
    ):
        raise malformed(SERVICE, _("dimensionerne passer ikke til tallene"))
    area_axis = _axis(ids, area_variable)
    time_axis = _axis(ids, STATBANK_TIME_VARIABLE)
    observations, seen = [], set()
    for position, cell in enumerate(itertools.product(*codes)):
        try:
            value = number(values.get(position))
        except TypeError as error:
            raise malformed(SERVICE, _("et tal er ikke et tal")) from error
        key = (cell[area_axis], cell[time_axis])
        if key in seen:
            raise malformed(
                SERVICE,
                _(
                    "tabellen giver flere tal for samme område og periode; vælg én værdi for "
                    "hver af dens andre variable"
                ),
            )
        seen.add(key)
        if value is not None:  # ".." in the table: not published
            observations.append(Observation(area=key[0], period=key[1], value=value))
    return observations


def _category_codes(category: dict) -> list[str]:
    """A dimension's codes in their order: JSON-stat gives the index as a list of codes or as
    code → position, and may leave it out for a dimension of one code."""
    index = category.get("index")
    if index is None:
        index = list(category["label"])
    if isinstance(index, dict):
        return sorted(index, key=index.__getitem__)
    return [str(code) for code in index]


def _axis(ids: list[str], name: str) -> int:
    for axis, dimension in enumerate(ids):
        if dimension.casefold() == name.casefold():
            return axis
    raise malformed(SERVICE, _("variablen %(name)s mangler") % {"name": name})
