"""Unusable input: every problem is listed, naming the item by index and field."""

from __future__ import annotations

from typing import Any

import pytest

from residency.compliance import (
    RuleSettings,
    TimelineError,
    extract_timeline,
    parse_document,
    parse_timeline,
    timeline_problems,
)

from .helpers import duty, resident, timeline

GOOD = duty("2026-07-02 06:00", "2026-07-02 20:00")


def _problems(doc: Any) -> list[str]:
    with pytest.raises(TimelineError) as caught:
        parse_timeline(doc)
    assert isinstance(caught.value, ValueError)
    return [str(p) for p in caught.value.problems]


def test_unknown_kind() -> None:
    assert _problems(timeline([GOOD, {**GOOD, "kind": "foo"}])) == [
        "duties[1].kind: unknown kind 'foo'"
    ]


def test_end_not_after_start() -> None:
    same = {**GOOD, "end": GOOD["start"]}
    before = duty("2026-07-02 06:00", "2026-07-02 05:00")
    assert _problems(timeline([GOOD, GOOD, GOOD, same, before])) == [
        "duties[3].end: must be after start",
        "duties[4].end: must be after start",
    ]


def test_end_compared_in_real_time_across_offsets() -> None:
    # 06:30-04:00 is 10:30 UTC; 05:00-05:00 is 10:00 UTC: end before start.
    bad = {**GOOD, "start": "2026-07-02T06:30:00-04:00", "end": "2026-07-02T05:00:00-05:00"}
    assert _problems(timeline([bad])) == ["duties[0].end: must be after start"]


def test_missing_offset() -> None:
    naive = {**GOOD, "start": "2026-07-02T06:00:00"}
    assert _problems(timeline([GOOD, GOOD, naive])) == ["duties[2].start: missing UTC offset"]


def test_unknown_person() -> None:
    stranger = {**GOOD, "person": "x9"}
    assert _problems(timeline([GOOD] * 5 + [stranger])) == ["duties[5].person: unknown person 'x9'"]


def test_invalid_time_zone() -> None:
    assert _problems(timeline([GOOD], zone="Mars/Base")) == [
        "timezone: unknown IANA time zone 'Mars/Base'"
    ]


@pytest.mark.parametrize("zone", ["", "../etc/passwd", "America", "/etc/localtime"])
def test_other_invalid_zones(zone: str) -> None:
    problems = _problems(timeline([GOOD], zone=zone))
    assert len(problems) == 1
    assert problems[0].startswith("timezone: unknown IANA time zone")


def test_every_problem_is_reported_at_once() -> None:
    doc: dict[str, Any] = {
        "timezone": "Mars/Base",
        "period": {"start": "2026-07-10", "end": "2026-07-01"},
        "rules": {"max_weekly_hours": 0, "bogus": 1},
        "people": [resident("r1"), {"id": "r1", "role": "intern"}],
        "duties": [
            {**GOOD, "kind": "foo"},
            {**GOOD, "start": "2026-07-02T06:00:00"},
            {**GOOD, "person": "x9", "end": GOOD["start"]},
            {"person": "r1", "kind": "clinical"},
            {**GOOD, "start": "yesterday", "end": 5},
            "not a duty",
        ],
    }
    assert _problems(doc) == [
        "timezone: unknown IANA time zone 'Mars/Base'",
        "period.end: must not be before period.start",
        "rules.max_weekly_hours: must be greater than 0",
        "rules.bogus: unknown setting",
        "people[1].role: unknown role 'intern'",
        "people[1].id: duplicate id 'r1'",
        "duties[0].kind: unknown kind 'foo'",
        "duties[1].start: missing UTC offset",
        "duties[2].end: must be after start",
        "duties[2].person: unknown person 'x9'",
        "duties[3].start: required",
        "duties[3].end: required",
        "duties[4].start: not an ISO 8601 date-time: 'yesterday'",
        "duties[4].end: must be an ISO 8601 date-time string",
        "duties[5]: must be an object",
    ]


def test_structured_errors_for_rfc9457() -> None:
    with pytest.raises(TimelineError) as caught:
        parse_timeline(timeline([{**GOOD, "kind": "foo"}]))
    assert caught.value.errors() == [{"field": "duties[0].kind", "reason": "unknown kind 'foo'"}]
    assert str(caught.value) == "duties[0].kind: unknown kind 'foo'"


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ([], ["(root): must be an object"]),
        ({}, ["timezone: required", "people: required", "duties: required"]),
        (
            {"timezone": "UTC", "people": {}, "duties": 3},
            ["people: must be an array", "duties: must be an array"],
        ),
    ],
)
def test_shape_problems(doc: Any, expected: list[str]) -> None:
    assert _problems(doc) == expected


def test_date_only_datetime_is_rejected() -> None:
    assert _problems(timeline([{**GOOD, "start": "2026-07-02"}])) == [
        "duties[0].start: not an ISO 8601 date-time: '2026-07-02'"
    ]


def test_utc_designator_and_fractions_are_accepted() -> None:
    doc = timeline([{**GOOD, "start": "2026-07-02T11:00:00Z", "end": "2026-07-02T12:00:00.5Z"}])
    parsed = parse_timeline(doc)
    assert parsed.duties[0].end.microsecond == 500000


def test_valid_document_has_no_problems() -> None:
    doc = timeline([GOOD], period=("2026-07-01", "2026-07-28"), rules={"max_weekly_hours": 72})
    assert timeline_problems(doc) == []
    parsed = parse_timeline(doc)
    assert parsed.rules.max_weekly_hours == 72
    assert parsed.rules.max_hours_per_28 == 288
    assert parsed.zone.key == "America/Chicago"


def test_extra_members_are_allowed_at_top_level() -> None:
    doc = {**timeline([{**GOOD, "label": "WARDS", "note": "x"}]), "program": "FM"}
    assert parse_timeline(doc).duties[0].label == "WARDS"


def test_embedded_timeline_in_a_schedule_document() -> None:
    inner = timeline([GOOD])
    schedule = {"program": "FM", "blocks": [], "timeline": inner}
    assert extract_timeline(schedule) is inner
    assert extract_timeline(inner) is inner
    assert len(parse_document(schedule).duties) == 1
    with pytest.raises(TimelineError) as caught:
        parse_document({"timeline": timeline([{**GOOD, "kind": "foo"}])})
    assert [str(p) for p in caught.value.problems] == [
        "timeline.duties[0].kind: unknown kind 'foo'"
    ]
    with pytest.raises(TimelineError) as caught:
        parse_document({"timeline": []})
    assert [str(p) for p in caught.value.problems] == ["timeline: must be an object"]


def test_rule_settings_defaults_and_overrides() -> None:
    defaults = RuleSettings()
    assert defaults.max_hours_per_28 == 320
    assert defaults.max_calls_per_28 == 9
    assert defaults.transition_limit_hours == 28
    assert defaults.continuous_limit_hours(1) == 24
    assert defaults.pgy1_max_continuous_hours is None
    strict = RuleSettings.from_mapping({"pgy1_max_continuous_hours": 16, "call_every_nth_night": 4})
    assert strict.continuous_limit_hours(1) == 16
    assert strict.continuous_limit_hours(2) == 24
    assert strict.max_calls_per_28 == 7
    with pytest.raises(ValueError, match=r"unknown|Extra"):
        RuleSettings.from_mapping({"max_weekly_hourz": 70})
