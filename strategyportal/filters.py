import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.models import Strategy
from indicators.progress import Status
from indicators.wording import STATUS_LABELS
from municipalities.models import Country, Organization, OrganizationKind
from strategyportal.forms import PortalForm


class StrategyFilter(django_filters.FilterSet):
    """Filters of the public strategy list. The status filter keeps strategies with at least
    goal target of that status; the view passes in the statuses it has assessed."""

    organization = django_filters.ModelChoiceFilter(
        field_name="owner",
        label=_("Organisation"),
        empty_label=_("Alle organisationer"),
        queryset=Organization.objects.filter(strategies__status=Strategy.Status.PUBLISHED)
        .distinct()
        .order_by("name"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="owner__kind",
        label=_("Type organisation"),
        empty_label=_("Alle typer"),
        choices=OrganizationKind.choices,
    )
    country = django_filters.ChoiceFilter(
        field_name="owner__country",
        label=_("Land"),
        empty_label=_("Alle lande"),
        choices=Country.choices,
    )
    year = django_filters.NumberFilter(
        method="filter_year",
        label=_("Gælder i året"),
        help_text=_("Fx 2026. Strategier uden en angivet periode vises ikke."),
        min_value=1900,
        max_value=2100,
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label=_("Har indikatorer med status"),
        empty_label=_("Alle"),
        choices=[(status.value, STATUS_LABELS[status]) for status in Status],
    )

    class Meta:
        model = Strategy
        fields = ["organization", "kind", "country", "year", "status"]
        form = PortalForm

    def __init__(self, *args, statuses_by_strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.statuses_by_strategy = statuses_by_strategy

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(
            Q(start_year__isnull=False) | Q(end_year__isnull=False),
            Q(start_year__isnull=True) | Q(start_year__lte=year),
            Q(end_year__isnull=True) | Q(end_year__gte=year),
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(
            pk__in=[pk for pk, counts in self.statuses_by_strategy.items() if counts.get(value)]
        )
