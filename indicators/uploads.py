"""Spreadsheet uploads of a round's values: the editor downloads a template (one row per
organization × indicator), fills it in, uploads it, reads a preview of exactly what will be
created or changed, with every error by row and column, and applies it all or nothing.

Uploaded values enter the same review flow as values entered on the reporting page: they are
submitted for approval, entered by the uploader (`services.values_import`). The preview's
checked rows are stored with the upload; applying checks them again against the database,
and refuses when anything differs from what the preview showed."""

import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from indicators import plausibility, services, spreadsheets, wording
from indicators.forms import (
    CHECK_BEFORE_SAVING,
    UploadForm,
    change_message,
    for_input,
    read_number,
)
from indicators.models import (
    Indicator,
    IndicatorValue,
    ReportingRound,
    ValueUpload,
    validate_weight,
)
from indicators.periods import PeriodKind
from indicators.rounds import editable_round_or_403, round_links, round_table
from indicators.spreadsheets import Cell, SheetRow, SpreadsheetError
from municipalities import access
from municipalities.models import Organization

# The preview page shows this many rows; the whole preview is a CSV download.
ROWS_SHOWN = 500
PERIOD = re.compile(r"^(\d{4})(?:\s*[/\-–]\s*(\d{2}|\d{4}))?$")


class Action(models.TextChoices):
    """What applying the upload does with a row."""

    ERROR = "error", gettext_lazy("Fejl")
    NEW = "new", gettext_lazy("Nyt tal")
    CHANGE = "change", gettext_lazy("Ændres")
    SUBMIT = "submit", gettext_lazy("Sendes til godkendelse")
    UNCHANGED = "unchanged", gettext_lazy("Uændret")
    SKIP = "skip", gettext_lazy("Tom, springes over")


WRITES = {Action.NEW, Action.CHANGE, Action.SUBMIT}


