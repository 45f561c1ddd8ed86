"""Importing an indicator's values from public statistics: a preview of what would be new,
changed and unchanged, and the import, which enters the new and changed values for review
through `services.values_import` like an uploaded spreadsheet's: submitted, awaiting an
editor's approval, entered by the user who imports. All or nothing."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators import services
from indicators.models import (
    TOO_LARGE,
    IndicatorValue,
    StatisticsLink,
    StatisticsService,
    validate_magnitude,
)
from indicators.periods import PeriodKind
from indicators.statistics import kolada, statbank
from indicators.statistics.client import Observation, StatisticsError
from municipalities import access
from municipalities.models import Organization, User

FETCHERS = {StatisticsService.STATBANK: statbank, StatisticsService.KOLADA: kolada}
# Statistikbanken writes a school year 2023/2024 (or 2023/24), a calendar year 2023.
YEAR = re.compile(r"^(\d{4})$")
SCHOOL_YEAR = re.compile(r"^(\d{4})/(\d{2}|\d{4})$")


@dataclass(frozen=True)
class Row:
    """One fetched value beside what is stored for its organization and period."""

    organization: Organization
    period: int
    value: Decimal
    stored: IndicatorValue | None
    source_url: str

    @property
    def is_new(self) -> bool:
        return self.stored is None

    @property
    def is_changed(self) -> bool:
        return self.stored is not None and self.stored.value != self.value

    @property
    def old(self) -> Decimal | None:
        return None if self.stored is None else self.stored.value

    @property
    def revision(self) -> int | None:
        return None if self.stored is None else self.stored.revision


@dataclass
class Preview:
    """What importing `link` now would do. `problems` stop the import; `skipped` says which
    published periods the series does not take (before its baseline)."""

    link: StatisticsLink
    fetched_at: datetime
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def new(self) -> list[Row]:
        return [row for row in self.rows if row.is_new]

    @property
    def changed(self) -> list[Row]:
        return [row for row in self.rows if row.is_changed]

    @property
    def unchanged(self) -> list[Row]:
        return [row for row in self.rows if not row.is_new and not row.is_changed]

    @property
    def writes(self) -> list[Row]:
        return [row for row in self.rows if row.is_new or row.is_changed]

    @property
    def source_urls(self) -> list[str]:
        return sorted({row.source_url for row in self.rows})

    @property
    def digest(self) -> str:
        """A fingerprint of what the import would write, so that a confirmation imports
        what the editor read and nothing else."""
        plan = [
            [row.organization.pk, row.period, str(row.value), row.revision] for row in self.writes
        ]
        return hashlib.sha256(json.dumps(plan).encode()).hexdigest()

    @property
    def summary(self) -> str:
        return _("%(new)s nye, %(changed)s ændrede og %(unchanged)s uændrede tal.") % {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
        }

    @property
    def note(self) -> str:
        """What each imported value's note says: where and when it was fetched. Stored
        with the value, in the portal's language, as its source is."""
        fetched_on = timezone.localdate(self.fetched_at).isoformat()
        return f"Hentet fra {self.link.source} den {fetched_on}."


def statistics_preview(*, link: StatisticsLink) -> Preview:
    """Fetch `link`'s values and compare them with the stored ones. Writes nothing; a
    StatisticsError says why nothing could be fetched."""
    indicator = link.indicator
    if indicator.is_archived:
        raise StatisticsError(_("Indikatoren er arkiveret og tager ikke flere tal."))
    organizations = _organizations(link)
    fetcher = FETCHERS[link.service]
    observations = fetcher.fetch(link, list(organizations))
    preview = Preview(link=link, fetched_at=timezone.now())
    stored = {
        (value.organization_id, value.period): value
        for value in IndicatorValue.objects.filter(
            indicator=indicator, organization__in=organizations.values()
        )
    }
    found = set()
    for observation in observations:
        organization = organizations.get(observation.area)
        if organization is None:  # an area the service added of its own accord
            continue
        found.add(observation.area)
        period = _period(observation, link, preview)
        if period is None:
            continue
        problem = services.period_error(indicator, period)
        if problem:
            preview.skipped.append(problem)
            continue
        value = _value(observation, link)
        problem = _value_problem(value, organization, indicator)
        if problem:
            preview.problems.append(f"{organization}, {indicator.period_label(period)}: {problem}")
            continue
        preview.rows.append(
            Row(
                organization,
                period,
                value,
                stored=stored.get((organization.pk, period)),
                source_url=fetcher.source_url(link, observation.area),
            )
        )
    for area, organization in organizations.items():
        if area not in found:
            preview.problems.append(
                _("Der er ingen tal i %(source)s for %(area)s (%(organization)s). Er koden rigtig?")
                % {
                    "source": link.source,
                    "area": area,
                    "organization": organization,
                }
            )
    preview.rows.sort(key=lambda row: (row.period, row.organization.name))
    preview.skipped = sorted(set(preview.skipped))
    return preview


