"""Search across published strategies, focus areas, goals and public indicators.

On PostgreSQL this is full-text search with the configuration of each text's own language
(Danish or Swedish stemming, so "rekruttere" finds "rekruttering"), ranked, with highlighted
excerpts. On SQLite, the development database, it is a plain case-insensitive match.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from goals.models import FocusArea, Goal, Strategy
from indicators.models import Indicator

MAX_RESULTS_PER_KIND = 50
EXCERPT_WORDS = 30
# Sentinels around a match; replaced by <mark> only after the text has been escaped.
_START, _STOP = "\x02", "\x03"

SEARCH_CONFIGS = {"da": "danish", "sv": "swedish", "en": "english"}


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    excerpt: SafeString
    language: str
    context: str  # where the hit sits, e.g. the strategy and organization


@dataclass(frozen=True)
class Group:
    label: str
    count: int
    results: list[Result]


@dataclass(frozen=True)
class Kind:
    label: str
    queryset: object
    language: str  # the lookup of the content language
    fields: list[str]
    related: list[str]


def kinds() -> list[Kind]:
    return [
        Kind(
            _("Strategier"),
            Strategy.objects.published(),
            "language",
            ["title", "subtitle", "introduction", "purpose", "mission", "vision", "values"],
            ["owner"],
        ),
        Kind(
            _("Fokusområder"),
            FocusArea.objects.public(),
            "strategy__language",
            ["label", "title", "headline", "ambition", "description"],
            ["strategy__owner"],
        ),
        Kind(
            _("Mål"),
            Goal.objects.public(),
            "strategy__language",
            ["text", "description"],
            ["strategy__owner"],
        ),
        Kind(
            _("Indikatorer"),
            Indicator.objects.public(),
            "metric__language",
            # An indicator without a definition of its own has its metric's.
            ["name", "definition", "metric__definition", "metric__unit"],
            ["organization", "metric"],
        ),
    ]


def search_portal(query: str) -> list[Group]:
    search = _full_text if connection.vendor == "postgresql" else _plain_match
    return [search(kind, query) for kind in kinds()]


def _full_text(kind: Kind, query: str) -> Group:
    config = Case(
        *[When(**{kind.language: code}, then=Value(name)) for code, name in SEARCH_CONFIGS.items()],
        default=Value("danish"),
    )
    search_query = SearchQuery(query, config=config, search_type="websearch")
    vector = SearchVector(*kind.fields, config=config)
    matches = (
        kind.queryset.annotate(
            search=vector,
            rank=SearchRank(vector, search_query),
            excerpt=SearchHeadline(
                _concatenated(kind.fields),
                search_query,
                config=config,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=EXCERPT_WORDS,
                min_words=EXCERPT_WORDS // 2,
            ),
        )
        .filter(search=search_query)
        .select_related(*kind.related)
        .order_by("-rank", "pk")
    )
    count = matches.count()
    results = [
        _result(obj, mark_safe(_highlight(escape(obj.excerpt))))  # noqa: S308 escaped above
        for obj in matches[:MAX_RESULTS_PER_KIND]
    ]
    return Group(str(kind.label), count, results)


def _concatenated(fields: list[str]) -> Concat:
    parts = []
    for field in fields:
        parts += [field, Value(" · ")]
    return Concat(*parts[:-1], output_field=TextField())


def _plain_match(kind: Kind, query: str) -> Group:
    terms = query.split()
    condition = reduce(
        lambda combined, term: (
            combined & reduce(or_, (Q(**{f"{field}__icontains": term}) for field in kind.fields))
        ),
        terms,
        Q(),
    )
    matches = kind.queryset.filter(condition).select_related(*kind.related).order_by("pk")
    count = matches.count()
    results = []
    for obj in matches[:MAX_RESULTS_PER_KIND]:
        texts = [_text_of(obj, field) for field in kind.fields]
        text = " · ".join(text for text in texts if text)
        results.append(_result(obj, _excerpt(text, terms)))
    return Group(str(kind.label), count, results)


def _text_of(obj, field: str) -> str:
    """The text of `field`, following a lookup such as "metric__unit" through relations."""
    for name in field.split("__"):
        obj = getattr(obj, name)
    return obj


def _excerpt(text: str, terms: list[str]) -> SafeString:
    """About EXCERPT_WORDS words around the first match, every match marked."""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    words = text.split()
    first = next((i for i, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - EXCERPT_WORDS // 3)
    snippet = " ".join(words[start : start + EXCERPT_WORDS])
    marked = pattern.sub(lambda match: f"{_START}{match.group(0)}{_STOP}", snippet)
    prefix = "… " if start else ""
    suffix = " …" if start + EXCERPT_WORDS < len(words) else ""
    return mark_safe(prefix + _highlight(escape(marked)) + suffix)  # noqa: S308 escaped


def _highlight(escaped: str) -> str:
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")


def _result(obj, excerpt: SafeString) -> Result:
    if isinstance(obj, Strategy):
        return Result(obj.title, obj.get_absolute_url(), excerpt, obj.language, obj.owner.name)
    if isinstance(obj, Indicator):
        return Result(
            obj.name, obj.get_absolute_url(), excerpt, obj.metric.language, obj.organization.name
        )
    strategy = obj.strategy
    return Result(
        str(obj),
        obj.get_absolute_url(),
        excerpt,
        strategy.language,
        f"{strategy.title} · {strategy.owner.name}",
    )
