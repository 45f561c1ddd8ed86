"""What the open data hold: one table per kind, each read through the kind's own publication
rule (`public()`, `visible_to(None)`, approved values only), so that a download never holds
what a visitor could not see on a page.

Each table is a list of fields with their Frictionless types, its keys, and a function that
yields its rows as tuples in the fields' order; `formats` writes the same rows into every
format. A table costs one query (the values a few thousand rows at a time), whatever its
size; the target pages' tables cost four per TARGETS_AT_A_TIME targets, as each is assessed
from its indicator's values as its page is (16 s for the 5,670 targets of the national set,
210,000 rows). Every row carries the licence of the organization whose data it is and,
where the kind has a page, the page's address.

Numbers are floats as `indicators.models.published_number` writes them, the API's way: a
value's Decimal of at most four decimals turns into the float that prints as it (93.4), and a
computed float is rounded to four decimals, as the target page's CSV writes it."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from goals.models import Action, FocusArea, Goal, Strategy, Theme, WorkingModel
from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric, published_number
from indicators.tables import target_rows
from municipalities.models import DataLicence, NetworkMembership, Organization

# What applies where an organization says nothing else, and to what is shared (themes, shared
# metrics).
PORTAL_LICENCE = DataLicence.CC_BY_4_0.value

# How many values are read from the database at a time: the national set has hundreds of
# thousands, which need not be in memory at once.
CHUNK_SIZE = 5000


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Frictionless table schema type: string, integer, number, boolean, datetime
    description: str


@dataclass(frozen=True)
class ForeignKey:
    field: str
    table: str  # the table referred to; its key is `id`
    column: str = "id"


@dataclass(frozen=True)
class Table:
    name: str
    title: Promise  # for the open-data page; the data package has it in Danish
    description: str
    fields: tuple[Field, ...]
    rows: Callable[["Snapshot"], Iterator[tuple]]
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: tuple[ForeignKey, ...] = ()


def _id(description: str) -> Field:
    return Field("id", "integer", description)


LICENCE = Field("licence", "string", "SPDX identifier of the licence of the row's data.")


def _url(description: str = "Address of its page on the portal.") -> Field:
    return Field("url", "string", description)


class _Addresses:
    """Absolute page addresses made from a reversed pattern: reversing once per row would
    cost seconds at the scale of the national set's values."""

    def __init__(self, name: str, arguments: int):
        marks = [f"zq{number}zq" for number in range(arguments)]
        template = settings.PORTAL_URL.rstrip("/") + reverse(f"portal:{name}", args=marks)
        for number, mark in enumerate(marks):
            template = template.replace(mark, f"{{{number}}}")
        self.template = template

    def __call__(self, *slugs: str) -> str:
        return self.template.format(*slugs)


class Snapshot:
    """What several tables need from one another while a build runs: the organizations'
    licences and the public indicators, whose rules say which values to suppress and how to
    name their periods."""

    @cached_property
    def licences(self) -> dict[int, str]:
        return dict(Organization.objects.values_list("pk", "data_licence"))

    @cached_property
    def indicators(self) -> dict[int, Indicator]:
        return {
            indicator.pk: indicator
            for indicator in Indicator.objects.public()
            .select_related("organization", "metric")
            .order_by("pk")
        }


