"""The reports' addresses below a strategy's (`STRATEGY` in strategyportal/urls.py), in the
portal's namespace."""

from django.urls import path

from strategyportal.reports.views_changes import changes, latest_changes

strategy_patterns = [
    path("udvikling/", latest_changes, name="strategy_changes_latest"),
    path("udvikling/<int:since>-<int:until>/", changes, name="strategy_changes"),
]
