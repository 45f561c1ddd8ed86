"""A strategy's status report: its content (`build_report`), the PDF (`render_pdf`) and the
print page, with who may see which."""

import base64
import html
import io
import re
from datetime import UTC, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from goals.models import Action, Strategy
from indicators.models import GoalTarget
from indicators.progress import Status
from municipalities.models import Membership
from strategyportal.reports.content import NoSuchPeriod, build_report
from strategyportal.reports.pdf import render_pdf
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    PercentTargetFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.now(UTC).year


def page_url(strategy, period, name="strategy_report", language=""):
    url = reverse(f"portal:{name}", args=[strategy.owner.slug, strategy.slug, period])
    return f"/{language}{url}" if language else url


def pdf_text(pdf: bytes) -> str:
    return plain("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def plain(text: str) -> str:
    """Whitespace run together, and none after a hyphen: a line that ends after "Hammerum-"
    or "data-" has no space there in a PDF's text (the report hyphenates no word itself)."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def seeded(owner: str, slug: str) -> Strategy:
    return Strategy.objects.select_related("owner").get(owner__slug=owner, slug=slug)


def page_summaries(client, strategy) -> dict[str, str]:
    """Each published target's verdict sentences as its own page shows them."""
    summaries = {}
    for target in GoalTarget.objects.public().filter(goal__strategy=strategy):
        page = client.get(target.get_absolute_url()).content.decode()
        lead = re.search(r'<p class="font-lead">(.*?)</p>', page, re.S).group(1)
        summaries[target.name] = plain(lead.replace("&nbsp;", " "))
    return summaries


@pytest.fixture
def target():
    """HEG's target, at least 1.800 årselever in 2028 from 1.384 in 2023, with values for
    2023–2025."""
    found = GoalTargetFactory(goal__text="Flere årselever", indicator__name="Årselever")
    for period, value in ((2023, 1384), (2024, 1500), (2025, 1390)):
        IndicatorValueFactory(indicator=found.indicator, period=period, value=Decimal(value))
    return found


def add_values(target: GoalTarget, values: dict[int, int]) -> None:
    for period, value in values.items():
        IndicatorValueFactory(
            indicator=target.indicator,
            organization=target.indicator.organization,
            period=period,
            value=Decimal(value),
        )


@pytest.fixture
def reported(seed):
    """The seed with approved values for HEG up to 2024 and for Herning up to 2025, and on
    Herning's strategy a target on a count of pupils whose 2025 count is too small to
    publish."""
    heg = seeded("heg", "strategi-2028")
    herning = seeded("herning-kommune", "born-og-laering")
    arselever, areal = GoalTarget.objects.filter(goal__strategy=heg).order_by("pk")
    add_values(arselever, {2024: 1500})
    add_values(areal, {2023: 28, 2024: 27})
    for target, values in zip(
        GoalTarget.objects.filter(goal__strategy=herning).order_by("pk"),
        ({2024: 10, 2025: 11}, {2024: 80, 2025: 84}),
        strict=True,
    ):
        add_values(target, values)
    pupils = GoalTargetFactory(
        goal=herning.goals.public().first(),
        indicator__name="Elever i specialklasse",
        indicator__metric__counts_pupils=True,
        indicator__metric__unit="elever",
        indicator__metric__decimals=0,
        direction=GoalTarget.Direction.AT_MOST,
        baseline_period=2024,
        target_period=2028,
        target_value=Decimal(2),
    )
    add_values(pupils, {2024: 8, 2025: 3})
    return {"heg": heg, "herning-kommune": herning}


# Each strategy as of its latest period with values, which its targets' pages show.
@pytest.mark.parametrize(("owner", "period"), [("heg", 2024), ("herning-kommune", 2025)])
def test_the_seeded_reports_say_each_goal_and_verdict_as_the_pages_do(
    reported, client, owner, period
):
    strategy = reported[owner]
    text = pdf_text(render_pdf(strategy, period=period, language="da"))

    summaries = page_summaries(client, strategy)
    targets = GoalTarget.objects.public().filter(goal__strategy=strategy)
    assert len(summaries) == targets.count() >= 2
    for goal in strategy.goals.public():
        assert plain(goal.text) in text
    for target in targets:
        assert plain(target.summary) == summaries[target.name]
        assert target.name in text
        assert summaries[target.name] in text
    # A real verdict, not only "too few values", and the count too small to publish masked.
    assert Status.NOT_ENOUGH_DATA not in {target.assessment.status for target in targets}
    if owner == "herning-kommune":
        assert "Færre end 5 elever" in text
        assert "3 elever" not in text


def test_the_pdf_has_its_title_language_and_tags(reported):
    pdf = render_pdf(reported["heg"], period=2024, language="da")

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert reader.metadata.title == "Statusrapport for 2024: Strategi 2028, HEG"
    assert root["/Lang"] == "da"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


@pytest.mark.parametrize(
    ("language", "title"),
    [("da", "Indhold"), ("sv", "Innehåll"), ("en", "Contents")],
)
def test_the_pdf_is_in_the_language_asked_for(reported, language, title):
    pdf = render_pdf(reported["heg"], period=2024, language=language)

    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == language
    with translation.override(language):
        summary = GoalTarget.objects.get(indicator__slug="arselever").summary
    assert plain(summary) in pdf_text(pdf)


def test_a_report_assesses_each_target_as_it_stood_in_its_period(target, client):
    report = build_report(target.goal.strategy, period=2024)

    (item,) = report.targets
    assert item.assessment.latest.period == 2024
    assert plain(item.summary) != page_summaries(client, target.goal.strategy)[target.name]
    # What the target's page said when 2024 was its latest value.
    target.indicator.values.filter(period=2025).delete()
    assert plain(item.summary) == page_summaries(client, target.goal.strategy)[target.name]
    # The chart shows the values up to the period, not those that came later.
    assert [marker.label for marker in item.chart.chart.observed] == ["1.384", "1.500"]


def test_the_summary_counts_statuses_and_says_what_improved_and_fell_behind(target):
    behind = GoalTargetFactory(goal__focus_area=target.goal.focus_area, goal__text="Færre m²")
    for period, value in ((2023, 1384), (2024, 1500)):
        IndicatorValueFactory(indicator=behind.indicator, period=period, value=Decimal(value))

    report = build_report(target.goal.strategy, period=2025)

    assert [item.target for item in report.fell_behind] == [target]
    assert report.improved == []
    counts = dict(report.status_counts)
    assert set(counts) == {report.targets[0].status, report.targets[1].status}
    assert report.targets[0].news.before.status is Status.ON_TRACK


def test_target_changes_made_in_the_period_are_listed_with_their_reason(target):
    target.target_value = Decimal(1700)
    target._change_reason = "Lavere elevtal i regionen"
    target.save()
    created, changed = target.history.order_by("history_id")
    for record, when in ((created, datetime(2023, 1, 2)), (changed, datetime(2024, 6, 1))):
        GoalTarget.history.filter(history_id=record.history_id).update(
            history_date=when.replace(tzinfo=UTC)
        )

    report = build_report(target.goal.strategy, period=2024)

    (item,) = report.changed
    (change,) = item.changes
    assert change.reason == "Lavere elevtal i regionen"
    assert build_report(target.goal.strategy, period=2025).changed == []


def test_a_target_changed_after_the_period_is_judged_as_it_stood_then(target):
    target.target_value = Decimal(3000)
    target._change_reason = "Ny bestyrelsesbeslutning"
    target.save()
    created, changed = target.history.order_by("history_id")
    for record, when in ((created, datetime(2023, 1, 2)), (changed, datetime(2025, 3, 1))):
        GoalTarget.history.filter(history_id=record.history_id).update(
            history_date=when.replace(tzinfo=UTC)
        )

    report = build_report(target.goal.strategy, period=2024)

    (item,) = report.targets
    assert item.assessment.target.value == 1800
    assert item.news.after == item.assessment  # the report and its "what changed" agree
    assert item.status is Status.ON_TRACK
    assert target.assessment_as_of(2024).status is not Status.ON_TRACK  # against 3.000
    assert report.changed == []


def test_a_count_of_fewer_than_five_pupils_is_masked_as_on_the_target_page(client):
    target = PercentTargetFactory(
        indicator__metric__counts_pupils=True,
        indicator__metric__unit="elever",
        target_value=Decimal(10),
    )
    IndicatorValueFactory(indicator=target.indicator, period=2023, value=Decimal(8))
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=Decimal(3))

    page = client.get(page_url(target.goal.strategy, 2024)).content.decode()

    assert "Færre end 5\xa0elever i 2024." in page
    assert "3\xa0elever" not in page
    (item,) = build_report(target.goal.strategy, period=2024).targets
    assert [marker.label for marker in item.chart.chart.observed] == ["8"]


