"""The public portal: pages that combine organizations, strategies and indicators.

What a page, list, count or download shows is what `visible_to(request.user)` lets through
(goals.models.VisibleQuerySet): published content and approved values, and for an
organization's editors its drafts too, marked. `public_strategy_or_404`,
`public_target_or_404` and `public_indicator_or_404` are the doors to one object. Every page
reads a fixed number of queries, whatever the amount of data
(tests/portal/test_query_counts.py); tests/portal/test_visibility.py crawls them all for
drafts."""

import csv

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from goals.models import FocusArea, Goal, Mentorship, Strategy, StrategyTerm, Theme, WorkingModel
from indicators.charts import build_comparison_chart
from indicators.comparison import (
    CHART_LINES,
    ROWS_PER_PAGE,
    Selection,
    Showing,
    compare,
    is_comparable,
)
from indicators.context import against_the_country, context_of
from indicators.exports import spreadsheet_row
from indicators.models import PRIVACY_THRESHOLD, GoalTarget, Indicator, IndicatorValue, Metric
from indicators.progress import Direction, Point, Target, assess, expected_path
from indicators.progress import implied_growth as implied_rate
from indicators.rollups import status_counts
from indicators.tables import series_rows, target_chart, target_rows
from indicators.wording import format_number, hidden_quantity
from municipalities import access
from municipalities.models import Organization
from strategyportal.breadcrumbs import learning, trail
from strategyportal.filters import StrategyFilter
from strategyportal.forms import ComparisonFilterForm, LearningFilterForm
from strategyportal.learning import group_by_organization, targets_of
from strategyportal.outline import build_outline
from strategyportal.paging import page_of
from strategyportal.search import search_portal

HEADLINE_TARGETS = 4
# The front page names the newest strategies; /strategier/ lists and filters all of them.
FRONT_STRATEGIES = 12
# A strategy page says which version replaced it and which one it replaced, with links.
VERSIONS = ("successor__owner", "replaces__owner")

# HEG's own target, the worked example of the methodology page. The three 2024 values are
# examples, not figures HEG has reported; the page says so.
HEG_EXAMPLE = Target(
    direction=Direction.AT_LEAST,
    value=1800,
    period=2028,
    baseline=Point(2023, 1384),
    stated_growth=5,
)
EXAMPLE_VALUES_2024 = (1500, 1400, 1350)


def public_strategy_or_404(request, owner_slug: str, slug: str) -> Strategy:
    return get_object_or_404(
        Strategy.objects.visible_to(request.user).select_related("owner", *VERSIONS),
        owner__slug=owner_slug,
        slug=slug,
    )


def editable_strategy_or_403(request, owner_slug: str, slug: str) -> Strategy:
    """A strategy the visitor may see (else 404) and edit (else 403): its reports' work."""
    strategy = public_strategy_or_404(request, owner_slug, slug)
    if not access.can_edit(request.user, strategy.owner_id):
        raise PermissionDenied
    return strategy


def outline_for(request, strategy: Strategy):
    """The strategy as the visitor may see it: its editors see drafts as well, marked."""
    return build_outline(strategy, user=request.user)


def public_target_or_404(
    request, owner: str, strategy: str, goal: str, indicator: str
) -> GoalTarget:
    """A goal target, its values read through `with_progress()`, which reads approved values
    only."""
    return get_object_or_404(
        GoalTarget.objects.visible_to(request.user)
        .select_related(
            "goal__focus_area__parent", *(f"goal__strategy__{path}" for path in VERSIONS)
        )
        .with_progress()
        .annotate(comparable=is_comparable(OuterRef("indicator__metric"), viewer=request.user)),
        goal__strategy__owner__slug=owner,
        goal__strategy__slug=strategy,
        goal__slug=goal,
        indicator__organization__slug=owner,
        indicator__slug=indicator,
    )


def public_indicator_or_404(request, organization: str, slug: str) -> Indicator:
    """An indicator with its approved values, and whether the public sees it too (its
    editors also see a series no published target is set on yet)."""
    return get_object_or_404(
        Indicator.objects.visible_to(request.user)
        .with_series()
        .annotate(
            is_public=Exists(Indicator.objects.public().filter(pk=OuterRef("pk"))),
            comparable=is_comparable(OuterRef("metric"), viewer=request.user),
        ),
        organization__slug=organization,
        slug=slug,
    )


