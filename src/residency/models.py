"""Every mapped table, imported in one place for Alembic and the tests."""

from residency.absences.models import Absence
from residency.activities.models import Activity
from residency.assignments.models import Assignment
from residency.audit.models import AuditEntry
from residency.auth.models import AuthSession, LoginThrottle, RefreshToken
from residency.feeds.models import CalendarToken
from residency.idempotency.models import IdempotencyRecord
from residency.models_base import Base
from residency.people.models import Person
from residency.plan.models import RotationPlanEntry
from residency.programs.models import AcademicYear, Block, Holiday, Program
from residency.rotations.models import Rotation
from residency.runs.models import ScheduleRun
from residency.shifts.models import Shift
from residency.swaps.models import Swap
from residency.users.models import ProgramMembership, User

__all__ = [
    "Absence",
    "AcademicYear",
    "Activity",
    "Assignment",
    "AuditEntry",
    "AuthSession",
    "Base",
    "Block",
    "CalendarToken",
    "Holiday",
    "IdempotencyRecord",
    "LoginThrottle",
    "Person",
    "Program",
    "ProgramMembership",
    "RefreshToken",
    "Rotation",
    "RotationPlanEntry",
    "ScheduleRun",
    "Shift",
    "Swap",
    "User",
]
