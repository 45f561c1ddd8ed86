from decimal import Decimal

import pytest

from indicators.plausibility import change, implausible_change


@pytest.mark.parametrize(
    ("previous", "current", "percent"),
    [("100", "125", "25"), ("100", "75", "25"), ("40", "400", "900"), ("0", "0", "0")],
)
def test_a_change_is_measured_as_a_share_of_the_previous_number(previous, current, percent):
    assert change(Decimal(previous), Decimal(current)).percent == Decimal(percent)


def test_a_rise_from_zero_has_no_percentage():
    found = change(Decimal(0), Decimal(3))

    assert found.percent is None
    assert found.is_rise


def test_without_a_previous_number_there_is_no_change():
    assert change(None, Decimal(3)) is None
    assert change(Decimal(3), None) is None


@pytest.mark.parametrize(
    ("current", "flagged"),
    [("125", False), ("125.01", True), ("75", False), ("74.99", True)],
)
def test_a_change_beyond_the_limit_is_flagged_and_one_on_it_is_not(current, flagged):
    found = implausible_change(Decimal(100), Decimal(current), 25)

    assert (found is not None) is flagged


def test_a_rise_from_zero_is_always_flagged_and_zero_to_zero_never():
    assert implausible_change(Decimal(0), Decimal(1), 25) is not None
    assert implausible_change(Decimal(0), Decimal(0), 25) is None


def test_a_metric_without_a_limit_is_never_checked():
    assert implausible_change(Decimal(1), Decimal(1000), None) is None
