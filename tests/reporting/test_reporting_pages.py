import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import IndicatorValue
from tests.factories import IndicatorFactory, IndicatorValueFactory


def report_url(world):
    return reverse("reporting:report", args=[world.school_a.slug])


def form_data(world, value, **extra):
    prefix = f"indicator-{world.indicator.pk}"
    return {
        "period": 2023,
        "action": "submit",
        f"{prefix}-value": value,
        f"{prefix}-note": "Optalt 5. september",
        f"{prefix}-source": "Elevregistrering",
        **extra,
    }


def test_the_reporting_page_shows_unit_last_value_and_target(world, login):
    client = login(world.users["reporter at school A"])

    page = client.get(report_url(world), {"periode": 2023}).text

    assert "Elever i 0. klasse" in page
    assert "Tal (elever)" in page
    assert "Sidste periode: 38\xa0elever (indsendt)" in page
    assert "Mindst 50\xa0elever i 2030" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", "Skriv et tal, fx 1.384 eller 93,5."), ("-5", "Værdien kan ikke være negativ.")],
)
def test_a_bad_value_gets_its_message_next_to_the_field_and_keeps_the_rest(
    world, login, typed, message
):
    client = login(world.users["reporter at school A"])

    response = client.post(report_url(world), form_data(world, typed))

    page = response.text
    assert response.status_code == 200
    assert message in page
    assert 'class="form-error-message"' in page
    assert f'value="{typed}"' in page
    assert "Optalt 5. september" in page
    assert 'value="Elevregistrering"' in page
    assert "Der er fejl i formularen. Intet er gemt endnu." in page
    assert not IndicatorValue.objects.filter(organization=world.school_a, period=2023).exists()


def test_a_valid_value_is_submitted_and_the_page_says_so(world, login):
    client = login(world.users["reporter at school A"])

    response = client.post(report_url(world), form_data(world, "45"), follow=True)

    assert "1 tal er sendt til godkendelse." in response.text
    value = IndicatorValue.objects.get(organization=world.school_a, period=2023)
    assert (value.value, value.status) == (45, "submitted")


def test_the_reporter_sees_why_a_value_was_rejected(world, login):
    world.submitted.status = IndicatorValue.Status.REJECTED
    world.submitted.rejection_reason = "Tallet mangler børn fra specialklassen"
    world.submitted.save()
    client = login(world.users["reporter at school A"])

    page = client.get(report_url(world), {"periode": 2022}).text

    assert "Afvist med denne begrundelse:" in page
    assert "Tallet mangler børn fra specialklassen" in page


def test_an_empty_form_saves_nothing_and_says_so(world, login):
    client = login(world.users["reporter at school A"])

    response = client.post(report_url(world), form_data(world, ""), follow=True)

    assert "Skriv mindst ét tal, før du gemmer." in response.text


def test_a_stale_form_is_refused_with_a_message(world, login):
    client = login(world.users["reporter at school A"])
    client.post(report_url(world), form_data(world, "45"))
    prefix = f"indicator-{world.indicator.pk}"

    page = client.post(report_url(world), form_data(world, "46", **{f"{prefix}-revision": ""})).text

    assert "Tallet blev ændret af reporter_a" in page
    assert IndicatorValue.objects.get(organization=world.school_a, period=2023).value == 45


def test_the_review_queue_lists_submitted_values_and_rejects_with_a_reason(world, login):
    client = login(world.users["editor at Herning"])

    page = client.get(reverse("reporting:review")).text
    assert "Elever i 0. klasse" in page
    assert "Skole A" in page

    response = client.post(reverse("reporting:reject", args=[world.submitted.pk]), {})
    assert response.status_code == 400
    assert "Skriv en begrundelse" in response.text

    reason = {f"value-{world.submitted.pk}-reason": "Tjek tallet igen"}
    client.post(reverse("reporting:reject", args=[world.submitted.pk]), reason)
    world.submitted.refresh_from_db()
    assert (world.submitted.status, world.submitted.rejection_reason) == (
        "rejected",
        "Tjek tallet igen",
    )


def test_an_approved_value_becomes_public(world, login):
    client = login(world.users["editor at Herning"])
    indicator_url = world.indicator.get_absolute_url()
    assert "38\xa0elever" not in client.get(indicator_url).text

    client.post(reverse("reporting:approve", args=[world.submitted.pk]))

    assert "38\xa0elever" in client.get(indicator_url).text


def test_the_home_page_shows_what_the_user_may_do(world, login):
    page = login(world.users["editor at Herning"]).get(reverse("reporting:home")).text

    assert "Skole A" in page
    assert "1 tal venter på godkendelse" in page


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_reporting_and_review_pages_run_a_fixed_number_of_queries(world, login):
    client = login(world.users["editor at Herning"])
    pages = [report_url(world) + "?periode=2023", reverse("reporting:review")]
    few = [count(client, url) for url in pages]
    for _ in range(4):
        indicator = IndicatorFactory(
            goal=world.herning_goal, reporting_organizations=[world.school_a]
        )
        for period in (2022, 2023):
            IndicatorValueFactory(
                indicator=indicator, organization=world.school_a, period=period, status="submitted"
            )

    assert [count(client, url) for url in pages] == few
