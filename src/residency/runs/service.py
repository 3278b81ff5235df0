"""Schedule runs: start, follow, cancel, compare with what is published, and publish.

A run is a job (DESIGN.md, "Jobs"): the request creates a `queued` row; the runner solves
in a process pool and records progress in the row; the result lands as a draft on the
row; publishing replaces the published schedule in one transaction, and is refused when
the published schedule changed since the run started.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from residency.activities.repository import ActivityRepository
from residency.assignments.models import Assignment
from residency.audit.service import AuditTrail, snapshot
from residency.changes.repository import ChangeRepository
from residency.core.calendar import Session, academic_year_of, iter_days
from residency.errors import Conflict, InvalidInput
from residency.models_base import utcnow
from residency.plan.models import EntrySource, RotationPlanEntry
from residency.programs.models import AcademicYear, Block, Program
from residency.programs.repository import (
    AcademicYearRepository,
    BlockRepository,
    ProgramRepository,
)
from residency.rotations.repository import RotationRepository
from residency.runs.models import FINISHED, RunStatus, ScheduleRun
from residency.runs.repository import PublishedScheduleRepository, RunRepository
from residency.runs.schemas import RunCreate, RunDiff, SlotChange
from residency.shifts.models import Shift, ShiftKind

DIFF_LISTED_CHANGES = 200


class RunService:
    def __init__(self, session: AsyncSession, program: Program) -> None:
        self.session = session
        self.program = program
        self.runs = RunRepository(session)
        self.audit = AuditTrail(session)

    async def page(self, *, limit: int, offset: int) -> tuple[Sequence[ScheduleRun], int]:
        return await self.runs.page(self.program.id, {}, limit=limit, offset=offset)

    async def get(self, run_id: uuid.UUID) -> ScheduleRun:
        return await self.runs.get_or_404(run_id, self.program.id)

    async def create(
        self, payload: RunCreate, idempotency_key: str | None
    ) -> tuple[ScheduleRun, bool]:
        """A queued run, or the run already made with this Idempotency-Key (and False)."""
        if idempotency_key is not None:
            existing = await self.runs.by_idempotency_key(self.program.id, idempotency_key)
            if existing is not None:
                _check_same_request(existing, payload)
                return existing, False
        year = await self._academic_year(payload.academic_year)
        if payload.scope != "year" and not 1 <= int(payload.scope) <= 13:
            raise InvalidInput.field("scope", 'must be "year" or a block number from 1 to 13')
        run = ScheduleRun(
            program_id=self.program.id,
            scope=payload.scope_text(),
            academic_year=year.start_year,
            time_limit_s=payload.time_limit_s,
            seed=payload.seed,
            base_schedule_version=await ProgramRepository(self.session).schedule_version(
                self.program.id
            ),
            idempotency_key=idempotency_key,
        )
        await self.runs.add(run)
        await self.audit.record("create", run, program_id=self.program.id, after=snapshot(run))
        return run, True

    async def _academic_year(self, start_year: int | None) -> AcademicYear:
        years = await AcademicYearRepository(self.session).all_for(self.program.id)
        wanted = start_year if start_year is not None else academic_year_of(date.today())
        match = next((y for y in years if y.start_year == wanted), None)
        if match is None and start_year is None and years:
            match = years[0]
        if match is None:
            raise InvalidInput.field("academic_year", f"the program has no year {wanted}")
        return match

    async def request_cancel(self, run_id: uuid.UUID) -> ScheduleRun:
        run = await self.runs.get_or_404(run_id, self.program.id, for_update=True)
        if run.status in FINISHED:
            raise Conflict(f"the run already ended ({run.status})", rule="run_finished")
        before = snapshot(run)
        run.cancel_requested = True
        if run.status is RunStatus.QUEUED:
            _finish(run, RunStatus.CANCELLED)
        await self.session.flush()
        await self.audit.record(
            "cancel", run, program_id=self.program.id, before=before, after=snapshot(run)
        )
        return run

    async def diff(self, run_id: uuid.UUID) -> RunDiff:
        run = await self._with_draft(run_id)
        first, last = await self._range(run)
        published = PublishedScheduleRepository(self.session)
        codes = {
            a.id: a.code for a in await ActivityRepository(self.session).all_for(self.program.id)
        }
        before = {
            (str(a.person_id), a.date, a.session.value): codes[a.activity_id]
            for a in await published.assignments(self.program.id, first, last)
        }
        after = {
            (a["person"], date.fromisoformat(a["date"]), a["session"]): a["activity"]
            for a in run.draft["assignments"]  # type: ignore[index]
        }
        shifts_before = {
            (str(s.person_id), s.kind.value, s.start_at)
            for s in await published.shifts(self.program.id, first, last, self._zone)
        }
        shifts_after = {
            (s["person"], s["kind"], datetime.fromisoformat(s["start"]))
            for s in run.draft["shifts"]  # type: ignore[index]
        }
        return _diff(
            before, after, shifts_before, shifts_after, len(run.draft.get("rotation_plan", []))
        )  # type: ignore[union-attr]

    async def publish(self, run_id: uuid.UUID) -> ScheduleRun:
        """Replace the published schedule by the run's draft, in this one transaction.

        Locks in the order every change after publication takes them (changes/service.py):
        the run (two publications of one run wait for each other), the dates of its range,
        the rows, and the program row last, by bumping the schedule version only if it is
        still the one the run started from; a swap or an edit that committed meanwhile
        makes that bump find nothing, and the publication is refused."""
        run = await self._with_draft(run_id, lock=True)
        if run.published_at is not None:
            raise Conflict("this run is already published", rule="run_already_published")
        blocks = await self._blocks(run)
        first, last = blocks[0].start_date, blocks[-1].end_date
        days = list(iter_days(first, last))
        await ChangeRepository(self.session).lock_dates(self.program.id, days)
        programs = ProgramRepository(self.session)
        self._check_base(run, await programs.schedule_version(self.program.id))
        plan_blocks = [b.id for b in blocks] if run.scope == "year" else []
        published = PublishedScheduleRepository(self.session)
        await published.remove_unlocked(self.program.id, first, last, self._zone, plan_blocks)
        await published.add_all(await self._draft_rows(run, blocks, first, last))
        bumped = await programs.bump_schedule_version(
            self.program.id, expected=run.base_schedule_version
        )
        if bumped is None:  # a change committed after the check above: refuse, say which
            self._check_base(run, await programs.schedule_version(self.program.id))
        before = snapshot(run)
        run.published_at = utcnow()
        await self.session.flush()
        # One entry for the whole replacement: the run names the draft that was published.
        await self.audit.record(
            "publish", run, program_id=self.program.id, before=before, after=snapshot(run)
        )
        return run

    @staticmethod
    def _check_base(run: ScheduleRun, current: int) -> None:
        """Refuse when the published schedule is no longer the one the run started from."""
        if current != run.base_schedule_version:
            raise Conflict(
                "the published schedule changed since this run started; run it again",
                rule="published_schedule_changed",
                published_version=current,
                run_base_version=run.base_schedule_version,
            )

    async def _with_draft(self, run_id: uuid.UUID, *, lock: bool = False) -> ScheduleRun:
        run = await self.runs.with_draft(run_id, self.program.id, for_update=lock)
        if run is None:
            await self.runs.get_or_404(run_id, self.program.id)  # raises 404
        assert run is not None
        if run.status is not RunStatus.SUCCEEDED or run.draft is None:
            raise Conflict(f"the run has no draft schedule ({run.status})", rule="run_has_no_draft")
        return run

    @property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.program.timezone)

    async def _blocks(self, run: ScheduleRun) -> list[Block]:
        year = await self._academic_year(run.academic_year)
        blocks = list(await BlockRepository(self.session).for_year(year.id))
        if run.scope == "year":
            return blocks
        return [b for b in blocks if b.number == int(run.scope)]

    async def _range(self, run: ScheduleRun) -> tuple[date, date]:
        blocks = await self._blocks(run)
        return blocks[0].start_date, blocks[-1].end_date

    async def _draft_rows(
        self, run: ScheduleRun, blocks: list[Block], first: date, last: date
    ) -> list[Any]:
        draft: dict[str, Any] = run.draft or {}
        activity_ids = {
            a.code: a.id for a in await ActivityRepository(self.session).all_for(self.program.id)
        }
        locked = {
            (str(a.person_id), a.date, a.session.value)
            for a in await PublishedScheduleRepository(self.session).assignments(
                self.program.id, first, last
            )
            if a.locked
        }
        rows: list[Any] = [
            Assignment(
                program_id=self.program.id,
                person_id=uuid.UUID(a["person"]),
                date=date.fromisoformat(a["date"]),
                session=Session(a["session"]),
                activity_id=activity_ids[a["activity"]],
                source=EntrySource.SOLVER,
                locked=bool(a.get("locked", False)),
            )
            for a in draft.get("assignments", [])
            if (a["person"], date.fromisoformat(a["date"]), a["session"]) not in locked
        ]
        rows += [self._shift_row(s) for s in draft.get("shifts", []) if not s.get("locked")]
        if run.scope == "year":
            rows += await self._plan_rows(draft.get("rotation_plan", []), blocks)
        return rows

    def _shift_row(self, shift: dict[str, Any]) -> Shift:
        start = datetime.fromisoformat(shift["start"])
        return Shift(
            program_id=self.program.id,
            person_id=uuid.UUID(shift["person"]),
            kind=ShiftKind(shift["kind"]),
            date=start.astimezone(self._zone).date(),
            start_at=start,
            end_at=datetime.fromisoformat(shift["end"]),
            source=EntrySource.SOLVER,
        )

    async def _plan_rows(
        self, plan: list[dict[str, Any]], blocks: list[Block]
    ) -> list[RotationPlanEntry]:
        rotation_ids = {
            r.abbreviation: r.id
            for r in await RotationRepository(self.session).all_for(self.program.id)
        }
        block_ids = {b.number: b.id for b in blocks}
        return [
            RotationPlanEntry(
                program_id=self.program.id,
                person_id=uuid.UUID(e["person"]),
                block_id=block_ids[e["block"]],
                half=e.get("half", 0),
                rotation_id=rotation_ids[e["rotation"]],
                source=EntrySource.SOLVER,
            )
            for e in plan
            if not e.get("locked")
        ]


def _check_same_request(existing: ScheduleRun, payload: RunCreate) -> None:
    same = (
        existing.scope == payload.scope_text()
        and existing.time_limit_s == payload.time_limit_s
        and existing.seed == payload.seed
        and payload.academic_year in (None, existing.academic_year)
    )
    if not same:
        raise Conflict(
            "this Idempotency-Key was used for a different request",
            rule="idempotency_key_reused",
            run_id=str(existing.id),
        )


def _finish(run: ScheduleRun, status: RunStatus) -> None:
    run.status = status
    run.finished_at = utcnow()


def _diff(
    before: dict[tuple[str, date, str], str],
    after: dict[tuple[str, date, str], str],
    shifts_before: set[tuple[str, str, datetime]],
    shifts_after: set[tuple[str, str, datetime]],
    plan_entries: int,
) -> RunDiff:
    keys = sorted(before.keys() | after.keys())
    changes = [
        SlotChange(
            person=k[0], date=k[1], session=k[2], published=before.get(k), draft=after.get(k)
        )
        for k in keys
        if before.get(k) != after.get(k)
    ]
    return RunDiff(
        added=sum(1 for c in changes if c.published is None),
        removed=sum(1 for c in changes if c.draft is None),
        changed=sum(1 for c in changes if c.published is not None and c.draft is not None),
        unchanged=len(keys) - len(changes),
        shifts_added=len(shifts_after - shifts_before),
        shifts_removed=len(shifts_before - shifts_after),
        draft_plan_entries=plan_entries,
        changes=changes[:DIFF_LISTED_CHANGES],
    )
