"""Search across published strategies, focus areas, goals and public indicators.

On PostgreSQL this is full-text search on the vector stored with each row (see
goals/migrations/0008_search_vectors.py), stemmed in the configuration of its own language
(Danish or Swedish, so "rekruttere" finds "rekruttering"), through a GIN index, ranked, with
highlighted excerpts. On SQLite, the development database, it is a plain case-insensitive
match. Either way each kind costs one query: its first results and how many there are.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.postgres.search import (
    CombinedSearchQuery,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F, Func, IntegerField, Q, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from goals.models import FocusArea, Goal, Strategy
from indicators.models import Indicator

MAX_RESULTS_PER_KIND = 20
# A kind's matches are counted up to here, "over 1.000" beyond: the exact number of a word
# that half the country uses tells a reader nothing and costs most of the query.
COUNT_CAP = 1000
# Longer than any question a person types; bounds the work a query string can cause.
MAX_QUERY_LENGTH = 200
EXCERPT_WORDS = 30
# Sentinels around a match; replaced by <mark> only after the text has been escaped.
_START, _STOP = "\x02", "\x03"

# A query is read as Danish, Swedish and English at once and matches when any reading does:
# a reader finds content in the neighbour's language too, whichever language the page is in
# (a Danish "elever" is a Swedish "elever"). 'simple' reads the words as written, for content
# in a language without a configuration of its own.
QUERY_CONFIGS = ["danish", "swedish", "english", "simple"]
# A word or "phrase" that a hyphen leaves out, as websearch_to_tsquery reads it.
_LEFT_OUT = re.compile(r'(?<!\S)-("[^"]*"?|\S+)')


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
    count: int  # at most COUNT_CAP
    results: list[Result]
    capped: bool = False  # more match than `count` says


class SearchResults(list):
    """The groups, one per kind in the order of `kinds()`."""

    @property
    def capped(self) -> bool:
        return any(group.capped for group in self)


@dataclass(frozen=True)
class Kind:
    label: str
    queryset: object
    language: str  # the lookup of the content language
    # The texts searched; on PostgreSQL the stored vector holds the same (its migration).
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


def search_portal(query: str) -> SearchResults:
    query = searchable(query)
    # A query that only leaves words out would list everything there is.
    if not re.search(r"\w", _LEFT_OUT.sub(" ", query)):
        return SearchResults(Group(str(kind.label), 0, []) for kind in kinds())
    search = _full_text if connection.vendor == "postgresql" else _plain_match
    return SearchResults(search(kind, query) for kind in kinds())


def searchable(query: str) -> str:
    """`query` without what no reader means and a database may refuse: control characters
    (PostgreSQL refuses a NUL byte in text) and hyphens that negate nothing (PostgreSQL's
    query parser overflows on a long run of them), cut to MAX_QUERY_LENGTH."""
    query = re.sub(r"[\x00-\x1f\x7f]", " ", query[:MAX_QUERY_LENGTH])
    query = re.sub(r"-(?![\w\"])", " ", query)
    return " ".join(query.split())


class _StoredVector(Expression):
    """The search vector that PostgreSQL keeps in the searched table. No model field maps it,
    so that no other page loads it."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name(compiler.query.base_table)}.search_vector", []


def _full_text(kind: Kind, query: str) -> Group:
    search_query = _search_query(query)
    vector = _StoredVector()
    found, count = _best_matches(
        kind,
        SearchVectorExact(vector, search_query),
        ["-rank", "pk"],
        rank=SearchRank(vector, search_query),
        # In the content's own configuration, as its vector was built.
        excerpt=SearchHeadline(
            _concatenated(kind.fields),
            search_query,
            config=Func(F(kind.language), function="content_search_config"),
            start_sel=_START,
            stop_sel=_STOP,
            max_words=EXCERPT_WORDS,
            min_words=EXCERPT_WORDS // 2,
        ),
    )
    results = [
        _result(obj, mark_safe(_highlight(escape(obj.excerpt))))  # noqa: S308 escaped above
        for obj in found
    ]
    return _group(kind, count, results)


def _search_query(query: str) -> CombinedSearchQuery:
    """`query` in every reading of QUERY_CONFIGS, matching where any reading does, except that
    what a hyphen leaves out is left out in every reading: one reading's exclusion must not be
    met by another reading."""
    left_out = _LEFT_OUT.findall(query)
    search_query = reduce(or_, _readings(_LEFT_OUT.sub(" ", query)))
    for reading in _readings(" or ".join(left_out)) if left_out else []:
        search_query &= ~reading
    return search_query


def _readings(text: str) -> list[SearchQuery]:
    return [SearchQuery(text, config=config, search_type="websearch") for config in QUERY_CONFIGS]


def _best_matches(kind: Kind, condition, order: list[str], **annotations) -> tuple[list, int]:
    """The first MAX_RESULTS_PER_KIND objects of `kind` that match `condition`, in `order`, and
    how many match, counted up to COUNT_CAP + 1: one query, whose count stops early for a
    common word instead of judging the visibility of every match."""
    matches = kind.queryset.filter(condition)
    count = _Count(matches.order_by().values("pk")[: COUNT_CAP + 1])
    found = list(
        matches.annotate(match_count=count, **annotations)
        .select_related(*kind.related)
        .order_by(*order)[:MAX_RESULTS_PER_KIND]
    )
    return found, found[0].match_count if found else 0


class _Count(Subquery):
    """The number of rows of a subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _group(kind: Kind, count: int, results: list[Result]) -> Group:
    return Group(str(kind.label), min(count, COUNT_CAP), results, capped=count > COUNT_CAP)


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
    found, count = _best_matches(kind, condition, ["pk"])
    results = []
    for obj in found:
        texts = [_text_of(obj, field) for field in kind.fields]
        text = " · ".join(text for text in texts if text)
        results.append(_result(obj, _excerpt(text, terms)))
    return _group(kind, count, results)


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
