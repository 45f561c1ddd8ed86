from django.db.models import Prefetch
from django.shortcuts import render

from goals.models import Strategy
from municipalities.models import Organization


def index(request):
    """Organizations and their published strategies."""
    organizations = Organization.objects.filter(strategies__status=Strategy.Status.PUBLISHED)
    organizations = organizations.distinct().prefetch_related(
        Prefetch("strategies", queryset=Strategy.objects.published().order_by("title"))
    )
    return render(request, "goals/index.html", {"organizations": organizations})
