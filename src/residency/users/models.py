"""Users who sign in, and the role each holds in a program (DESIGN.md, "Security")."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from residency.models_base import Base, ProgramScoped, Versioned, str_enum, utcnow
from residency.users.kinds import ProgramRole


class User(Versioned, Base):
    """A person who signs in. `is_admin` is the institution-wide admin role."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(150), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    roles: Mapped[list[ProgramMembership]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ProgramMembership.program_id"
    )


class ProgramMembership(ProgramScoped, Base):
    """The user's one role in one program, optionally linked to their person there."""

    __tablename__ = "program_roles"
    __table_args__ = (UniqueConstraint("user_id", "program_id"), UniqueConstraint("person_id"))

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[ProgramRole] = mapped_column(str_enum(ProgramRole))
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