def test_the_print_page_shows_the_report(target, client):
    ActionFactory(focus_area=target.goal.focus_area, text="Nye hold i Aars")

    response = client.get(page_url(target.goal.strategy, 2024))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Statusrapport for 2024" in page
    assert "Nye hold i Aars" in page
    assert "/metode/" in page
    assert "report.css" in page
    (chart,) = re.findall(r'<img class="report-chart" src="([^"]+)"[^>]* alt="([^"]+)"', page)
    (item,) = build_report(target.goal.strategy, period=2024).targets
    assert html.unescape(chart[1]) == f"Diagram: {target.name}. {item.summary}"


def test_a_chart_is_a_picture_of_its_own_with_a_marker_for_each_value(target):
    (item,) = build_report(target.goal.strategy, period=2024).targets

    prefix, data = item.chart.src.split(",")
    svg = ElementTree.fromstring(base64.b64decode(data))  # noqa: S314 (our own output)

    assert prefix == "data:image/svg+xml;base64"
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    labels = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert labels == [tick.label for tick in (*item.chart.y_labels, *item.chart.x_labels)]
    markers = item.chart.markers
    assert markers.count("h0") == len(item.chart.chart.observed) >= 1
    assert markers in [path.get("d") for path in svg.iter("{http://www.w3.org/2000/svg}path")]


