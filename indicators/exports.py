"""One rule for every cell the portal writes into a CSV or Excel file, so that a download
cannot attack the person who opens it (CSV or formula injection).

A spreadsheet program runs a cell that begins with `=`, `+`, `-` or `@` as a formula, and a
leading tab or carriage return can hide such a start. A source, unit, note or name comes
from a person and may begin that way: `=HYPERLINK(...)` in a source would become a link, or
worse, in the reader's Excel. OWASP's rule is to put a single quote before such a text, which
makes the spreadsheet show it as text; the portal's upload reader takes the quote off again.

Two kinds of cell are left as they are, because no spreadsheet can run them:
- numbers (int, float, Decimal), which an Excel cell stores as a number, negative or not;
- a text that is nothing but a number, such as the `-3.5` or `-3,5` that the portal formats
  itself for a CSV. OWASP quotes every cell that starts with `-`; a bare number literal cannot
  be a formula, and quoting it would turn the portal's own negative figures into text."""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A sign, then digits with decimal marks and thousands separators, and nothing else.
_NUMBER_LITERAL = re.compile(r"[+-]?\d[\d.,]*")


def spreadsheet_cell(value: object) -> object:
    """`value` as it can safely go into a CSV or Excel cell: a text that a spreadsheet would
    run as a formula gets a single quote in front; numbers, number literals, None and other
    text are returned unchanged."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _NUMBER_LITERAL.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_row(values) -> list:
    """A row of cells, each through `spreadsheet_cell`."""
    return [spreadsheet_cell(value) for value in values]
