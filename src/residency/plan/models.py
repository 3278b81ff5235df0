"""The annual rotation plan: resident x block (optionally half-block) → rotation."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base, ProgramScoped, Versioned, str_enum


class EntrySource(enum.StrEnum):
    """Where a schedule row came from."""

    MANUAL = "manual"
    SOLVER = "solver"
    IMPORT = "import"


WHOLE_BLOCK = 0


class RotationPlanEntry(ProgramScoped, Versioned, Base):
    """`half` is 0 for the whole block, 1 or 2 for its first or second 14 days."""

    __tablename__ = "rotation_plan"
    __table_args__ = (
        UniqueConstraint("person_id", "block_id", "half"),
        CheckConstraint("half IN (0, 1, 2)", name="half_values"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    block_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("blocks.id", ondelete="CASCADE"), index=True
    )
    half: Mapped[int] = mapped_column(SmallInteger, default=WHOLE_BLOCK)
    rotation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rotations.id"), index=True)
    source: Mapped[EntrySource] = mapped_column(str_enum(EntrySource), default=EntrySource.MANUAL)
    locked: Mapped[bool] = mapped_column(default=False)
