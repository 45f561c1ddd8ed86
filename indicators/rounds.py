"""Reporting rounds: what each reporter still owes, and for editors, who is missing.

A round asks for one period's values of every indicator owned by the round's organization or
by an organization below it, from every organization that reports the indicator. The tree of
organizations is walked one query per level, so every page here runs a number of queries that
depends on the depth of the tree, never on how many schools and indicators a round has."""

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from indicators.exports import spreadsheet_row
from indicators.models import Indicator, IndicatorValue, ReportingRound, ValueStatus
from municipalities import access
from municipalities.models import Organization

ReportingLink = Indicator.reporting_organizations.through


class RoundState(models.TextChoices):
    """A value's state in a round: its status, or missing when nothing has been entered."""

    REJECTED = ValueStatus.REJECTED.value, ValueStatus.REJECTED.label
    MISSING = "missing", _("Mangler")
    DRAFT = ValueStatus.DRAFT.value, ValueStatus.DRAFT.label
    SUBMITTED = ValueStatus.SUBMITTED.value, ValueStatus.SUBMITTED.label
    APPROVED = ValueStatus.APPROVED.value, ValueStatus.APPROVED.label


# What needs doing first comes first: rejected values, then missing ones.
STATE_ORDER = {state: position for position, state in enumerate(RoundState.values)}


@dataclass
class Cell:
    indicator: Indicator
    organization: Organization
    value: IndicatorValue | None

    @property
    def state(self) -> str:
        return self.value.status if self.value else RoundState.MISSING

    @property
    def state_label(self) -> str:
        return RoundState(self.state).label


@dataclass
class Due:
    """One organization's part of a round on the reporter's start page."""

    organization: Organization
    cells: list[Cell] = field(default_factory=list)


def with_ancestors(parents: dict[int, int | None], organization_id: int) -> set[int]:
    found = set()
    while organization_id is not None and organization_id not in found:
        found.add(organization_id)
        organization_id = parents.get(organization_id)
    return found


def rounds_asking_for(indicators: list[Indicator], periods: list[int]) -> list[ReportingRound]:
    """The open rounds of `periods` that ask for any of `indicators`: those of the indicators'
    owners and of the organizations above them (two queries)."""
    owners = {indicator.organization_id for indicator in indicators}
    if not owners:
        return []
    parents = Organization.objects.parents_upward(owners)
    askers = set().union(*(with_ancestors(parents, owner) for owner in owners))
    return list(
        ReportingRound.objects.open()
        .filter(period__in=periods, organization__in=askers)
        .select_related("organization")
        .order_by("period", "deadline", "pk")
    )


def reporter_rounds(organizations: list[Organization]) -> list[tuple[ReportingRound, list[Due]]]:
    """The open rounds that ask `organizations` for values, each with what every one of them
    owes: rejected values first, then missing, draft, submitted and approved."""
    rounds = list(ReportingRound.objects.open().select_related("organization"))
    if not rounds or not organizations:
        return []
    links = list(
        ReportingLink.objects.filter(organization__in=organizations, indicator__archived_at=None)
        .select_related("indicator__organization", "indicator__metric")
        .order_by("indicator__organization__name", "indicator__name", "indicator_id")
    )
    values = {
        (value.indicator_id, value.organization_id, value.period): value
        for value in IndicatorValue.objects.filter(
            organization__in=organizations, period__in={r.period for r in rounds}
        )
    }
    links_of = defaultdict(list)
    for link in links:
        links_of[link.organization_id].append(link)
    # The rounds that ask for an indicator are those of its owner and of the owner's ancestors.
    owners = {link.indicator.organization_id for link in links}
    parents = Organization.objects.parents_upward(owners)
    askers = {owner: with_ancestors(parents, owner) for owner in owners}
    result = []
    for reporting_round in sorted(rounds, key=lambda r: (r.deadline, r.pk)):
        owed = []
        for organization in organizations:
            cells = [
                Cell(
                    link.indicator,
                    organization,
                    values.get((link.indicator_id, organization.pk, reporting_round.period)),
                )
                for link in links_of[organization.pk]
                if reporting_round.organization_id in askers[link.indicator.organization_id]
            ]
            if cells:
                cells.sort(key=lambda cell: STATE_ORDER[cell.state])
                owed.append(Due(organization, cells))
        if owed:
            result.append((reporting_round, owed))
    return result


