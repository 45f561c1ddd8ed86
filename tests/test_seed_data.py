"""The seed fixtures hold the five source documents faithfully and load idempotently."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from goals.models import FocusArea, Goal, Mentorship, Strategy, StrategyTerm, Theme, WorkingModel
from indicators.models import GoalTarget, Indicator, IndicatorValue
from municipalities.models import Organization
from tests.conftest import SEED_DIR

pytestmark = pytest.mark.django_db

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"

# Lines of the sources that are web-page chrome or stored as structure rather than text.
NOT_CONTENT = {
    "spring menu over",
    "hillerød kommune - logo",
    "image",
    "har du frågor?",
    "ta gärna kontakt med någon av oss",
    "oktober 2023",  # Strategy.source_year and source_month
    "formål med strategi 2028",  # the heading of Strategy.purpose
}
CHROME_FRAGMENTS = ["läs mer.."]

# Noise of the sources' extraction (PDF and web page) that the seed leaves out: each pattern is
# no part of any word of the document, and the source line is compared without it. Each
# pattern is found in a source (a test says so), and in no seed text (another test).
ARTEFACTS = [
    # 002 (HEG), Faciliteter: "… 25 kvadratmeter pr. elev (/prisparameter)", a leftover
    # reference after the sentence.
    (re.compile(r" \(/prisparameter\)"), ""),
    # 003 (Nitus): "skapa enplattform", a space lost between two words.
    (re.compile(r"\benplattform\b"), "en plattform"),
    # 000 (Herning): "uddannelsesformater og - tilgange", a space after the hyphen that stands
    # for "uddannelses" in the shortened compound "-tilgange".
    (re.compile(r"(?<=\bog -) (?=\w)"), ""),
    # 004 (Hillerød): "’åbent-hus ’-arrangementer", a space before the closing quote.
    (re.compile(r"(?<=\w) (?=’-)"), ""),
]


def normalize(text: str) -> str:
    """Compare words, not typography: markdown, bullets, dashes, quotes and spaces aside."""
    text = text.replace("\xa0", " ").casefold()
    text = re.sub(r"[*#\\]+", "", text)
    text = re.sub(r"[–—]", "-", text)
    text = re.sub(r"[“”„»«]", '"', text)
    for fragment in CHROME_FRAGMENTS:
        text = text.replace(fragment, "")
    return re.sub(r"\s+", " ", text).strip()


def source_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        for pattern, replacement in ARTEFACTS:
            raw = pattern.sub(replacement, raw)
        line = normalize(raw)
        line = re.sub(r"^(•|-|\d+\.)\s*", "", line).strip()
        if line and line not in NOT_CONTENT and not re.fullmatch(r"-+", line):
            lines.append(line)
    return lines


def seeded_models() -> list:
    """The project's models, without the history that records changes to them and the
    tables only PostgreSQL has (search's word list)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"municipalities", "goals", "indicators"}
        and model._meta.managed
        and not model.__name__.startswith("Historical")
    ]


def seeded_texts() -> list[str]:
    """Every text the seed data holds, as stored."""
    pieces = []
    for model in seeded_models():
        text_fields = [
            field.name
            for field in model._meta.get_fields()
            if field.get_internal_type() in {"CharField", "TextField"}
        ]
        if text_fields:
            for values in model.objects.values_list(*text_fields):
                pieces.extend(values)
    return pieces


def stored_text() -> str:
    """Every text the seed data holds, plus the composites a page shows (label and title)."""
    pieces = seeded_texts()
    pieces += [f"{area.label} - {area.title}" for area in FocusArea.objects.exclude(label="")]
    pieces += [f"{term.term}: {term.explanation}" for term in StrategyTerm.objects.all()]
    pieces += [f"kilde: {term.source}" for term in StrategyTerm.objects.all()]
    pieces += [
        f"{organization.name}, {organization.locality}"
        for organization in Organization.objects.exclude(locality="")
    ]
    return normalize("\n".join(pieces))


def missing_lines(source: Path) -> list[str]:
    corpus = stored_text()
    return [line for line in source_lines(source) if line not in corpus]


@pytest.mark.parametrize("source", sorted(SOURCES.glob("*.txt")), ids=lambda path: path.stem)
def test_every_heading_bullet_and_line_of_each_source_is_in_the_data(seed, source):
    assert missing_lines(source) == []


