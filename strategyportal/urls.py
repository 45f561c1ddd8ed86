from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from indicators import rounds, uploads
from indicators import views as reporting
from strategyportal import accounts, embeds, health, views
from strategyportal.api import views as api
from strategyportal.follow import urls as follow
from strategyportal.opendata import views as open_data
from strategyportal.reports import urls as reports

STRATEGY = "strategier/<slug:owner>/<slug:strategy>/"
TARGET = STRATEGY + "maal/<slug:goal>/<slug:indicator>/"

portal_patterns = [
    path("", views.front, name="front"),
    path("organisationer/<slug:slug>/", views.organization, name="organization"),
    path("organisationer/<slug:slug>/", include(follow.organization_patterns)),
    path(
        "organisationer/<slug:organization>/indikatorer/<slug:indicator>/",
        views.series,
        name="series",
    ),
    path("strategier/", views.strategies, name="strategies"),
    path("soeg/", views.search, name="search"),
    path("metode/", views.methodology, name="methodology"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("laer-af-andre/", views.themes, name="themes"),
    path("temaer/<slug:slug>/", views.theme, name="theme"),
    path(
        "arbejdsmodeller/<slug:organization>/<slug:slug>/",
        views.working_model,
        name="working_model",
    ),
    path("sammenlign/<slug:slug>/", views.comparison, name="comparison"),
    path("sammenlign/<slug:slug>/data.csv", views.comparison_csv, name="comparison_csv"),
    path("aabne-data/", open_data.open_data, name="open_data"),
    path("aabne-data/<str:filename>", open_data.download, name="open_data_file"),
    path("aabne-data/api/", api.developers, name="api_docs"),
    path("foelg/", include(follow.patterns)),
    path(STRATEGY, views.strategy, name="strategy"),
    path(STRATEGY + "omraader/<slug:focus_area>/", views.focus_area, name="focus_area"),
    path(STRATEGY + "maal/<slug:goal>/", views.goal, name="goal"),
    path(STRATEGY, include(follow.strategy_patterns)),
    # A goal's target on one indicator. The names date from when this page was the
    # indicator's; `GoalTarget.get_absolute_url` reverses them.
    path(TARGET, views.target, name="indicator"),
    path(TARGET + "data.csv", views.target_csv, name="indicator_csv"),
    path(TARGET + "kort/", embeds.card, name="target_card_embed"),
    path(STRATEGY, include(reports.strategy_patterns)),
]

account_patterns = [
    path("log-ind/", accounts.LoginView.as_view(), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("glemt-adgangskode/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glemt-adgangskode/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "ny-adgangskode/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        accounts.InvitationView.as_view(),
        name="invitation",
    ),
    path(
        "ny-adgangskode/faerdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

reporting_patterns = [
    path("indberetning/", rounds.home, name="home"),
    path("indberetning/runder/<int:pk>/", rounds.overview, name="round"),
    path(
        "indberetning/runder/<int:pk>/skabelon.<str:kind>",
        uploads.template,
        name="round_template",
    ),
    path("indberetning/runder/<int:pk>/upload/", uploads.upload, name="upload"),
    path(
        "indberetning/runder/<int:pk>/upload/<int:upload_pk>/",
        uploads.preview,
        name="upload_preview",
    ),
    path(
        "indberetning/runder/<int:pk>/upload/<int:upload_pk>/gem/",
        uploads.apply,
        name="upload_apply",
    ),
    path("indberetning/<slug:organization>/", reporting.report, name="report"),
    path("gennemgang/", reporting.review, name="review"),
    path("gennemgang/<int:pk>/godkend/", reporting.approve, name="approve"),
    path("gennemgang/<int:pk>/afvis/", reporting.reject, name="reject"),
]

# The admin is the editors' side of the portal and carries its name. Its link to the public
# pages (Django's "View site", "Se portalen" in locale_overrides/) leads to the front page in
# the admin's own language.
admin.site.site_header = admin.site.site_title = _("Strategiportalen")
admin.site.index_title = _("Redaktion")
admin.site.site_url = reverse_lazy("portal:front")

# A database that cannot be reached gives 503 with Retry-After, anything else 500.
handler500 = "strategyportal.errors.server_error"

urlpatterns = [
    # For load balancers: outside the language prefixes, which would redirect or vary them.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The open-data API is the same in every language: outside the prefixes too.
    path("api/v1/", include(("strategyportal.api.urls", "api"))),
    # One address for every language: the card's language is that of the page asked about.
    path("oembed", embeds.oembed, name="oembed"),
    *i18n_patterns(
        # Under the language prefixes like the portal: /admin/ in Danish, /sv/admin/ and
        # /en/admin/ in Swedish and English. Outside them, LocaleMiddleware would give the admin
        # the default language whatever the browser asks for.
        path("admin/", admin.site.urls),
        path("", include((portal_patterns, "portal"))),
        path("", include((reporting_patterns, "reporting"))),
        path("konto/", include(account_patterns)),
        prefix_default_language=False,
    ),
]