@dataclass
class RoundTable:
    """A round's indicators × reporting organizations; a cell is None where an organization
    does not report the indicator."""

    indicators: list[Indicator]
    organizations: list[Organization]
    cells: dict[tuple[int, int], Cell]

    def cell(self, indicator: Indicator, organization: Organization) -> Cell | None:
        return self.cells.get((indicator.pk, organization.pk))

    def counts(self) -> list[tuple[str, str, int]]:
        counted = Counter(cell.state for cell in self.cells.values())
        return [(state, label, counted[state]) for state, label in RoundState.choices]

    def filtered(self, *, state: str = "", organization: str = "") -> "RoundTable":
        """The organizations with the slug `organization`, and the indicators and
        organizations with at least one cell in `state`."""
        cells = {
            key: cell
            for key, cell in self.cells.items()
            if (not state or cell.state == state)
            and (not organization or cell.organization.slug == organization)
        }
        indicators = {indicator_id for indicator_id, _organization in cells}
        organizations = {organization_id for _indicator, organization_id in cells}
        return RoundTable(
            [indicator for indicator in self.indicators if indicator.pk in indicators],
            [org for org in self.organizations if org.pk in organizations],
            {
                key: cell
                for key, cell in self.cells.items()
                if key[0] in indicators and key[1] in organizations
            },
        )

    def rows(self) -> list[tuple[Indicator, list[Cell | None]]]:
        return [
            (indicator, [self.cell(indicator, org) for org in self.organizations])
            for indicator in self.indicators
        ]


def round_links(reporting_round: ReportingRound) -> list:
    """What the round asks for: each indicator owned by the round's organization or one
    below it, with each organization that reports it (a query per level of the tree, and
    one)."""
    owners = Organization.objects.ids_with_units_below({reporting_round.organization_id})
    return list(
        # An archived indicator is history: no round asks for it any more.
        ReportingLink.objects.filter(
            indicator__organization__in=owners, indicator__archived_at=None
        )
        .select_related("indicator__organization", "indicator__metric", "organization")
        .order_by("indicator__organization__name", "indicator__name", "indicator_id")
    )


def round_table(reporting_round: ReportingRound) -> RoundTable:
    links = round_links(reporting_round)
    values = {
        (value.indicator_id, value.organization_id): value
        for value in IndicatorValue.objects.filter(
            indicator__in={link.indicator_id for link in links},
            period=reporting_round.period,
        )
    }
    indicators = list({link.indicator_id: link.indicator for link in links}.values())
    organizations = sorted(
        {link.organization_id: link.organization for link in links}.values(),
        key=lambda organization: (organization.name, organization.pk),
    )
    cells = {
        (link.indicator_id, link.organization_id): Cell(
            link.indicator,
            link.organization,
            values.get((link.indicator_id, link.organization_id)),
        )
        for link in links
    }
    return RoundTable(indicators, organizations, cells)


def editable_round_or_403(request, pk: int) -> ReportingRound:
    reporting_round = get_object_or_404(
        ReportingRound.objects.select_related("organization"), pk=pk
    )
    if not access.can_edit(request.user, reporting_round.organization_id):
        raise PermissionDenied
    return reporting_round


@login_required
def home(request):
    organizations = list(
        access.reporter_scope(request.user)
        .filter(
            Organization.objects.filter(
                reported_indicators__in=Indicator.objects.active()
            ).distinct(),
            "",
        )
        .order_by("name")
    )
    context = {
        "organizations": organizations,
        "rounds": reporter_rounds(organizations),
        "editor_rounds": ReportingRound.objects.open_for_editor(request.user)
        .select_related("organization")
        .order_by("deadline", "pk"),
        "waiting": IndicatorValue.objects.awaiting_review_by(request.user).count(),
        "is_editor": bool(access.editor_scope(request.user)),
    }
    return render(request, "indicators/home.html", context)


@login_required
def overview(request, pk):
    reporting_round = editable_round_or_403(request, pk)
    table = round_table(reporting_round)
    state = request.GET.get("status", "")
    state = state if state in RoundState.values else ""
    organization = request.GET.get("organisation", "")
    shown = table.filtered(state=state, organization=organization)
    if request.GET.get("format") == "csv":
        return _csv(reporting_round, shown)
    context = {
        "round": reporting_round,
        "counts": table.counts(),
        "organizations": table.organizations,
        "states": RoundState.choices,
        "state": state,
        "organization": organization,
        "table": shown,
        "csv_query": request.GET.copy(),
    }
    context["csv_query"]["format"] = "csv"
    return render(request, "indicators/round.html", context)


def _csv(reporting_round: ReportingRound, table: RoundTable) -> HttpResponse:
    filename = slugify(f"{reporting_round.organization.slug}-{reporting_round.period}")
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="indberetning-{filename}.csv"'},
    )
    writer = csv.writer(response)
    writer.writerow(
        spreadsheet_row(
            ["indikator", "ejer", *(organization.name for organization in table.organizations)]
        )
    )
    for indicator, cells in table.rows():
        writer.writerow(
            spreadsheet_row(
                [
                    indicator.name,
                    indicator.organization.name,
                    *(cell.state_label if cell else "" for cell in cells),
                ]
            )
        )
    return response
