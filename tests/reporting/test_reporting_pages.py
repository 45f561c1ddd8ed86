import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from goals.models import Strategy
from indicators.models import IndicatorValue, Metric
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    StrategyFactory,
)


def report_url(world):
    return reverse("reporting:report", args=[world.school_a.slug])


def form_data(world, value, **extra):
    prefix = f"indicator-{world.indicator.pk}-2023"
    return {
        "periode": 2023,
        "action": "submit",
        f"{prefix}-value": value,
        f"{prefix}-note": "Optalt 5. september",
        f"{prefix}-source": "Elevregistrering",
        **extra,
    }


def shown_fields(page: str, indicator, period: int) -> dict[str, str]:
    """The value, source, note and revision the reporting page's form holds for `indicator`
    in `period`, as a browser would post them back."""
    prefix = f"indicator-{indicator.pk}-{period}"
    fields = {}
    for name in ("value", "source", "revision"):
        tag = re.search(rf'<input[^>]*name="{prefix}-{name}"[^>]*>', page).group()
        found = re.search(r'value="([^"]*)"', tag)
        fields[name] = html.unescape(found.group(1)) if found else ""
    note = re.search(rf'<textarea[^>]*name="{prefix}-note"[^>]*>(.*?)</textarea>', page, re.S)
    fields["note"] = html.unescape(note.group(1).strip())
    return fields


def post_back(client, world, page, *, period, action="submit", **changes):
    """Post the reporting form as shown in `page`, with `changes` typed over it."""
    prefix = f"indicator-{world.indicator.pk}-{period}"
    fields = {**shown_fields(page, world.indicator, period), **changes}
    data = {"periode": period, "action": action}
    data.update({f"{prefix}-{name}": text for name, text in fields.items()})
    return client.post(report_url(world), data, follow=True)


def test_the_reporting_page_shows_unit_last_value_and_target(world, login):
    client = login(world.users["reporter at school A"])

    page = client.get(report_url(world), {"periode": 2023}).text

    assert "Elever i 0. klasse" in page
    assert "Tal (elever)" in page
    assert "Sidste periode: 38\xa0elever (indsendt)" in page
    assert "Mindst 50\xa0elever i 2030" in page
    assert world.target.goal.strategy.title in page
    assert "Herning-mål" in page
    assert "Indikatorer fra Herning Kommune" in page


def test_an_indicator_that_two_strategies_target_is_reported_once(world, login):
    newer = StrategyFactory(owner=world.herning, title="Strategi 2032")
    GoalTargetFactory(
        goal=GoalFactory(focus_area__strategy=newer, text="Flere elever i 2032"),
        indicator=world.indicator,
        target_period=2032,
        target_value=55,
    )
    client = login(world.users["reporter at school A"])

    page = client.get(report_url(world), {"periode": 2023}).text

    assert page.count(f'name="indicator-{world.indicator.pk}-2023-value"') == 1
    assert world.target.goal.strategy.title in page
    assert "Strategi 2032" in page
    assert "Mindst 50\xa0elever i 2030" in page
    assert "Mindst 55\xa0elever i 2032" in page


def test_a_reporter_does_not_see_a_draft_strategys_goal(world, login):
    GoalTargetFactory(
        goal=GoalFactory(focus_area__strategy=world.draft, text="Hemmeligt mål"),
        indicator=world.indicator,
    )
    reporter = login(world.users["reporter at school A"])
    assert world.draft.status == Strategy.Status.DRAFT

    page = reporter.get(report_url(world), {"periode": 2023}).text

    assert "Elever i 0. klasse" in page
    assert "Hemmeligt udkast" not in page
    assert "Hemmeligt mål" not in page
    editor = login(world.users["editor at Herning"])
    page = editor.get(report_url(world), {"periode": 2023}).text
    assert 'Hemmeligt udkast</span> <span class="portal-muted">(kladde)</span>' in page
    assert "Hemmeligt mål" in page


