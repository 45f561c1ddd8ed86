"""Every CSV and Excel file the portal writes keeps a text that a spreadsheet would run as a
formula from running (OWASP's rule for CSV injection), and leaves numbers numbers."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import spreadsheets
from indicators.exports import spreadsheet_cell
from indicators.models import IndicatorValue
from tests.factories import (
    GoalTargetFactory,
    IndicatorValueFactory,
    ReportingRoundFactory,
)
from tests.reporting.conftest import login, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_starts_a_formula_gets_a_quote_in_front(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Årsrapport", "", "a=b", "'=1", None, "2024/25"])
def test_other_text_is_left_as_it_is(value):
    assert spreadsheet_cell(value) == value


@pytest.mark.parametrize("value", [-3, -3.5, Decimal("-3.5"), "-3.5", "-3,5", "-1.234,5", "+4"])
def test_numbers_and_bare_number_literals_stay_numbers(value):
    assert spreadsheet_cell(value) == value


def test_the_public_csv_quotes_a_hostile_unit_and_source(client):
    target = GoalTargetFactory(
        indicator__metric__unit="=cmd|' /C calc'!A0",
    )
    IndicatorValueFactory(
        indicator=target.indicator, period=2024, value="3.5", source='=HYPERLINK("x")'
    )
    goal, strategy = target.goal, target.goal.strategy
    url = reverse(
        "portal:indicator_csv",
        args=[strategy.owner.slug, strategy.slug, goal.slug, target.indicator.slug],
    )

    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))

    row = next(row for row in rows if row["periode"] == "2024")
    assert row["kilde"] == '\'=HYPERLINK("x")'
    assert row["enhed"] == "'=cmd|' /C calc'!A0"
    assert row["vaerdi"] == "3.5"


@pytest.fixture
def hostile_round(world):  # noqa: F811
    world.indicator.name = "=1+1"
    world.indicator.save()
    world.school_a.name = "@Skole"
    world.school_a.save()
    IndicatorValueFactory(
        indicator=world.indicator,
        organization=world.school_b,
        period=2023,
        value=4,
        note="+nota",
        source="-kilde",
        status=IndicatorValue.Status.DRAFT,
    )
    return ReportingRoundFactory(
        organization=world.herning, period=2023, deadline=datetime.date(2024, 10, 1)
    )


def test_the_round_csv_quotes_hostile_names(world, login, hostile_round):  # noqa: F811
    editor = login(world.users["editor at Herning"])

    response = editor.get(reverse("reporting:round", args=[hostile_round.pk]), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert "'@Skole" in rows[0]
    assert rows[1][0] == "'=1+1"


def test_the_csv_template_quotes_hostile_text_keeps_numbers_and_reads_back(
    world,  # noqa: F811
    login,  # noqa: F811
    hostile_round,
):
    editor = login(world.users["editor at Herning"])

    response = editor.get(reverse("reporting:round_template", args=[hostile_round.pk, "csv"]))

    content = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    school_b = next(row for row in rows if row["organisationsnavn"] == "Skole B")
    assert school_b["indikatornavn"] == "'=1+1"
    assert school_b["værdi"] == "4"
    assert "'+nota" in content
    assert "'-kilde" in content
    assert "'@Skole" in content
    [read_back] = [row for row in spreadsheets.read(response.content, "t.csv") if row["note"].text]
    assert read_back["note"].text == "+nota"
    assert read_back["source"].text == "-kilde"


def test_the_excel_template_quotes_hostile_text_and_keeps_numbers_numbers(
    world,  # noqa: F811
    login,  # noqa: F811
    hostile_round,
):
    editor = login(world.users["editor at Herning"])

    response = editor.get(reverse("reporting:round_template", args=[hostile_round.pk, "xlsx"]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    rows = [
        dict(zip(header, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    school_b = next(row for row in rows if row["organisationsnavn"] == "Skole B")
    assert school_b["indikatornavn"] == "'=1+1"
    assert school_b["note"] == "'+nota"
    assert school_b["værdi"] == 4
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_upload_preview_csv_quotes_hostile_text(world, login, hostile_round):  # noqa: F811
    editor = login(world.users["editor at Herning"])
    content = (
        "organisation;indikator;periode;værdi;note;kilde\n"
        f"=org;herning/{world.indicator.slug};2023;45;;\n"
    ).encode()
    uploaded = editor.post(
        reverse("reporting:upload", args=[hostile_round.pk]),
        {"file": SimpleUploadedFile("tal.csv", content)},
    )

    response = editor.get(uploaded["Location"], {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][2] == "'=org"
