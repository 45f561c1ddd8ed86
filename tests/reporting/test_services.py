from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from indicators import services
from indicators.models import IndicatorValue, Metric
from indicators.services import StaleValue, ValueEntry, entry_key
from tests.factories import GoalFactory, GoalTargetFactory, IndicatorFactory, StrategyFactory


def report(world, who="reporter at school A", *, period=2023, submit=True, **entry):
    entry.setdefault("indicator", world.indicator)
    entry.setdefault("value", Decimal(45))
    return services.value_report(
        organization=world.school_a,
        entries=[ValueEntry(period=period, **entry)],
        user=world.users[who],
        submit=submit,
    )[0]


def test_a_reporter_submits_a_value_for_approval(world):
    value = report(world, source="Elevregistrering", note="Pr. 5. september")

    assert value.status == IndicatorValue.Status.SUBMITTED
    assert value.entered_by == world.users["reporter at school A"]
    assert (value.source, value.note, value.revision) == ("Elevregistrering", "Pr. 5. september", 1)


def test_a_draft_stays_a_draft(world):
    assert report(world, submit=False).status == IndicatorValue.Status.DRAFT


def test_an_editor_approves_a_submitted_value(world):
    value = services.value_approve(value=world.submitted, user=world.users["editor at Herning"])

    assert value.status == IndicatorValue.Status.APPROVED
    assert value.reviewed_by == world.users["editor at Herning"]
    assert value.reviewed_at is not None


def test_a_rejection_needs_a_reason(world):
    with pytest.raises(ValidationError) as error:
        services.value_reject(
            value=world.submitted, user=world.users["editor at Herning"], reason=" "
        )

    assert error.value.message_dict["reason"] == [
        "Skriv en begrundelse, så indberetteren ved, hvad der skal rettes."
    ]
    world.submitted.refresh_from_db()
    assert world.submitted.status == IndicatorValue.Status.SUBMITTED


def test_a_rejected_value_is_corrected_and_resubmitted(world):
    editor = world.users["editor at Herning"]
    rejected = services.value_reject(
        value=world.submitted, user=editor, reason="Tallet er for højt"
    )
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Tallet er for højt")

    corrected = report(world, period=2022, value=Decimal(41), revision=rejected.revision)

    assert corrected.pk == world.submitted.pk
    assert corrected.status == IndicatorValue.Status.SUBMITTED
    assert corrected.value == 41
    assert corrected.rejection_reason == ""
    assert services.value_approve(value=corrected, user=editor).status == "approved"


def test_only_submitted_values_are_approved_or_rejected(world):
    editor = world.users["editor at Herning"]
    approved = services.value_approve(value=world.submitted, user=editor)

    with pytest.raises(ValidationError) as error:
        services.value_approve(value=approved, user=editor)

    assert error.value.messages == ["Kun indsendte tal kan godkendes eller afvises."]


def test_a_period_that_already_has_a_value_is_edited_not_duplicated(world):
    first = report(world, value=Decimal(45))

    second = report(world, value=Decimal(46), revision=first.revision)

    assert second.pk == first.pk
    assert second.revision == 2
    assert IndicatorValue.objects.filter(organization=world.school_a, period=2023).count() == 1


def test_a_value_changed_by_someone_else_after_the_form_opened_is_not_overwritten(world):
    first = report(world, value=Decimal(45))
    report(world, "editor at Herning", value=Decimal(47), revision=first.revision)

    with pytest.raises(ValidationError) as error:
        report(world, value=Decimal(46), revision=first.revision)

    message = error.value.message_dict[entry_key(world.indicator.pk, 2023)][0]
    assert "Tallet blev ændret af editor_herning" in message
    assert "Det står nu til 47" in message
    assert IndicatorValue.objects.get(pk=first.pk).value == 47


def test_stale_values_are_a_validation_error():
    assert issubclass(StaleValue, ValidationError)


def test_an_approved_value_is_locked_for_the_reporter(world):
    approved = services.value_approve(value=world.submitted, user=world.users["editor at Herning"])

    with pytest.raises(ValidationError) as error:
        report(world, period=2022, value=Decimal(1), revision=approved.revision)

    assert "Tallet er godkendt og kan ikke ændres her" in str(error.value)


@pytest.mark.parametrize(
    ("value", "period", "message"),
    [
        ("-5", 2023, "Værdien kan ikke være negativ."),
        ("4.5", 2023, "Et antal skal være et helt tal."),
        ("45", timezone.localdate().year + 1, "ligger i fremtiden."),
        ("45", 2019, "ligger før udgangspunktet 2020."),
    ],
)
def test_invalid_values_are_refused_with_a_message(world, value, period, message):
    with pytest.raises(ValidationError) as error:
        report(world, period=period, value=Decimal(value))

    assert message in error.value.message_dict[entry_key(world.indicator.pk, period)][0]
    assert not IndicatorValue.objects.filter(organization=world.school_a, period=period).exists()


