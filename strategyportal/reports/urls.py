"""The reports' addresses below a strategy's (`STRATEGY` in strategyportal/urls.py), in the
portal's namespace."""

from django.urls import path

from strategyportal.reports import archive
from strategyportal.reports import views as report
from strategyportal.reports.views_changes import changes, latest_changes

strategy_patterns = [
    path("rapport/<int:period>/", report.report, name="strategy_report"),
    path("rapport/<int:period>/rapport.pdf", report.report_pdf, name="strategy_report_pdf"),
    path("rapporter/", archive.reports, name="status_reports"),
    path("rapporter/ny/", archive.generate, name="status_report_generate"),
    path("rapporter/<int:pk>/offentliggoer/", archive.publish, name="status_report_publish"),
    path("rapporter/<int:pk>/<slug:filename>.pdf", archive.download, name="status_report_pdf"),
    path("udvikling/", latest_changes, name="strategy_changes_latest"),
    path("udvikling/<int:since>-<int:until>/", changes, name="strategy_changes"),
]
