"""What organizations aim for: strategies, their focus areas, goals and actions, and the
themes and working models that organizations learn from each other (peer mentoring).

On PostgreSQL a strategy, focus area and goal also keeps a search vector of its texts, which
triggers fill (migrations/0008_search_vectors.py) and no field here maps: a searched text
renamed here needs a migration that replaces its trigger."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities import access
from municipalities.models import (
    AddressField,
    ContentLanguage,
    MadeAddress,
    Organization,
    content_language_field,
    source_field,
)


class VisibleQuerySet(models.QuerySet):
    """The one publication rule of the public pages, per kind: what is published, and for the
    editors of its organization also what is not (a preview, marked as a draft). Every public
    page, count, list, search and download asks `visible_to(request.user)`; `public()` is the
    same rule for nobody in particular (assessments, feeds of the whole portal).

    A kind says what published means in `published_condition()`; its organization is reached
    by the model's `organization_path`, as for every other permission."""

    def published_condition(self) -> Q:
        raise NotImplementedError

    def public(self):
        return self.filter(self.published_condition())

    def visible_to(self, user):
        """`user` None is nobody in particular: what is published."""
        scope = access.editor_scope(user)
        if scope.everything:
            return self.all()
        condition = self.published_condition()
        if scope:
            condition |= Q(**{f"{self.model.organization_path}__in": scope.ids})
        return self.filter(condition)