def test_percentages_and_decimals_are_checked_by_the_indicator(world):
    percent = IndicatorFactory(
        organization=world.herning,
        name="Andel",
        metric__unit="%",
        metric__measure=Metric.Measure.PERCENT,
        metric__decimals=1,
        reporting_organizations=[world.school_a],
    )

    for value, message in [
        ("120", "En procentsats skal ligge mellem 0 og 100."),
        ("93.45", "Værdien må højst have 1 decimal."),
    ]:
        with pytest.raises(ValidationError) as error:
            report(world, indicator=percent, value=Decimal(value))
        assert error.value.message_dict[entry_key(percent.pk, 2023)] == [message]


def test_one_refused_value_saves_none_of_the_others(world):
    other = IndicatorFactory(
        organization=world.herning,
        name="Andet",
        metric__unit="elever",
        metric__measure=Metric.Measure.COUNT,
        reporting_organizations=[world.school_a],
    )

    with pytest.raises(ValidationError):
        services.value_report(
            organization=world.school_a,
            entries=[
                ValueEntry(world.indicator, 2023, Decimal(45)),
                ValueEntry(other, 2023, Decimal(-1)),
            ],
            user=world.users["reporter at school A"],
            submit=True,
        )

    assert not IndicatorValue.objects.filter(period=2023).exists()


def test_a_period_before_the_earliest_baseline_of_any_goal_is_refused(world):
    # A newer strategy measures the same series from 2018: 2019 may now be reported.
    GoalTargetFactory(
        goal=GoalFactory(focus_area__strategy=StrategyFactory(owner=world.herning)),
        indicator=world.indicator,
        baseline_period=2018,
        baseline_value=35,
    )

    assert report(world, period=2019).period == 2019
    with pytest.raises(ValidationError) as error:
        report(world, period=2017)
    assert (
        "ligger før udgangspunktet 2018."
        in error.value.message_dict[entry_key(world.indicator.pk, 2017)][0]
    )


def test_an_indicator_no_goal_measures_from_a_baseline_takes_any_past_period(world):
    loose = IndicatorFactory(organization=world.herning, reporting_organizations=[world.school_a])

    assert report(world, indicator=loose, period=2001, value=Decimal(3)).period == 2001


def test_a_reporter_cannot_report_for_another_school(world):
    with pytest.raises(PermissionDenied):
        report(world, "reporter at school B")


def test_a_reporter_cannot_report_an_indicator_their_school_does_not_report(world):
    world.indicator.reporting_organizations.remove(world.school_a)

    with pytest.raises(PermissionDenied):
        report(world)


def test_an_editor_of_another_municipality_cannot_review(world):
    with pytest.raises(PermissionDenied):
        services.value_approve(value=world.submitted, user=world.users["editor at Hillerød"])


def test_nobody_approves_a_value_they_entered_themselves(world):
    editor = world.users["editor at Herning"]
    own = report(world, "editor at Herning")

    with pytest.raises(ValidationError) as error:
        services.value_approve(value=own, user=editor)

    assert error.value.messages == [
        "Du kan ikke godkende et tal, du selv har indtastet. "
        "Bed en anden redaktør om at godkende det."
    ]
    own.refresh_from_db()
    assert own.status == IndicatorValue.Status.SUBMITTED


def test_a_superuser_approves_their_own_value_and_the_history_says_so(world):
    root = world.users["superuser"]
    own = report(world, "superuser")

    approved = services.value_approve(value=own, user=root)

    assert approved.status == IndicatorValue.Status.APPROVED
    assert approved.history.first().history_change_reason == services.SELF_APPROVED_REASON


def test_another_editors_approval_records_no_reason(world):
    own = report(world, "superuser")

    approved = services.value_approve(value=own, user=world.users["editor at Herning"])

    assert approved.history.first().history_change_reason == ""


def test_a_first_value_saved_by_someone_else_meanwhile_is_refused_as_stale(world, monkeypatch):
    # The race, made deterministic: the locked lookup finds nothing, as it does when another
    # request's first value is not yet committed; the insert then meets the unique constraint.
    other = report(world, "reporter at school A", value=Decimal(44))
    lookups = iter([None, other])
    monkeypatch.setattr(services, "_locked", lambda **kwargs: next(lookups))

    with pytest.raises(ValidationError) as error:
        report(world, value=Decimal(45))

    message = error.value.message_dict[entry_key(world.indicator.pk, 2023)][0]
    assert "Tallet blev ændret af reporter_a" in message
    assert "Det står nu til 44" in message
    assert IndicatorValue.objects.get(organization=world.school_a, period=2023).value == 44


def test_an_edit_outside_the_reporting_page_needs_the_right_to_edit(world):
    world.submitted.value = Decimal(1)

    with pytest.raises(PermissionDenied):
        services.value_edit(
            value=world.submitted, user=world.users["editor at Hillerød"], revision=1
        )
