"""The progress rules on their own: plain values in, assessments out, no database."""

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from indicators.progress import (
    Aggregation,
    Coverage,
    Direction,
    PathShape,
    Point,
    Reported,
    Status,
    Target,
    assess,
    combine_values,
    count_by_status,
    expected_path,
    implied_growth,
)
from indicators.wording import summarize

HEG_STUDENTS = Target(
    direction=Direction.AT_LEAST,
    value=1800,
    period=2028,
    baseline=Point(2023, 1384),
    stated_growth=5,
)
HEG_AREA = Target(direction=Direction.AT_MOST, value=25, period=2028, baseline=Point(2023, 30))


def points(*pairs):
    return [Point(period, value) for period, value in pairs]


# HEG's 1,800 årselever ------------------------------------------------------------------------


def test_hegs_path_grows_compound_at_the_implied_rate_of_about_5_4_percent():
    path, shape = expected_path(HEG_STUDENTS, HEG_STUDENTS.baseline)
    expected = {point.period: point.value for point in path}

    assert shape is PathShape.COMPOUND
    assert implied_growth(Point(2023, 1384), Point(2028, 1800)) == pytest.approx(5.4, abs=0.05)
    assert round(expected[2024]) == 1459
    assert round(expected[2026]) == 1620
    assert list(expected) == [2023, 2024, 2025, 2026, 2027, 2028]


def test_the_stated_five_percent_is_shown_beside_the_implied_rate_not_used():
    assessment = assess(HEG_STUDENTS, points((2024, 1500)))

    assert assessment.stated_growth == 5
    assert assessment.implied_growth == pytest.approx(5.397, abs=0.001)


@pytest.mark.parametrize(
    ("value_2024", "status"),
    [
        (1500, Status.ON_TRACK),
        (1459, Status.ON_TRACK),
        (1400, Status.BEHIND),
        (1384, Status.BEHIND),
        (1350, Status.MOVING_AWAY),
        (1800, Status.TARGET_MET),
    ],
)
def test_hegs_2024_value_is_judged_against_the_path(value_2024, status):
    assert assess(HEG_STUDENTS, points((2024, value_2024))).status is status


def test_the_gap_to_the_path_is_in_the_indicators_own_unit():
    assessment = assess(HEG_STUDENTS, points((2024, 1400)))

    assert assessment.expected == pytest.approx(1458.7, abs=0.1)
    assert assessment.gap == pytest.approx(-58.7, abs=0.1)
    assert assessment.ahead_of_path is False


def test_progress_is_the_share_of_the_way_from_baseline_to_target():
    assessment = assess(HEG_STUDENTS, points((2024, 1592)))

    assert assessment.progress == pytest.approx(50.0)


def test_at_hegs_pace_of_8_percent_the_target_is_reached_in_2027():
    assessment = assess(HEG_STUDENTS, points((2024, 1495)))

    assert assessment.forecast.shape is PathShape.COMPOUND
    assert assessment.forecast.pace == pytest.approx(8.0, abs=0.1)
    assert assessment.forecast.period == 2027
    assert assessment.forecast.on_time is True


def test_at_a_slow_pace_the_target_is_reached_after_its_period():
    assessment = assess(HEG_STUDENTS, points((2024, 1420), (2025, 1456)))

    assert assessment.forecast.pace == pytest.approx(2.57, abs=0.01)
    assert assessment.forecast.period == 2034
    assert assessment.forecast.on_time is False


def test_the_pace_is_fitted_over_every_value_not_just_the_last_two():
    noisy = assess(HEG_STUDENTS, points((2024, 1500), (2025, 1480), (2026, 1650)))
    last_two_only = (1650 / 1480) - 1

    assert noisy.forecast.pace / 100 != pytest.approx(last_two_only, abs=0.001)
    assert noisy.forecast.pace == pytest.approx(5.27, abs=0.01)


# The edge cases the issue names -----------------------------------------------------------------


def test_no_values_give_not_enough_data_and_no_numbers():
    assessment = assess(HEG_STUDENTS, [])

    assert assessment.status is Status.NOT_ENOUGH_DATA
    assert assessment.latest is None
    assert assessment.progress is None
    assert assessment.gap is None
    assert assessment.forecast is None
    assert len(assessment.path) == 6


