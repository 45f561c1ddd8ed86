import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from indicators.models import IndicatorValue, StatisticsLink
from indicators.statistics import kolada
from indicators.statistics.client import StatisticsError
from indicators.statistics.imports import statistics_import, statistics_preview
from tests.factories import (
    GoalTargetFactory,
    IndicatorValueFactory,
    OrganizationFactory,
    SchoolFactory,
    UserFactory,
)
from tests.statistics.conftest import RESPONSES


def written() -> tuple[int, int]:
    """The values and their history records: what an import that fails must leave as it
    found them."""
    return IndicatorValue.objects.count(), IndicatorValue.history.count()


def test_statbank_values_are_submitted_for_review_with_their_source(service, herning):
    service.answer("statbank_jsonstat.json")

    preview = statistics_import(link=herning, user=herning.editor)

    (asked,) = service.requests
    assert asked.method == "POST"
    assert asked.url == "https://api.statbank.dk/v1/data"
    assert asked.body == {
        "table": "UDDA42",
        "format": "JSONSTAT",
        "lang": "da",
        "variables": [
            {"code": "OMRÅDE", "values": ["657"]},
            {"code": "KØN", "values": ["TOT"]},
            {"code": "Tid", "values": ["*"]},
        ],
    }
    values = list(herning.indicator.values.order_by("period"))
    # 2021 is ".." in the table: nothing is published, nothing is imported.
    assert [(value.period, value.value) for value in values] == [
        (2022, Decimal("76.2")),
        (2023, Decimal("77.7")),
        (2024, Decimal("78.1")),
    ]
    today = timezone.localdate().isoformat()
    for value in values:
        assert value.status == IndicatorValue.Status.SUBMITTED
        assert value.entered_by == herning.editor
        assert value.source == "Danmarks Statistik, tabel UDDA42"
        assert value.source_url == "https://www.statistikbanken.dk/UDDA42"
        assert value.note == f"Hentet fra Danmarks Statistik, tabel UDDA42 den {today}."
        assert not IndicatorValue.objects.visible_to(None).filter(pk=value.pk).exists()
    assert len(preview.new) == 3
    herning.refresh_from_db()
    assert herning.last_fetched_at is not None
    assert herning.last_result == "3 nye, 0 ændrede og 0 uændrede tal."


def test_a_changed_value_shows_old_and_new_and_is_reviewed_again(service, herning):
    approved = IndicatorValueFactory(
        indicator=herning.indicator, period=2023, value=Decimal("70.0"), source="Egen opgørelse"
    )
    same = IndicatorValueFactory(indicator=herning.indicator, period=2024, value=Decimal("78.1"))
    service.answer("statbank_jsonstat.json")

    preview = statistics_preview(link=herning)

    assert [(row.period, row.old, row.value) for row in preview.changed] == [
        (2023, Decimal("70.0"), Decimal("77.7"))
    ]
    assert [row.period for row in preview.new] == [2022]
    assert [row.period for row in preview.unchanged] == [2024]
    assert herning.indicator.values.count() == 2  # a preview writes nothing

    statistics_import(link=herning, user=herning.editor)

    approved.refresh_from_db()
    assert approved.value == Decimal("77.7")
    assert approved.status == IndicatorValue.Status.SUBMITTED
    assert approved.revision == 2
    assert approved.source == "Danmarks Statistik, tabel UDDA42"
    assert approved.history.count() == 2  # a new revision in its history
    same.refresh_from_db()
    assert (same.revision, same.status) == (1, IndicatorValue.Status.APPROVED)


def test_kolada_school_years_are_dated_by_their_spring_term(service, solleftea):
    service.answer("kolada_municipality.json")

    statistics_import(link=solleftea, user=solleftea.editor)

    (asked,) = service.requests
    address = "https://api.kolada.se/v3/data/kpi/N15033/municipality/2283"
    assert asked.url == f"{address}?page=1&per_page=5000"
    assert [
        (value.indicator.period_label(value.period), value.value, value.source_url)
        for value in solleftea.indicator.values.order_by("period")
    ] == [
        ("2022/23", Decimal("77.9"), address),
        ("2023/24", Decimal("79.3"), address),
    ]


def test_kolada_is_asked_for_twenty_municipalities_at_a_time_page_by_page(
    service, solleftea, monkeypatch
):
    others = [
        OrganizationFactory(country="SE", municipality_code=f"{2300 + number}")
        for number in range(20)
    ]
    solleftea.indicator.reporting_organizations.add(*others)
    monkeypatch.setattr(kolada, "PER_PAGE", 2)
    service.answer("kolada_municipality.json")  # a full page: there may be more
    service.answer("kolada_unknown_municipality.json")
    service.answer("kolada_unknown_municipality.json")

    preview = statistics_preview(link=solleftea)

    asked = [request.url.rsplit("/", 1)[1].split("?") for request in service.requests]
    assert [query for _codes, query in asked] == [
        "page=1&per_page=2",
        "page=2&per_page=2",
        "page=1&per_page=2",
    ]
    first, again, rest = (codes.split(",") for codes, _query in asked)
    assert len(first) == 20
    assert again == first
    assert sorted(first + rest) == sorted(["2283", *(other.municipality_code for other in others)])
    assert len(preview.rows) == 2