class ArchiveQuerySet(models.QuerySet):
    def active(self):
        """What new reporting, reminders and reviews are about."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class Archivable(models.Model):
    """Archived instead of deleted: once an approved value hangs under a strategy, goal,
    goal target or indicator, it is public history, and an editor may archive it but not
    delete it (only a superuser deletes, and the admin then lists everything that goes).

    These four are archivable because they are what the public pages show around approved
    values: the series itself (indicator) and what it was measured against (target, goal,
    strategy). Focus areas and actions hold no values and are deleted as before. An archived
    object keeps its place on the public pages, labelled »Arkiveret <date>«, so citizens
    still read its history; it is left out of new reporting: an archived indicator is not
    offered on the reporting page, in upload templates or rounds, nor reminded of, and its
    submitted values wait for no review. An archived target, goal or strategy is no longer
    shown to reporters beside the indicator; the indicator itself outlives them, as it
    always has. Archiving is recorded in the object's history like any other change."""

    archived_at = models.DateTimeField(_("arkiveret"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("arkiveret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class StrategyQuerySet(ArchiveQuerySet, VisibleQuerySet):
    def get_by_natural_key(self, owner_slug, slug):
        return self.get(owner__slug=owner_slug, slug=slug)

    def published_condition(self) -> Q:
        return Q(status=StrategyStatus.PUBLISHED)

    def with_published_predecessor(self):
        """Each strategy with `published_replaces_id`: the earlier version it replaces if
        that one is published, else None. A visitor may learn of a newer version, never of a
        draft (the counterpart of `Strategy.succeeded_by`)."""
        return self.annotate(
            published_replaces_id=Case(
                When(replaces__status=StrategyStatus.PUBLISHED, then=F("replaces_id"))
            )
        )


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    PUBLISHED = "published", _("Offentliggjort")


class Strategy(Archivable, MadeAddress, models.Model):
    """A strategy document of one organization, e.g. HEG's "Strategi 2028"."""

    Status = StrategyStatus
    organization_path = "owner"

    owner = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="strategies",
    )
    title = models.CharField(_("titel"), max_length=200)
    slug = AddressField(blank=True)
    subtitle = models.CharField(_("undertitel"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("første år"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("sidste år"), null=True, blank=True)
    status = models.CharField(
        _("offentliggørelse"),
        max_length=10,
        choices=StrategyStatus.choices,
        default=StrategyStatus.DRAFT,
    )
    language = content_language_field()
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("afløser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        help_text=_("Den tidligere version af strategien, som denne afløser."),
    )

    introduction = models.TextField(_("indledning"), blank=True)
    purpose = models.TextField(_("formål"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    values = models.TextField(_("værdigrundlag"), blank=True)
    goals_heading = models.TextField(
        _("indledning til målene"),
        blank=True,
        help_text=_("Dokumentets egne ord før de overordnede mål, fx »Det er Byrådets mål at«."),
    )
    goals_numbered = models.BooleanField(_("målene er nummererede"), default=False)
    actions_heading = models.TextField(
        _("indledning til handlingerne"),
        blank=True,
        help_text=_("Fx »Det vil Byrådet arbejde for ved at«."),
    )
    focus_areas_heading = models.CharField(
        _("overskrift over fokusområderne"),
        max_length=200,
        blank=True,
        help_text=_("Dokumentets eget ord, fx »Strategiske fokusområder« eller »Fokuspunkter«."),
    )
    focus_areas_intro = models.TextField(_("indledning til fokusområderne"), blank=True)
    mentorships_heading = models.CharField(
        _("overskrift over makkerparrene"),
        max_length=200,
        blank=True,
        help_text=_("Kun for et program med makkerpar, som Nitus' modelkommuner."),
    )
    closing_text = models.TextField(_("afsluttende tekst"), blank=True)

    source_title = models.CharField(_("kildedokumentets titel"), max_length=300)
    source_year = models.PositiveSmallIntegerField(_("kildens år"), null=True, blank=True)
    source_month = models.PositiveSmallIntegerField(_("kildens måned"), null=True, blank=True)
    source_url = models.URLField(_("kildens adresse"), max_length=500, blank=True)
    source_file = models.CharField(
        _("kildefil"),
        max_length=100,
        blank=True,
        help_text=_(
            "Kun for strategier, som portalen har indlæst fra kildedokumenterne: "
            "dokumentets fil. Lad feltet stå tomt."
        ),
    )

    objects = StrategyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        ordering = ["owner__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="strategy_slug_unique"),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="strategy_period_in_order",
                violation_error_message=_("Det sidste år kan ikke ligge før det første år."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=StrategyStatus.values),
                name="strategy_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source_month__isnull=True) | Q(source_month__range=(1, 12)),
                name="strategy_source_month_valid",
                violation_error_message=_("Måneden skal være et tal fra 1 til 12."),
            ),
            models.CheckConstraint(
                condition=~Q(replaces=F("pk")), name="strategy_does_not_replace_itself"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.owner.display_name})"

    def get_absolute_url(self):
        return reverse("portal:strategy", args=[self.owner.slug, self.slug])

    def natural_key(self):
        return (*self.owner.natural_key(), self.slug)

    natural_key.dependencies = ["municipalities.organization"]

    def address_siblings(self):
        return Strategy.objects.filter(owner_id=self.owner_id)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return not self.is_published

    @property
    def is_hidden_from_public(self) -> bool:
        return self.is_draft

    def is_visible_to(self, user) -> bool:
        """`StrategyQuerySet.visible_to` for a strategy already read."""
        return self.is_published or access.can_edit(user, self.owner_id)

    @property
    def newer_version(self) -> "Strategy | None":
        """The version that replaces this one, published or not."""
        try:
            return self.successor
        except Strategy.DoesNotExist:
            return None

    @property
    def succeeded_by(self) -> "Strategy | None":
        """The published version that replaces this one: from then on this one is history,
        still public, and judged on the values of its own years."""
        newer = self.newer_version
        return newer if newer is not None and newer.is_published else None

    def clean(self):
        if self.replaces_id and self.owner_id and self.replaces.owner_id != self.owner_id:
            raise ValidationError(
                {"replaces": _("En strategi kan kun afløse en af organisationens egne.")}
            )


def themes_field(*, related_name: str) -> models.ManyToManyField:
    """The shared themes a goal or focus area is tagged with."""
    return models.ManyToManyField(
        "goals.Theme",
        verbose_name=_("temaer"),
        blank=True,
        related_name=related_name,
        help_text=_(
            "Temaer, som andre organisationer også arbejder med; de forbinder strategierne."
        ),
    )


class StrategyPartQuerySet(VisibleQuerySet):
    """Focus areas, goals and actions are identified by their strategy and their own slug."""

    def on_theme(self, theme):
        """Goals or focus areas tagged with `theme` themselves or through their focus area
        (and its parent), so a tag on HEG's "Rekruttering" covers the goals in it."""
        through_area = "focus_area__" if self.model is Goal else "parent__"
        condition = Q(themes=theme) | Q(**{f"{through_area}themes": theme})
        if self.model is Goal:
            condition |= Q(focus_area__parent__themes=theme)
        return self.filter(condition).distinct()

    def get_by_natural_key(self, owner_slug, strategy_slug, slug):
        return self.get(strategy__owner__slug=owner_slug, strategy__slug=strategy_slug, slug=slug)

    def published_condition(self) -> Q:
        """Parts of published strategies, and of goals and actions only those published
        themselves, under a published goal."""
        published = Q(strategy__status=StrategyStatus.PUBLISHED)
        if self.model is Goal:
            return published & Q(status=StrategyStatus.PUBLISHED)
        if self.model is Action:
            return (
                published
                & Q(status=StrategyStatus.PUBLISHED)
                & (Q(goal__isnull=True) | Q(goal__status=StrategyStatus.PUBLISHED))
            )
        return published


def publication_field() -> models.CharField:
    """Whether a goal, action or target is public. One added to a published strategy starts
    as a draft, seen only by its editors until they publish it, so the public never reads a
    half-written goal; a draft strategy's parts are published with it."""
    return models.CharField(
        _("offentliggørelse"),
        max_length=10,
        choices=StrategyStatus.choices,
        default=StrategyStatus.PUBLISHED,
        help_text=_(
            "En kladde ses kun af organisationens redaktører (som eksempel på de offentlige "
            "sider), indtil den offentliggøres."
        ),
    )


class StrategyPart(MadeAddress, models.Model):
    """What focus areas, goals and actions share; each declares its own `strategy` key."""

    organization_path = "strategy__owner"

    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    slug = AddressField(blank=True)

    objects = StrategyPartQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["strategy_id", "order", "pk"]

    def natural_key(self):
        return (*self.strategy.natural_key(), self.slug)

    natural_key.dependencies = ["goals.strategy"]

    def address_siblings(self):
        return type(self).objects.filter(strategy_id=self.strategy_id)

    @property
    def is_draft(self) -> bool:
        """A goal or action not yet published by its editors (focus areas have no status)."""
        return getattr(self, "status", StrategyStatus.PUBLISHED) == StrategyStatus.DRAFT

    @property
    def is_hidden_from_public(self) -> bool:
        """A draft itself or in a draft strategy: what a list away from the strategy marks."""
        return self.is_draft or self.strategy.is_draft

    def _check_same_strategy(self, field_name: str, message: str) -> None:
        related = getattr(self, field_name)
        if related is not None and self.strategy_id and related.strategy_id != self.strategy_id:
            raise ValidationError({field_name: message})


class FocusArea(StrategyPart):
    """A focus area (fokusområde, fokuspunkt, indsatsområde, theme or "Mål 3"), nested at most
    one level, as Herning's "Mål 3" holds its four fokuspunkter."""

    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategi"),
        on_delete=models.CASCADE,
        related_name="focus_areas",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hører under"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    label = models.CharField(_("betegnelse"), max_length=40, blank=True, help_text=_("Fx »Mål 3«."))
    title = models.CharField(_("titel"), max_length=300)
    headline = models.TextField(
        _("hovedbudskab"), blank=True, help_text=_("Den korte erklæring, der indleder området.")
    )
    ambition = models.TextField(
        _("ambition"), blank=True, help_text=_("Fremtidsbilledet, fx »I 2028 har HEG …«.")
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    children_heading = models.CharField(
        _("overskrift over underområderne"),
        max_length=200,
        blank=True,
        help_text=_("Fx »Fokuspunkter«."),
    )
    goals_heading = models.TextField(
        _("indledning til målene"),
        blank=True,
        help_text=_("Fx »Hillerød Kommune har som fælles mål:«."),
    )
    goals_numbered = models.BooleanField(_("målene er nummererede"), default=False)
    actions_heading = models.TextField(_("indledning til handlingerne"), blank=True)
    closing_text = models.TextField(_("afsluttende tekst"), blank=True)
    themes = themes_field(related_name="focus_areas")

    history = HistoricalRecords()

    class Meta(StrategyPart.Meta):
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområder")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="focus_area_slug_unique"),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="focus_area_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.title}" if self.label else self.title

    def get_absolute_url(self):
        return reverse(
            "portal:focus_area", args=[self.strategy.owner.slug, self.strategy.slug, self.slug]
        )

    def clean(self):
        if self.parent is None:
            return
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("Fokusområder kan kun ligge ét niveau under et andet.")}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": _("Et fokusområde med underområder kan ikke selv ligge under et andet.")}
            )
        self._check_same_strategy("parent", _("Vælg et fokusområde fra samme strategi."))


class GoalQuerySet(ArchiveQuerySet, StrategyPartQuerySet):
    pass


class Goal(Archivable, StrategyPart):
    """A goal in the document's own words; a goal without a focus area belongs to the whole
    strategy (Hillerød's three strategic aims, Herning's general "Det er Byrådets mål at")."""

    address_source = "text"

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="goals"
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("fokusområde"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
    )
    text = models.TextField(_("mål"))
    description = models.TextField(_("uddybning"), blank=True)
    themes = themes_field(related_name="goals")
    status = publication_field()

    objects = GoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(StrategyPart.Meta):
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="goal_slug_unique"),
            models.CheckConstraint(
                condition=Q(status__in=StrategyStatus.values), name="goal_status_valid"
            ),
        ]

    def __str__(self):
        return truncatechars(self.text, 80)

    def get_absolute_url(self):
        return reverse(
            "portal:goal", args=[self.strategy.owner.slug, self.strategy.slug, self.slug]
        )

    def clean(self):
        self._check_same_strategy("focus_area", _("Vælg et fokusområde fra samme strategi."))


class ActionState(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    UNDER_WAY = "under_way", _("I gang")
    DONE = "done", _("Gennemført")


class Action(StrategyPart):
    """Something the organization will do ("Det vil Byrådet arbejde for ved at …"), tracked by
    its state so that goals without a number can still be followed."""

    State = ActionState

    address_source = "text"

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="actions"
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("fokusområde"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("mål"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
        help_text=_(
            "Det mål, handlingen hører under. Vælg enten et mål eller et fokusområde, eller "
            "ingen af dem for en handling, der gælder hele strategien."
        ),
    )
    text = models.TextField(_("handling"))
    state = models.CharField(
        _("status"), max_length=10, choices=ActionState.choices, default=ActionState.PLANNED
    )
    status = publication_field()

    history = HistoricalRecords()

    class Meta(StrategyPart.Meta):
        verbose_name = _("handling")
        verbose_name_plural = _("handlinger")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="action_slug_unique"),
            models.CheckConstraint(
                condition=Q(state__in=ActionState.values),
                name="action_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=StrategyStatus.values), name="action_status_valid"
            ),
            # Under a goal or under a focus area (or under the whole strategy), never under
            # two parents: a page would list it twice.
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(focus_area__isnull=True),
                name="action_has_at_most_one_parent",
                violation_error_message=_(
                    "En handling hører enten under et mål eller under et fokusområde, ikke begge."
                ),
            ),
        ]

    def __str__(self):
        return truncatechars(self.text, 80)

    def clean(self):
        if self.goal_id and self.focus_area_id:
            raise ValidationError(
                {
                    "goal": _(
                        "En handling hører enten under et mål eller under et fokusområde, "
                        "ikke begge."
                    )
                }
            )
        self._check_same_strategy("focus_area", _("Vælg et fokusområde fra samme strategi."))
        self._check_same_strategy("goal", _("Vælg et mål fra samme strategi."))

    @property
    def parent_focus_area_id(self) -> int | None:
        """The focus area the action counts under, directly or through its goal."""
        return self.goal.focus_area_id if self.goal_id else self.focus_area_id


