import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from goals.models import Strategy
from indicators.models import GoalTarget
from indicators.progress import Status
from indicators.services import refresh_assessments
from indicators.wording import STATUS_LABELS
from municipalities.models import Country, Organization, OrganizationKind
from strategyportal.forms import PortalForm


class StrategyFilter(django_filters.FilterSet):
    """Filters of the public strategy list. The status filter keeps strategies with at least
    one goal target of that status the visitor may see, by its stored assessment."""

    organization = django_filters.ModelChoiceFilter(
        field_name="owner",
        label=_("Organisation"),
        empty_label=_("Alle organisationer"),
        queryset=lambda request: Organization.objects.filter(
            Exists(Strategy.objects.visible_to(request.user).filter(owner=OuterRef("pk")))
        ).order_by("name"),
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

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(
            Q(start_year__isnull=False) | Q(end_year__isnull=False),
            Q(start_year__isnull=True) | Q(start_year__lte=year),
            Q(end_year__isnull=True) | Q(end_year__gte=year),
        )

    def filter_status(self, queryset, name, value):
        # A target written in bulk has no stored status yet (see indicators.rollups): it is
        # assessed now rather than left out. One query when, as usual, there is none.
        refresh_assessments(
            GoalTarget.objects.visible_to(self.request.user).filter(stored_assessment__isnull=True)
        )
        return queryset.filter(
            Exists(
                GoalTarget.objects.visible_to(self.request.user).filter(
                    goal__strategy=OuterRef("pk"), stored_assessment__status=value
                )
            )
        )
