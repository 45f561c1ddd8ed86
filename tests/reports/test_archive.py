"""The status reports' archive (strategyportal/reports/archive.py and services.py): editors
generate a strategy's report as a new version and publish it; the public reads the published
versions, never an unpublished one, and a published report stays exactly as it was."""

import hashlib
import io
import threading
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from goals.models import StatusReport, Strategy
from municipalities.models import Membership
from strategyportal.reports import archive, pdf, services
from strategyportal.reports.content import NoSuchPeriod
from tests.factories import (
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    SchoolFactory,
    StatusReportFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The renderer itself, before `rendered` stands in for it in every test.
RENDER_PDF = pdf.render_pdf


@dataclass
class World:
    strategy: Strategy
    editor: object
    reporter: object
    other_editor: object
    other_report: StatusReport  # another organization's, unpublished


@pytest.fixture
def world():
    target = GoalTargetFactory(
        goal__focus_area__strategy__title="Strategi 2028",
        goal__focus_area__strategy__slug="strategi-2028",
    )
    strategy = target.goal.strategy
    for period in (2023, 2024):
        IndicatorValueFactory(indicator=target.indicator, period=period)
    editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(user=editor, organization=strategy.owner)
    reporter = UserFactory(username="indberetter")
    MembershipFactory(
        user=reporter,
        organization=SchoolFactory(parent=strategy.owner),
        role=Membership.Role.REPORTER,
    )
    other_report = StatusReportFactory(strategy__title="Naboens strategi", version=1)
    other_editor = UserFactory(username="naboen", is_staff=True)
    MembershipFactory(user=other_editor, organization=other_report.strategy.owner)
    return World(strategy, editor, reporter, other_editor, other_report)


@pytest.fixture(autouse=True)
def rendered(monkeypatch):
    """The PDFs rendered, in order: each a few bytes that say which call made it."""
    made = []

    def render_pdf(strategy, *, period, language, user):
        made.append((strategy.pk, period, language, user))
        return f"%PDF-1.7 {strategy.slug} {period} {language} nr. {len(made)}".encode()

    monkeypatch.setattr(pdf, "render_pdf", render_pdf)
    return made


def generate(world, period=2024, language="da", **kwargs):
    return services.report_generate(
        strategy=world.strategy, period=period, language=language, user=world.editor, **kwargs
    )


def url(name, strategy, *args):
    return reverse(f"portal:{name}", args=[strategy.owner.slug, strategy.slug, *args])


def downloaded(client, report) -> bytes:
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_generating_twice_keeps_both_versions(world):
    first = generate(world)
    second = generate(world, note="rettet tal for 2024")

    assert (first.version, second.version) == (1, 2)
    stored = StatusReport.objects.filter(strategy=world.strategy).order_by("version")
    assert [bytes(report.pdf) for report in stored] == [
        b"%PDF-1.7 strategi-2028 2024 da nr. 1",
        b"%PDF-1.7 strategi-2028 2024 da nr. 2",
    ]
    assert stored[1].note == "rettet tal for 2024"
    assert stored[1].sha256 == hashlib.sha256(bytes(stored[1].pdf)).hexdigest()
    assert not any(report.is_published for report in stored)


def test_the_stored_report_is_the_pdf_the_renderer_made(world, client, monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", RENDER_PDF)

    report = services.report_publish(report=generate(world), user=world.editor)

    stored = downloaded(client, report)
    assert stored.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(stored)).pages)
    assert "Strategi 2028" in text
    assert report.size == len(stored)
    assert report.sha256 == hashlib.sha256(stored).hexdigest()


def test_versions_are_counted_per_period_and_language(world):
    generate(world, period=2024)
    assert generate(world, period=2024, language="en").version == 1
    assert generate(world, period=2023).version == 1
    assert generate(world, period=2024).version == 2


def test_the_report_is_rendered_as_the_public_reads_the_strategy(world, rendered):
    # Drafts of goals and targets that its editors see must not go into a published report.
    generate(world)

    assert rendered == [(world.strategy.pk, 2024, "da", None)]


def test_publishing_the_second_version_keeps_the_first_downloadable_as_an_earlier_one(
    world, client
):
    first = generate(world)
    services.report_publish(report=first, user=world.editor)
    second = generate(world, note="rettet tal for 2024")
    services.report_publish(report=second, user=world.editor)

    page = client.get(url("status_reports", world.strategy)).text

    assert page.index(second.get_absolute_url()) < page.index(first.get_absolute_url())
    assert page.count("Tidligere version") == 1
    assert "rettet tal for 2024" in page
    assert downloaded(client, first) == b"%PDF-1.7 strategi-2028 2024 da nr. 1"
    assert downloaded(client, second) == b"%PDF-1.7 strategi-2028 2024 da nr. 2"
    strategy_page = client.get(world.strategy.get_absolute_url()).text
    assert second.get_absolute_url() in strategy_page
    assert first.get_absolute_url() not in strategy_page


