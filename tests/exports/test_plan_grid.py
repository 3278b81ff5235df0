"""The rotation-plan grid: round trip, and every bad cell reported with its address."""

from __future__ import annotations

import io
from dataclasses import replace

from openpyxl import load_workbook

from residency.core.schedule import PlanEntry, ScheduleSnapshot
from residency.exports.plan_grid import plan_workbook, read_plan_grid

BLOCKS = list(range(0, 14))


def residents(snapshot: ScheduleSnapshot) -> list:
    return [p for p in snapshot.people.values() if p.is_resident]


def test_round_trip_gives_the_same_plan(snapshot: ScheduleSnapshot) -> None:
    content = plan_workbook(residents(snapshot), snapshot.rotations, snapshot.plan, BLOCKS)
    reading = read_plan_grid(content, residents(snapshot), snapshot.rotations, BLOCKS)
    assert reading.problems == []
    assert sorted(reading.entries, key=str) == sorted(snapshot.plan, key=str)


def edit(content: bytes, changes: dict[str, object]) -> bytes:
    book = load_workbook(io.BytesIO(content))
    for address, value in changes.items():
        book.active[address] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_names_match_case_insensitively_by_name_or_abbreviation(snapshot: ScheduleSnapshot) -> None:
    content = plan_workbook(residents(snapshot), snapshot.rotations, [], BLOCKS)
    typed = edit(content, {"A2": "ivy INTERN", "D2": "clinic", "E3": "fmit"})
    reading = read_plan_grid(typed, residents(snapshot), snapshot.rotations, [1, 2])
    assert sorted(reading.entries, key=str) == sorted(
        [PlanEntry("r1", 1, "CLIN"), PlanEntry("r2", 2, "FMIT")], key=str
    )


def test_every_error_has_its_cell(snapshot: ScheduleSnapshot) -> None:
    content = plan_workbook(residents(snapshot), snapshot.rotations, snapshot.plan, BLOCKS)
    broken = edit(content, {"A3": "Sam Senoir", "D2": "Clinc", "E2": "FMIT", "P1": "Block 99"})
    reading = read_plan_grid(broken, residents(snapshot), snapshot.rotations, BLOCKS)
    problems = {p.cell: p for p in reading.problems}
    assert problems["A3"].suggestions == ("Sam Senior",)
    assert "unknown resident" in problems["A3"].reason
    assert problems["D2"].suggestions == ("Clinic", "CLIN")
    assert "does not accept PGY-1" in problems["E2"].reason
    assert "unknown block" in problems["P1"].reason
    assert set(problems) == {"A3", "D2", "E2", "P1"}


def test_capacity_breaches_name_the_block_column(snapshot: ScheduleSnapshot) -> None:
    one_clinic = {
        **snapshot.rotations,
        "CLIN": replace(snapshot.rotations["CLIN"], max_residents=1),
    }
    content = plan_workbook(residents(snapshot), one_clinic, [], BLOCKS)
    both = edit(content, {"E2": "CLIN", "E3": "clin"})  # column E is block 2
    reading = read_plan_grid(both, residents(snapshot), one_clinic, BLOCKS)
    assert [(p.cell, p.reason) for p in reading.problems] == [
        ("E1", "Block 2: 2 resident(s) on Clinic, allowed 0..1")
    ]


def test_a_file_that_is_not_a_workbook(snapshot: ScheduleSnapshot) -> None:
    reading = read_plan_grid(b"not a zip", residents(snapshot), snapshot.rotations, BLOCKS)
    assert [p.cell for p in reading.problems] == ["A1"]
