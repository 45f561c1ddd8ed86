"""One factory per model. Defaults build a small, valid, published world."""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from goals.models import (
    Action,
    FocusArea,
    Goal,
    Mentorship,
    StatusReport,
    Strategy,
    StrategyTerm,
    Theme,
    WorkingModel,
)
from indicators.models import (
    GoalTarget,
    Indicator,
    IndicatorValue,
    Metric,
    Milestone,
    ReferenceFigure,
    ReminderSent,
    ReportingRound,
    Subscription,
    ValueUpload,
)
from municipalities.models import Membership, NetworkMembership, Organization, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.dk")
    password = factory.django.Password("correct horse battery staple")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.Sequence(lambda n: f"kommune-{n}")
    kind = Organization.Kind.MUNICIPALITY
    country = Organization.Country.DENMARK


class SchoolFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Skole {n}")
    slug = factory.Sequence(lambda n: f"skole-{n}")
    kind = Organization.Kind.INSTITUTION
    parent = factory.SubFactory(OrganizationFactory)


class NetworkFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Netværk {n}")
    slug = factory.Sequence(lambda n: f"netvaerk-{n}")
    kind = Organization.Kind.NETWORK
    country = Organization.Country.SWEDEN
    language = "sv"


class NetworkMembershipFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    member = factory.SubFactory(
        OrganizationFactory, kind=Organization.Kind.LEARNING_CENTRE, country="SE"
    )


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.EDITOR


class StrategyFactory(DjangoModelFactory):
    class Meta:
        model = Strategy

    owner = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Strategi {n}")
    slug = factory.Sequence(lambda n: f"strategi-{n}")
    start_year = 2023
    end_year = 2028
    status = Strategy.Status.PUBLISHED
    source_title = factory.SelfAttribute("title")


class FocusAreaFactory(DjangoModelFactory):
    class Meta:
        model = FocusArea

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Fokusområde {n}")
    slug = factory.Sequence(lambda n: f"fokusomraade-{n}")
    order = factory.Sequence(lambda n: n)


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    focus_area = factory.SubFactory(FocusAreaFactory)
    strategy = factory.SelfAttribute("focus_area.strategy")
    text = factory.Sequence(lambda n: f"Mål nummer {n}")
    slug = factory.Sequence(lambda n: f"maal-{n}")
    order = factory.Sequence(lambda n: n)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    focus_area = factory.SubFactory(FocusAreaFactory)
    strategy = factory.SelfAttribute("focus_area.strategy")
    text = factory.Sequence(lambda n: f"Handling nummer {n}")
    slug = factory.Sequence(lambda n: f"handling-{n}")
    order = factory.Sequence(lambda n: n)


class StrategyTermFactory(DjangoModelFactory):
    class Meta:
        model = StrategyTerm

    strategy = factory.SubFactory(StrategyFactory)
    term = factory.Sequence(lambda n: f"Begreb {n}")
    explanation = "En forklaring."


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")


class WorkingModelFactory(DjangoModelFactory):
    class Meta:
        model = WorkingModel

    organization = factory.SubFactory(
        OrganizationFactory, kind=Organization.Kind.LEARNING_CENTRE, country="SE"
    )
    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"Arbejdsmodel {n}")
    slug = factory.Sequence(lambda n: f"arbejdsmodel-{n}")
    description = "Sådan arbejder vi."


class MentorshipFactory(DjangoModelFactory):
    class Meta:
        model = Mentorship

    programme = factory.SubFactory(StrategyFactory, owner=factory.SubFactory(NetworkFactory))
    working_model = factory.SubFactory(WorkingModelFactory)
    theme = factory.SelfAttribute("working_model.theme")
    mentor = factory.SelfAttribute("working_model.organization")
    mentee = factory.SubFactory(
        OrganizationFactory, kind=Organization.Kind.LEARNING_CENTRE, country="SE"
    )
    year = 2022


class MetricFactory(DjangoModelFactory):
    """A shared metric (no owner), as the completion share that several municipalities
    measure."""

    class Meta:
        model = Metric

    name = factory.Sequence(lambda n: f"Fælles måling {n}")
    slug = factory.Sequence(lambda n: f"maaling-{n}")
    definition = "Andelen af en årgang, der gennemfører en ungdomsuddannelse."
    unit = "%"
    measure = Metric.Measure.PERCENT
    decimals = 1


