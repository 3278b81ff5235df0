"""Leave decisions and coverage: approve (release the slots, list the gaps), deny, pick.

Approving a requested absence, in one transaction (the change engine's order: the
absence, the person, the dates, the rows, the program, the audit chain):

- refuse leave on a rotation that does not allow it unless a coordinator override
  gives a reason (409 `leave_eligibility`);
- every slot of the person in the range becomes leave (the program's leave activity,
  LV, locked); other rows there are released (deleted), and so are their shifts that
  touch the range; each row change is audited;
- the answer lists the coverage gaps the release creates, each with ranked candidates,
  the person's findings, and their away days this academic year (`away_days`).

Picking a candidate (`pick`) is one new row (a precepting slot, a call or an FMIT week),
validated like a swap and refused (409) when it would add a violation.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from residency.absences.models import Absence, AbsenceStatus
from residency.absences.repository import AbsenceRepository
from residency.absences.schemas import AbsenceRead
from residency.activities.kinds import ActivityCategory
from residency.api.etags import check_if_match
from residency.audit.service import AuditTrail, snapshot
from residency.changes.judge import Finding, judge
from residency.changes.rows import SESSIONS, Change, ScheduleState, SlotRow, Units
from residency.changes.service import ChangeEngine
from residency.compliance import Violation
from residency.compliance.program_rules import AWAY_KINDS, away_days
from residency.core.calendar import (
    academic_year_bounds,
    academic_year_of,
    fmit_week_start,
    iter_days,
)
from residency.core.schedule import AbsenceInfo, PersonInfo, ScheduleSnapshot
from residency.errors import Conflict, InvalidInput
from residency.idempotency.service import Idempotency, Replay
from residency.leave.coverage import (
    Gap,
    GapKind,
    burden,
    fill,
    gaps,
    is_free,
    new_gaps,
    with_absence_status,
)
from residency.leave.repository import LeaveRepository
from residency.leave.schemas import (
    AwayDays,
    CandidateOut,
    Coverage,
    CoveragePick,
    CoverageResult,
    GapOut,
    LeaveDecision,
)
from residency.people.kinds import PersonRole
from residency.people.models import Person
from residency.people.repository import PersonRepository
from residency.programs.models import Program
from residency.swaps.schemas import Problem
from residency.swaps.service import Evaluation, change_out, finding_out

MAX_CANDIDATES = 5


class LeaveService:
    def __init__(
        self,
        session: AsyncSession,
        program: Program,
        *,
        now: datetime,
        user_id: uuid.UUID | None = None,
    ) -> None:
        self.session = session
        self.program = program
        self.now = now
        self.user_id = user_id
        self.engine = ChangeEngine(session, program, now=now)
        self.absences = AbsenceRepository(session)
        self.audit = AuditTrail(session)

    # --- decisions --------------------------------------------------------------------

    async def approve(
        self, absence_id: uuid.UUID, override_reason: str | None, if_match: str | None
    ) -> LeaveDecision:
        absence = await self.absences.get_or_404(absence_id, self.program.id, for_update=True)
        check_if_match(if_match, absence.version)
        self._require_requested(absence)
        before_row = snapshot(absence)
        pid, dates = str(absence.person_id), set(iter_days(absence.start_date, absence.end_date))
        await self.engine.lock({absence.person_id}, dates)
        people = await self._people()
        state = await self.engine.load([str(p) for p in people], dates)
        self._check_rotations(state, absence, override_reason)
        changes = self._release(state, absence)
        after = with_absence_status(
            state.apply(changes),
            pid,
            absence.start_date,
            absence.end_date,
            "approved",
            override_reason,
        )
        # The judge's window holds the absences near the leave; `away_days` counts the
        # whole academic year, so its finding comes from the year's absences instead.
        findings = [f for f in judge(state, after, {pid}, dates) if f.violation.rule != "away_days"]
        away, away_after = await self._away_findings(absence, approved=True)
        _, away_before = await self._away_findings(absence, approved=False)
        findings += [
            Finding(
                v,
                v.severity == "violation"
                and not any(b.severity == "violation" for b in away_before),
            )
            for v in away_after
        ]
        absence.status = AbsenceStatus.APPROVED
        absence.override_reason = override_reason or absence.override_reason
        await self.session.flush()
        await self.engine.write(changes)
        await self.audit.record(
            "approve",
            absence,
            program_id=self.program.id,
            before=before_row,
            after=snapshot(absence),
        )
        found = new_gaps(state, after, absence.start_date, absence.end_date)
        return LeaveDecision(
            absence=AbsenceRead.model_validate(absence),
            gaps=[self._gap_out(after, gap, people) for gap in found],
            away_days=away,
            changes=[change_out(c) for c in changes],
            violations=[finding_out(f) for f in findings],
        )

    async def deny(
        self, absence_id: uuid.UUID, reason: str | None, if_match: str | None
    ) -> Absence:
        absence = await self.absences.get_or_404(absence_id, self.program.id, for_update=True)
        check_if_match(if_match, absence.version)
        self._require_requested(absence)
        before = snapshot(absence)
        absence.status = AbsenceStatus.DENIED
        if reason:
            absence.reason = ((absence.reason + "\n") if absence.reason else "") + (
                f"denied: {reason}"
            )
        await self.session.flush()
        await self.audit.record(
            "deny", absence, program_id=self.program.id, before=before, after=snapshot(absence)
        )
        return absence

    async def coverage(self, absence_id: uuid.UUID) -> Coverage:
        """The gaps of an absence's dates and their candidates: for a requested absence,
        those its approval would create; for an approved one, those still open."""
        absence = await self.absences.get_or_404(absence_id, self.program.id)
        pid, dates = str(absence.person_id), set(iter_days(absence.start_date, absence.end_date))
        people = await self._people()
        state = await self.engine.load([str(p) for p in people], dates)
        first, last = absence.start_date, absence.end_date
        if absence.status is AbsenceStatus.REQUESTED:
            after = with_absence_status(
                state.apply(self._release(state, absence, preview=True)),
                pid,
                first,
                last,
                "approved",
                None,
            )
            found = new_gaps(state, after, first, last)
        elif absence.status is AbsenceStatus.APPROVED:
            after, found = state, gaps(state, first, last)
        else:
            after, found = state, []
        return Coverage(
            absence=AbsenceRead.model_validate(absence),
            gaps=[self._gap_out(after, gap, people) for gap in found],
            away_days=await self._away_days(
                absence,
                approved=absence.status in (AbsenceStatus.REQUESTED, AbsenceStatus.APPROVED),
            ),
        )

    async def pick(
        self, payload: CoveragePick, idempotency: Idempotency
    ) -> CoverageResult | Replay:
        """Put one person in one gap: a one-row change, validated like a swap."""
        target = ":".join(
            str(x) for x in (payload.gap, payload.date, payload.session, payload.person_id)
        )
        gap_dates = _gap_dates(payload.gap, payload.date)
        if payload.gap == "supervision" and payload.session is None:
            raise InvalidInput.field("session", "a supervision gap is an AM or PM session")
        if payload.gap != "supervision" and payload.session is not None:
            raise InvalidInput.field("session", "only supervision gaps have a session")
        if payload.gap == "fmit" and fmit_week_start(payload.date) != payload.date:
            raise InvalidInput.field("date", "an FMIT week starts on a Friday")
        locked = await self.engine.lock({payload.person_id}, gap_dates)
        replay = await idempotency.replay("coverage.pick", target)
        if replay is not None:
            return replay
        person = locked.get(payload.person_id)
        if person is None:
            raise InvalidInput.field("person_id", "no such person in this program")
        pid = str(person.id)
        state = await self.engine.load([pid], gap_dates)
        activity = None
        if payload.gap == "supervision":
            activity = self._precepting(state, payload.activity_id)
        open_gaps = {g.key: g for g in gaps(state, min(gap_dates), max(gap_dates))}
        key = (payload.gap, payload.date, payload.session.value if payload.session else None)
        if key not in open_gaps:
            raise Conflict(
                f"there is no {payload.gap} gap on {payload.date}"
                + (f" {payload.session}" if payload.session else ""),
                rule="no_gap",
            )
        if not self._eligible(person, payload.gap):
            raise Conflict(
                f"{person.name} cannot cover a {payload.gap} gap", rule="role_eligibility"
            )
        if not is_free(state, payload.gap, payload.date, payload.session, pid):
            raise Conflict(
                f"{person.name} is not free then (a row there, or approved leave)",
                rule="not_free",
            )
        change = fill(state, payload.gap, payload.date, payload.session, pid, activity)
        problems = []
        freeze = self.engine.settings.swaps.freeze_window_days
        if payload.date < self.engine.today:
            problems.append(Problem(rule="swap_date_passed", message=f"{payload.date} has passed"))
        elif payload.date <= self.engine.today + timedelta(days=freeze) and not payload.reason:
            problems.append(
                Problem(
                    rule="freeze_window",
                    message=f"{payload.date} is inside the {freeze}-day freeze window: "
                    "give a reason",
                    date=payload.date,
                )
            )
        judgement = self.engine.judge(state, [change], {pid}, gap_dates)
        evaluation = Evaluation(Units(), [change], problems, judgement)
        if not evaluation.executable:
            raise evaluation.refusal("the coverage change")
        await self.engine.write([change])
        result = CoverageResult(validation=evaluation.validation(), change=change_out(change))
        await idempotency.remember("coverage.pick", target, 201, result.model_dump(mode="json"))
        return result

    # --- internals --------------------------------------------------------------------

    def _require_requested(self, absence: Absence) -> None:
        if absence.status is not AbsenceStatus.REQUESTED:
            raise Conflict(
                f"the leave request is {absence.status}; only a requested one is decided",
                rule="absence_status",
                absence_status=str(absence.status),
            )

    async def _people(self) -> dict[uuid.UUID, Person]:
        return {p.id: p for p in await PersonRepository(self.session).all_for(self.program.id)}

    def _check_rotations(
        self, state: ScheduleState, absence: Absence, override: str | None
    ) -> None:
        """`leave_eligibility`: leave on a rotation that does not allow it needs an override."""
        pid = str(absence.person_id)
        refused = []
        for day in iter_days(absence.start_date, absence.end_date):
            rotation = state.catalogue.rotation_on(pid, day)
            if rotation is not None and not rotation.leave_allowed:
                refused.append((day, rotation.name))
        if refused and not override:
            names = sorted({name for _, name in refused})
            raise Conflict(
                f"{', '.join(names)} does not allow leave ({refused[0][0]}"
                + (f" .. {refused[-1][0]}" if len(refused) > 1 else "")
                + "): a coordinator override with a reason is needed",
                rule="leave_eligibility",
                days=[day.isoformat() for day, _ in refused],
                rotations=names,
            )

    def _leave_activity(self, state: ScheduleState) -> tuple[str, str] | None:
        codes = self.engine.activity_codes
        leave = sorted(
            (code != "LV", code, activity_id)
            for activity_id, code in codes.items()
            if state.catalogue.activities[code].category is ActivityCategory.LEAVE
        )
        return (leave[0][2], leave[0][1]) if leave else None

    def _release(
        self, state: ScheduleState, absence: Absence, *, preview: bool = False
    ) -> list[Change]:
        """LV (locked) in every slot of the range; other rows there and the shifts that
        touch it are released. (A preview of a program without a leave activity only
        releases; approving there is refused: 409 `no_leave_activity`.)"""
        pid = str(absence.person_id)
        leave = self._leave_activity(state)
        if leave is None and not preview:
            raise Conflict(
                "the program has no leave activity (category 'leave', e.g. LV)",
                rule="no_leave_activity",
            )
        catalogue = state.catalogue
        changes: list[Change] = []
        for day in iter_days(absence.start_date, absence.end_date):
            for session in SESSIONS:
                row = state.slot_of(pid, day, session)
                if row is not None and catalogue.activities[row.activity].category is (
                    ActivityCategory.LEAVE
                ):
                    if not row.locked:
                        changes.append(Change(row, replace(row, locked=True)))
                    continue
                if row is not None:
                    changes.append(Change(row, None))
                if leave is not None:
                    slot = SlotRow(str(uuid.uuid4()), 1, pid, day, session, *leave, locked=True)
                    changes.append(Change(None, slot))
        first = datetime.combine(absence.start_date, datetime.min.time(), tzinfo=self.engine.zone)
        last = datetime.combine(
            absence.end_date + timedelta(days=1), datetime.min.time(), tzinfo=self.engine.zone
        )
        for shift in sorted(state.shifts.values(), key=lambda s: s.start):
            if shift.person == pid and shift.start < last and shift.end > first:
                changes.append(Change(shift, None))
        return changes

    def _eligible(self, person: Person, gap: GapKind) -> bool:
        if not person.active:
            return False
        if gap == "resident_call":
            return person.role is PersonRole.RESIDENT
        if person.role is not PersonRole.FACULTY:
            return False
        return gap != "fmit" or person.faculty_role in self.engine.settings.fmit_faculty_roles

    def _precepting(self, state: ScheduleState, activity_id: uuid.UUID | None) -> tuple[str, str]:
        codes = self.engine.activity_codes
        if activity_id is not None:
            code = codes.get(str(activity_id))
            if code is None or not state.catalogue.activities[code].provides_supervision:
                raise InvalidInput.field("activity_id", "not a precepting activity of the program")
            return str(activity_id), code
        options = sorted(
            (code != "AT", code, aid)
            for aid, code in codes.items()
            if state.catalogue.activities[code].provides_supervision
        )
        if not options:
            raise Conflict("the program has no precepting activity", rule="no_precepting_activity")
        return options[0][2], options[0][1]

    def _gap_out(self, state: ScheduleState, gap: Gap, people: dict[uuid.UUID, Person]) -> GapOut:
        return GapOut(
            kind=gap.kind,
            date=gap.date,
            session=gap.session,
            required=gap.required,
            scheduled=gap.scheduled,
            message=gap.message,
            days=list(gap.days),
            candidates=self._candidates(state, gap, people),
        )

    def _candidates(
        self, state: ScheduleState, gap: Gap, people: dict[uuid.UUID, Person]
    ) -> list[CandidateOut]:
        """Free and eligible people, least recent burden first, kept while compliant."""
        ranked = sorted(
            (burden(state, gap.kind, gap.date, str(p.id)), p.name, p)
            for p in people.values()
            if self._eligible(p, gap.kind)
            and is_free(state, gap.kind, gap.date, gap.session, str(p.id))
        )
        activity = None
        if gap.kind == "supervision":
            activity = self._precepting(state, None)
        dates = _gap_dates(gap.kind, gap.date)
        chosen = []
        for (count, recency), _, person in ranked:
            pid = str(person.id)
            change = fill(state, gap.kind, gap.date, gap.session, pid, activity)
            if self.engine.judge(state, [change], {pid}, dates).introduced:
                continue
            chosen.append(
                CandidateOut(
                    person_id=pid,
                    name=person.name,
                    recent_duties=count,
                    days_since_last=-recency if count else None,
                )
            )
            if len(chosen) == MAX_CANDIDATES:
                break
        return chosen

    async def _away_days(self, absence: Absence, *, approved: bool) -> AwayDays:
        return (await self._away_findings(absence, approved=approved))[0]

    async def _away_findings(
        self, absence: Absence, *, approved: bool
    ) -> tuple[AwayDays, list[Violation]]:
        """The `away_days` rule over the person's absences this academic year (with this
        one approved or not)."""
        settings = self.engine.settings
        first, last = academic_year_bounds(academic_year_of(absence.start_date))
        rows = await LeaveRepository(self.session).of_person_between(absence.person_id, first, last)
        infos = [
            AbsenceInfo(
                str(a.person_id),
                a.kind.value,
                a.start_date,
                a.end_date,
                "approved" if (a.id == absence.id and approved) else a.status.value,
                a.override_reason,
            )
            for a in rows
        ]
        days = {
            day
            for a in infos
            if a.status == "approved" and a.kind in AWAY_KINDS
            for day in a.days()
            if first <= day <= last
        }
        snapshot_ = await self._catalogue_for_away_days(infos)
        findings = away_days(snapshot_) if snapshot_ is not None else []
        level = "ok"
        message = f"{len(days)} days away this academic year"
        for finding in findings:
            level = "flag" if finding.severity == "violation" else "warning"
            message = finding.message
        summary = AwayDays(
            days=len(days),
            warn_at=settings.away_days_warn,
            flag_at=settings.away_days_flag,
            level=level,  # type: ignore[arg-type]
            message=message,
        )
        return summary, findings

    async def _catalogue_for_away_days(self, infos: list[AbsenceInfo]) -> Any:
        if not infos:
            return None
        person = await PersonRepository(self.session).get(uuid.UUID(infos[0].person))
        assert person is not None
        return ScheduleSnapshot(
            timezone=self.program.timezone,
            settings=self.engine.settings,
            period=(min(a.start_date for a in infos), max(a.end_date for a in infos)),
            blocks=[],
            activities={},
            people={
                str(person.id): PersonInfo(
                    str(person.id), person.name, person.role.value, person.pgy
                )
            },
            absences=infos,
        )


def _gap_dates(kind: str, day: date) -> set[date]:
    if kind == "fmit":
        return set(iter_days(day, day + timedelta(days=7)))
    if kind == "supervision":
        return {day}
    return {day, day + timedelta(days=1)}
