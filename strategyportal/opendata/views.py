"""The citizens' page about the open data, and the files themselves."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from municipalities.content_version import content_version
from municipalities.models import DataLicence, Organization
from strategyportal.breadcrumbs import trail
from strategyportal.opendata import builds
from strategyportal.opendata.formats import CONTENT_TYPES, JSON, PACKAGE, XLSX, ZIP, csv_name
from strategyportal.opendata.tables import PORTAL_LICENCE, TABLES

# How long a client is asked to wait for the first build (the national set's takes 1–2 min).
RETRY_AFTER_SECONDS = 120

# The whole-portal files in the order the page offers them, with what each is.
DOWNLOADS = [
    (ZIP, _("CSV"), _("Én CSV-fil pr. tabel, samlet i en zip-fil med datapakkens beskrivelse.")),
    (XLSX, _("Excel"), _("Én fane pr. tabel.")),
    (JSON, _("JSON"), _("Alle tabeller i én fil.")),
    (
        PACKAGE,
        _("Frictionless Data"),
        _("Beskrivelsen af tabellerne: felter, typer, nøgler og licenser (datapackage.json)."),
    ),
]


def open_data(request):
    build, current = _served_build()
    response = render(
        request,
        "portal/open_data.html",
        {
            "build": build,
            "failed": not current and builds.failed_after(build),
            "downloads": build
            and [(name, label, text, build.files[name]) for name, label, text in DOWNLOADS],
            "tables": build
            and [(table, csv_name(table), build.rows.get(table.name, 0)) for table in TABLES],
            "own_licences": Organization.objects.exclude(data_licence=PORTAL_LICENCE).order_by(
                "name"
            ),
            "portal_licence": DataLicence(PORTAL_LICENCE),
            "portal_licence_url": Organization(data_licence=PORTAL_LICENCE).licence_url,
            "portal_url": settings.PORTAL_URL.rstrip("/"),
            "breadcrumbs": trail(gettext("Åbne data")),
        },
    )
    if not current:
        # A newer build (or the first) is being made: the page is not this version's.
        patch_cache_control(response, no_cache=True)
    return response


def download(request, filename):
    build, _current = _served_build()
    if build is None:
        response = HttpResponse(
            gettext("Filerne bliver lavet. Prøv igen om et par minutter."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    path = build.path(filename)
    if path is None:
        raise Http404
    response = FileResponse(
        path.open("rb"),
        content_type=CONTENT_TYPES[path.suffix],
        as_attachment=path.suffix in (".zip", ".xlsx"),
        filename=filename,
    )
    # The build's name says what it holds; ConditionalGetMiddleware answers a revisit.
    response["ETag"] = f'"{build.directory.name}-{filename}"'
    response["Last-Modified"] = http_date(build.built_at.timestamp())
    return response


def _served_build() -> tuple[builds.Build | None, bool]:
    """The build to serve, and whether it is of the current data. Where no builder runs
    beside the server (development), the request waits for a new build. Otherwise it is
    served the last build, or none before the first, while a builder makes one, at most one
    attempt every OPEN_DATA_REBUILD_AFTER seconds (builds.refresh_in_background): a request
    that built the national set would outlast gunicorn's timeout and take the build along.
    With OPEN_DATA_BUILD_ON_REQUEST off, only cron builds."""
    build = builds.latest_build()
    if build is not None and build.version == content_version():
        return build, True
    if not settings.OPEN_DATA_BUILD_ON_REQUEST:
        return build, False
    if not settings.OPEN_DATA_BUILD_IN_BACKGROUND:
        return builds.refresh(), True
    builds.refresh_in_background()
    return build, False
