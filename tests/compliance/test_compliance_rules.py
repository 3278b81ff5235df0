"""Hand-computed cases for every duty-hour rule and its edges (ACGME.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from residency.compliance import RULES, check_timeline, parse_timeline

from .helpers import at, duty, findings, of_rule, resident, timeline

JULY = date(2026, 7, 1)


def _day(offset: int) -> str:
    return (JULY + timedelta(days=offset)).isoformat()


def _shifts(days: list[int], start: str = "08:00", end: str = "21:20") -> list[dict]:
    return [duty(f"{_day(d)} {start}", f"{_day(d)} {end}") for d in days]


def _workdays(count: int = 28) -> list[int]:
    """Working day offsets of a 28-day window with every 7th day free (24 days)."""
    return [d for d in range(count) if d % 7 != 6]


PERIOD_28 = (_day(0), _day(27))


# --- hours_80 (VI.F.8.a) ----------------------------------------------------------------


def test_rules_have_docstrings_citing_acgme() -> None:
    for rule in RULES:
        assert rule.__doc__
        assert "VI.F." in rule.__doc__
        assert rule.__name__ in rule.__doc__


def test_exactly_320_hours_is_compliant() -> None:
    doc = timeline(_shifts(_workdays()), period=PERIOD_28)  # 24 x 13h20 = 320 h
    assert findings(doc) == []


def test_320_hours_and_one_minute_violates() -> None:
    duties = _shifts(_workdays())
    duties[0] = duty(f"{_day(0)} 08:00", f"{_day(0)} 21:21")
    doc = timeline(duties, period=PERIOD_28)
    assert findings(doc) == [
        {
            "rule": "hours_80",
            "person": "r1",
            "severity": "violation",
            "start": at(f"{_day(0)} 00:00"),
            "end": at(f"{_day(28)} 00:00"),
            "value": 320.02,
            "limit": 320.0,
        }
    ]


def test_only_hours_inside_the_window_count() -> None:
    inside = _shifts(_workdays())
    before = duty(f"{_day(-1)} 22:00", f"{_day(0)} 00:00")  # wholly outside
    crossing = duty(f"{_day(27)} 23:00", f"{_day(28)} 02:00")  # 1 h inside
    assert of_rule(timeline([*inside, before], period=PERIOD_28), "hours_80") == []
    found = of_rule(timeline([*inside, crossing], period=PERIOD_28), "hours_80")
    assert [f["value"] for f in found] == [321.0]


def test_overlapping_duties_count_once() -> None:
    duties = _shifts(_workdays())
    duties.append(duty(f"{_day(0)} 09:00", f"{_day(0)} 12:00", "education"))
    assert findings(timeline(duties, period=PERIOD_28)) == []


def test_home_call_hours_do_not_count_but_active_home_call_does() -> None:
    duties = _shifts(_workdays())
    home = duty(f"{_day(1)} 22:00", f"{_day(2)} 06:00", "home_call")
    assert of_rule(timeline([*duties, home], period=PERIOD_28), "hours_80") == []
    active = duty(f"{_day(1)} 23:00", f"{_day(2)} 00:30", "home_call_active")
    found = of_rule(timeline([*duties, home, active], period=PERIOD_28), "hours_80")
    assert [f["value"] for f in found] == [321.5]


def test_violating_windows_merge_into_one_run_with_the_worst_value() -> None:
    # A 30-day period has windows W(0), W(1), W(2); each holds 24 shifts of 13h20 (320 h),
    # and W(2) also the 2 h added on its last day: 322 h. The limit is 4 x 70 = 280 h.
    days = [d for d in range(30) if d not in (6, 13, 20, 27)]
    duties = [*_shifts(days), duty(f"{_day(29)} 21:20", f"{_day(29)} 23:20")]
    doc = timeline(duties, period=(_day(0), _day(29)), rules={"max_weekly_hours": 70.0})
    found = of_rule(doc, "hours_80")
    assert [(f["start"], f["end"], f["value"], f["limit"]) for f in found] == [
        (at(f"{_day(0)} 00:00"), at(f"{_day(30)} 00:00"), 322.0, 280.0)
    ]


def test_separate_runs_are_separate_violations() -> None:
    rules = {"max_weekly_hours": 10.0}  # 40 h per 28 days
    duties = [
        duty(f"{_day(0)} 06:00", f"{_day(0)} 20:00"),
        duty(f"{_day(1)} 06:00", f"{_day(1)} 20:00"),
        duty(f"{_day(2)} 06:00", f"{_day(2)} 20:00"),  # 42 h on days 0-2
        duty(f"{_day(40)} 06:00", f"{_day(40)} 20:00"),
        duty(f"{_day(41)} 06:00", f"{_day(41)} 20:00"),
        duty(f"{_day(42)} 06:00", f"{_day(42)} 20:00"),  # 42 h on days 40-42
    ]
    found = of_rule(timeline(duties, period=(_day(0), _day(69)), rules=rules), "hours_80")
    assert [(f["start"], f["end"], f["value"]) for f in found] == [
        (at(f"{_day(0)} 00:00"), at(f"{_day(28)} 00:00"), 42.0),
        (at(f"{_day(15)} 00:00"), at(f"{_day(68)} 00:00"), 42.0),
    ]


def test_short_period_still_uses_one_full_28_day_window() -> None:
    doc = timeline(_shifts(_workdays()), period=(_day(0), _day(3)), rules={"max_weekly_hours": 79})
    found = of_rule(doc, "hours_80")
    assert [(f["start"], f["end"], f["value"], f["limit"]) for f in found] == [
        (at(f"{_day(0)} 00:00"), at(f"{_day(28)} 00:00"), 320.0, 316.0)
    ]


def test_default_period_runs_from_first_start_to_last_end_date() -> None:
    doc = timeline(_shifts(_workdays()), rules={"max_weekly_hours": 79})
    found = of_rule(doc, "hours_80")
    assert [(f["start"], f["end"]) for f in found] == [
        (at(f"{_day(0)} 00:00"), at(f"{_day(28)} 00:00"))
    ]


# --- day_off (VI.F.8.b.3) -----------------------------------------------------------------


def test_four_free_days_comply_three_do_not() -> None:
    ok = timeline(_shifts(_workdays(), "08:00", "16:00"), period=PERIOD_28)
    assert findings(ok) == []
    busy = _shifts([*_workdays(), 6], "08:00", "16:00")
    found = of_rule(timeline(busy, period=PERIOD_28), "day_off")
    assert [(f["value"], f["limit"], f["severity"]) for f in found] == [(3.0, 4.0, "violation")]


def test_home_call_on_an_otherwise_free_day_makes_it_not_free() -> None:
    duties = _shifts(_workdays(), "08:00", "16:00")
    duties.append(duty(f"{_day(13)} 10:00", f"{_day(13)} 11:00", "home_call"))
    found = of_rule(timeline(duties, period=PERIOD_28), "day_off")
    assert [f["value"] for f in found] == [3.0]


def test_duty_ending_at_midnight_leaves_the_next_day_free() -> None:
    duties = _shifts(_workdays(), "08:00", "16:00")
    duties.append(duty(f"{_day(5)} 16:00", f"{_day(6)} 00:00"))
    assert of_rule(timeline(duties, period=PERIOD_28), "day_off") == []
    duties.append(duty(f"{_day(12)} 20:00", f"{_day(13)} 00:01", "home_call"))
    assert [f["value"] for f in of_rule(timeline(duties, period=PERIOD_28), "day_off")] == [3.0]


# --- continuous_duty and transition_time (VI.F.8.c) ---------------------------------------


def _call_with_handoff(handoff_end: str) -> list[dict]:
    return [
        duty(f"{_day(0)} 07:00", f"{_day(1)} 07:00", "in_house_call"),
        duty(f"{_day(1)} 07:00", f"{_day(1)} {handoff_end}", "transition"),
    ]


def test_24_plus_4_is_the_limit() -> None:
    assert findings(timeline(_call_with_handoff("11:00"))) == []
    found = findings(timeline(_call_with_handoff("11:01")))
    assert [(f["rule"], f["value"], f["limit"]) for f in found] == [
        ("transition_time", 28.02, 28.0)
    ]
    assert found[0]["start"] == at(f"{_day(0)} 07:00")
    assert found[0]["end"] == at(f"{_day(1)} 11:01")


def test_overlapping_work_is_counted_once_in_a_period() -> None:
    duties = [
        duty(f"{_day(0)} 07:00", f"{_day(1)} 07:00", "in_house_call"),
        duty(f"{_day(0)} 07:00", f"{_day(0)} 19:00", "clinical"),
    ]
    assert findings(timeline(duties)) == []


def test_transition_overlapping_clinical_work_counts_as_clinical() -> None:
    duties = [
        duty(f"{_day(0)} 07:00", f"{_day(1)} 07:00", "in_house_call"),
        duty(f"{_day(1)} 07:00", f"{_day(1)} 09:00", "transition"),
        duty(f"{_day(1)} 08:00", f"{_day(1)} 09:00", "clinical"),
    ]
    found = of_rule(timeline(duties), "continuous_duty")
    assert [f["value"] for f in found] == [25.0]  # 24 h call + 08:00-09:00 clinical


@pytest.mark.parametrize(("gap_end", "merged"), [("12:00", False), ("11:59", True)])
def test_merge_gap_exactly_four_hours_does_not_merge(gap_end: str, merged: bool) -> None:
    duties = [
        duty(f"{_day(0)} 19:00", f"{_day(1)} 08:00"),  # 13 h
        duty(f"{_day(1)} {gap_end}", f"{_day(2)} 00:00"),  # 12 h or 12h01
    ]
    found = of_rule(timeline(duties), "continuous_duty")
    if merged:
        assert [(f["value"], f["start"], f["end"]) for f in found] == [
            (25.02, at(f"{_day(0)} 19:00"), at(f"{_day(2)} 00:00"))
        ]
    else:
        assert found == []
        assert [f["value"] for f in of_rule(timeline(duties), "rest_between")] == [4.0]


def test_merge_gap_setting_is_honoured() -> None:
    duties = [
        duty(f"{_day(0)} 19:00", f"{_day(1)} 08:00"),
        duty(f"{_day(1)} 13:00", f"{_day(2)} 00:00"),
    ]
    assert of_rule(timeline(duties), "continuous_duty") == []
    merged = timeline(duties, rules={"period_merge_gap_hours": 6.0})
    assert of_rule(merged, "continuous_duty") == []  # 13 h + 11 h = 24 h: compliant
    assert [f["value"] for f in of_rule(merged, "transition_time")] == [29.0]


def test_pgy1_limit_applies_only_when_set_and_only_to_pgy1() -> None:
    shift = [
        duty(f"{_day(0)} 07:00", f"{_day(1)} 00:00", "in_house_call", person="r1"),
        duty(f"{_day(0)} 07:00", f"{_day(1)} 00:00", "in_house_call", person="r2"),
    ]
    people = [resident("r1", pgy=1), resident("r2", pgy=2)]
    assert findings(timeline(shift, people=people)) == []
    found = findings(timeline(shift, people=people, rules={"pgy1_max_continuous_hours": 16.0}))
    assert [(f["rule"], f["person"], f["value"], f["limit"]) for f in found] == [
        ("continuous_duty", "r1", 17.0, 16.0)
    ]


# --- DST: real elapsed time --------------------------------------------------------------


def test_spring_forward_call_is_23_hours() -> None:
    zone = "America/New_York"
    call = {
        "person": "r1",
        "start": "2026-03-07T07:00:00-05:00",
        "end": "2026-03-08T07:00:00-04:00",
        "kind": "in_house_call",
    }
    assert findings(timeline([call], zone=zone)) == []
    found = of_rule(
        timeline([call], zone=zone, rules={"max_continuous_hours": 22.5}), "continuous_duty"
    )
    assert [(f["value"], f["start"], f["end"]) for f in found] == [
        (23.0, "2026-03-07T07:00:00-05:00", "2026-03-08T07:00:00-04:00")
    ]


def test_fall_back_call_is_25_hours() -> None:
    call = {
        "person": "r1",
        "start": "2026-10-31T07:00:00-04:00",
        "end": "2026-11-01T07:00:00-05:00",
        "kind": "in_house_call",
    }
    found = findings(timeline([call], zone="America/New_York"))
    assert [(f["rule"], f["value"], f["limit"]) for f in found] == [("continuous_duty", 25.0, 24.0)]


def test_window_hours_use_real_day_lengths_across_dst() -> None:
    zone = "America/New_York"
    whole_days = [
        {
            "person": "r1",
            "start": at("2026-03-08 00:00", zone),
            "end": at("2026-03-09 00:00", zone),
            "kind": "home_call_active",
        },
        {
            "person": "r1",
            "start": at("2026-11-01 00:00", zone),
            "end": at("2026-11-02 00:00", zone),
            "kind": "home_call_active",
        },
    ]
    rules = {"max_weekly_hours": 5.0, "max_continuous_hours": 30.0}
    spring = of_rule(
        timeline(whole_days[:1], zone=zone, period=("2026-03-08", "2026-03-08"), rules=rules),
        "hours_80",
    )
    fall = of_rule(
        timeline(whole_days[1:], zone=zone, period=("2026-11-01", "2026-11-01"), rules=rules),
        "hours_80",
    )
    assert [f["value"] for f in spring] == [23.0]
    assert [f["value"] for f in fall] == [25.0]
    assert fall[0]["start"] == "2026-11-01T00:00:00-04:00"
    assert fall[0]["end"] == "2026-11-29T00:00:00-05:00"


# --- rest_after_24 (VI.F.8.b.2) and rest_between (VI.F.8.b.1) ---------------------------


def test_rest_after_24_takes_precedence_over_rest_between() -> None:
    duties = [
        duty(f"{_day(0)} 07:00", f"{_day(1)} 07:00", "in_house_call"),
        duty(f"{_day(1)} 13:00", f"{_day(1)} 17:00"),  # 6 h after a 24 h period
    ]
    found = findings(timeline(duties))
    assert [(f["rule"], f["severity"], f["value"], f["limit"]) for f in found] == [
        ("rest_after_24", "violation", 6.0, 14.0)
    ]
    assert (found[0]["start"], found[0]["end"]) == (
        at(f"{_day(1)} 07:00"),
        at(f"{_day(1)} 13:00"),
    )


def test_rest_after_24_boundary_is_14_hours() -> None:
    call = duty(f"{_day(0)} 07:00", f"{_day(1)} 07:00", "in_house_call")
    assert findings(timeline([call, duty(f"{_day(1)} 21:00", f"{_day(1)} 23:00")])) == []
    found = findings(timeline([call, duty(f"{_day(1)} 20:59", f"{_day(1)} 23:00")]))
    assert [(f["rule"], f["value"]) for f in found] == [("rest_after_24", 13.98)]


def test_rest_between_is_a_warning_under_8_hours() -> None:
    day = duty(f"{_day(0)} 07:00", f"{_day(0)} 19:00")
    assert findings(timeline([day, duty(f"{_day(1)} 03:00", f"{_day(1)} 07:00")])) == []
    found = findings(timeline([day, duty(f"{_day(1)} 02:59", f"{_day(1)} 07:00")]))
    assert [(f["rule"], f["severity"], f["value"], f["limit"]) for f in found] == [
        ("rest_between", "warning", 7.98, 8.0)
    ]
    assert not check_timeline(
        parse_timeline(timeline([day, duty(f"{_day(1)} 02:59", f"{_day(1)} 07:00")]))
    ).has_violations


# --- call_frequency (VI.F.8.f) -------------------------------------------------------------


def _calls(days: list[int]) -> list[dict]:
    return [duty(f"{_day(d)} 17:00", f"{_day(d)} 23:00", "in_house_call") for d in days]


def test_nine_calls_in_28_days_comply_ten_do_not() -> None:
    assert findings(timeline(_calls(list(range(0, 27, 3))), period=PERIOD_28)) == []
    found = findings(timeline(_calls(list(range(0, 28, 3))), period=PERIOD_28))
    assert [(f["rule"], f["value"], f["limit"]) for f in found] == [("call_frequency", 10.0, 9.0)]


def test_calls_count_by_local_start_date() -> None:
    days = list(range(0, 27, 3))  # nine calls on days 0..24
    late = duty(f"{_day(-1)} 23:00", f"{_day(0)} 05:00", "in_house_call")  # starts before
    assert of_rule(timeline([*_calls(days), late], period=PERIOD_28), "call_frequency") == []
    inside = duty(f"{_day(27)} 23:00", f"{_day(28)} 05:00", "in_house_call")
    found = of_rule(timeline([*_calls(days), inside], period=PERIOD_28), "call_frequency")
    assert [f["value"] for f in found] == [10.0]


# --- night_float_consecutive (VI.F.8.e) ---------------------------------------------------


def _nights(days: list[int]) -> list[dict]:
    return [duty(f"{_day(d)} 19:00", f"{_day(d + 1)} 07:00", "night_float") for d in days]


def test_six_nights_comply_seven_do_not() -> None:
    assert findings(timeline(_nights(list(range(6))))) == []
    found = findings(timeline(_nights(list(range(7)))))
    assert [(f["rule"], f["value"], f["limit"], f["start"], f["end"]) for f in found] == [
        ("night_float_consecutive", 7.0, 6.0, at(f"{_day(0)} 19:00"), at(f"{_day(7)} 07:00"))
    ]


def test_a_skipped_night_breaks_the_run() -> None:
    assert findings(timeline(_nights([0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]))) == []


# --- pgy1_moonlighting (VI.F.7.c) --------------------------------------------------------


def test_pgy1_moonlighting_is_one_violation_per_person() -> None:
    shifts = [
        duty(f"{_day(0)} 18:00", f"{_day(0)} 22:00", "moonlighting", person=p)
        for p in ("r1", "r2", "r3")
    ] + [duty(f"{_day(3)} 18:00", f"{_day(3)} 22:00", "moonlighting", person="r1")]
    people = [resident("r1", pgy=1), resident("r2", pgy=2), resident("r3", pgy=None)]
    found = findings(timeline(shifts, people=people))
    assert found == [
        {
            "rule": "pgy1_moonlighting",
            "person": "r1",
            "severity": "violation",
            "start": at(f"{_day(0)} 18:00"),
            "end": at(f"{_day(3)} 22:00"),
            "value": 2.0,
            "limit": 0.0,
        }
    ]


# --- scope and ordering -----------------------------------------------------------------


def test_faculty_are_never_checked() -> None:
    people = [{"id": "f1", "role": "faculty", "pgy": 1}]
    duties = [
        duty(f"{_day(d)} 00:00", f"{_day(d + 1)} 00:00", kind, person="f1")
        for d, kind in enumerate(["in_house_call", "moonlighting"] * 20)
    ]
    assert findings(timeline(duties, people=people)) == []


def test_findings_are_ordered_by_person_start_rule() -> None:
    people = [resident("b"), resident("a")]
    long_call = [
        duty(f"{_day(2)} 00:00", f"{_day(3)} 05:00", "in_house_call", person="b"),
        duty(f"{_day(2)} 07:00", f"{_day(3)} 12:00", "in_house_call", person="a"),
        duty(f"{_day(0)} 07:00", f"{_day(1)} 12:00", "in_house_call", person="b"),
    ]
    found = findings(timeline(long_call, people=people))
    keys = [(f["person"], f["start"], f["rule"]) for f in found]
    assert keys == [
        ("a", at(f"{_day(2)} 07:00"), "continuous_duty"),
        ("a", at(f"{_day(2)} 07:00"), "transition_time"),
        ("b", at(f"{_day(0)} 07:00"), "continuous_duty"),
        ("b", at(f"{_day(0)} 07:00"), "transition_time"),
        ("b", at(f"{_day(1)} 12:00"), "rest_after_24"),
        ("b", at(f"{_day(2)} 00:00"), "continuous_duty"),
        ("b", at(f"{_day(2)} 00:00"), "transition_time"),
    ]


def test_empty_timeline_has_no_findings() -> None:
    assert findings(timeline([])) == []
    assert findings(timeline([], period=PERIOD_28)) == []
    assert findings(timeline([], people=[])) == []


def test_result_is_timezone_aware_in_the_program_zone() -> None:
    result = check_timeline(
        parse_timeline(timeline(_calls(list(range(0, 28, 3))), period=PERIOD_28))
    )
    violation = result.violations[0]
    assert violation.start.tzinfo is not None
    assert violation.start.utcoffset() == timedelta(hours=-5)
    assert result.timezone == "America/Chicago"
    assert result.period == (JULY, JULY + timedelta(days=27))
