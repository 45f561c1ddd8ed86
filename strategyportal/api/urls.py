"""/api/v1/: outside the language prefixes, like the health checks; an answer is the same in
every language (page addresses in it are the Danish ones)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from strategyportal.api import views

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
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("working-models", views.WorkingModelViewSet, basename="working-model")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
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