def test_regenerating_after_publishing_makes_a_new_unpublished_version_and_the_public_keeps_the_published_one(  # noqa: E501
    world, client, rendered
):
    published = services.report_publish(report=generate(world), user=world.editor)
    before = downloaded(client, published)
    client.force_login(world.editor)

    response = client.post(
        url("status_report_generate", world.strategy), {"period": 2024, "language": "da"}
    )

    assert response.status_code == 302
    assert response["Location"] == url("status_reports", world.strategy)
    newer = StatusReport.objects.get(strategy=world.strategy, version=2)
    assert not newer.is_published
    assert "er lavet som version 2" in client.get(response["Location"]).text
    client.logout()
    assert downloaded(client, published) == before
    assert StatusReport.objects.get(pk=published.pk).published_at == published.published_at
    assert client.get(newer.get_absolute_url()).status_code == 404
    page = client.get(url("status_reports", world.strategy)).text
    assert published.get_absolute_url() in page
    assert newer.get_absolute_url() not in page
    assert published.get_absolute_url() in client.get(world.strategy.get_absolute_url()).text


def test_an_editor_publishes_with_the_button(world, client):
    report = generate(world)
    client.force_login(world.editor)

    page = client.get(url("status_reports", world.strategy)).text
    assert "Ikke offentliggjort, kun for redaktører" in page
    assert url("status_report_publish", world.strategy, report.pk) in page
    response = client.post(url("status_report_publish", world.strategy, report.pk), follow=True)

    assert "er nu offentlig" in response.text
    report.refresh_from_db()
    assert report.published_at is not None
    assert report.published_by == world.editor


def test_a_published_report_is_not_published_again(world, client):
    report = generate(world)
    services.report_publish(report=report, user=world.editor)
    published_at = StatusReport.objects.get(pk=report.pk).published_at
    client.force_login(world.editor)

    response = client.post(url("status_report_publish", world.strategy, report.pk), follow=True)

    assert "allerede offentliggjort" in response.text
    assert StatusReport.objects.get(pk=report.pk).published_at == published_at


@pytest.mark.parametrize("who", ["other_editor", "reporter"])
def test_another_organizations_editor_and_a_reporter_can_neither_generate_nor_publish(
    world, client, who
):
    user = getattr(world, who)
    report = generate(world)
    # The other organization's report exists, and its own editor may publish it.
    assert world.other_report.pk
    other = world.other_report.strategy

    with pytest.raises(PermissionDenied):
        services.report_generate(strategy=world.strategy, period=2024, language="da", user=user)
    with pytest.raises(PermissionDenied):
        services.report_publish(report=report, user=user)
    client.force_login(user)
    generating = client.post(
        url("status_report_generate", world.strategy), {"period": 2024, "language": "da"}
    )
    publishing = client.post(url("status_report_publish", world.strategy, report.pk))
    assert (generating.status_code, publishing.status_code) == (403, 403)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert StatusReport.objects.filter(strategy=world.strategy).count() == 1
    assert not StatusReport.objects.get(pk=report.pk).is_published
    if who == "other_editor":
        response = client.post(url("status_report_publish", other, world.other_report.pk))
        assert response.status_code == 302
        assert StatusReport.objects.get(pk=world.other_report.pk).is_published


def test_a_visitor_can_neither_generate_nor_publish(world, client):
    report = generate(world)

    generating = client.post(
        url("status_report_generate", world.strategy), {"period": 2024, "language": "da"}
    )
    publishing = client.post(url("status_report_publish", world.strategy, report.pk))

    assert (generating.status_code, publishing.status_code) == (403, 403)
    assert StatusReport.objects.filter(strategy=world.strategy).count() == 1


def test_the_public_cannot_see_an_unpublished_report_and_its_editors_can(world, client):
    report = generate(world)
    assert StatusReport.objects.count() == 2  # the other organization's, unpublished, too

    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(world.other_report.get_absolute_url()).status_code == 404
    page = client.get(url("status_reports", world.strategy)).text
    assert "Der er endnu ingen offentliggjorte statusrapporter" in page
    assert "Statusrapporter" not in client.get(world.strategy.get_absolute_url()).text
    assert list(StatusReport.objects.public()) == []
    client.force_login(world.editor)
    assert downloaded(client, report) == b"%PDF-1.7 strategi-2028 2024 da nr. 1"
    assert client.get(world.other_report.get_absolute_url()).status_code == 404


