import pytest
from django.urls import reverse

from goals.models import Strategy
from tests.factories import OrganizationFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_the_index_lists_organizations_with_their_published_strategies(client):
    strategy = StrategyFactory(title="Strategi 2028")
    StrategyFactory(owner=strategy.owner, title="Hemmelig kladde", status=Strategy.Status.DRAFT)

    response = client.get(reverse("goals:index"))

    assert response.status_code == 200
    assert strategy.owner.name in response.text
    assert "Strategi 2028" in response.text
    assert "Hemmelig kladde" not in response.text


@pytest.mark.parametrize("organizations", [1, 5])
def test_the_index_runs_two_queries_however_many_organizations(
    client, django_assert_num_queries, organizations
):
    for _ in range(organizations):
        owner = OrganizationFactory()
        StrategyFactory.create_batch(2, owner=owner)

    with django_assert_num_queries(2):
        client.get(reverse("goals:index"))
