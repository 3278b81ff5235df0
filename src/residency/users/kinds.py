"""The roles a user holds in a program (admin is institution-wide: `User.is_admin`)."""

from __future__ import annotations

import enum


class ProgramRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    CHIEF = "chief"
    FACULTY = "faculty"
    RESIDENT = "resident"
