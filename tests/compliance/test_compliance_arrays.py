"""The array entry point: same result as the timeline path; consistency checks; purity."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

from residency import compliance
from residency.compliance import (
    KIND_CODES,
    DutyArrays,
    DutyKind,
    Roster,
    check_arrays,
    check_timeline,
    parse_timeline,
    records_to_arrays,
    timeline_to_arrays,
    to_report,
)

from .helpers import duty, resident, timeline

UTC = UTC


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def test_arrays_give_the_same_report_as_the_timeline() -> None:
    doc = timeline(
        [
            duty("2026-07-01 07:00", "2026-07-02 12:00", "in_house_call"),
            duty("2026-07-01 07:00", "2026-07-02 12:00", "in_house_call", person="f1"),
            duty("2026-07-02 18:00", "2026-07-02 22:00", "moonlighting"),
        ],
        people=[resident("r1", pgy=1), {"id": "f1", "role": "faculty"}],
    )
    parsed = parse_timeline(doc)
    roster = Roster.build(["r1", "f1"], [True, False], [1, None])
    duties = DutyArrays.build(
        person=[d_person for d_person in (0, 1, 0)],
        start=[_epoch(d["start"]) for d in doc["duties"]],
        end=[_epoch(d["end"]) for d in doc["duties"]],
        kind=[KIND_CODES[DutyKind(d["kind"])] for d in doc["duties"]],
    )
    direct = check_arrays(roster, duties, timezone="America/Chicago")
    assert to_report(direct) == to_report(check_timeline(parsed))
    assert [v.rule for v in direct.violations] == [
        "continuous_duty",
        "transition_time",
        "rest_after_24",
        "pgy1_moonlighting",
    ]
    assert direct.residents == ("r1",)


def test_unsorted_arrays_are_sorted_by_the_engine() -> None:
    roster = Roster.build(["a", "b"], [True, True], [2, 2])
    starts = [_epoch(f"2026-07-0{d}T07:00:00+00:00") for d in (3, 1, 2)]
    duties = DutyArrays.build([1, 0, 1], starts, [s + 30 * 3600 for s in starts], [2, 2, 2])
    result = check_arrays(
        roster, duties, timezone="UTC", period=(date(2026, 7, 1), date(2026, 7, 5))
    )
    assert [(v.person, v.rule) for v in result.violations][:2] == [
        ("a", "continuous_duty"),
        ("a", "transition_time"),
    ]
    assert {v.person for v in result.violations} == {"a", "b"}


def test_timeline_to_arrays_keeps_people_order() -> None:
    doc = timeline(
        [duty("2026-07-01 07:00", "2026-07-01 08:00", person="r2")],
        people=[resident("r1"), resident("r2", pgy=1)],
    )
    roster, duties = timeline_to_arrays(parse_timeline(doc))
    assert roster.ids == ("r1", "r2")
    assert roster.pgy.tolist() == [2, 1]
    assert duties.person.tolist() == [1]
    assert duties.end.tolist() == [duties.start[0] + 3600]


def test_records_floor_start_and_ceil_end() -> None:
    start = datetime(2026, 7, 1, 7, 0, 0, 400000, tzinfo=UTC)
    end = datetime(2026, 7, 1, 7, 0, 0, 600000, tzinfo=UTC)
    arrays = records_to_arrays([(0, start, end, "clinical")])
    assert arrays.end[0] - arrays.start[0] == 1
    assert arrays.kind.tolist() == [KIND_CODES[DutyKind.CLINICAL]]


@pytest.mark.parametrize(
    ("person", "start", "end", "kind", "message"),
    [
        ([0, 5], [0, 0], [1, 1], [0, 0], "person index"),
        ([0, 0], [0, 0], [1, 1], [0, 9], "kind code"),
        ([0, 0], [0, 3], [1, 3], [0, 0], r"duties\[1\].end: must be after start"),
        ([0, 0], [0], [1, 1], [0, 0], "equal length"),
    ],
)
def test_inconsistent_arrays_are_rejected(
    person: list[int], start: list[int], end: list[int], kind: list[int], message: str
) -> None:
    roster = Roster.build(["a"], [True], [1])
    duties = DutyArrays(
        np.asarray(person), np.asarray(start), np.asarray(end), np.asarray(kind, dtype=np.int8)
    )
    with pytest.raises(ValueError, match=message):
        check_arrays(roster, duties, timezone="UTC")


def test_roster_sequences_must_match() -> None:
    with pytest.raises(ValueError, match="length"):
        Roster.build(["a", "b"], [True], [1, 2])


FORBIDDEN = ("sqlalchemy", "fastapi", "starlette", "asyncpg", "aiosqlite", "alembic", "httpx")
SHELL_ONLY = ("typer", "rich", "click")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_compliance_package_is_pure() -> None:
    package = Path(compliance.__file__).parent
    for path in sorted(package.glob("*.py")):
        imported = _imports(path)
        assert not imported & set(FORBIDDEN), path.name
        if path.name != "cli.py":
            assert not imported & set(SHELL_ONLY), path.name