def test_a_published_report_of_a_strategy_made_a_draft_again_is_hidden(world, client):
    report = generate(world)
    services.report_publish(report=report, user=world.editor)
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)

    assert client.get(report.get_absolute_url()).status_code == 404
    assert list(StatusReport.objects.public()) == []


def test_a_failing_rendering_stores_nothing_and_says_so(world, client, monkeypatch, caplog):
    def failing(strategy, *, period, language, user):
        raise RuntimeError("Pango mangler")

    monkeypatch.setattr(pdf, "render_pdf", failing)
    with pytest.raises(RuntimeError):
        generate(world)
    client.force_login(world.editor)

    response = client.post(
        url("status_report_generate", world.strategy), {"period": 2024, "language": "da"}
    )

    assert response.status_code == 200
    assert "Rapporten kunne ikke laves, og intet er gemt" in response.text
    failures = [r for r in caplog.records if r.name == "strategyportal.reports.archive"]
    assert [(r.levelname, str(r.exc_info[1])) for r in failures] == [("ERROR", "Pango mangler")]
    assert not StatusReport.objects.filter(strategy=world.strategy).exists()


def test_the_periods_offered_are_those_with_values_within_the_strategy_s_years(world):
    target = world.strategy.goals.get().targets.get()
    for period in (2022, 2025):
        IndicatorValueFactory(indicator=target.indicator, period=period)
    world.strategy.end_year = 2024

    assert services.report_periods([world.strategy])[world.strategy.pk].years == [2023, 2024]


def test_a_period_without_values_is_refused_next_to_its_field(world, client, rendered):
    client.force_login(world.editor)

    response = client.post(
        url("status_report_generate", world.strategy), {"period": 2019, "language": "xx"}
    )

    assert response.status_code == 200
    assert f'id="id_report_{world.strategy.pk}_period_error"' in response.text
    assert f'id="id_report_{world.strategy.pk}_language_error"' in response.text
    with pytest.raises(ValidationError) as refused:
        generate(world, period=2019)
    assert "period" in refused.value.message_dict
    assert rendered == []
    assert not StatusReport.objects.filter(strategy=world.strategy).exists()


def test_a_draft_strategy_has_no_report_yet(world, rendered):
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)
    world.strategy.refresh_from_db()

    with pytest.raises(ValidationError, match="Offentliggør den først"):
        generate(world)
    assert rendered == []


def test_the_staff_workspace_offers_each_strategy_s_report_newest_period_first(world, client):
    draft = StrategyFactory(
        owner=world.strategy.owner, title="Hemmeligt udkast", status=Strategy.Status.DRAFT
    )
    client.force_login(world.editor)

    page = client.get(reverse("admin:index")).text

    form_action = url("status_report_generate", world.strategy)
    assert f'action="{form_action}"' in page
    assert '<option value="2024" selected>2024</option>' in page
    assert page.index('<option value="2024"') < page.index('<option value="2023"')
    assert "Lav statusrapport" in page
    assert url("status_report_generate", draft) not in page
    assert "Offentliggør strategien først." in page
    response = client.post(form_action, {"period": 2023, "language": "en"})
    assert response.status_code == 302
    assert StatusReport.objects.get(strategy=world.strategy).period == 2023


