"""Spreadsheets of values in and out: a round's template as Excel (.xlsx) or CSV, and an
uploaded file read back into rows. No database here: `indicators.uploads` checks the rows.

Whatever is uploaded is hostile until read: a file that is no spreadsheet, a CSV in another
encoding, columns missing or twice, an Excel that turned a number into a date. Each becomes
a `SpreadsheetError` with a message in the reader's language, never a server error."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from indicators.exports import FORMULA_STARTS, spreadsheet_cell
from indicators.wording import format_number

# A national upload is 100 schools × 10 indicators × 10 years; far more is a mistake.
MAX_ROWS = 50_000
MAX_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why, for the uploader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    # Columns the template fills in to help the reader; an upload ignores them.
    informative: bool = False
    width: int = 14


COLUMNS = (
    Column("organization", "organisation", required=True, width=24),
    Column("organization_name", "organisationsnavn", informative=True, width=30),
    Column("indicator", "indikator", required=True, width=36),
    Column("indicator_name", "indikatornavn", informative=True, width=40),
    Column("unit", "enhed", informative=True, width=14),
    Column("period", "periode", required=True, width=10),
    Column("value", "værdi", required=True, width=12),
    Column("weight", "vægt", width=10),
    Column("note", "note", width=30),
    Column("source", "kilde", width=30),
    Column("status", "status", informative=True, width=14),
)
# Spellings a spreadsheet program or a keyboard without æ and ø may leave in a header.
ALIASES = {"vaerdi": "værdi", "vaegt": "vægt", "organization": "organisation"}
HEADERS = {column.header: column for column in COLUMNS}
KIND_HELP = gettext_lazy("Skabelonen fra rundens side har de rigtige kolonner.")


@dataclass(frozen=True)
class Cell:
    """A cell as the file holds it: text from a CSV, or a number, text or date from Excel."""

    value: object

    @property
    def is_blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    @property
    def is_date(self) -> bool:
        return isinstance(self.value, date | datetime | time)

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        text = str(self.value).strip()
        if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
            return text[1:]
        return text


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row's number in the spreadsheet, as the uploader sees it
    cells: dict[str, Cell]

    def __getitem__(self, key: str) -> Cell:
        return self.cells.get(key, Cell(None))


def read(content: bytes, filename: str) -> list[SheetRow]:
    """The rows of an uploaded .xlsx or .csv file under their column keys, blank rows left
    out; SpreadsheetError when the file cannot be read as such."""
    if not content.strip():
        raise SpreadsheetError(_("Filen er tom."))
    if len(content) > MAX_BYTES:
        raise SpreadsheetError(
            _("Filen er for stor. Den må højst fylde %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}
        )
    if filename.lower().endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _("Filen er i Excels gamle format (.xls). Gem den som .xlsx eller .csv, og prøv igen.")
        )
    return _rows(_xlsx_lines(content) if content.startswith(XLSX_MAGIC) else _csv_lines(content))


def _xlsx_lines(content: bytes):
    """The workbook's first sheet, row by row. Whatever a damaged or hostile workbook makes
    openpyxl or its XML parser raise, on opening or on any row, the uploader is told the file
    cannot be read, never shown a server error."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(values)
        workbook.close()
    except Exception:
        raise SpreadsheetError(
            _("Filen kunne ikke læses som et Excel-regneark (.xlsx). Gem den igen i Excel.")
        ) from None


def _csv_lines(content: bytes):
    # Excel saves CSV as UTF-8 with a byte-order mark or, in Danish Windows, as cp1252;
    # Latin-1 reads any bytes at all, so a file that is neither still gets a clear message.
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise SpreadsheetError(_("Filen er hverken et Excel-regneark (.xlsx) eller en CSV-fil."))
    first_line = text.split("\n", 1)[0]
    # Danish Excel separates with semicolons, since the comma is the decimal mark.
    delimiter = max(";,\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        raise SpreadsheetError(_("CSV-filen kunne ikke læses. Gem den igen fra Excel.")) from None


def _rows(lines) -> list[SheetRow]:
    """The rows under the header, numbered as the spreadsheet numbers them; reading stops
    as soon as there are more than the limit, so a small file that unpacks to millions of
    rows is refused early."""
    numbered = []
    for number, line in enumerate(lines, start=1):
        if any(not Cell(value).is_blank for value in line):
            numbered.append((number, line))
        if len(numbered) - 1 > MAX_ROWS:
            raise SpreadsheetError(
                _("Filen har for mange rækker. Den må højst have %(rows)s.")
                % {"rows": format_number(MAX_ROWS)}
            )
    if not numbered:
        raise SpreadsheetError(_("Filen er tom."))
    _header_number, header = numbered[0]
    keys = _header_keys(header)
    return [
        SheetRow(
            number=number,
            cells={
                key: Cell(value) for key, value in zip(keys, line, strict=False) if key is not None
            },
        )
        for number, line in numbered[1:]
    ]


def _header_keys(header) -> list[str | None]:
    """The column key of each header cell, None for columns the upload does not read."""
    keys, seen = [], set()
    for value in header:
        name = Cell(value).text.lower().rstrip("*").strip()
        column = HEADERS.get(ALIASES.get(name, name))
        if column is None or column.informative:
            keys.append(None)
            continue
        if column.key in seen:
            raise SpreadsheetError(
                _("Kolonnen »%(column)s« findes to gange.") % {"column": column.header}
            )
        seen.add(column.key)
        keys.append(column.key)
    missing = [column.header for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise SpreadsheetError(
            ngettext(
                "Filen mangler kolonnen %(columns)s. %(help)s",
                "Filen mangler kolonnerne %(columns)s. %(help)s",
                len(missing),
            )
            % {"columns": ", ".join(f"»{name}«" for name in missing), "help": KIND_HELP}
        )
    return keys


def write_xlsx(rows: list[dict]) -> bytes:
    """A workbook of `rows` (dicts by column key) under the template's headers. Columns that
    hold names and periods are text, so that Excel does not turn 2024/25 into something
    else."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tal")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = column.width
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(COLUMNS, start=1):
            value = spreadsheet_cell(row.get(column.key))
            cell = sheet.cell(row=number, column=index, value=value)
            if column.key not in ("value", "weight"):
                cell.number_format = "@"
            # openpyxl would store a text such as "=1+1" as a formula; it stays text.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def write_csv(rows: list[dict], headers: dict[str, str] | None = None) -> str:
    """`rows` (dicts by column key) as CSV the way Danish Excel opens it: semicolons, and a
    byte-order mark so that æ, ø and å survive. `headers` maps each key to its header; the
    template's columns by default."""
    headers = headers or {column.key: column.header for column in COLUMNS}
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output, delimiter=";")
    writer.writerow(headers.values())
    for row in rows:
        writer.writerow(spreadsheet_cell(_text(row.get(key))) for key in headers)
    return output.getvalue()


def _text(value) -> str:
    # Every cell of the CSV is text, so that a Decimal -3.5 is the number literal "-3.5".
    return "" if value is None else str(value)
