"""Reporting rounds: what a reporter owes on the start page, and who is missing for editors."""

import csv
import datetime
import io

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import IndicatorValue, ReportingRound
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    ReportingRoundFactory,
    SchoolFactory,
)

HOME = reverse("reporting:home")


@pytest.fixture
def herning_round(world):
    return ReportingRoundFactory(
        organization=world.herning,
        period=2022,
        deadline=datetime.date(2023, 3, 31),
        title="Indberetning 2022",
        note="Husk kilden.",
    )


def overview_url(reporting_round, **query):
    url = reverse("reporting:round", args=[reporting_round.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_an_organization_has_one_round_per_period(world, herning_round):
    with pytest.raises(IntegrityError):
        ReportingRoundFactory(organization=world.herning, period=2022)


def test_a_reporter_sees_the_deadline_and_the_state_of_each_indicator(world, herning_round, login):
    page = login(world.users["reporter at school A"]).get(HOME).text

    assert "Indberetning 2022" in page
    assert "31. marts 2023" in page
    assert "Husk kilden." in page
    assert "Fristen er overskredet." in page
    assert "Elever i 0. klasse" in page
    assert "Indsendt" in page
    assert reverse("reporting:report", args=["skole-a"]) + "?periode=2022" in page
    assert "Skole B" not in page


def test_a_missing_value_is_marked_missing(world, herning_round, login):
    page = login(world.users["reporter at school B"]).get(HOME).text

    assert "Mangler" in page
    assert reverse("reporting:report", args=["skole-b"]) + "?periode=2022" in page


def test_a_rejected_value_is_listed_first_with_its_reason(world, herning_round, login):
    other = IndicatorFactory(
        organization=world.herning, name="Årselever", reporting_organizations=[world.school_a]
    )
    IndicatorValueFactory(
        indicator=other,
        organization=world.school_a,
        period=2022,
        status=IndicatorValue.Status.REJECTED,
        rejection_reason="Tallet er for højt.",
    )

    page = login(world.users["reporter at school A"]).get(HOME).text

    assert "Tallet er for højt." in page
    assert page.index("Årselever") < page.index("Elever i 0. klasse")


def test_someone_reporting_for_two_schools_sees_each_schools_part(world, herning_round, login):
    page = login(world.users["editor at Herning"]).get(HOME)

    [(reporting_round, owed)] = page.context["rounds"]
    assert reporting_round == herning_round
    assert [(due.organization.name, [cell.state for cell in due.cells]) for due in owed] == [
        ("Skole A", ["submitted"]),
        ("Skole B", ["missing"]),
    ]


def test_closed_rounds_and_other_municipalities_rounds_are_not_shown(world, login):
    ReportingRoundFactory(organization=world.herning, period=2021, is_closed=True, title="Lukket")
    ReportingRoundFactory(organization=world.hillerod, period=2022, title="Hillerøds runde")

    page = login(world.users["reporter at school A"]).get(HOME).text

    assert "Lukket" not in page
    assert "Hillerøds runde" not in page


def test_a_round_covers_only_indicators_of_its_organization_and_those_below(world, login):
    ReportingRoundFactory(organization=world.school_a, period=2022, title="Skolens runde")

    page = login(world.users["reporter at school A"]).get(HOME).text

    # The world's indicator is Herning's, above the school: the school's round does not ask.
    assert "Skolens runde" not in page


def test_an_editor_finds_the_overview_from_the_start_page(world, herning_round, login):
    page = login(world.users["editor at Herning"]).get(HOME).text

    assert overview_url(herning_round) in page
    assert (
        overview_url(herning_round) not in login(world.users["editor at Hillerød"]).get(HOME).text
    )


def test_the_overview_shows_each_schools_state_and_the_counts(world, herning_round, login):
    page = login(world.users["editor at Herning"]).get(overview_url(herning_round))

    assert page.status_code == 200
    table = page.context["table"]
    assert [org.name for org in table.organizations] == ["Skole A", "Skole B"]
    [(_indicator, cells)] = table.rows()
    assert [cell.state for cell in cells] == ["submitted", "missing"]
    counts = {state: number for state, _label, number in page.context["counts"]}
    assert counts == {"rejected": 0, "missing": 1, "draft": 0, "submitted": 1, "approved": 0}
    assert "Indsendt" in page.text
    assert "Mangler" in page.text


def test_the_overview_filters_by_state_and_organization(world, herning_round, login):
    client = login(world.users["editor at Herning"])
    IndicatorFactory(
        organization=world.herning, name="Kun B", reporting_organizations=[world.school_b]
    )

    missing = client.get(overview_url(herning_round, status="missing")).context["table"]
    only_a = client.get(overview_url(herning_round, organisation="skole-a")).context["table"]
    approved = client.get(overview_url(herning_round, status="approved")).context["table"]

    assert {org.name for org in missing.organizations} == {"Skole B"}
    assert {indicator.name for indicator in missing.indicators} == {"Elever i 0. klasse", "Kun B"}
    assert [org.name for org in only_a.organizations] == ["Skole A"]
    assert [indicator.name for indicator in only_a.indicators] == ["Elever i 0. klasse"]
    assert approved.indicators == []


def test_the_overview_downloads_as_csv(world, herning_round, login):
    response = login(world.users["editor at Herning"]).get(
        overview_url(herning_round, format="csv")
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["indikator", "ejer", "Skole A", "Skole B"],
        ["Elever i 0. klasse", "Herning Kommune", "Indsendt", "Mangler"],
    ]


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("editor at Hillerød", 403),
        ("reporter at school A", 403),
        ("editor at Herning", 200),
        ("superuser", 200),
    ],
)
def test_only_the_rounds_editors_see_its_overview(world, herning_round, login, user, status):
    assert ReportingRound.objects.filter(pk=herning_round.pk).exists()

    response = login(world.users[user]).get(overview_url(herning_round))

    assert response.status_code == status
    csv_response = login(world.users[user]).get(overview_url(herning_round, format="csv"))
    assert csv_response.status_code == status


