"""Running one CP-SAT model: progress reports, cancellation within a second, outcome.

A solution callback reports each improving solution (objective, bound, gap); a small
watcher thread polls `should_stop` every 0.1 s, so a cancel stops the search between
solutions too, and sends a heartbeat so progress moves while nothing improves.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from residency.scheduling.interface import SolveProgress

POLL_SECONDS = 0.1
HEARTBEAT_SECONDS = 0.5
STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}

ProgressHook = Callable[[SolveProgress], None]
StopHook = Callable[[], bool]
Checkpoint = Callable[[], None]


class Cancelled(Exception):
    """Raised at a checkpoint while a model is being built, once a stop was requested."""


def no_checkpoint() -> None:
    """The checkpoint of a build nobody can cancel."""


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1.0, abs(objective))


class Reporter:
    """Progress of the whole solve: which phase runs, and how far along it is."""

    def __init__(self, on_progress: ProgressHook | None, should_stop: StopHook | None) -> None:
        self.on_progress = on_progress
        self.should_stop = should_stop
        self.started = time.monotonic()
        self.cancelled = False
        self.name = "starting"
        self.span = (0.0, 0.0)
        self.phase_started = self.started
        self.budget = 1.0
        self.objective: float | None = None
        self.bound: float | None = None
        self._lock = threading.Lock()
        self._last_poll = 0.0

    def begin(self, name: str, span: tuple[float, float], budget: float) -> None:
        self.name, self.span, self.budget = name, span, max(budget, 1e-3)
        self.phase_started = time.monotonic()
        self.objective = self.bound = None
        self.emit()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def fraction(self) -> float:
        lo, hi = self.span
        done = min(1.0, (time.monotonic() - self.phase_started) / self.budget)
        return max(0.0, min(1.0, lo + (hi - lo) * done))

    def update(self, objective: float | None, bound: float | None) -> None:
        self.objective, self.bound = objective, bound
        self.emit()

    def emit(self, fraction: float | None = None) -> None:
        if self.on_progress is None:
            return
        report = SolveProgress(
            phase=self.name,
            objective=self.objective,
            bound=self.bound,
            gap=relative_gap(self.objective, self.bound),
            elapsed_s=round(self.elapsed(), 3),
            fraction=self.fraction() if fraction is None else fraction,
        )
        with self._lock:
            self.on_progress(report)

    def checkpoint(self) -> None:
        """Called between steps of a model build: raise `Cancelled` once asked to stop."""
        if self.stop_requested():
            raise Cancelled

    def stop_requested(self) -> bool:
        """Poll `should_stop` (at most every 0.1 s); once true, stays cancelled."""
        if self.cancelled:
            return True
        now = time.monotonic()
        if self.should_stop is None or now - self._last_poll < POLL_SECONDS / 2:
            return False
        self._last_poll = now
        if self.should_stop():
            self.cancelled = True
        return self.cancelled


@dataclass
class Outcome:
    """How a model solve ended; `solver` holds the values when a solution exists."""

    status: str
    objective: float | None
    bound: float | None
    seconds: float
    solver: cp_model.CpSolver

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, reporter: Reporter, has_objective: bool) -> None:
        super().__init__()
        self.reporter = reporter
        self.has_objective = has_objective

    def on_solution_callback(self) -> None:
        if self.has_objective:
            self.reporter.update(self.objective_value, self.best_objective_bound)
        if self.reporter.stop_requested():
            self.stop_search()


def _watch(solver: cp_model.CpSolver, reporter: Reporter, done: threading.Event) -> None:
    last_beat = time.monotonic()
    while not done.wait(POLL_SECONDS):
        if reporter.stop_requested():
            solver.stop_search()
            return
        if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
            last_beat = time.monotonic()
            reporter.emit()


def run_model(
    model: cp_model.CpModel,
    reporter: Reporter,
    *,
    time_limit: float,
    seed: int,
    workers: int,
    gap_limit: float = 0.0,
) -> Outcome:
    """Solve `model` with progress and cancellation; never raises on solver status."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.1, time_limit)
    params.num_workers = workers
    params.random_seed = seed
    params.relative_gap_limit = gap_limit
    has_objective = model.has_objective()
    done = threading.Event()
    watcher = threading.Thread(target=_watch, args=(solver, reporter, done), daemon=True)
    started = time.monotonic()
    watcher.start()
    try:
        status = solver.solve(model, _Callback(reporter, has_objective))
    finally:
        done.set()
        watcher.join()
    seconds = time.monotonic() - started
    name = "cancelled" if reporter.cancelled else STATUS_NAMES.get(status, "unknown")
    solved = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = solver.objective_value if solved and has_objective else None
    bound = solver.best_objective_bound if solved and has_objective else None
    if solved and not has_objective:
        objective = bound = 0.0
    return Outcome(name, objective, bound, seconds, solver)