def test_the_page_groups_indicators_by_the_organization_that_owns_them(world, login):
    IndicatorFactory(
        organization=world.school_a, name="Skolens egen måling", reporting_organizations=[]
    )
    client = login(world.users["reporter at school A"])

    page = client.get(report_url(world), {"periode": 2023}).text

    assert page.index("Indikatorer fra Herning Kommune") < page.index("Elever i 0. klasse")
    assert page.index("Indikatorer fra Skole A") < page.index("Skolens egen måling")
    assert page.index("Elever i 0. klasse") < page.index("Indikatorer fra Skole A")
    assert "Intet offentliggjort mål bruger tallet endnu." in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Skriv et tal, fx 1.384 eller 93,5."),
        ("-5", "Værdien kan ikke være negativ."),
        # The admin's and the upload's rule: a point that groups no thousands is not guessed.
        (
            "38.5",
            "»38.5« kan læses på to måder. Skriv decimaler med komma (1,5) og tusinder med "
            "punktum (1.500).",
        ),
    ],
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


def test_the_form_shows_the_saved_value_in_danish(world, login):
    share = IndicatorFactory(
        organization=world.herning,
        name="Andel med ungdomsuddannelse",
        metric__unit="%",
        metric__measure=Metric.Measure.PERCENT,
        metric__decimals=1,
        reporting_organizations=[world.school_a],
    )
    IndicatorValueFactory(
        indicator=share,
        organization=world.school_a,
        period=2023,
        value=Decimal("89.5"),
        status=IndicatorValue.Status.DRAFT,
        note="Foreløbigt tal",
        source="Ungdommens Uddannelsesvejledning",
    )
    client = login(world.users["reporter at school A"])

    page = client.get(report_url(world), {"periode": 2023}).text

    assert shown_fields(page, share, 2023) == {
        "value": "89,5",
        "source": "Ungdommens Uddannelsesvejledning",
        "note": "Foreløbigt tal",
        "revision": "1",
    }


@pytest.mark.parametrize(
    ("language", "shown"), [("da", "1.384"), ("sv", "1\xa0384"), ("en", "1,384")]
)
def test_a_saved_number_is_shown_grouped_the_reader_s_way_and_comes_back_as_itself(
    world, login, language, shown
):
    saved = IndicatorValueFactory(
        indicator=world.indicator,
        organization=world.school_a,
        period=2023,
        value=1384,
        status=IndicatorValue.Status.DRAFT,
    )
    client = login(world.users["reporter at school A"])
    with translation.override(language):
        url = report_url(world)

    page = client.get(url, {"periode": 2023}).text
    fields = shown_fields(page, world.indicator, 2023)
    prefix = f"indicator-{world.indicator.pk}-2023"
    client.post(
        url,
        {
            "periode": 2023,
            "action": "submit",
            **{f"{prefix}-{name}": text for name, text in fields.items()},
        },
    )

    assert fields["value"] == shown
    saved.refresh_from_db()
    assert (saved.value, saved.status) == (1384, "submitted")


def test_the_same_period_is_saved_twice_in_a_row(world, login):
    client = login(world.users["reporter at school A"])
    page = client.get(report_url(world), {"periode": 2023}).text

    page = post_back(
        client, world, page, period=2023, action="draft", value="45", source="Elevregistrering"
    ).text
    assert "1 tal er gemt som kladde." in page
    assert shown_fields(page, world.indicator, 2023) == {
        "value": "45",
        "source": "Elevregistrering",
        "note": "",
        "revision": "1",
    }

    page = post_back(client, world, page, period=2023, value="46").text

    assert "1 tal er sendt til godkendelse." in page
    assert shown_fields(page, world.indicator, 2023)["value"] == "46"
    value = IndicatorValue.objects.get(organization=world.school_a, period=2023)
    assert (value.value, value.status, value.revision) == (46, "submitted", 2)
    assert value.source == "Elevregistrering"


