from django.urls import reverse

from indicators.models import IndicatorValue
from municipalities.models import Membership
from tests.factories import IndicatorValueFactory, MembershipFactory
from tests.statistics.test_imports import written


def page(link) -> str:
    return reverse("admin:indicators_indicator_statistics", args=[link.indicator_id])


def test_the_indicators_page_offers_its_editor_to_fetch_the_values(client, herning):
    client.force_login(herning.editor)

    response = client.get(reverse("admin:indicators_indicator_change", args=[herning.indicator_id]))

    assert page(herning) in response.text
    assert "Hent tal fra statistikken" in response.text


def test_the_preview_shows_old_and_new_values_and_writes_nothing(client, service, herning):
    IndicatorValueFactory(indicator=herning.indicator, period=2023, value="70.0")
    service.answer("statbank_jsonstat.json")
    client.force_login(herning.editor)
    before = written()

    response = client.get(page(herning))

    assert response.status_code == 200
    text = response.text
    assert "Statistikken giver 2 nye og 1 ændrede tal; 0 er som i portalen." in text
    assert "<td>70,0\xa0%</td>" in text
    assert "<td>77,7\xa0%</td>" in text
    assert 'href="https://www.statistikbanken.dk/UDDA42"' in text
    assert "Send 3 tal til godkendelse" in text
    assert written() == before


def test_confirming_submits_the_values_for_approval(client, service, herning):
    service.answer("statbank_jsonstat.json")
    client.force_login(herning.editor)
    digest = client.get(page(herning)).context["preview"].digest

    response = client.post(page(herning), {"digest": digest}, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "admin:indicators_indicator_change", args=[herning.indicator_id]
    )
    assert "3 tal er sendt til godkendelse." in response.text
    assert herning.indicator.values.filter(status=IndicatorValue.Status.SUBMITTED).count() == 3


def test_a_confirmation_of_numbers_that_changed_since_writes_nothing(client, service, herning):
    service.answer("statbank_jsonstat.json")
    client.force_login(herning.editor)
    before = written()

    response = client.post(page(herning), {"digest": "what-another-preview-showed"})

    assert response.status_code == 200
    assert "ændret, siden forhåndsvisningen blev lavet" in response.text
    assert written() == before


def test_a_service_that_fails_is_explained_on_the_page(client, service, herning):
    service.time_out()
    client.force_login(herning.editor)

    response = client.get(page(herning))

    assert response.status_code == 200
    assert "Danmarks Statistik svarede ikke inden for 30 sekunder" in response.text
    assert "til godkendelse" not in response.text


def test_another_organizations_editor_may_neither_preview_nor_import(client, service, herning):
    outsider = MembershipFactory(role=Membership.Role.EDITOR, user__is_staff=True).user
    service.answer("statbank_jsonstat.json")
    client.force_login(outsider)
    before = written()

    assert client.get(page(herning)).status_code == 403
    assert client.post(page(herning), {"digest": ""}).status_code == 403
    assert written() == before
    assert not service.requests


def test_a_reporter_may_not_import(client, service, herning):
    reporter = MembershipFactory(
        organization=herning.indicator.organization,
        role=Membership.Role.REPORTER,
        user__is_staff=True,
    ).user
    client.force_login(reporter)

    assert client.get(page(herning)).status_code == 403