def test_one_value_without_a_baseline_is_not_enough_to_judge_a_direction():
    target = Target(direction=Direction.AT_LEAST, value=95)

    assessment = assess(target, points((2024, 80)))

    assert assessment.status is Status.NOT_ENOUGH_DATA
    assert assessment.progress is None
    assert assessment.forecast is None


def test_one_value_that_meets_the_target_is_enough():
    target = Target(direction=Direction.AT_LEAST, value=95)

    assessment = assess(target, points((2024, 96)))

    assert assessment.status is Status.TARGET_MET
    assert assessment.progress == 100


def test_a_value_only_in_the_baseline_period_is_not_yet_a_development():
    assessment = assess(HEG_STUDENTS, points((2023, 1384)))

    assert assessment.status is Status.NOT_ENOUGH_DATA
    assert assessment.progress is None
    assert assessment.forecast is None


def test_a_baseline_equal_to_the_target_is_met_and_stays_flat():
    target = Target(direction=Direction.AT_LEAST, value=13, period=2026, baseline=Point(2023, 13))

    assessment = assess(target, points((2024, 13)))

    assert assessment.status is Status.TARGET_MET
    assert assessment.progress == 100
    assert {point.value for point in assessment.path} == {13}


def test_baseline_zero_with_compound_growth_falls_back_to_a_straight_line():
    target = Target(
        direction=Direction.AT_LEAST,
        value=100,
        period=2027,
        baseline=Point(2023, 0),
        stated_growth=10,
    )

    assessment = assess(target, points((2024, 30)))

    assert assessment.shape is PathShape.LINEAR
    assert assessment.expected_by_period == {2023: 0, 2024: 25, 2025: 50, 2026: 75, 2027: 100}
    assert assessment.implied_growth is None
    assert assessment.status is Status.ON_TRACK
    assert assessment.forecast.shape is PathShape.LINEAR
    assert assessment.forecast.period == 2027


def test_a_target_already_met_at_baseline_keeps_full_progress_while_it_holds():
    target = Target(direction=Direction.AT_MOST, value=25, period=2028, baseline=Point(2023, 22))

    assert assess(target, points((2024, 24))).progress == 100
    assert assess(target, points((2024, 24))).status is Status.TARGET_MET


def test_a_target_met_at_baseline_and_then_lost_has_no_progress_and_moves_away():
    target = Target(direction=Direction.AT_MOST, value=25, period=2028, baseline=Point(2023, 22))

    assessment = assess(target, points((2024, 26)))

    assert assessment.progress == 0
    assert assessment.status is Status.MOVING_AWAY


def test_a_value_beyond_the_target_is_met_with_progress_clamped_to_100():
    assessment = assess(HEG_STUDENTS, points((2025, 2100)))

    assert assessment.status is Status.TARGET_MET
    assert assessment.progress == 100
    assert assessment.forecast.period == 2025


def test_after_the_target_period_an_unmet_target_is_missed_and_the_forecast_late():
    assessment = assess(HEG_STUDENTS, points((2026, 1600), (2029, 1790)))

    assert assessment.deadline_passed
    assert assessment.status is Status.MISSED
    assert assessment.expected == 1800
    assert assessment.gap == pytest.approx(-10)
    assert assessment.forecast.period == 2030
    assert assessment.forecast.on_time is False


def test_after_the_target_period_a_met_target_is_met():
    assessment = assess(HEG_STUDENTS, points((2029, 1810)))

    assert assessment.status is Status.TARGET_MET


def test_missing_years_in_between_are_read_off_the_path_for_the_latest_year():
    assessment = assess(HEG_STUDENTS, points((2026, 1625)))

    assert assessment.expected == pytest.approx(1620.4, abs=0.1)
    assert assessment.status is Status.ON_TRACK
    assert assessment.forecast.period == 2028


def test_a_ceiling_approached_from_above_and_then_exceeded_again():
    series = points((2024, 28), (2025, 24))
    assert assess(HEG_AREA, series).status is Status.TARGET_MET

    assessment = assess(HEG_AREA, [*series, Point(2026, 26)])

    assert assessment.status is Status.ON_TRACK  # 26 m² is below the 27 m² the path expects
    assert assessment.expected == pytest.approx(27)
    assert assessment.progress == pytest.approx(80)
    assert assessment.ahead_of_path is True


