"""The tables written as files, all in one pass over each table's rows, so that every format
holds the same rows and the national set's values are read once and never held in memory:

- `<table>.csv`: UTF-8, a decimal point, true/false, empty for nothing, each cell through
  `indicators.exports.spreadsheet_row` so that no text runs as a formula;
- `strategiportalen.zip`: those CSV files with `datapackage.json`;
- `strategiportalen.xlsx`: one sheet per table, numbers as numbers (openpyxl's write-only mode,
  which keeps a sheet's rows on disk);
- `strategiportalen.json`: every table as a list of objects;
- `datapackage.json`: a Frictionless tabular data package describing the CSV files."""

import csv
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators.exports import spreadsheet_cell, spreadsheet_row
from municipalities.models import LICENCE_URLS, DataLicence
from strategyportal.opendata.tables import LICENCE, PORTAL_LICENCE, TABLES, Snapshot, Table

NAME = "strategiportalen"
ZIP, XLSX, JSON, PACKAGE = (f"{NAME}.zip", f"{NAME}.xlsx", f"{NAME}.json", "datapackage.json")
CONTENT_TYPES = {
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
}
LICENCE_TITLES = {
    DataLicence.CC_BY_4_0: "Creative Commons Attribution 4.0",
    DataLicence.CC_BY_SA_4_0: "Creative Commons Attribution-ShareAlike 4.0",
    DataLicence.CC0_1_0: "Creative Commons Zero 1.0",
}


def csv_name(table: Table) -> str:
    return f"{table.name}.csv"


def write_files(directory: Path, *, created: datetime, version: str) -> dict[str, int]:
    """Every file into `directory`; the number of rows of each table."""
    snapshot = Snapshot()
    licences = set(snapshot.licences.values())
    counts = {}
    workbook = Workbook(write_only=True)
    with (directory / JSON).open("w", encoding="utf-8") as document:
        # One object per line: the file stays valid JSON and can be read a line at a time.
        document.write("{" + _compact(_about(created, version, licences))[1:-1] + ',"tables":{')
        for number, table in enumerate(TABLES):
            names = [field.name for field in table.fields]
            sheet = workbook.create_sheet(table.name)
            sheet.append(names)
            document.write(f'{"," if number else ""}\n"{table.name}":[')
            with (directory / csv_name(table)).open("w", encoding="utf-8", newline="") as file:
                writer = csv.writer(file)
                writer.writerow(names)
                count = 0
                for row in table.rows(snapshot):
                    writer.writerow(spreadsheet_row(_text(cell) for cell in row))
                    sheet.append([_excel(cell) for cell in row])
                    document.write(",\n" if count else "\n")
                    document.write(_compact(dict(zip(names, map(_json, row), strict=True))))
                    count += 1
            document.write("]")
            counts[table.name] = count
        document.write("}}\n")
    workbook.save(directory / XLSX)
    package = descriptor(created=created, version=version, licences=licences)
    (directory / PACKAGE).write_text(
        json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    with zipfile.ZipFile(directory / ZIP, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(directory / PACKAGE, PACKAGE)
        for table in TABLES:
            archive.write(directory / csv_name(table), csv_name(table))
    return counts


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def descriptor(*, created: datetime, version: str, licences: Iterable[str]) -> dict:
    """The Frictionless tabular data package (v1) that describes the CSV files."""
    with translation.override("da"):
        resources = [_resource(table) for table in TABLES]
        homepage = _absolute(reverse("portal:open_data"))
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        **_about(created, version, licences),
        "homepage": homepage,
        "resources": resources,
    }


def _about(created: datetime, version: str, licences: Iterable[str]) -> dict:
    return {
        "title": "Strategiportalen – åbne data",
        "description": (
            "Everything public on Strategiportalen: organizations, published strategies with "
            "their focus areas, goals, actions and targets, the stored assessment of each "
            "target, the indicators, their approved values and the shared themes. Data are "
            "licensed CC BY 4.0 unless an organization has chosen another licence; each row "
            "names the licence of its organization's data."
        ),
        "created": _timestamp(created),
        "version": version,
        "licenses": [
            _licence(licence)
            for licence in [PORTAL_LICENCE, *sorted(set(licences) - {PORTAL_LICENCE})]
        ],
    }


def _licence(spdx: str) -> dict:
    return {"name": spdx, "path": LICENCE_URLS[spdx], "title": LICENCE_TITLES[spdx]}


def _resource(table: Table) -> dict:
    resource = {
        "name": table.name,
        "path": csv_name(table),
        "profile": "tabular-data-resource",
        "title": str(table.title),
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": field.name, "type": field.type, "description": field.description}
                for field in table.fields
            ],
            "primaryKey": list(table.primary_key),
            "foreignKeys": [
                {
                    "fields": key.field,
                    # An empty resource name is the table itself (a parent in the same table).
                    "reference": {
                        "resource": "" if key.table == table.name else key.table,
                        "fields": key.column,
                    },
                }
                for key in table.foreign_keys
            ],
            "missingValues": [""],
        },
    }
    if LICENCE not in table.fields:
        # Shared tables with no organization of their own: the portal's licence.
        resource["licenses"] = [_licence(PORTAL_LICENCE)]
    return resource


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _absolute(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, datetime):
        return _timestamp(cell)
    if isinstance(cell, float):
        # As the target page's CSV writes a number: 1800, not 1800.0.
        return f"{cell:.4f}".rstrip("0").rstrip(".")
    return str(cell)


def _excel(cell):
    if isinstance(cell, datetime):
        return _timestamp(cell)
    if isinstance(cell, str):
        # A control character would make openpyxl refuse the whole workbook.
        return spreadsheet_cell(ILLEGAL_CHARACTERS_RE.sub("", cell))
    return cell


def _json(cell):
    return _timestamp(cell) if isinstance(cell, datetime) else cell
