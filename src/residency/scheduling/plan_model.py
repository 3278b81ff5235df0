"""The annual rotation plan: resident x block -> rotation.

Hard rules, one function each: one rotation per resident and block; PGY eligibility;
`rotation_capacity`; the yearly requirements per PGY; `leave_eligibility` (approved leave
only on rotations that allow it); block-boundary duty-hour rules of the weekly patterns
(`rest_after_24`, `continuous_duty`, `transition_time`, `day_off`, `hours_80` judged by
the compliance engine on the two patterns laid end to end); and what the block schedule
needs of the plan: `clinic_capacity` and `supervision_ratio` of the weekly patterns
against the rooms and the faculty free to precept, and enough residents on call-taking
rotations with free days to spare for the weekend calls. Objective: heavy rotations
spread fairly within each PGY and not back to back; pending leave requests on rotations
that allow leave.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from ortools.sat.python import cp_model

from residency.core.calendar import BlockSpan, Session, iter_days
from residency.core.program_file import PlanEntrySpec, RotationSpec
from residency.scheduling.block_model import Score
from residency.scheduling.objectives import balance
from residency.scheduling.options import WEEKDAY_NAMES
from residency.scheduling.patterns import PatternDays
from residency.scheduling.problem import SESSIONS, Problem
from residency.scheduling.rulebook import RuleBook
from residency.scheduling.runner import Checkpoint, no_checkpoint

HEAVY_BALANCE = 5
HEAVY_IN_A_ROW = 5
SESSIONS_A_WEEK = 10
Key = tuple[str, int]


@dataclass
class PlanModel:
    """Plan literals for the (resident, block) pairs to decide; the rest is fixed."""

    problem: Problem
    decide: list[Key]
    fixed: dict[tuple[str, int, int], str]
    hints: dict[Key, str]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    book: RuleBook = field(init=False)
    x: dict[tuple[str, int, str], cp_model.IntVar] = field(default_factory=dict)
    objective: list[tuple[int, cp_model.LinearExprT]] = field(default_factory=list)
    patterns: PatternDays = field(init=False)
    checkpoint: Checkpoint = no_checkpoint

    def __post_init__(self) -> None:
        self.patterns = PatternDays(self.problem)
        self.decided_blocks = {block for _, block in self.decide}
        self._decided = set(self.decide)

    def lit(self, person: str, block: int, rotation: str, half: int = 1) -> cp_model.IntVar | int:
        """1 when the resident is on `rotation` in that half of the block."""
        var = self.x.get((person, block, rotation))
        if var is not None:
            return var
        if (person, block) in self._decided:
            return 0
        held = self.fixed.get((person, block, half)) or self.fixed.get((person, block, 0))
        return 1 if held == rotation else 0

    def blocks(self) -> list[int]:
        """Blocks with at least one decision."""
        return sorted(self.decided_blocks)

    def eligible(self, person: str) -> list[RotationSpec]:
        pgy = self.problem.pgy(person)
        return [r for r in self.problem.rotations.values() if pgy in r.eligible_pgy]


def build_plan_model(
    problem: Problem,
    decide: list[Key],
    fixed: dict[tuple[str, int, int], str],
    hints: dict[Key, str],
    explain: bool = False,
    checkpoint: Checkpoint = no_checkpoint,
) -> PlanModel:
    """The plan model of the `decide` pairs; `checkpoint` is called as the build goes."""
    pm = PlanModel(problem, decide, fixed, hints, checkpoint=checkpoint)
    pm.book = RuleBook(pm.model, explain)
    pm.checkpoint()
    add_one_rotation(pm)
    add_rotation_capacity(pm)
    add_requirements(pm)
    add_leave_eligibility(pm)
    add_boundary_rules(pm)
    add_pattern_clinic_capacity(pm)
    add_pattern_supervision(pm)
    add_call_sketch(pm)
    add_heavy_fairness(pm)
    add_plan_requests(pm)
    if pm.objective:
        pm.model.minimize(sum(weight * term for weight, term in pm.objective))
    for (person, block), rotation in hints.items():
        for other in pm.eligible(person):
            var = pm.x.get((person, block, other.abbreviation))
            if var is not None:
                pm.model.add_hint(var, other.abbreviation == rotation)
    pm.book.assume_all()
    return pm


def add_one_rotation(pm: PlanModel) -> None:
    """One rotation per resident and block, among those the resident's PGY may take."""
    for person, block in pm.decide:
        lits = []
        for rotation in pm.eligible(person):
            var = pm.model.new_bool_var(f"plan[{person},{block},{rotation.abbreviation}]")
            pm.x[(person, block, rotation.abbreviation)] = var
            lits.append(var)
        if lits:
            pm.model.add_exactly_one(lits)
            continue
        pm.book.fail(
            "pgy_eligibility",
            (person, block),
            [person],
            [],
            f"no rotation admits {person}'s PGY-{pm.problem.pgy(person)} (block {block}).",
        )