def test_a_word_missing_beside_an_artefact_is_still_missing(seed):
    # The sentence that ended in "(/prisparameter)" is both Faciliteter's ambition and a goal.
    area = FocusArea.objects.get_by_natural_key("heg", "strategi-2028", "faciliteter")
    area.ambition = area.ambition.replace("25 kvadratmeter pr. elev", "25 pr. elev")
    area.save()
    goal = Goal.objects.get_by_natural_key("heg", "strategi-2028", "areal-pr-elev")
    goal.text = goal.text.replace("25 kvadratmeter pr. elev", "25 pr. elev")
    goal.save()

    missing = missing_lines(SOURCES / "002_b4932cc6505479da.txt")

    assert [line for line in missing if "kvadratmeter" in line] == [
        "heg har en effektiv udnyttelse af skolens areal og anvender gennemsnitligt maksimalt "
        "25 kvadratmeter pr. elev"
    ]


@pytest.mark.parametrize(
    "pattern", [pattern for pattern, _ in ARTEFACTS], ids=lambda pattern: pattern.pattern
)
def test_every_artefact_left_out_is_in_a_source(pattern):
    sources = [path.read_text(encoding="utf-8") for path in SOURCES.glob("*.txt")]

    assert any(pattern.search(text) for text in sources)


def test_no_seeded_text_holds_an_artefact_or_stray_spacing(seed):
    # The comparison forgives no-break and doubled spaces, so the seed must not rely on that.
    noise = [pattern for pattern, _ in ARTEFACTS] + [
        re.compile("[\xa0\xad]"),  # no-break space, soft hyphen
        re.compile(r"[^\S\n]{2,}|[^\S\n]$|^[^\S\n]", re.MULTILINE),  # doubled, leading, trailing
    ]

    noisy = [text for text in seeded_texts() if any(p.search(text) for p in noise)]

    assert noisy == []


def test_loading_the_seed_twice_changes_nothing(seed):
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label != "auth" and model._meta.managed
    ]
    before = {model: model.objects.count() for model in models}

    call_command("loaddata", *sorted(SEED_DIR.glob("*.yaml")), verbosity=0)

    assert {model: model.objects.count() for model in models} == before


def test_every_seeded_object_is_valid(seed):
    for model in seeded_models():
        for obj in model.objects.all():
            obj.full_clean()


@pytest.mark.parametrize(
    ("owner", "strategy", "focus_areas", "goals", "actions", "source_file"),
    [
        ("herning-kommune", "uddannelsesstrategi", 5, 10, 0, "000_a20b928e8c628baf.txt"),
        ("herning-kommune", "born-og-laering", 3, 29, 10, "001_e7f674a7bff839b6.txt"),
        ("heg", "strategi-2028", 8, 2, 0, "002_b4932cc6505479da.txt"),
        ("nitus", "modellkommun-for-larcentra-2022", 4, 0, 0, "003_ac23071c9665ac08.txt"),
        ("hillerod-kommune", "uddannelsesstrategi", 6, 21, 0, "004_3e7349a801173147.txt"),
    ],
)
def test_each_document_has_its_focus_areas_goals_and_actions(
    seed, owner, strategy, focus_areas, goals, actions, source_file
):
    strategy = Strategy.objects.get_by_natural_key(owner, strategy)

    assert strategy.focus_areas.count() == focus_areas
    assert strategy.goals.count() == goals
    assert strategy.actions.count() == actions
    assert strategy.source_file == source_file
    assert strategy.is_published


def test_five_strategies_of_four_organizations_herning_with_two(seed):
    assert Strategy.objects.count() == 5
    assert Strategy.objects.filter(owner__slug="herning-kommune").count() == 2


def test_herning_nests_its_four_fokuspunkter_under_maal_3(seed):
    maal_3 = FocusArea.objects.get_by_natural_key("herning-kommune", "uddannelsesstrategi", "mal-3")

    assert maal_3.label == "Mål 3"
    assert [area.title for area in maal_3.children.order_by("order")] == [
        "Fastholdelse af uddannelser",
        "Tiltrækning af nye uddannelser",
        "Variation i uddannelsesudbuddet",
        "Udvikling af nye uddannelsesformater og -tilgange",
    ]