def test_a_kolada_unit_gives_the_indicators_own_organizations_values(service, solleftea):
    solleftea.kolada_ou = "V15E228300101"
    solleftea.save()
    service.answer("kolada_ou.json")

    statistics_import(link=solleftea, user=solleftea.editor)

    assert service.requests[0].url == (
        "https://api.kolada.se/v3/oudata/kpi/N15033/ou/V15E228300101?page=1&per_page=5000"
    )
    (value,) = solleftea.indicator.values.all()
    assert (value.organization, value.period, value.value) == (
        solleftea.indicator.organization,
        2023,
        Decimal("84.6"),
    )


def test_a_scale_turns_a_share_into_percent(service, herning):
    herning.scale = Decimal(100)
    herning.save()
    share = {
        "dataset": {
            "dimension": {
                "OMRÅDE": {"category": {"index": {"657": 0}}},
                "Tid": {"category": {"index": ["2024"]}},
                "id": ["OMRÅDE", "Tid"],
                "size": [1, 1],
            },
            "value": [0.78149],
        }
    }
    service.answer(body=json.dumps(share).encode())

    (row,) = statistics_preview(link=herning).rows

    assert row.value == Decimal("78.1")


def test_only_reporting_organizations_with_a_municipality_code_are_asked_for(service, herning):
    school = SchoolFactory(parent=herning.indicator.organization)
    herning.indicator.reporting_organizations.add(school)
    service.answer("statbank_jsonstat.json")

    statistics_preview(link=herning)

    assert service.requests[0].body["variables"][0] == {"code": "OMRÅDE", "values": ["657"]}


def test_an_unknown_municipality_code_at_statbank_writes_nothing(service, herning):
    IndicatorValueFactory(indicator=herning.indicator, period=2023)
    herning.indicator.organization.municipality_code = "999"
    herning.indicator.organization.save()
    service.answer("statbank_unknown_area.json", status=400)
    before = written()

    with pytest.raises(StatisticsError) as refused:
        statistics_import(link=herning, user=herning.editor)

    assert "Værdien 999 findes ikke i variablen OMRÅDE" in str(refused.value)
    assert "HTTP 400" in str(refused.value)
    assert written() == before
    assert len(service.requests) == 1  # a refusal is not asked again
    herning.refresh_from_db()
    assert "Værdien 999" in herning.last_result


def test_a_municipality_code_unknown_to_kolada_writes_nothing(service, solleftea):
    service.answer("kolada_unknown_municipality.json")
    before = written()

    with pytest.raises(ValidationError) as refused:
        statistics_import(link=solleftea, user=solleftea.editor)

    assert (
        "Der er ingen tal i Kolada, N15033 for 2283 (Sollefteå kommun). Er koden rigtig?"
        in refused.value.messages
    )
    assert written() == before


def test_an_http_500_is_asked_again_and_then_refused_writing_nothing(service, herning, settings):
    service.answer("server_error.html", status=500)
    before = written()

    with pytest.raises(StatisticsError, match="HTTP 500"):
        statistics_import(link=herning, user=herning.editor)

    assert len(service.requests) == 1 + settings.STATISTICS_RETRIES
    assert written() == before


def test_a_service_that_recovers_while_asked_again_is_imported(service, herning):
    service.answer("server_error.html", status=503)
    service.answer("statbank_jsonstat.json")

    statistics_import(link=herning, user=herning.editor)

    assert len(service.requests) == 2
    assert herning.indicator.values.count() == 3


def test_a_busy_service_asking_for_an_hours_pause_is_asked_again_after_the_portals_own(
    service, herning, monkeypatch
):
    pauses = []
    monkeypatch.setattr("urllib3.util.retry.time.sleep", pauses.append)
    service.answer("server_error.html", status=503, headers={"Retry-After": "3600"})
    service.answer("statbank_jsonstat.json")

    statistics_import(link=herning, user=herning.editor)

    assert herning.indicator.values.count() == 3
    assert all(pause < 60 for pause in pauses)


def test_a_timeout_is_asked_again_and_then_refused_writing_nothing(service, herning, settings):
    service.time_out()
    before = written()

    with pytest.raises(StatisticsError) as refused:
        statistics_import(link=herning, user=herning.editor)

    assert str(refused.value).startswith("Danmarks Statistik svarede ikke inden for 30 sekunder")
    assert len(service.requests) == 1 + settings.STATISTICS_RETRIES
    assert written() == before


