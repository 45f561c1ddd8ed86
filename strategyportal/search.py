"""Search across what a reader may see: strategies, focus areas, goals, indicators, themes and
working models, each through its kind's `visible_to(user)`.

On PostgreSQL this is full-text search on the vector stored with each row (see
goals/migrations/0008_search_vectors.py and 0011_search_folding_themes_and_words.py),
stemmed in the configuration of its own language (Danish or Swedish, so "rekruttere" finds
"rekruttering"), with diacritics folded ("arselever" finds "årselever"), through a GIN index,
ranked, with highlighted excerpts; when little is found, a misspelled word is offered
corrected ("did you mean"). On SQLite, the development database, it is a plain match of each
word in the texts folded the same way (`folded`), without stemming or suggestions. Either
way each kind costs one query: its first results and how many there are; a suggestion two
more.

Numbers are found however their thousands are written: "1800", "1.800" and "1 800" are one
number. A comma is the decimal mark in Danish and Swedish, so "1,800" is 1,8 and stays as
written.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import (
    CombinedSearchQuery,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from goals.models import FocusArea, Goal, SearchWord, Strategy, Theme, WorkingModel
from indicators.models import Indicator
from municipalities import access

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
# in a language without a configuration of its own. Each folds diacritics before stemming,
# as `content_search_config` does for the stored vectors.
QUERY_CONFIGS = ["danish_folded", "swedish_folded", "english_folded", "simple_folded"]
# A word or "phrase" that a hyphen leaves out, as websearch_to_tsquery reads it.
_LEFT_OUT = re.compile(r'(?<!\S)-("[^"]*"?|\S+)')
# A whole number of four digits or more, its thousands grouped by a point or a space or not,
# and not part of a decimal number ("1.800,5" is not 1800).
_NUMBER = r"[1-9]\d{0,2}(?:[. \u00a0\u202f]\d{3})+(?![\d,])|[1-9]\d{3,}(?![\d,.])"
_GROUPED_NUMBER = re.compile(rf"(?<![\w.,])(?:{_NUMBER})")
# On PostgreSQL a number outside a "quoted phrase", which is searched as written.
_QUOTED_OR_NUMBER = re.compile(rf'("[^"]*"?)|(?<![\w.,])({_NUMBER})')

# "Did you mean" when fewer results than this are found, for at most this many words of the
# query, each replaced by the word of the word list most like it (pg_trgm similarity, at
# least its default threshold) that something the reader may see contains.
FEW_RESULTS = 3
MAX_SUGGESTED_WORDS = 5
_CANDIDATES = 5
_SUGGESTIBLE_WORD = re.compile(r"(?<![\w-])[^\W\d_]{4,40}(?![\w-])")

# What `folded` makes of letters that Unicode does not decompose, as PostgreSQL's unaccent
# does.
_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "ð": "d", "đ": "d", "ł": "l"})


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    excerpt: SafeString
    language: str
    context: str  # where the hit sits, e.g. the strategy and organization
    is_draft: bool = False  # an editor's preview, which only editors find


@dataclass(frozen=True)
class Group:
    label: str
    count: int  # at most COUNT_CAP
    results: list[Result]
    capped: bool = False  # more match than `count` says


class SearchResults(list):
    """The groups, one per kind in the order of `kinds()`."""

    # The query with its misspelled words corrected, when few results were found.
    suggestion: str | None = None

    @property
    def capped(self) -> bool:
        return any(group.capped for group in self)

    @property
    def total(self) -> int:
        return sum(group.count for group in self)


@dataclass(frozen=True)
class Kind:
    label: str
    queryset: object
    language: str  # the lookup of the content language
    # The texts searched; on PostgreSQL the stored vector holds the same (its migration).
    fields: list[str]
    related: list[str]


def kinds(user) -> list[Kind]:
    """What `user` may see of each kind, as every public page shows it to them."""
    return [
        Kind(
            _("Strategier"),
            Strategy.objects.visible_to(user),
            "language",
            ["title", "subtitle", "introduction", "purpose", "mission", "vision", "values"],
            ["owner"],
        ),
        Kind(
            _("Fokusområder"),
            FocusArea.objects.visible_to(user),
            "strategy__language",
            ["label", "title", "headline", "ambition", "description"],
            ["strategy__owner"],
        ),
        Kind(
            _("Mål"),
            Goal.objects.visible_to(user),
            "strategy__language",
            ["text", "description"],
            ["strategy__owner"],
        ),
        Kind(
            _("Indikatorer"),
            _indicators_visible_to(user),
            "metric__language",
            # An indicator without a definition of its own has its metric's.
            ["name", "definition", "metric__definition", "metric__unit"],
            ["organization", "metric"],
        ),
        Kind(
            _("Temaer"),
            Theme.objects.visible_to(user),
            "language",
            ["name", "description"],
            ["network"],
        ),
        Kind(
            _("Arbejdsmodeller"),
            WorkingModel.objects.visible_to(user),
            "language",
            ["name", "description", "results"],
            ["organization", "theme"],
        ),
    ]


def _indicators_visible_to(user):
    """Indicators `user` may see; for an editor, whose results may hold drafts, with whether
    each is public (a visitor's are all public, and the check would cost every row)."""
    indicators = Indicator.objects.visible_to(user)
    if access.editor_scope(user):
        indicators = indicators.annotate(
            is_public=Exists(Indicator.objects.public().filter(pk=OuterRef("pk")))
        )
    return indicators


def search_portal(query: str, *, user) -> SearchResults:
    query = searchable(query)
    searched = kinds(user)
    # A query that only leaves words out would list everything there is.
    if not re.search(r"\w", _LEFT_OUT.sub(" ", query)):
        return SearchResults(Group(str(kind.label), 0, []) for kind in searched)
    if connection.vendor != "postgresql":
        return SearchResults(_plain_match(kind, query) for kind in searched)
    results = SearchResults(_full_text(kind, query) for kind in searched)
    if results.total < FEW_RESULTS:
        results.suggestion = _suggestion(query, searched)
    return results


def searchable(query: str) -> str:
    """`query` without what no reader means and a database may refuse: control characters
    (PostgreSQL refuses a NUL byte in text) and hyphens that negate nothing (PostgreSQL's
    query parser overflows on a long run of them), cut to MAX_QUERY_LENGTH."""
    query = re.sub(r"[\x00-\x1f\x7f]", " ", query[:MAX_QUERY_LENGTH])
    query = re.sub(r"-(?![\w\"])", " ", query)
    return " ".join(query.split())


def folded(text: str | None) -> str | None:
    """`text` as SQLite search compares it: case folded, without diacritics, and a number's
    thousands written without separators ("1.800" and "1 800" are "1800")."""
    if text is None:
        return None
    return _GROUPED_NUMBER.sub(_digits, "".join(_folded_characters(text)))


def _folded_characters(text: str) -> list[str]:
    """What each character of `text` folds to, in case and diacritics, one entry per
    character (an "æ" is "ae", a combining accent "")."""
    return [
        "".join(
            part
            for part in unicodedata.normalize("NFKD", character.casefold().translate(_LETTERS))
            if not unicodedata.combining(part)
        )
        for character in text
    ]


def _digits(number: re.Match) -> str:
    return re.sub(r"\D", "", number.group(0))


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
    met by another reading. A number matches written in any of its ways."""
    left_out = _LEFT_OUT.findall(query)
    numbers = []

    def take_number(match: re.Match) -> str:
        if match.group(1):  # a quoted phrase
            return match.group(1)
        numbers.append(_digits(match))
        return " "

    words = _QUOTED_OR_NUMBER.sub(take_number, _LEFT_OUT.sub(" ", query))
    parts = [_number_query(digits) for digits in numbers]
    if re.search(r"\w", words) or not parts:
        parts.insert(0, reduce(or_, _readings(words)))
    search_query = reduce(and_, parts)
    for reading in _readings(" or ".join(left_out)) if left_out else []:
        search_query &= ~reading
    return search_query


def _readings(text) -> list[SearchQuery]:
    return [SearchQuery(text, config=config, search_type="websearch") for config in QUERY_CONFIGS]


def _number_query(digits: str) -> CombinedSearchQuery:
    """The number `digits` as written with no separator, with points or with spaces: the
    parser reads "1.800" as one word and "1 800" as two in a row."""
    grouped = f"{int(digits):,}"
    return (
        SearchQuery(digits, config="simple")
        | SearchQuery(grouped.replace(",", "."), config="simple")
        | SearchQuery(grouped.replace(",", " "), config="simple", search_type="phrase")
    )


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


class _TrigramSimilar(Func):
    """pg_trgm's `word % other`: similar at least by its threshold, which a trigram index
    answers."""

    arg_joiner = " %% "
    template = "%(expressions)s"
    output_field = BooleanField()


def _suggestion(query: str, searched: list[Kind]) -> str | None:
    """`query` with each of its first MAX_SUGGESTED_WORDS words replaced by the most similar
    word of the word list that something of `searched` contains, or None when that changes
    nothing a reader would see as a change. Two queries: the words most similar to each,
    then which of them something visible contains. (Asked in one query, with the word an
    outer reference, the planner reads every goal for each word nothing contains.)"""
    typed_words = [
        word.lower()
        for word in _SUGGESTIBLE_WORD.findall(_LEFT_OUT.sub(" ", query))[:MAX_SUGGESTED_WORDS]
    ]
    if not typed_words:
        return None
    candidates = list(
        reduce(
            lambda union, other: union.union(other, all=True),
            (_most_similar_words(word) for word in typed_words),
        )
    )
    if not candidates:
        return None
    # A word of the list typed as it is needs no other: only it is checked, which keeps the
    # second query small (its planning grows with every word checked).
    listed = {typed for typed, word, _ in candidates if typed == word}
    checked = {word for typed, word, _ in candidates if typed not in listed or typed == word}
    visible = _visible_words(checked, searched)
    hidden = {typed for typed in listed if typed not in visible}
    if hidden:
        # A word that only drafts hold must not set itself apart from a word nobody wrote
        # (which gets a suggestion): its neighbours are checked as for any misspelling.
        listed -= hidden
        visible |= _visible_words(
            {word for typed, word, _ in candidates if typed in hidden and word != typed},
            searched,
        )
    replacements = {}
    for typed, word, _similarity in sorted(candidates, key=lambda row: (-row[2], row[1])):
        if word in visible and (typed not in listed or typed == word):
            replacements.setdefault(typed, word)
    suggestion = _SUGGESTIBLE_WORD.sub(
        lambda match: replacements.get(match.group(0).lower(), match.group(0)), query
    )
    return suggestion if folded(suggestion) != folded(query) else None


def _visible_words(words: set[str], searched) -> set[str]:
    """Those of `words` that a text the reader may see holds, in one query."""
    if not words:
        return set()
    return set(
        reduce(
            lambda union, other: union.union(other, all=True),
            (_if_visible(word, searched) for word in sorted(words)),
        )
    )


def _most_similar_words(word: str):
    """The _CANDIDATES words of the word list most similar to `word`, diacritics folded, as
    rows (word, candidate, similarity), through the trigram index."""
    typed = Func(Value(word), function="unaccent", output_field=TextField())
    similarity = TrigramSimilarity("folded", typed)
    return (
        SearchWord.objects.filter(_TrigramSimilar(F("folded"), typed))
        .annotate(typed=Value(word, output_field=TextField()), similarity=similarity)
        .order_by("-similarity", "word")
        .values_list("typed", "word", "similarity")[:_CANDIDATES]
    )


def _if_visible(word: str, searched: list[Kind]):
    """`word`, as a one-row queryset, when something of `searched` contains it."""
    found = reduce(or_, (SearchQuery(word, config=config) for config in QUERY_CONFIGS))
    return (
        SearchWord.objects.filter(word=word)
        .filter(
            reduce(
                or_,
                (
                    Exists(kind.queryset.filter(SearchVectorExact(_StoredVector(), found)))
                    for kind in searched
                ),
            )
        )
        .values_list("word", flat=True)
    )


def _plain_match(kind: Kind, query: str) -> Group:
    terms = folded(query).split()
    text = Func(_concatenated(kind.fields), function="search_folded", output_field=TextField())
    condition = reduce(and_, (Contains(text, term) for term in terms))
    found, count = _best_matches(kind, condition, ["pk"])
    results = []
    for obj in found:
        texts = [_text_of(obj, field) for field in kind.fields]
        text = " · ".join(text for text in texts if text)
        results.append(_result(obj, _excerpt(text, terms)))
    return _group(kind, count, results)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Gives a new SQLite connection `folded` as search_folded(text), for `_plain_match`:
    SQLite's own lower() and LIKE fold only ASCII."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("search_folded", 1, folded, deterministic=True)


def _text_of(obj, field: str) -> str:
    """The text of `field`, following a lookup such as "metric__unit" through relations."""
    for name in field.split("__"):
        obj = getattr(obj, name)
    return obj


def _excerpt(text: str, terms: list[str]) -> SafeString:
    """About EXCERPT_WORDS words around the first match, every match marked: where `terms`,
    folded, are found in `text` folded the same way."""
    marked = _marked(text, terms)
    words = marked.split()
    first = next((i for i, word in enumerate(words) if _START in word), 0)
    start = max(0, first - EXCERPT_WORDS // 3)
    snippet = " ".join(words[start : start + EXCERPT_WORDS])
    if snippet.count(_START) > snippet.count(_STOP):  # a match the end cuts ("1 | 800")
        snippet += _STOP
    prefix = "… " if start else ""
    suffix = " …" if start + EXCERPT_WORDS < len(words) else ""
    return mark_safe(prefix + _highlight(escape(snippet)) + suffix)  # noqa: S308 escaped


def _marked(text: str, terms: list[str]) -> str:
    """`text` with sentinels around what `folded` matches `terms` in."""
    characters = _folded_characters(text)
    # A separator of a number's thousands folds to nothing, as in `folded`.
    for number in _GROUPED_NUMBER.finditer(text):
        for position in range(number.start(), number.end()):
            if not text[position].isdigit():
                characters[position] = ""
    searched, origin = "", []
    for position, character in enumerate(characters):
        searched += character
        origin += [position] * len(character)
    marked = [False] * len(text)
    for term in terms:
        at = searched.find(term)
        while at >= 0:
            for position in range(origin[at], origin[at + len(term) - 1] + 1):
                marked[position] = True
            at = searched.find(term, at + 1)
    return "".join(
        (_START if is_marked and not (i and marked[i - 1]) else "")
        + character
        + (_STOP if is_marked and (i + 1 == len(text) or not marked[i + 1]) else "")
        for i, (character, is_marked) in enumerate(zip(text, marked, strict=True))
    )


def _highlight(escaped: str) -> str:
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")


def _result(obj, excerpt: SafeString) -> Result:
    if isinstance(obj, Strategy):
        return Result(
            obj.title, obj.get_absolute_url(), excerpt, obj.language, obj.owner.name, obj.is_draft
        )
    if isinstance(obj, Indicator):
        return Result(
            obj.name,
            obj.get_absolute_url(),
            excerpt,
            obj.metric.language,
            obj.organization.name,
            not getattr(obj, "is_public", True),
        )
    if isinstance(obj, Theme):
        network = obj.network.name if obj.network else ""
        return Result(obj.name, obj.get_absolute_url(), excerpt, obj.language, network)
    if isinstance(obj, WorkingModel):
        return Result(
            obj.name,
            obj.get_absolute_url(),
            excerpt,
            obj.language,
            f"{obj.theme.name} · {obj.organization.name}",
            obj.is_draft,
        )
    strategy = obj.strategy
    return Result(
        str(obj),
        obj.get_absolute_url(),
        excerpt,
        strategy.language,
        f"{strategy.title} · {strategy.owner.name}",
        obj.is_draft or strategy.is_draft,
    )
