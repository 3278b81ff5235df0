"""Swaps: request, accept or claim, approve, execute, roll back; every step audited.

Lifecycle: requested -> accepted (by the counterparty, or claimed when it is an open
offer) -> approved (by a coordinator or chief; skipped when the program's
`swaps.approval_required` is off, in which case acceptance executes at once) ->
executed -> (rolled back). Also declined, denied, cancelled, and expired: an open swap
whose first date has passed expires at the next housekeeping pass (housekeeping.py),
or before that the next time anyone acts on it or creates a swap in the program.

Execution and rollback go through the change engine (changes/service.py): lock the
people then the dates, load the window, judge, write with the audit entries. A swap is
refused (409, every finding listed) when the after-state has a problem (eligibility,
leave, freeze window, locked rows, units no longer held) or a violation the
before-state did not have.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from residency.audit.service import AuditTrail, snapshot
from residency.changes.judge import Finding
from residency.changes.repository import ChangeRepository
from residency.changes.rows import (
    Change,
    Row,
    ScheduleState,
    ShiftRow,
    SlotRow,
    Units,
    collisions,
    exchange,
    rows_in,
)
from residency.changes.service import ChangeEngine, Judgement
from residency.core.calendar import Session
from residency.errors import Conflict, Forbidden, InvalidInput
from residency.people.kinds import PersonRole
from residency.people.models import Person
from residency.programs.models import Program
from residency.programs.repository import AcademicYearRepository
from residency.shifts.models import ShiftKind
from residency.shifts.service import ROLE_OF_KIND
from residency.swaps.kinds import OPEN_STATUSES, SwapKind, SwapMode, SwapStatus
from residency.swaps.models import Swap
from residency.swaps.repository import SwapRepository
from residency.swaps.schemas import (
    FindingOut,
    Problem,
    RowChangeOut,
    SwapCreate,
    SwapProposal,
    UnitRef,
    Validation,
)
from residency.swaps.units import holds, is_fmit_start, units_for


class SwapExpired(Conflict):
    """The swap's first date has passed: it is marked expired, and that is kept."""

    commit_anyway = True


@dataclass
class Evaluation:
    """A proposed or stored swap, judged."""

    units: Units
    changes: list[Change]
    problems: list[Problem]
    judgement: Judgement | None

    @property
    def findings(self) -> list[Finding]:
        return self.judgement.findings if self.judgement else []

    @property
    def introduced(self) -> list[Finding]:
        return [f for f in self.findings if f.introduced]

    @property
    def executable(self) -> bool:
        return not self.problems and not self.introduced

    def validation(self) -> Validation:
        return Validation(
            executable=self.executable,
            problems=self.problems,
            violations=[finding_out(f) for f in self.findings],
            changes=[change_out(c) for c in self.changes],
        )

    def refusal(self, what: str = "the swap") -> Conflict:
        reasons = [p.message for p in self.problems] + [
            f.violation.message for f in self.introduced
        ]
        rule = self.problems[0].rule if self.problems else self.introduced[0].violation.rule
        return Conflict(
            f"{what} cannot be executed: "
            + "; ".join(reasons[:5])
            + (f" (and {len(reasons) - 5} more)" if len(reasons) > 5 else ""),
            rule=rule,
            problems=[p.model_dump(mode="json") for p in self.problems],
            violations=[finding_out(f).model_dump(mode="json") for f in self.findings],
        )


def finding_out(finding: Finding) -> FindingOut:
    v = finding.violation
    return FindingOut(
        rule=v.rule,
        person=v.person,
        severity=v.severity,
        start=v.start,
        end=v.end,
        value=v.value,
        limit=v.limit,
        message=v.message,
        introduced=finding.introduced,
    )


def change_out(change: Change) -> RowChangeOut:
    row = change.row
    before, after = change.before, change.after
    return RowChangeOut(
        table=row.table,
        id=row.id,
        op=change.op,
        date=row.date,
        session=row.session if isinstance(row, SlotRow) else None,
        kind=row.kind if isinstance(row, ShiftRow) else None,
        person_before=before.person if before else None,
        person_after=after.person if after else None,
        activity_before=before.activity if isinstance(before, SlotRow) else None,
        activity_after=after.activity if isinstance(after, SlotRow) else None,
    )