def test_an_unreachable_service_is_named(service, solleftea):
    service.refuse_connection()

    with pytest.raises(StatisticsError, match="Kolada kunne ikke nås"):
        statistics_preview(link=solleftea)


@pytest.mark.parametrize(
    "response",
    [
        "statbank_malformed_cut_off.json",
        "statbank_malformed_no_dimensions.json",
        "statbank_malformed_sizes.json",
        "statbank_malformed_text_value.json",
        "server_error.html",  # a 200 that is a web page
    ],
)
def test_a_malformed_statbank_answer_writes_nothing(service, herning, response):
    IndicatorValueFactory(indicator=herning.indicator, period=2023)
    service.answer(response)
    before = written()

    with pytest.raises(StatisticsError, match="sendte et svar, som ikke kan læses"):
        statistics_import(link=herning, user=herning.editor)

    assert written() == before


def test_a_malformed_kolada_answer_writes_nothing(service, solleftea):
    service.answer("kolada_malformed.json")
    before = written()

    with pytest.raises(StatisticsError, match="Kolada sendte et svar, som ikke kan læses"):
        statistics_import(link=solleftea, user=solleftea.editor)

    assert written() == before


def test_a_kolada_answer_with_two_totals_for_one_year_writes_nothing(service, solleftea):
    answer = json.loads((RESPONSES / "kolada_municipality.json").read_text())
    answer["values"].append({**answer["values"][0], "values": [{"gender": "T", "value": 12.5}]})
    service.answer(body=json.dumps(answer).encode())
    before = written()

    with pytest.raises(StatisticsError, match="flere tal for samme område og år"):
        statistics_import(link=solleftea, user=solleftea.editor)

    assert written() == before


def test_one_value_the_metric_refuses_stops_the_whole_import(service, herning):
    herning.scale = Decimal(2)  # 76,2 % becomes 152,4 %
    herning.save()
    service.answer("statbank_jsonstat.json")
    before = written()

    with pytest.raises(ValidationError) as refused:
        statistics_import(link=herning, user=herning.editor)

    assert any(message.startswith("Herning Kommune, 2022:") for message in refused.value.messages)
    assert written() == before


def test_a_number_too_large_to_store_is_a_problem(service, herning):
    answer = json.loads((RESPONSES / "statbank_jsonstat.json").read_text())
    answer["dataset"]["value"][3] = 1e400
    service.answer(body=json.dumps(answer).encode().replace(b"Infinity", b"1e400"))

    preview = statistics_preview(link=herning)

    assert preview.problems == ["Herning Kommune, 2024: Tallet er for stort."]


def test_periods_before_the_series_baseline_are_skipped(service, herning):
    GoalTargetFactory(indicator=herning.indicator, baseline_period=2023)
    service.answer("statbank_jsonstat.json")

    preview = statistics_preview(link=herning)

    assert [row.period for row in preview.rows] == [2023, 2024]
    assert preview.skipped == ["Perioden 2022 ligger før udgangspunktet 2023."]
    assert not preview.problems


def test_a_period_the_indicator_cannot_hold_is_a_problem(service, solleftea):
    solleftea.service = StatisticsLink.Service.STATBANK
    solleftea.table = "UDDA42"
    solleftea.save()
    service.answer("statbank_jsonstat.json")  # calendar years for a school-year series
    solleftea.indicator.organization.municipality_code = "657"
    solleftea.indicator.organization.save()

    preview = statistics_preview(link=solleftea)

    assert preview.problems[0] == (
        "Perioden 2022 i Danmarks Statistik, tabel UDDA42 passer ikke til indikatorens "
        "periode (skoleår)."
    )
    assert len(preview.problems) == 3  # one for each period
    assert not preview.rows


def test_only_an_editor_of_the_indicators_organization_may_import(service, herning):
    with pytest.raises(PermissionDenied):
        statistics_import(link=herning, user=UserFactory())
    assert not service.requests


def test_an_editor_who_may_not_report_for_every_municipality_imports_nothing(service, herning):
    other = OrganizationFactory(name="Ikast-Brande Kommune", municipality_code="756")
    herning.indicator.reporting_organizations.add(other)
    answer = json.loads((RESPONSES / "statbank_jsonstat.json").read_text())
    dimensions = answer["dataset"]["dimension"]
    dimensions["OMRÅDE"]["category"]["index"] = {"657": 0, "756": 1}
    dimensions["size"][0] = 2
    answer["dataset"]["value"] *= 2
    service.answer(body=json.dumps(answer).encode())
    before = written()

    with pytest.raises(ValidationError) as refused:
        statistics_import(link=herning, user=herning.editor)

    assert refused.value.messages == [
        "Du kan ikke indberette for Ikast-Brande Kommune, så tallene kan ikke hentes af dig. "
        "Intet er gemt."
    ]
    assert written() == before
