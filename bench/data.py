"""The bench database and the pages measured on it. Import only after `django.setup()`, which
reads the bench's environment (`bench/run.py`)."""

from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import translation

from goals.models import Strategy, Theme
from indicators.models import GoalTarget, IndicatorValue
from municipalities.models import Membership, Organization, User
from municipalities.services import membership_grant
from strategyportal.management.commands.generate_national_data import PREFIX, generated
from strategyportal.reports.changes import report_periods

EDITOR = "bench-editor"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # The goal is for the public pages; /healthz is their yardstick and the admin is
    # measured beside them.
    public: bool = True
    headers: dict[str, str] = field(default_factory=dict)


def prepare() -> None:
    """Migrate, bring the seed up to date (it only adds what is missing, so a bench database
    built before gets the seed's newer objects), and build the national data set unless the
    database holds one. The seed goes in first, so that the national organizations come
    beside the seeded ones."""
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    # generate_national_data refuses a second set; its organizations' addresses tell it.
    if generated(Organization).exists():
        return
    print("Building the national data set (about half a minute) …", flush=True)
    call_command("generate_national_data")


def pages() -> list[Page]:
    """A concrete address of each page type, on the first generated municipality: its
    strategy, the first target of its first goal with the CSV, that target's metric compared
    across the country, a theme, a search for the first word of its first focus area, and the
    admin's value list for an editor of it; the API's first page of targets and of values,
    and that target by its id with its table; the open-data page, the target's progress card
    and its oEmbed answer; the strategy's latest changes, its status report for its latest
    year with values (the print page), its stored reports and its Atom feed; an organization's
    page with its context figures, the comparison's CSV and the API's context figures. The
    organization page is the seeded one with the most context figures (Herning's)."""
    strategy = (
        Strategy.objects.public()
        .filter(owner__slug__startswith=PREFIX)
        .select_related("owner")
        # Denmark (DK) before Sweden (SE): unprefixed addresses are the Danish portal's.
        .order_by("owner__country", "owner__slug")
        .first()
    )
    target = (
        GoalTarget.objects.public()
        .filter(goal__strategy=strategy)
        .select_related("goal__strategy__owner", "indicator__metric")
        .order_by("goal__focus_area__order", "goal__order", "order", "pk")
        .first()
    )
    theme = generated(Theme).order_by("slug").first()
    word = strategy.focus_areas.order_by("order", "pk").first().title.split()[0].lower()
    csv_arguments = [strategy.owner.slug, strategy.slug, target.goal.slug, target.indicator.slug]
    strategy_arguments = csv_arguments[:2]
    metric = target.indicator.metric
    # The seeded organization with the most published figures of its own: the generated
    # ones have none, and their page would measure an empty section.
    with_context = (
        Organization.objects.annotate(figures=Count("reference_figures"))
        .order_by("-figures", "slug")
        .first()
    )
    year = report_periods([strategy])[strategy.pk].years[-1]
    # Unprefixed addresses are Danish, the default language.
    with translation.override("da"):
        return [
            Page("healthz", reverse("healthz"), public=False),
            Page("front", reverse("portal:front")),
            Page("strategies", reverse("portal:strategies")),
            Page("strategy", strategy.get_absolute_url()),
            Page("goal", target.goal.get_absolute_url()),
            Page("indicator", target.get_absolute_url()),
            Page("csv", reverse("portal:indicator_csv", args=csv_arguments)),
            Page("theme", theme.get_absolute_url()),
            Page("comparison", metric.get_absolute_url()),
            Page("search", f"{reverse('portal:search')}?q={word}"),
            Page("api-targets", reverse("api:target-list")),
            Page("api-target", reverse("api:target-detail", args=[target.pk])),
            Page("api-values", reverse("api:value-list")),
            Page("api-series", reverse("api:target-series", args=[target.pk])),
            Page("open-data", reverse("portal:open_data")),
            Page("card", reverse("portal:target_card_embed", args=csv_arguments)),
            Page("oembed", f"{reverse('oembed')}?{urlencode({'url': target.get_absolute_url()})}"),
            Page("changes", reverse("portal:strategy_changes_latest", args=strategy_arguments)),
            Page("report", reverse("portal:strategy_report", args=[*strategy_arguments, year])),
            Page("reports", reverse("portal:status_reports", args=strategy_arguments)),
            Page("feed", reverse("portal:strategy_feed", args=strategy_arguments)),
            Page("organization", with_context.get_absolute_url()),
            Page("comparison-csv", reverse("portal:comparison_csv", args=[metric.slug])),
            Page("api-reference-figures", reverse("api:reference-figure-list")),
            Page(
                "admin-values",
                reverse("admin:indicators_indicatorvalue_changelist"),
                public=False,
                headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={editor_session(strategy)}"},
            ),
        ]


def editor_session(strategy: Strategy) -> str:
    """The key of a session signed in as an editor of `strategy`'s owner, made in the database
    as `login()` makes one, so that no password or CSRF round trip is needed."""
    user, created = User.objects.get_or_create(username=EDITOR)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership_grant(user=user, organization=strategy.owner, role=Membership.Role.EDITOR)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def size() -> dict[str, int]:
    """The size of the generated set, which a run with other options than the default's may
    have made."""
    organizations = generated(Organization)
    return {
        "municipalities": organizations.filter(parent=None).count(),
        "schools": organizations.exclude(parent=None).count(),
        "targets": GoalTarget.objects.filter(goal__strategy__owner__in=organizations).count(),
        "values": IndicatorValue.objects.filter(indicator__organization__in=organizations).count(),
    }


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.display_name} {cursor.fetchone()[0]}"


def empty_cache() -> None:
    """Empty the cache the server uses; with Redis that is the whole of BENCH_CACHE_URL's
    database. A local-memory cache lives in each worker, out of reach from here."""
    cache.clear()
