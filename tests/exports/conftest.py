"""A small schedule snapshot shared by the export tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from residency.activities.kinds import ActivityCategory as Cat
from residency.core.calendar import Session, generate_blocks
from residency.core.schedule import (
    ActivityInfo,
    PersonInfo,
    PlanEntry,
    RotationInfo,
    ScheduleSnapshot,
    ShiftInfo,
    SlotAssignment,
)
from residency.core.settings import ProgramSettings

ZONE = ZoneInfo("America/New_York")
COLORS = {"C": "#2E86DE", "AT": "#10AC84", "FMIT": "#EE5253", "OFF": "#DDDDDD"}


@pytest.fixture
def snapshot() -> ScheduleSnapshot:
    blocks = generate_blocks(2026, 3)
    first_block = blocks[1]
    people = {
        "r1": PersonInfo("r1", "Ivy Intern", "resident", 1),
        "r2": PersonInfo("r2", "Sam Senior", "resident", 3),
        "f1": PersonInfo("f1", "Dr Ada Faculty", "faculty", weekly_clinic_cap=4),
    }
    assignments = [
        SlotAssignment("r1", first_block.start, Session.AM, "C"),
        SlotAssignment("f1", first_block.start, Session.AM, "AT"),
        SlotAssignment("r2", first_block.start, Session.PM, "FMIT", locked=True),
        SlotAssignment("r2", date(2026, 7, 4), Session.AM, "FMIT"),  # a Saturday
        SlotAssignment("r1", date(2026, 7, 31), Session.PM, "OFF"),  # block 2
    ]
    call_start = datetime.combine(date(2026, 10, 31), time(7), tzinfo=ZONE)  # DST ends 1 Nov
    shifts = [
        ShiftInfo(
            "r2", "call", call_start, datetime.combine(date(2026, 11, 1), time(7), tzinfo=ZONE)
        ),
        ShiftInfo(
            "f1",
            "faculty_call",
            datetime.combine(date(2026, 7, 5), time(17), tzinfo=ZONE),
            datetime.combine(date(2026, 7, 6), time(8), tzinfo=ZONE),
        ),
    ]
    return ScheduleSnapshot(
        timezone="America/New_York",
        settings=ProgramSettings(),
        period=(date(2026, 7, 1), date(2027, 6, 30)),
        blocks=blocks,
        activities={
            "C": ActivityInfo("C", Cat.CLINICAL, needs_supervision=True, sees_patients=True),
            "AT": ActivityInfo("AT", Cat.CLINICAL, provides_supervision=True),
            "FMIT": ActivityInfo(
                "FMIT", Cat.INPATIENT, am=(time(6), time(12)), pm=(time(12), time(18))
            ),
            "OFF": ActivityInfo("OFF", Cat.OFF, counts_toward_hours=False),
        },
        people=people,
        rotations={
            "CLIN": RotationInfo("CLIN", "Clinic", 0, 2),
            "FMIT": RotationInfo("FMIT", "Inpatient", 0, 1, eligible_pgy=(2, 3)),
        },
        plan=[PlanEntry("r1", 1, "CLIN"), PlanEntry("r2", 1, "FMIT"), PlanEntry("r2", 2, "CLIN")],
        assignments=assignments,
        shifts=shifts,
    )


def after(moment: datetime, hours: float) -> datetime:
    return moment + timedelta(hours=hours)
