"""The indicator admin warns when what is reported for an indicator can never count, and the
metric admin shows how schools' values count."""

import pytest
from django.urls import reverse

from indicators.admin import values_that_never_count
from indicators.models import Indicator, Metric
from municipalities.models import Membership
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MetricFactory,
    OrganizationFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def change_page(indicator):
    return reverse("admin:indicators_indicator_change", args=[indicator.pk])


def reported_by(schools, aggregation=Metric.Aggregation.OWN, **metric):
    """A municipality's indicator on a metric that counts by `aggregation`, reported by new
    schools of the municipality named `schools` and not by the municipality itself."""
    indicator = IndicatorFactory(
        metric__aggregation=aggregation,
        **{f"metric__{name}": value for name, value in metric.items()},
    )
    reporters = [SchoolFactory(parent=indicator.organization, name=name) for name in schools]
    indicator.reporting_organizations.set(reporters)
    return indicator, reporters


def test_an_own_value_that_the_owner_does_not_report_warns_and_names_the_schools():
    indicator, _ = reported_by(["Lind Skole", "Vestre Skole"])

    [warning] = values_that_never_count(indicator)

    assert "vises kun til sammenligning" in warning
    assert "Lind Skole og Vestre Skole" in warning
    assert indicator.organization.name in warning


def test_an_own_value_that_the_owner_reports_beside_its_schools_does_not_warn():
    indicator, schools = reported_by(["Lind Skole"])
    indicator.reporting_organizations.set([indicator.organization, *schools])

    assert values_that_never_count(indicator) == []


def test_an_indicator_nobody_reports_warns():
    indicator = IndicatorFactory()
    indicator.reporting_organizations.clear()

    [warning] = values_that_never_count(indicator)

    assert "Ingen organisation indberetter indikatoren" in warning


@pytest.mark.parametrize("aggregation", [Metric.Aggregation.MEAN, Metric.Aggregation.SUM])
def test_schools_values_that_are_summed_or_averaged_do_not_warn(aggregation):
    indicator, _ = reported_by(["Lind Skole"], aggregation)

    assert values_that_never_count(indicator) == []


def test_a_schools_approved_value_without_a_weight_warns_on_a_weighted_mean():
    indicator, (lind, vestre) = reported_by(
        ["Lind Skole", "Vestre Skole"],
        Metric.Aggregation.WEIGHTED_MEAN,
        weight_label="antal elever i årgangen",
    )
    IndicatorValueFactory(indicator=indicator, organization=lind, value=80, weight=None)
    IndicatorValueFactory(indicator=indicator, organization=vestre, value=90, weight=120)
    IndicatorValueFactory(
        indicator=indicator, organization=vestre, period=2025, value=90, status="submitted"
    )

    [warning] = values_that_never_count(indicator)

    assert warning.startswith("1 godkendt tal har ingen vægt (antal elever i årgangen)")
    assert "Lind Skole (2024)" in warning
    assert "Vestre Skole" not in warning


def test_the_change_page_shows_the_warning(admin_client):
    indicator, _ = reported_by(["Lind Skole"])

    page = admin_client.get(change_page(indicator)).text

    assert "Tallene fra Lind Skole vises kun til sammenligning" in page


def test_saving_an_indicator_nobody_reports_warns(admin_client):
    metric = MetricFactory()
    data = {
        "organization": OrganizationFactory().pk,
        "name": "Andel i uddannelse",
        "slug": "andel-i-uddannelse",
        "metric": metric.pk,
        "definition": "",
        "data_source": "",
        **{
            f"{prefix}-{field}": 0
            for prefix in ("targets", "values", "statistics_link")
            for field in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }

    response = admin_client.post(reverse("admin:indicators_indicator_add"), data, follow=True)

    saved = Indicator.objects.get(slug="andel-i-uddannelse")
    assert not saved.reporting_organizations.exists()
    assert "Ingen organisation indberetter indikatoren" in response.text


def test_another_organizations_editor_learns_nothing_of_its_schools(client):
    indicator, _ = reported_by(["Lind Skole"])
    editor = MembershipFactory(role=Membership.Role.EDITOR, user__is_staff=True)
    client.force_login(editor.user)

    assert client.get(change_page(indicator)).status_code == 403
    assert "Lind Skole" not in client.get(reverse("admin:index")).text


def test_the_change_page_says_how_the_values_count(admin_client):
    indicator, _ = reported_by(
        ["Lind Skole"], Metric.Aggregation.WEIGHTED_MEAN, weight_label="antal elever"
    )

    page = admin_client.get(change_page(indicator)).text

    assert "Vægtet gennemsnit af de indberettende organisationers værdier" in page
    assert "vægtet med antal elever" in page


def test_the_metric_admin_shows_the_weight_and_the_plausible_change_beside_the_aggregation(
    admin_client,
):
    metric = MetricFactory()

    form = (
        admin_client.get(reverse("admin:indicators_metric_change", args=[metric.pk]))
        .context["adminform"]
        .form
    )

    assert {"aggregation", "weight_label", "plausible_change"} <= set(form.fields)