def test_a_ceiling_path_is_a_straight_line_down():
    path, shape = expected_path(HEG_AREA, HEG_AREA.baseline)

    assert shape is PathShape.LINEAR
    assert [point.value for point in path] == pytest.approx([30, 29, 28, 27, 26, 25])


def test_a_percentage_at_100_meets_a_100_percent_target():
    target = Target(direction=Direction.AT_LEAST, value=100, baseline=Point(2023, 80))

    assessment = assess(target, points((2024, 100)))

    assert assessment.status is Status.TARGET_MET
    assert assessment.progress == 100


def test_a_school_year_series_is_assessed_on_the_starting_years():
    target = Target(direction=Direction.AT_LEAST, value=95, period=2027, baseline=Point(2023, 85))

    assessment = assess(target, points((2024, 87.5), (2025, 90)))

    assert assessment.status is Status.ON_TRACK
    assert assessment.forecast.period == 2027


def test_negative_stated_growth_for_an_at_most_target_follows_a_falling_compound_path():
    target = Target(
        direction=Direction.AT_MOST,
        value=25,
        period=2028,
        baseline=Point(2023, 30),
        stated_growth=-3,
    )

    assessment = assess(target, points((2024, 28.5)))

    assert assessment.shape is PathShape.COMPOUND
    assert assessment.implied_growth == pytest.approx(-3.58, abs=0.01)
    assert assessment.expected == pytest.approx(28.93, abs=0.01)
    assert assessment.status is Status.ON_TRACK
    assert assessment.forecast.period == 2027


def test_a_stated_rate_alone_drives_the_path_when_there_is_no_target_value():
    target = Target(
        direction=Direction.AT_LEAST,
        value=None,
        period=2025,
        baseline=Point(2023, 1000),
        stated_growth=5,
    )

    assessment = assess(target, points((2024, 1040)))

    assert assessment.expected_by_period == pytest.approx({2023: 1000, 2024: 1050, 2025: 1102.5})
    assert assessment.status is Status.BEHIND  # 40 of the 50 expected is 80 %, not 95 %
    assert assess(target, points((2024, 1048))).status is Status.ON_TRACK
    assert assessment.progress is None


def test_the_path_runs_through_milestones():
    target = Target(
        direction=Direction.AT_LEAST,
        value=100,
        period=2027,
        baseline=Point(2023, 0),
        milestones=(Point(2024, 60),),
    )

    assessment = assess(target, points((2025, 60)))

    assert assessment.expected_by_period == pytest.approx(
        {2023: 0, 2024: 60, 2025: 73.33, 2026: 86.67, 2027: 100}, abs=0.01
    )
    assert assessment.gap == pytest.approx(-13.33, abs=0.01)
    # Below the milestones' path, but 30 a year reaches 100 in 2027: the verdict is the
    # forecast's, so it never contradicts the sentence beside it.
    assert assessment.forecast.period == 2027
    assert assessment.status is Status.ON_TRACK


def test_a_range_aims_for_its_nearer_bound():
    target = Target(
        direction=Direction.RANGE, value=10, upper=20, period=2026, baseline=Point(2023, 26)
    )

    assessment = assess(target, points((2024, 24)))

    assert assessment.path[-1] == Point(2026, 20)
    assert assessment.status is Status.ON_TRACK
    assert assess(target, points((2024, 15))).status is Status.TARGET_MET
    # From 6 above the range to 5 below it, and still falling 21 a year: away from it.
    assert assess(target, points((2024, 5))).status is Status.MOVING_AWAY


def test_without_a_target_period_moving_toward_the_target_is_on_track():
    target = Target(direction=Direction.AT_LEAST, value=95, baseline=Point(2023, 85))

    improving = assess(target, points((2024, 88)))

    assert improving.status is Status.ON_TRACK
    assert improving.path == ()
    assert improving.forecast.period == 2027
    assert improving.forecast.on_time is None
    assert assess(target, points((2024, 85))).status is Status.BEHIND
    assert assess(target, points((2024, 80))).status is Status.MOVING_AWAY