class StrategyTermQuerySet(models.QuerySet):
    def get_by_natural_key(self, owner_slug, strategy_slug, term):
        return self.get(strategy__owner__slug=owner_slug, strategy__slug=strategy_slug, term=term)


class StrategyTerm(models.Model):
    """A term the document explains, with the source it cites (HEG explains "Mission" from
    Center for Ledelse)."""

    organization_path = "strategy__owner"

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="terms"
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    term = models.CharField(_("begreb"), max_length=100)
    explanation = models.TextField(_("forklaring"))
    source = source_field(help_text=_("Hvor forklaringen stammer fra, fx »Center for Ledelse«."))

    objects = StrategyTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("begreb")
        verbose_name_plural = _("begreber")
        ordering = ["strategy_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "term"], name="strategy_term_unique"),
        ]

    def __str__(self):
        return self.term

    def natural_key(self):
        return (*self.strategy.natural_key(), self.term)

    natural_key.dependencies = ["goals.strategy"]


class ThemeQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def visible_to(self, user):
        """Themes something visible carries: a goal or focus area tagged with it, a working
        model or a pair of a published programme. Themes are shared and have no drafts of
        their own, but one added for a draft goal names work nobody has published yet."""
        return self.filter(
            Exists(Goal.objects.visible_to(user).filter(themes=OuterRef("pk")))
            | Exists(FocusArea.objects.visible_to(user).filter(themes=OuterRef("pk")))
            | Exists(WorkingModel.objects.visible_to(user).filter(theme=OuterRef("pk")))
            | Exists(Mentorship.objects.visible_to(user).filter(theme=OuterRef("pk")))
        )