def statistics_import(*, link: StatisticsLink, user: User, digest: str | None = None) -> Preview:
    """Fetch `link`'s values and enter the new and changed ones for review, all or nothing.
    With `digest`, only if they are still what a preview with that digest showed. Records
    the outcome on the link."""
    if not access.can_edit(user, link.indicator.organization_id):
        raise PermissionDenied
    try:
        preview = statistics_preview(link=link)
        if digest is not None and preview.digest != digest:
            raise ValidationError(
                _(
                    "Tallene i statistikken eller i portalen er ændret, siden forhåndsvisningen "
                    "blev lavet. Læs den nye forhåndsvisning, og hent igen. Intet er gemt."
                )
            )
        if preview.problems:
            raise ValidationError([*preview.problems, _("Intet er gemt.")])
        _check_reporter(user, preview)
        entries = [
            (
                row.organization,
                services.ValueEntry(
                    indicator=link.indicator,
                    period=row.period,
                    value=row.value,
                    note=preview.note,
                    source=link.source,
                    source_url=row.source_url,
                    # A value changed since it was read is refused as stale.
                    revision=row.revision,
                ),
            )
            for row in preview.writes
        ]
        with transaction.atomic():
            if entries:
                services.values_import(entries=entries, user=user, reason=link.source)
            _record(link, preview.summary, at=preview.fetched_at)
    except (StatisticsError, ValidationError) as error:
        _record(link, " ".join(_messages(error)), at=timezone.now())
        raise
    return preview


def _check_reporter(user: User, preview: Preview) -> None:
    """The values are entered by `user`, who must be allowed to report each: a series that
    other municipalities report too is imported by someone who may report for them all."""
    outside = sorted(
        {
            str(row.organization)
            for row in preview.writes
            if not access.can_report(user, row.organization.pk)
        }
    )
    if outside:
        raise ValidationError(
            _(
                "Du kan ikke indberette for %(organizations)s, så tallene kan ikke hentes af "
                "dig. Intet er gemt."
            )
            % {"organizations": get_text_list(outside, _("og"))}
        )


def _organizations(link: StatisticsLink) -> dict[str, Organization]:
    """The organizations whose values are fetched, by the code the service knows them by:
    a Kolada unit is the indicator's own organization; otherwise every reporting
    organization with a municipality code (a municipality's schools have none)."""
    indicator = link.indicator
    reporting = list(indicator.reporting_organizations.all())
    if link.kolada_ou:
        if indicator.organization_id not in {organization.pk for organization in reporting}:
            raise StatisticsError(
                _("%(organization)s indberetter ikke selv »%(indicator)s«.")
                % {"organization": indicator.organization, "indicator": indicator}
            )
        return {link.kolada_ou: indicator.organization}
    code = kolada.area_code if link.service == StatisticsService.KOLADA else str
    organizations = {
        code(organization.municipality_code): organization
        for organization in reporting
        if organization.municipality_code
    }
    if not organizations:
        raise StatisticsError(
            _(
                "Ingen af de organisationer, der indberetter »%(indicator)s«, har en "
                "kommunekode. Skriv den på organisationen."
            )
            % {"indicator": indicator}
        )
    return organizations


def _period(observation: Observation, link: StatisticsLink, preview: Preview) -> int | None:
    """The portal's period of a published one, or None (and a problem) if the indicator's
    kind of period cannot hold it. Kolada dates a school year by its spring term (2024 is
    2023/24); Statistikbanken writes it out."""
    kind = PeriodKind(link.indicator.period_kind)
    text = observation.period
    if link.service == StatisticsService.KOLADA and YEAR.match(text):
        year = int(text)
        return year - 1 if kind is PeriodKind.SCHOOL_YEAR else year
    if kind is PeriodKind.CALENDAR_YEAR and YEAR.match(text):
        return int(text)
    school_year = SCHOOL_YEAR.match(text)
    if kind is PeriodKind.SCHOOL_YEAR and school_year:
        return int(school_year.group(1))
    problem = _(
        "Perioden %(period)s i %(source)s passer ikke til indikatorens periode (%(kind)s)."
    ) % {
        "period": text,
        "source": link.source,
        "kind": link.indicator.metric.get_period_kind_display().lower(),
    }
    if problem not in preview.problems:
        preview.problems.append(problem)
    return None


def _value(observation: Observation, link: StatisticsLink) -> Decimal:
    """The published number in the metric's unit, rounded to its decimals as a reporter
    would write it."""
    scaled = observation.value * link.scale
    if abs(scaled) >= TOO_LARGE:
        return scaled  # too long to round, and refused as too large
    return scaled.quantize(Decimal(1).scaleb(-link.indicator.decimals), rounding=ROUND_HALF_UP)


def _value_problem(value: Decimal, organization: Organization, indicator) -> str | None:
    """Why `value` cannot be a value of `indicator`: the value's own rules, checked again
    by the import."""
    if value < 0:
        return _("Værdien kan ikke være negativ.")
    try:
        validate_magnitude(value)
    except ValidationError as error:
        return " ".join(error.messages)
    if indicator.needs_weight_from(organization.pk):
        return _("Målingen er et vægtet gennemsnit, og statistikken giver ingen vægt.")
    try:
        indicator.validate_value(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _messages(error: Exception) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def _record(link: StatisticsLink, result: str, *, at: datetime) -> None:
    StatisticsLink.objects.filter(pk=link.pk).update(last_fetched_at=at, last_result=result)
    link.last_fetched_at, link.last_result = at, result


def count_message(preview: Preview) -> str:
    written = len(preview.writes)
    return ngettext(
        "%(count)s tal er sendt til godkendelse.",
        "%(count)s tal er sendt til godkendelse.",
        written,
    ) % {"count": written}