def test_a_pace_in_the_wrong_direction_never_reaches_the_target():
    assessment = assess(HEG_STUDENTS, points((2024, 1350)))

    assert not assessment.forecast.reached
    assert assessment.forecast.on_time is False


# Combining values of several organizations and counting statuses ------------------------------


MUNICIPALITY = 1
SCHOOLS = [2, 3, 4, 5]


def combined(rows, aggregation, reporters=SCHOOLS):
    """`rows` are `(organization, period, value)` or `(organization, period, value, weight)`."""
    return combine_values(
        [Reported(*row) for row in rows],
        owner=MUNICIPALITY,
        reporters=reporters,
        aggregation=aggregation,
    )


def test_the_owners_own_value_is_the_series_and_schools_only_compare():
    result = combined([(1, 2024, 90.0), (2, 2024, 80.0), (3, 2024, 85.0)], Aggregation.OWN)

    assert result.points == (Point(2024, 90.0),)
    assert result.coverage == {}


def test_without_an_owners_value_an_own_series_has_nothing_even_when_every_school_reports():
    rows = [(school, 2024, 80.0) for school in SCHOOLS]

    assert combined(rows, Aggregation.OWN).points == ()


@pytest.mark.parametrize("aggregation", [Aggregation.SUM, Aggregation.MEAN])
def test_the_owners_own_value_wins_over_what_the_schools_add_up_to(aggregation):
    rows = [(1, 2024, 1000.0), *[(school, 2024, 300.0) for school in SCHOOLS]]

    result = combined(rows, aggregation)

    assert result.points == (Point(2024, 1000.0),)
    assert result.coverage == {}


def test_a_summed_indicator_adds_the_schools_when_all_have_reported():
    result = combined(
        [(2, 2024, 300.0), (3, 2024, 200.0), (2, 2025, 310.0)], Aggregation.SUM, reporters=[2, 3]
    )

    assert result.points == (Point(2024, 500.0),)  # 2025 lacks school 3, so it is no total
    assert result.coverage == {2024: Coverage(counted=2, of=2)}


def test_the_owner_among_its_reporters_is_not_one_of_the_schools_counted():
    result = combined(
        [(2, 2024, 300.0), (3, 2024, 200.0)], Aggregation.SUM, reporters=[MUNICIPALITY, 2, 3]
    )

    assert result.points == (Point(2024, 500.0),)
    assert result.coverage == {2024: Coverage(counted=2, of=2)}


def test_a_mean_is_the_plain_mean_of_the_schools_that_reported():
    result = combined([(2, 2024, 80.0), (3, 2024, 90.0), (4, 2024, 100.0)], Aggregation.MEAN)

    assert result.points == (Point(2024, 90.0),)
    assert result.coverage == {2024: Coverage(counted=3, of=4)}


def test_a_mean_of_exactly_half_the_schools_counts_and_of_fewer_does_not():
    half = combined([(2, 2024, 80.0), (3, 2024, 90.0), (2, 2025, 85.0)], Aggregation.MEAN)

    assert half.points == (Point(2024, 85.0),)  # 2 of 4; 1 of 4 in 2025 is too few
    assert half.coverage == {2024: Coverage(counted=2, of=4)}


def test_half_of_an_odd_number_of_schools_is_rounded_up():
    three_schools = [2, 3, 4]

    one = combined([(2, 2024, 80.0)], Aggregation.MEAN, reporters=three_schools)
    two = combined([(2, 2024, 80.0), (3, 2024, 90.0)], Aggregation.MEAN, reporters=three_schools)

    assert one.points == ()
    assert two.coverage == {2024: Coverage(counted=2, of=3)}


def test_a_weighted_mean_weighs_each_schools_value_by_its_weight():
    # 90 % of 300 pupils and 60 % of 100 pupils is 270 + 60 of 400 pupils: 82.5 %.
    result = combined([(2, 2024, 90.0, 300.0), (3, 2024, 60.0, 100.0)], Aggregation.WEIGHTED_MEAN)

    assert result.points == (Point(2024, 82.5),)
    assert result.coverage == {2024: Coverage(counted=2, of=4)}


