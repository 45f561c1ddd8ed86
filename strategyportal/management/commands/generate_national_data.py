"""An illustrative national data set, built on demand: Danish and Swedish municipalities with
their schools, one published strategy each with targets on 48 indicators, years of approved
values, and schools reporting on three shared metrics. It shows the portal, and lets one try
it, at the scale of two countries.

Every value is marked illustrative (the pages say so), every organization, strategy, metric
and theme says it is an illustrative example, and none of it is part of the seed: the
organizations, metrics and themes have addresses beginning with `PREFIX`, which no seeded row
has, and `--replace` deletes exactly those and what hangs on them."""

import random
import time
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from goals.models import Action, FocusArea, Goal, Strategy, Theme
from indicators.models import (
    GoalTarget,
    Indicator,
    IndicatorValue,
    Metric,
    Milestone,
    TargetAssessment,
)
from indicators.periods import FIRST_YEAR, PeriodKind
from indicators.progress import Aggregation, Direction, Reported, Status, combine_values
from indicators.services import refresh_assessments
from municipalities.content_version import content_changed
from municipalities.models import ContentLanguage, Country, Organization, address_from

PREFIX = "illustrativ-"
BATCH_SIZE = 2000
# Values wait in memory until there are this many, then go in batches of BATCH_SIZE.
FLUSH_SIZE = 10 * BATCH_SIZE
# The same data every run, so that timings and pages can be compared from one run to the next.
RANDOM_SEED = 2025
# Values move towards or away from their targets over the last ten periods and only wander
# before that, so a long history (--values) stays within its unit's range.
TREND_PERIODS = 9
# The status each target is built to have, and how often; noise and a percentage's 0–100
# range move a few of them to a neighbouring status.
AIMED_STATUSES = {
    Status.ON_TRACK: 35,
    Status.BEHIND: 25,
    Status.TARGET_MET: 15,
    Status.NOT_ENOUGH_DATA: 15,
    Status.MOVING_AWAY: 10,
}


@dataclass(frozen=True)
class MeasureSpec:
    name: str
    unit: str
    direction: Direction  # which way is better
    level: float  # a typical value now: a municipality's, or a school's if its schools report
    step: float  # a typical change a period, in the unit
    measure: str = Metric.Measure.PERCENT
    decimals: int = 1
    aggregation: Aggregation = Aggregation.OWN
    weight_label: str = ""
    counts_pupils: bool = False

    @property
    def reported_by_schools(self) -> bool:
        return self.aggregation is not Aggregation.OWN


def more(name: str, level: float, step: float, **options) -> MeasureSpec:
    """A measure where higher is better; a percentage with one decimal unless said otherwise."""
    return MeasureSpec(name, options.pop("unit", "%"), Direction.AT_LEAST, level, step, **options)


def less(name: str, level: float, step: float, **options) -> MeasureSpec:
    """A measure where lower is better; a percentage with one decimal unless said otherwise."""
    return MeasureSpec(name, options.pop("unit", "%"), Direction.AT_MOST, level, step, **options)


@dataclass(frozen=True)
class GoalSpec:
    text: str
    measures: tuple[MeasureSpec, MeasureSpec]


@dataclass(frozen=True)
class AreaSpec:
    title: str
    school_year: bool  # whether its measures are reported per school year
    goals: tuple[GoalSpec, GoalSpec, GoalSpec, GoalSpec]


@dataclass(frozen=True)
class CountrySpec:
    country: str
    language: str
    municipality: str  # the name, with {n} for its number
    school: str  # the name, with {n} and {s}
    municipality_slug: str
    school_slug: str
    not_real_municipality: str
    not_real_school: str
    strategy_title: str  # with {start} and {end}
    strategy_introduction: str
    focus_areas_heading: str
    source_title: str
    value_source: str
    metric_definition: str  # with {name}
    areas: tuple[AreaSpec, ...]

    # Computed once, not for every municipality (cached_property writes past `frozen`).
    @cached_property
    def area_addresses(self) -> list[tuple[AreaSpec, str]]:
        return list(zip(self.areas, addresses(area.title for area in self.areas), strict=True))

    @cached_property
    def goal_addresses(self) -> list[list[tuple[GoalSpec, str]]]:
        """Each area's goals with their addresses, which are unique in the whole strategy."""
        slugs = iter(addresses(goal.text for area in self.areas for goal in area.goals))
        return [[(goal, next(slugs)) for goal in area.goals] for area in self.areas]

    @cached_property
    def measures(self) -> list[tuple[AreaSpec, MeasureSpec, str]]:
        """Every measure with its area and address, in the order of the strategy: two to each
        goal."""
        measures = [(a, m) for a in self.areas for goal in a.goals for m in goal.measures]
        slugs = addresses(measure.name for _, measure in measures)
        return [(a, m, slug) for (a, m), slug in zip(measures, slugs, strict=True)]


