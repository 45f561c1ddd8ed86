"""A strategy's status report for a period: the print-ready page, public for a published
strategy, and the PDF, only for the strategy's editors. Rendering a PDF live costs seconds,
so the public reads the reports that editors generated and published (`archive`)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from municipalities import access
from strategyportal.breadcrumbs import trail
from strategyportal.reports import pdf
from strategyportal.reports.content import NoSuchPeriod, build_report
from strategyportal.views import editable_strategy_or_403, public_strategy_or_404


def report(request, owner, strategy, period):
    strategy = public_strategy_or_404(request, owner, strategy)
    try:
        found = build_report(strategy, period=period, user=request.user)
    except NoSuchPeriod:
        raise Http404 from None
    context = {
        "strategy": strategy,
        "report": found,
        "periods": found.periods,
        "can_edit": access.can_edit(request.user, strategy.owner_id),
        "breadcrumbs": trail(
            strategy.owner,
            strategy,
            _("Statusrapport for %(period)s") % {"period": found.period_label},
        ),
    }
    return render(request, "reports/report_page.html", context)


# Made for one editor, with their drafts: no cache, shared or the browser's, may keep it.
@never_cache
def report_pdf(request, owner, strategy, period):
    strategy = editable_strategy_or_403(request, owner, strategy)
    try:
        document = pdf.render_pdf(
            strategy, period=period, language=get_language(), user=request.user
        )
    except NoSuchPeriod:
        raise Http404 from None
    filename = slugify(f"{strategy.owner.slug}-{strategy.slug}-{period}")
    return HttpResponse(
        document,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}.pdf"'},
    )