def _halves(pm: PlanModel, block: int) -> tuple[int, ...]:
    split = any(b == block and half for (_, b, half) in pm.fixed)
    return (1, 2) if split else (1,)


def add_rotation_capacity(pm: PlanModel) -> None:
    """`rotation_capacity`: residents on a rotation in a block within its min..max
    (block 0, orientation, has no capacity rule)."""
    problem = pm.problem
    for block in pm.blocks():
        if block == 0:
            continue
        span = problem.block(block)
        for half in _halves(pm, block):
            for rotation in problem.rotations.values():
                count = sum(
                    pm.lit(r, block, rotation.abbreviation, half) for r in problem.residents
                )
                low, high = rotation.min_residents, rotation.max_residents
                _bounded(
                    pm,
                    count,
                    low,
                    high,
                    "rotation_capacity",
                    (block, rotation.abbreviation, half),
                    [],
                    [span.start, span.end],
                    f"block {block}: {rotation.name} needs {low}..{high} residents.",
                )


def _bounded(
    pm: PlanModel,
    expr: cp_model.LinearExprT,
    low: int | None,
    high: int | None,
    rule: str,
    key: object,
    people: list[str],
    dates: list[date],
    message: str,
) -> None:
    lo = -(10**6) if low is None else low
    hi = 10**6 if high is None else high
    if isinstance(expr, int):
        if not lo <= expr <= hi:
            pm.book.fail(rule, key, people, dates, message)
        return
    pm.book.add(pm.model.add_linear_constraint(expr, lo, hi), rule, key, people, dates, message)


def add_requirements(pm: PlanModel) -> None:
    """Yearly requirements per PGY: min..max blocks on a rotation for every resident."""
    problem = pm.problem
    numbers = [b.number for b in problem.blocks]
    for requirement in problem.program.requirements:
        for person in problem.residents:
            if problem.pgy(person) != requirement.pgy:
                continue
            count = sum(pm.lit(person, n, requirement.rotation) for n in numbers)
            high = requirement.max_blocks
            _bounded(
                pm,
                count,
                requirement.min_blocks,
                high,
                "rotation_requirement",
                (person, requirement.rotation),
                [person],
                [],
                f"{person} (PGY-{requirement.pgy}) needs {requirement.min_blocks}.."
                f"{'' if high is None else high} blocks of {requirement.rotation}.",
            )


def add_leave_eligibility(pm: PlanModel) -> None:
    """`leave_eligibility`: approved leave falls only on rotations that allow leave."""
    problem = pm.problem
    for person in problem.residents:
        leave = problem.approved_leave.get(person, set())
        for block in problem.blocks:
            for half in (1, 2):
                days = [d for d in _half_days(block, half) if d in leave]
                if not days:
                    continue
                for rotation in problem.rotations.values():
                    if rotation.leave_allowed:
                        continue
                    lit = pm.lit(person, block.number, rotation.abbreviation, half)
                    _bounded(
                        pm,
                        lit,
                        0,
                        0,
                        "leave_eligibility",
                        (person, block.number, half, rotation.abbreviation),
                        [person],
                        days,
                        f"{person} has approved leave {days[0]}..{days[-1]}, which "
                        f"{rotation.name} does not allow.",
                    )