def test_the_overview_needs_a_login_and_an_existing_round(world, herning_round, client, login):
    assert client.get(overview_url(herning_round)).status_code == 302
    missing = reverse("reporting:round", args=[herning_round.pk + 1000])
    assert login(world.users["editor at Herning"]).get(missing).status_code == 404


def test_the_overview_and_start_page_run_a_fixed_number_of_queries(world, herning_round, login):
    editor, reporter = world.users["editor at Herning"], world.users["reporter at school A"]
    pages = [(editor, overview_url(herning_round)), (editor, HOME), (reporter, HOME)]
    few = [count(login(user), url) for user, url in pages]
    schools = [world.school_a, world.school_b] + [
        SchoolFactory(parent=world.herning) for _ in range(3)
    ]
    for _ in range(3):
        indicator = IndicatorFactory(organization=world.herning, reporting_organizations=schools)
        IndicatorValueFactory(indicator=indicator, organization=schools[2], period=2022)
        IndicatorValueFactory(indicator=indicator, organization=world.school_a, period=2022)

    many = [count(login(user), url) for user, url in pages]
    assert many == few
    assert len(login(editor).get(overview_url(herning_round)).context["table"].indicators) == 4


def test_an_editor_opens_a_round_in_the_admin(world, login):
    client = login(world.users["editor at Herning"])
    response = client.post(
        reverse("admin:indicators_reportinground_add"),
        {"organization": world.herning.pk, "period": 2024, "deadline": "2025-03-31"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    reporting_round = ReportingRound.objects.get()
    assert reporting_round.created_by == world.users["editor at Herning"]
    listing = client.get(reverse("admin:indicators_reportinground_changelist")).text
    assert overview_url(reporting_round) in listing


def test_an_editor_cannot_open_or_see_another_municipalitys_round(world, herning_round, login):
    client = login(world.users["editor at Hillerød"])

    listing = client.get(reverse("admin:indicators_reportinground_changelist")).text
    change = reverse("admin:indicators_reportinground_change", args=[herning_round.pk])
    refused = client.post(
        reverse("admin:indicators_reportinground_add"),
        {"organization": world.herning.pk, "period": 2024, "deadline": "2025-03-31"},
    )

    assert "Indberetning 2022" not in listing
    assert client.get(change).status_code == 403
    assert refused.status_code == 200  # the form refuses Herning as a choice
    assert not ReportingRound.objects.filter(period=2024).exists()


def test_the_report_page_shows_the_deadline_and_note_of_the_rounds_asking_for_its_period(
    world, herning_round, login
):
    ReportingRoundFactory(organization=world.hillerod, period=2022, title="Hillerøds runde")
    client = login(world.users["reporter at school A"])
    report = reverse("reporting:report", args=["skole-a"])

    page = client.get(report + "?periode=2022").text
    other_period = client.get(report + "?periode=2021").text

    assert "Indberetning 2022" in page
    assert "31. marts 2023" in page
    assert "Husk kilden." in page
    assert "Hillerøds runde" not in page
    assert "Husk kilden." not in other_period


def test_the_admin_start_page_links_to_who_is_missing_and_to_the_review(
    world, herning_round, login
):
    ReportingRoundFactory(organization=world.hillerod, period=2022, title="Hillerøds runde")

    page = login(world.users["editor at Herning"]).get(reverse("admin:index")).text

    assert overview_url(herning_round) in page
    assert "Hvem mangler: Indberetning 2022" in page
    assert "1 tal venter på godkendelse" in page
    assert "Hillerøds runde" not in page


def test_the_review_queue_links_to_who_is_missing(world, herning_round, login):
    page = login(world.users["editor at Herning"]).get(reverse("reporting:review")).text

    assert overview_url(herning_round) in page