class IndicatorFactory(DjangoModelFactory):
    """An organization's time series; defaults to HEG's årselever, measured by a metric of
    the organization's own."""

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    slug = factory.Sequence(lambda n: f"indikator-{n}")
    metric = factory.SubFactory(
        MetricFactory,
        owner=factory.SelfAttribute("..organization"),
        name=factory.SelfAttribute("..name"),
        slug=factory.Sequence(lambda n: f"egen-maaling-{n}"),
        definition="Skolens samlede aktivitet opgjort i årselever.",
        unit="årselever",
        measure=Metric.Measure.QUANTITY,
        decimals=0,
    )

    @factory.post_generation
    def reporting_organizations(self, create, extracted, **kwargs):
        if create:
            self.reporting_organizations.set(extracted or [self.organization])


class GoalTargetFactory(DjangoModelFactory):
    """Defaults to HEG's target: at least 1,800 årselever in 2028 from 1,384 in 2023, on a
    new indicator of the goal's organization."""

    class Meta:
        model = GoalTarget

    goal = factory.SubFactory(GoalFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, organization=factory.SelfAttribute("..goal.strategy.owner")
    )
    direction = GoalTarget.Direction.AT_LEAST
    baseline_period = 2023
    baseline_value = Decimal(1384)
    target_period = 2028
    target_value = Decimal(1800)


class PercentTargetFactory(GoalTargetFactory):
    """Herning's shape: at least 95 % without a deadline, on a shared percent metric."""

    indicator = factory.SubFactory(
        IndicatorFactory,
        organization=factory.SelfAttribute("..goal.strategy.owner"),
        metric__unit="%",
        metric__measure=Metric.Measure.PERCENT,
        metric__decimals=0,
    )
    baseline_period = None
    baseline_value = None
    target_period = None
    target_value = Decimal(95)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    target = factory.SubFactory(GoalTargetFactory)
    period = 2026
    value = Decimal(1600)


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    organization = factory.SelfAttribute("indicator.organization")
    period = 2024
    value = Decimal(1500)
    status = IndicatorValue.Status.APPROVED
    source = "Organisationens egen opgørelse"


class ReferenceFigureFactory(DjangoModelFactory):
    class Meta:
        model = ReferenceFigure

    metric = factory.SubFactory(MetricFactory)
    label = "Hele landet"
    country = "DK"
    period = 2023
    value = Decimal("89.9")
    source = "Danmarks Statistik"


class ReportingRoundFactory(DjangoModelFactory):
    class Meta:
        model = ReportingRound

    organization = factory.SubFactory(OrganizationFactory)
    period = 2024
    deadline = datetime.date(2025, 3, 31)


class ReminderSentFactory(DjangoModelFactory):
    class Meta:
        model = ReminderSent

    reporting_round = factory.SubFactory(ReportingRoundFactory)
    user = factory.SubFactory(UserFactory)
    days = -7


class ValueUploadFactory(DjangoModelFactory):
    """An upload whose preview found nothing to do."""

    class Meta:
        model = ValueUpload

    reporting_round = factory.SubFactory(ReportingRoundFactory)
    filename = factory.Sequence(lambda n: f"tal-{n}.xlsx")
    uploaded_by = factory.SubFactory(UserFactory)


class StatusReportFactory(DjangoModelFactory):
    """A stored status report of a strategy for 2024, not yet published; `pdf` stands in
    for a rendered one."""

    class Meta:
        model = StatusReport

    strategy = factory.SubFactory(StrategyFactory)
    period = 2024
    language = "da"
    version = factory.Sequence(lambda n: n + 1)
    pdf = factory.Sequence(lambda n: f"%PDF-1.7 statusrapport {n}".encode())
    size = factory.LazyAttribute(lambda report: len(report.pdf))
    sha256 = factory.LazyAttribute(lambda report: hashlib.sha256(report.pdf).hexdigest())


class SubscriptionFactory(DjangoModelFactory):
    """A citizen's confirmed subscription to a goal."""

    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"borger{n}@example.dk")
    goal = factory.SubFactory(GoalFactory)
    language = "da"
    confirmed_at = factory.LazyFunction(timezone.now)