def _half_days(block: BlockSpan, half: int) -> list[date]:
    middle = block.start + timedelta(days=14)
    if half == 1:
        return list(iter_days(block.start, min(block.end, middle - timedelta(days=1))))
    return list(iter_days(middle, block.end)) if middle <= block.end else []


def add_boundary_rules(pm: PlanModel) -> None:
    """Duty-hour rules across a block boundary: two weekly patterns laid end to end
    (`rest_after_24`, `continuous_duty`, `transition_time`, `day_off`, `hours_80`,
    `night_float_consecutive`), judged by the compliance engine; a pair that breaks
    one may not follow each other."""
    problem = pm.problem
    for left, right in itertools.pairwise(problem.blocks):
        if not any(b in (left.number, right.number) for _, b in pm.decide):
            continue
        pm.checkpoint()
        broken = pm.patterns.boundary_conflicts(left, right)
        for person in problem.residents:
            for (first, second), rules in broken.items():
                a = pm.lit(person, left.number, first, 2)
                b = pm.lit(person, right.number, second, 1)
                if isinstance(a, int) and isinstance(b, int) and a + b < 2:
                    continue
                _bounded(
                    pm,
                    a + b,
                    None,
                    1,
                    rules[0],
                    (person, left.number, first, second),
                    [person],
                    [left.end, right.start],
                    f"{person}: {first} in block {left.number} then {second} in block "
                    f"{right.number} breaks {', '.join(rules)} at {right.start}.",
                )


def _pattern_code(
    problem: Problem, rotation: RotationSpec, weekday: int, session: Session
) -> str | None:
    """The activity the pattern fixes on a normal weekday (None for flexible cells)."""
    cell = rotation.weekly_pattern.get(WEEKDAY_NAMES[weekday])
    code = None if cell is None else (cell.AM if session is Session.AM else cell.PM)
    if code is None:
        return None
    slot = problem.protected_slot
    if (
        slot == (weekday, session)
        and not rotation.protected_education_exempt
        and problem.info(code).category in ("clinical", "inpatient")
    ):
        return problem.roles.didactics
    return code


def _weekdays(block: BlockSpan) -> list[int]:
    return sorted({day.weekday() for day in iter_days(block.start, block.end)})


def _weighted(
    pm: PlanModel, block: int, weekday: int, session: Session, score: Score
) -> cp_model.LinearExprT:
    problem = pm.problem
    total: cp_model.LinearExprT = 0
    for person in problem.residents:
        for rotation in pm.eligible(person):
            code = _pattern_code(problem, rotation, weekday, session)
            value = score(person, code)
            if value:
                total += value * pm.lit(person, block, rotation.abbreviation)
    return total


def add_pattern_clinic_capacity(pm: PlanModel) -> None:
    """`clinic_capacity` of the weekly patterns on a normal day: people seeing patients
    in each weekday session of a block within the rooms."""
    problem = pm.problem
    rooms = problem.settings.clinic_rooms
    for block in pm.blocks():
        span = problem.block(block)
        for weekday, session in itertools.product(_weekdays(span), SESSIONS):
            seeing = _weighted(
                pm, block, weekday, session, lambda _p, code: int(problem.sees_patients(code))
            )
            _bounded(
                pm,
                seeing,
                None,
                rooms,
                "clinic_capacity",
                (block, weekday, session.value),
                [],
                [span.start, span.end],
                f"block {block}: the rotations' {WEEKDAY_NAMES[weekday]} {session.value} "
                f"clinic sessions would hold more than {rooms} people seeing patients.",
            )


