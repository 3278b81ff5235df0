"""What the rotations' weekly patterns put on each date, for the rotation-plan model.

The plan model reasons about patterns, not yet about calls: which days a rotation leaves
free (no duty of any kind overlapping them), and which rotation pairs break a duty-hour
rule across a block boundary. Everything is cached per (rotation, date).
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from datetime import date, timedelta

from residency.core.calendar import BlockSpan, Session, iter_days
from residency.core.program_file import RotationSpec
from residency.scheduling.options import Duty, cell_choices, slot_duties
from residency.scheduling.periods import PERIOD_RULES, WINDOW_RULES, Sequence3, judge_sequences
from residency.scheduling.problem import Problem
from residency.scheduling.spans import overlaps


class PatternDays:
    """Duties and free days of every rotation's pattern on the year's dates."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._duties: dict[tuple[str, date, bool], tuple[Duty, ...]] = {}
        self._free: dict[tuple[str, date], bool] = {}
        self._prefix: dict[tuple[str, frozenset[date]], list[int]] = {}

    def duties(self, rotation: RotationSpec, day: date, least: bool = False) -> tuple[Duty, ...]:
        """The pattern's duties on `day`: first choice of each cell, or the least busy one."""
        key = (rotation.abbreviation, day, least)
        found = self._duties.get(key)
        if found is None:
            cells = (
                self._cell(rotation, day, Session.AM, least),
                self._cell(rotation, day, Session.PM, least),
            )
            found = tuple(slot_duties(self.problem, day, cells))
            self._duties[key] = found
        return found

    def _cell(self, rotation: RotationSpec, day: date, session: Session, least: bool) -> str | None:
        choices = cell_choices(self.problem, rotation, day, session)
        if not least:
            return choices[0]
        return min(
            choices, key=lambda code: code is not None and self.problem.duty_kind(code) is not None
        )

    def is_free(self, rotation: RotationSpec, day: date) -> bool:
        """No duty overlaps the day when the rotation holds it and the day before."""
        key = (rotation.abbreviation, day)
        found = self._free.get(key)
        if found is None:
            problem = self.problem
            lo, hi = problem.midnight(day), problem.midnight(day + timedelta(days=1))
            duties = self.duties(rotation, day, True) + self.duties(
                rotation, day - timedelta(days=1), True
            )
            found = not overlaps([(d.start, d.end) for d in duties], lo, hi)
            self._free[key] = found
        return found

    def free_count(
        self, rotation: RotationSpec, first: date, last: date, skip: frozenset[date]
    ) -> int:
        """Free days of the rotation among first..last, leaving out the `skip` dates."""
        days = self.problem.days
        prefix = self._prefix.get((rotation.abbreviation, skip))
        if prefix is None:
            prefix = [0]
            for day in days:
                prefix.append(prefix[-1] + (day not in skip and self.is_free(rotation, day)))
            self._prefix[(rotation.abbreviation, skip)] = prefix
        return (
            prefix[bisect_left(days, last + timedelta(days=1))] - prefix[bisect_left(days, first)]
        )

    def per_block(self, rotation: RotationSpec) -> int:
        """Free days in the first 28 days of block 1 (a typical block)."""
        first = next((b for b in self.problem.blocks if b.number >= 1), self.problem.blocks[0])
        last = first.start + timedelta(days=27)
        return sum(1 for day in iter_days(first.start, last) if self.is_free(rotation, day))

    def boundary_conflicts(
        self, left: BlockSpan, right: BlockSpan
    ) -> dict[tuple[str, str], tuple[str, ...]]:
        """Rotation pairs whose patterns, laid end to end, break a duty-hour rule."""
        problem = self.problem
        first = max(problem.year[0], left.end - timedelta(days=27))
        last = min(problem.year[1], right.start + timedelta(days=27))
        pairs = [
            (a, b)
            for a, b in itertools.product(problem.rotations.values(), repeat=2)
            if set(a.eligible_pgy) & set(b.eligible_pgy)
        ]
        pgy = 1 if problem.settings.duty_hours.pgy1_max_continuous_hours is not None else 2
        sequences = [
            Sequence3(
                "",
                pgy,
                tuple(
                    duty
                    for day in iter_days(first, last)
                    for duty in self.duties(a if day <= left.end else b, day)
                ),
            )
            for a, b in pairs
        ]
        broken = judge_sequences(
            sequences,
            problem.settings.duty_hours,
            problem.program.timezone,
            (first, last),
            PERIOD_RULES | WINDOW_RULES,
        )
        return {
            (a.abbreviation, b.abbreviation): broken[i]
            for i, (a, b) in enumerate(pairs)
            if i in broken
        }
