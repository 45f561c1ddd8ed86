"""Whether a reported number is plausible next to the one before it. Pure functions, no
database: the reporting page, the spreadsheet upload and the review queue ask the same rule.

A number that moves more than the metric's plausible change (a share in per cent) from the
previous period is not refused, since real numbers do jump; the reporter is asked to confirm
it and the reviewer sees it flagged."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Change:
    """How far a number moved from the previous period's."""

    previous: Decimal
    current: Decimal
    # The change as a share of the previous number, in per cent; None when the previous
    # number was 0 and the new one is not, which no percentage describes.
    percent: Decimal | None

    @property
    def is_rise(self) -> bool:
        return self.current > self.previous


def change(previous: Decimal | None, current: Decimal | None) -> Change | None:
    """The change from `previous` to `current`, or None when either is missing."""
    if previous is None or current is None:
        return None
    if previous == 0:
        return Change(previous, current, Decimal(0) if current == 0 else None)
    return Change(previous, current, abs(current - previous) / abs(previous) * 100)


def implausible_change(
    previous: Decimal | None, current: Decimal | None, limit: int | None
) -> Change | None:
    """The change from `previous` to `current` if it is larger than `limit` per cent (the
    metric's plausible change), else None. A metric without a limit is never checked."""
    if limit is None:
        return None
    found = change(previous, current)
    if found is None:
        return None
    if found.percent is None or found.percent > limit:
        return found
    return None
