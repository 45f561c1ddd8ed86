"""Who publishes strategies: organizations, how they nest, and the networks they belong to."""

import re
from collections.abc import Iterable

from django import forms
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, slug_re
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class ContentLanguage(models.TextChoices):
    """The language a piece of content is written in; pages tag it with `lang`. Search stems
    each language with its own configuration (migrations/0004_content_search_config.py)."""

    DANISH = "da", _("Dansk")
    SWEDISH = "sv", _("Svensk")
    ENGLISH = "en", _("Engelsk")


def content_language_field(**kwargs) -> models.CharField:
    """The language a model's texts are written in; Danish unless said otherwise."""
    return models.CharField(
        _("indholdets sprog"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.DANISH,
        **kwargs,
    )


def source_field(**kwargs) -> models.CharField:
    """Where a figure or a text comes from, in one meaning on every model: a citation a reader
    can follow (a document with its page or section, a publisher and date, or a register)."""
    kwargs.setdefault(
        "help_text",
        _(
            "Dokument med side eller afsnit, eller udgiver og dato, fx »Kvalitetsrapport "
            "2024, s. 12«."
        ),
    )
    return models.CharField(_("kilde"), max_length=300, blank=True, **kwargs)


ADDRESS_MAX_LENGTH = 80
# A long goal sentence makes a readable address from its first words.
ADDRESS_FROM_TEXT = 50
address_validator = RegexValidator(
    slug_re,
    _("Adressen må kun have bogstaver (a–z), tal og bindestreger, fx flere-elever-i-2028."),
    "invalid",
)


class AddressFormField(forms.SlugField):
    default_validators = [address_validator]


class AddressField(models.SlugField):
    """The last part of a page's address ("flere-elever-i-2028"). Empty in a form means
    "make it from the title" (`address_from`); its message speaks of an address, not of a
    slug."""

    default_validators = [address_validator]

    def __init__(self, verbose_name=None, **kwargs):
        kwargs.setdefault("max_length", ADDRESS_MAX_LENGTH)
        kwargs.setdefault(
            "help_text",
            _(
                "Den sidste del af sidens adresse. Lad feltet stå tomt, så laves den af "
                "titlen; den kan rettes bagefter."
            ),
        )
        super().__init__(verbose_name or _("adresse"), **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AddressFormField, **kwargs})


# Æ, ø and å have no accent to drop, so slugify would lose them; Danes write them so.
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def address_from(text: str, taken: Iterable[str]) -> str:
    """An address made of `text`'s first words that none of `taken` has: "flere-elever",
    else "flere-elever-2", "flere-elever-3"…"""
    words, base = slugify(text.translate(DANISH_LETTERS)).split("-"), ""
    for word in words:
        if base and len(base) + 1 + len(word) > ADDRESS_FROM_TEXT:
            break
        base = f"{base}-{word}" if base else word
    base = base[:ADDRESS_FROM_TEXT] or "side"
    taken = set(taken)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class MadeAddress:
    """A model whose address, left empty, is made from its title (`address_source`) when it
    is saved, unlike the addresses of `address_siblings()`, the objects it shares a page
    address space with."""

    address_source = "title"

    def address_siblings(self) -> models.QuerySet:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if not self.slug:
            taken = self.address_siblings().exclude(pk=self.pk).values_list("slug", flat=True)
            self.slug = address_from(getattr(self, self.address_source), taken)
        super().save(*args, **kwargs)


def source_url_field() -> models.URLField:
    return models.URLField(_("kildens adresse"), max_length=500, blank=True)


