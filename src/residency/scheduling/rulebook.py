"""Rule families as assumption literals, and the explanation of an infeasible model.

Every hard constraint is added through a `RuleBook` with the rule it enforces (an ACGME.md
rule id, or the solver's own coverage and plan rules) and a scope (people, dates). In the
normal solve the constraints are plain. To explain an infeasible model it is built again
with one assumption literal per (rule, scope); CP-SAT's sufficient-assumptions core, shrunk
by a deletion pass, names the smallest conflicting set of rules, people and dates found.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from residency.scheduling.interface import Conflict

MAX_CONFLICTS = 3
MAX_MESSAGES = 6


@dataclass(frozen=True)
class RuleTag:
    """What one assumption literal stands for."""

    rule: str
    people: tuple[str, ...]
    dates: tuple[date, ...]
    message: str


class RuleBook:
    """Adds rule constraints, with assumption literals when `explain` is on."""

    def __init__(self, model: cp_model.CpModel, explain: bool = False) -> None:
        self.model = model
        self.explain = explain
        self.literals: dict[tuple[str, Hashable], cp_model.IntVar] = {}
        self.tags: dict[int, RuleTag] = {}

    def literal(
        self,
        rule: str,
        key: Hashable,
        people: Iterable[str] = (),
        dates: Iterable[date] = (),
        message: str = "",
    ) -> cp_model.IntVar | None:
        """The assumption literal of (rule, key), created on first use (None if not explaining)."""
        if not self.explain:
            return None
        found = self.literals.get((rule, key))
        if found is None:
            found = self.model.new_bool_var(f"assume[{rule}:{key}]")
            self.literals[(rule, key)] = found
            self.tags[found.index] = RuleTag(
                rule, tuple(sorted(set(people))), tuple(sorted(set(dates))), message
            )
        return found

    def add(
        self,
        constraint: cp_model.Constraint,
        rule: str,
        key: Hashable,
        people: Iterable[str] = (),
        dates: Iterable[date] = (),
        message: str = "",
    ) -> None:
        """Make `constraint` part of rule family `rule` for the scope `key`."""
        lit = self.literal(rule, key, people, dates, message)
        if lit is not None:
            constraint.only_enforce_if(lit)

    def fail(
        self,
        rule: str,
        key: Hashable,
        people: Iterable[str] = (),
        dates: Iterable[date] = (),
        message: str = "",
    ) -> None:
        """A rule that the fixed data already breaks: the model is infeasible under it."""
        self.add(self.model.add_bool_or([]), rule, key, people, dates, message)

    def assume_all(self) -> None:
        if self.explain:
            self.model.add_assumptions(list(self.literals.values()))


ModelFactory = Callable[[bool], tuple[cp_model.CpModel, RuleBook]]


def explain_infeasible(
    factory: ModelFactory, seconds: float, seed: int, phase: str
) -> list[Conflict]:
    """Conflicts of an infeasible model: minimal assumption cores, up to `MAX_CONFLICTS`."""
    deadline = time.monotonic() + seconds
    model, book = factory(True)
    remaining = list(book.literals.values())
    conflicts: list[Conflict] = []
    while remaining and len(conflicts) < MAX_CONFLICTS and time.monotonic() < deadline:
        core = _core(model, remaining, deadline, seed)
        if core is None:
            break
        core = _shrink(model, core, deadline, seed)
        conflicts.append(_conflict(book, core))
        taken = {lit.index for lit in core}
        remaining = [lit for lit in remaining if lit.index not in taken]
    if not conflicts:
        conflicts.append(
            Conflict(
                rules=["unknown"],
                message=f"{phase}: no schedule satisfies every rule, and the conflicting "
                "rules could not be isolated within the time limit",
            )
        )
    return conflicts


def _solver(deadline: float, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
    solver.parameters.cp_model_presolve = False
    return solver


def _status(
    model: cp_model.CpModel, assumed: list[cp_model.IntVar], deadline: float, seed: int
) -> tuple[int, cp_model.CpSolver]:
    model.clear_assumptions()
    model.add_assumptions(assumed)
    solver = _solver(deadline, seed)
    return solver.solve(model), solver


def _core(
    model: cp_model.CpModel, assumed: list[cp_model.IntVar], deadline: float, seed: int
) -> list[cp_model.IntVar] | None:
    status, solver = _status(model, assumed, deadline, seed)
    if status != cp_model.INFEASIBLE:
        return None
    by_index = {lit.index: lit for lit in assumed}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    return core or list(assumed)


def _shrink(
    model: cp_model.CpModel, core: list[cp_model.IntVar], deadline: float, seed: int
) -> list[cp_model.IntVar]:
    """A minimal subset of an infeasible core (QuickXplain: divide and conquer).

    Needs O(k log n) solves for a conflict of k literals among n; stops shrinking (and
    keeps what it has) at the deadline.
    """

    def infeasible(assumed: list[cp_model.IntVar]) -> bool:
        if time.monotonic() >= deadline:
            return False
        return _status(model, assumed, deadline, seed)[0] == cp_model.INFEASIBLE

    def explain(
        background: list[cp_model.IntVar], items: list[cp_model.IntVar], changed: bool
    ) -> list[cp_model.IntVar]:
        if changed and infeasible(background):
            return []
        if len(items) <= 1 or time.monotonic() >= deadline:
            return items
        half = len(items) // 2
        first, second = items[:half], items[half:]
        second_core = explain(background + first, second, bool(first))
        first_core = explain(background + second_core, first, bool(second_core))
        return first_core + second_core

    return explain([], core, False)


def _conflict(book: RuleBook, core: list[cp_model.IntVar]) -> Conflict:
    tags = [book.tags[lit.index] for lit in core]
    tags.sort(key=lambda tag: (tag.rule, tag.dates, tag.people))
    rules = sorted({tag.rule for tag in tags})
    people = sorted({person for tag in tags for person in tag.people})
    dates = sorted({day for tag in tags for day in tag.dates})
    lines = [tag.message for tag in tags if tag.message][:MAX_MESSAGES]
    if len(tags) > MAX_MESSAGES:
        lines.append(f"... and {len(tags) - MAX_MESSAGES} more constraint(s) of the same rules")
    head = f"These rules cannot all hold together: {', '.join(rules)}."
    return Conflict(rules=rules, people=people, dates=dates, message=" ".join([head, *lines]))
