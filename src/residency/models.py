"""Every mapped table, imported in one place for Alembic and the tests."""

from residency.absences.models import Absence
from residency.activities.models import Activity
from residency.assignments.models import Assignment
from residency.models_base import Base
from residency.people.models import Person
from residency.plan.models import RotationPlanEntry
from residency.programs.models import AcademicYear, Block, Holiday, Program
from residency.rotations.models import Rotation
from residency.runs.models import ScheduleRun
from residency.shifts.models import Shift

__all__ = [
    "Absence",
    "AcademicYear",
    "Activity",
    "Assignment",
    "Base",
    "Block",
    "Holiday",
    "Person",
    "Program",
    "Rotation",
    "RotationPlanEntry",
    "ScheduleRun",
    "Shift",
]
