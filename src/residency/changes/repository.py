"""Queries of the change engine: locks, the rows of a window, and who touched a row last."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from residency.absences.models import Absence
from residency.activities.models import Activity
from residency.assignments.models import Assignment
from residency.audit.models import AuditEntry
from residency.people.models import Person
from residency.plan.models import RotationPlanEntry
from residency.programs.models import Block, Holiday
from residency.rotations.models import Rotation
from residency.shifts.models import Shift

# Built once: the window is read on every validation (statement construction is not free).
_WINDOW_ASSIGNMENTS = select(
    Assignment.id,
    Assignment.version,
    Assignment.person_id,
    Assignment.date,
    Assignment.session,
    Assignment.activity_id,
    Assignment.locked,
).where(
    Assignment.program_id == bindparam("program"),
    or_(
        Assignment.date.between(bindparam("narrow_first"), bindparam("narrow_last")),
        and_(
            Assignment.person_id.in_(bindparam("people", expanding=True)),
            Assignment.date.between(bindparam("wide_first"), bindparam("wide_last")),
        ),
    ),
)
_WINDOW_SHIFTS = select(
    Shift.id,
    Shift.version,
    Shift.person_id,
    Shift.kind,
    Shift.date,
    Shift.start_at,
    Shift.end_at,
    Shift.locked,
).where(
    Shift.program_id == bindparam("program"),
    or_(
        and_(Shift.start_at < bindparam("narrow_end"), Shift.end_at > bindparam("narrow_start")),
        and_(
            Shift.person_id.in_(bindparam("people", expanding=True)),
            Shift.start_at < bindparam("wide_end"),
            Shift.end_at > bindparam("wide_start"),
        ),
    ),
)


def _date_lock_keys(program_id: uuid.UUID, day: date) -> tuple[int, int]:
    """A PostgreSQL advisory lock per (program, local date): two 32-bit keys."""
    return int.from_bytes(program_id.bytes[:4], "big", signed=True), day.toordinal()


class ChangeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    async def lock_people(self, program_id: uuid.UUID, ids: Collection[uuid.UUID]) -> list[Person]:
        """The people, locked in id order (`FOR NO KEY UPDATE`: it serializes the changes
        about a person without blocking inserts that merely reference them)."""
        stmt = (
            select(Person)
            .where(Person.program_id == program_id, Person.id.in_(list(ids)))
            .order_by(Person.id)
            .with_for_update(key_share=True)
        )
        return list((await self.session.execute(stmt)).scalars().all())

    async def people_by_id(self, program_id: uuid.UUID, ids: Collection[uuid.UUID]) -> list[Person]:
        stmt = select(Person).where(Person.program_id == program_id, Person.id.in_(list(ids)))
        return list((await self.session.execute(stmt)).scalars().all())

    async def add_rows(self, rows: Collection[Any]) -> None:
        self.session.add_all(list(rows))
        await self.session.flush()

    async def delete_rows(self, rows: Collection[Any]) -> None:
        for row in rows:
            await self.session.delete(row)
        await self.session.flush()

    async def flush(self) -> None:
        await self.session.flush()

    async def lock_dates(self, program_id: uuid.UUID, days: Collection[date]) -> None:
        """PostgreSQL: one transaction-scoped advisory lock per date, in date order (the
        slot- and night-level rules involve other people's rows on those dates).
        SQLite: the writing unit of work already holds the database's one write lock."""
        if not self._postgres or not days:
            return
        ordered = sorted(set(days))
        high = _date_lock_keys(program_id, ordered[0])[0]
        # One round trip; the locks are taken in the array's (date) order.
        await self.session.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(:high, day)) FROM "
                "unnest(CAST(:days AS integer[])) WITH ORDINALITY AS d(day, n)"
            ),
            {"high": high, "days": [_date_lock_keys(program_id, day)[1] for day in ordered]},
        )

    # The catalogue as plain rows (tuples, not ORM objects: a window is loaded per
    # validation, and materializing entities would cost more than the queries).

    async def _rows(self, stmt: Any) -> Sequence[Any]:
        """Plain rows, through the session's connection (no ORM processing)."""
        connection = await self.session.connection()
        return (await connection.execute(stmt)).all()

    async def activities(self, program_id: uuid.UUID) -> Sequence[Any]:
        a = Activity
        return await self._rows(
            select(
                a.id,
                a.code,
                a.category,
                a.am_start,
                a.am_end,
                a.pm_start,
                a.pm_end,
                a.counts_toward_hours,
                a.needs_supervision,
                a.provides_supervision,
                a.sees_patients,
                a.procedures,
            ).where(a.program_id == program_id)
        )

    async def people(self, program_id: uuid.UUID) -> Sequence[Any]:
        p = Person
        return await self._rows(
            select(p.id, p.name, p.role, p.pgy, p.weekly_clinic_cap).where(
                p.program_id == program_id
            )
        )

    async def rotations(self, program_id: uuid.UUID) -> Sequence[Any]:
        r = Rotation
        return await self._rows(
            select(
                r.id,
                r.abbreviation,
                r.name,
                r.min_residents,
                r.max_residents,
                r.eligible_pgy,
                r.leave_allowed,
                r.protected_education_exempt,
                r.takes_call,
            ).where(r.program_id == program_id)
        )

    async def blocks(self, program_id: uuid.UUID) -> Sequence[Any]:
        return await self._rows(
            select(Block.id, Block.number, Block.start_date, Block.end_date).where(
                Block.program_id == program_id
            )
        )

    async def plan(self, program_id: uuid.UUID) -> Sequence[Any]:
        e = RotationPlanEntry
        return await self._rows(
            select(e.person_id, e.block_id, e.rotation_id, e.half).where(e.program_id == program_id)
        )

    async def absences(self, program_id: uuid.UUID) -> Sequence[Any]:
        a = Absence
        return await self._rows(
            select(
                a.person_id, a.kind, a.start_date, a.end_date, a.status, a.override_reason
            ).where(a.program_id == program_id)
        )

    async def holidays(self, program_id: uuid.UUID) -> Sequence[Any]:
        h = Holiday
        return await self._rows(select(h.date, h.clinic_level).where(h.program_id == program_id))

    async def catalogue_fingerprint(self, program_id: uuid.UUID) -> str | None:
        """PostgreSQL: md5 of every catalogue row's id and version (blocks: their dates),
        in one query; None on SQLite (the catalogue is then always loaded)."""
        if not self._postgres:
            return None
        tables = ("people", "activities", "rotations", "rotation_plan", "absences", "holidays")
        parts = [
            f"coalesce((SELECT string_agg(id::text || ':' || version::text, ',' ORDER BY id) "
            f"FROM {table} WHERE program_id = :program), '')"
            for table in tables
        ]
        parts.append(
            "coalesce((SELECT string_agg(id::text || ':' || start_date::text || ':' || "
            "end_date::text, ',' ORDER BY id) FROM blocks WHERE program_id = :program), '')"
        )
        stmt = text(f"SELECT md5(concat_ws('|', {', '.join(parts)}))")
        return str((await self.session.execute(stmt, {"program": program_id})).scalar_one())

    async def window_assignments(
        self,
        program_id: uuid.UUID,
        people: Collection[uuid.UUID],
        wide: tuple[date, date],
        narrow: tuple[date, date],
    ) -> Sequence[Any]:
        """Rows (tuples) of `people` over `wide`, and of everyone over `narrow`."""
        connection = await self.session.connection()
        params = {
            "program": program_id,
            "people": list(people),
            "wide_first": wide[0],
            "wide_last": wide[1],
            "narrow_first": narrow[0],
            "narrow_last": narrow[1],
        }
        return (await connection.execute(_WINDOW_ASSIGNMENTS, params)).all()

    async def window_shifts(
        self,
        program_id: uuid.UUID,
        people: Collection[uuid.UUID],
        wide: tuple[date, date],
        narrow: tuple[date, date],
        zone: ZoneInfo,
    ) -> Sequence[Any]:
        """Shifts (tuples) overlapping `wide` for `people`, and `narrow` for everyone."""

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(0), tzinfo=zone)

        connection = await self.session.connection()
        params = {
            "program": program_id,
            "people": list(people),
            "wide_start": midnight(wide[0]),
            "wide_end": midnight(wide[1] + timedelta(days=1)),
            "narrow_start": midnight(narrow[0]),
            "narrow_end": midnight(narrow[1] + timedelta(days=1)),
        }
        return (await connection.execute(_WINDOW_SHIFTS, params)).all()

    async def lock_assignments(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Assignment]:
        if not ids:
            return {}
        stmt = (
            select(Assignment)
            .where(Assignment.id.in_(list(ids)))
            .order_by(Assignment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return {row.id: row for row in (await self.session.execute(stmt)).scalars().all()}

    async def lock_shifts(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Shift]:
        if not ids:
            return {}
        stmt = (
            select(Shift)
            .where(Shift.id.in_(list(ids)))
            .order_by(Shift.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return {row.id: row for row in (await self.session.execute(stmt)).scalars().all()}

    async def last_touch(self, entity_type: str, entity_id: str) -> AuditEntry | None:
        """The latest audit entry about a row (who changed it last, and when)."""
        stmt = (
            select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
