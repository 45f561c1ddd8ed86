"""Numbers in the admin are read by the reporting page's rule and shown the same way, in the
reader's language, with their metric's decimals: 90,3 and 1.800 in Danish, never 903, 1,8 or
1800.0000."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric
from tests.factories import (
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MetricFactory,
    MilestoneFactory,
    ReferenceFigureFactory,
    UserFactory,
)
from tests.reporting.test_value_admin import posted

pytestmark = pytest.mark.django_db

TWO_WAYS = (
    "»1.5« kan læses på to måder. Skriv decimaler med komma (1,5) og tusinder med punktum (1.500)."
)


def percent_indicator():
    return IndicatorFactory(
        metric__unit="%", metric__measure=Metric.Measure.PERCENT, metric__decimals=1
    )


def count_indicator():
    return IndicatorFactory(
        metric__unit="elever", metric__measure=Metric.Measure.COUNT, metric__decimals=0
    )


def url(model, view, *args, language="da"):
    with translation.override(language):
        return reverse(f"admin:indicators_{model._meta.model_name}_{view}", args=args)


def shown_in_box(page: str, name: str) -> str:
    """What the box named `name` on an admin page holds."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group()
    return re.search(r'value="([^"]*)"', tag).group(1)


def listed(page: str, column: str) -> list[str]:
    """The cells of `column` on an admin list page."""
    return re.findall(rf'<td class="field-{column}[^"]*">([^<]*)</td>', page)


def add_value(client, indicator, typed: str, language="da", **headers):
    return client.post(
        url(IndicatorValue, "add", language=language),
        {
            "indicator": indicator.pk,
            "organization": indicator.organization_id,
            "period": 2024,
            "value": typed,
        },
        **headers,
    )


@pytest.mark.parametrize(
    ("make_indicator", "typed", "stored", "shown"),
    [
        (percent_indicator, "90,3", Decimal("90.3"), "90,3"),
        (count_indicator, "1.800", Decimal(1800), "1.800"),
    ],
)
def test_a_value_typed_in_the_admin_is_stored_and_shown_as_typed(
    admin_client, make_indicator, typed, stored, shown
):
    indicator = make_indicator()

    response = add_value(admin_client, indicator, typed)

    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator)
    assert value.value == stored
    change = admin_client.get(url(IndicatorValue, "change", value.pk)).text
    assert shown_in_box(change, "value") == shown
    assert 'inputmode="decimal"' in change
    listing = admin_client.get(url(IndicatorValue, "changelist")).text
    assert listed(listing, "shown_value") == [f"{shown}\xa0{indicator.unit}"]


def test_a_value_is_shown_with_its_metric_s_decimals(admin_client):
    value = IndicatorValueFactory(indicator=percent_indicator(), value=Decimal(25))

    change = admin_client.get(url(IndicatorValue, "change", value.pk)).text

    assert shown_in_box(change, "value") == "25,0"
    listing = admin_client.get(url(IndicatorValue, "changelist")).text
    assert listed(listing, "shown_value") == ["25,0\xa0%"]


def test_a_value_saved_unchanged_from_the_admin_keeps_its_number_and_revision(admin_client):
    value = IndicatorValueFactory(indicator=count_indicator(), value=Decimal(1384))
    page = admin_client.get(url(IndicatorValue, "change", value.pk))

    response = admin_client.post(url(IndicatorValue, "change", value.pk), posted(page))

    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.revision) == (1384, 1)


@pytest.mark.parametrize(
    ("make_indicator", "typed", "message"),
    [
        (count_indicator, "1.5", TWO_WAYS),
        (count_indicator, "abc", "Skriv et tal, fx 1.384 eller 93,5."),
        (percent_indicator, "90,35", "Værdien må højst have 1 decimal."),
        (count_indicator, "1.000.000.000.000", "Der må maksimalt være 12 cifre før kommaet."),
        (count_indicator, "1,00001", "Der må maksimalt være 4 decimaler."),
    ],
)
def test_a_number_the_admin_cannot_store_is_refused_with_how_to_write_it(
    admin_client, make_indicator, typed, message
):
    indicator = make_indicator()

    response = add_value(admin_client, indicator, typed)

    assert response.status_code == 200
    assert message in response.text
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