def _targets_of(request, indicator: Indicator) -> list[GoalTarget]:
    """The goal targets on `indicator` the visitor may see, oldest strategy first, each
    assessed on the one series already read (two queries)."""
    targets = list(
        GoalTarget.objects.visible_to(request.user)
        .filter(indicator=indicator)
        .select_related("goal__strategy__owner", "goal__strategy__successor__owner")
        .prefetch_related("milestones")
        .order_by(
            F("goal__strategy__start_year").asc(nulls_last=True),
            "goal__strategy__title",
            "goal__order",
            "order",
        )
    )
    for target in targets:
        target.indicator = indicator
    return targets


def _order_of(keys: list[int]):
    """A sort key that puts objects in the order of `keys`."""
    position = {key: index for index, key in enumerate(keys)}
    return lambda obj: position[obj.pk]


def front(request):
    published = Strategy.objects.visible_to(request.user)
    # The headline shows what organizations aim for now, not what an old version aimed for;
    # those with values first. Whether a target has values is read from its stored assessment
    # (asking each target's values took 160 ms at the national scale), and the four are chosen
    # on narrow rows before the wide ones are read: sorting the country's targets with all
    # that a card needs joined took 100 ms more.
    candidates = (
        GoalTarget.objects.visible_to(request.user)
        .exclude(goal__strategy__successor__status=Strategy.Status.PUBLISHED)
        .annotate(
            has_values=ExpressionWrapper(
                Q(stored_assessment__latest_period__isnull=False), output_field=BooleanField()
            )
        )
        .order_by(F("has_values").desc(), F("target_period").asc(nulls_last=True), "pk")
    )
    chosen = list(candidates.values_list("pk", flat=True)[:HEADLINE_TARGETS])
    headline = sorted(
        GoalTarget.objects.filter(pk__in=chosen).with_progress(), key=_order_of(chosen)
    )
    context = {
        # A strategy without a known first year is not among the newest (PostgreSQL would
        # sort it first, SQLite last).
        "strategies": published.select_related("owner", "successor__owner").order_by(
            F("start_year").desc(nulls_last=True), "owner__name", "title", "pk"
        )[:FRONT_STRATEGIES],
        "counts": published.aggregate(
            strategies=Count("pk"), organizations=Count("owner", distinct=True)
        ),
        "headline_targets": headline,
        "themes": Theme.objects.visible_to(request.user).order_by("name"),
    }
    return render(request, "portal/front.html", context)


def organization(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("parent"), slug=slug)
    context = {
        "organization": organization,
        "breadcrumbs": trail(organization),
        "strategies": organization.strategies.visible_to(request.user)
        .select_related("successor__owner")
        .order_by("title"),
        "children": organization.children.order_by("name"),
        "members": Organization.objects.filter(
            memberships_of_networks__network=organization
        ).order_by("name"),
        "networks": Organization.objects.filter(network_memberships__member=organization).order_by(
            "name"
        ),
        "targets": GoalTarget.objects.visible_to(request.user)
        .filter(goal__strategy__owner=organization)
        .with_progress()
        .order_by("goal__strategy__title", "goal__order", "order"),
        "themes": Theme.objects.visible_to(request.user).filter(network=organization),
        "mentorships": Mentorship.objects.visible_to(request.user)
        .filter(Q(programme__owner=organization) | Q(mentee=organization) | Q(mentor=organization))
        .select_related("mentee", "mentor", "theme", "working_model__organization"),
        "working_models": organization.working_models.visible_to(request.user).select_related(
            "organization"
        ),
        "contexts": context_of(organization),
    }
    return render(request, "portal/organization.html", context)


def _how_many(rows) -> Subquery:
    """How many `rows` there are (a queryset tied to the outer row by OuterRef), counted in a
    subquery of their own: counted across joins, each strategy's focus areas would be
    multiplied by its goals first, 144 rows a strategy at the national scale."""
    return Subquery(
        rows.order_by().annotate(count=Func("pk", function="COUNT")).values("count"),
        output_field=IntegerField(),
    )


STRATEGIES_PER_PAGE = 25