def test_a_download_is_named_typed_and_revalidated(world, client):
    report = generate(world)
    services.report_publish(report=report, user=world.editor)

    response = client.get(report.get_absolute_url())

    assert report.get_absolute_url().endswith(
        f"/rapporter/{report.pk}/statusrapport-strategi-2028-2024-v1-da.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="statusrapport-strategi-2028-2024-v1-da.pdf"'
    )
    assert response["ETag"] == f'"{report.sha256}"'
    assert "public" in response["Cache-Control"]
    again = client.get(report.get_absolute_url(), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    misnamed = url("status_report_pdf", world.strategy, report.pk, "noget-andet")
    assert client.get(misnamed)["Location"] == report.get_absolute_url()


def test_an_unpublished_download_is_kept_private(world, client):
    report = generate(world)
    client.force_login(world.editor)

    response = client.get(report.get_absolute_url())

    assert "private" in response["Cache-Control"]


def test_the_strategy_page_links_the_latest_published_report_of_each_period(world, client):
    for period in (2023, 2024):
        services.report_publish(report=generate(world, period=period), user=world.editor)
    services.report_publish(report=generate(world, period=2024), user=world.editor)

    page = client.get(world.strategy.get_absolute_url()).text

    latest = StatusReport.objects.filter(period=2024).order_by("-version")
    assert latest[0].get_absolute_url() in page
    assert latest[1].get_absolute_url() not in page
    assert StatusReport.objects.get(period=2023).get_absolute_url() in page
    assert "Statusrapport 2024, offentliggjort" in page
    assert url("status_reports", world.strategy) in page


@pytest.mark.parametrize("as_editor", [False, True])
@pytest.mark.parametrize("page", ["status_reports", "strategy"])
def test_the_pages_run_as_many_queries_for_many_reports_as_for_one(
    world, client, django_assert_num_queries, as_editor, page
):
    if as_editor:
        client.force_login(world.editor)
    address = url(page, world.strategy)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    services.report_publish(report=generate(world), user=world.editor)
    count()
    with_one = count()
    for period, language in [(2023, "da"), (2023, "en"), (2024, "da"), (2024, "sv")]:
        services.report_publish(report=generate(world, period, language), user=world.editor)
        generate(world, period, language)

    with django_assert_num_queries(with_one):
        assert client.get(address).status_code == 200


def test_the_admin_shows_an_editor_their_own_reports_to_read_and_nothing_to_change(world, client):
    report = services.report_publish(report=generate(world), user=world.editor)
    draft = generate(world)
    client.force_login(world.editor)

    listing = client.get(reverse("admin:goals_statusreport_changelist")).text

    assert world.strategy.title in listing
    assert "Naboens strategi" not in listing
    assert StatusReport.objects.filter(pk=world.other_report.pk).exists()
    other = reverse("admin:goals_statusreport_change", args=[world.other_report.pk])
    assert client.get(other).status_code == 403
    assert client.get(reverse("admin:goals_statusreport_add")).status_code == 403
    page = client.get(reverse("admin:goals_statusreport_change", args=[report.pk]))
    assert page.status_code == 200
    assert report.get_absolute_url() in page.text
    assert 'name="note"' not in page.text
    published = reverse("admin:goals_statusreport_delete", args=[report.pk])
    assert client.post(published, {"post": "yes"}).status_code == 403
    unpublished = reverse("admin:goals_statusreport_delete", args=[draft.pk])
    assert client.post(unpublished, {"post": "yes"}).status_code == 302
    assert list(StatusReport.objects.filter(strategy=world.strategy)) == [report]


CLICKS = 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_clicks_give_consecutive_versions_never_an_error(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time, so the clicks cannot overlap there")
    barrier = threading.Barrier(CLICKS)
    results: list[object] = []

    def click() -> None:
        try:
            barrier.wait()
            results.append(generate(world).version)
        except Exception as error:  # reported below: an error fails the test
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [result for result in results if not isinstance(result, int)] == []
    assert sorted(results) == list(range(1, CLICKS + 1))


def test_a_period_whose_only_values_sit_on_a_draft_target_is_not_offered(world, client):
    draft = GoalTargetFactory(
        goal__focus_area=world.strategy.focus_areas.get(),
        goal__status=Strategy.Status.DRAFT,
    )
    IndicatorValueFactory(indicator=draft.indicator, period=2025)
    client.force_login(world.editor)

    page = client.get(url("status_reports", world.strategy)).text

    assert '<option value="2025"' not in page
    assert '<option value="2024"' in page
    assert services.report_periods([world.strategy])[world.strategy.pk].years == [2023, 2024]


def test_a_period_withdrawn_after_the_check_is_a_form_error_not_an_operations_error(
    world, client, monkeypatch, caplog
):
    def withdrawn(strategy, *, period, language, user):
        raise NoSuchPeriod(period)

    monkeypatch.setattr(pdf, "render_pdf", withdrawn)
    client.force_login(world.editor)

    response = client.post(
        url("status_report_generate", world.strategy), {"period": 2024, "language": "da"}
    )

    assert response.status_code == 200
    assert "Strategien har ingen godkendte tal for 2024" in response.text
    assert "Portalens drift har fået besked" not in response.text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert not StatusReport.objects.filter(strategy=world.strategy).exists()


def test_school_years_are_labelled_as_the_report_labels_them(client):
    target = GoalTargetFactory(indicator__metric__period_kind="school_year")
    IndicatorValueFactory(indicator=target.indicator, period=2024)
    strategy = target.goal.strategy
    editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(user=editor, organization=strategy.owner)
    report = StatusReportFactory(strategy=strategy, period=2024, version=1)
    services.report_publish(report=report, user=editor)

    archive = client.get(url("status_reports", strategy)).text
    strategy_page = client.get(strategy.get_absolute_url()).text
    client.force_login(editor)
    form = client.get(url("status_reports", strategy)).text

    assert "Statusrapport 2024/25" in archive
    assert "Statusrapport 2024/25, offentliggjort" in strategy_page
    assert '<option value="2024" selected>2024/25</option>' in form


def test_the_form_offers_the_owners_language_first(world):
    world.strategy.owner.language = "sv"

    form = archive.report_form(world.strategy, services.report_periods([world.strategy]))

    assert form["language"].initial == "sv"
