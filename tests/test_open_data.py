"""The whole-portal downloads: the same numbers as the pages, nothing a visitor could not see,
a valid data package, and builds that are never served half-written.

The seed with planted sentinels is built once for the module, in a transaction rolled back
afterwards; the tests read the files (and the pages, fetched in the same transaction)."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from goals.models import Goal, Strategy, Theme
from indicators.exports import spreadsheet_cell
from indicators.models import (
    PRIVACY_THRESHOLD,
    GoalTarget,
    IndicatorValue,
    Metric,
    published_number,
)
from indicators.services import refresh_assessments
from municipalities.models import DataLicence, Organization
from strategyportal.opendata import builds
from strategyportal.opendata.formats import JSON, PACKAGE, XLSX, ZIP
from strategyportal.opendata.tables import TABLES
from tests.conftest import insert_seed
from tests.factories import (
    ActionFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MetricFactory,
    OrganizationFactory,
    StrategyFactory,
    ThemeFactory,
    WorkingModelFactory,
)
from tests.portal.test_school_values import report, reported_by_schools

# Texts and numbers that only unpublished things carry; none may appear in any file.
SENTINELS = {
    "draft strategy": "SENTINEL-DRAFT-STRATEGY",
    "goal of a draft strategy": "SENTINEL-GOAL-IN-DRAFT-STRATEGY",
    "draft goal": "SENTINEL-DRAFT-GOAL",
    "indicator of a draft target": "SENTINEL-DRAFT-TARGET-INDICATOR",
    "draft action": "SENTINEL-DRAFT-ACTION",
    "theme only a draft goal carries": "SENTINEL-DRAFT-THEME",
    "draft working model": "SENTINEL-DRAFT-WORKING-MODEL",
    "submitted value": "4242.4242",
    "rejected value": "4343.4343",
    "small count's source": "SENTINEL-SMALL-COUNT",
}
CONTROL = "CONTROL-PUBLISHED-GOAL"
CONTROL_VALUE = "8888.125"


@dataclass
class World:
    build: builds.Build
    csv: dict[str, list[dict]]  # table name: rows as read from the zip's CSV files
    json: dict
    package: dict
    workbook_rows: dict[str, list[tuple]]
    texts: dict[str, str]  # every file's text, the workbook's cells joined
    pages: dict[int, dict]  # public target: what its page shows
    open_data_page: str
    footer_page: str
    small_count_value: int
    small_count_target: int  # one with a baseline, from which progress would tell the count
    computed_target: int  # its owner's numbers are computed from its schools'


def plant_sentinels() -> tuple[int, int, int]:
    """Unpublished things of every kind, small counts and a published control, and a target
    computed from its schools' values; the keys of the small count's value, of the small
    count's target with a baseline and of the computed target."""
    owner = Organization.objects.get(slug="herning-kommune")
    draft = StrategyFactory(owner=owner, title=SENTINELS["draft strategy"], status="draft")
    in_draft = GoalTargetFactory(
        goal=GoalFactory(focus_area__strategy=draft, text=SENTINELS["goal of a draft strategy"])
    )
    IndicatorValueFactory(indicator=in_draft.indicator, value=Decimal("7777.7777"))
    # A published version of the draft: the foreign keys would not resolve if it named it.
    published = StrategyFactory(owner=owner, title="Offentlig strategi", replaces=draft)
    draft_goal = GoalFactory(
        focus_area__strategy=published, text=SENTINELS["draft goal"], status="draft"
    )
    draft_goal.themes.add(ThemeFactory(name=SENTINELS["theme only a draft goal carries"]))
    GoalTargetFactory(goal=draft_goal)
    control = GoalTargetFactory(goal=GoalFactory(focus_area__strategy=published, text=CONTROL))
    GoalTargetFactory(
        goal=control.goal,
        indicator=IndicatorFactory(
            organization=owner, name=SENTINELS["indicator of a draft target"]
        ),
        status="draft",
    )
    ActionFactory(
        focus_area=control.goal.focus_area, text=SENTINELS["draft action"], status="draft"
    )
    WorkingModelFactory(organization=owner, name=SENTINELS["draft working model"], status="draft")
    IndicatorValueFactory(indicator=control.indicator, period=2024, value=Decimal(CONTROL_VALUE))
    for period, value, status in (
        (2025, "4242.4242", "submitted"),
        (2026, "4343.4343", "rejected"),
    ):
        IndicatorValueFactory(
            indicator=control.indicator, period=period, value=Decimal(value), status=status
        )
    pupils = GoalTargetFactory(
        goal=control.goal,
        indicator=IndicatorFactory(
            organization=owner, metric=MetricFactory(counts_pupils=True, owner=owner)
        ),
        baseline_period=None,
        baseline_value=None,
        target_value=Decimal(10),
    )
    small = IndicatorValueFactory(
        indicator=pupils.indicator,
        period=2024,
        value=Decimal(3),
        source=SENTINELS["small count's source"],
    )
    # From a baseline of 20 pupils to 22 and then 3: the progress and the forecast's pace
    # would give the 3 back.
    with_baseline = GoalTargetFactory(
        goal=control.goal,
        indicator=IndicatorFactory(organization=owner, metric=pupils.indicator.metric),
        baseline_period=2022,
        baseline_value=Decimal(20),
        target_value=Decimal(25),
    )
    for period, value in ((2023, 22), (2024, 3)):
        IndicatorValueFactory(indicator=with_baseline.indicator, period=period, value=value)
    computed, schools = reported_by_schools(
        Metric.Aggregation.WEIGHTED_MEAN, weight_label="antal elever i årgangen"
    )
    report(computed, schools, [84, 86, 88], period=2023, weight=7)
    report(computed, schools[:1], [20], weight=7)
    report(computed, schools[1:2], [30], weight=2)
    refresh_assessments(GoalTarget.objects.all())
    # They exist, and would be found if the downloads read past the publication rule.
    assert Strategy.objects.filter(title=SENTINELS["draft strategy"]).exists()
    assert Goal.objects.filter(text=SENTINELS["draft goal"]).exists()
    assert Theme.objects.filter(name=SENTINELS["theme only a draft goal carries"]).exists()
    assert IndicatorValue.objects.filter(value=Decimal("4242.4242")).exists()
    assert not Theme.objects.visible_to(None).filter(name__startswith="SENTINEL").exists()
    return small.pk, with_baseline.pk, computed.pk