@dataclass
class Row:
    """One row of an upload, as read and as checked. Kept as JSON with the upload, so that
    the preview can be shown again and applied exactly."""

    number: int
    organization: str
    indicator: str
    period: int | None = None
    # Whether the period was written as a school year (2024/25) rather than a year.
    school_year_form: bool = False
    value: str | None = None
    weight: str | None = None
    note: str = ""
    source: str = ""
    # Cells that could not be read as a number; found once, when the file is read.
    read_errors: dict[str, list[str]] = field(default_factory=dict)
    # Every error by column: the cells' and those the check against the database found.
    errors: dict[str, list[str]] = field(default_factory=dict)
    action: str = ""
    warning: str = ""
    revision: int | None = None  # of the stored value when checked; None when there is none
    organization_id: int | None = None
    indicator_id: int | None = None
    organization_name: str = ""
    indicator_name: str = ""
    period_label: str = ""
    shown_value: str = ""
    shown_stored: str = ""

    def refuse(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(str(message))

    @property
    def messages(self) -> list[str]:
        """Every error with the header of its column."""
        return [
            _("Kolonnen »%(column)s«: %(message)s")
            % {"column": column_header(key), "message": message}
            for key, found in self.errors.items()
            for message in found
        ]

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    @property
    def number_value(self) -> Decimal | None:
        return None if self.value is None else Decimal(self.value)

    @property
    def number_weight(self) -> Decimal | None:
        return None if self.weight is None else Decimal(self.weight)


def indicator_key(indicator: Indicator) -> str:
    """How a spreadsheet names an indicator: its organization's address name and its own,
    unique in the portal and readable."""
    return f"{indicator.organization.slug}/{indicator.slug}"


def column_header(key: str) -> str:
    return next(column.header for column in spreadsheets.COLUMNS if column.key == key)


def rows_read(sheet: list[SheetRow]) -> list[Row]:
    """The cells of each row as the portal takes them; what cannot be read is an error on
    its column."""
    rows = []
    for sheet_row in sheet:
        row = Row(
            number=sheet_row.number,
            organization=sheet_row["organization"].text,
            indicator=sheet_row["indicator"].text,
            note=sheet_row["note"].text,
            source=sheet_row["source"].text,
        )
        _read_period(row, sheet_row["period"])
        for key in ("value", "weight"):
            try:
                number = _cell_number(sheet_row[key])
            except ValidationError as error:
                row.read_errors[key] = error.messages
            else:
                setattr(row, key, None if number is None else str(number))
        rows.append(row)
    return rows


def _read_period(row: Row, cell: Cell) -> None:
    try:
        row.period, row.school_year_form = _cell_period(cell)
    except ValidationError as error:
        row.read_errors["period"] = error.messages


def _cell_period(cell: Cell) -> tuple[int, bool]:
    """A period from a cell, and whether it was written as a school year."""
    if cell.is_blank:
        raise ValidationError(_("Skriv perioden, fx 2024 eller 2024/25."))
    if cell.is_date:
        raise ValidationError(
            _("Perioden er en dato i regnearket. Skriv året (2024) eller skoleåret (2024/25).")
        )
    match = PERIOD.match(cell.text)
    if not match:
        raise ValidationError(
            _("»%(text)s« er ikke en periode. Skriv fx 2024 eller 2024/25.") % {"text": cell.text}
        )
    year, second = int(match[1]), match[2]
    if second is not None and int(second) % 100 != (year + 1) % 100:
        raise ValidationError(
            _("»%(text)s« er ikke et skoleår. Skriv fx %(year)s/%(next)02d.")
            % {"text": cell.text, "year": year, "next": (year + 1) % 100}
        )
    return year, second is not None


def _cell_number(cell: Cell) -> Decimal | None:
    """A number from a cell: Excel's own number, or text read the reader's way."""
    if cell.is_blank:
        return None
    if cell.is_date:
        # Danish Excel turns 1.5 into the first of May.
        raise ValidationError(
            _(
                "Excel har lavet tallet om til en dato (%(date)s). Formatér kolonnen som tal "
                "eller tekst, og skriv tallet igen."
            )
            % {"date": date_format(cell.value, "SHORT_DATE_FORMAT")}
        )
    if isinstance(cell.value, bool) or (
        isinstance(cell.value, float) and not math.isfinite(cell.value)
    ):
        # TRUE or an infinity is no number: refused by the one rule, with its message.
        return read_number(str(cell.value))
    if isinstance(cell.value, int):
        return Decimal(cell.value)
    if isinstance(cell.value, float):
        # The shortest text that is the same float: what the person typed into Excel.
        return Decimal(repr(cell.value))
    return read_number(cell.text)


def check(reporting_round: ReportingRound, rows: list[Row], user) -> list[Row]:
    """`rows` checked against what the round asks for and what is stored, each with its
    action, errors and warning (a fixed number of queries, whatever the number of rows)."""
    links = round_links(reporting_round)
    indicators = {indicator_key(link.indicator): link.indicator for link in links}
    organizations = {link.organization.slug: link.organization for link in links}
    reported = {(link.indicator_id, link.organization_id) for link in links}
    prefetch_related_objects(list(indicators.values()), "targets")
    periods = {row.period for row in rows if row.period is not None}
    stored = {
        (value.indicator_id, value.organization_id, value.period): value
        for value in IndicatorValue.objects.filter(
            indicator__in=[indicator.pk for indicator in indicators.values()],
            organization__in=[organization.pk for organization in organizations.values()],
            period__in=periods | {period - 1 for period in periods},
        )
    }
    for row in rows:
        row.errors = {key: list(found) for key, found in row.read_errors.items()}
        row.action, row.warning, row.revision = "", "", None
        _check_row(row, indicators, organizations, reported, stored, user)
    _refuse_duplicates(rows)
    typed = {
        (row.indicator_id, row.organization_id, row.period): row.number_value
        for row in rows
        if row.action in WRITES | {Action.UNCHANGED}
    }
    for row in rows:
        if row.action in WRITES:
            _warn_of_change(row, indicators, typed, stored)
        if row.errors:
            row.action = Action.ERROR
    return rows


def _check_row(row, indicators, organizations, reported, stored, user) -> None:
    organization = organizations.get(row.organization)
    indicator = indicators.get(row.indicator)
    if organization is None:
        row.refuse(
            "organization",
            _("Runden omfatter ingen organisation med adressen »%(slug)s«.")
            % {"slug": row.organization}
            if row.organization
            else _("Skriv organisationens adresse, som den står i skabelonen."),
        )
    else:
        row.organization_id, row.organization_name = organization.pk, organization.name
        if not access.can_report(user, organization.pk):
            row.refuse("organization", _("Du kan ikke indberette tal for organisationen."))
    if indicator is None:
        row.refuse(
            "indicator",
            _("Runden omfatter ingen indikator »%(key)s«.") % {"key": row.indicator}
            if row.indicator
            else _("Skriv indikatoren, som den står i skabelonen."),
        )
        return
    row.indicator_id, row.indicator_name = indicator.pk, indicator.name
    if organization is not None and (indicator.pk, organization.pk) not in reported:
        row.refuse(
            "organization",
            _("%(organization)s indberetter ikke %(indicator)s.")
            % {"organization": organization.name, "indicator": indicator.name},
        )
    if row.period is not None:
        _check_period(row, indicator)
    if row.value is None:
        if "value" not in row.errors:
            row.action = Action.SKIP
        return
    _check_value(row, indicator, organization)
    if organization is None or row.period is None or row.errors:
        return
    existing = stored.get((indicator.pk, organization.pk, row.period))
    row.action = _action(row, existing)
    if existing is not None:
        row.revision = existing.revision
        row.shown_stored = wording.format_quantity(
            existing.value, indicator.unit, indicator.decimals
        )


def _check_period(row: Row, indicator: Indicator) -> None:
    row.period_label = indicator.period_label(row.period)
    if row.school_year_form and indicator.period_kind != PeriodKind.SCHOOL_YEAR:
        row.refuse(
            "period",
            _("Indikatoren måles i kalenderår. Skriv %(year)s.") % {"year": row.period},
        )
        return
    problem = services.period_error(indicator, row.period)
    if problem:
        row.refuse("period", problem)


def _check_value(row: Row, indicator: Indicator, organization: Organization | None) -> None:
    try:
        indicator.validate_value(row.number_value)
    except ValidationError as error:
        row.refuse("value", " ".join(error.messages))
    else:
        row.shown_value = wording.format_quantity(
            row.number_value, indicator.unit, indicator.decimals
        )
    needs_weight = organization is not None and indicator.needs_weight_from(organization.pk)
    weight_error = None
    if row.weight is not None:
        try:
            validate_weight(row.number_weight)
        except ValidationError as error:
            weight_error = error.messages[0]
    if weight_error:
        row.refuse("weight", weight_error)
    elif needs_weight and row.weight is None and "weight" not in row.errors:
        row.refuse(
            "weight",
            _("Skriv tallets vægt: %(weight)s.") % {"weight": indicator.metric.weight_label},
        )
    elif not needs_weight and row.weight is not None:
        row.refuse("weight", _("Indikatoren bruger ingen vægt. Lad feltet være tomt."))
    if len(row.source) > IndicatorValue._meta.get_field("source").max_length:
        row.refuse("source", _("Kilden må højst være 300 tegn."))


def _action(row: Row, existing: IndicatorValue | None) -> str:
    if existing is None:
        return Action.NEW
    same = (
        existing.value == row.number_value
        and existing.weight == row.number_weight
        and existing.note == row.note
        and existing.source == row.source
    )
    if not same:
        return Action.CHANGE
    # The same number, still the reporter's draft or sent back: the upload sends it in.
    if existing.status in (IndicatorValue.Status.DRAFT, IndicatorValue.Status.REJECTED):
        return Action.SUBMIT
    return Action.UNCHANGED


def _refuse_duplicates(rows: list[Row]) -> None:
    seen = defaultdict(list)
    for row in rows:
        if row.organization_id and row.indicator_id and row.period is not None:
            seen[(row.organization_id, row.indicator_id, row.period)].append(row)
    for same in seen.values():
        if len(same) < 2:
            continue
        numbers = ", ".join(str(row.number) for row in same)
        for row in same:
            row.refuse(
                "period",
                _("Rækkerne %(rows)s gælder samme organisation, indikator og periode.")
                % {"rows": numbers},
            )


def _warn_of_change(row: Row, indicators, typed, stored) -> None:
    """A number that moved more than its metric expects from the period before (in the
    upload, else stored) is flagged, as on the reporting page; the preview is where the
    uploader confirms it."""
    key = (row.indicator_id, row.organization_id, row.period - 1)
    previous = typed.get(key)
    if previous is None and key in stored:
        previous = stored[key].value
    indicator = indicators[row.indicator]
    found = plausibility.implausible_change(
        previous, row.number_value, indicator.metric.plausible_change
    )
    if found is not None:
        row.warning = change_message(
            found,
            indicator,
            indicator.period_label(row.period - 1),
            advice=CHECK_BEFORE_SAVING,
        )


def counts(rows: list[Row]) -> list[tuple[str, str, int]]:
    counted = Counter(row.action for row in rows)
    return [(action, label, counted[action]) for action, label in Action.choices]


def stored_rows(upload: ValueUpload) -> list[Row]:
    return [Row(**data) for data in upload.rows]


def _as_data(rows: list[Row]) -> list[dict]:
    return [asdict(row) for row in rows]


def _plan(rows: list[Row]) -> list[tuple]:
    """What applying would do, row by row: compared between the preview and the apply."""
    return [(row.number, row.action, row.revision, row.value, row.weight) for row in rows]


def upload_preview(
    *, reporting_round: ReportingRound, content: bytes, filename: str, user
) -> ValueUpload:
    """Read an uploaded file, check every row, and keep the preview for `user` to apply;
    SpreadsheetError when the file cannot be read."""
    rows = check(reporting_round, rows_read(spreadsheets.read(content, filename)), user)
    return ValueUpload.objects.create(
        reporting_round=reporting_round,
        filename=filename.replace("\x00", "")[:255],
        rows=_as_data(rows),
        uploaded_by=user,
    )


def upload_apply(*, upload: ValueUpload, user) -> int:
    """Apply a checked upload, all or nothing; return how many values were saved. A
    ValidationError says why nothing was; when the rows check differently now than in the
    preview, the upload is given the new preview to read."""
    if upload.uploaded_by_id != user.pk:
        raise PermissionDenied
    if upload.applied_at is not None:
        raise ValidationError(_("Filen er allerede gemt."))
    shown = stored_rows(upload)
    fresh = check(upload.reporting_round, stored_rows(upload), user)
    if _plan(fresh) != _plan(shown):
        _store(upload, fresh)
        raise ValidationError(
            _(
                "Tallene i portalen er ændret, siden forhåndsvisningen blev lavet. Læs den nye "
                "forhåndsvisning, og gem igen."
            )
        )
    if any(row.action == Action.ERROR for row in fresh):
        raise ValidationError(_("Ret fejlene i filen, og upload den igen. Intet er gemt."))
    writes = [row for row in fresh if row.action in WRITES]
    indicators = Indicator.objects.select_related("metric", "organization").in_bulk(
        {row.indicator_id for row in writes}
    )
    organizations = Organization.objects.in_bulk({row.organization_id for row in writes})
    entries = [
        (
            organizations[row.organization_id],
            services.ValueEntry(
                indicator=indicators[row.indicator_id],
                period=row.period,
                value=row.number_value,
                weight=row.number_weight,
                note=row.note,
                source=row.source,
                # A value stored after the check is refused by the import as changed.
                revision=row.revision,
            ),
        )
        for row in writes
    ]
    with transaction.atomic():
        # Two clicks on "save" apply the file once.
        upload = ValueUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.applied_at is not None:
            raise ValidationError(_("Filen er allerede gemt."))
        services.values_import(entries=entries, user=user, reason=f"Upload: {upload.filename}")
        upload.applied_at = timezone.now()
        upload.save(update_fields=["applied_at"])
    return len(entries)


def _store(upload: ValueUpload, rows: list[Row]) -> None:
    upload.rows = _as_data(rows)
    upload.save(update_fields=["rows"])


def template_rows(reporting_round: ReportingRound, user, *, for_excel: bool) -> list[dict]:
    """One row per organization × indicator the round asks for that `user` may report for,
    filled in with what is stored for the round's period. Excel gets numbers; a CSV gets
    them written the reader's way, as the upload will read them. A reporting organization
    outside the editor's reach (another municipality's school reporting a shared series)
    is left out: its rows could not be uploaded, and its drafts are not the editor's."""
    cells = sorted(
        (
            cell
            for cell in round_table(reporting_round).cells.values()
            if access.can_report(user, cell.organization.pk)
        ),
        key=lambda cell: (cell.organization.name, cell.indicator.name, cell.indicator.pk),
    )
    rows = []
    for cell in cells:
        indicator, value = cell.indicator, cell.value
        number = weight = None
        if value is not None:
            number = value.value if for_excel else for_input(value.value)
            if value.weight is not None:
                weight = value.weight if for_excel else for_input(value.weight)
        rows.append(
            {
                "organization": cell.organization.slug,
                "organization_name": cell.organization.name,
                "indicator": indicator_key(indicator),
                "indicator_name": indicator.name,
                "unit": indicator.unit,
                "period": indicator.period_label(reporting_round.period),
                "value": number,
                "weight": weight,
                "note": value.note if value else "",
                "source": value.source if value else "",
                "status": str(cell.state_label),
            }
        )
    return rows


# The pages.


def round_upload_or_403(request, reporting_round: ReportingRound, pk: int) -> ValueUpload:
    """An upload of `reporting_round`; only its uploader sees its preview and applies it."""
    upload = get_object_or_404(ValueUpload, pk=pk, reporting_round=reporting_round)
    if upload.uploaded_by_id != request.user.pk:
        raise PermissionDenied
    return upload


@login_required
def template(request, pk, kind):
    reporting_round = editable_round_or_403(request, pk)
    name = "indberetning-" + slugify(
        f"{reporting_round.organization.slug}-{reporting_round.period}"
    )
    if kind == "xlsx":
        content = spreadsheets.write_xlsx(
            template_rows(reporting_round, request.user, for_excel=True)
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif kind == "csv":
        content = spreadsheets.write_csv(
            template_rows(reporting_round, request.user, for_excel=False)
        )
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )


@login_required
def upload(request, pk):
    reporting_round = editable_round_or_403(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            created = upload_preview(
                reporting_round=reporting_round,
                content=file.read(spreadsheets.MAX_BYTES + 1),
                filename=file.name,
                user=request.user,
            )
        except SpreadsheetError as error:
            form.add_error("file", error.message)
        else:
            return redirect("reporting:upload_preview", reporting_round.pk, created.pk)
    context = {"round": reporting_round, "form": form}
    return render(request, "indicators/upload.html", context, status=400 if form.errors else 200)


@login_required
def preview(request, pk, upload_pk):
    reporting_round = editable_round_or_403(request, pk)
    upload = round_upload_or_403(request, reporting_round, upload_pk)
    rows = stored_rows(upload)
    # Errors first, then what will be written; rows that change nothing last.
    order = {Action.ERROR: 0, Action.NEW: 1, Action.CHANGE: 1, Action.SUBMIT: 1}
    listed = sorted(rows, key=lambda row: (order.get(row.action, 2), row.number))
    if request.GET.get("format") == "csv":
        return _preview_csv(upload, listed)
    context = {
        "round": reporting_round,
        "upload": upload,
        "counts": counts(rows),
        "rows": listed[:ROWS_SHOWN],
        "hidden": max(0, len(listed) - ROWS_SHOWN),
        "has_errors": any(row.action == Action.ERROR for row in rows),
        "writes": sum(row.action in WRITES for row in rows),
        "warnings": sum(bool(row.warning) for row in rows),
    }
    return render(request, "indicators/upload_preview.html", context)


PREVIEW_HEADERS = {
    "number": gettext_lazy("række"),
    "action": gettext_lazy("handling"),
    "organization": gettext_lazy("organisation"),
    "indicator": gettext_lazy("indikator"),
    "period": gettext_lazy("periode"),
    "stored": gettext_lazy("nu"),
    "value": gettext_lazy("nyt tal"),
    "errors": gettext_lazy("fejl"),
    "warning": gettext_lazy("advarsel"),
}


def _preview_csv(upload: ValueUpload, rows: list[Row]) -> HttpResponse:
    lines = [
        {
            "number": row.number,
            "action": row.action_label,
            "organization": row.organization_name or row.organization,
            "indicator": row.indicator_name or row.indicator,
            "period": row.period_label or row.period,
            "stored": row.shown_stored,
            "value": row.shown_value,
            "errors": " ".join(row.messages),
            "warning": row.warning,
        }
        for row in rows
    ]
    filename = slugify(f"forhaandsvisning-{upload.filename}")
    return HttpResponse(
        spreadsheets.write_csv(lines, headers={k: str(v) for k, v in PREVIEW_HEADERS.items()}),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


@login_required
@require_POST
def apply(request, pk, upload_pk):
    reporting_round = editable_round_or_403(request, pk)
    upload = round_upload_or_403(request, reporting_round, upload_pk)
    try:
        saved = upload_apply(upload=upload, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:upload_preview", reporting_round.pk, upload.pk)
    messages.success(
        request,
        ngettext(
            "%(count)s tal er gemt og sendt til godkendelse.",
            "%(count)s tal er gemt og sendt til godkendelse.",
            saved,
        )
        % {"count": wording.format_number(saved)},
    )
    return redirect(reverse("reporting:round", args=[reporting_round.pk]))
