"""The shared service for program-scoped rows: create, update and delete with rules.

Services hold the business rules and call repositories; they never commit (DESIGN.md).
A domain service overrides `check` to refuse values that break one of its rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar, Generic

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from residency.api.etags import check_if_match
from residency.errors import Conflict, InvalidInput
from residency.programs.models import Program
from residency.programs.repository import AcademicYearRepository, ProgramRepository
from residency.repository_base import ModelT, Repository


class ScopedService(Generic[ModelT]):
    repository_class: ClassVar[type[Repository[Any]]]
    changes_schedule: ClassVar[bool] = False  # rows of the published schedule

    async def _schedule_changed(self) -> None:
        if self.changes_schedule:
            await ProgramRepository(self.session).bump_schedule_version(self.program.id)

    def __init__(self, session: AsyncSession, program: Program) -> None:
        self.session = session
        self.program = program
        self.repository: Repository[ModelT] = self.repository_class(session)

    async def page(
        self, filters: Mapping[str, Any], *, limit: int, offset: int
    ) -> tuple[Sequence[ModelT], int]:
        return await self.repository.page(self.program.id, filters, limit=limit, offset=offset)

    async def get(self, item_id: uuid.UUID) -> ModelT:
        return await self.repository.get_or_404(item_id, self.program.id)

    async def create(self, payload: BaseModel) -> ModelT:
        values = payload.model_dump()
        await self.check(values, None)
        row = self.repository.model(program_id=self.program.id, **values)
        await self.repository.add(row)  # type: ignore[arg-type]
        await self._schedule_changed()
        return row  # type: ignore[return-value]

    async def update(self, item_id: uuid.UUID, payload: BaseModel, if_match: str | None) -> ModelT:
        row = await self.repository.get_or_404(item_id, self.program.id, for_update=True)
        check_if_match(if_match, row.version)  # type: ignore[attr-defined]
        changes = payload.model_dump(exclude_unset=True)
        refuse_nulls(row, changes)
        current = column_values(row)
        merged = {**current, **changes}
        await self.check(merged, row)  # may derive columns, e.g. a shift's local date
        for name, value in merged.items():
            if value != current[name]:
                setattr(row, name, value)
        await self.session.flush()
        await self._schedule_changed()
        return row

    async def delete(self, item_id: uuid.UUID, if_match: str | None) -> None:
        row = await self.repository.get_or_404(item_id, self.program.id, for_update=True)
        check_if_match(if_match, row.version)  # type: ignore[attr-defined]
        await self.check_delete(row)
        await self.repository.delete(row)
        await self._schedule_changed()

    async def check(self, values: dict[str, Any], current: ModelT | None) -> None:
        """Refuse `values` (the row as it would be) when they break a rule; no-op by default."""

    async def check_delete(self, row: ModelT) -> None:
        """Refuse deleting `row` when others depend on it; no-op by default."""


async def require_in_program(
    session: AsyncSession, model: type[Any], item_id: uuid.UUID, program_id: uuid.UUID, field: str
) -> Any:
    """The referenced row, or 422 naming `field` when it is not in this program."""
    row = await session.get(model, item_id)
    if row is None or row.program_id != program_id:
        raise InvalidInput.field(field, f"no such row in this program ({item_id})")
    return row


async def require_inside_academic_year(
    session: AsyncSession, program_id: uuid.UUID, day: date, field: str
) -> None:
    """409 `date_outside_academic_year` unless `day` falls in one of the program's years."""
    if await AcademicYearRepository(session).containing(program_id, day) is None:
        raise Conflict(
            f"{field} {day.isoformat()} is outside every academic year of the program",
            rule="date_outside_academic_year",
            field=field,
        )


def refuse_nulls(row: Any, changes: dict[str, Any]) -> None:
    """422 for an explicit null on a column that must hold a value."""
    columns = inspect(row).mapper.columns
    for name, value in changes.items():
        if value is None and not columns[name].nullable:
            raise InvalidInput.field(name, "may be omitted but not null")


def column_values(row: Any) -> dict[str, Any]:
    return {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs}
