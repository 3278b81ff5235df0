"""Clinic and faculty rules of the block model (ACGME.md "Program rules"), one per family."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from ortools.sat.python import cp_model

from residency.core.calendar import Session, iter_days
from residency.scheduling.block_model import BlockModel, Score
from residency.scheduling.problem import SESSIONS


def create_faculty_vars(bm: BlockModel) -> None:
    """Precepting (AT) literals where residents may need supervision, call literals on
    covered nights, for every faculty member free to take them."""
    problem = bm.problem
    for day in bm.horizon.variable_days:
        for session in SESSIONS:
            if bm.session_terms(day, session, _units(bm)).most == 0:
                continue
            for person in problem.faculty:
                if bm.can_precept(person, day, session):
                    var = bm.model.new_bool_var(f"at[{person},{day},{session}]")
                    bm.precept[(person, day, session)] = var
        if problem.is_covered_night(day) and not bm.locked_faculty_calls(day):
            for person in problem.faculty:
                if bm.can_take_call(person, day):
                    bm.faculty_calls[(person, day)] = bm.model.new_bool_var(f"call[{person},{day}]")


def _units(bm: BlockModel) -> Score:
    problem = bm.problem

    def score(person: str, code: str | None) -> int:
        return problem.supervision_units(code, problem.pgy(person))

    return score


def _seeing(bm: BlockModel) -> Score:
    problem = bm.problem

    def score(person: str, code: str | None) -> int:
        return 1 if problem.sees_patients(code) else 0

    return score


def _locked_in_slot(
    bm: BlockModel, day: date, session: Session, test: Callable[[str], bool]
) -> int:
    count = 0
    for person in bm.problem.faculty:
        row = bm.locked_cell(person, day, session)
        if row is not None and test(row.activity):
            count += 1
    return count


def add_supervision_ratio(bm: BlockModel) -> None:
    """`supervision_ratio` (ACGME.md; CPR VI.A.2): in every clinic session, precepting
    faculty >= ceil(units / 4), a PGY-1 in clinic 2 units, a PGY-2+ 1, procedures 4."""
    problem = bm.problem
    per = problem.settings.supervision.units_per_supervisor

    def precepts(code: str) -> bool:
        return problem.info(code).provides_supervision

    for day in bm.horizon.variable_days:
        for session in SESSIONS:
            units = bm.session_terms(day, session, _units(bm))
            if units.most == 0:
                continue
            fixed = _locked_in_slot(bm, day, session, precepts)
            free = [v for (_, d, s), v in bm.precept.items() if d == day and s is session]
            residents = sorted(
                {
                    p
                    for p, days in bm.residents.items()
                    for o, _ in days.pairs(day)
                    if _units(bm)(p, o.cell(session))
                }
            )
            faculty = sorted({p for (p, d, s) in bm.precept if d == day and s is session})
            scope = ("supervision_ratio", (day, session.value), residents + faculty, [day])
            message = _supervision_message(bm, day, session, units.most, len(free) + fixed)
            # a count whose lower bound is the rounding the LP relaxation misses
            least = max(0, -(-units.least // per) - fixed)
            count = bm.model.new_int_var(0, len(free), f"preceptors[{day},{session}]")
            bm.model.add(count == sum(free))
            bm.preceptors[(day, session)] = count
            bm.book.add(bm.model.add(per * (count + fixed) >= units.expr), *scope, message)
            bm.book.add(bm.model.add(count >= least), *scope, message)


def _supervision_message(
    bm: BlockModel, day: date, session: Session, units: int, available: int
) -> str:
    per = bm.problem.settings.supervision.units_per_supervisor
    away = []
    for person in bm.problem.faculty:
        if bm.problem.on_leave(person, day):
            away.append(f"{person} on leave")
        elif bm.inputs.fmit_attending(day) == person:
            away.append(f"{person} on FMIT")
        elif bm.inputs.recovering(day) == person:
            away.append(f"{person} recovering from FMIT")
    text = (
        f"{day} {session.value}: residents in clinic bring up to {units} supervision units "
        f"(up to {math.ceil(units / per)} preceptor(s)); {available} faculty can precept"
    )
    return text + (f" ({', '.join(away)})." if away else ".")


def add_clinic_capacity(bm: BlockModel) -> None:
    """`clinic_capacity` (ACGME.md): people seeing patients in a clinic session within
    the rooms, scaled by the day's level (reduced x 0.25, closed x 0)."""
    problem = bm.problem
    for day in bm.horizon.variable_days:
        capacity = problem.clinic_capacity(day)
        for session in SESSIONS:
            seeing = bm.session_terms(day, session, _seeing(bm))
            fixed = _locked_in_slot(bm, day, session, problem.sees_patients)
            most = seeing.most
            if most + fixed <= capacity:
                continue
            bm.book.add(
                bm.model.add(seeing.expr + fixed <= capacity),
                "clinic_capacity",
                (day, session.value),
                [],
                [day],
                f"{day} {session.value}: up to {most + fixed} people would see patients in "
                f"{capacity} room(s).",
            )