DANISH = CountrySpec(
    country=Country.DENMARK,
    language=ContentLanguage.DANISH,
    municipality="Illustrativ Kommune {n:03d}",
    school="Illustrativ Kommune {n:03d}, skole {s:02d}",
    municipality_slug="kommune-{n:03d}",
    school_slug="kommune-{n:03d}-skole-{s:02d}",
    not_real_municipality=(
        "Illustrativt eksempel genereret af generate_national_data – ikke en virkelig kommune."
    ),
    not_real_school=(
        "Illustrativt eksempel genereret af generate_national_data – ikke en virkelig skole."
    ),
    strategy_title="Børne- og uddannelsesstrategi {start}–{end}",
    strategy_introduction=(
        "Illustrativt eksempel: strategien, dens mål og alle tal er genereret af "
        "generate_national_data til demonstration af portalen og beskriver ingen virkelig "
        "kommune."
    ),
    focus_areas_heading="Fokusområder",
    source_title="Illustrative data – genereret af generate_national_data",
    value_source="Illustrativt eksempel – genereret af generate_national_data",
    metric_definition=(
        "{name}. Illustrativt eksempel til demonstration af portalen; tallene er genereret af "
        "generate_national_data og er ikke virkelige."
    ),
    areas=(
        AreaSpec(
            "Trivsel og fællesskab",
            True,
            (
                GoalSpec(
                    "Flere elever trives i skolen",
                    (
                        more(
                            "Elever med høj trivsel",
                            84,
                            0.6,
                            aggregation=Aggregation.WEIGHTED_MEAN,
                            weight_label="antal elever, der svarede på trivselsmålingen",
                        ),
                        less("Elever, der har oplevet mobning", 7.5, 0.3),
                    ),
                ),
                GoalSpec(
                    "Færre elever har højt fravær",
                    (
                        less("Gennemsnitligt elevfravær", 7.2, 0.2),
                        less("Elever med fravær over 10 %", 18, 0.6),
                    ),
                ),
                GoalSpec(
                    "Alle elever er en del af et fællesskab",
                    (
                        more("Elever, der føler sig som en del af fællesskabet", 80, 0.8),
                        more("Elever, der går til en fritidsaktivitet", 66, 0.8),
                    ),
                ),
                GoalSpec(
                    "Forældrene er tilfredse med skolen",
                    (
                        more("Forældre, der er tilfredse med skolen", 76, 0.7),
                        more("Forældre, der deltager i skole-hjem-samtaler", 90, 0.4),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Faglighed og læring",
            True,
            (
                GoalSpec(
                    "Alle elever bliver så dygtige, de kan, i dansk",
                    (
                        more(
                            "Karaktergennemsnit i dansk ved 9.-klasseprøven",
                            6.9,
                            0.08,
                            unit="karakter",
                            measure=Metric.Measure.QUANTITY,
                            aggregation=Aggregation.MEAN,
                        ),
                        more("Elever med mindst 02 i dansk", 94, 0.3),
                    ),
                ),
                GoalSpec(
                    "Alle elever bliver så dygtige, de kan, i matematik",
                    (
                        more(
                            "Karaktergennemsnit i matematik ved 9.-klasseprøven",
                            6.6,
                            0.08,
                            unit="karakter",
                            measure=Metric.Measure.QUANTITY,
                        ),
                        more("Elever med mindst 02 i matematik", 91, 0.4),
                    ),
                ),
                GoalSpec(
                    "Flere elever læser godt",
                    (
                        more("Gode læsere i 2. klasse", 74, 0.8),
                        less("Svage læsere i 8. klasse", 14, 0.4),
                    ),
                ),
                GoalSpec(
                    "Undervisningen er varieret og motiverende",
                    (
                        more("Elever, der oplever varieret undervisning", 68, 0.9),
                        more("Timer med en lærer med undervisningskompetence i faget", 88, 0.7),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Overgang til ungdomsuddannelse",
            True,
            (
                GoalSpec(
                    "Flere unge gennemfører en ungdomsuddannelse",
                    (
                        more(
                            "Unge i gang med en ungdomsuddannelse 15 måneder efter 9. klasse",
                            87,
                            0.5,
                        ),
                        more("25-årige med en ungdomsuddannelse", 86, 0.5),
                    ),
                ),
                GoalSpec(
                    "Flere unge vælger en erhvervsuddannelse",
                    (
                        more(
                            "Elever, der søger en erhvervsuddannelse efter 9. klasse",
                            9,
                            0.4,
                            unit="elever",
                            measure=Metric.Measure.COUNT,
                            decimals=0,
                            aggregation=Aggregation.SUM,
                            counts_pupils=True,
                        ),
                        more("Elever i erhvervspraktik i 8. eller 9. klasse", 38, 1.2),
                    ),
                ),
                GoalSpec(
                    "Færre unge falder fra",
                    (
                        less("Frafald i første år af en ungdomsuddannelse", 11, 0.4),
                        less("15–24-årige uden job eller uddannelse", 6.5, 0.2),
                    ),
                ),
                GoalSpec(
                    "Alle elever er klar til en ungdomsuddannelse",
                    (
                        more("Elever vurderet uddannelsesparate i 8. klasse", 71, 1.0),
                        more("Elever med en uddannelsesplan ved udgangen af 9. klasse", 93, 0.5),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Inklusion og specialpædagogik",
            True,
            (
                GoalSpec(
                    "Flere elever går i den almene skole",
                    (
                        more("Elever i almenundervisningen", 94.5, 0.2),
                        less("Elever i specialklasser og specialskoler", 5.5, 0.15),
                    ),
                ),
                GoalSpec(
                    "Børn får hjælp tidligt",
                    (
                        less(
                            "Ventetid på en pædagogisk-psykologisk vurdering",
                            11,
                            0.5,
                            unit="uger",
                            measure=Metric.Measure.QUANTITY,
                        ),
                        more("Treårige, der er sprogvurderet", 92, 0.6),
                    ),
                ),
                GoalSpec(
                    "Elever i specialtilbud trives og lærer",
                    (
                        more("Elever i specialtilbud med høj trivsel", 70, 1.0),
                        more("Elever i specialtilbud, der går til 9.-klasseprøven", 45, 1.5),
                    ),
                ),
                GoalSpec(
                    "Udgifterne til specialundervisning holdes i ro",
                    (
                        less(
                            "Udgift til specialundervisning pr. elev",
                            19500,
                            250,
                            unit="kr. pr. elev",
                            measure=Metric.Measure.QUANTITY,
                            decimals=0,
                        ),
                        less("Andel af skolebudgettet til specialundervisning", 29, 0.4),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Medarbejdere og ledelse",
            False,
            (
                GoalSpec(
                    "Vi tiltrækker og fastholder dygtige lærere",
                    (
                        less("Personaleomsætning blandt lærere", 12, 0.4),
                        more("Stillingsopslag med mindst tre kvalificerede ansøgere", 64, 1.2),
                    ),
                ),
                GoalSpec(
                    "Medarbejderne er raske og glade for deres arbejde",
                    (
                        less("Sygefravær blandt medarbejdere", 5.6, 0.15),
                        more("Medarbejdere med høj arbejdsglæde", 74, 0.8),
                    ),
                ),
                GoalSpec(
                    "Medarbejderne udvikler deres kompetencer",
                    (
                        more("Lærere med efteruddannelse de seneste tre år", 58, 1.5),
                        more("Pædagoger med en diplomuddannelse", 21, 0.8),
                    ),
                ),
                GoalSpec(
                    "Ledelsen er tydelig og nærværende",
                    (
                        more("Medarbejdere, der oplever tydelig ledelse", 69, 1.0),
                        more("Ledere med en lederuddannelse", 78, 1.2),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Voksen- og efteruddannelse",
            False,
            (
                GoalSpec(
                    "Flere voksne får en uddannelse",
                    (
                        less("25–64-årige uden en uddannelse efter grundskolen", 21, 0.3),
                        more(
                            "Kursister på arbejdsmarkedsuddannelser pr. 1.000 indbyggere",
                            38,
                            0.8,
                            unit="kursister pr. 1.000 indbyggere",
                            measure=Metric.Measure.QUANTITY,
                        ),
                    ),
                ),
                GoalSpec(
                    "Flere ufaglærte bliver faglærte",
                    (
                        more(
                            "Voksenlærlinge pr. 1.000 beskæftigede",
                            3.4,
                            0.1,
                            unit="pr. 1.000 beskæftigede",
                            measure=Metric.Measure.QUANTITY,
                        ),
                        more("Ufaglærte, der begynder på en erhvervsuddannelse", 7.5, 0.2),
                    ),
                ),
                GoalSpec(
                    "Virksomhederne tager ansvar for uddannelse",
                    (
                        more("Virksomheder med godkendte praktikpladser", 24, 0.5),
                        more("Elever på erhvervsuddannelser med en uddannelsesaftale", 79, 0.8),
                    ),
                ),
                GoalSpec(
                    "Borgerne lærer hele livet",
                    (
                        more("Voksne, der har deltaget i et kursus det seneste år", 16, 0.4),
                        more("Kursister, der er tilfredse med voksenundervisningen", 85, 0.4),
                    ),
                ),
            ),
        ),
    ),
)

SWEDISH = CountrySpec(
    country=Country.SWEDEN,
    language=ContentLanguage.SWEDISH,
    municipality="Illustrativ kommun {n:03d}",
    school="Illustrativ kommun {n:03d}, skola {s:02d}",
    municipality_slug="kommun-{n:03d}",
    school_slug="kommun-{n:03d}-skola-{s:02d}",
    not_real_municipality=(
        "Illustrativt exempel genererat av generate_national_data – inte en verklig kommun."
    ),
    not_real_school=(
        "Illustrativt exempel genererat av generate_national_data – inte en verklig skola."
    ),
    strategy_title="Utbildningsstrategi {start}–{end}",
    strategy_introduction=(
        "Illustrativt exempel: strategin, dess mål och alla siffror är genererade av "
        "generate_national_data för att demonstrera portalen och beskriver ingen verklig kommun."
    ),
    focus_areas_heading="Fokusområden",
    source_title="Illustrativa data – genererade av generate_national_data",
    value_source="Illustrativt exempel – genererat av generate_national_data",
    metric_definition=(
        "{name}. Illustrativt exempel för att demonstrera portalen; siffrorna är genererade av "
        "generate_national_data och är inte verkliga."
    ),
    areas=(
        AreaSpec(
            "Trygghet och studiero",
            True,
            (
                GoalSpec(
                    "Fler elever känner sig trygga i skolan",
                    (
                        more(
                            "Elever som känner sig trygga i skolan",
                            86,
                            0.6,
                            aggregation=Aggregation.WEIGHTED_MEAN,
                            weight_label="antal elever som besvarade enkäten",
                        ),
                        less("Elever som har blivit kränkta", 9, 0.3),
                    ),
                ),
                GoalSpec(
                    "Färre elever har hög frånvaro",
                    (
                        less("Genomsnittlig elevfrånvaro", 7.8, 0.2),
                        less("Elever med frånvaro över 15 procent", 12, 0.5),
                    ),
                ),
                GoalSpec(
                    "Eleverna upplever studiero",
                    (
                        more("Elever som upplever studiero på lektionerna", 67, 1.0),
                        more("Elever som deltar i en fritidsaktivitet", 63, 0.8),
                    ),
                ),
                GoalSpec(
                    "Vårdnadshavarna är nöjda med skolan",
                    (
                        more("Vårdnadshavare som är nöjda med skolan", 79, 0.7),
                        more("Vårdnadshavare som deltar i utvecklingssamtal", 95, 0.3),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Kunskap och lärande",
            True,
            (
                GoalSpec(
                    "Fler elever når kunskapskraven",
                    (
                        more(
                            "Genomsnittligt meritvärde i årskurs 9",
                            225,
                            1.5,
                            unit="poäng",
                            measure=Metric.Measure.QUANTITY,
                            aggregation=Aggregation.MEAN,
                        ),
                        more("Elever med godkända betyg i alla ämnen i årskurs 9", 74, 0.8),
                    ),
                ),
                GoalSpec(
                    "Alla elever utvecklas i matematik",
                    (
                        more("Elever med lägst betyget E i matematik i årskurs 9", 88, 0.6),
                        more(
                            "Elever som klarar nationella provet i matematik i årskurs 6", 86, 0.6
                        ),
                    ),
                ),
                GoalSpec(
                    "Fler elever läser bra",
                    (
                        more("Elever som klarar nationella provet i svenska i årskurs 3", 84, 0.7),
                        less("Elever med svag läsförmåga i årskurs 8", 15, 0.4),
                    ),
                ),
                GoalSpec(
                    "Undervisningen håller hög kvalitet",
                    (
                        more("Elever som upplever att undervisningen är varierad", 65, 0.9),
                        more("Lärare med legitimation och behörighet i ämnet", 72, 1.0),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Övergång till gymnasieskolan",
            True,
            (
                GoalSpec(
                    "Fler elever blir behöriga till gymnasieskolan",
                    (
                        more("Elever behöriga till ett yrkesprogram", 85, 0.5),
                        more("Elever som fullföljer gymnasieskolan inom fyra år", 78, 0.7),
                    ),
                ),
                GoalSpec(
                    "Fler elever väljer ett yrkesprogram",
                    (
                        more(
                            "Elever som söker ett yrkesprogram efter årskurs 9",
                            8,
                            0.4,
                            unit="elever",
                            measure=Metric.Measure.COUNT,
                            decimals=0,
                            aggregation=Aggregation.SUM,
                            counts_pupils=True,
                        ),
                        more("Elever som har gjort prao", 82, 0.8),
                    ),
                ),
                GoalSpec(
                    "Färre unga avbryter sin utbildning",
                    (
                        less("Elever som avbryter gymnasieskolan under första året", 9, 0.3),
                        less("Unga 16–24 år som varken arbetar eller studerar", 6, 0.2),
                    ),
                ),
                GoalSpec(
                    "Alla unga har en plan efter grundskolan",
                    (
                        more("Elever som fått studie- och yrkesvägledning i årskurs 8", 87, 0.7),
                        more("Unga inom aktivitetsansvaret som fått en insats", 70, 1.2),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Inkludering och särskilt stöd",
            True,
            (
                GoalSpec(
                    "Fler elever får sitt stöd i den ordinarie undervisningen",
                    (
                        more("Elever i ordinarie klass", 95, 0.2),
                        less("Elever i särskild undervisningsgrupp", 4.5, 0.15),
                    ),
                ),
                GoalSpec(
                    "Stöd sätts in tidigt",
                    (
                        less(
                            "Väntetid på utredning av elevhälsan",
                            10,
                            0.4,
                            unit="veckor",
                            measure=Metric.Measure.QUANTITY,
                        ),
                        more("Åtgärdsprogram som följts upp inom ett år", 80, 1.0),
                    ),
                ),
                GoalSpec(
                    "Elever i särskild undervisningsgrupp trivs och lär sig",
                    (
                        more("Elever i särskild undervisningsgrupp som känner sig trygga", 72, 1.0),
                        more("Elever i särskild undervisningsgrupp med godkänt i svenska", 48, 1.4),
                    ),
                ),
                GoalSpec(
                    "Kostnaderna för särskilt stöd hålls i schack",
                    (
                        less(
                            "Kostnad för särskilt stöd per elev",
                            16000,
                            220,
                            unit="kr per elev",
                            measure=Metric.Measure.QUANTITY,
                            decimals=0,
                        ),
                        less("Andel av skolbudgeten till särskilt stöd", 24, 0.4),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Medarbetare och ledarskap",
            False,
            (
                GoalSpec(
                    "Vi rekryterar och behåller behöriga lärare",
                    (
                        less("Personalomsättning bland lärare", 13, 0.4),
                        more("Tjänster med minst tre behöriga sökande", 55, 1.2),
                    ),
                ),
                GoalSpec(
                    "Medarbetarna är friska och trivs",
                    (
                        less("Sjukfrånvaro bland medarbetare", 6.2, 0.15),
                        more("Medarbetare som rekommenderar sin arbetsplats", 71, 0.8),
                    ),
                ),
                GoalSpec(
                    "Medarbetarna utvecklar sin kompetens",
                    (
                        more("Lärare med kompetensutveckling de senaste tre åren", 61, 1.5),
                        more("Förskollärare med förskollärarlegitimation", 42, 1.0),
                    ),
                ),
                GoalSpec(
                    "Ledarskapet är tydligt och nära",
                    (
                        more("Medarbetare som upplever ett tydligt ledarskap", 68, 1.0),
                        more("Rektorer som har gått rektorsprogrammet", 82, 1.2),
                    ),
                ),
            ),
        ),
        AreaSpec(
            "Vuxenutbildning och livslångt lärande",
            False,
            (
                GoalSpec(
                    "Fler vuxna får en gymnasieutbildning",
                    (
                        less("25–64-åringar utan gymnasieutbildning", 12, 0.3),
                        more(
                            "Deltagare i kommunal vuxenutbildning per 1 000 invånare",
                            45,
                            0.8,
                            unit="deltagare per 1 000 invånare",
                            measure=Metric.Measure.QUANTITY,
                        ),
                    ),
                ),
                GoalSpec(
                    "Fler vuxna utbildar sig till ett yrke",
                    (
                        more(
                            "Deltagare i yrkesinriktad vuxenutbildning per 1 000 invånare",
                            14,
                            0.3,
                            unit="deltagare per 1 000 invånare",
                            measure=Metric.Measure.QUANTITY,
                        ),
                        more(
                            "Deltagare i arbete eller studier ett år efter yrkesutbildningen",
                            76,
                            0.8,
                        ),
                    ),
                ),
                GoalSpec(
                    "Lärcentrum möter arbetslivets behov",
                    (
                        more(
                            "Yrkeshögskoleutbildningar på lärcentrum",
                            5,
                            0.3,
                            unit="utbildningar",
                            measure=Metric.Measure.COUNT,
                            decimals=0,
                        ),
                        more("Arbetsgivare som är nöjda med lärcentrums utbildningar", 80, 0.6),
                    ),
                ),
                GoalSpec(
                    "Invånarna lär sig hela livet",
                    (
                        more("Vuxna som deltagit i en kurs det senaste året", 18, 0.4),
                        more("Kursdeltagare som är nöjda med vuxenutbildningen", 86, 0.4),
                    ),
                ),
            ),
        ),
    ),
)

# One theme to each focus area (in the order of both countries' areas), tagged on the first
# goal of the area, so that a theme page links Danish and Swedish goals on the same subject.
THEMES = (
    "Trivsel og tryghed",
    "Faglighed",
    "Overgang til ungdomsuddannelse",
    "Inklusion",
    "Rekruttering og kompetencer",
    "Voksen- og efteruddannelse",
)
THEME_DESCRIPTION = (
    "Illustrativt tema genereret af generate_national_data til demonstration af portalen."
)


SPECS = {spec.country: spec for spec in (DANISH, SWEDISH)}


def spec_of(organization: Organization) -> CountrySpec:
    return SPECS[organization.country]


def addresses(texts) -> list[str]:
    """Addresses for `texts` as `save()` makes them: from the first words, numbered if taken."""
    taken: list[str] = []
    for text in texts:
        taken.append(address_from(text, taken))
    return taken


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def generated(model):
    """The rows of `model` a previous run made: their addresses begin with `PREFIX`."""
    return model.objects.filter(slug__startswith=PREFIX)


class Command(BaseCommand):
    help = (
        "Build an illustrative national data set into the configured database: by default 98 "
        "Danish and 290 Swedish municipalities with 13 schools each, one published strategy "
        "each (6 focus areas × 4 goals × 2 indicators), 10 years of approved values with "
        "schools reporting on 3 shared metrics, and themes. Every value is marked "
        "illustrative and none of it is part of the seed. Refuses to build a second set; "
        "--replace deletes the previous one first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipalities-dk",
            type=int,
            default=98,
            metavar="N",
            help="Danish municipalities (default 98)",
        )
        parser.add_argument(
            "--municipalities-se",
            type=int,
            default=290,
            metavar="N",
            help="Swedish ones (default 290)",
        )
        parser.add_argument(
            "--schools",
            type=int,
            default=13,
            metavar="N",
            help="schools per municipality (default 13)",
        )
        size = parser.add_mutually_exclusive_group()
        size.add_argument(
            "--years", type=int, default=10, metavar="N", help="periods of values (default 10)"
        )
        size.add_argument(
            "--values",
            type=int,
            metavar="N",
            help="about N values in all, by building as many years as it takes",
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete a previously generated set first"
        )

    def handle(self, *args, **options):
        countries = [
            (DANISH, options["municipalities_dk"]),
            (SWEDISH, options["municipalities_se"]),
        ]
        schools = options["schools"]
        if any(count < 0 for _, count in countries) or not any(c for _, c in countries):
            raise CommandError("Build at least one municipality, and no negative number of them.")
        if schools < 1:
            raise CommandError("Each municipality needs at least one school to report values.")
        last = timezone.localdate().year - 1
        years = options["years"]
        if options["values"] is not None:
            years = max(1, round(options["values"] / values_a_period(countries, schools)))
        if not 1 <= years <= last - FIRST_YEAR + 1:
            raise CommandError(
                f"{years} years of values do not fit between {FIRST_YEAR} and {last}; build "
                "more municipalities or schools instead."
            )

        started = time.perf_counter()
        with transaction.atomic():
            if options["replace"]:
                deleted = delete_generated()
                self.stdout.write(
                    f"Deleted the previous illustrative set ({deleted:,} rows) in "
                    f"{time.perf_counter() - started:.1f} s."
                )
            elif any(generated(model).exists() for model in (Organization, Metric, Theme)):
                raise CommandError(
                    "The database already holds an illustrative national data set; run with "
                    "--replace to delete it and build a new one."
                )
            rng = random.Random(RANDOM_SEED)  # noqa: S311 -- made-up figures, no secrets
            built = Builder(rng, last=last, years=years).build(countries, schools)
            # Written in bulk, without the signals that retire cached pages.
            content_changed()
        if connection.vendor == "postgresql":
            # Until autovacuum gets to them, the planner's statistics describe the tables as
            # they were before the load: it took each table for a row or two and chose joins
            # that made the front page's headline query a quarter slower.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Built an illustrative national data set in {seconds:.1f} s, values of "
            f"{last - years + 1}–{last}:"
        )
        for label, count in built.items():
            self.stdout.write(f"  {count:>10,} {label}")


def values_a_period(countries: list[tuple[CountrySpec, int]], schools: int) -> int:
    """How many values one period adds: one for each of a municipality's own indicators, one
    a school for those its schools report."""
    return sum(
        count * sum(schools if m.reported_by_schools else 1 for _, m, _ in country.measures)
        for country, count in countries
    )


def delete_generated() -> int:
    """Delete every organization, metric and theme a previous run made, and what hangs on
    them; return how many rows. Refuses (CommandError) when a row outside the set depends on
    one of them, such as a reporting round an editor opened, and then deletes nothing."""
    organizations = generated(Organization)
    strategies = Strategy.objects.filter(owner__in=organizations)
    indicators = Indicator.objects.filter(organization__in=organizations)
    targets = GoalTarget.objects.filter(
        Q(goal__strategy__in=strategies) | Q(indicator__in=indicators)
    )
    deleted = 0
    # The bulk of a set goes in one statement a table: the ORM's delete would read every row
    # to send the signals that write history, a million values at the largest size.
    for rows in (
        IndicatorValue.objects.filter(
            Q(indicator__in=indicators) | Q(organization__in=organizations)
        ),
        Milestone.objects.filter(target__in=targets),
        TargetAssessment.objects.filter(target__in=targets),
        targets,
        Indicator.reporting_organizations.through.objects.filter(
            Q(indicator__in=indicators) | Q(organization__in=organizations)
        ),
        Goal.themes.through.objects.filter(goal__strategy__in=strategies),
        FocusArea.themes.through.objects.filter(focusarea__strategy__in=strategies),
        Action.objects.filter(strategy__in=strategies),
        Goal.objects.filter(strategy__in=strategies),
        FocusArea.objects.filter(strategy__in=strategies),
        indicators,
    ):
        deleted += rows._raw_delete(rows.db)
    try:
        # What is left is small; the ORM deletes it with whatever editors have added since
        # (memberships, terms) and refuses where a row outside the set depends on it.
        strategies.update(replaces=None)  # a new version may replace a generated strategy
        for rows in (
            strategies,
            organizations.exclude(parent=None),  # schools before their municipality
            organizations,
            generated(Metric),
            generated(Theme),
        ):
            deleted += rows.delete()[0]
    except (ProtectedError, RestrictedError) as error:
        raise CommandError(f"The illustrative set cannot be deleted: {error.args[0]}") from error
    return deleted


def decimal_of(value: float, decimals: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


def clamp(measure: MeasureSpec, value: float) -> float:
    """`value` within the measure's range: never negative, a percentage at most 100."""
    ceiling = 100.0 if measure.measure == Metric.Measure.PERCENT else float("inf")
    return min(max(value, 0.0), ceiling)


class Builder:
    """Builds one set, a level of the tree at a time, in bulk inserts with the addresses
    `save()` would have made (bulk_create does not call it)."""

    def __init__(self, rng: random.Random, *, last: int, years: int):
        self.rng = rng
        self.last = last
        self.periods = range(last - years + 1, last + 1)
        self.built: dict[str, int] = {}

    def create(self, label: str, model, objects) -> list:
        created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self.built[label] = self.built.get(label, 0) + len(created)
        return created

    def build(self, countries: list[tuple[CountrySpec, int]], schools: int) -> dict[str, int]:
        themes = self.create(
            "themes",
            Theme,
            (
                Theme(
                    name=f"{title} (illustrativt tema)",
                    slug=PREFIX + address_from(title, ()),
                    description=THEME_DESCRIPTION,
                )
                for title in THEMES
            ),
        )
        metrics, municipalities, schools_of = {}, [], {}
        for country, count in countries:
            if not count:
                continue
            metrics[country.country] = self.metrics_of(country)
            created = self.create(
                "municipalities",
                Organization,
                (
                    Organization(
                        name=country.municipality.format(n=n),
                        slug=PREFIX + country.municipality_slug.format(n=n),
                        kind=Organization.Kind.MUNICIPALITY,
                        country=country.country,
                        language=country.language,
                        description=country.not_real_municipality,
                    )
                    for n in range(1, count + 1)
                ),
            )
            their_schools = self.create(
                "schools",
                Organization,
                (
                    Organization(
                        name=country.school.format(n=n, s=s),
                        slug=PREFIX + country.school_slug.format(n=n, s=s),
                        kind=Organization.Kind.INSTITUTION,
                        country=country.country,
                        language=country.language,
                        parent=municipality,
                        description=country.not_real_school,
                    )
                    for n, municipality in enumerate(created, start=1)
                    for s in range(1, schools + 1)
                ),
            )
            schools_of.update(
                zip((m.pk for m in created), chunks(their_schools, schools), strict=True)
            )
            municipalities.extend(created)

        strategies = self.strategies(municipalities)
        areas = self.create(
            "focus areas",
            FocusArea,
            (
                FocusArea(strategy=strategy, order=a, title=area.title, slug=slug)
                for strategy in strategies
                for a, (area, slug) in enumerate(spec_of(strategy.owner).area_addresses)
            ),
        )
        goals = self.create(
            "goals",
            Goal,
            (
                Goal(strategy=area.strategy, focus_area=area, order=g, text=goal.text, slug=slug)
                for area in areas
                for g, (goal, slug) in enumerate(
                    spec_of(area.strategy.owner).goal_addresses[area.order]
                )
            ),
        )
        self.create(
            "goals tagged with a theme",
            Goal.themes.through,
            (
                Goal.themes.through(goal=goal, theme=themes[goal.focus_area.order])
                for goal in goals
                if goal.order == 0
            ),
        )
        indicators = self.create(
            "indicators",
            Indicator,
            (
                Indicator(
                    organization=municipality,
                    metric=metric,
                    name=measure.name,
                    slug=slug,
                    data_source=spec_of(municipality).value_source,
                )
                for municipality in municipalities
                for metric, (_, measure, slug) in zip(
                    metrics[municipality.country], spec_of(municipality).measures, strict=True
                )
            ),
        )
        self.create(
            "schools reporting an indicator",
            Indicator.reporting_organizations.through,
            (
                Indicator.reporting_organizations.through(indicator=indicator, organization=school)
                for indicator in indicators
                if indicator.metric.aggregation != Aggregation.OWN
                for school in schools_of[indicator.organization_id]
            ),
        )
        self.values_and_targets(strategies, goals, indicators, schools_of)
        # bulk_create sends no signals, so the targets are assessed here, all in one go;
        # illustrative data is no news for anyone following.
        self.built["stored assessments"] = refresh_assessments(
            GoalTarget.objects.filter(goal__strategy__in=strategies), record_updates=False
        )
        return self.built

    def metrics_of(self, country: CountrySpec) -> list[Metric]:
        """The country's 48 metrics, shared (no owner) so that its municipalities can be
        compared."""
        return self.create(
            "metrics",
            Metric,
            (
                Metric(
                    name=f"{measure.name} (illustrativ)",
                    slug=f"{PREFIX}{country.country.lower()}-{slug}",
                    definition=country.metric_definition.format(name=measure.name),
                    unit=measure.unit,
                    measure=measure.measure,
                    decimals=measure.decimals,
                    period_kind=PeriodKind.SCHOOL_YEAR
                    if area.school_year
                    else PeriodKind.CALENDAR_YEAR,
                    counts_pupils=measure.counts_pupils,
                    aggregation=measure.aggregation,
                    weight_label=measure.weight_label,
                    language=country.language,
                )
                for area, measure, slug in country.measures
            ),
        )

    def strategies(self, municipalities: list[Organization]) -> list[Strategy]:
        strategies = []
        for municipality in municipalities:
            country = spec_of(municipality)
            start = self.last - self.rng.randint(2, 5)
            end = self.last + self.rng.randint(2, 6)
            title = country.strategy_title.format(start=start, end=end)
            strategies.append(
                Strategy(
                    owner=municipality,
                    title=title,
                    slug=address_from(title, ()),
                    start_year=start,
                    end_year=end,
                    status=Strategy.Status.PUBLISHED,
                    language=country.language,
                    introduction=country.strategy_introduction,
                    focus_areas_heading=country.focus_areas_heading,
                    source_title=country.source_title,
                    source_year=self.last + 1,
                )
            )
        return self.create("strategies", Strategy, strategies)

    def values_and_targets(self, strategies, goals, indicators, schools_of) -> None:
        """The values of every indicator, inserted a batch at a time so that a million of them
        never sit in memory at once, and the target each indicator's goal sets on it."""
        values, targets = [], []
        # Every strategy has the same shape, in both countries: 24 goals, 48 indicators.
        for strategy, its_goals, its_indicators in zip(
            strategies,
            chunks(goals, len(goals) // len(strategies)),
            chunks(indicators, len(indicators) // len(strategies)),
            strict=True,
        ):
            municipality = strategy.owner
            for k, ((_, measure, _), indicator) in enumerate(
                zip(spec_of(municipality).measures, its_indicators, strict=True)
            ):
                aim = self.rng.choices(list(AIMED_STATUSES), weights=AIMED_STATUSES.values())[0]
                if measure.reported_by_schools:
                    series = self.schools_values(
                        measure, aim, indicator, schools_of[municipality.pk], values
                    )
                else:
                    series = self.own_values(measure, aim, indicator, values)
                goal = its_goals[k // 2]
                targets.append(self.target(measure, aim, series, goal, indicator, order=k % 2))
            if len(values) >= FLUSH_SIZE:
                self.create("values", IndicatorValue, values)
                values = []
        self.create("values", IndicatorValue, values)
        self.create("targets", GoalTarget, targets)

    def trend(self, measure: MeasureSpec, aim: Status) -> float:
        """The change a period: towards the target, or away from it."""
        better = 1 if measure.direction is Direction.AT_LEAST else -1
        way = -1 if aim is Status.MOVING_AWAY else 1
        return better * way * measure.step * self.rng.uniform(0.5, 1.5)

    def walk(self, measure: MeasureSpec, level: float, trend: float) -> list[tuple[int, Decimal]]:
        """A series that ends near `level` in the last period, `trend` a period before that."""
        walked = []
        for period in self.periods:
            value = level - trend * min(self.last - period, TREND_PERIODS)
            value += self.rng.uniform(-0.3, 0.3) * measure.step
            walked.append((period, decimal_of(clamp(measure, value), measure.decimals)))
        return walked

    @staticmethod
    def value(indicator, organization, period, value, weight=None) -> IndicatorValue:
        # By key rather than object: setting the related objects is a quarter of the time a
        # value takes to make, and the values are most of the rows.
        return IndicatorValue(
            indicator_id=indicator.pk,
            organization_id=organization.pk,
            period=period,
            value=value,
            weight=weight,
            source=indicator.data_source,
            is_illustrative=True,
            status=IndicatorValue.Status.APPROVED,
        )

    def level(self, measure: MeasureSpec, spread: float) -> float:
        """The measure's typical level, varied by up to `spread` (0.1: ±10 %). A percentage
        above 50 varies its distance from 100 instead, so that it stays below 100."""
        factor = self.rng.uniform(1 - spread, 1 + spread)
        if measure.measure == Metric.Measure.PERCENT and measure.level > 50:
            return 100 - (100 - measure.level) * factor
        return measure.level * factor

    def own_values(self, measure, aim, indicator, values) -> dict[int, float]:
        """The municipality's own series."""
        level = self.level(measure, 0.1)
        series = self.walk(measure, level, self.trend(measure, aim))
        values.extend(self.value(indicator, indicator.organization, p, v) for p, v in series)
        return {period: float(value) for period, value in series}

    def schools_values(self, measure, aim, indicator, schools, values) -> dict[int, float]:
        """Each school's series, and the municipality's made of them as the portal makes it,
        by the metric's aggregation."""
        reported = []
        for school in schools:
            level = self.level(measure, 0.4)
            weight = None
            if measure.aggregation is Aggregation.WEIGHTED_MEAN:
                weight = Decimal(self.rng.randint(150, 450))  # pupils who answered
            for period, value in self.walk(measure, level, self.trend(measure, aim)):
                values.append(self.value(indicator, school, period, value, weight))
                reported.append(
                    Reported(
                        school.pk,
                        period,
                        float(value),
                        weight=None if weight is None else float(weight),
                    )
                )
        combined = combine_values(
            reported,
            owner=indicator.organization_id,
            reporters=[school.pk for school in schools],
            aggregation=measure.aggregation,
        )
        return {point.period: point.value for point in combined.points}

    def target(self, measure, aim, series, goal, indicator, *, order: int) -> GoalTarget:
        """A target that gives `series` the `aim`ed status, its value set from how far the
        series has come since the baseline and how far the path to the target expects."""
        strategy = goal.strategy
        better = 1 if measure.direction is Direction.AT_LEAST else -1
        latest_period = max(series)
        latest = series[latest_period]
        baseline_period = max(min(series), strategy.start_year - 1)
        if aim is Status.NOT_ENOUGH_DATA or baseline_period >= latest_period:
            # A baseline in the latest period leaves no development to judge yet.
            baseline_period = latest_period
            value = latest + better * measure.step * self.rng.uniform(2, 5)
        elif aim is Status.TARGET_MET:
            value = latest - better * measure.step * self.rng.uniform(0.5, 2)
        else:
            baseline = series[baseline_period]
            achieved = better * (latest - baseline)
            if achieved > 0:
                # The straight path from the baseline expects `expected` by the latest period;
                # the series is on track when it has come at least 95 % of that
                # (progress.ON_TRACK_SHARE): up to 1.05 times what it achieved, not 1.3 times.
                pace = self.rng.uniform(*((0.8, 1.0) if aim is Status.ON_TRACK else (1.3, 2.0)))
                expected = achieved * pace
                stretch = (strategy.end_year - baseline_period) / (latest_period - baseline_period)
                value = baseline + better * expected * stretch
            else:
                value = baseline + better * measure.step * self.rng.uniform(2, 5)
        return GoalTarget(
            goal=goal,
            indicator=indicator,
            order=order,
            direction=measure.direction.value,
            baseline_period=baseline_period,
            baseline_value=decimal_of(series[baseline_period], measure.decimals),
            target_period=strategy.end_year,
            # Rounded the lenient way, so that a target built to be met is met.
            target_value=decimal_of(
                clamp(measure, value),
                measure.decimals,
                ROUND_FLOOR if better > 0 else ROUND_CEILING,
            ),
        )
