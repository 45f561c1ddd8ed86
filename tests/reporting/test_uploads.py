"""Spreadsheet uploads of a round: the template, the preview with errors by row and column,
and applying it all or nothing as submitted values entered by the uploader."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import spreadsheets, uploads
from indicators.models import IndicatorValue, Metric, ValueUpload
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    ReportingRoundFactory,
    SchoolFactory,
)

HEADER = "organisation;indikator;periode;værdi;note;kilde"


@pytest.fixture
def herning_round(world):
    return ReportingRoundFactory(
        organization=world.herning, period=2023, deadline=datetime.date(2024, 10, 1)
    )


@pytest.fixture
def editor(world, login):
    return login(world.users["editor at Herning"])


def indicator_key(world) -> str:
    return f"herning/{world.indicator.slug}"


def csv_file(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join([header, *lines]).encode(encoding)


def checked(world, herning_round, content: bytes, filename: str = "tal.csv") -> list:
    rows = uploads.rows_read(spreadsheets.read(content, filename))
    return uploads.check(herning_round, rows, world.users["editor at Herning"])


def upload_url(herning_round) -> str:
    return reverse("reporting:upload", args=[herning_round.pk])


def post_file(client, herning_round, content: bytes, name: str = "tal.csv"):
    return client.post(upload_url(herning_round), {"file": SimpleUploadedFile(name, content)})


def test_the_template_has_a_row_per_school_and_indicator_with_what_is_stored(
    world, herning_round, editor
):
    IndicatorValueFactory(
        indicator=world.indicator,
        organization=world.school_b,
        period=2023,
        value=41,
        source="",
        status=IndicatorValue.Status.DRAFT,
    )

    response = editor.get(reverse("reporting:round_template", args=[herning_round.pk, "csv"]))

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("organisation;organisationsnavn;indikator;indikatornavn")
    assert lines[1:] == [
        f"skole-a;Skole A;{indicator_key(world)};Elever i 0. klasse;elever;2023;;;;;Mangler",
        f"skole-b;Skole B;{indicator_key(world)};Elever i 0. klasse;elever;2023;41;;;;Kladde",
    ]


def test_the_excel_template_keeps_periods_and_names_as_text(world, herning_round, editor):
    response = editor.get(reverse("reporting:round_template", args=[herning_round.pk, "xlsx"]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:7] == [
        "organisation",
        "organisationsnavn",
        "indikator",
        "indikatornavn",
        "enhed",
        "periode",
        "værdi",
    ]
    assert sheet["F2"].value == "2023"
    assert sheet["F2"].number_format == "@"
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_another_kind_of_template_is_not_found(world, herning_round, editor):
    url = reverse("reporting:round_template", args=[herning_round.pk, "pdf"])

    assert editor.get(url).status_code == 404


def test_each_row_says_what_applying_it_will_do(world, herning_round):
    for period, value, status in [(2021, 30, "draft"), (2020, 29, "submitted")]:
        IndicatorValueFactory(
            indicator=world.indicator,
            organization=world.school_b,
            period=period,
            value=value,
            source="",
            status=status,
        )
    key = indicator_key(world)

    rows = checked(
        world,
        herning_round,
        csv_file(
            f"skole-a;{key};2023;45;;",  # new
            f"skole-a;{key};2022;39;;",  # world.submitted held 38: changed
            f"skole-b;{key};2021;30;;",  # the same number, a draft: sent for approval
            f"skole-b;{key};2020;29;;",  # the same number, already submitted
            f"skole-b;{key};2023;;;",  # nothing typed
        ),
    )

    assert [(row.number, row.action) for row in rows] == [
        (2, "new"),
        (3, "change"),
        (4, "submit"),
        (5, "unchanged"),
        (6, "skip"),
    ]
    assert rows[1].shown_stored == "38\xa0elever"
    assert rows[1].shown_value == "39\xa0elever"
    assert rows[1].revision == world.submitted.revision


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("ukendt;{key};2023;45;;", "organization", "ingen organisation med adressen »ukendt«"),
        (";{key};2023;45;;", "organization", "Skriv organisationens adresse"),
        ("skole-a;herning/ukendt;2023;45;;", "indicator", "ingen indikator »herning/ukendt«"),
        ("skole-a;{key};;45;;", "period", "Skriv perioden"),
        ("skole-a;{key};tyve;45;;", "period", "»tyve« er ikke en periode"),
        ("skole-a;{key};2023/25;45;;", "period", "»2023/25« er ikke et skoleår"),
        ("skole-a;{key};2023/24;45;;", "period", "måles i kalenderår. Skriv 2023."),
        ("skole-a;{key};2099;45;;", "period", "ligger i fremtiden"),
        ("skole-a;{key};2019;45;;", "period", "ligger før udgangspunktet 2020"),
        ("skole-a;{key};2023;fyrre;;", "value", "Skriv et tal, fx 1.384 eller 93,5."),
        ("skole-a;{key};2023;4,5;;", "value", "Et antal skal være et helt tal."),
        ("skole-a;{key};2023;-3;;", "value", "Værdien kan ikke være negativ."),
        ("skole-a;{key};2023;45;;" + "k" * 301, "source", "højst være 300 tegn"),
    ],
)
def test_a_bad_cell_is_an_error_on_its_row_and_column(world, herning_round, line, column, message):
    [row] = checked(world, herning_round, csv_file(line.format(key=indicator_key(world))))

    assert row.action == "error"
    assert message in " ".join(row.errors[column])
    assert any(text.startswith("Kolonnen »") for text in row.messages)


def test_a_school_that_does_not_report_the_indicator_is_refused(world, herning_round):
    IndicatorFactory(
        organization=world.herning, slug="kun-a", reporting_organizations=[world.school_a]
    )

    [row] = checked(world, herning_round, csv_file("skole-b;herning/kun-a;2023;4;;"))

    assert row.errors["organization"] == [f"Skole B indberetter ikke {row.indicator_name}."]


def test_another_municipalitys_indicator_is_not_in_the_round(world, herning_round):
    hillerod_indicator = IndicatorFactory(organization=world.hillerod, slug="hilleroed-tal")

    [row] = checked(
        world, herning_round, csv_file(f"skole-a;hillerod/{hillerod_indicator.slug};2023;4;;")
    )

    assert row.action == "error"
    assert "indicator" in row.errors


def test_two_rows_for_the_same_school_indicator_and_period_are_both_refused(world, herning_round):
    key = indicator_key(world)

    rows = checked(
        world, herning_round, csv_file(f"skole-a;{key};2023;45;;", f"skole-a;{key};2023;46;;")
    )

    assert [row.action for row in rows] == ["error", "error"]
    assert rows[0].errors["period"] == [
        "Rækkerne 2, 3 gælder samme organisation, indikator og periode."
    ]


def test_a_number_excel_turned_into_a_date_is_refused_with_how_to_fix_it(world, herning_round):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["organisation", "indikator", "periode", "værdi"])
    sheet.append(["skole-a", indicator_key(world), 2023, datetime.datetime(2026, 5, 1)])
    sheet.append(["skole-b", indicator_key(world), datetime.date(2023, 1, 1), 44])
    content = io.BytesIO()
    workbook.save(content)

    rows = checked(world, herning_round, content.getvalue(), "tal.xlsx")

    assert "Excel har lavet tallet om til en dato (01.05.2026)" in rows[0].errors["value"][0]
    assert "Perioden er en dato i regnearket" in rows[1].errors["period"][0]


def test_excel_numbers_and_text_numbers_are_read_alike(world, herning_round):
    share = IndicatorFactory(
        organization=world.herning,
        slug="andel",
        metric__unit="%",
        metric__measure=Metric.Measure.PERCENT,
        metric__decimals=1,
        reporting_organizations=[world.school_a, world.school_b],
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Indikator", "Periode", "Værdi"])
    sheet.append(["skole-a", "herning/andel", 2023, 90.3])
    sheet.append(["skole-b", "herning/andel", "2023", "90,3"])
    content = io.BytesIO()
    workbook.save(content)

    rows = checked(world, herning_round, content.getvalue(), "tal.xlsx")

    assert [row.value for row in rows] == ["90.3", "90.3"]
    assert [row.shown_value for row in rows] == ["90,3\xa0%", "90,3\xa0%"]
    assert share.pk == rows[0].indicator_id


def test_a_danish_csv_from_excel_in_windows_encoding_is_read(world, herning_round):
    content = csv_file(
        f"skole-a;{indicator_key(world)};2023;45;Tælling på skolen;", encoding="cp1252"
    )

    [row] = checked(world, herning_round, content)

    assert (row.action, row.note) == ("new", "Tælling på skolen")


def test_a_comma_separated_csv_is_read_too(world, herning_round):
    content = csv_file(f"skole-a,{indicator_key(world)},2023,45,,", header=HEADER.replace(";", ","))

    [row] = checked(world, herning_round, content)

    assert row.action == "new"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "tal.csv", "Filen er tom."),
        (b"   \n  ", "tal.csv", "Filen er tom."),
        (b"PK\x03\x04 not really a zip", "tal.xlsx", "kunne ikke læses som et Excel-regneark"),
        (b"\xd0\xcf\x11\xe0 old excel", "tal.xls", "gamle format (.xls)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "billede.png", "hverken et Excel-regneark"),
        (
            b"organisation;indikator;periode\nskole-a;x;2023",
            "tal.csv",
            "mangler kolonnen »værdi«",
        ),
        (
            b"organisation;indikator;periode;vaerdi;v\xc3\xa6rdi\n",
            "tal.csv",
            "»værdi« findes to gange",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why(content, name, message):
    with pytest.raises(spreadsheets.SpreadsheetError) as error:
        spreadsheets.read(content, name)

    assert message in error.value.message


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)

    with pytest.raises(spreadsheets.SpreadsheetError, match="for mange rækker"):
        spreadsheets.read(csv_file("a;b;2023;1;;", "a;b;2023;2;;", "a;b;2023;3;;"), "tal.csv")


def test_a_text_that_a_spreadsheet_would_run_as_a_formula_stays_text():
    written = spreadsheets.write_csv([{"note": '=HYPERLINK("x")', "value": "45"}])
    [row] = spreadsheets.read(
        (
            "organisation;indikator;periode;værdi;note\n"
            + "a;b;2023;45;"
            + written.splitlines()[1].split(";")[8]
        ).encode(),
        "tal.csv",
    )

    assert "'=HYPERLINK" in written
    assert row["note"].text == '=HYPERLINK("x")'


def test_an_upload_shows_a_preview_and_saves_nothing_yet(world, herning_round, editor):
    response = post_file(
        editor, herning_round, csv_file(f"skole-a;{indicator_key(world)};2023;45;;")
    )

    upload = ValueUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reporting:upload_preview", args=[herning_round.pk, upload.pk]
    )
    page = editor.get(response["Location"]).text
    assert "Gem 1 tal og send det til godkendelse" in page
    assert "Skole A" in page
    assert not IndicatorValue.objects.filter(period=2023).exists()


def test_a_file_that_cannot_be_read_is_an_error_next_to_the_field(world, herning_round, editor):
    response = post_file(editor, herning_round, b"PK\x03\x04broken", "tal.xlsx")

    assert response.status_code == 400
    assert "kunne ikke læses som et Excel-regneark" in response.text
    assert 'class="form-group form-error"' in response.text
    assert not ValueUpload.objects.exists()


def test_a_preview_with_errors_offers_no_save_and_lists_them_first(world, herning_round, editor):
    key = indicator_key(world)
    post_file(
        editor, herning_round, csv_file(f"skole-a;{key};2023;45;;", f"skole-b;{key};2023;x;;")
    )

    page = editor.get(
        reverse("reporting:upload_preview", args=[herning_round.pk, ValueUpload.objects.get().pk])
    ).text

    assert "Filen har fejl. Intet er gemt." in page
    assert "Gem" not in page.split("Hvad der sker")[1].split("<table")[0]
    assert page.index("Kolonnen »værdi«: Skriv et tal") < page.index("Nyt tal</td>")


def test_applying_saves_every_value_as_submitted_by_the_uploader(
    world, herning_round, editor, mailoutbox
):
    key = indicator_key(world)
    post_file(
        editor,
        herning_round,
        csv_file(f"skole-a;{key};2023;45;Tælling;Elevregister", f"skole-b;{key};2023;44;;"),
    )
    upload = ValueUpload.objects.get()

    response = editor.post(
        reverse("reporting:upload_apply", args=[herning_round.pk, upload.pk]), follow=True
    )

    assert "2 tal er gemt og sendt til godkendelse." in response.text
    values = IndicatorValue.objects.filter(period=2023).order_by("organization__slug")
    assert [(v.organization.slug, v.value, v.status) for v in values] == [
        ("skole-a", 45, "submitted"),
        ("skole-b", 44, "submitted"),
    ]
    assert {v.entered_by for v in values} == {world.users["editor at Herning"]}
    assert (values[0].note, values[0].source) == ("Tælling", "Elevregister")
    assert values[0].history.get().history_user == world.users["editor at Herning"]
    upload.refresh_from_db()
    assert upload.applied_at is not None


def test_an_uploaded_value_needs_another_editors_approval(world, herning_round):
    editor = world.users["editor at Herning"]
    upload = uploads.upload_preview(
        reporting_round=herning_round,
        content=csv_file(f"skole-a;{indicator_key(world)};2023;45;;"),
        filename="tal.csv",
        user=editor,
    )
    uploads.upload_apply(upload=upload, user=editor)

    value = IndicatorValue.objects.get(period=2023, organization=world.school_a)
    from indicators import services

    with pytest.raises(ValidationError, match="selv har indtastet"):
        services.value_approve(value=value, user=editor)


def test_a_changed_stored_value_since_the_preview_refuses_the_whole_upload(
    world, herning_round, editor
):
    key = indicator_key(world)
    post_file(
        editor, herning_round, csv_file(f"skole-a;{key};2022;41;;", f"skole-b;{key};2023;44;;")
    )
    upload = ValueUpload.objects.get()
    world.submitted.value, world.submitted.revision = Decimal(39), world.submitted.revision + 1
    world.submitted.save()

    response = editor.post(
        reverse("reporting:upload_apply", args=[herning_round.pk, upload.pk]), follow=True
    )

    assert "Tallene i portalen er ændret, siden forhåndsvisningen blev lavet." in response.text
    assert not IndicatorValue.objects.filter(period=2023).exists()
    world.submitted.refresh_from_db()
    assert world.submitted.value == 39
    upload.refresh_from_db()
    assert upload.applied_at is None
    assert uploads.stored_rows(upload)[0].revision == world.submitted.revision


def test_an_upload_is_applied_once(world, herning_round, editor):
    post_file(editor, herning_round, csv_file(f"skole-a;{indicator_key(world)};2023;45;;"))
    upload = ValueUpload.objects.get()
    apply_url = reverse("reporting:upload_apply", args=[herning_round.pk, upload.pk])
    editor.post(apply_url)

    response = editor.post(apply_url, follow=True)

    assert "Filen er allerede gemt." in response.text
    assert IndicatorValue.objects.get(period=2023).revision == 1


def test_a_preview_with_errors_cannot_be_applied_by_posting_anyway(world, herning_round, editor):
    post_file(editor, herning_round, csv_file(f"skole-a;{indicator_key(world)};2023;x;;"))
    upload = ValueUpload.objects.get()

    response = editor.post(
        reverse("reporting:upload_apply", args=[herning_round.pk, upload.pk]), follow=True
    )

    assert "Ret fejlene i filen" in response.text
    assert not IndicatorValue.objects.filter(period=2023).exists()


def test_the_preview_flags_a_number_far_from_the_period_before(world, herning_round):
    key = indicator_key(world)

    rows = checked(world, herning_round, csv_file(f"skole-a;{key};2023;80;;"))

    # world.submitted: 38 for 2022 at school A.
    assert rows[0].action == "new"
    assert rows[0].warning.startswith("Tallet er 111\xa0% højere end i 2022 (38\xa0elever).")


def test_a_weighted_mean_needs_a_weight_from_each_school(world, herning_round):
    IndicatorFactory(
        organization=world.herning,
        slug="andel",
        metric__unit="%",
        metric__measure=Metric.Measure.PERCENT,
        metric__aggregation=Metric.Aggregation.WEIGHTED_MEAN,
        metric__weight_label="antal elever i årgangen",
        reporting_organizations=[world.school_a, world.school_b],
    )
    header = HEADER + ";vægt"

    rows = checked(
        world,
        herning_round,
        csv_file(
            "skole-a;herning/andel;2023;90;;;52", "skole-b;herning/andel;2023;80;;;", header=header
        ),
    )

    assert (rows[0].action, rows[0].weight) == ("new", "52")
    assert rows[1].errors["weight"] == ["Skriv tallets vægt: antal elever i årgangen."]


def test_checking_an_upload_runs_the_same_queries_for_two_rows_and_forty(
    world, herning_round, django_assert_num_queries
):
    key = indicator_key(world)
    few = csv_file(f"skole-a;{key};2023;45;;", f"skole-b;{key};2023;44;;")
    many = csv_file(*(f"skole-{s};{key};{year};45;;" for s in "ab" for year in range(2020, 2026)))
    user = world.users["editor at Herning"]

    def count(content):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            uploads.check(
                herning_round, uploads.rows_read(spreadsheets.read(content, "t.csv")), user
            )
        return len(queries)

    count(few)  # the access rules are read once per user, and kept
    assert count(few) == count(many)


@pytest.mark.parametrize("who", ["anonymous", "reporter at school A", "editor at Hillerød"])
def test_only_the_rounds_editors_reach_its_template_and_upload(world, herning_round, login, who):
    client = login(world.users[who])

    for url in (
        reverse("reporting:round_template", args=[herning_round.pk, "xlsx"]),
        upload_url(herning_round),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    response = post_file(
        client, herning_round, csv_file(f"skole-a;{indicator_key(world)};2023;45;;")
    )
    assert response.status_code in (302, 403)
    assert not ValueUpload.objects.exists()


def test_another_editors_upload_is_not_theirs_to_see_or_apply(world, herning_round, editor, login):
    post_file(editor, herning_round, csv_file(f"skole-a;{indicator_key(world)};2023;45;;"))
    upload = ValueUpload.objects.get()
    colleague = login(world.users["superuser"])

    assert (
        colleague.get(
            reverse("reporting:upload_preview", args=[herning_round.pk, upload.pk])
        ).status_code
        == 403
    )
    assert (
        colleague.post(
            reverse("reporting:upload_apply", args=[herning_round.pk, upload.pk])
        ).status_code
        == 403
    )
    assert not IndicatorValue.objects.filter(period=2023).exists()
    with pytest.raises(PermissionDenied):
        uploads.upload_apply(upload=upload, user=world.users["superuser"])


def test_the_template_leaves_out_schools_the_editor_cannot_report_for(world, herning_round, editor):
    # A school of another municipality reports Herning's series, as a shared one may be.
    outside = SchoolFactory(name="Skole i Hillerød", slug="skole-hillerod", parent=world.hillerod)
    world.indicator.reporting_organizations.add(outside)
    IndicatorValueFactory(indicator=world.indicator, organization=outside, period=2023)

    csv_text = editor.get(
        reverse("reporting:round_template", args=[herning_round.pk, "csv"])
    ).content.decode("utf-8-sig")

    assert "skole-hillerod" not in csv_text
    rows = checked(world, herning_round, csv_text.encode())
    assert {row.action for row in rows} == {"skip"}


def test_a_workbook_with_a_broken_sheet_is_refused_with_a_message():
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    broken = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = b"<worksheet><sheetData><row><c>"
            target.writestr(item, content)

    with pytest.raises(spreadsheets.SpreadsheetError, match="kunne ikke læses som et Excel"):
        spreadsheets.read(broken.getvalue(), "tal.xlsx")