class SwapService:
    """Swaps of one program, as seen by one user.

    `owner` (a person id) restricts the user to their own swaps: they request as
    themselves, accept, decline or claim as themselves, cancel their own requests, and
    see their own swaps and the open offers (auth/permissions.py, OWN scope).
    """

    def __init__(
        self,
        session: AsyncSession,
        program: Program,
        *,
        now: datetime,
        user_id: uuid.UUID | None = None,
        owner: uuid.UUID | None = None,
    ) -> None:
        self.session = session
        self.program = program
        self.now = now
        self.user_id = user_id
        self.owner = owner
        self.engine = ChangeEngine(session, program, now=now)
        self.policy = self.engine.settings.swaps
        self.today = self.engine.today
        self.swaps = SwapRepository(session)
        self.audit = AuditTrail(session)
        self._people: dict[uuid.UUID, Person] = {}  # keeps prefetched people loaded

    # --- reading ----------------------------------------------------------------------

    async def history(
        self,
        filters: Mapping[str, Any],
        *,
        limit: int,
        offset: int,
        person_id: uuid.UUID | None = None,
    ) -> tuple[Sequence[Swap], int]:
        """Newest first; `person_id`: one person's swaps (theirs only, for OWN scope)."""
        values = {k: v for k, v in filters.items() if v is not None}
        if person_id is not None:
            if self.owner is not None and person_id != self.owner:
                raise Forbidden("your role reaches only your own swaps")
            values["person_id"] = person_id
        return await self.swaps.history(
            self.program.id, values, visible_to=self.owner, limit=limit, offset=offset
        )

    async def get(self, swap_id: uuid.UUID) -> Swap:
        swap = await self.swaps.get_or_404(swap_id, self.program.id)
        if self.owner is not None and not self._visible(swap):
            raise Forbidden("this swap is not yours")
        return swap

    def _visible(self, swap: Swap) -> bool:
        return self.owner in (swap.requester_id, swap.counterparty_id) or (
            swap.mode is SwapMode.OFFER and swap.status is SwapStatus.REQUESTED
        )

    # --- validation -------------------------------------------------------------------

    async def validate_proposal(self, proposal: SwapProposal) -> Validation:
        """Judge a proposed swap without writing anything."""
        if self.owner is not None and self.owner not in (
            proposal.requester_id,
            proposal.counterparty_id,
        ):
            raise Forbidden("you may validate only swaps you would take part in")
        if proposal.requester_id == proposal.counterparty_id:
            raise InvalidInput.field("counterparty_id", "must be someone else")
        await self._prefetch(proposal.requester_id, proposal.counterparty_id)
        requester = await self._person(proposal.requester_id, "requester_id")
        counterparty = await self._person(proposal.counterparty_id, "counterparty_id")
        self._check_shape(proposal.kind, proposal.offered, "offered")
        if proposal.wanted is not None:
            self._check_shape(proposal.kind, proposal.wanted, "wanted")
        evaluation = await self._evaluate(
            proposal.kind,
            requester,
            counterparty,
            (proposal.offered.date, proposal.offered.session),
            (proposal.wanted.date, proposal.wanted.session) if proposal.wanted else None,
            proposal.reason,
            lock=False,
        )
        return evaluation.validation()

    async def validate(self, swap_id: uuid.UUID, claimant: uuid.UUID | None) -> Validation:
        """Judge a stored swap as it would execute now (an open offer: for `claimant`)."""
        swap = await self.get(swap_id)
        counterparty_id = swap.counterparty_id
        if counterparty_id is None:
            counterparty_id = claimant or self.owner
            if counterparty_id is None:
                raise InvalidInput.field("person_id", "name who would claim this open offer")
        elif claimant is not None and claimant != counterparty_id:
            raise InvalidInput.field("person_id", "this swap already has its counterparty")
        if self.owner is not None and self.owner not in (swap.requester_id, counterparty_id):
            raise Forbidden("you may validate only swaps you take part in")
        evaluation = await self._evaluate_swap(
            swap, await self._person(counterparty_id, "person_id"), lock=False
        )
        return evaluation.validation()

    # --- the lifecycle ----------------------------------------------------------------

    async def create(self, payload: SwapCreate) -> Swap:
        self._check_owner(payload.requester_id, "you request swaps of your own schedule only")
        requester = await self._person(payload.requester_id, "requester_id")
        counterparty = None
        if payload.counterparty_id is not None:
            counterparty = await self._person(payload.counterparty_id, "counterparty_id")
            if counterparty.id == requester.id:
                raise InvalidInput.field("counterparty_id", "must be someone else")
        self._check_shape(payload.kind, payload.offered, "offered")
        if payload.wanted is not None:
            self._check_shape(payload.kind, payload.wanted, "wanted")
            if payload.wanted.date == payload.offered.date and (
                payload.wanted.session == payload.offered.session
            ):
                raise InvalidInput.field("wanted", "must differ from the offered unit")
        units = self._units(payload.kind, requester, payload.offered, payload.wanted)
        await self._check_in_year(payload.offered.date, "offered.date")
        if payload.wanted is not None:
            await self._check_in_year(payload.wanted.date, "wanted.date")
        first, last = min(units.dates), max(units.dates)
        if min(payload.offered.date, (payload.wanted or payload.offered).date) < self.today:
            raise Conflict(f"the swap touches {first}, which has passed", rule="swap_date_passed")
        await self.expire_overdue()
        state = await self.engine.load(
            {str(requester.id)} | ({str(counterparty.id)} if counterparty else set()),
            units.dates,
        )
        role = requester.role.value
        if not holds(state, payload.kind, role, str(requester.id), *_unit(payload.offered)):
            raise Conflict(
                f"{requester.name} holds no {_label(payload.kind)} on {payload.offered.date}",
                rule="unit_not_held",
                field="offered",
            )
        if (
            counterparty is not None
            and payload.wanted is not None
            and not holds(state, payload.kind, role, str(counterparty.id), *_unit(payload.wanted))
        ):
            raise Conflict(
                f"{counterparty.name} holds no {_label(payload.kind)} on {payload.wanted.date}",
                rule="unit_not_held",
                field="wanted",
            )
        if counterparty is not None:  # an obviously ineligible request is refused at once
            offered = _unit(payload.offered)
            wanted = _unit(payload.wanted) if payload.wanted else None
            ineligible = self._eligibility(
                state, payload.kind, requester, counterparty, offered, wanted
            )
            if ineligible:
                raise Conflict(ineligible[0].message, rule=ineligible[0].rule)
        swap = Swap(
            program_id=self.program.id,
            kind=payload.kind,
            mode=payload.mode,
            status=SwapStatus.REQUESTED,
            requester_id=requester.id,
            counterparty_id=counterparty.id if counterparty else None,
            offered_date=payload.offered.date,
            offered_session=payload.offered.session,
            wanted_date=payload.wanted.date if payload.wanted else None,
            wanted_session=payload.wanted.session if payload.wanted else None,
            first_date=first,
            last_date=last,
            reason=payload.reason,
            note=payload.note,
            created_at=self.now,
            created_by=self.user_id,
        )
        duplicate = await self.swaps.duplicate_of(swap)
        if duplicate is not None:
            raise Conflict(
                "the same swap is already open", rule="swap_duplicate", swap_id=str(duplicate.id)
            )
        await self.swaps.add(swap)
        await self.audit.record("create", swap, program_id=self.program.id, after=snapshot(swap))
        return swap

    async def accept(self, swap_id: uuid.UUID) -> Swap:
        """The counterparty accepts a directed request (it executes at once when the
        program needs no approval)."""
        swap = await self._locked(swap_id)
        before = snapshot(swap)
        if swap.mode is not SwapMode.DIRECTED:
            raise Conflict("an open offer is claimed, not accepted", rule="swap_mode")
        self._check_owner(swap.counterparty_id, "only the counterparty accepts a swap")
        await self._require_status(swap, SwapStatus.REQUESTED)
        swap.status = SwapStatus.ACCEPTED
        swap.accepted_at = self.now
        return await self._after_acceptance(swap, before, "accept")

    async def claim(self, swap_id: uuid.UUID, person_id: uuid.UUID | None) -> Swap:
        """Someone eligible claims an open offer (executing it when no approval is needed)."""
        swap = await self._locked(swap_id)
        before = snapshot(swap)
        if swap.mode is not SwapMode.OFFER:
            raise Conflict("a directed request is accepted, not claimed", rule="swap_mode")
        claimant_id = person_id or self.owner
        if claimant_id is None:
            raise InvalidInput.field("person_id", "name who claims the offer")
        self._check_owner(claimant_id, "you claim offers for yourself only")
        await self._require_status(swap, SwapStatus.REQUESTED)
        claimant = await self._person(claimant_id, "person_id")
        if claimant.id == swap.requester_id:
            raise InvalidInput.field("person_id", "the requester cannot claim their own offer")
        swap.counterparty_id = claimant.id
        swap.status = SwapStatus.ACCEPTED
        swap.accepted_at = self.now
        if swap.wanted_date is not None:
            evaluation = await self._evaluate_swap(swap, claimant, lock=False)
            unheld = [p for p in evaluation.problems if p.rule == "unit_not_held"]
            if unheld:
                raise Conflict(unheld[0].message, rule="unit_not_held", field="wanted")
        return await self._after_acceptance(swap, before, "claim")

    async def _after_acceptance(self, swap: Swap, before: dict[str, Any], action: str) -> Swap:
        if not self.policy.approval_required:
            await self._execute(swap)
        await self.session.flush()
        await self.audit.record(
            action, swap, program_id=self.program.id, before=before, after=snapshot(swap)
        )
        return swap

    async def decline(self, swap_id: uuid.UUID) -> Swap:
        swap = await self._locked(swap_id)
        if swap.mode is not SwapMode.DIRECTED:
            raise Conflict("an open offer is not declined: leave it unclaimed", rule="swap_mode")
        self._check_owner(swap.counterparty_id, "only the counterparty declines a swap")
        await self._require_status(swap, SwapStatus.REQUESTED)
        return await self._close(swap, SwapStatus.DECLINED, "decline", None)

    async def cancel(self, swap_id: uuid.UUID, reason: str | None) -> Swap:
        swap = await self._locked(swap_id)
        self._check_owner(swap.requester_id, "only the requester cancels a swap")
        await self._require_status(swap, *OPEN_STATUSES)
        return await self._close(swap, SwapStatus.CANCELLED, "cancel", reason)

    async def approve(self, swap_id: uuid.UUID, reason: str | None) -> Swap:
        swap = await self._locked(swap_id)
        before = snapshot(swap)
        await self._require_status(swap, SwapStatus.ACCEPTED)
        swap.status = SwapStatus.APPROVED
        swap.approved_at = self.now
        swap.approved_by = self.user_id
        if reason:
            swap.reason = reason
        await self.session.flush()
        await self.audit.record(
            "approve", swap, program_id=self.program.id, before=before, after=snapshot(swap)
        )
        return swap

    async def deny(self, swap_id: uuid.UUID, reason: str | None) -> Swap:
        swap = await self._locked(swap_id)
        await self._require_status(swap, SwapStatus.REQUESTED, SwapStatus.ACCEPTED)
        return await self._close(swap, SwapStatus.DENIED, "deny", reason)

    async def lock_for_execution(self, swap_id: uuid.UUID) -> Swap:
        """The swap, locked: an Idempotency-Key is looked up after this (see idempotency)."""
        return await self._locked(swap_id)

    async def execute(self, swap: Swap) -> Swap:
        """Execute an approved swap (or an accepted one when approval is off); atomic."""
        before = snapshot(swap)
        executable = [SwapStatus.APPROVED]
        if not self.policy.approval_required:
            executable.append(SwapStatus.ACCEPTED)
        await self._require_status(swap, *executable)
        await self._execute(swap)
        await self.session.flush()
        await self.audit.record(
            "execute", swap, program_id=self.program.id, before=before, after=snapshot(swap)
        )
        return swap

    async def rollback(self, swap: Swap, reason: str | None) -> Swap:
        """Undo an executed swap inside the program's rollback window, when no row it
        changed was touched since; validated like a swap, audited."""
        before = snapshot(swap)
        if swap.status is not SwapStatus.EXECUTED:
            raise Conflict(
                f"only an executed swap can be rolled back; this one is {swap.status}",
                rule="swap_not_executed",
                swap_status=str(swap.status),
            )
        assert swap.executed_at is not None
        deadline = swap.executed_at + timedelta(hours=self.policy.rollback_window_hours)
        if self.now > deadline:
            raise Conflict(
                f"the rollback window ({self.policy.rollback_window_hours:g} h) ended at "
                f"{deadline.isoformat()}",
                rule="rollback_window_passed",
                deadline=deadline.isoformat(),
            )
        recorded = list(swap.changes or [])
        requester = await self._person(swap.requester_id, "requester_id")
        wanted = (
            UnitRef(date=swap.wanted_date, session=swap.wanted_session)
            if (swap.wanted_date)
            else None
        )
        units = self._units(
            swap.kind,
            requester,
            UnitRef(date=swap.offered_date, session=swap.offered_session),
            wanted,
        )
        people = {str(swap.requester_id), str(swap.counterparty_id)} | {
            side["person_id"] for rec in recorded for side in (rec["before"], rec["after"]) if side
        }
        dates = units.dates | {
            date.fromisoformat(side["date"])
            for rec in recorded
            for side in (rec["before"], rec["after"])
            if side
        }
        await self.engine.lock({uuid.UUID(p) for p in people}, dates)
        state = await self.engine.load(people, dates)
        changes = [await self._undo(state, rec) for rec in recorded]
        for row in collisions(state, changes):
            await self._blame(row, "now holds the place the rollback would restore")
        problems = []
        if min(dates) <= self.today + timedelta(days=self.policy.freeze_window_days) and not reason:
            problems.append(self._freeze_problem(min(dates)))
        judgement = self.engine.judge(state, changes, people, dates)
        evaluation = Evaluation(Units(), changes, problems, judgement)
        if not evaluation.executable:
            raise evaluation.refusal("the rollback")
        written = await self.engine.apply(changes)
        swap.rollback_changes = written.recorded
        swap.status = SwapStatus.ROLLED_BACK
        swap.rolled_back_at = self.now
        swap.rolled_back_by = self.user_id
        if reason:
            swap.note = ((swap.note + "\n") if swap.note else "") + f"rollback: {reason}"
        await self.session.flush()
        await self.engine.publish(written)
        await self.audit.record(
            "rollback", swap, program_id=self.program.id, before=before, after=snapshot(swap)
        )
        return swap

    # --- internals --------------------------------------------------------------------

    async def _execute(self, swap: Swap) -> None:
        assert swap.counterparty_id is not None
        # Lock the two people first (change engine step 1): the dates come from their role.
        self._people.update(
            await self.engine.lock_people({swap.requester_id, swap.counterparty_id})
        )
        counterparty = await self._person(swap.counterparty_id, "counterparty_id")
        evaluation = await self._evaluate_swap(swap, counterparty, lock=True)
        if not evaluation.executable:
            raise evaluation.refusal()
        written = await self.engine.apply(evaluation.changes)
        swap.changes = written.recorded
        swap.status = SwapStatus.EXECUTED
        swap.executed_at = self.now
        swap.executed_by = self.user_id
        await self.session.flush()  # the swap row too, before the program row is locked
        await self.engine.publish(written)

    async def _evaluate_swap(self, swap: Swap, counterparty: Person, *, lock: bool) -> Evaluation:
        requester = await self._person(swap.requester_id, "requester_id")
        wanted = (swap.wanted_date, swap.wanted_session) if swap.wanted_date else None
        return await self._evaluate(
            swap.kind,
            requester,
            counterparty,
            (swap.offered_date, swap.offered_session),
            wanted,
            swap.reason,
            lock=lock,
        )

    async def _evaluate(
        self,
        kind: SwapKind,
        requester: Person,
        counterparty: Person,
        offered: tuple[date, Session | None],
        wanted: tuple[date, Session | None] | None,
        reason: str | None,
        *,
        lock: bool,
    ) -> Evaluation:
        """Judge the swap. `lock`: for execution; the caller holds the people's locks,
        this takes the dates' locks before reading the window."""
        role = requester.role.value
        units = units_for(kind, role, *offered)
        if wanted is not None:
            units = units | units_for(kind, role, *wanted)
        a, b = str(requester.id), str(counterparty.id)
        if lock:
            await self.engine.lock_dates(units.dates)  # the people are locked already
        state = await self.engine.load({a, b}, units.dates)
        problems = self._unit_problems(state, kind, requester, counterparty, offered, wanted)
        changes = exchange(state, units, a, b)
        if not changes and not problems:
            problems.append(Problem(rule="nothing_to_swap", message="the swap changes nothing"))
        problems += self._eligibility(state, kind, requester, counterparty, offered, wanted)
        problems += self._row_problems(state, units, changes, a, b)
        first = min(units.dates)
        if first < self.today:
            problems.append(
                Problem(rule="swap_date_passed", message=f"{first} has passed", date=first)
            )
        elif first <= self.today + timedelta(days=self.policy.freeze_window_days) and not reason:
            problems.append(self._freeze_problem(first))
        judgement = self.engine.judge(state, changes, {a, b}, units.dates) if changes else None
        return Evaluation(units, changes, problems, judgement)

    def _freeze_problem(self, first: date) -> Problem:
        days = self.policy.freeze_window_days
        return Problem(
            rule="freeze_window",
            message=f"{first} is inside the {days}-day freeze window: give a reason",
            date=first,
        )

    def _unit_problems(
        self,
        state: ScheduleState,
        kind: SwapKind,
        requester: Person,
        counterparty: Person,
        offered: tuple[date, Session | None],
        wanted: tuple[date, Session | None] | None,
    ) -> list[Problem]:
        role = requester.role.value
        problems = []
        for person, unit, which in (
            (requester, offered, "offered"),
            (counterparty, wanted, "wanted"),
        ):
            if unit is not None and not holds(state, kind, role, str(person.id), *unit):
                problems.append(
                    Problem(
                        rule="unit_not_held",
                        message=f"{person.name} no longer holds the {which} {_label(kind)} "
                        f"on {unit[0]}",
                        person=str(person.id),
                        date=unit[0],
                    )
                )
        return problems

    def _eligibility(
        self,
        state: ScheduleState,
        kind: SwapKind,
        requester: Person,
        counterparty: Person,
        offered: tuple[date, Session | None],
        wanted: tuple[date, Session | None] | None,
    ) -> list[Problem]:
        """Role, FMIT roles, call-taking rotations; active people."""
        problems = []
        for person in (requester, counterparty):
            if not person.active:
                problems.append(
                    Problem(
                        rule="inactive_person",
                        message=f"{person.name} is not active",
                        person=str(person.id),
                    )
                )
        if requester.role is not counterparty.role:
            problems.append(
                Problem(
                    rule="role_eligibility",
                    message="a swap is between two residents or between two faculty members",
                    person=str(counterparty.id),
                )
            )
            return problems
        if kind is SwapKind.FMIT_WEEK:
            roles = set(self.engine.settings.fmit_faculty_roles)
            for person in (requester, counterparty):
                if person.role is not PersonRole.FACULTY or person.faculty_role not in roles:
                    problems.append(
                        Problem(
                            rule="role_eligibility",
                            message=f"{person.name} does not attend FMIT weeks",
                            person=str(person.id),
                        )
                    )
        if kind is SwapKind.CALL_NIGHT and requester.role is PersonRole.RESIDENT:
            nights = [(counterparty, offered[0])]
            if wanted is not None:
                nights.append((requester, wanted[0]))
            for person, night in nights:
                rotation = state.catalogue.rotation_on(str(person.id), night)
                if rotation is not None and not rotation.takes_call:
                    problems.append(
                        Problem(
                            rule="rotation_eligibility",
                            message=f"{person.name} is on {rotation.name} on {night}, "
                            "which takes no call",
                            person=str(person.id),
                            date=night,
                        )
                    )
        return problems

    def _row_problems(
        self, state: ScheduleState, units: Units, changes: list[Change], a: str, b: str
    ) -> list[Problem]:
        """Locked rows; what each person would receive: the right role and PGY, no leave."""
        catalogue = state.catalogue
        problems = []
        for row in rows_in(state, units, (a, b)):
            if row.locked:
                problems.append(
                    Problem(
                        rule="locked",
                        message=f"{catalogue.people[row.person].name}'s {_row_label(row)} on "
                        f"{row.date} is locked",
                        person=row.person,
                        date=row.date,
                    )
                )
        seen: set[tuple[str, str, date]] = set()
        for change in changes:
            after, before = change.after, change.before
            if after is None or before is None:
                continue
            receiver = catalogue.people[after.person]
            giver = b if after.person == a else a
            problem = None
            if isinstance(after, SlotRow):
                if (
                    before.person == after.person
                    and isinstance(before, SlotRow)
                    and (before.activity == after.activity)
                ):
                    continue
                activity = catalogue.activities[after.activity]
                if activity.provides_supervision and receiver.is_resident:
                    problem = (
                        "role_eligibility",
                        f"{receiver.name} (a resident) cannot precept ({after.activity})",
                    )
                elif activity.needs_supervision and not receiver.is_resident:
                    problem = (
                        "role_eligibility",
                        f"{after.activity} is resident work; {receiver.name} is faculty",
                    )
                elif receiver.is_resident:
                    rotation = catalogue.rotation_on(giver, after.date)
                    if rotation is not None and receiver.pgy not in rotation.eligible_pgy:
                        problem = (
                            "pgy_eligibility",
                            f"{after.activity} on {after.date} belongs "
                            f"to {rotation.name}, which PGY-{receiver.pgy} cannot take",
                        )
                works = activity.is_work
            else:
                if before.person == after.person:
                    continue
                needed = ROLE_OF_KIND[ShiftKind(after.kind)].value
                if needed != receiver.role:
                    problem = (
                        "role_eligibility",
                        f"a {after.kind} shift is for {needed}s; "
                        f"{receiver.name} is {receiver.role}",
                    )
                works = True
            if problem is None and works:
                leave = _approved_leave(state, after.person, after.date)
                if leave is not None:
                    problem = (
                        "leave_conflict",
                        f"{receiver.name} has approved leave on {after.date}",
                    )
            if problem is not None and (problem[0], after.person, after.date) not in seen:
                seen.add((problem[0], after.person, after.date))
                problems.append(
                    Problem(
                        rule=problem[0], message=problem[1], person=after.person, date=after.date
                    )
                )
        return problems

    async def _undo(self, state: ScheduleState, rec: dict[str, Any]) -> Change:
        """The change that puts a row the swap changed back as it was (409 when the row
        was touched since: its version is no longer the one the swap left)."""
        row_id, table = rec["id"], rec["table"]
        current: Row | None = (
            state.assignments.get(row_id) if table == "assignments" else state.shifts.get(row_id)
        )
        after_version = rec["after"]["version"]
        if current is None or current.version != after_version:
            await self._blame_id(table, row_id, "was changed after the swap")
        assert current is not None
        old = rec["before"]
        if isinstance(current, SlotRow):
            codes = self.engine.activity_codes
            restored: Row = replace(
                current,
                person=old["person_id"],
                activity_id=old["activity_id"],
                activity=codes[old["activity_id"]],
                locked=old["locked"],
            )
        else:
            restored = replace(
                current,
                person=old["person_id"],
                start=datetime.fromisoformat(old["start_at"]),
                end=datetime.fromisoformat(old["end_at"]),
                locked=old["locked"],
            )
        return Change(current, restored)

    async def _blame(self, row: Row, what: str) -> None:
        await self._blame_id(row.table, row.id, what)

    async def _blame_id(self, table: str, row_id: str, what: str) -> None:
        """409 `changed_since_swap` naming the later change: its audit entry, who, when."""
        entry = await ChangeRepository(self.session).last_touch(table, row_id)
        later = None
        detail = f"the {table} row {row_id} {what}"
        if entry is not None:
            later = {
                "audit_id": str(entry.id),
                "seq": entry.seq,
                "action": entry.action,
                "actor": entry.actor,
                "actor_id": str(entry.actor_id) if entry.actor_id else None,
                "at": entry.at.isoformat(),
            }
            detail += f" ({entry.action} by {entry.actor} at {entry.at.isoformat()})"
        raise Conflict(
            detail + "; the swap can no longer be rolled back",
            rule="changed_since_swap",
            table=table,
            row_id=row_id,
            later_change=later,
        )

    async def _locked(self, swap_id: uuid.UUID) -> Swap:
        swap = await self.swaps.get_or_404(swap_id, self.program.id, for_update=True)
        if self.owner is not None and not self._visible(swap):
            raise Forbidden("this swap is not yours")
        return swap

    async def _require_status(self, swap: Swap, *allowed: SwapStatus) -> None:
        if swap.status in OPEN_STATUSES and swap.first_date < self.today:
            await self._expire(swap)
            raise SwapExpired(
                f"the swap expired: its first date {swap.first_date} has passed",
                rule="swap_expired",
                swap_status=str(SwapStatus.EXPIRED),
            )
        if swap.status not in allowed:
            raise Conflict(
                f"the swap is {swap.status}; this needs it " + " or ".join(str(s) for s in allowed),
                rule="swap_status",
                swap_status=str(swap.status),
            )

    async def _expire(self, swap: Swap) -> None:
        before = snapshot(swap)
        swap.status = SwapStatus.EXPIRED
        swap.closed_at = self.now
        await self.session.flush()
        await self.audit.record(
            "expire", swap, program_id=self.program.id, before=before, after=snapshot(swap)
        )

    async def expire_overdue(self) -> int:
        """Mark the program's open swaps whose first date has passed expired; how many."""
        overdue = await self.swaps.past_due(self.program.id, self.today)
        for swap in overdue:
            await self._expire(swap)
        return len(overdue)

    async def _close(self, swap: Swap, status: SwapStatus, action: str, reason: str | None) -> Swap:
        before = snapshot(swap)
        swap.status = status
        swap.closed_at = self.now
        swap.closed_by = self.user_id
        if reason:
            swap.note = ((swap.note + "\n") if swap.note else "") + f"{action}: {reason}"
        await self.session.flush()
        await self.audit.record(
            action, swap, program_id=self.program.id, before=before, after=snapshot(swap)
        )
        return swap

    def _check_owner(self, person_id: uuid.UUID | None, message: str) -> None:
        if self.owner is not None and person_id != self.owner:
            raise Forbidden(message)

    async def _prefetch(self, *person_ids: uuid.UUID) -> None:
        """Load several people in one query (`_person` then finds them here)."""
        for person in await self.engine.repository.people_by_id(self.program.id, person_ids):
            self._people[person.id] = person

    async def _person(self, person_id: uuid.UUID, field: str) -> Person:
        person = self._people.get(person_id) or await self.session.get(Person, person_id)
        if person is None or person.program_id != self.program.id:
            raise InvalidInput.field(field, f"no person with id {person_id} in this program")
        return person

    @staticmethod
    def _check_shape(kind: SwapKind, unit: UnitRef, field: str) -> None:
        if kind is SwapKind.CLINIC_SESSION:
            if unit.session is None:
                raise InvalidInput.field(f"{field}.session", "a clinic session is AM or PM")
        elif unit.session is not None:
            raise InvalidInput.field(f"{field}.session", "only clinic sessions have one")
        if kind is SwapKind.FMIT_WEEK and not is_fmit_start(unit.date):
            raise InvalidInput.field(f"{field}.date", "an FMIT week starts on a Friday")

    def _units(
        self, kind: SwapKind, requester: Person, offered: UnitRef, wanted: UnitRef | None
    ) -> Units:
        role = requester.role.value
        units = units_for(kind, role, offered.date, offered.session)
        if wanted is not None:
            units = units | units_for(kind, role, wanted.date, wanted.session)
        return units

    async def _check_in_year(self, day: date, field: str) -> None:
        if await AcademicYearRepository(self.session).containing(self.program.id, day) is None:
            raise Conflict(
                f"{field} {day} is outside every academic year of the program",
                rule="date_outside_academic_year",
                field=field,
            )


def _unit(unit: UnitRef) -> tuple[date, Session | None]:
    return unit.date, unit.session


def _label(kind: SwapKind) -> str:
    return {"fmit_week": "FMIT week", "call_night": "call night"}.get(kind, "clinic session")


def _row_label(row: Row) -> str:
    return row.activity if isinstance(row, SlotRow) else f"{row.kind} shift"


def _approved_leave(state: ScheduleState, person: str, day: date) -> Any:
    return next(
        (
            a
            for a in state.catalogue.absences
            if a.person == person and a.status == "approved" and a.start_date <= day <= a.end_date
        ),
        None,
    )