def add_pattern_supervision(pm: PlanModel) -> None:
    """`supervision_ratio` of the weekly patterns against the faculty free to precept:
    per session, everyone but the FMIT attending, the Friday recovery and the post-call
    morning; per Monday-Sunday week, the faculty's clinic caps less what the FMIT
    attending and the recovering one must give up (necessary conditions only: the block
    schedules decide)."""
    problem = pm.problem
    per = problem.settings.supervision.units_per_supervisor
    needed: dict[tuple[int, int, Session], cp_model.LinearExprT] = {}
    for block in pm.blocks():
        span = problem.block(block)
        for weekday, session in itertools.product(_weekdays(span), SESSIONS):
            units = _weighted(
                pm,
                block,
                weekday,
                session,
                lambda p, code: problem.supervision_units(code, problem.pgy(p)),
            )
            if isinstance(units, int) and units == 0:
                continue
            free = _free_faculty(problem, weekday, session)
            count = pm.model.new_int_var(
                0, max(free, 0), f"preceptors[{block},{weekday},{session}]"
            )
            needed[(block, weekday, session)] = count
            pm.book.add(
                pm.model.add(per * count >= units),
                "supervision_ratio",
                (block, weekday, session.value),
                [],
                [span.start, span.end],
                f"block {block}: {WEEKDAY_NAMES[weekday]} {session.value} clinic needs more "
                f"preceptors than the {max(free, 0)} faculty free then.",
            )
    _weekly_supervision(pm, needed)


def _free_faculty(problem: Problem, weekday: int, session: Session) -> int:
    caps = [problem.clinic_cap(f) for f in problem.faculty]
    free = sum(1 for cap in caps if cap is None or cap > 0)
    if any(problem.fmit_eligible(f) for f in problem.faculty):
        free -= 2 if weekday == 4 else 1  # the FMIT attending, and Friday's recovery
    if session is Session.AM and (weekday - 1) % 7 in problem.covered_weekdays:
        free -= 1  # the faculty member coming off overnight call
    return free


def _weekly_cap(problem: Problem, person: str) -> int:
    cap = problem.clinic_cap(person)
    return SESSIONS_A_WEEK if cap is None else cap


def _weekly_supervision(
    pm: PlanModel, needed: dict[tuple[int, int, Session], cp_model.LinearExprT]
) -> None:
    problem = pm.problem
    caps = {
        f: SESSIONS_A_WEEK if (c := problem.clinic_cap(f)) is None else c for f in problem.faculty
    }
    fmit_caps = [cap for f, cap in caps.items() if problem.fmit_eligible(f)]
    budget = sum(caps.values())
    if fmit_caps:  # the FMIT attending's week (at least the smallest cap), Friday's recovery
        budget -= min(fmit_caps) + min(2, min(fmit_caps))
    seen: set[tuple[tuple[int, int], ...]] = set()
    for day in problem.days:
        if day.weekday() != 0 and day != problem.year[0]:
            continue
        week = [
            d
            for d in iter_days(day, day + timedelta(days=6 - day.weekday()))
            if d <= problem.year[1]
        ]
        cells = tuple(sorted({(problem.block_number(d), d.weekday()) for d in week}))
        if cells in seen:
            continue
        seen.add(cells)
        terms = [needed[(b, w, s)] for b, w in cells for s in SESSIONS if (b, w, s) in needed]
        if terms:
            pm.book.add(
                pm.model.add(sum(terms) <= budget),
                "supervision_ratio",
                ("week", cells),
                [],
                [week[0], week[-1]],
                f"the week of {week[0]}: the clinic sessions need more precepting than "
                f"the faculty's weekly caps allow ({budget}).",
            )