def test_a_schools_value_without_a_weight_is_left_out_of_a_weighted_mean():
    result = combined(
        [(2, 2024, 90.0, 300.0), (3, 2024, 60.0, 100.0), (4, 2024, 10.0, None)],
        Aggregation.WEIGHTED_MEAN,
    )

    assert result.points == (Point(2024, 82.5),)
    assert result.coverage == {2024: Coverage(counted=2, of=4)}


def test_values_without_a_weight_do_not_make_up_the_half_a_weighted_mean_needs():
    result = combined(
        [(2, 2024, 90.0, 300.0), (3, 2024, 60.0, None), (4, 2024, 70.0, None)],
        Aggregation.WEIGHTED_MEAN,
    )

    assert result.points == ()  # one of four has a weight


def test_a_zero_weight_counts_as_no_weight():
    result = combined(
        [(2, 2024, 90.0, 300.0), (3, 2024, 60.0, 0.0), (4, 2024, 70.0, 100.0)],
        Aggregation.WEIGHTED_MEAN,
    )

    assert result.points == (Point(2024, 85.0),)
    assert result.coverage == {2024: Coverage(counted=2, of=4)}


def test_a_mean_of_percentages_stays_a_percentage():
    result = combined([(2, 2024, 100.0), (3, 2024, 100.0), (4, 2024, 97.5)], Aggregation.MEAN)

    [point] = result.points
    assert point.value == pytest.approx(99.1667, abs=0.0001)
    assert 0 <= point.value <= 100


@pytest.mark.parametrize("aggregation", list(Aggregation))
def test_without_reporting_schools_only_the_owners_values_count(aggregation):
    rows = [(1, 2023, 50.0), (2, 2024, 80.0, 100.0)]

    result = combined(rows, aggregation, reporters=[])

    assert result.points == (Point(2023, 50.0),)
    assert result.coverage == {}


def test_a_school_that_no_longer_reports_counts_in_no_mean():
    result = combined([(2, 2024, 80.0), (9, 2024, 10.0)], Aggregation.MEAN, reporters=[2, 3])

    assert result.points == (Point(2024, 80.0),)
    assert result.coverage == {2024: Coverage(counted=1, of=2)}


def test_the_aggregation_may_be_given_as_the_metrics_stored_value():
    result = combined([(2, 2024, 80.0), (3, 2024, 90.0)], "mean", reporters=[2, 3])

    assert result.points == (Point(2024, 85.0),)


def test_periods_come_in_order_whether_own_or_derived():
    result = combined(
        [(2, 2025, 80.0), (3, 2025, 90.0), (1, 2024, 70.0), (1, 2026, 95.0)],
        Aggregation.MEAN,
        reporters=[2, 3],
    )

    assert [point.period for point in result.points] == [2024, 2025, 2026]
    assert set(result.coverage) == {2025}


def test_statuses_are_counted_never_averaged():
    counts = count_by_status([Status.ON_TRACK, Status.ON_TRACK, Status.BEHIND])

    assert counts[Status.ON_TRACK] == 2
    assert counts[Status.BEHIND] == 1
    assert counts[Status.TARGET_MET] == 0
    assert sum(counts.values()) == 3


# Properties -----------------------------------------------------------------------------------

# Quarters are exact in binary floating point, so a mirrored value is exactly a mirror.
values = st.integers(min_value=4, max_value=40_000).map(lambda quarters: quarters / 4)
years = st.integers(min_value=2000, max_value=2040)


