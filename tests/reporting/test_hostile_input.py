"""No input to the reporting page or the upload gives a server error: each gets a message,
and nothing is half-written."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import IndicatorValue, ValueUpload
from tests.factories import ReportingRoundFactory


@pytest.mark.parametrize(
    "query",
    [
        {"periode": "abc"},
        {"periode": "-5"},
        {"periode": "5"},
        {"periode": "99999999999999999999999"},
        {"fra": "2030", "periode": "2020"},
        {"fra": "x", "periode": "2023"},
        {"periode": "2023\x00"},
    ],
)
def test_any_choice_of_periods_gives_a_page(world, login, query):
    client = login(world.users["reporter at school A"])

    assert client.get(reverse("reporting:report", args=["skole-a"]), query).status_code == 200


@pytest.mark.parametrize(
    "typed",
    ["1e400", "9" * 30, "NaN", "-0", "1.2.3", "1,2,3", "١٢", "12\x00", " ", "½", "0x1A"],
)
def test_any_typed_number_is_saved_or_explained(world, login, typed):
    client = login(world.users["reporter at school A"])
    prefix = f"indicator-{world.indicator.pk}-2023"

    response = client.post(
        reverse("reporting:report", args=["skole-a"]),
        {"periode": 2023, "action": "submit", f"{prefix}-value": typed, f"{prefix}-weight": typed},
    )

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not IndicatorValue.objects.filter(organization=world.school_a, period=2023).exists()


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "tal.xlsx",
            workbook(["organisation", "indikator", "periode", "værdi"], [None, None, None, 1e300]),
        ),
        (
            "tal.xlsx",
            workbook(
                ["organisation", "indikator", "periode", "værdi"], ["skole-a", "x", 2023.5, True]
            ),
        ),
        (
            "tal.xlsx",
            workbook(
                ["organisation", "indikator", "periode", "værdi"],
                ["skole-a", "herning/x", datetime.time(12), float("inf")],
            ),
        ),
        ("tal.xlsx", workbook()),
        ("tal.csv", 'organisation;indikator;periode;værdi\n"uafsluttet'.encode()),
        (
            "tal.csv",
            b"organisation;indikator;periode;v\xe6rdi\nskole-a;herning/x;2023;12345678901234567",
        ),
        ("tal.csv", b"\xff\xfe\x00o\x00r\x00g"),
        ("tal.csv", b"organisation;indikator;periode;v\xe6rdi\nskole-a;herning/x;0000;1"),
        ("tal\x00.csv", b"organisation;indikator;periode;v\xe6rdi\n"),
        ("tal.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    ],
)
def test_any_uploaded_file_is_previewed_or_explained(world, login, name, content):
    reporting_round = ReportingRoundFactory(organization=world.herning, period=2023)
    client = login(world.users["editor at Herning"])

    response = client.post(
        reverse("reporting:upload", args=[reporting_round.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )

    assert response.status_code in (200, 400)
    for upload in ValueUpload.objects.all():
        apply = reverse("reporting:upload_apply", args=[reporting_round.pk, upload.pk])
        assert client.post(apply, follow=True).status_code == 200
    assert not IndicatorValue.objects.filter(period=2023).exists()