def add_call_sketch(pm: PlanModel) -> None:
    """A sketch of the weekend in-house calls, so the plan leaves room for them.

    One resident on every `resident_call_nights` night, on a call-taking rotation, not
    on leave that day or the next, never two nights in a row (`rest_after_24`: the day
    after a 24-h call is off); in every 28-day window each resident keeps
    `min_free_days_per_28` free days (`day_off`) after the calls take the days they
    overlap. The block schedules choose the actual calls.
    """
    problem = pm.problem
    nights = [d for d in problem.days if problem.is_resident_call_night(d) and _in_scope(pm, d)]
    if not nights:
        return
    calls = _call_literals(pm, nights)
    for night in nights:
        lits = [lit for (_, n), lit in calls.items() if n == night]
        message = f"{night} ({night:%A}) needs one resident on in-house call."
        _bounded(pm, sum(lits), 1, 1, "resident_call_coverage", night, [], [night], message)
    for (person, night), lit in calls.items():
        following = calls.get((person, night + timedelta(days=1)))
        if following is not None:
            _bounded(
                pm,
                lit + following,
                None,
                1,
                "rest_after_24",
                (person, night),
                [person],
                [night, night + timedelta(days=1)],
                f"{person} cannot take call on {night} and the night after.",
            )
    touched = frozenset(night + timedelta(days=k) for night in nights for k in (0, 1))
    for person in problem.residents:
        pm.checkpoint()
        _call_days_off(pm, person, calls, touched)


def _in_scope(pm: PlanModel, day: date) -> bool:
    block = pm.problem.block_of(day)
    return block is not None and block.number in pm.decided_blocks


def _call_literals(pm: PlanModel, nights: list[date]) -> dict[tuple[str, date], cp_model.IntVar]:
    """A literal per resident who could take call on a night: on a call-taking rotation
    that block, no approved leave that day or the next."""
    problem = pm.problem
    calls = {}
    for night in nights:
        block = problem.block_number(night)
        half = 1 if (night - problem.block(block).start).days < 14 else 2
        for person in problem.residents:
            leave = problem.approved_leave.get(person, set())
            if night in leave or night + timedelta(days=1) in leave:
                continue
            takers = [
                pm.lit(person, block, r.abbreviation, half)
                for r in pm.eligible(person)
                if r.takes_call
            ]
            takers = [lit for lit in takers if not (isinstance(lit, int) and lit == 0)]
            if takers:
                lit = pm.model.new_bool_var(f"call[{person},{night}]")
                pm.model.add(lit <= sum(takers))
                calls[(person, night)] = lit
    return calls


def _call_days_off(
    pm: PlanModel,
    person: str,
    calls: dict[tuple[str, date], cp_model.IntVar],
    touched: frozenset[date],
) -> None:
    """`day_off` of one resident in every window, with the calls' days taken."""
    problem = pm.problem
    need = problem.settings.duty_hours.min_free_days_per_28
    leave = frozenset(problem.approved_leave.get(person, set()))
    flags: dict[date, cp_model.LinearExprT] = {}
    for day in sorted(touched):
        free = _pattern_free(pm, person, day, leave)
        nights = [
            calls[(person, n)] for n in (day, day - timedelta(days=1)) if (person, n) in calls
        ]
        if not nights:
            flags[day] = free
            continue
        flag = pm.model.new_bool_var(f"free[{person},{day}]")
        pm.model.add(flag <= free)
        for call in nights:
            pm.model.add(flag <= 1 - call)
        flags[day] = flag
    skip = touched | leave
    for start in _call_windows(pm):
        last = start + timedelta(days=27)
        total = sum(flags[d] for d in iter_days(start, last) if d in flags)
        total += sum(1 for d in leave if start <= d <= last and d not in touched)
        total += _free_count(pm, person, start, last, skip)
        _bounded(
            pm,
            total,
            need,
            None,
            "day_off",
            (person, start),
            [person],
            [start, last],
            f"{person}: the weekend calls leave fewer than {need} free days in the 28 "
            f"days from {start}.",
        )


