from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from strategyportal import views

STRATEGY = "strategier/<slug:owner>/<slug:strategy>/"
INDICATOR = STRATEGY + "maal/<slug:goal>/<slug:indicator>/"

portal_patterns = [
    path("", views.front, name="front"),
    path("organisationer/<slug:slug>/", views.organization, name="organization"),
    path("strategier/", views.strategies, name="strategies"),
    path("soeg/", views.search, name="search"),
    path("metode/", views.methodology, name="methodology"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path(STRATEGY, views.strategy, name="strategy"),
    path(STRATEGY + "omraader/<slug:focus_area>/", views.focus_area, name="focus_area"),
    path(STRATEGY + "maal/<slug:goal>/", views.goal, name="goal"),
    path(INDICATOR, views.indicator, name="indicator"),
    path(INDICATOR + "data.csv", views.indicator_csv, name="indicator_csv"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    *i18n_patterns(path("", include((portal_patterns, "portal"))), prefix_default_language=False),
]
