"""An indicator's numbers as one table, one row per period: the value, what the path expects,
milestones and the target. The indicator page and the CSV download show the same rows."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.progress import Point


@dataclass(frozen=True)
class Row:
    period: int
    label: str
    point: Point | None
    expected: float | None
    milestone: float | None
    target: float | None
    source: str
    entered_at: datetime | None
    illustrative: bool
    hidden: bool  # too few pupils to publish the value


def indicator_rows(indicator: Indicator) -> list[Row]:
    assessment = indicator.assessment
    target = assessment.target
    owner_id = indicator.goal.strategy.owner_id
    own_values = {
        value.period: value
        for value in indicator.public_values
        if value.organization_id == owner_id
    }
    observed = {point.period: point for point in assessment.observed}
    expected = assessment.expected_by_period
    milestones = {milestone.period: milestone.value for milestone in target.milestones}
    periods = set(observed) | set(expected) | set(milestones)
    if target.period is not None:
        periods.add(target.period)

    rows = []
    for period in sorted(periods):
        value = own_values.get(period)
        if value is not None:
            source, entered_at, illustrative = value.source, value.entered_at, value.is_illustrative
        elif period in observed:
            # No value of the owner's own: the sum of the reporting organizations.
            source = _("Summen af de indberettende organisationer")
            entered_at, illustrative = None, False
        else:
            source, entered_at, illustrative = "", None, False
        rows.append(
            Row(
                period=period,
                label=indicator.period_label(period),
                point=observed.get(period),
                expected=expected.get(period),
                milestone=milestones.get(period),
                target=target.value if period == target.period else None,
                source=source,
                entered_at=entered_at,
                illustrative=illustrative,
                hidden=period in observed and indicator.hides(observed[period].value),
            )
        )
    return rows