def strategies(request):
    """The strategies the visitor may see, filtered and 25 to a page, each with its numbers
    of focus areas and goals and its targets counted by stored status. Every figure is read
    for the page's strategies only, so a request costs the same for a country as for a
    town."""
    visible = (
        Strategy.objects.visible_to(request.user)
        .select_related("owner", "successor__owner")
        .annotate(
            focus_area_count=_how_many(
                FocusArea.objects.visible_to(request.user).filter(strategy=OuterRef("pk"))
            ),
            goal_count=_how_many(
                Goal.objects.visible_to(request.user).filter(strategy=OuterRef("pk"))
            ),
        )
        # The key last: pages of a list in an order with ties could repeat or skip a strategy.
        .order_by("owner__name", "title", "pk")
    )
    strategy_filter = StrategyFilter(request.GET, queryset=visible, request=request)
    page = page_of(request, strategy_filter.qs, STRATEGIES_PER_PAGE)
    results = list(page)
    counts = status_counts(
        GoalTarget.objects.visible_to(request.user).filter(goal__strategy__in=results)
    )
    for result in results:
        result.status_counts = counts.get(result.pk, {})
        result.target_count = sum(result.status_counts.values())
    context = {
        "filter": strategy_filter,
        "page": page,
        "results": results,
        "breadcrumbs": trail(_("Strategier")),
    }
    return render(request, "portal/strategies.html", context)


def search(request):
    query = request.GET.get("q", "").strip()
    groups = search_portal(query, user=request.user) if query else None
    context = {
        "query": query,
        "groups": groups,
        "total": sum(group.count for group in groups) if groups else 0,
        "breadcrumbs": trail(_("Søg")),
    }
    return render(request, "portal/search.html", context)


def strategy(request, owner, strategy):
    strategy = public_strategy_or_404(request, owner, strategy)
    context = {
        "strategy": strategy,
        "outline": outline_for(request, strategy),
        "breadcrumbs": trail(strategy.owner, strategy),
        "terms": StrategyTerm.objects.filter(strategy=strategy),
        "mentorships": Mentorship.objects.filter(programme=strategy).select_related(
            "mentee", "mentor", "theme", "working_model__organization"
        ),
        "working_models": WorkingModel.objects.visible_to(request.user)
        .filter(document=strategy)
        .select_related("organization"),
    }
    return render(request, "portal/strategy.html", context)


def focus_area(request, owner, strategy, focus_area):
    strategy = public_strategy_or_404(request, owner, strategy)
    outline = outline_for(request, strategy)
    node = outline.find_area(focus_area)
    if node is None:
        raise Http404
    parent = outline.area_of(node)
    themes = _themes_of(goal=None, areas=[node.area, parent and parent.area])
    context = {
        "strategy": strategy,
        "node": node,
        "themes": themes,
        "others": _goals_elsewhere_on(request, themes, strategy.owner),
        "breadcrumbs": trail(strategy.owner, strategy, parent and parent.area, node.area),
    }
    return render(request, "portal/focus_area.html", context)


def goal(request, owner, strategy, goal):
    strategy = public_strategy_or_404(request, owner, strategy)
    outline = outline_for(request, strategy)
    node = outline.find_goal(goal)
    if node is None:
        raise Http404
    area = outline.area_of(node)
    parent = area and outline.area_of(area)
    themes = _themes_of(goal=node.goal, areas=[area and area.area, parent and parent.area])
    context = {
        "strategy": strategy,
        "node": node,
        "area": area,
        "themes": themes,
        "others": _goals_elsewhere_on(request, themes, strategy.owner),
        "breadcrumbs": trail(
            strategy.owner, strategy, parent and parent.area, area and area.area, node.goal
        ),
    }
    return render(request, "portal/goal.html", context)


def _themes_of(*, goal, areas) -> list[Theme]:
    """The themes a goal or focus area carries itself or through its focus areas."""
    condition = Q(focus_areas__in=[area for area in areas if area is not None])
    if goal is not None:
        condition |= Q(goals=goal)
    return list(Theme.objects.filter(condition).distinct().order_by("name"))


def _goals_elsewhere_on(request, themes, owner, limit=8) -> list[Goal]:
    """Other organizations' goals on the same themes: whom one may learn from."""
    if not themes:
        return []
    condition = (
        Q(themes__in=themes)
        | Q(focus_area__themes__in=themes)
        | Q(focus_area__parent__themes__in=themes)
    )
    goals = Goal.objects.visible_to(request.user).filter(condition).exclude(strategy__owner=owner)
    return list(goals.select_related("strategy__owner").distinct().order_by("pk")[:limit])


