"""Reporting periods: a calendar year ("2024") or a school year ("2024/25").

A period is stored as one integer, its starting year, so periods sort, subtract and compare
as numbers; only the label depends on the kind. Pure functions, no database.
"""

from enum import StrEnum

FIRST_YEAR = 1900
LAST_YEAR = 2100


class PeriodKind(StrEnum):
    CALENDAR_YEAR = "calendar_year"
    SCHOOL_YEAR = "school_year"


def period_label(year: int, kind: PeriodKind | str) -> str:
    """The period as people write it: 2024 or 2024/25."""
    if PeriodKind(kind) is PeriodKind.SCHOOL_YEAR:
        return f"{year}/{(year + 1) % 100:02d}"
    return str(year)
