from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from indicators import services
from indicators.models import IndicatorValue, StatisticsLink
from tests.factories import IndicatorFactory, IndicatorValueFactory


def link(**fields) -> StatisticsLink:
    return StatisticsLink(
        indicator=IndicatorFactory.build(), **{"service": "statbank", "table": "UDDA42", **fields}
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"table": "UDDA 42"}, "table"),
        ({"service": "kolada", "table": "UDDA42"}, "table"),
        ({"variables": {"OMRÅDE": ["657"]}}, "variables"),
        ({"variables": {"Tid": ["2024"]}}, "variables"),
        ({"variables": {"KØN": ["1", "2"]}}, "variables"),
        ({"variables": {"KØN": "TOT"}}, "variables"),
        ({"variables": ["KØN"]}, "variables"),
        ({"service": "kolada", "table": "N15033", "variables": {"KØN": ["TOT"]}}, "variables"),
    ],
)
def test_a_link_is_checked_field_by_field(fields, field):
    with pytest.raises(ValidationError) as refused:
        link(**fields).clean()
    assert field in refused.value.message_dict


def test_a_valid_selection_passes():
    link(variables={"KØN": ["TOT"], "ALDER": ["IALT"]}).clean()
    link(service="kolada", table="N15033", kolada_ou="V15E228300101").clean()


@pytest.mark.parametrize(
    "fields",
    [
        {"scale": Decimal(0)},
        {"service": "statbank", "area_variable": ""},
        {"service": "statbank", "kolada_ou": "V15E228300101"},
        {"service": "scb"},
        {"table": ""},
    ],
)
def test_the_database_refuses_a_link_that_cannot_be_fetched(db, fields):
    with pytest.raises(IntegrityError):
        StatisticsLink.objects.create(
            indicator=IndicatorFactory(), **{"service": "statbank", "table": "UDDA42", **fields}
        )


def test_a_reporter_saving_a_value_again_keeps_the_address_of_its_source(db):
    value = IndicatorValueFactory(
        status=IndicatorValue.Status.SUBMITTED,
        source="Kolada, N15033",
        source_url="https://api.kolada.se/v3/data/kpi/N15033/municipality/2283",
    )
    entry = services.ValueEntry(
        indicator=value.indicator,
        period=value.period,
        value=Decimal(1600),
        source="Kolada, N15033",
        revision=value.revision,
    )
    editor = _editor_of(value)

    services.value_report(
        organization=value.organization, entries=[entry], user=editor, submit=True
    )
    value.refresh_from_db()
    assert value.source_url.startswith("https://api.kolada.se/")

    services.value_report(
        organization=value.organization,
        entries=[
            services.ValueEntry(
                indicator=value.indicator,
                period=value.period,
                value=Decimal(1600),
                source="Egen opgørelse",
                revision=value.revision,
            )
        ],
        user=editor,
        submit=True,
    )
    value.refresh_from_db()
    assert value.source_url == ""


def _editor_of(value):
    from municipalities.models import Membership
    from tests.factories import MembershipFactory

    return MembershipFactory(organization=value.organization, role=Membership.Role.EDITOR).user