def target(request, owner, strategy, goal, indicator):
    """One goal's target on one indicator: its assessment, chart and table, and the other
    targets set on the same indicator."""
    target = public_target_or_404(request, owner, strategy, goal, indicator)
    goal = target.goal
    area = goal.focus_area
    for part in (area, area and area.parent):
        if part is not None:
            part.strategy = goal.strategy  # already fetched; links need no further query
    indicator = target.indicator
    rows = target_rows(target)
    owner = goal.strategy.owner
    country = against_the_country(
        indicator.metric,
        [row.point for row in rows if row.point and not row.hidden],
        label=owner.name,
        country=owner.country,
    )
    national = country.references[0] if country else None
    reference = (
        (national.label, [Point(p.period, p.value) for p in national.points])
        if national
        else ("", [])
    )
    chart = target_chart(target, rows, target.assessment, reference)
    context = {
        **_values_beside_the_owners(indicator),
        "country": country,
        "target": target,
        # What an editor previews unpublished: the target itself or its goal.
        "draft": target if target.is_draft else goal,
        "indicator": indicator,
        "strategy": goal.strategy,
        "assessment": target.assessment,
        "rows": rows,
        "chart": chart,
        "target_changes": target.target_changes(),
        "other_targets": [
            other for other in _targets_of(request, indicator) if other.pk != target.pk
        ],
        "breadcrumbs": trail(
            goal.strategy.owner, goal.strategy, area and area.parent, area, goal, target
        ),
    }
    return render(request, "portal/target.html", context)


def target_csv(request, owner, strategy, goal, indicator):
    """The target page's table as CSV: one row per period, numbers with a decimal point."""
    target = public_target_or_404(request, owner, strategy, goal, indicator)
    filename = slugify(f"{target.goal.strategy.owner.slug}-{target.indicator.slug}")
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "periode",
            "vaerdi",
            "forventet",
            "delmaal",
            "maal",
            "enhed",
            "kilde",
            "indtastet",
            "illustrativ",
            "bemaerkning",
        ]
    )
    # The numbers are the portal's own (a bare "-3.5" stays a number); the unit, source and
    # period label pass through the one rule that keeps a formula from running.
    for row in target_rows(target):
        writer.writerow(
            spreadsheet_row(
                [
                    row.label,
                    "" if row.hidden else _plain(row.point and row.point.value),
                    _plain(row.expected),
                    _plain(row.milestone),
                    _plain(row.target),
                    target.unit,
                    row.source,
                    row.entered_at.date().isoformat() if row.entered_at else "",
                    "ja" if row.illustrative else "",
                    hidden_quantity(PRIVACY_THRESHOLD, target.unit) if row.hidden else "",
                ]
            )
        )
    return response


def series(request, organization, indicator):
    """An indicator's whole series, whatever strategy asked for it, and every published
    target set on it with its verdict."""
    indicator = public_indicator_or_404(request, organization, indicator)
    rows = series_rows(indicator)
    context = {
        "indicator": indicator,
        "rows": rows,
        "chart": build_comparison_chart(
            [(indicator.organization.name, [row.point for row in rows if not row.hidden])],
            format_value=lambda value: format_number(value, indicator.decimals),
            format_period=indicator.period_label,
        ),
        "targets": _targets_of(request, indicator),
        **_values_beside_the_owners(indicator),
        "breadcrumbs": trail(indicator.organization, indicator),
    }
    return render(request, "portal/series.html", context)


def _values_beside_the_owners(indicator: Indicator) -> dict:
    """Other organizations' approved values of the series (a school's beside its
    municipality's), and when a public value last changed: its latest history record (entered,
    approved or corrected). A value's `entered_at` is as given when it is loaded, not when it
    reached the portal."""
    values = indicator.public_values
    last_updated = None
    if values:
        last_updated = IndicatorValue.history.filter(id__in=[v.pk for v in values]).aggregate(
            latest=Max("history_date")
        )["latest"]
    return {
        "other_values": [v for v in values if v.organization_id != indicator.organization_id],
        "last_updated": last_updated,
    }


