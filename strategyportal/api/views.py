"""The API's endpoints and the developers' page about them.

Every list reads a fixed number of queries (tests/api/test_query_counts.py), and every
queryset is the public view of its kind (tests/api/test_visibility.py)."""

import hashlib
from functools import partial

from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.settings import api_settings

from goals.models import Action, FocusArea, Goal, Strategy, Theme, WorkingModel
from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric, ReferenceFigure
from indicators.tables import target_rows
from municipalities.content_version import content_version
from municipalities.models import LICENCE_URLS, DataLicence, NetworkMembership, Organization
from strategyportal.api import filters, serializers
from strategyportal.breadcrumbs import trail
from strategyportal.caching import read_stored, release, store


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail, anonymous and the same for everyone. Its ETag is made of
    the content version (which every write that can change a public page replaces), the
    release, the full address and the format, so it changes with anything the answer is
    made from: a client holding it gets 304 before any query runs, and the answer is kept in
    the shared cache under it for CACHE_PAGE_SECONDS, as the public pages are
    (strategyportal/caching.py, which stores the portal's pages only)."""

    def dispatch(self, request, *args, **kwargs):
        # Danish page addresses and period labels whatever language the client asks for: the
        # answer then depends on nothing the ETag does not hold.
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttling and the format first
        made_of = "\n".join(
            [
                content_version(),
                release(),
                request.build_absolute_uri(),
                request.accepted_renderer.format,
            ]
        )
        self.etag = f'"{hashlib.sha256(made_of.encode()).hexdigest()[:32]}"'

    def list(self, request, *args, **kwargs):
        return self.answer(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.answer(request, super().retrieve, *args, **kwargs)

    def answer(self, request, make, *args, **kwargs):
        not_modified = get_conditional_response(request, etag=self.etag)
        if not_modified is not None:
            return not_modified
        if settings.CACHE_PAGE_SECONDS <= 0:
            return make(request, *args, **kwargs)
        key = f"api:{self.etag}"
        stored = read_stored(key)
        if stored is not None:
            headers, content = stored
            return HttpResponse(content, headers=headers)
        response = make(request, *args, **kwargs)
        # Not the browsable HTML: it carries a CSRF token, which is one visitor's.
        if response.status_code == 200 and request.accepted_renderer.format == "json":
            response.add_post_render_callback(partial(store, key))
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code in (200, 304) and hasattr(self, "etag"):
            response["ETag"] = self.etag
        patch_vary_headers(response, ["Accept"])
        return response


class OrganizationViewSet(PublicViewSet):
    """Organizations: municipalities, institutions and schools, learning centres and
    networks, with the one they belong under and the ones under them."""

    queryset = Organization.objects.select_related("parent").prefetch_related("children")
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    lookup_field = "slug"


class NetworkViewSet(PublicViewSet):
    """Networks and associations, with their members."""

    queryset = (
        Organization.objects.networks()
        .select_related("parent")
        .prefetch_related(
            "children",
            Prefetch(
                "network_memberships",
                queryset=NetworkMembership.objects.select_related("member").order_by(
                    "member__name"
                ),
            ),
        )
    )
    serializer_class = serializers.NetworkSerializer
    filterset_class = filters.NetworkFilter
    lookup_field = "slug"


class StrategyViewSet(PublicViewSet):
    """Published strategies, each with the versions it replaces and is replaced by."""

    queryset = (
        Strategy.objects.public().with_published_predecessor().select_related("owner", "successor")
    )
    serializer_class = serializers.StrategySerializer
    filterset_class = filters.StrategyFilter


class FocusAreaViewSet(PublicViewSet):
    """Focus areas of published strategies."""

    queryset = (
        FocusArea.objects.public().select_related("strategy__owner").prefetch_related("themes")
    )
    serializer_class = serializers.FocusAreaSerializer
    filterset_class = filters.FocusAreaFilter


class GoalViewSet(PublicViewSet):
    """Published goals of published strategies."""

    queryset = Goal.objects.public().select_related("strategy__owner").prefetch_related("themes")
    serializer_class = serializers.GoalSerializer
    filterset_class = filters.GoalFilter


class ActionViewSet(PublicViewSet):
    """Published actions, with their state (planned, under way, done)."""

    queryset = Action.objects.public()
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter


class MetricViewSet(PublicViewSet):
    """What is measured and how: the metrics that published indicators use."""

    queryset = Metric.objects.in_public_use().select_related("owner")
    serializer_class = serializers.MetricSerializer
    filterset_class = filters.MetricFilter
    lookup_field = "slug"


class IndicatorViewSet(PublicViewSet):
    """Indicators that a published target is set on: one organization's series of a
    metric."""

    queryset = (
        Indicator.objects.public()
        .select_related("organization", "metric")
        .prefetch_related("reporting_organizations")
    )
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter


class TargetViewSet(PublicViewSet):
    """Published targets of goals on indicators, with their milestones and their stored
    assessment (status, progress, expected value, latest value, forecast)."""

    queryset = (
        GoalTarget.objects.public()
        .select_related(
            "goal__strategy__owner",
            "indicator__organization",
            "indicator__metric",
            "stored_assessment",
        )
        .prefetch_related("milestones")
    )
    serializer_class = serializers.TargetSerializer
    filterset_class = filters.TargetFilter

    @extend_schema(
        responses=serializers.SeriesRowSerializer(many=True),
        filters=False,
        description="The table of the target's page, one row per period: the value the page "
        "shows (for an owner whose numbers are computed from its schools', the computed one), "
        "what the path expects, the milestones and the target.",
    )
    @action(detail=True, pagination_class=None, filterset_class=None)
    def series(self, request, *args, **kwargs):
        return self.answer(request, self._series, *args, **kwargs)

    def _series(self, request, pk):
        # DRF's: an address that is no number is not found, as for the detail.
        target = get_object_or_404(GoalTarget.objects.public().with_progress(), pk=pk)
        rows = [row.published() for row in target_rows(target)]
        return Response(serializers.SeriesRowSerializer(rows, many=True).data)


class ValueViewSet(PublicViewSet):
    """Approved values of published indicators, with their source and period."""

    queryset = IndicatorValue.objects.public().select_related(
        "indicator__organization", "indicator__metric", "organization"
    )
    serializer_class = serializers.ValueSerializer
    filterset_class = filters.ValueFilter


class ReferenceFigureViewSet(PublicViewSet):
    """Published figures to compare with, that no indicator reports: a country's, a region's,
    a group's or an organization's own, with their source. All are public; a country's has no
    organization."""

    queryset = ReferenceFigure.objects.select_related("metric", "organization")
    serializer_class = serializers.ReferenceFigureSerializer
    filterset_class = filters.ReferenceFigureFilter


class ThemeViewSet(PublicViewSet):
    """Shared themes that something published carries."""

    queryset = Theme.objects.visible_to(None).select_related("network")
    serializer_class = serializers.ThemeSerializer
    filterset_class = filters.ThemeFilter
    lookup_field = "slug"


class WorkingModelViewSet(PublicViewSet):
    """Published working models: how a model municipality works on a theme."""

    queryset = (
        WorkingModel.objects.public()
        .with_published_document()
        .select_related("organization", "theme")
    )
    serializer_class = serializers.WorkingModelSerializer
    filterset_class = filters.WorkingModelFilter


# DRF reads a rate's period by its first letter: "120/minute", "10/s".
RATE_PERIODS = {"s": _lazy("sekund"), "m": _lazy("minut"), "h": _lazy("time"), "d": _lazy("døgn")}


def _rate() -> dict:
    requests, period = api_settings.DEFAULT_THROTTLE_RATES["api"].split("/")
    return {"requests": requests, "per": RATE_PERIODS[period[0]]}


def developers(request):
    """The API for developers: what it holds, with curl examples, its limits and licences."""
    api = request.build_absolute_uri(reverse("api:api-root"))
    licences = [
        {
            "label": DataLicence(row["data_licence"]).label,
            "url": LICENCE_URLS[row["data_licence"]],
            "count": row["count"],
        }
        for row in Organization.objects.values("data_licence")
        .annotate(count=Count("pk"))
        .order_by("-count", "data_licence")
    ]
    context = {
        "api": api,
        "schema": request.build_absolute_uri(reverse("api:schema")),
        "docs": reverse("api:docs"),
        **_rate(),
        "licences": licences,
        "breadcrumbs": trail(_("API for udviklere")),
    }
    return render(request, "portal/api_docs.html", context)