def add_faculty_clinic_cap(bm: BlockModel) -> None:
    """`faculty_clinic_cap` (ACGME.md): a faculty member's clinic sessions (precepting or
    own patients) in a Monday-Sunday week within their cap, counting fixed days too."""
    problem = bm.problem
    weekly = defaultdict(list)
    for (person, day, _), var in bm.precept.items():
        weekly[(person, day - timedelta(days=day.weekday()))].append(var)
    for (person, monday), lits in sorted(weekly.items()):
        cap = problem.clinic_cap(person)
        if cap is None:
            continue
        fixed = sum(
            1
            for day in iter_days(monday, monday + timedelta(days=6))
            for session in SESSIONS
            if problem.is_clinic(bm.known_cell(person, day, session))
        )
        bm.book.add(
            bm.model.add(sum(lits) + fixed <= cap),
            "faculty_clinic_cap",
            (person, monday),
            [person],
            [monday],
            f"{person}: at most {cap} clinic sessions in the week of {monday}.",
        )


def add_faculty_call_coverage(bm: BlockModel) -> None:
    """`faculty_call_coverage` (ACGME.md): exactly one faculty member on overnight call
    every covered night (Sunday-Thursday; Friday and Saturday belong to FMIT)."""
    problem = bm.problem
    for night in bm.horizon.variable_days:
        if not problem.is_covered_night(night):
            continue
        fixed = len(bm.locked_faculty_calls(night))
        lits = [v for (p, d), v in bm.faculty_calls.items() if d == night]
        message = f"{night} ({night:%A}): exactly one faculty member must be on call."
        scope = ("faculty_call_coverage", night, [], [night], message)
        if not lits:
            if fixed != 1:
                bm.book.fail(*scope)
            continue
        bm.book.add(bm.model.add(sum(lits) + fixed == 1), *scope)


def add_post_call_mornings(bm: BlockModel) -> None:
    """`post_call` (ACGME.md): the morning after overnight call has no clinic."""
    problem = bm.problem
    horizon = bm.horizon
    for person in problem.faculty:
        before = horizon.first - timedelta(days=1)
        if "faculty_call" in bm.inputs.rows.kinds_on(person, before):
            var = bm.precept.get((person, horizon.first, Session.AM))
            if var is not None:
                _post_call(bm, person, before, var == 0)
        for night in horizon.variable_days:
            call = bm.faculty_calls.get((person, night))
            if call is None:
                continue
            morning = night + timedelta(days=1)
            known = bm.known_cell(person, morning, Session.AM)
            if problem.is_clinic(known):
                _post_call(bm, person, night, call == 0)
            elif (var := bm.precept.get((person, morning, Session.AM))) is not None:
                _post_call(bm, person, night, call + var <= 1)


def _post_call(
    bm: BlockModel, person: str, night: date, bounded: cp_model.BoundedLinearExpression
) -> None:
    morning = night + timedelta(days=1)
    bm.book.add(
        bm.model.add(bounded),
        "post_call",
        (person, night),
        [person],
        [night, morning],
        f"{person}: no clinic on the morning after call ({morning}).",
    )