def _pattern_free(
    pm: PlanModel, person: str, day: date, leave: frozenset[date]
) -> cp_model.LinearExprT:
    block = pm.problem.block_of(day)
    if day in leave or block is None:
        return 1
    half = 1 if (day - block.start).days < 14 else 2
    return sum(
        pm.lit(person, block.number, r.abbreviation, half)
        for r in pm.eligible(person)
        if pm.patterns.is_free(r, day)
    )


def _free_count(
    pm: PlanModel, person: str, first: date, last: date, skip: frozenset[date]
) -> cp_model.LinearExprT:
    """Free days of the resident's patterns in first..last, but the `skip` dates."""
    problem = pm.problem
    total: cp_model.LinearExprT = 0
    for block in problem.blocks:
        lo, hi = max(first, block.start), min(last, block.end)
        if lo > hi:
            continue
        for rotation in pm.eligible(person):
            count = pm.patterns.free_count(rotation, lo, hi, skip)
            lit = pm.lit(person, block.number, rotation.abbreviation) if count else 0
            if not (isinstance(lit, int) and lit == 0):
                total += count * lit
    return total


def _call_windows(pm: PlanModel) -> list[date]:
    """Start days of the 28-day windows that overlap a block being decided."""
    problem = pm.problem
    spans = [problem.block(n) for n in pm.decided_blocks]
    last_start = problem.year[1] - timedelta(days=27)
    return [
        day
        for day in problem.days
        if day <= last_start
        and any(b.start <= day + timedelta(days=27) and b.end >= day for b in spans)
    ]


def add_heavy_fairness(pm: PlanModel) -> None:
    """Heavy rotations spread evenly within each PGY and never in consecutive blocks
    where avoidable."""
    problem = pm.problem
    heavy = [r.abbreviation for r in problem.rotations.values() if r.heavy]
    if not heavy:
        return
    numbers = [b.number for b in problem.blocks]
    indicators: dict[Key, cp_model.IntVar | int] = {}
    for person in problem.residents:
        for block in numbers:
            total = sum(pm.lit(person, block, code) for code in heavy)
            if isinstance(total, int):
                indicators[(person, block)] = total
            else:
                flag = pm.model.new_bool_var(f"heavy[{person},{block}]")
                pm.model.add(flag == total)
                indicators[(person, block)] = flag
    for pgy in sorted({problem.pgy(r) for r in problem.residents}):
        group = [r for r in problem.residents if problem.pgy(r) == pgy]
        counts = {
            person: (
                sum(v for (p, _), v in indicators.items() if p == person and isinstance(v, int)),
                [v for (p, _), v in indicators.items() if p == person and not isinstance(v, int)],
            )
            for person in group
        }
        pm.objective.append((HEAVY_BALANCE, balance(pm.model, counts)))
    for person in problem.residents:
        for block, following in itertools.pairwise(numbers):
            a, b = indicators[(person, block)], indicators[(person, following)]
            if isinstance(a, int) and isinstance(b, int):
                continue
            both = pm.model.new_bool_var(f"heavy_pair[{person},{block}]")
            pm.model.add(both >= a + b - 1)
            pm.objective.append((HEAVY_IN_A_ROW, both))


def add_plan_requests(pm: PlanModel) -> None:
    """Pending leave requests land on rotations that allow leave, so they can be approved."""
    problem = pm.problem
    weight = problem.settings.objective.preferences
    if not weight:
        return
    for (person, block, code), var in pm.x.items():
        asked = problem.requested_leave.get(person, set())
        span = problem.block(block)
        if not problem.rotations[code].leave_allowed and any(
            day in asked for day in iter_days(span.start, span.end)
        ):
            pm.objective.append((weight, var))


def chosen_plan(pm: PlanModel, solver: cp_model.CpSolver) -> list[PlanEntrySpec]:
    """The decided entries of a solution (whole blocks, not locked)."""
    return [
        PlanEntrySpec(person=person, block=block, rotation=code, locked=False)
        for (person, block, code), var in pm.x.items()
        if solver.boolean_value(var)
    ]