@pytest.mark.parametrize("period", [2022, 2029, 1])
def test_a_period_outside_the_strategy_is_not_found(target, client, period):
    assert client.get(page_url(target.goal.strategy, period)).status_code == 404
    with pytest.raises(NoSuchPeriod):
        build_report(target.goal.strategy, period=period)


def test_a_period_after_this_year_is_not_found(target, client):
    Strategy.objects.filter(pk=target.goal.strategy.pk).update(end_year=2100)
    next_year = datetime.now(UTC).year + 1

    assert client.get(page_url(target.goal.strategy, next_year)).status_code == 404


def build_strategy(size: int) -> Strategy:
    strategy = StrategyFactory()
    for _ in range(size):
        area = FocusAreaFactory(strategy=strategy)
        FocusAreaFactory(strategy=strategy, parent=area)
        ActionFactory(focus_area=area)
        for _ in range(size):
            goal = GoalFactory(focus_area=area)
            ActionFactory(goal=goal, focus_area=None, strategy=strategy)
            target = GoalTargetFactory(goal=goal)
            for period in range(2023, 2023 + size):
                IndicatorValueFactory(indicator=target.indicator, period=period)
    return strategy


def test_the_print_page_runs_as_many_queries_with_many_targets_as_with_one(
    client, django_assert_num_queries
):
    small, large = build_strategy(1), build_strategy(3)
    client.get(page_url(small, 2023))  # what a first request reads once

    with CaptureQueriesContext(connection) as one:
        client.get(page_url(small, 2023))
    with django_assert_num_queries(len(one)):
        assert client.get(page_url(large, 2023)).status_code == 200


@pytest.fixture
def draft_elsewhere():
    """A draft strategy with a target, and an editor of another organization."""
    target = GoalTargetFactory(goal__focus_area__strategy__status=Strategy.Status.DRAFT)
    IndicatorValueFactory(indicator=target.indicator, period=2024)
    outsider = UserFactory(username="udefra", is_staff=True)
    MembershipFactory(user=outsider, role=Membership.Role.EDITOR)
    return target.goal.strategy, outsider


def test_another_organizations_draft_report_is_not_found(draft_elsewhere, client):
    strategy, outsider = draft_elsewhere
    assert Strategy.objects.filter(pk=strategy.pk, status=Strategy.Status.DRAFT).exists()

    assert client.get(page_url(strategy, 2024)).status_code == 404
    client.force_login(outsider)
    assert client.get(page_url(strategy, 2024)).status_code == 404
    assert client.get(page_url(strategy, 2024, "strategy_report_pdf")).status_code == 404