def _plain(value: float | None) -> str:
    """A number for machines: a decimal point, no grouping, at most four decimals."""
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def methodology(request):
    """How paths, statuses and forecasts are computed, with HEG's 1,800 target worked through."""
    path, _shape = expected_path(HEG_EXAMPLE, HEG_EXAMPLE.baseline)
    context = {
        "example": HEG_EXAMPLE,
        "path": path,
        "rate": implied_rate(path[0], path[-1]),
        "years": HEG_EXAMPLE.period - HEG_EXAMPLE.baseline.period,
        "cases": [assess(HEG_EXAMPLE, [Point(2024, value)]) for value in EXAMPLE_VALUES_2024],
        "breadcrumbs": trail(_("Sådan beregner vi fremdriften")),
    }
    templates = [f"portal/methodology_{get_language()}.html", "portal/methodology_da.html"]
    return render(request, templates, context)


def themes(request):
    """Themes that organizations share, and how many goals and working models pursue each."""
    user = request.user
    context = {
        "themes": Theme.objects.visible_to(user)
        .annotate(
            goal_count=_how_many(Goal.objects.visible_to(user).filter(themes=OuterRef("pk"))),
            area_count=_how_many(FocusArea.objects.visible_to(user).filter(themes=OuterRef("pk"))),
            model_count=_how_many(
                WorkingModel.objects.visible_to(user).filter(theme=OuterRef("pk"))
            ),
        )
        .order_by("name"),
        "metrics": Metric.objects.shared()
        .filter(is_comparable(OuterRef("pk"), viewer=user))
        .annotate(
            indicator_count=_how_many(
                Indicator.objects.visible_to(user).filter(metric=OuterRef("pk"))
            )
        )
        .order_by("name"),
        "breadcrumbs": trail(_("Lær af andre")),
    }
    return render(request, "portal/themes.html", context)


ORGANIZATIONS_PER_PAGE = 10


def theme(request, slug):
    """Who works on a theme: goals and focus areas on it, ten organizations to a page. Only
    the page's organizations' goals and targets are read, so a theme that every municipality
    shares costs no more than one that two do."""
    user = request.user
    theme = get_object_or_404(Theme.objects.visible_to(user).select_related("network"), slug=slug)
    form = LearningFilterForm(request.GET or None)
    country = form.chosen("country") or ""
    goals = Goal.objects.visible_to(user).on_theme(theme)
    areas = FocusArea.objects.visible_to(user).on_theme(theme)
    if country:
        goals = goals.filter(strategy__owner__country=country)
        areas = areas.filter(strategy__owner__country=country)
    working_on_it = Organization.objects.filter(
        Q(pk__in=goals.values("strategy__owner")) | Q(pk__in=areas.values("strategy__owner"))
    )
    page = page_of(request, working_on_it.order_by("country", "name", "pk"), ORGANIZATIONS_PER_PAGE)
    on_page = list(page)
    goals_on_page = list(
        goals.filter(strategy__owner__in=on_page)
        .select_related("strategy__owner", "focus_area")
        .order_by("strategy__title", "order", "pk")
    )
    context = {
        "theme": theme,
        "form": form,
        "page": page,
        "organizations": group_by_organization(
            on_page,
            goals=goals_on_page,
            areas=areas.filter(strategy__owner__in=on_page)
            .select_related("strategy__owner")
            .order_by("strategy__title", "order", "pk"),
            targets=targets_of(goals_on_page, user=user),
        ),
        "working_models": WorkingModel.objects.visible_to(user)
        .filter(theme=theme)
        .select_related("organization", "document__owner"),
        "mentorships": Mentorship.objects.visible_to(user)
        .filter(theme=theme)
        .select_related("mentee", "mentor", "theme", "working_model__organization"),
        "metrics": _comparable_on(theme, goals, user),
        "breadcrumbs": trail(learning(), theme),
    }
    return render(request, "portal/theme.html", context)


