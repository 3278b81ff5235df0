"""The shared service for program-scoped rows: create, update and delete with rules.

Services hold the business rules and call repositories; they never commit (DESIGN.md).
A domain service overrides `check` to refuse values that break one of its rules.
Every create, update and delete appends its audit entry in the same transaction.
A service built with `owner` (a person id) sees and changes only that person's rows
(`owner_field`): the object-level rule for residents and faculty (auth/permissions.py).
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
from residency.audit.service import AuditTrail, note_schedule_change, snapshot
from residency.errors import Conflict, Forbidden, InvalidInput
from residency.programs.models import Program
from residency.programs.repository import AcademicYearRepository
from residency.repository_base import ModelT, Repository


class ScopedService(Generic[ModelT]):
    repository_class: ClassVar[type[Repository[Any]]]
    changes_schedule: ClassVar[bool] = False  # rows of the published schedule
    owner_field: ClassVar[str | None] = None  # the column naming the person a row is about

    async def _schedule_changed(self) -> None:
        if self.changes_schedule:
            note_schedule_change(self.session, self.program.id)

    def __init__(
        self, session: AsyncSession, program: Program, *, owner: uuid.UUID | None = None
    ) -> None:
        self.session = session
        self.program = program
        self.owner = owner
        self.repository: Repository[ModelT] = self.repository_class(session)
        self.audit = AuditTrail(session)
        if owner is not None and self.owner_field is None:
            raise Forbidden(f"{self.repository.label} rows belong to no one person")

    async def page(
        self, filters: Mapping[str, Any], *, limit: int, offset: int
    ) -> tuple[Sequence[ModelT], int]:
        if self.owner is not None:
            filters = {**filters, str(self.owner_field): self.owner}
        return await self.repository.page(self.program.id, filters, limit=limit, offset=offset)

    async def get(self, item_id: uuid.UUID) -> ModelT:
        return self._owned(await self.repository.get_or_404(item_id, self.program.id))

    async def create(self, payload: BaseModel) -> ModelT:
        values = payload.model_dump()
        self._check_owner(values.get(str(self.owner_field)))
        await self.check(values, None)
        row = self.repository.model(program_id=self.program.id, **values)
        await self.repository.add(row)  # type: ignore[arg-type]
        await self._schedule_changed()
        await self.audit.record("create", row, program_id=self.program.id, after=snapshot(row))
        return row  # type: ignore[return-value]

    async def update(self, item_id: uuid.UUID, payload: BaseModel, if_match: str | None) -> ModelT:
        row = await self._locked(item_id, if_match)
        before = snapshot(row)
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
        await self.audit.record(
            "update", row, program_id=self.program.id, before=before, after=snapshot(row)
        )
        return row

    async def delete(self, item_id: uuid.UUID, if_match: str | None) -> None:
        row = await self._locked(item_id, if_match)
        await self.check_delete(row)
        before = snapshot(row)
        await self.repository.delete(row)
        await self._schedule_changed()
        await self.audit.record("delete", row, program_id=self.program.id, before=before)

    async def _locked(self, item_id: uuid.UUID, if_match: str | None) -> ModelT:
        """The row, locked for the change; 403 when it is someone else's, 412 when stale."""
        row = await self.repository.get_or_404(item_id, self.program.id, for_update=True)
        self._owned(row)
        check_if_match(if_match, row.version)  # type: ignore[attr-defined]
        return row

    def _owned(self, row: ModelT) -> ModelT:
        if self.owner is not None:
            self._check_owner(getattr(row, str(self.owner_field)))
        return row

    def _check_owner(self, person_id: object) -> None:
        """Object-level rule: a restricted user acts only on rows about their own person."""
        if self.owner is not None and person_id != self.owner:
            raise Forbidden(
                f"your role reaches only what is about yourself, and this {self.repository.label}"
                " is not"
            )

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