def test_the_editors_see_their_draft_report_and_get_its_pdf(draft_elsewhere, client):
    strategy, _outsider = draft_elsewhere
    editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(user=editor, organization=strategy.owner, role=Membership.Role.EDITOR)
    client.force_login(editor)

    assert client.get(page_url(strategy, 2024)).status_code == 200
    response = client.get(page_url(strategy, 2024, "strategy_report_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_is_refused_to_everyone_but_the_strategys_editors(target, client):
    strategy = target.goal.strategy
    url = page_url(strategy, 2024, "strategy_report_pdf")
    assert client.get(page_url(strategy, 2024)).status_code == 200

    assert client.get(url).status_code == 403
    outsider = UserFactory(username="udefra", is_staff=True)
    MembershipFactory(user=outsider, role=Membership.Role.EDITOR)
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def structure_tags(node, found: list[str]) -> list[str]:
    """The structure types of a tagged PDF's elements, depth first."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure_tags(child, found)
    elif hasattr(node, "get"):
        if "/S" in node:
            found.append(str(node["/S"]))
        if "/K" in node:
            structure_tags(node["/K"], found)
    return found


def test_only_focus_areas_with_targets_start_a_page(reported):
    strategy = reported["heg"]
    report = build_report(strategy, period=2024)
    with_targets = [area for area in report.areas if area.has_targets]
    assert len(with_targets) < len(report.areas)

    pdf = render_pdf(strategy, period=2024, language="da")

    # Front page, contents, summary, what changed, sources: the rest are the areas with targets
    # and the pages their targets fill, not a page for each area without any.
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 5 + 2 * len(with_targets)


def test_the_pdf_has_one_level_one_heading_the_title(reported):
    pdf = render_pdf(reported["heg"], period=2024, language="da")

    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"]
    assert structure_tags(root, []).count("/H1") == 1


def test_the_print_page_offers_only_periods_with_values(reported, client):
    strategy = reported["heg"]
    page = client.get(page_url(strategy, 2024)).content.decode()

    assert page_url(strategy, 2023) in page
    assert page_url(strategy, THIS_YEAR) not in page
    assert client.get(page_url(strategy, 2025)).status_code == 404


def test_the_live_pdf_is_kept_by_no_cache(draft_elsewhere, client):
    strategy, _outsider = draft_elsewhere
    editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(user=editor, organization=strategy.owner, role=Membership.Role.EDITOR)
    client.force_login(editor)

    response = client.get(page_url(strategy, 2024, "strategy_report_pdf"))

    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_the_status_counts_name_each_status_once(target, client):
    page = client.get(page_url(target.goal.strategy, 2024)).content.decode()

    counts = re.search(r'<ul class="report-counts">(.*?)</ul>', page, re.S).group(1)
    assert "1 målsætning" in plain(counts)
    assert "er på rette vej" not in counts


def test_actions_show_their_state_at_the_end_of_the_period(target, client):
    action = ActionFactory(focus_area=target.goal.focus_area, text="Nye hold i Aars")
    action.state = Action.State.DONE
    action.save()
    created, done = action.history.order_by("history_id")
    for record, when in ((created, datetime(2024, 3, 1)), (done, datetime(2025, 6, 1))):
        Action.history.filter(history_id=record.history_id).update(
            history_date=when.replace(tzinfo=UTC)
        )

    in_2024 = client.get(page_url(target.goal.strategy, 2024)).content.decode()
    in_2025 = client.get(page_url(target.goal.strategy, 2025)).content.decode()

    assert '<span class="badge">Planlagt</span>' in in_2024
    assert "Gennemført</span>" not in in_2024
    assert '<span class="badge badge-success">Gennemført</span>' in in_2025
    assert "som den var den 31. december 2024" in in_2024


def test_actions_without_history_show_todays_state_and_the_report_says_so(target, client):
    action = ActionFactory(focus_area=target.goal.focus_area, state=Action.State.DONE)
    action.history.all().delete()

    page = client.get(page_url(target.goal.strategy, 2024)).content.decode()

    assert '<span class="badge badge-success">Gennemført</span>' in page
    assert "Handlingernes tilstand er, som den er i dag" in page


def test_a_report_for_a_period_not_over_yet_shows_todays_action_states(target):
    this_year = timezone.localdate().year
    add_values(target, {this_year: 1600})
    ActionFactory(focus_area=target.goal.focus_area, state=Action.State.DONE)

    report = build_report(target.goal.strategy, period=this_year)

    assert report.action_states_as_of is None