class Theme(models.Model):
    """A theme that organizations work on and learn from each other about, such as Nitus'
    "Breddad rekrytering". Themes are shared by all: superusers keep the list, editors tag
    their goals and focus areas with them."""

    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn i adresser"), max_length=80, unique=True)
    language = content_language_field()
    description = models.TextField(_("beskrivelse"), blank=True)
    network = models.ForeignKey(
        Organization,
        verbose_name=_("netværk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
        limit_choices_to={"kind": Organization.Kind.NETWORK},
        help_text=_("Det netværk, der har formuleret temaet, hvis noget."),
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:theme", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class WorkingModelQuerySet(VisibleQuerySet):
    def get_by_natural_key(self, organization_slug, slug):
        return self.get(organization__slug=organization_slug, slug=slug)

    def published_condition(self) -> Q:
        return Q(status=StrategyStatus.PUBLISHED)

    def with_published_document(self):
        """Each working model with `published_document_id`: the strategy that describes it if
        that one is published, else None, as its page links it for a visitor."""
        return self.annotate(
            published_document_id=Case(
                When(document__status=StrategyStatus.PUBLISHED, then=F("document_id"))
            )
        )


class WorkingModel(models.Model):
    """How a model municipality works on a theme, e.g. Reveljen's "Motorfunktionen"."""

    organization_path = "organization"

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="working_models",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("tema"), on_delete=models.PROTECT, related_name="working_models"
    )
    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn i adresser"), max_length=80)
    started_year = models.PositiveSmallIntegerField(
        _("startår"),
        null=True,
        blank=True,
        help_text=_("Kun når kilden nævner et bestemt år."),
    )
    duration_text = models.CharField(
        _("varighed med kildens ord"),
        max_length=200,
        blank=True,
        help_text=_("Fx »sedan minst 10 år tillbaka«."),
    )
    description = models.TextField(_("beskrivelse"))
    results = models.TextField(_("resultater"), blank=True)
    language = content_language_field()
    document = models.ForeignKey(
        Strategy,
        verbose_name=_("beskrevet i"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_models",
        help_text=_("Det dokument, der beskriver arbejdsmodellen."),
    )
    status = publication_field()

    objects = WorkingModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("arbejdsmodel")
        verbose_name_plural = _("arbejdsmodeller")
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="working_model_slug_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StrategyStatus.values), name="working_model_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organization.display_name})"

    def get_absolute_url(self):
        return reverse("portal:working_model", args=[self.organization.slug, self.slug])

    @property
    def is_draft(self) -> bool:
        return self.status == StrategyStatus.DRAFT

    is_hidden_from_public = is_draft

    def natural_key(self):
        return (*self.organization.natural_key(), self.slug)

    natural_key.dependencies = ["municipalities.organization", "goals.theme", "goals.strategy"]