def test_heg_has_mission_vision_values_and_eight_focus_areas(seed):
    strategy = Strategy.objects.get_by_natural_key("heg", "strategi-2028")

    assert strategy.mission.startswith('"Gennem lærings- og dannelsesprocesser')
    assert strategy.vision.startswith('"Himmerlands Erhvervs- og Gymnasieuddannelser styrker')
    assert "anerkendende samarbejde" in strategy.values
    assert [area.title for area in strategy.focus_areas.order_by("order")] == [
        "Læring",
        "Rekruttering",
        "Organisation",
        "Faciliteter",
        "Omverden",
        "Økonomi",
        "Internationalt",
        "Bæredygtighed",
    ]


@pytest.mark.parametrize(
    ("owner", "slug", "direction", "target", "target_period", "unit", "measure"),
    [
        ("heg", "arselever", "at_least", 1800, 2028, "årselever", "quantity"),
        ("heg", "areal-pr-elev", "at_most", 25, 2028, "m² pr. elev", "quantity"),
        (
            "herning-kommune",
            "andel-unge-med-ungdomsuddannelse",
            "at_least",
            95,
            None,
            "%",
            "percent",
        ),
        (
            "herning-kommune",
            "distrikter-med-pladsgaranti",
            "at_least",
            13,
            None,
            "distrikter",
            "count",
        ),
        (
            "hillerod-kommune",
            "praktikvejledere-med-vejlederuddannelse",
            "at_least",
            100,
            None,
            "%",
            "percent",
        ),
        (
            "hillerod-kommune",
            "tilbudt-struktureret-onboarding",
            "at_least",
            100,
            None,
            "%",
            "percent",
        ),
    ],
)
def test_every_measurable_target_has_its_numbers_and_direction(
    seed, owner, slug, direction, target, target_period, unit, measure
):
    goal_target = GoalTarget.objects.get(
        goal__strategy__owner__slug=owner, indicator__organization__slug=owner, indicator__slug=slug
    )

    assert goal_target.direction == direction
    assert goal_target.target_value == target
    assert goal_target.target_period == target_period
    assert goal_target.indicator.unit == unit
    assert goal_target.indicator.measure == measure


def test_hegs_growth_target_starts_at_the_published_1384_with_five_percent_a_year(seed):
    indicator = Indicator.objects.get_by_natural_key("heg", "arselever")
    target = indicator.targets.get()
    value = IndicatorValue.objects.get(indicator=indicator)

    assert target.goal.strategy.title == "Strategi 2028"
    assert (target.baseline_period, target.baseline_value) == (2023, 1384)
    assert (target.target_period, target.target_value) == (2028, 1800)
    assert target.stated_annual_growth == Decimal(5)
    assert (value.period, value.value, value.status) == (2023, 1384, "approved")
    assert "heguddannelser.dk" in value.source
    assert not value.is_illustrative


def test_hernings_95_percent_is_one_series_that_both_herning_documents_can_target(seed):
    indicator = Indicator.objects.get_by_natural_key(
        "herning-kommune", "andel-unge-med-ungdomsuddannelse"
    )
    education_goal = Strategy.objects.get_by_natural_key(
        "herning-kommune", "uddannelsesstrategi"
    ).goals.first()

    target = GoalTarget(
        goal=education_goal, indicator=indicator, direction="at_least", target_value=95
    )
    target.full_clean()
    target.save()

    assert indicator.metric.is_shared
    assert {t.goal.strategy.slug for t in indicator.targets.all()} == {
        "born-og-laering",
        "uddannelsesstrategi",
    }


def test_no_seeded_value_is_illustrative(seed):
    assert not IndicatorValue.objects.filter(is_illustrative=True).exists()


def test_nitus_has_ten_learning_centres_four_themes_and_five_pairs(seed):
    nitus = Organization.objects.get(slug="nitus")

    assert nitus.network_memberships.count() == 10
    assert Theme.objects.filter(network=nitus).count() == 4
    assert Mentorship.objects.filter(programme__owner=nitus, year=2022).count() == 5
    assert WorkingModel.objects.filter(mentorships__programme__owner=nitus).count() == 5
    assert WorkingModel.objects.get(slug="motorfunktionen").organization.name == "Reveljen"
    assert WorkingModel.objects.get(slug="semaforen").started_year == 2016
