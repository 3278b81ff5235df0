"""Swap records: the request, its lifecycle, and the exact rows its execution changed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from residency.core.calendar import Session
from residency.models_base import Base, ProgramScoped, Versioned, str_enum, utcnow
from residency.swaps.kinds import SwapKind, SwapMode, SwapStatus


class Swap(ProgramScoped, Versioned, Base):
    """Person A (`requester`) offers a unit (`offered_*`) to B (`counterparty`), for B's
    unit (`wanted_*`, one-to-one) or for nothing (a give-away).

    An open offer has no counterparty until someone claims it. `changes` holds, once
    executed, every row the execution changed: table, id, and the row's version and
    fields before and after; `rollback_changes` the same for the rollback.
    User ids (`*_by`) are plain ids: users may be deleted, the record stays.
    """

    __tablename__ = "swaps"
    __table_args__ = (
        Index("ix_swaps_program_status", "program_id", "status"),
        Index("ix_swaps_program_first_date", "program_id", "first_date"),
    )

    kind: Mapped[SwapKind] = mapped_column(str_enum(SwapKind))
    mode: Mapped[SwapMode] = mapped_column(str_enum(SwapMode))
    status: Mapped[SwapStatus] = mapped_column(str_enum(SwapStatus), default=SwapStatus.REQUESTED)
    requester_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    counterparty_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    offered_date: Mapped[date]
    offered_session: Mapped[Session | None] = mapped_column(str_enum(Session))
    wanted_date: Mapped[date | None]
    wanted_session: Mapped[Session | None] = mapped_column(str_enum(Session))
    first_date: Mapped[date]  # the earliest date the swap touches (it expires after it)
    last_date: Mapped[date]
    reason: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None]
    accepted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[uuid.UUID | None]
    closed_at: Mapped[datetime | None]  # declined, denied, cancelled or expired
    closed_by: Mapped[uuid.UUID | None]
    executed_at: Mapped[datetime | None]
    executed_by: Mapped[uuid.UUID | None]
    rolled_back_at: Mapped[datetime | None]
    rolled_back_by: Mapped[uuid.UUID | None]
    changes: Mapped[list[Any] | None] = mapped_column(JSON)
    rollback_changes: Mapped[list[Any] | None] = mapped_column(JSON)