def read_build(build: builds.Build) -> dict:
    with zipfile.ZipFile(build.directory / ZIP) as archive:
        members = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    workbook = load_workbook(build.directory / XLSX, read_only=True)
    workbook_rows = {
        sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets
    }
    workbook.close()
    texts = dict(members.items())
    texts[JSON] = (build.directory / JSON).read_text(encoding="utf-8")
    texts[PACKAGE] = (build.directory / PACKAGE).read_text(encoding="utf-8")
    texts[XLSX] = "\n".join(
        str(cell) for rows in workbook_rows.values() for row in rows for cell in row
    )
    return {
        "csv": {
            name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(text)))
            for name, text in members.items()
            if name.endswith(".csv")
        },
        "json": json.loads(texts[JSON]),
        "package": json.loads(members[PACKAGE]),
        "workbook_rows": workbook_rows,
        "texts": texts,
    }


def target_pages(client: Client) -> dict[int, dict]:
    """What each public target's page shows: its assessment from the values, its table."""
    pages = {}
    for target in GoalTarget.objects.public().select_related("goal__strategy__owner", "indicator"):
        response = client.get(target.get_absolute_url())
        assert response.status_code == 200
        table = client.get(target.get_absolute_url() + "data.csv").content.decode()
        pages[target.pk] = {
            "assessment": response.context["assessment"],
            "table": list(csv.DictReader(io.StringIO(table))),
            "rows": response.context["rows"],
            "owner": target.indicator.organization_id,
            "indicator": target.indicator_id,
            "pupils": target.counts_pupils,
        }
    return pages


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, seed_rows, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(OPEN_DATA_DIR=tmp_path_factory.mktemp("open-data-module")),
    ):
        insert_seed(seed_rows)
        Organization.objects.filter(slug="hillerod-kommune").update(
            data_licence=DataLicence.CC0_1_0
        )
        small, small_target, computed = plant_sentinels()
        build = builds.refresh()
        client = Client()
        world = World(
            build=build,
            **read_build(build),
            pages=target_pages(client),
            open_data_page=client.get(reverse("portal:open_data")).content.decode(),
            footer_page=client.get(reverse("portal:front")).content.decode(),
            small_count_value=small,
            small_count_target=small_target,
            computed_target=computed,
        )
        transaction.set_rollback(True)
    return world


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def plain(text: str) -> str:
    """A number of a download as the target page's CSV writes it (strategyportal/views.py:
    `_plain`)."""
    number = _number(text)
    return "" if number is None else f"{number:.4f}".rstrip("0").rstrip(".")


