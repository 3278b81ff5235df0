"""The change engine: lock, load a window into memory, judge a change, write it.

Every change after publication (a swap, its rollback, a leave release, a coverage pick)
goes through these steps, in this order, inside the request's unit of work:

1. `lock`: the people involved (rows, in id order), then the dates (PostgreSQL advisory
   locks, in date order). Two changes about one person, or about one date, never
   overlap: the second waits, then reads what the first committed. On SQLite the unit
   of work's BEGIN IMMEDIATE already makes every writer the only one.
2. `load`: the window (the people's rows over 29 days each side of the dates, everyone's
   rows from the first date to the last) as a `ScheduleState`.
3. `judge` the after-state against the before-state (changes/judge.py).
4. `write`: lock the rows to change (`SELECT ... FOR UPDATE`, in id order), check they
   are still at the version read, apply the change, and record one audit entry per row;
   the unit of work's last step bumps the program's schedule version and links the
   entries into the audit chain (audit/service.py, `seal`).

Every schedule mutation takes its locks in this one order (people, dates, rows, the
program row, the audit chain; publishing a run: the run, its dates, rows, the program
row, the chain), so two of them never wait for each other in a cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from residency.assignments.models import Assignment
from residency.audit.service import AuditTrail, note_schedule_change, snapshot
from residency.changes.catalogue import CACHE, Catalogue
from residency.changes.judge import WINDOW_DAYS, Finding, judge
from residency.changes.repository import ChangeRepository
from residency.changes.rows import Change, Row, ScheduleState, ShiftRow, SlotRow
from residency.core.calendar import Session
from residency.core.schedule import ScheduleSnapshot
from residency.core.settings import ProgramSettings
from residency.errors import Conflict
from residency.people.models import Person
from residency.plan.models import EntrySource
from residency.programs.models import Program
from residency.shifts.models import Shift, ShiftKind

WIDE = timedelta(days=WINDOW_DAYS + 1)  # duty-hour windows, and the rest rules' look-back


@dataclass(frozen=True)
class Written:
    """Rows written by `apply`, not yet announced (`publish`)."""

    changes: list[Change]
    recorded: list[dict[str, Any]]
    audits: list[tuple[str, Any, dict[str, Any] | None, dict[str, Any] | None]]


@dataclass(frozen=True)
class Judgement:
    before: ScheduleState
    after: ScheduleState
    findings: list[Finding]

    @property
    def introduced(self) -> list[Finding]:
        return [f for f in self.findings if f.introduced]


class ChangeEngine:
    def __init__(self, session: AsyncSession, program: Program, *, now: datetime) -> None:
        self.session = session
        self.program = program
        self.now = now
        self.zone = ZoneInfo(program.timezone)
        self.today = now.astimezone(self.zone).date()
        self.settings = ProgramSettings.model_validate(program.settings)
        self.repository = ChangeRepository(session)
        self.audit = AuditTrail(session)
        self.activity_codes: dict[str, str] = {}

    # --- 1. locks ---------------------------------------------------------------------

    async def lock(
        self, people: Collection[uuid.UUID], dates: Collection[date]
    ) -> dict[uuid.UUID, Person]:
        locked = await self.lock_people(people)
        await self.lock_dates(dates)
        return locked

    async def lock_people(self, people: Collection[uuid.UUID]) -> dict[uuid.UUID, Person]:
        """First of the two steps of `lock` (a caller may need the people to find the dates)."""
        locked = await self.repository.lock_people(self.program.id, people)
        return {person.id: person for person in locked}

    async def lock_dates(self, dates: Collection[date]) -> None:
        await self.repository.lock_dates(self.program.id, dates)

    # --- 2. the window in memory ---------------------------------------------------------

    async def load(self, people: Collection[str], dates: Collection[date]) -> ScheduleState:
        """The schedule around `dates`: `people`'s rows 29 days each side (their duty-hour
        windows and their own program rules), everyone's rows from the first date to the
        last (the slot- and night-level rules judged on the changed dates: supervision,
        clinic capacity, call coverage; changes/judge.py)."""
        first, last = min(dates), max(dates)
        wide, narrow = (first - WIDE, last + WIDE), (first, last)
        catalogue = await self._catalogue(wide)
        ids = [uuid.UUID(p) for p in people]
        program_id = self.program.id
        assignments = {
            str(r.id): SlotRow(
                str(r.id),
                r.version,
                str(r.person_id),
                r.date,
                Session(r.session),
                str(r.activity_id),
                self.activity_codes[str(r.activity_id)],
                r.locked,
            )
            for r in await self.repository.window_assignments(program_id, ids, wide, narrow)
        }
        shifts = {
            str(r.id): ShiftRow(
                str(r.id),
                r.version,
                str(r.person_id),
                str(ShiftKind(r.kind)),
                r.date,
                r.start_at,
                r.end_at,
                r.locked,
            )
            for r in await self.repository.window_shifts(program_id, ids, wide, narrow, self.zone)
        }
        return ScheduleState(catalogue, assignments, shifts)

    async def _catalogue(self, span: tuple[date, date]) -> ScheduleSnapshot:
        """The catalogue over `span`: from the per-process cache while the program's
        catalogue tables are unchanged (changes/catalogue.py), else loaded."""
        rows, program_id = self.repository, self.program.id
        fingerprint = await rows.catalogue_fingerprint(program_id)
        catalogue = CACHE.get(program_id, fingerprint) if fingerprint else None
        if catalogue is None:
            catalogue = Catalogue.of(
                await rows.activities(program_id),
                await rows.people(program_id),
                await rows.rotations(program_id),
                await rows.blocks(program_id),
                await rows.plan(program_id),
                await rows.absences(program_id),
                await rows.holidays(program_id),
            )
            if fingerprint:
                CACHE.put(program_id, fingerprint, catalogue)
        self.activity_codes = catalogue.activity_codes
        return catalogue.snapshot(self.program.timezone, self.settings, span)

    # --- 3. judge ---------------------------------------------------------------------

    def judge(
        self,
        before: ScheduleState,
        changes: Sequence[Change],
        people: set[str],
        dates: set[date],
    ) -> Judgement:
        after = before.apply(changes)
        return Judgement(before, after, judge(before, after, people, dates))

    # --- 4. write ---------------------------------------------------------------------

    async def write(self, changes: Sequence[Change]) -> list[dict[str, Any]]:
        """Apply `changes` (validated by the caller) and audit them; return what changed:
        table, id, op, and the row's version and fields before and after."""
        written = await self.apply(changes)
        await self.publish(written)
        return written.recorded

    async def apply(self, changes: Sequence[Change]) -> Written:
        """Step 4a: lock the rows, check their versions, write them (flushed)."""
        if not changes:
            return Written([], [], [])
        slots = await self.repository.lock_assignments(
            {uuid.UUID(c.before.id) for c in changes if isinstance(c.before, SlotRow)}
        )
        shifts = await self.repository.lock_shifts(
            {uuid.UUID(c.before.id) for c in changes if isinstance(c.before, ShiftRow)}
        )
        orm: dict[str, Any] = {str(k): v for k, v in (slots | shifts).items()}  # type: ignore[operator]
        for change in changes:
            if change.before is not None:
                self._check_current(change.before, orm.get(change.before.id))
        before_audit = {key: snapshot(row) for key, row in orm.items()}
        # Deletes first: a released slot may be taken by a created row in the same change.
        deleted = [orm[c.row.id] for c in changes if c.op == "delete"]
        if deleted:
            await self.repository.delete_rows(deleted)
        created: dict[str, Any] = {}
        for change in changes:
            if change.op == "update":
                assert change.after is not None
                _assign(orm[change.row.id], change.after)
            elif change.op == "create":
                assert change.after is not None
                created[change.after.id] = self._new_row(change.after)
        await self.repository.add_rows(created.values())  # flushes the updates too
        audits = []
        recorded = []
        for change in changes:
            key = change.row.id
            row = orm.get(key) or created[key]
            before = before_audit.get(key) if change.before is not None else None
            after = snapshot(row) if change.after is not None else None
            audits.append((change.op, row, before, after))
            recorded.append(_recorded(change, before, after))
        return Written(list(changes), recorded, audits)

    async def publish(self, written: Written) -> None:
        """Step 4b: one audit entry per row, and the schedule version to bump (both done
        at commit: the program row and the audit chain are held the shortest)."""
        if not written.changes:
            return
        note_schedule_change(self.session, self.program.id)
        for op, row, before, after in written.audits:
            await self.audit.record(op, row, program_id=self.program.id, before=before, after=after)

    def _check_current(self, expected: Row, row: Any) -> None:
        if row is None or row.version != expected.version:
            raise Conflict(
                f"the {expected.table} row {expected.id} changed while this change was "
                "prepared; try again",
                rule="row_changed",
                table=expected.table,
                row_id=expected.id,
            )

    def _new_row(self, row: Row) -> Any:
        if isinstance(row, SlotRow):
            return Assignment(
                id=uuid.UUID(row.id),
                program_id=self.program.id,
                person_id=uuid.UUID(row.person),
                date=row.date,
                session=row.session,
                activity_id=uuid.UUID(row.activity_id),
                source=EntrySource.MANUAL,
                locked=row.locked,
            )
        return Shift(
            id=uuid.UUID(row.id),
            program_id=self.program.id,
            person_id=uuid.UUID(row.person),
            kind=ShiftKind(row.kind),
            date=row.date,
            start_at=row.start,
            end_at=row.end,
            source=EntrySource.MANUAL,
            locked=row.locked,
        )


def _assign(row: Any, target: Row) -> None:
    row.person_id = uuid.UUID(target.person)
    row.locked = target.locked
    if isinstance(target, SlotRow):
        row.activity_id = uuid.UUID(target.activity_id)
    else:
        row.start_at = target.start
        row.end_at = target.end


TRACKED = {
    "assignments": ("version", "person_id", "date", "session", "activity_id", "locked"),
    "shifts": ("version", "person_id", "kind", "date", "start_at", "end_at", "locked"),
}


def _recorded(
    change: Change, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, Any]:
    fields = TRACKED[change.row.table]
    return {
        "table": change.row.table,
        "id": change.row.id,
        "op": change.op,
        "before": {k: before[k] for k in fields} if before is not None else None,
        "after": {k: after[k] for k in fields} if after is not None else None,
    }