def test_a_rejected_value_is_corrected_and_resubmitted_on_the_page(world, login):
    editor = login(world.users["editor at Herning"])
    editor.post(
        reverse("reporting:reject", args=[world.submitted.pk]),
        {f"value-{world.submitted.pk}-reason": "Specialklassen mangler"},
    )
    client = login(world.users["reporter at school A"])
    page = client.get(report_url(world), {"periode": 2022}).text
    assert "Specialklassen mangler" in page
    assert shown_fields(page, world.indicator, 2022)["value"] == "38"

    page = post_back(client, world, page, period=2022, value="41").text

    assert "1 tal er sendt til godkendelse." in page
    world.submitted.refresh_from_db()
    assert (world.submitted.value, world.submitted.status) == (41, "submitted")
    assert world.submitted.rejection_reason == ""
    assert "Specialklassen mangler" not in page


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
    prefix = f"indicator-{world.indicator.pk}-2023"

    page = client.post(report_url(world), form_data(world, "46", **{f"{prefix}-revision": ""})).text

    assert "Tallet blev ændret af reporter_a" in page
    assert IndicatorValue.objects.get(organization=world.school_a, period=2023).value == 45


def test_after_a_stale_refusal_the_page_shows_what_is_stored_and_saves_again(world, login):
    client = login(world.users["reporter at school A"])
    opened = client.get(report_url(world), {"periode": 2023}).text
    login(world.users["editor at Herning"]).post(report_url(world), form_data(world, "47"))
    client = login(world.users["reporter at school A"])

    page = post_back(client, world, opened, period=2023, value="46").text

    assert "Tallet blev ændret af editor_herning" in page
    assert shown_fields(page, world.indicator, 2023) == {
        "value": "47",
        "source": "Elevregistrering",
        "note": "Optalt 5. september",
        "revision": "1",
    }
    page = post_back(client, world, page, period=2023, value="46").text
    assert "1 tal er sendt til godkendelse." in page
    value = IndicatorValue.objects.get(organization=world.school_a, period=2023)
    assert (value.value, value.revision, value.entered_by) == (
        46,
        2,
        world.users["reporter at school A"],
    )


def test_an_editor_is_told_on_the_review_page_not_to_approve_their_own_value(world, login):
    editor = world.users["editor at Herning"]
    world.submitted.entered_by = editor
    world.submitted.save()
    client = login(editor)

    page = client.get(reverse("reporting:review")).text
    assert "Du har selv indtastet tallet. En anden redaktør skal godkende det." in page
    response = client.post(reverse("reporting:approve", args=[world.submitted.pk]), follow=True)

    assert "Du kan ikke godkende et tal, du selv har indtastet." in response.text
    world.submitted.refresh_from_db()
    assert world.submitted.status == IndicatorValue.Status.SUBMITTED


def test_the_review_queue_lists_submitted_values_and_rejects_with_a_reason(world, login):
    client = login(world.users["editor at Herning"])

    page = client.get(reverse("reporting:review")).text
    assert "Elever i 0. klasse" in page
    assert "Skole A" in page
    assert "Mindst 50\xa0elever i 2030" in page
    assert world.target.goal.strategy.title in page

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


def test_the_review_queue_is_ordered_by_indicator_then_period(world, login):
    share = IndicatorFactory(organization=world.herning, name="Andel")
    pupils = IndicatorFactory(organization=world.herning, name="Årselever")
    for indicator, period in [(pupils, 2023), (share, 2023), (share, 2021)]:
        IndicatorValueFactory(indicator=indicator, period=period, status="submitted")
    client = login(world.users["editor at Herning"])

    page = client.get(reverse("reporting:review")).text

    headings = re.findall(r'<h2 class="h4"[^>]*><span[^>]*>([^<]*)</span> · [^·]* · (\d+)', page)
    assert headings == [
        ("Andel", "2021"),
        ("Andel", "2023"),
        ("Elever i 0. klasse", "2022"),
        ("Årselever", "2023"),
    ]


def test_an_approved_value_becomes_public(world, login):
    client = login(world.users["editor at Herning"])
    indicator_url = world.target.get_absolute_url()
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
        # Each targeted by two goals of different strategies, one with a milestone.
        indicator = IndicatorFactory(
            organization=world.herning, reporting_organizations=[world.school_a]
        )
        MilestoneFactory(target=GoalTargetFactory(goal=world.herning_goal, indicator=indicator))
        GoalTargetFactory(goal__focus_area__strategy__owner=world.herning, indicator=indicator)
        for period in (2022, 2023):
            IndicatorValueFactory(
                indicator=indicator, organization=world.school_a, period=period, status="submitted"
            )

    assert [count(client, url) for url in pages] == few