def test_every_seed_target_has_the_numbers_its_page_shows(world):
    targets = {int(row["id"]): row for row in world.csv["targets"]}
    assert set(targets) == set(world.pages)
    for pk, page in world.pages.items():
        row, assessment = targets[pk], page["assessment"]
        latest = assessment.latest
        assert row["status"] == assessment.status
        assert _number(row["latest_period"]) == (latest and latest.period)
        withheld = latest is not None and latest.value < PRIVACY_THRESHOLD and page["pupils"]
        assert row["latest_value_suppressed"] == ("true" if withheld else "false")
        if withheld:
            assert row["latest_value"] == row["progress"] == row["forecast_pace"] == ""
        else:
            assert _number(row["latest_value"]) == published_number(latest and latest.value)
            assert _number(row["progress"]) == published_number(assessment.progress)
            pace = assessment.forecast and assessment.forecast.pace
            assert _number(row["forecast_pace"]) == published_number(pace)
        assert _number(row["expected"]) == published_number(assessment.expected)
        aim = assessment.target
        assert _number(row["target_value"]) == aim.value
        assert _number(row["target_period"]) == aim.period
        baseline = aim.baseline
        assert _number(row["baseline_value"]) == (baseline and baseline.value)
        assert _number(row["baseline_period"]) == (baseline and baseline.period)


def test_every_row_of_every_target_page_is_in_the_target_series(world):
    series = {}
    for row in world.csv["target_series"]:
        series.setdefault(int(row["target_id"]), []).append(row)
    assert world.computed_target in world.pages
    computed = 0
    for pk, page in world.pages.items():
        rows = series.get(pk, [])
        assert [row["period_label"] for row in rows] == [row["periode"] for row in page["table"]]
        for row, shown in zip(rows, page["table"], strict=True):
            assert plain(row["value"]) == shown["vaerdi"], (pk, shown["periode"])
            assert row["suppressed"] == ("true" if shown["bemaerkning"] else "false")
            assert row["computed"] == ("true" if shown["kilde"].startswith("Beregnet") else "false")
            assert plain(row["expected"]) == shown["forventet"]
            assert plain(row["milestone"]) == shown["delmaal"]
            assert plain(row["target"]) == shown["maal"]
            computed += row["computed"] == "true"
    assert computed >= 2
    # (7 x 20 + 2 x 30) / 9, as the page's CSV rounds it.
    [mean] = [row for row in series[world.computed_target] if row["period"] == "2024"]
    assert mean["value"] == "22.2222"


def test_every_value_in_a_target_table_is_in_the_values(world):
    values = {
        (int(row["indicator_id"]), int(row["organization_id"]), int(row["period"])): row
        for row in world.csv["values"]
    }
    compared = 0
    for page in world.pages.values():
        for row in page["rows"]:
            if row.point is None or row.coverage is not None:
                continue  # no value, or one derived from the schools' (their rows are there)
            value = values[(page["indicator"], page["owner"], row.period)]
            assert value["period_label"] == row.label
            if row.hidden:
                assert value["suppressed"] == "true"
                assert value["value"] == ""
            else:
                assert float(value["value"]) == row.point.value
            compared += 1
    assert compared >= 2