def _organizations(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("organization", 1)
    for row in Organization.objects.order_by("pk").values_list(
        "pk",
        "name",
        "short_name",
        "slug",
        "kind",
        "country",
        "parent_id",
        "locality",
        "municipality_code",
        "website",
        "data_licence",
    ):
        yield (*row, address(row[3]))


def _network_memberships(snapshot: Snapshot) -> Iterator[tuple]:
    for network, member, since in NetworkMembership.objects.order_by(
        "network_id", "member_id"
    ).values_list("network_id", "member_id", "since_year"):
        yield (network, member, since, snapshot.licences[network])


def _strategies(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("strategy", 2)
    for row in (
        Strategy.objects.public()
        .with_published_predecessor()
        .order_by("pk")
        .values_list(
            "pk",
            "owner_id",
            "title",
            "subtitle",
            "start_year",
            "end_year",
            "language",
            "published_replaces_id",
            "archived_at",
            "source_title",
            "source_year",
            "source_url",
            "owner__slug",
            "slug",
        )
    ):
        pk, owner, *texts, replaces, archived_at, source, year, source_url, owner_slug, slug = row
        yield (
            pk,
            owner,
            *texts,
            replaces,
            archived_at is not None,
            source,
            year,
            source_url,
            snapshot.licences[owner],
            address(owner_slug, slug),
        )


def _focus_areas(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("focus_area", 3)
    for *row, owner, owner_slug, strategy_slug, slug in (
        FocusArea.objects.public()
        .order_by("strategy_id", "order", "pk")
        .values_list(
            "pk",
            "strategy_id",
            "parent_id",
            "order",
            "label",
            "title",
            "headline",
            "ambition",
            "description",
            "strategy__owner_id",
            "strategy__owner__slug",
            "strategy__slug",
            "slug",
        )
    ):
        yield (*row, snapshot.licences[owner], address(owner_slug, strategy_slug, slug))


def _goals(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("goal", 3)
    for *row, archived_at, owner, owner_slug, strategy_slug, slug in (
        Goal.objects.public()
        .order_by("strategy_id", "order", "pk")
        .values_list(
            "pk",
            "strategy_id",
            "focus_area_id",
            "order",
            "text",
            "description",
            "archived_at",
            "strategy__owner_id",
            "strategy__owner__slug",
            "strategy__slug",
            "slug",
        )
    ):
        yield (
            *row,
            archived_at is not None,
            snapshot.licences[owner],
            address(owner_slug, strategy_slug, slug),
        )


def _actions(snapshot: Snapshot) -> Iterator[tuple]:
    for *row, owner in (
        Action.objects.public()
        .order_by("strategy_id", "order", "pk")
        .values_list(
            "pk",
            "strategy_id",
            "focus_area_id",
            "goal_id",
            "order",
            "text",
            "state",
            "strategy__owner_id",
        )
    ):
        yield (*row, snapshot.licences[owner])


def _metrics(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("comparison", 1)
    for *row, slug in (
        Metric.objects.in_public_use()
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "owner_id",
            "definition",
            "unit",
            "measure",
            "decimals",
            "period_kind",
            "counts_pupils",
            "aggregation",
            "slug",
        )
    ):
        owner = row[2]
        # Only a shared metric has a comparison page.
        yield (
            *row,
            slug,
            snapshot.licences[owner] if owner else PORTAL_LICENCE,
            "" if owner else address(slug),
        )


def _indicators(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("series", 2)
    for indicator in snapshot.indicators.values():
        yield (
            indicator.pk,
            indicator.organization_id,
            indicator.metric_id,
            indicator.name,
            indicator.description,
            indicator.unit,
            indicator.decimals,
            indicator.period_kind,
            indicator.data_source,
            indicator.is_archived,
            indicator.organization.data_licence,
            address(indicator.organization.slug, indicator.slug),
        )


# The stored assessment's columns of the targets table, as `TargetAssessment.published` names
# them: the API's and the target page's own view of it.
ASSESSMENT_FIELDS = (
    Field("status", "string", "Assessed status."),
    Field(
        "progress", "number", "Progress from baseline to target, per cent; empty when suppressed."
    ),
    Field("expected", "number", "Value the path expects in the latest period."),
    Field("latest_period", "integer", "Latest period with a value."),
    Field("latest_period_label", "string", "The latest period as the pages write it."),
    Field("latest_value", "number", "Latest value; empty when suppressed."),
    Field("latest_value_suppressed", "boolean", "The latest value counts fewer than 5 pupils."),
    Field("deadline_passed", "boolean", "The target's period has been reached."),
    Field("forecast_shape", "string", "Shape of the forecast, if any: linear or compound."),
    Field("forecast_pace", "number", "Pace of the forecast a period; empty when suppressed."),
    Field("forecast_period", "integer", "Period the forecast reaches the target."),
    Field("forecast_on_time", "boolean", "The forecast reaches the target in time."),
    Field("assessed_at", "datetime", "When the assessment was made."),
)


def _targets(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("indicator", 4)
    targets = (
        GoalTarget.objects.public()
        .select_related("goal__strategy__owner", "indicator__metric", "stored_assessment")
        .order_by("pk")
    )
    for target in targets:
        indicator = snapshot.indicators[target.indicator_id]
        strategy = target.goal.strategy
        assessment = getattr(target, "stored_assessment", None)
        published = {} if assessment is None else assessment.published()
        yield (
            target.pk,
            target.goal_id,
            target.indicator_id,
            strategy.pk,
            target.direction,
            target.baseline_period,
            published_number(target.baseline_value),
            target.target_period,
            published_number(target.target_value),
            published_number(target.target_value_max),
            published_number(target.stated_annual_growth),
            *(published.get(field.name) for field in ASSESSMENT_FIELDS),
            target.in_archive,
            strategy.owner.data_licence,
            address(strategy.owner.slug, strategy.slug, target.goal.slug, indicator.slug),
        )


# The target pages' tables: assessing a target reads its indicator's values, so the targets
# are read this many at a time with their values.
TARGETS_AT_A_TIME = 200

SERIES_FIELDS = (
    Field("period", "integer", "Period (year it begins)."),
    Field("period_label", "string", "The period as the pages write it."),
    Field("value", "number", "The value the page shows; empty when none or suppressed."),
    Field("suppressed", "boolean", "The value counts fewer than 5 pupils, so not published."),
    Field(
        "computed",
        "boolean",
        "Computed from the reporting organizations' values (in the values table).",
    ),
    Field("expected", "number", "What the path from baseline to target expects."),
    Field("milestone", "number", "The milestone of the period, if any."),
    Field("target", "number", "The target, in its period."),
)


def _target_series(snapshot: Snapshot) -> Iterator[tuple]:
    targets = GoalTarget.objects.public().with_progress().order_by("pk")
    for target in targets.iterator(chunk_size=TARGETS_AT_A_TIME):
        licence = target.goal.strategy.owner.data_licence
        for row in target_rows(target):
            published = row.published()
            yield (
                target.pk,
                *(published[field.name] for field in SERIES_FIELDS),
                licence,
            )


def _values(snapshot: Snapshot) -> Iterator[tuple]:
    values = (
        IndicatorValue.objects.public()
        .order_by("indicator_id", "period", "organization_id")
        .values_list(
            "pk",
            "indicator_id",
            "organization_id",
            "period",
            "value",
            "source",
            "source_url",
            "is_illustrative",
        )
    )
    for (
        pk,
        indicator_id,
        organization,
        period,
        value,
        source,
        source_url,
        illustrative,
    ) in values.iterator(chunk_size=CHUNK_SIZE):
        indicator = snapshot.indicators[indicator_id]
        # The one rule of the pages and the target CSV: a pupil count below five is never
        # published; the row says that there is a value, not what it is.
        suppressed = indicator.hides(value)
        yield (
            pk,
            indicator_id,
            organization,
            period,
            indicator.period_label(period),
            None if suppressed else published_number(value),
            suppressed,
            source,
            source_url,
            illustrative,
            indicator.organization.data_licence,
        )


def _themes(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("theme", 1)
    for *row, slug in (
        Theme.objects.visible_to(None)
        .order_by("pk")
        .values_list("pk", "name", "language", "description", "network_id", "slug")
    ):
        yield (*row, address(slug))


def _tags(model, part: str) -> Callable[[Snapshot], Iterator[tuple]]:
    """A goal's or focus area's themes: a published part carries only themes that are
    visible, since that part makes them so."""

    def rows(snapshot: Snapshot) -> Iterator[tuple]:
        through = model.themes.through.objects.filter(
            **{f"{part}__in": model.objects.public()}
        ).order_by(f"{part}_id", "theme_id")
        yield from through.values_list(f"{part}_id", "theme_id")

    return rows


def _working_models(snapshot: Snapshot) -> Iterator[tuple]:
    address = _Addresses("working_model", 2)
    for *row, organization_slug, slug in (
        WorkingModel.objects.public()
        .with_published_document()
        .order_by("pk")
        .values_list(
            "pk",
            "organization_id",
            "theme_id",
            "name",
            "started_year",
            "duration_text",
            "description",
            "results",
            "language",
            "published_document_id",
            "organization__slug",
            "slug",
        )
    ):
        yield (*row, snapshot.licences[row[1]], address(organization_slug, slug))


ORGANIZATION = ForeignKey("organization_id", "organizations")

TABLES = (
    Table(
        "organizations",
        _("Organisationer"),
        "Municipalities, schools, learning centres and networks, with the organization each "
        "belongs under.",
        (
            _id("The organization's number."),
            Field("name", "string", "Name."),
            Field("short_name", "string", "Short name, if any."),
            Field("slug", "string", "Its part of the portal's addresses."),
            Field("kind", "string", "municipality, institution, learning_centre or network."),
            Field("country", "string", "DK or SE."),
            Field("parent_id", "integer", "The organization it belongs under, if any."),
            Field("locality", "string", "Town or municipality."),
            Field(
                "municipality_code",
                "string",
                "The municipality's code at Statistics Denmark or Kolada, if given.",
            ),
            Field("website", "string", "Its own website."),
            LICENCE,
            _url(),
        ),
        _organizations,
        foreign_keys=(ForeignKey("parent_id", "organizations"),),
    ),
    Table(
        "network_memberships",
        _("Medlemskaber af netværk"),
        "Which organizations are members of which networks and associations.",
        (
            Field("network_id", "integer", "The network."),
            Field("member_id", "integer", "The member."),
            Field("since_year", "integer", "Member since this year, if known."),
            LICENCE,
        ),
        _network_memberships,
        primary_key=("network_id", "member_id"),
        foreign_keys=(
            ForeignKey("network_id", "organizations"),
            ForeignKey("member_id", "organizations"),
        ),
    ),
    Table(
        "strategies",
        _("Strategier"),
        "Published strategies. A new version names the one it replaces.",
        (
            _id("The strategy's number."),
            Field("organization_id", "integer", "The organization whose strategy it is."),
            Field("title", "string", "Title."),
            Field("subtitle", "string", "Subtitle."),
            Field("start_year", "integer", "First year."),
            Field("end_year", "integer", "Last year."),
            Field("language", "string", "Language of its texts: da, sv or en."),
            Field("replaces_id", "integer", "The earlier version this one replaces, if any."),
            Field("archived", "boolean", "Archived: kept as history."),
            Field("source_title", "string", "The source document."),
            Field("source_year", "integer", "The source document's year."),
            Field("source_url", "string", "The source document's address."),
            LICENCE,
            _url(),
        ),
        _strategies,
        foreign_keys=(ORGANIZATION, ForeignKey("replaces_id", "strategies")),
    ),
    Table(
        "focus_areas",
        _("Fokusområder"),
        "Focus areas of the published strategies, nested at most one level.",
        (
            _id("The focus area's number."),
            Field("strategy_id", "integer", "Its strategy."),
            Field("parent_id", "integer", "The focus area it lies under, if any."),
            Field("order", "integer", "Its place in the strategy."),
            Field("label", "string", "Label, e.g. »Mål 3«."),
            Field("title", "string", "Title."),
            Field("headline", "string", "Headline."),
            Field("ambition", "string", "Ambition."),
            Field("description", "string", "Description."),
            LICENCE,
            _url(),
        ),
        _focus_areas,
        foreign_keys=(
            ForeignKey("strategy_id", "strategies"),
            ForeignKey("parent_id", "focus_areas"),
        ),
    ),
    Table(
        "goals",
        _("Mål"),
        "Published goals, in the strategy's own words.",
        (
            _id("The goal's number."),
            Field("strategy_id", "integer", "Its strategy."),
            Field(
                "focus_area_id", "integer", "Its focus area; none for a goal of the whole strategy."
            ),
            Field("order", "integer", "Its place in the strategy."),
            Field("text", "string", "The goal."),
            Field("description", "string", "Elaboration."),
            Field("archived", "boolean", "Archived: kept as history."),
            LICENCE,
            _url(),
        ),
        _goals,
        foreign_keys=(
            ForeignKey("strategy_id", "strategies"),
            ForeignKey("focus_area_id", "focus_areas"),
        ),
    ),
    Table(
        "actions",
        _("Handlinger"),
        "Published actions, under a goal, a focus area or the whole strategy, with their state.",
        (
            _id("The action's number."),
            Field("strategy_id", "integer", "Its strategy."),
            Field("focus_area_id", "integer", "Its focus area, if any."),
            Field("goal_id", "integer", "Its goal, if any."),
            Field("order", "integer", "Its place in the strategy."),
            Field("text", "string", "The action."),
            Field("state", "string", "planned, under_way or done."),
            LICENCE,
        ),
        _actions,
        foreign_keys=(
            ForeignKey("strategy_id", "strategies"),
            ForeignKey("focus_area_id", "focus_areas"),
            ForeignKey("goal_id", "goals"),
        ),
    ),
    Table(
        "metrics",
        _("Målinger"),
        "What is measured and how. A shared metric (no owner) is measured alike by several "
        "organizations and has a comparison page.",
        (
            _id("The metric's number."),
            Field("name", "string", "Name."),
            Field(
                "owner_id", "integer", "The organization that alone measures so; none if shared."
            ),
            Field("definition", "string", "Definition."),
            Field("unit", "string", "Unit, as written after the number."),
            Field("measure", "string", "Kind of number."),
            Field("decimals", "integer", "Decimals shown on the pages."),
            Field("period_kind", "string", "Kind of period: calendar or school year."),
            Field("counts_pupils", "boolean", "Counts pupils: values below 5 are suppressed."),
            Field("aggregation", "string", "How the owner's value is found from its schools'."),
            Field("slug", "string", "Its part of the portal's addresses."),
            LICENCE,
            _url("Address of its comparison page, for a shared metric."),
        ),
        _metrics,
        foreign_keys=(ForeignKey("owner_id", "organizations"),),
    ),
    Table(
        "indicators",
        _("Indikatorer"),
        "One organization's time series of a metric, on which published targets are set.",
        (
            _id("The indicator's number."),
            Field("organization_id", "integer", "The organization whose series it is."),
            Field("metric_id", "integer", "What it measures."),
            Field("name", "string", "Name."),
            Field("definition", "string", "Definition (the metric's unless its own)."),
            Field("unit", "string", "Unit."),
            Field("decimals", "integer", "Decimals shown on the pages."),
            Field("period_kind", "string", "Kind of period."),
            Field("data_source", "string", "Where its numbers come from."),
            Field("archived", "boolean", "Archived: kept as history."),
            LICENCE,
            _url("Address of the page of its whole series."),
        ),
        _indicators,
        foreign_keys=(ORGANIZATION, ForeignKey("metric_id", "metrics")),
    ),
    Table(
        "targets",
        _("Målsætninger"),
        "What a goal aims for on an indicator, with the portal's stored assessment of it "
        "(see the page »Sådan beregner vi fremdriften«).",
        (
            _id("The target's number."),
            Field("goal_id", "integer", "Its goal."),
            Field("indicator_id", "integer", "The indicator it is measured on."),
            Field("strategy_id", "integer", "The goal's strategy."),
            Field("direction", "string", "at_least, at_most or range."),
            Field("baseline_period", "integer", "Period of the baseline (year it begins)."),
            Field("baseline_value", "number", "Baseline value."),
            Field("target_period", "integer", "Deadline: period of the target."),
            Field("target_value", "number", "Target value (a range's lower bound)."),
            Field("target_value_max", "number", "A range's upper bound."),
            Field(
                "stated_annual_growth", "number", "Annual growth in per cent the document states."
            ),
            *ASSESSMENT_FIELDS,
            Field("archived", "boolean", "Archived with its goal or strategy: kept as history."),
            LICENCE,
            _url(),
        ),
        _targets,
        foreign_keys=(
            ForeignKey("goal_id", "goals"),
            ForeignKey("indicator_id", "indicators"),
            ForeignKey("strategy_id", "strategies"),
        ),
    ),
    Table(
        "target_series",
        _("Målsætningernes tal"),
        "Each target page's table, one row per period: the value the page shows (for an "
        "owner whose numbers are computed from its schools', the computed one), what the path "
        "expects, the milestones and the target. A count of fewer than 5 pupils is suppressed.",
        (
            Field("target_id", "integer", "The target."),
            *SERIES_FIELDS,
            LICENCE,
        ),
        _target_series,
        primary_key=("target_id", "period"),
        foreign_keys=(ForeignKey("target_id", "targets"),),
    ),
    Table(
        "values",
        _("Værdier"),
        "Approved values of the indicators, one per organization and period: the owner's own "
        "and its schools'. A count of fewer than 5 pupils is suppressed.",
        (
            _id("The value's number."),
            Field("indicator_id", "integer", "Its indicator."),
            Field("organization_id", "integer", "The organization that reported it."),
            Field("period", "integer", "Period (year it begins)."),
            Field("period_label", "string", "The period as the pages write it."),
            Field("value", "number", "The value; empty when suppressed."),
            Field("suppressed", "boolean", "Counts fewer than 5 pupils, so not published."),
            Field("source", "string", "Source."),
            Field("source_url", "string", "Source's address."),
            Field("illustrative", "boolean", "An illustrative example, not a real figure."),
            LICENCE,
        ),
        _values,
        foreign_keys=(ForeignKey("indicator_id", "indicators"), ORGANIZATION),
    ),
    Table(
        "themes",
        _("Temaer"),
        "Shared themes that goals, focus areas and working models pursue.",
        (
            _id("The theme's number."),
            Field("name", "string", "Name."),
            Field("language", "string", "Language of its texts."),
            Field("description", "string", "Description."),
            Field("network_id", "integer", "The network that formulated it, if any."),
            _url(),
        ),
        _themes,
        foreign_keys=(ForeignKey("network_id", "organizations"),),
    ),
    Table(
        "goal_themes",
        _("Målenes temaer"),
        "Which themes each published goal is tagged with.",
        (Field("goal_id", "integer", "The goal."), Field("theme_id", "integer", "The theme.")),
        _tags(Goal, "goal"),
        primary_key=("goal_id", "theme_id"),
        foreign_keys=(ForeignKey("goal_id", "goals"), ForeignKey("theme_id", "themes")),
    ),
    Table(
        "focus_area_themes",
        _("Fokusområdernes temaer"),
        "Which themes each published focus area is tagged with.",
        (
            Field("focus_area_id", "integer", "The focus area."),
            Field("theme_id", "integer", "The theme."),
        ),
        _tags(FocusArea, "focusarea"),
        primary_key=("focus_area_id", "theme_id"),
        foreign_keys=(
            ForeignKey("focus_area_id", "focus_areas"),
            ForeignKey("theme_id", "themes"),
        ),
    ),
    Table(
        "working_models",
        _("Arbejdsmodeller"),
        "How an organization works on a theme, and what it has achieved.",
        (
            _id("The working model's number."),
            Field("organization_id", "integer", "The organization."),
            Field("theme_id", "integer", "The theme."),
            Field("name", "string", "Name."),
            Field("started_year", "integer", "Year it started, when the source says."),
            Field("duration_text", "string", "How long it has run, in the source's words."),
            Field("description", "string", "Description."),
            Field("results", "string", "Results."),
            Field("language", "string", "Language of its texts."),
            Field("document_id", "integer", "The published strategy that describes it, if any."),
            LICENCE,
            _url(),
        ),
        _working_models,
        foreign_keys=(
            ORGANIZATION,
            ForeignKey("theme_id", "themes"),
            ForeignKey("document_id", "strategies"),
        ),
    ),
)
