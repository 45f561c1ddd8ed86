"""The reporting journeys a school leader and an editor repeat every year: saving a period
again, catching up on several years at once, confirming a number that jumped, and uploading
a round's values from a spreadsheet."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from indicators.models import IndicatorValue, ReportingRound
from tests.browser.conftest import screenshots
from tests.browser.test_reporting_workflow import log_in
from tests.factories import IndicatorValueFactory, ReportingRoundFactory

pytestmark = pytest.mark.django_db(transaction=True)

STALE = "Tallet blev ændret af"


def text(locator) -> str:
    """A locator's text with the non-breaking spaces that keep a number and its unit
    together read as spaces."""
    return locator.inner_text().replace("\xa0", " ")


def period_fieldset(page, period: int):
    """The group of fields of one period on the reporting page (its legend names the
    indicator, for screen readers, and the period)."""
    return page.get_by_role("group", name=f"Elever i 0. klasse, Periode: {period}")


def stored(indicator, period: int) -> IndicatorValue:
    return IndicatorValue.objects.get(indicator=indicator, period=period)


def log_out(page) -> None:
    page.get_by_role("button", name="Log ud").first.click()


@pytest.fixture
def school(herning):
    return herning.reporting_organizations.get()


@pytest.fixture
def reporting_round(herning):
    """Herning's open round for 2025, which asks for the school's indicator."""
    return ReportingRoundFactory(organization=herning.organization, period=2025)


def test_a_period_saved_twice_in_a_row_and_then_submitted_is_never_called_stale(
    page, live_server, herning
):
    log_in(page, live_server, "skoleleder")
    page.goto(live_server.url + "/indberetning/lindbjergskolen/?periode=2024")
    row = period_fieldset(page, 2024)
    assert "Status for perioden" not in row.inner_text()

    row.get_by_label("Tal (elever)").fill("52")
    page.get_by_role("button", name="Gem som kladde").click()
    assert "1 tal er gemt som kladde." in page.get_by_role("status").first.inner_text()
    assert row.get_by_label("Tal (elever)").input_value() == "52"
    assert "Status for perioden: Kladde · senest ændret af skoleleder" in text(row)
    first = stored(herning, 2024)
    assert (first.value, first.status) == (Decimal(52), IndicatorValue.Status.DRAFT)
    assert STALE not in page.content()

    # The page after the first save carries the new revision: saving the same period again
    # without reloading must be taken as an edit of one's own draft, not someone else's.
    row.get_by_label("Tal (elever)").fill("53")
    page.get_by_role("button", name="Gem som kladde").click()
    assert "1 tal er gemt som kladde." in page.get_by_role("status").first.inner_text()
    assert row.get_by_label("Tal (elever)").input_value() == "53"
    second = stored(herning, 2024)
    assert (second.value, second.status) == (Decimal(53), IndicatorValue.Status.DRAFT)
    assert second.revision > first.revision
    assert STALE not in page.content()

    row.get_by_label("Tal (elever)").fill("54")
    page.get_by_role("button", name="Send til godkendelse").click()
    assert "1 tal er sendt til godkendelse." in page.get_by_role("status").first.inner_text()
    assert row.get_by_label("Tal (elever)").input_value() == "54"
    assert "Status for perioden: Indsendt · senest ændret af skoleleder" in text(row)
    third = stored(herning, 2024)
    assert (third.value, third.status) == (Decimal(54), IndicatorValue.Status.SUBMITTED)
    assert IndicatorValue.objects.filter(indicator=herning).count() == 1
    assert STALE not in page.content()


def test_a_school_catches_up_on_three_years_in_one_submission_and_a_typo_saves_none(
    page, live_server, herning
):
    log_in(page, live_server, "skoleleder")
    page.get_by_role("link", name="Lindbjergskolen").click()
    page.get_by_label("Periode", exact=True).select_option("2024")
    page.get_by_label("Indhent også tidligere år fra").select_option("2022")
    page.get_by_role("button", name="Vis").click()
    assert page.get_by_role("group", name="Periode").count() == 3

    # Close to each other, so that no number asks to be confirmed against the year before.
    for period, number in [(2022, "41"), (2023, "43"), (2024, "45")]:
        period_fieldset(page, period).get_by_label("Tal (elever)").fill(number)
    period_fieldset(page, 2023).get_by_label("Kilde").fill("Elevtal 5. september 2023")
    page.get_by_role("button", name="Send til godkendelse").click()

    assert "3 tal er sendt til godkendelse." in page.get_by_role("status").first.inner_text()
    values = IndicatorValue.objects.filter(indicator=herning).order_by("period")
    assert [(v.period, v.value, v.status) for v in values] == [
        (2022, Decimal(41), IndicatorValue.Status.SUBMITTED),
        (2023, Decimal(43), IndicatorValue.Status.SUBMITTED),
        (2024, Decimal(45), IndicatorValue.Status.SUBMITTED),
    ]
    assert values[1].source == "Elevtal 5. september 2023"
    # The page comes back with the same three years, each showing what is now stored.
    assert "fra=2022&periode=2024" in page.url
    for period, number in [(2022, "41"), (2023, "43"), (2024, "45")]:
        row = period_fieldset(page, period)
        assert row.get_by_label("Tal (elever)").input_value() == number
        assert "Status for perioden: Indsendt" in row.inner_text()
    screenshots(page, "report-several-periods")

    period_fieldset(page, 2022).get_by_label("Tal (elever)").fill("42")
    period_fieldset(page, 2023).get_by_label("Tal (elever)").fill("abc")
    period_fieldset(page, 2024).get_by_label("Tal (elever)").fill("46")
    period_fieldset(page, 2024).get_by_label("Note").fill("Efter skolesammenlægningen")
    page.get_by_role("button", name="Send til godkendelse").click()

    assert "Skriv et tal, fx 1.384 eller 93,5." in period_fieldset(page, 2023).inner_text()
    summary = page.get_by_role("alert").inner_text()
    assert "Der er fejl i formularen. Intet er gemt endnu." in summary
    assert period_fieldset(page, 2022).get_by_label("Tal (elever)").input_value() == "42"
    assert period_fieldset(page, 2023).get_by_label("Tal (elever)").input_value() == "abc"
    assert period_fieldset(page, 2024).get_by_label("Tal (elever)").input_value() == "46"
    assert period_fieldset(page, 2024).get_by_label("Note").input_value() == (
        "Efter skolesammenlægningen"
    )
    assert period_fieldset(page, 2023).get_by_label("Kilde").input_value() == (
        "Elevtal 5. september 2023"
    )
    # All or nothing: the two good numbers were not saved beside the typo.
    assert [v.value for v in values.all()] == [Decimal(41), Decimal(43), Decimal(45)]
    assert stored(herning, 2024).note == ""


def test_a_number_far_from_last_years_is_saved_only_once_confirmed_and_flagged_for_review(
    page, live_server, herning, school
):
    IndicatorValueFactory(indicator=herning, organization=school, period=2023, value=40)
    log_in(page, live_server, "skoleleder")
    page.goto(live_server.url + "/indberetning/lindbjergskolen/?periode=2024")
    row = period_fieldset(page, 2024)
    assert "Sidste periode: 40 elever (godkendt)" in text(row)
    assert row.get_by_label("Tallet er rigtigt").count() == 0

    row.get_by_label("Tal (elever)").fill("400")
    page.get_by_role("button", name="Send til godkendelse").click()

    warning = text(row.locator(".form-error-message"))
    assert "Tallet er 900 % højere end i 2023 (40 elever)." in warning
    assert "Tjek tallene nedenfor. Intet er gemt endnu." in page.get_by_role("alert").inner_text()
    assert row.get_by_label("Tal (elever)").input_value() == "400"
    assert not row.get_by_label("Tallet er rigtigt").is_checked()
    assert not IndicatorValue.objects.filter(indicator=herning, period=2024).exists()

    row.get_by_label("Tallet er rigtigt").check()
    page.get_by_role("button", name="Send til godkendelse").click()
    assert "1 tal er sendt til godkendelse." in page.get_by_role("status").first.inner_text()
    value = stored(herning, 2024)
    assert (value.value, value.status) == (Decimal(400), IndicatorValue.Status.SUBMITTED)

    log_out(page)
    log_in(page, live_server, "redaktoer")
    page.goto(live_server.url + "/gennemgang/")
    card = page.locator("section.portal-review")
    assert card.count() == 1
    facts = text(card.locator("dl"))
    assert "Perioden før\n40 elever (2023)" in facts
    assert "400 elever" in facts
    flag = text(card.locator(".alert-warning"))
    assert "Stor ændring" in flag
    assert "Tallet er 900 % højere end perioden før." in flag


def test_an_editor_uploads_a_rounds_values_from_the_excel_template(
    page, live_server, herning, school, reporting_round, tmp_path
):
    log_in(page, live_server, "redaktoer")
    page.goto(live_server.url + reporting_round.get_absolute_url())
    page.get_by_role("link", name="Upload mange tal på én gang fra et regneark").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    template = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(template)
    assert template.name == "indberetning-herning-2025.xlsx"

    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    # One row per school and indicator of the round, for the round's period, still empty.
    assert sheet.max_row == 2
    row = {header: cell.value for header, cell in zip(headers, sheet[2], strict=True)}
    assert (row["organisation"], row["periode"], row["værdi"]) == ("lindbjergskolen", "2025", None)
    sheet.cell(row=2, column=headers.index("værdi") + 1, value=52)
    # Catching up: a second row for the year before, as the upload page tells one to.
    sheet.append([row[header] for header in headers])
    sheet.cell(row=3, column=headers.index("periode") + 1, value="2024")
    sheet.cell(row=3, column=headers.index("værdi") + 1, value=50)
    sheet.cell(row=3, column=headers.index("kilde") + 1, value="Indhentet fra 2024")
    filled = tmp_path / "udfyldt.xlsx"
    workbook.save(filled)

    page.get_by_label("Regneark").set_input_files(filled)
    page.get_by_role("button", name="Upload og vis hvad der sker").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Forhåndsvisning af udfyldt.xlsx"
    facts = page.locator("dl.portal-facts")
    assert "Nyt tal\n2" in facts.inner_text()
    assert "Fejl\n0" in facts.inner_text()
    table = page.get_by_role("table")
    body = [text(tr) for tr in table.locator("tbody tr").all()]
    assert len(body) == 2
    assert "Nyt tal\t\tLindbjergskolen\tElever i 0. klasse\t2025\t\t52 elever" in body[0]
    assert "Nyt tal\t\tLindbjergskolen\tElever i 0. klasse\t2024\t\t50 elever" in body[1]
    assert not IndicatorValue.objects.exists()
    screenshots(page, "upload-preview")

    page.get_by_role("button", name="Gem alle 2 tal og send dem til godkendelse").click()

    assert page.url.endswith(reporting_round.get_absolute_url())
    message = page.get_by_role("status").first.inner_text()
    assert "2 tal er gemt og sendt til godkendelse." in message
    values = IndicatorValue.objects.filter(indicator=herning, organization=school)
    assert sorted((v.period, v.value, v.status, v.entered_by.username) for v in values) == [
        (2024, Decimal(50), IndicatorValue.Status.SUBMITTED, "redaktoer"),
        (2025, Decimal(52), IndicatorValue.Status.SUBMITTED, "redaktoer"),
    ]
    assert values.get(period=2024).source == "Indhentet fra 2024"


@pytest.mark.parametrize(
    ("filename", "content", "error"),
    [
        ("regneark.xlsx", b"Det her er bare tekst\n", "Filen mangler kolonnerne"),
        (
            "uden-vaerdi.csv",
            b"organisation;indikator;periode\nlindbjergskolen;herning/x;2025\n",
            "Filen mangler kolonnen »værdi«.",
        ),
    ],
    ids=["text-named-xlsx", "csv-without-value-column"],
)
def test_a_broken_file_is_refused_beside_the_file_field_and_saves_nothing(
    page, live_server, reporting_round, tmp_path, filename, content, error
):
    broken = tmp_path / filename
    broken.write_bytes(content)
    log_in(page, live_server, "redaktoer")
    page.goto(live_server.url + f"/indberetning/runder/{reporting_round.pk}/upload/")

    page.get_by_label("Regneark").set_input_files(broken)
    with page.expect_response(lambda response: "/upload/" in response.url) as response_info:
        page.get_by_role("button", name="Upload og vis hvad der sker").click()

    assert response_info.value.status == 400
    assert "Filen kunne ikke læses. Intet er gemt." in page.get_by_role("alert").inner_text()
    field = page.locator(".form-group", has=page.get_by_label("Regneark"))
    assert error in field.locator(".form-error-message").inner_text()
    assert not IndicatorValue.objects.exists()
    assert ReportingRound.objects.get().uploads.count() == 0
