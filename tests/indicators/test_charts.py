from itertools import pairwise

import pytest

from indicators.charts import (
    HEIGHT,
    LABEL_GAP,
    MAX_NARROW_X_LABELS,
    MAX_X_LABELS,
    WIDTH,
    build_chart,
    build_comparison_chart,
    label_width,
    nice_step,
)
from indicators.progress import Direction, Point, Target, assess

HEG = Target(direction=Direction.AT_LEAST, value=1800, period=2028, baseline=Point(2023, 1384))


def chart_of(target, points, illustrative=False):
    assessment = assess(target, points)
    return build_chart(
        assessment,
        [(point, illustrative) for point in assessment.observed],
        format_value=lambda value: f"{value:.0f}",
        format_period=str,
    )


@pytest.mark.parametrize(
    ("span", "step"), [(1800, 500), (100, 20), (25, 5), (7, 2), (0.9, 0.2), (0, 1)]
)
def test_a_nice_step_is_one_two_or_five_times_a_power_of_ten(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_the_y_axis_starts_at_zero_and_covers_the_target():
    chart = chart_of(HEG, [Point(2024, 1500)])

    assert chart.frame.y_ticks[0].label == "0"
    assert chart.frame.y_ticks[0].position == chart.frame.plot_bottom
    assert chart.frame.y_ticks[-1].label == "2000"


def test_the_x_axis_runs_from_the_baseline_to_the_target_period():
    chart = chart_of(HEG, [Point(2024, 1500)])

    assert [tick.label for tick in chart.frame.x_ticks] == [
        "2023",
        "2024",
        "2025",
        "2026",
        "2027",
        "2028",
    ]
    assert chart.target_x == chart.frame.plot_right


def test_points_are_placed_by_period_and_value():
    chart = chart_of(HEG, [Point(2024, 1000)])

    marker = chart.observed[0]
    assert marker.x == pytest.approx(
        chart.frame.plot_left + (chart.frame.plot_right - chart.frame.plot_left) / 5
    )
    assert marker.y == pytest.approx(
        chart.frame.plot_bottom - (chart.frame.plot_bottom - chart.frame.plot_top) / 2
    )
    assert marker.label == "1000"


def test_the_expected_path_and_target_are_drawn():
    chart = chart_of(HEG, [])

    assert len(chart.expected_line.split()) == 6
    assert chart.target_y is not None
    assert 0 < chart.target_y < HEIGHT


def test_a_range_draws_both_bounds():
    target = Target(direction=Direction.RANGE, value=10, upper=20, period=2026)

    chart = chart_of(target, [Point(2024, 15)])

    assert chart.target_y > chart.target_upper_y


def test_illustrative_points_are_flagged():
    chart = chart_of(HEG, [Point(2024, 1500)], illustrative=True)

    assert chart.observed[0].illustrative


def test_nothing_to_draw_gives_no_chart():
    assert chart_of(Target(direction=Direction.AT_LEAST, value=95), []) is None


def test_a_single_period_gets_room_on_both_sides():
    chart = chart_of(Target(direction=Direction.AT_LEAST, value=95), [Point(2024, 90)])

    assert chart.frame.plot_left < chart.observed[0].x < chart.frame.plot_right


def test_a_comparison_draws_one_line_per_series_in_distinct_styles():
    chart = build_comparison_chart(
        [
            ("Herning", [Point(2023, 90), Point(2024, 92)]),
            ("Hillerød", [Point(2024, 93.4)]),
            ("Tom", []),
        ],
        format_value=lambda value: f"{value:g}",
        format_period=str,
    )

    assert [line.label for line in chart.lines] == ["Herning", "Hillerød"]
    assert chart.lines[0].style != chart.lines[1].style
    assert chart.lines[1].markers[0].label == "Hillerød: 93.4"
    assert chart.frame.y_ticks[0].label == "0"


def test_a_comparison_without_values_draws_nothing():
    assert build_comparison_chart([("Herning", [])], format_value=str, format_period=str) is None


def school_year(period):
    return f"{period}/{(period + 1) % 100:02d}"


def comparison_of(periods, *, format_period=str, value=93.4):
    return build_comparison_chart(
        [("Hillerød", [Point(period, value) for period in periods])],
        format_value=lambda value: f"{value:.1f}".replace(".", ","),
        format_period=format_period,
    )


def narrow_labels(frame):
    return [tick.label for tick in frame.x_ticks if tick.narrow]


def test_a_narrow_chart_labels_every_other_year_counting_back_from_the_target_year():
    chart = chart_of(HEG, [Point(2024, 1500)])

    assert narrow_labels(chart.frame) == ["2024", "2026", "2028"]


def test_the_first_and_last_period_labels_fit_inside_the_drawing_at_the_narrow_size():
    frame = comparison_of([2016, 2017, 2018], format_period=school_year).frame
    first, last = frame.x_ticks[0], frame.x_ticks[-1]

    assert (first.label, last.label) == ("2016/17", "2018/19")
    assert first.position - label_width(first.label) / 2 >= 0
    assert last.position + label_width(last.label) / 2 <= WIDTH


def test_the_widest_value_label_fits_left_of_the_plot_at_the_narrow_size():
    frame = comparison_of([2024], value=93.4).frame

    assert frame.y_ticks[-1].label == "100,0"
    assert frame.plot_left - LABEL_GAP - label_width("100,0") >= 0


def test_a_long_series_is_labelled_up_to_its_last_period_with_fewer_labels_when_narrow():
    frame = comparison_of(range(2000, 2031)).frame

    assert len(frame.x_ticks) <= MAX_X_LABELS
    assert len(narrow_labels(frame)) <= MAX_NARROW_X_LABELS
    assert frame.x_ticks[-1].label == "2030"
    assert narrow_labels(frame)[-1] == "2030"


def test_narrow_labels_stand_at_least_half_their_width_apart():
    frame = comparison_of(range(2016, 2020), format_period=school_year).frame
    shown = [tick for tick in frame.x_ticks if tick.narrow]

    assert len(shown) >= 2
    for left, right in pairwise(shown):
        assert right.position - left.position >= 1.5 * label_width(left.label)
