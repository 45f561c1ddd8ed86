"""A status report as a PDF (WeasyPrint): A4, tagged for screen readers (PDF/UA-1), with its
language and title set, page numbers, a table of contents with page numbers and the design
system's typeface, IBM Plex Sans, embedded.

Nothing is fetched from the network: the fonts and stylesheets are read from the static
files, and any other address (an http(s) link in the content) is refused, so a report renders
the same on a machine without a connection and cannot be made to fetch anything.

WeasyPrint is imported with the first PDF, not with the URLconf: it takes over half a second,
which every web worker would otherwise spend on its first request, report or not."""

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from goals.models import Strategy
from strategyportal.reports.content import build_report

if TYPE_CHECKING:
    from weasyprint import CSS, URLFetcher
    from weasyprint.text.fonts import FontConfiguration

FONTS = "dkfds/fonts/IBMPlexSans/complete/ttf/"
FACES = (  # file, weight, style: the weights and styles the report's stylesheets use
    ("IBMPlexSans-Regular.ttf", 400, "normal"),
    ("IBMPlexSans-Italic.ttf", 400, "italic"),
    ("IBMPlexSans-SemiBold.ttf", 600, "normal"),
    ("IBMPlexSans-Bold.ttf", 700, "normal"),
)
STYLESHEETS = ("css/report.css", "css/report-pdf.css")


def render_pdf(strategy: Strategy, *, period: int, language: str, user=None) -> bytes:
    """The status report on `strategy` for `period` in `language` (da, sv or en), with what
    `user` may see (see `build_report`, which raises NoSuchPeriod for a period without one)."""
    from weasyprint import HTML, URLFetcher
    from weasyprint.text.fonts import FontConfiguration

    with translation.override(language):
        report = build_report(strategy, period=period, user=user)
        html = render_to_string("reports/report.html", {"report": report})
    # One fetcher for the page and its stylesheets: each would otherwise make its own.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = HTML(
        string=html,
        # Links in the report lead to the portal; nothing is fetched from there.
        base_url=settings.PORTAL_URL,
        url_fetcher=fetcher,
    )
    fonts = FontConfiguration()
    return document.write_pdf(
        stylesheets=stylesheets(fonts, fetcher), font_config=fonts, pdf_variant="pdf/ua-1"
    )


def stylesheets(fonts: "FontConfiguration", fetcher: "URLFetcher") -> list["CSS"]:
    from weasyprint import CSS

    return [
        CSS(string=font_faces(), font_config=fonts, url_fetcher=fetcher),
        *(
            CSS(filename=_static(name), font_config=fonts, url_fetcher=fetcher)
            for name in STYLESHEETS
        ),
    ]


@cache
def font_faces() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "IBM Plex Sans"; font-weight: {weight}; '
        f"font-style: {style}; src: url({_static(FONTS + name).as_uri()}); }}"
        for name, weight, style in FACES
    )


def _static(name: str) -> Path:
    """A static file where the development server finds it, or where collectstatic put it."""
    found = finders.find(name)
    path = Path(found) if found else Path(settings.STATIC_ROOT) / name
    if not path.is_file():
        raise FileNotFoundError(name)
    return path