class MentorshipQuerySet(VisibleQuerySet):
    def published_condition(self) -> Q:
        return Q(programme__status=StrategyStatus.PUBLISHED)

    def get_by_natural_key(self, owner_slug, strategy_slug, theme_slug, mentee_slug, mentor_slug):
        return self.get(
            programme__owner__slug=owner_slug,
            programme__slug=strategy_slug,
            theme__slug=theme_slug,
            mentee__slug=mentee_slug,
            mentor__slug=mentor_slug,
        )


class Mentorship(models.Model):
    """A model municipality mentoring another on one theme in one year of a programme such as
    Nitus' "Modellkommun för lärcentra 2022"."""

    organization_path = "programme__owner"

    programme = models.ForeignKey(
        Strategy,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="mentorships",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("tema"), on_delete=models.PROTECT, related_name="mentorships"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    mentee = models.ForeignKey(
        Organization,
        verbose_name=_("lærer af"),
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentee",
    )
    mentor = models.ForeignKey(
        Organization,
        verbose_name=_("modelkommune"),
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentor",
    )
    working_model = models.ForeignKey(
        WorkingModel,
        verbose_name=_("arbejdsmodel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentorships",
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    source_text = models.CharField(
        _("kildens ord"),
        max_length=300,
        blank=True,
        help_text=_("Parret, som kilden skriver det."),
    )

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("makkerpar")
        verbose_name_plural = _("makkerpar")
        ordering = ["programme_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "theme", "mentee", "mentor"], name="mentorship_unique"
            ),
            models.CheckConstraint(
                condition=~Q(mentee=F("mentor")), name="mentorship_not_with_itself"
            ),
        ]

    def __str__(self):
        return _("%(mentee)s lærer af %(mentor)s om %(theme)s") % {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "theme": self.theme,
        }

    def natural_key(self):
        return (
            *self.programme.natural_key(),
            self.theme.slug,
            self.mentee.slug,
            self.mentor.slug,
        )

    natural_key.dependencies = ["goals.strategy", "goals.theme", "goals.workingmodel"]

    def clean(self):
        if self.mentee_id and self.mentee_id == self.mentor_id:
            raise ValidationError({"mentor": _("En organisation kan ikke være sin egen mentor.")})
        if self.working_model is None:
            return
        if self.mentor_id and self.working_model.organization_id != self.mentor_id:
            raise ValidationError(
                {"working_model": _("Vælg en arbejdsmodel, som modelkommunen selv bruger.")}
            )
        if self.theme_id and self.working_model.theme_id != self.theme_id:
            raise ValidationError(
                {"working_model": _("Vælg en arbejdsmodel inden for parrets tema.")}
            )


class SearchWord(models.Model):
    """A word the searched texts have held, for "did you mean" on PostgreSQL: a table that
    triggers fill (goals/migrations/0011_search_folding_themes_and_words.py), which SQLite
    does not have and only `strategyportal.search` reads."""

    word = models.TextField(primary_key=True)  # lower-case, as written
    folded = models.TextField()  # without diacritics, which the trigram index is of

    class Meta:
        managed = False
        db_table = "goals_searchword"

    def __str__(self):
        return self.word


class StatusReportQuerySet(VisibleQuerySet):
    def published_condition(self) -> Q:
        return Q(published_at__isnull=False, strategy__status=StrategyStatus.PUBLISHED)

    def without_pdf(self):
        """The rows without their bytes, for lists: a report is megabytes."""
        return self.defer("pdf")


class StatusReport(models.Model):
    """A status report on a strategy as of a period, as its editors generated it: the PDF
    that the politicians received, kept byte for byte. Reports are never replaced: generating
    again for the same period and language makes the next version, and a published version
    stays public beside later ones, as an earlier version. The bytes live in the row, so a
    report is stored in the same transaction as its row and is in every database backup
    (strategyportal/backup.py backs up every model)."""

    organization_path = "strategy__owner"

    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategi"),
        # A report the politicians received is public record: the strategy is archived,
        # not deleted, while it has reports.
        on_delete=models.PROTECT,
        related_name="status_reports",
    )
    period = models.PositiveSmallIntegerField(
        _("periode"), help_text=_("Det år, rapporten gør status for.")
    )
    language = models.CharField(
        _("sprog"), max_length=2, choices=ContentLanguage.choices, default=ContentLanguage.DANISH
    )
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    pdf = models.BinaryField(_("PDF"), editable=False)
    size = models.PositiveIntegerField(_("størrelse i bytes"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    generated_at = models.DateTimeField(_("lavet"), default=timezone.now, editable=False)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lavet af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    published_at = models.DateTimeField(
        _("offentliggjort"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Tom, så længe kun redaktørerne ser rapporten."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offentliggjort af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    note = models.CharField(
        _("bemærkning"),
        max_length=300,
        blank=True,
        help_text=_("Hvorfor denne version blev lavet, fx »rettet tal for 2024«."),
    )

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        ordering = ["strategy_id", "-period", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "period", "language", "version"],
                name="status_report_version_unique",
                violation_error_message=_(
                    "Strategien har allerede en rapport med denne version for perioden og sproget."
                ),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="status_report_version_positive"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ContentLanguage.values),
                name="status_report_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(published_at__gte=F("generated_at")),
                name="status_report_published_after_generated",
            ),
        ]

    def __str__(self):
        return _("Statusrapport %(period)s, version %(version)s (%(language)s)") % {
            "period": self.period,
            "version": self.version,
            "language": self.get_language_display(),
        }

    def get_absolute_url(self):
        return reverse(
            "portal:status_report_pdf",
            args=[self.strategy.owner.slug, self.strategy.slug, self.pk, self.filename],
        )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def filename(self) -> str:
        """The file's name without ».pdf«, as its address and a download name it:
        »statusrapport-strategi-2028-2024-v2-da«."""
        return f"statusrapport-{self.strategy.slug}-{self.period}-v{self.version}-{self.language}"

    @property
    def is_public(self) -> bool:
        """Anyone may read it (`StatusReportQuerySet.public`), for a report already read with
        its strategy."""
        return self.is_published and self.strategy.is_published
