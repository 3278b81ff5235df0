"""Queries on swaps: history pages with filters, open swaps past their date."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import Select, and_, func, or_, select

from residency.repository_base import Repository
from residency.swaps.kinds import OPEN_STATUSES, SwapMode, SwapStatus
from residency.swaps.models import Swap


class SwapRepository(Repository[Swap]):
    model = Swap
    label = "swap"
    default_order: ClassVar[tuple[str, ...]] = ("created_at",)

    async def history(
        self,
        program_id: uuid.UUID,
        filters: Mapping[str, Any],
        *,
        visible_to: uuid.UUID | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Swap], int]:
        """Newest first. `visible_to`: only that person's swaps, and open offers."""
        stmt = self._filtered(self.scoped(program_id), filters)
        if visible_to is not None:
            stmt = stmt.where(
                or_(
                    Swap.requester_id == visible_to,
                    Swap.counterparty_id == visible_to,
                    and_(Swap.mode == SwapMode.OFFER, Swap.status == SwapStatus.REQUESTED),
                )
            )
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        ordered = stmt.order_by(Swap.created_at.desc(), Swap.id).limit(limit).offset(offset)
        rows = (await self.session.execute(ordered)).scalars().all()
        return rows, int(total or 0)

    @staticmethod
    def _filtered(stmt: Select[Any], filters: Mapping[str, Any]) -> Select[Any]:
        for name, value in filters.items():
            if value is None:
                continue
            if name == "person_id":
                stmt = stmt.where(or_(Swap.requester_id == value, Swap.counterparty_id == value))
            elif name == "date_from":
                stmt = stmt.where(Swap.last_date >= value)
            elif name == "date_to":
                stmt = stmt.where(Swap.first_date <= value)
            else:
                stmt = stmt.where(getattr(Swap, name) == value)
        return stmt

    async def programs_with_open_swaps_before(self, day: date) -> list[uuid.UUID]:
        """Programs that have an open swap whose first date is before `day`."""
        stmt = (
            select(Swap.program_id)
            .where(Swap.status.in_(list(OPEN_STATUSES)), Swap.first_date < day)
            .distinct()
        )
        return list((await self.session.execute(stmt)).scalars().all())

    async def past_due(self, program_id: uuid.UUID, today: date) -> Sequence[Swap]:
        """Open swaps whose first date has passed, locked (they are about to expire)."""
        stmt = (
            self.scoped(program_id)
            .where(Swap.status.in_(list(OPEN_STATUSES)), Swap.first_date < today)
            .order_by(Swap.id)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def duplicate_of(self, swap: Swap) -> Swap | None:
        stmt = self.scoped(swap.program_id).where(
            Swap.status.in_(list(OPEN_STATUSES)),
            Swap.kind == swap.kind,
            Swap.requester_id == swap.requester_id,
            Swap.offered_date == swap.offered_date,
            Swap.offered_session == swap.offered_session,
            Swap.wanted_date == swap.wanted_date
            if swap.wanted_date
            else Swap.wanted_date.is_(None),
            Swap.wanted_session == swap.wanted_session
            if swap.wanted_session
            else Swap.wanted_session.is_(None),
            Swap.counterparty_id == swap.counterparty_id
            if swap.counterparty_id
            else Swap.counterparty_id.is_(None),
        )
        return (await self.session.execute(stmt.limit(1))).scalar_one_or_none()
