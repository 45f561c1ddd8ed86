from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from goals.models import Goal, Strategy, StrategyStatus, StrategyTerm
from indicators.models import GoalTarget, IndicatorValue, ValueStatus
from municipalities.models import Organization
from strategyportal.seeding import SEED, SeedRefused, load_seed
from tests.conftest import SEED_DIR
from tests.factories import GoalFactory, UserFactory
from tests.indicators.test_stored_assessments import assert_stored_as_computed

pytestmark = pytest.mark.django_db

HEG_GOAL = ("heg", "strategi-2028", "aktivitet-1800-arselever")


def heg_target() -> GoalTarget:
    return GoalTarget.objects.get_by_natural_key(*HEG_GOAL, "arselever")


@pytest.fixture
def loaded(db):
    call_command("load_seed", verbosity=0)


@pytest.fixture
def staff(db):
    return UserFactory(username="redaktoer", is_staff=True)


def histories() -> dict[str, int]:
    """How many history records each kind has, its many-to-many history included."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }


def seed_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The seed as a later release might have it: with `old` replaced by `new`."""
    for path in SEED_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8").replace(old, new))
    return tmp_path


# What the tester changed as staff, which `load_seed --force` used to undo silently: the object
# as the command names it, how to read it, the field, the staff's value and who it names.
STAFF_CHANGES = {
    "an edited goal text": (
        "goals.goal heg/strategi-2028/aktivitet-1800-arselever",
        lambda: Goal.objects.get_by_natural_key(*HEG_GOAL),
        "text",
        "Rettet af redaktøren",
        "changed by redaktoer",
    ),
    "a changed target": (
        "indicators.goaltarget heg/strategi-2028/aktivitet-1800-arselever/arselever",
        heg_target,
        "target_value",
        Decimal(2000),
        "changed by redaktoer",
    ),
    "an unpublished strategy": (
        "goals.strategy heg/strategi-2028",
        lambda: Strategy.objects.get_by_natural_key("heg", "strategi-2028"),
        "status",
        StrategyStatus.DRAFT,
        "changed by redaktoer",
    ),
    "a rejected value": (
        "indicators.indicatorvalue heg/arselever/2023/heg",
        lambda: IndicatorValue.objects.get_by_natural_key("heg", "arselever", 2023, "heg"),
        "status",
        ValueStatus.REJECTED,
        "changed by redaktoer",
    ),
    "a renamed organization, a kind without history": (
        "municipalities.organization heg",
        lambda: Organization.objects.get_by_natural_key("heg"),
        "name",
        "HEG Himmerland",
        "changed by someone (this kind keeps no history)",
    ),
}


@pytest.mark.parametrize(
    ("name", "read", "field", "value", "who"), STAFF_CHANGES.values(), ids=STAFF_CHANGES.keys()
)
def test_what_staff_changed_survives_a_plain_load_and_makes_force_refuse_naming_it(
    loaded, staff, name, read, field, value, who
):
    obj = read()
    setattr(obj, field, value)
    obj._history_user = staff
    obj.save()
    records = histories()
    out = StringIO()

    call_command("load_seed", verbosity=2, stdout=out)
    with pytest.raises(CommandError) as refused:
        call_command("load_seed", "--force", verbosity=0)

    assert getattr(read(), field) == value
    assert f"kept {name} ({field}): {who}" in out.getvalue()
    assert f"{name} ({field}): {who}" in str(refused.value)
    assert histories() == records


def test_a_refused_force_adds_nothing_either(loaded, staff):
    goal = Goal.objects.get_by_natural_key(*HEG_GOAL)
    goal.text = "Rettet af redaktøren"
    goal._history_user = staff
    goal.save()
    term = StrategyTerm.objects.get(strategy=goal.strategy, term="Mission")
    term.delete()

    with pytest.raises(SeedRefused):
        load_seed(force=True)

    assert not StrategyTerm.objects.filter(pk=term.pk).exists()
    assert not StrategyTerm.objects.filter(strategy=goal.strategy, term="Mission").exists()


def test_a_missing_seeded_object_is_added_as_done_by_the_seed(loaded):
    # As if the database had been loaded from a seed that lacked the goal.
    goal = Goal.objects.get_by_natural_key(*HEG_GOAL)
    goal.save_without_historical_record()
    GoalTarget.objects.filter(goal=goal).delete()
    Goal.objects.filter(pk=goal.pk).delete()
    Goal.history.filter(id=goal.pk).delete()
    GoalTarget.history.filter(goal_id=goal.pk).delete()

    report = load_seed()

    added = Goal.objects.get_by_natural_key(*HEG_GOAL)
    assert [type(obj).__name__ for obj in report.added] == ["Goal", "GoalTarget"]
    assert [
        (record.history_type, record.history_change_reason, record.history_user)
        for record in added.history.all()
    ] == [("+", SEED, None)]
    assert_stored_as_computed()