def _comparable_on(theme: Theme, goals, user) -> list[Metric]:
    """The shared measurements that the theme's goals (all of them, not only the page's) are
    measured by and whose comparison on the theme has something to compare. The measurements
    are found first: asked in one query, PostgreSQL judged every shared measurement of the
    country comparable or not, and the theme page took 680 ms on the national set."""
    measured = Metric.objects.shared().filter(
        Exists(
            GoalTarget.objects.visible_to(user).filter(
                goal__in=goals.values("pk"), indicator__metric=OuterRef("pk")
            )
        )
    )
    return list(
        Metric.objects.filter(pk__in=list(measured.values_list("pk", flat=True)))
        .filter(is_comparable(OuterRef("pk"), viewer=user, theme=theme))
        .order_by("name")
    )


def working_model(request, organization, slug):
    user = request.user
    model = get_object_or_404(
        WorkingModel.objects.visible_to(user).select_related(
            "organization", "theme", "document__owner"
        ),
        organization__slug=organization,
        slug=slug,
    )
    context = {
        "model": model,
        # The document it is described in, unless that is a draft the visitor may not read.
        "document": model.document
        if model.document is not None and model.document.is_visible_to(user)
        else None,
        "mentorships": Mentorship.objects.visible_to(user)
        .filter(working_model=model)
        .select_related("mentee", "programme__owner"),
        "others": WorkingModel.objects.visible_to(user)
        .filter(theme=model.theme)
        .exclude(pk=model.pk)
        .select_related("organization"),
        "breadcrumbs": trail(learning(), model.theme, model),
    }
    return render(request, "portal/working_model.html", context)


def comparison(request, slug):
    """A shared measurement's series side by side: municipalities unless schools or others are
    asked for, a page of the table at a time, the viewer's own organization above it."""
    metric, form, page, result = _comparison_of(request, slug)
    context = {
        "metric": metric,
        "form": form,
        "filtered": any(form.chosen(name) for name in ("theme", "country", "show", "name")),
        "page": page,
        "comparison": result,
        "chart": build_comparison_chart(
            [(series.chart_label, series.drawable_points) for series in result.drawn],
            format_value=lambda value: format_number(value, metric.decimals),
            format_period=metric.period_label,
        ),
        "breadcrumbs": trail(learning(), metric),
    }
    return render(request, "portal/comparison.html", context)


def comparison_csv(request, slug):
    """The comparison page's series as CSV, with the same filters and page, in every period
    (the page's table has the latest only): one row per series and period."""
    metric, _form, _page, result = _comparison_of(request, slug)
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{metric.slug}.csv"'},
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "serie",
            "slags",
            "organisation",
            "periode",
            "periodetekst",
            "vaerdi",
            "kilde",
            "kilde_url",
            "hentet",
            "illustrativ",
            "bemaerkning",
        ]
    )
    for series in result.shown:
        kind = (
            "egen" if series.own else "sammenligningstal" if series.is_reference else "organisation"
        )
        for period in sorted(series.cells):
            cell = series.cells[period]
            writer.writerow(
                spreadsheet_row(
                    [
                        series.label,
                        kind,
                        series.organization_slug,
                        period,
                        metric.period_label(period),
                        "" if cell.hidden else _plain(cell.value),
                        cell.source,
                        cell.source_url,
                        cell.retrieved_on.isoformat() if cell.retrieved_on else "",
                        "ja" if cell.illustrative else "",
                        hidden_quantity(PRIVACY_THRESHOLD, metric.unit) if cell.hidden else "",
                    ]
                )
            )
    return response


def _comparison_of(request, slug):
    """The page and the CSV of a comparison: its metric, filter form, page of rows (`?side=`)
    and the series compared."""
    metric = get_object_or_404(Metric.objects.shared(), slug=slug)
    form = ComparisonFilterForm(
        request.GET or None, themes=Theme.objects.visible_to(request.user).order_by("name")
    )
    selection = Selection(
        metric,
        theme=form.chosen("theme"),
        country=form.chosen("country") or "",
        showing=form.chosen("show") or Showing.MUNICIPALITIES,
        viewer=request.user,
    )
    page = page_of(request, selection.keys(name=form.chosen("name") or ""), ROWS_PER_PAGE)
    own = selection.keys(member=request.user)[:CHART_LINES] if request.user.is_authenticated else []
    return metric, form, page, compare(selection, page=page.object_list, own=own)


def accessibility(request):
    return render(
        request,
        "portal/accessibility.html",
        {"breadcrumbs": trail(_("Tilgængelighedserklæring"))},
    )