def test_no_format_holds_anything_unpublished(world):
    for name, text in world.texts.items():
        for what, sentinel in SENTINELS.items():
            if what == "small count's source":
                continue  # its row is there, without the number
            assert sentinel not in text, f"{what} in {name}"
        assert "7777.7777" not in text


def test_a_published_control_is_in_every_format(world):
    for name in ("goals.csv", JSON, XLSX):
        assert CONTROL in world.texts[name], name
    for name in ("values.csv", JSON, XLSX):
        assert CONTROL_VALUE in world.texts[name], name


def test_a_small_count_is_suppressed_in_every_format(world):
    pk = world.small_count_value
    [row] = [row for row in world.csv["values"] if int(row["id"]) == pk]
    assert (row["value"], row["suppressed"]) == ("", "true")
    [row] = [row for row in world.json["tables"]["values"] if row["id"] == pk]
    assert (row["value"], row["suppressed"]) == (None, True)
    header, *rows = world.workbook_rows["values"]
    [row] = [dict(zip(header, row, strict=True)) for row in rows if row[0] == pk]
    assert (row["value"], row["suppressed"]) == (None, True)


def test_a_small_count_with_a_baseline_is_told_by_no_progress_or_pace(world):
    pk = world.small_count_target
    assessment = world.pages[pk]["assessment"]
    # The page computes what would tell the count; the downloads give none of it.
    assert assessment.latest.value < PRIVACY_THRESHOLD
    assert assessment.progress is not None
    assert assessment.forecast.pace is not None
    withheld = ("latest_value", "progress", "forecast_pace")
    [row] = [row for row in world.csv["targets"] if int(row["id"]) == pk]
    assert [row[name] for name in withheld] == ["", "", ""]
    assert row["latest_value_suppressed"] == "true"
    [row] = [row for row in world.json["tables"]["targets"] if row["id"] == pk]
    assert [row[name] for name in withheld] == [None, None, None]
    header, *rows = world.workbook_rows["targets"]
    [row] = [dict(zip(header, row, strict=True)) for row in rows if row[0] == pk]
    assert [row[name] for name in withheld] == [None, None, None]
    [row] = [
        row
        for row in world.csv["target_series"]
        if int(row["target_id"]) == pk and row["period"] == "2024"
    ]
    assert (row["value"], row["suppressed"]) == ("", "true")


def test_the_data_package_describes_each_csv_file(world):
    package = world.package
    assert package["profile"] == "tabular-data-package"
    assert package["created"]
    assert package["version"] == world.build.version
    assert [licence["name"] for licence in package["licenses"]] == ["CC-BY-4.0", "CC0-1.0"]
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == {table.name for table in TABLES}
    for name, resource in resources.items():
        fields = [field["name"] for field in resource["schema"]["fields"]]
        header = next(csv.reader(io.StringIO(world.texts[resource["path"]])))
        assert header == fields, name
        assert all(field["description"] for field in resource["schema"]["fields"])


PARSERS = {
    "integer": int,
    "number": float,
    "string": str,
    "boolean": {"true": True, "false": False}.__getitem__,
    "datetime": lambda text: datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ"),
}


def test_every_value_parses_as_its_declared_type(world):
    for resource in world.package["resources"]:
        rows = world.csv[resource["name"]]
        for field in resource["schema"]["fields"]:
            parse = PARSERS[field["type"]]
            for row in rows:
                if row[field["name"]] != "":
                    parse(row[field["name"]])


def test_primary_keys_are_unique_and_foreign_keys_resolve(world):
    resources = {resource["name"]: resource for resource in world.package["resources"]}

    def keys(name, fields):
        return [tuple(row[field] for field in fields) for row in world.csv[name]]

    for name, resource in resources.items():
        schema = resource["schema"]
        primary = keys(name, schema["primaryKey"])
        assert len(primary) == len(set(primary)), name
        for foreign in schema["foreignKeys"]:
            referred = foreign["reference"]["resource"] or name
            present = {row[foreign["reference"]["fields"]] for row in world.csv[referred]}
            used = {row[foreign["fields"]] for row in world.csv[name]} - {""}
            assert used <= present, f"{name}.{foreign['fields']}"