def test_a_target_typed_in_the_admin_is_stored_and_shown_as_typed(admin_client):
    target = GoalTargetFactory(baseline_value=Decimal(1300), target_value=Decimal(1500))
    MilestoneFactory(target=target, period=2026, value=Decimal(1600))
    change_url = url(GoalTarget, "change", target.pk)
    data = posted(admin_client.get(change_url))

    response = admin_client.post(
        change_url,
        {
            **data,
            "baseline_value": "1.384",
            "target_value": "1.800",
            "change_reason": "Tallene fra årsrapporten",
        },
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.baseline_value, target.target_value) == (1384, 1800)
    page = admin_client.get(change_url).text
    assert shown_in_box(page, "baseline_value") == "1.384"
    assert shown_in_box(page, "target_value") == "1.800"
    assert shown_in_box(page, "milestones-0-value") == "1.600"
    listing = admin_client.get(url(GoalTarget, "changelist")).text
    assert listed(listing, "shown_target_value") == ["1.800\xa0årselever"]


def test_the_indicator_page_shows_its_targets_and_values_the_reader_s_way(admin_client):
    target = GoalTargetFactory(baseline_value=Decimal(1384), target_value=Decimal(1800))
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=Decimal(1500))

    page = admin_client.get(url(Indicator, "change", target.indicator.pk)).text

    assert "mindst 1.800\xa0årselever i 2028" in page
    assert "<td>1.500\xa0årselever</td>" in page


def test_a_metric_s_reference_figures_show_with_its_decimals(admin_client):
    figure = ReferenceFigureFactory(metric=MetricFactory(decimals=1), value=Decimal(93))

    page = admin_client.get(url(Metric, "change", figure.metric.pk)).text

    assert shown_in_box(page, "reference_figures-0-value") == "93,0"


def test_the_admin_reads_danish_whatever_language_the_browser_asks_for(admin_client):
    # The admin's language is its address's (/sv/admin/, /en/admin/); an address without a
    # prefix is Danish, whatever Accept-Language or the language cookie says.
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    indicator = count_indicator()

    response = add_value(admin_client, indicator, "1.800", HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 302
    assert response.headers["Content-Language"] == "da"
    assert IndicatorValue.objects.get(indicator=indicator).value == 1800


@pytest.mark.parametrize(
    ("language", "typed", "shown", "refused"),
    [("sv", "1 800", "1\xa0800", "1.800"), ("en", "1,800", "1,800", "1.800,5")],
)
def test_the_swedish_and_english_admin_read_and_show_numbers_their_way(
    admin_client, language, typed, shown, refused
):
    indicator = count_indicator()

    response = add_value(admin_client, indicator, refused, language)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    response = add_value(admin_client, indicator, typed, language)

    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator)
    assert value.value == 1800
    change = admin_client.get(url(IndicatorValue, "change", value.pk, language=language)).text
    assert shown_in_box(change, "value") == shown
    listing = admin_client.get(url(IndicatorValue, "changelist", language=language)).text
    assert listed(listing, "shown_value") == [f"{shown}\xa0elever"]


@pytest.mark.parametrize(
    ("language", "typed", "shown", "refused", "message"),
    [
        ("da", "1.800", "1.800", "1,800,000", "kan læses på to måder"),
        ("sv", "1 800", "1\xa0800", "1.800", "kan läsas på två sätt"),
        ("en", "1,800", "1,800", "90,3", "can be read in two ways"),
    ],
)
def test_the_admin_s_number_boxes_read_and_show_the_active_language_s_way(
    language, typed, shown, refused, message
):
    value = IndicatorValueFactory(indicator=count_indicator(), value=Decimal(1800))
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form_class = admin.site._registry[IndicatorValue].get_form(request, value)

    with translation.override(language):
        box = form_class(instance=value)["value"]
        assert f'value="{shown}"' in str(box)
        assert box.field.clean(typed) == 1800
        with pytest.raises(ValidationError, match=message):
            box.field.clean(refused)