@st.composite
def targets_and_series(draw, direction=None, compound=None):
    direction = (
        draw(st.sampled_from([Direction.AT_LEAST, Direction.AT_MOST]))
        if direction is None
        else direction
    )
    baseline_period = draw(years)
    span = draw(st.integers(min_value=1, max_value=15))
    compound = draw(st.booleans()) if compound is None else compound
    target = Target(
        direction=direction,
        value=draw(values),
        period=draw(st.none() | st.just(baseline_period + span)),
        baseline=draw(st.none() | st.builds(Point, st.just(baseline_period), values)),
        stated_growth=draw(st.floats(min_value=-20, max_value=20)) if compound else None,
    )
    periods = draw(
        st.lists(
            st.integers(min_value=baseline_period, max_value=baseline_period + 20),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    series = [Point(period, draw(values)) for period in sorted(periods)]
    return target, series


def better(direction, value, step):
    return value + step if direction is Direction.AT_LEAST else value - step


@given(targets_and_series(), st.floats(min_value=0.001, max_value=5_000))
def test_a_better_latest_value_never_gives_a_worse_status_or_less_progress(case, step):
    target, series = case
    latest = series[-1]
    improved_value = better(target.direction, latest.value, step)
    assume(improved_value > 0)
    worse = assess(target, series)
    improved = assess(target, [*series[:-1], Point(latest.period, improved_value)])

    assert improved.status.rank >= worse.status.rank
    if worse.progress is not None:
        assert improved.progress >= worse.progress


@given(targets_and_series(direction=Direction.AT_LEAST, compound=False))
def test_an_at_most_target_is_the_mirror_of_an_at_least_target(case):
    target, series = case
    mirror = 20_000.0

    def flip(point):
        return None if point is None else Point(point.period, mirror - point.value)

    mirrored = Target(
        direction=Direction.AT_MOST,
        value=mirror - target.value,
        period=target.period,
        baseline=flip(target.baseline),
    )
    original = assess(target, series)
    reflected = assess(mirrored, [flip(point) for point in series])

    assert reflected.status is original.status
    assert reflected.progress == pytest.approx(original.progress)
    assert [mirror - point.value for point in reflected.path] == pytest.approx(
        [point.value for point in original.path]
    )
    assert (reflected.forecast and reflected.forecast.period) == (
        original.forecast and original.forecast.period
    )


@given(targets_and_series())
def test_progress_stays_within_0_and_100(case):
    target, series = case
    progress = assess(target, series).progress

    assert progress is None or 0 <= progress <= 100


@given(targets_and_series())
def test_the_path_passes_through_baseline_and_target_exactly(case):
    target, series = case
    assessment = assess(target, series)
    assume(assessment.path)

    assert assessment.path[0] == assessment.start
    assert assessment.path[-1] == Point(target.period, target.value)
    assert [point.period for point in assessment.path] == list(
        range(assessment.start.period, target.period + 1)
    )


schools_values = st.lists(
    st.tuples(
        values,  # the value
        st.none() | st.integers(min_value=0, max_value=500).map(float),  # its weight
    ),
    min_size=1,
    max_size=8,
)


def school_rows(pairs, period=2024):
    return [(school, period, value, weight) for school, (value, weight) in enumerate(pairs, 2)]


@given(schools_values, st.integers(min_value=0, max_value=8), st.sampled_from(list(Aggregation)))
def test_a_derived_value_rests_on_at_least_half_of_the_schools(pairs, absent, aggregation):
    reporters = list(range(2, 2 + len(pairs) + absent))

    result = combined(school_rows(pairs), aggregation, reporters=reporters)

    for coverage in result.coverage.values():
        assert coverage.of == len(reporters)
        assert 2 * coverage.counted >= coverage.of
        if aggregation is Aggregation.SUM:
            assert coverage.counted == coverage.of
    assert set(result.coverage) == {point.period for point in result.points}


@given(schools_values, st.sampled_from([Aggregation.MEAN, Aggregation.WEIGHTED_MEAN]))
def test_a_mean_lies_between_the_smallest_and_largest_value_counted(pairs, aggregation):
    result = combined(school_rows(pairs), aggregation, reporters=list(range(2, 2 + len(pairs))))
    counted = [
        value
        for value, weight in pairs
        if aggregation is Aggregation.MEAN or (weight is not None and weight > 0)
    ]

    for point in result.points:
        assert min(counted) - 1e-9 <= point.value <= max(counted) + 1e-9


@given(schools_values, values, st.sampled_from(list(Aggregation)))
def test_an_owners_own_value_always_wins(pairs, own, aggregation):
    rows = [(MUNICIPALITY, 2024, own), *school_rows(pairs)]

    result = combined(rows, aggregation, reporters=list(range(2, 2 + len(pairs))))

    assert result.points == (Point(2024, own),)
    assert result.coverage == {}


# One verdict per target: status, forecast and sentence agree -------------------------------

HEG_AREA_WITHOUT_BASELINE = Target(direction=Direction.AT_MOST, value=25, period=2028)


@pytest.mark.parametrize(
    ("target", "values", "status", "sentence"),
    [
        pytest.param(
            HEG_STUDENTS,
            [(2024, 1455)],
            Status.BEHIND,
            "1.455 årselever i 2024. Målet er mindst 1.800 årselever i 2028. "
            "Med den hidtidige udvikling nås målet først i 2029.",
            id="on the path's 95 per cent but a year late at its pace",
        ),
        pytest.param(
            HEG_AREA_WITHOUT_BASELINE,
            [(2029, 27), (2030, 26)],
            Status.MISSED,
            "26 m² i 2030. Målet er højst 25 m² i 2028. Målet blev ikke nået i 2028. "
            "Med den hidtidige udvikling nås målet først i 2031.",
            id="no baseline, both values after the target year",
        ),
        pytest.param(
            HEG_AREA_WITHOUT_BASELINE,
            [(2028, 27)],
            Status.MISSED,
            "27 m² i 2028. Målet er højst 25 m² i 2028. Målet blev ikke nået i 2028.",
            id="one value, in the target year, not met",
        ),
        pytest.param(
            HEG_STUDENTS,
            [(2024, 1500)],
            Status.ON_TRACK,
            "1.500 årselever i 2024. Målet er mindst 1.800 årselever i 2028. "
            "Med den hidtidige udvikling nås målet i 2027.",
            id="ahead of the path and in time",
        ),
        pytest.param(
            HEG_STUDENTS,
            [(2024, 1300)],
            Status.MOVING_AWAY,
            "1.300 årselever i 2024. Målet er mindst 1.800 årselever i 2028. "
            "Udviklingen går væk fra målet, så med den hidtidige udvikling nås det ikke.",
            id="moving away",
        ),
    ],
)
def test_the_verdict_and_its_sentence_agree_in_the_cases_citizens_found(
    target, values, status, sentence
):
    assessment = assess(target, points(*values))
    unit = "m²" if target.direction is Direction.AT_MOST else "årselever"

    with translation.override("da"):
        text = summarize(assessment, unit=unit, decimals=0, period_kind="calendar_year")

    assert assessment.status is status
    assert text.replace("\xa0", " ") == sentence  # a quantity keeps its unit on its line


def test_a_sum_that_floating_point_puts_a_hair_above_the_target_meets_it_at_its_decimals():
    target = Target(direction=Direction.AT_MOST, value=0.3, period=2026, decimals=1)

    assert assess(target, points((2024, 0.1 + 0.2))).status is Status.TARGET_MET
    assert not Target(direction=Direction.AT_MOST, value=0.3).is_met(0.1 + 0.2)


finite = st.floats(min_value=0.01, max_value=10_000, allow_nan=False, allow_infinity=False)


@st.composite
def targets_and_series(draw):
    direction = draw(st.sampled_from(list(Direction)))
    value = draw(finite)
    upper = draw(finite.map(lambda extra: value + extra)) if direction is Direction.RANGE else None
    period = draw(st.one_of(st.none(), st.integers(2018, 2032)))
    baseline = draw(st.one_of(st.none(), st.builds(Point, st.integers(2015, 2024), finite)))
    target = Target(
        direction=direction,
        value=value,
        upper=upper,
        period=period,
        baseline=baseline,
        stated_growth=draw(st.one_of(st.none(), st.floats(-10, 20))),
    )
    series = draw(st.lists(st.builds(Point, st.integers(2015, 2034), finite), max_size=6))
    return target, series


@given(targets_and_series())
def test_status_and_forecast_never_contradict_each_other(target_and_series):
    target, series = target_and_series
    assessment = assess(target, series)
    forecast = assessment.forecast

    if assessment.status is Status.ON_TRACK:
        assert forecast.reached
        assert forecast.on_time is not False
    if assessment.status is Status.BEHIND:
        assert not forecast.reached or forecast.on_time is False
    if assessment.status is Status.MOVING_AWAY:
        assert not forecast.reached
    if assessment.status is Status.MISSED:
        assert assessment.deadline_passed
        assert not target.is_met(assessment.latest.value)
    if assessment.deadline_passed and not target.is_met(assessment.latest.value):
        assert assessment.status is Status.MISSED
