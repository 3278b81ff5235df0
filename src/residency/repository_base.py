"""The shared repository: program-scoped reads, filtered pages and row locks.

SQL lives in repositories only (DESIGN.md rule 2); domain repositories subclass this one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from residency.errors import NotFound
from residency.models_base import Base

ModelT = TypeVar("ModelT", bound=Base)
RANGE_SUFFIXES = {"_from": "__ge__", "_to": "__le__"}


class Repository(Generic[ModelT]):
    model: ClassVar[type[Base]]
    label: ClassVar[str] = "row"
    default_order: ClassVar[tuple[str, ...]] = ("id",)

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def scoped(self, program_id: uuid.UUID | None) -> Select[Any]:
        stmt = select(self.model)
        if program_id is not None:
            stmt = stmt.where(self.model.program_id == program_id)  # type: ignore[attr-defined]
        return stmt

    async def get(
        self, item_id: uuid.UUID, program_id: uuid.UUID | None = None, *, for_update: bool = False
    ) -> ModelT | None:
        stmt = self.scoped(program_id).where(self.model.id == item_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()  # type: ignore[return-value]

    async def get_or_404(
        self, item_id: uuid.UUID, program_id: uuid.UUID | None = None, *, for_update: bool = False
    ) -> ModelT:
        row = await self.get(item_id, program_id, for_update=for_update)
        if row is None:
            raise NotFound(f"no {self.label} with id {item_id}")
        return row

    async def page(
        self,
        program_id: uuid.UUID | None,
        filters: Mapping[str, Any],
        *,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[ModelT], int]:
        """One page of rows matching `filters`, and how many match in all."""
        stmt = self.apply_filters(self.scoped(program_id), filters)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        ordered = stmt.order_by(*(getattr(self.model, name) for name in self.default_order))
        rows = (await self.session.execute(ordered.limit(limit).offset(offset))).scalars().all()
        return rows, int(total or 0)  # type: ignore[return-value]

    def apply_filters(self, stmt: Select[Any], filters: Mapping[str, Any]) -> Select[Any]:
        """`name=v` is equality, `name_from` / `name_to` are inclusive bounds."""
        for name, value in filters.items():
            if value is None:
                continue
            column_name, operator = name, "__eq__"
            for suffix, range_operator in RANGE_SUFFIXES.items():
                if name.endswith(suffix):
                    column_name, operator = name.removesuffix(suffix), range_operator
            column = getattr(self.model, column_name)
            stmt = stmt.where(getattr(column, operator)(value))
        return stmt

    async def add(self, row: ModelT) -> ModelT:
        self.session.add(row)
        await self.session.flush()
        return row

    async def delete(self, row: ModelT) -> None:
        await self.session.delete(row)
        await self.session.flush()

    async def exists(self, *conditions: Any) -> bool:
        stmt = select(literal(1)).where(*conditions).limit(1)
        return (await self.session.execute(stmt)).first() is not None