class User(AbstractUser):
    """A person who signs in: municipal staff, school leaders and administrators."""

    language = models.CharField(
        _("sprog"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.DANISH,
        help_text=_("Det sprog, portalen skriver e-mails til brugeren på."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")


class OrganizationQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def networks(self):
        return self.filter(kind=OrganizationKind.NETWORK)

    # The tree may be any depth; both walks read one query per level, never the whole table.
    def ids_with_units_below(self, ids) -> set[int]:
        """`ids` and every organization below them."""
        found, level = set(ids), set(ids)
        while level:
            level = set(self.filter(parent__in=level).values_list("pk", flat=True)) - found
            found |= level
        return found

    def parents_upward(self, ids) -> dict[int, int | None]:
        """Each of `ids` and every organization above them, mapped to its parent."""
        parents, level = {}, set(ids)
        while level:
            found = dict(self.filter(pk__in=level).values_list("pk", "parent_id"))
            parents.update(found)
            level = {parent for parent in found.values() if parent and parent not in parents}
        return parents


class OrganizationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kommune")
    INSTITUTION = "institution", _("Uddannelsesinstitution")
    LEARNING_CENTRE = "learning_centre", _("Lærecenter")
    NETWORK = "network", _("Netværk eller forening")


class Country(models.TextChoices):
    DENMARK = "DK", _("Danmark")
    SWEDEN = "SE", _("Sverige")


class DataLicence(models.TextChoices):
    """Licences for the organization's public data, by SPDX identifier: the downloads and the
    API name them beside every table (a data package's `licenses`)."""

    CC_BY_4_0 = "CC-BY-4.0", _("Creative Commons Navngivelse 4.0 (CC BY 4.0)")
    CC_BY_SA_4_0 = "CC-BY-SA-4.0", _("Creative Commons Navngivelse-DelPåSammeVilkår 4.0")
    CC0_1_0 = "CC0-1.0", _("Creative Commons Zero 1.0 (ingen forbehold)")


LICENCE_URLS = {
    DataLicence.CC_BY_4_0: "https://creativecommons.org/licenses/by/4.0/",
    DataLicence.CC_BY_SA_4_0: "https://creativecommons.org/licenses/by-sa/4.0/",
    DataLicence.CC0_1_0: "https://creativecommons.org/publicdomain/zero/1.0/",
}

# A website that may frame the organization's progress cards: an origin such as
# https://www.herning.dk, or every subdomain of one host with https://*.herning.dk. No path:
# frame-ancestors compares origins.
EMBED_ORIGIN_RE = (
    r"^https?://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$"
)


def parse_embed_origins(text: str) -> list[str]:
    """The origins written one per line (or separated by spaces or commas), lower-cased and
    without a trailing slash."""
    return [
        origin.lower().rstrip("/") for origin in text.replace(",", " ").split() if origin.strip()
    ]


class Organization(models.Model):
    Kind = OrganizationKind
    Country = Country
    organization_path = ""  # see municipalities.access

    name = models.CharField(_("navn"), max_length=200)
    short_name = models.CharField(
        _("kort navn"), max_length=60, blank=True, help_text=_("Fx HEG eller CFL.")
    )
    slug = models.SlugField(_("kortnavn i adresser"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=OrganizationKind.choices)
    country = models.CharField(_("land"), max_length=2, choices=Country.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hører under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Fx skolen under sin kommune eller campus under sin institution."),
    )
    locality = models.CharField(
        _("by eller kommune"), max_length=100, blank=True, help_text=_("Fx Sollefteå.")
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    language = content_language_field(help_text=_("Sproget, navn og beskrivelse er skrevet på."))
    website = models.URLField(_("hjemmeside"), blank=True)
    municipality_code = models.CharField(
        _("kommunekode"),
        max_length=4,
        blank=True,
        db_default="",
        validators=[
            RegexValidator(r"^\d{3,4}$", _("En kommunekode er tre eller fire cifre, fx 657."))
        ],
        help_text=_(
            "Kommunen, som Danmarks Statistik og Kolada kender den: 657 for Herning, 2283 for "
            "Sollefteå. Bruges, når tal hentes fra den offentlige statistik."
        ),
    )
    data_licence = models.CharField(
        _("licens for data"),
        max_length=20,
        choices=DataLicence.choices,
        default=DataLicence.CC_BY_4_0,
        # Also in the database: rows written by code that predates the field (migrations' and
        # their tests' historical models) get it too.
        db_default=DataLicence.CC_BY_4_0,
        help_text=_("Hvad andre må gøre med organisationens offentlige tal og tekster."),
    )
    embed_origins = models.TextField(
        _("hjemmesider, der må vise kort"),
        blank=True,
        db_default="",
        help_text=_(
            "Én pr. linje, fx https://www.herning.dk eller https://*.herning.dk. Kun de "
            "hjemmesider kan vise organisationens indlejrede fremdriftskort."
        ),
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(country__in=Country.values), name="organization_country_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="organization_not_its_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(data_licence__in=DataLicence.values),
                name="organization_data_licence_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:organization", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        wrong = [
            origin
            for origin in parse_embed_origins(self.embed_origins)
            if not re.match(EMBED_ORIGIN_RE, origin)
        ]
        if wrong:
            raise ValidationError(
                {
                    "embed_origins": _(
                        "Skriv hver hjemmeside som https://www.eksempel.dk, uden sti: %(wrong)s"
                    )
                    % {"wrong": ", ".join(wrong)}
                }
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("En organisation kan ikke høre under sig selv.")})
        # The tree may be as deep as the organizations are (municipality, school, department);
        # it may not be a loop.
        seen = {self.pk}
        ancestor = self.parent
        while ancestor is not None and self.pk is not None:
            if ancestor.pk in seen:
                raise ValidationError(
                    {"parent": _("Organisationerne ville komme til at høre under hinanden.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def embed_origin_list(self) -> list[str]:
        return parse_embed_origins(self.embed_origins)

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS[self.data_licence]


class NetworkMembershipQuerySet(models.QuerySet):
    def get_by_natural_key(self, network_slug, member_slug):
        return self.get(network__slug=network_slug, member__slug=member_slug)


class NetworkMembership(models.Model):
    """An organization's membership of a network or association, e.g. a learning centre in Nitus."""

    organization_path = "network"

    network = models.ForeignKey(
        Organization,
        verbose_name=_("netværk"),
        on_delete=models.CASCADE,
        related_name="network_memberships",
    )
    member = models.ForeignKey(
        Organization,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="memberships_of_networks",
    )
    since_year = models.PositiveSmallIntegerField(_("medlem siden (år)"), null=True, blank=True)

    objects = NetworkMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskab af netværk")
        verbose_name_plural = _("medlemskaber af netværk")
        ordering = ["network__name", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "member"], name="network_membership_unique"),
            models.CheckConstraint(
                condition=~Q(network=F("member")), name="network_membership_not_itself"
            ),
        ]

    def __str__(self):
        return _("%(member)s i %(network)s") % {"member": self.member, "network": self.network}

    def natural_key(self):
        return (self.network.slug, self.member.slug)

    natural_key.dependencies = ["municipalities.organization"]

    def clean(self):
        if self.network_id and self.network.kind != Organization.Kind.NETWORK:
            raise ValidationError({"network": _("Vælg et netværk eller en forening.")})


class MembershipRole(models.TextChoices):
    EDITOR = "editor", _("Redaktør")
    REPORTER = "reporter", _("Indberetter")


class Membership(models.Model):
    """A user's role in an organization.

    An editor edits the organization's strategies, focus areas, goals, actions and indicators
    and reviews its values, and covers the schools and units under it. A reporter (a school
    leader) enters the values of the indicators the organization reports."""

    Role = MembershipRole
    organization_path = "organization"

    user = models.ForeignKey(
        User, verbose_name=_("bruger"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rolle"), max_length=10, choices=MembershipRole.choices)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        ordering = ["organization__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return _("%(user)s: %(role)s i %(organization)s") % {
            "user": self.user,
            "role": self.get_role_display(),
            "organization": self.organization,
        }
