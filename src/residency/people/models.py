"""Residents and faculty."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base, ProgramScoped, Versioned, str_enum
from residency.people.kinds import FacultyRole, PersonRole


class Person(ProgramScoped, Versioned, Base):
    """A resident (with a PGY) or a faculty member (with a role and a weekly clinic cap)."""

    __tablename__ = "people"
    __table_args__ = (
        UniqueConstraint("program_id", "name"),
        CheckConstraint(
            "(role = 'resident' AND pgy IS NOT NULL AND faculty_role IS NULL)"
            " OR (role = 'faculty' AND pgy IS NULL AND faculty_role IS NOT NULL)",
            name="role_fields",
        ),
        CheckConstraint("pgy BETWEEN 1 AND 8", name="pgy_range"),
    )

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[PersonRole] = mapped_column(str_enum(PersonRole))
    pgy: Mapped[int | None] = mapped_column(SmallInteger)
    faculty_role: Mapped[FacultyRole | None] = mapped_column(str_enum(FacultyRole))
    weekly_clinic_cap: Mapped[int | None] = mapped_column(SmallInteger)
    active: Mapped[bool] = mapped_column(default=True)
