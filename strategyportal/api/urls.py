"""/api/v1/: outside the language prefixes, like the health checks; an answer is the same in
every language (page addresses in it are the Danish ones)."""

from django.urls import include, path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from strategyportal.api import views


class SchemaView(SpectacularAPIView):
    """The schema in English whatever language the reader's browser asks for (`?lang=` still
    chooses): its own descriptions are English, and the labels and choices it takes from the
    models, Danish by default, follow them (locale/en)."""

    @extend_schema(**SCHEMA_KWARGS)  # as the view it extends describes itself
    def get(self, request, *args, **kwargs):
        with translation.override(request.GET.get("lang") or "en"):
            return super().get(request, *args, **kwargs)


router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("networks", views.NetworkViewSet, basename="network")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("focus-areas", views.FocusAreaViewSet, basename="focus-area")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("actions", views.ActionViewSet, basename="action")
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("targets", views.TargetViewSet, basename="target")
router.register("values", views.ValueViewSet, basename="value")
router.register("reference-figures", views.ReferenceFigureViewSet, basename="reference-figure")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("working-models", views.WorkingModelViewSet, basename="working-model")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its script as a file of its own: the Content-Security-Policy
    # allows no inline script (nor style: templates/api/swagger_ui.html).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("", include(router.urls)),
]