def test_the_workbook_and_the_json_hold_the_same_rows_as_the_csv_files(world):
    for table in TABLES:
        header, *rows = world.workbook_rows[table.name]
        assert list(header) == [field.name for field in table.fields]
        objects = world.json["tables"][table.name]
        assert len(rows) == len(objects) == len(world.csv[table.name]) > 0, table.name
        assert [_cells(obj.values()) for obj in objects] == [_cells(row) for row in rows]
    # Numbers are numbers in the workbook, not texts.
    header, *rows = world.workbook_rows["targets"]
    column = header.index("target_value")
    assert all(isinstance(row[column], int | float) for row in rows if row[column] is not None)


def _cells(row) -> tuple:
    """A row as the workbook holds it: texts through the formula rule, empty as nothing."""
    return tuple(None if cell == "" else spreadsheet_cell(cell) for cell in row)


def test_rows_carry_their_organizations_licence(world):
    hillerod = next(row for row in world.csv["organizations"] if row["slug"] == "hillerod-kommune")
    assert hillerod["licence"] == "CC0-1.0"
    strategies = [
        row for row in world.csv["strategies"] if row["organization_id"] == hillerod["id"]
    ]
    assert strategies
    assert {row["licence"] for row in strategies} == {"CC0-1.0"}


def test_the_page_shows_the_files_with_their_sizes_and_the_licences(world):
    page = world.open_data_page
    for name, size in world.build.files.items():
        if name in (ZIP, XLSX, JSON, PACKAGE):
            assert reverse("portal:open_data_file", args=[name]) in page
            assert str(filesizeformat(size)) in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "Hillerød Kommune" in page  # the one organization with a licence of its own
    assert reverse("portal:api_docs") in page


def test_every_page_links_the_open_data_and_their_licence_in_its_footer(world):
    assert reverse("portal:open_data") in world.footer_page
    assert 'rel="license">CC BY 4.0</a>' in world.footer_page


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def _more_data(count: int) -> None:
    """`count` more of each kind that a table reads."""
    owner = OrganizationFactory(data_licence=DataLicence.CC_BY_SA_4_0)
    for _ in range(count):
        target = GoalTargetFactory(goal__focus_area__strategy__owner=owner)
        target.goal.themes.add(ThemeFactory())
        ActionFactory(focus_area=target.goal.focus_area)
        WorkingModelFactory(organization=owner)
        for period in (2024, 2025):
            IndicatorValueFactory(indicator=target.indicator, period=period)
    refresh_assessments(GoalTarget.objects.all())


@pytest.mark.django_db
def test_a_build_runs_as_many_queries_with_many_rows_as_with_few(tmp_path, settings):
    settings.OPEN_DATA_DIR = tmp_path
    _more_data(1)
    few = _queries(lambda: builds.refresh(force=True))
    _more_data(5)
    assert _queries(lambda: builds.refresh(force=True)) == few


@pytest.mark.django_db
def test_the_page_runs_as_many_queries_with_many_rows_as_with_few(tmp_path, settings, client):
    settings.OPEN_DATA_DIR = tmp_path
    url = reverse("portal:open_data")
    _more_data(1)
    builds.refresh()
    few = _queries(lambda: client.get(url))
    _more_data(5)
    Organization.objects.update(data_licence=DataLicence.CC0_1_0)
    builds.refresh()
    assert _queries(lambda: client.get(url)) == few


@pytest.mark.django_db
def test_metrics_of_unpublished_indicators_are_left_out(tmp_path, settings):
    settings.OPEN_DATA_DIR = tmp_path
    draft = GoalTargetFactory(status="draft", indicator__metric__name="SENTINEL-OWN-METRIC")
    assert Metric.objects.filter(pk=draft.indicator.metric_id).exists()
    build = builds.refresh()
    assert "SENTINEL-OWN-METRIC" not in (build.directory / "metrics.csv").read_text()