def test_a_seeded_object_staff_deleted_is_not_added_again(loaded, staff):
    goal = Goal.objects.get_by_natural_key(*HEG_GOAL)
    goal._history_user = staff
    goal.delete()
    out = StringIO()

    call_command("load_seed", verbosity=2, stdout=out)

    assert not Goal.objects.filter(slug=HEG_GOAL[-1]).exists()
    assert (
        "not added: goals.goal heg/strategi-2028/aktivitet-1800-arselever was deleted"
        in out.getvalue()
    )
    # Its target went with it; it names the goal, so it cannot come back without it.
    assert "left out: indicators.goaltarget of goals.goal heg/strategi-2028" in out.getvalue()


def test_a_seeded_object_staff_gave_another_address_is_not_added_again(loaded, staff):
    goal = Goal.objects.get_by_natural_key(*HEG_GOAL)
    goal.slug = "aktivitet"
    goal._history_user = staff
    goal.save()

    report = load_seed()

    assert report.added == []
    assert report.gone == [
        "goals.goal heg/strategi-2028/aktivitet-1800-arselever "
        "is now goals.goal heg/strategi-2028/aktivitet"
    ]


def test_a_missing_object_of_a_kind_without_history_is_added_only_by_force(loaded):
    # Nothing says whether a person deleted it (or gave it another name) on purpose.
    StrategyTerm.objects.get(strategy__slug="strategi-2028", term="Mission").delete()

    assert load_seed().unsure == ["goals.strategyterm heg/strategi-2028/Mission"]
    assert [type(obj).__name__ for obj in load_seed(force=True).added] == ["StrategyTerm"]
    assert StrategyTerm.objects.filter(strategy__slug="strategi-2028", term="Mission").exists()


def test_a_new_object_of_a_kind_without_history_is_added_with_what_it_belongs_to(loaded, tmp_path):
    seed_dir = seed_copy(tmp_path, "", "")
    (seed_dir / "08_new.yaml").write_text(NEW_METRIC_WITH_A_FIGURE, encoding="utf-8")

    report = load_seed(seed_dir=seed_dir)

    assert [type(obj).__name__ for obj in report.added] == ["Metric", "ReferenceFigure"]
    assert report.unsure == ["goals.theme ny-tema"]


NEW_METRIC_WITH_A_FIGURE = """
- model: goals.theme
  fields: {slug: ny-tema, name: Nyt tema}
- model: indicators.metric
  fields: {slug: ny-maaling, name: Ny måling, unit: "%", measure: percent, decimals: 1,
           period_kind: calendar_year, language: da}
- model: indicators.referencefigure
  fields: {metric: [ny-maaling], label: Landet, country: DK, period: 2020, value: "90.0"}
"""


def test_force_updates_what_only_the_seed_wrote_and_records_it_as_the_seed(loaded, tmp_path):
    seed_dir = seed_copy(tmp_path, "    value: 1384\n", "    value: 1400\n")

    kept = load_seed(seed_dir=seed_dir).kept
    assert [(d.fields, d.changed_by) for d in kept] == [(["value"], None)]
    report = load_seed(seed_dir=seed_dir, force=True)

    value = IndicatorValue.objects.get_by_natural_key("heg", "arselever", 2023, "heg")
    assert report.updated == [value]
    assert value.value == 1400
    latest = value.history.first()
    assert (latest.history_type, latest.history_change_reason, latest.history_user) == (
        "~",
        SEED,
        None,
    )
    # The target's stored assessment follows the approved value it rests on.
    assert heg_target().stored_assessment.latest_value == 1400
    assert_stored_as_computed()


def test_objects_staff_created_are_never_touched(loaded, tmp_path):
    strategy = Strategy.objects.get_by_natural_key("heg", "strategi-2028")
    own = GoalFactory(strategy=strategy, slug="eget-maal", text="Redaktørens eget mål")

    changed_seed = seed_copy(tmp_path, "Skolens aktivitet", "Skolens samlede aktivitet")

    load_seed(seed_dir=changed_seed, force=True)

    assert Goal.objects.get_by_natural_key(*HEG_GOAL).text.startswith("Skolens samlede")
    own.refresh_from_db()
    assert own.text == "Redaktørens eget mål"
    assert own.history.count() == 1


def test_the_seed_loads_into_an_empty_database_as_done_by_the_seed():
    report = load_seed()

    assert Strategy.objects.count() == 5
    assert Goal.history.count() == Goal.objects.count() == 62
    assert set(Goal.history.values_list("history_change_reason", "history_user")) == {(SEED, None)}
    assert (report.kept, report.gone, report.unsure, report.left_out) == ([], [], [], [])
    assert_stored_as_computed()


def test_loading_again_with_or_without_force_writes_nothing(loaded):
    records = histories()

    assert load_seed().added == []
    assert load_seed(force=True).updated == []
    assert histories() == records


def test_a_seed_loaded_with_loaddata_gets_its_first_history_from_load_seed(seed):
    report = load_seed()

    assert report.added == []
    assert Goal.history.filter(history_change_reason=SEED).count() == 62
