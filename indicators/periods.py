"""Reporting periods: a calendar year ("2024") or a school year ("2024/25").

A period is stored as one integer, its starting year, so periods sort, subtract and compare
as numbers; only the label and the dates depend on the kind. No database.

A period covers the dates of its kind: calendar year 2024 the year itself, school year
2023/24 1 August 2023 to 31 July 2024. Changes (of a target, of an action) are dated, values
are not; `Interval` tells which changes fall between two periods.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.utils import timezone

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


def period_kind_of(kinds: Iterable[str]) -> PeriodKind:
    """The kind a set of indicators' periods (a strategy's, a report's) are labelled and dated
    by: school years where every one counts in them, else calendar years."""
    kinds = {PeriodKind(kind) for kind in kinds}
    return PeriodKind.SCHOOL_YEAR if kinds == {PeriodKind.SCHOOL_YEAR} else PeriodKind.CALENDAR_YEAR


def period_end(year: int, kind: PeriodKind | str) -> date:
    """The last day of a period: 31 December, or 31 July of the year a school year ends."""
    if PeriodKind(kind) is PeriodKind.SCHOOL_YEAR:
        return date(year + 1, 7, 31)
    return date(year, 12, 31)


def after_period(year: int, kind: PeriodKind | str) -> datetime:
    """The first moment after a period: midnight after its last day, in the active time zone.
    What was recorded before it stood when the period ended."""
    return timezone.make_aware(
        datetime.combine(period_end(year, kind) + timedelta(days=1), datetime.min.time())
    )


@dataclass(frozen=True)
class Interval:
    """The dates after period `since` up to and including period `until`, of one kind: from
    2023 to 2024, the calendar year 2024; from 2022/23 to 2023/24, 1 August 2023 to 31 July
    2024. One period's own dates are `Interval.between(period - 1, period, kind)`."""

    start: datetime  # included
    end: datetime  # not included

    @classmethod
    def between(cls, since: int, until: int, kind: PeriodKind | str) -> "Interval":
        return cls(start=after_period(since, kind), end=after_period(until, kind))

    def __contains__(self, when: datetime) -> bool:
        return self.start <= when < self.end
