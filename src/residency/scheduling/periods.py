"""Duty-period rules of short option sequences, judged by the compliance engine itself.

`continuous_duty`, `transition_time` and `rest_after_24` (ACGME.md; CPR VI.F.8.c and
VI.F.8.b.2) depend on how a resident's work intervals merge into duty periods, which only
neighbouring days can affect. Every combination of options over three consecutive days is
laid out as one virtual resident, the whole batch is checked in one engine call, and each
violating combination becomes a forbidden assignment of the model: exact by construction,
because the judge is the same code that will check the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from residency.compliance.arrays import KIND_CODES, DutyArrays, Roster
from residency.compliance.engine import check_arrays
from residency.compliance.settings import RuleSettings
from residency.scheduling.options import Duty

PERIOD_RULES = frozenset({"continuous_duty", "transition_time", "rest_after_24"})
_CODES = {str(kind): code for kind, code in KIND_CODES.items()}
WINDOW_RULES = frozenset({"hours_80", "day_off", "night_float_consecutive"})


@dataclass(frozen=True)
class Sequence3:
    """One combination of options on consecutive days of one resident."""

    person: str
    pgy: int
    duties: tuple[Duty, ...]


def judge_sequences(
    sequences: Sequence[Sequence3],
    settings: RuleSettings,
    timezone: str,
    period: tuple[date, date],
    rules: frozenset[str],
) -> dict[int, tuple[str, ...]]:
    """Index of each sequence breaking one of `rules` -> the rules it breaks.

    Each sequence is one virtual resident of a single engine call over `period`.
    """
    person = [i for i, seq in enumerate(sequences) for _ in seq.duties]
    if not person:
        return {}
    duties = [duty for seq in sequences for duty in seq.duties]
    arrays = DutyArrays.build(
        np.asarray(person),
        np.fromiter((d.start for d in duties), dtype=np.int64, count=len(duties)),
        np.fromiter((d.end for d in duties), dtype=np.int64, count=len(duties)),
        np.fromiter((_CODES[d.kind] for d in duties), dtype=np.int8, count=len(duties)),
    )
    roster = Roster.build(
        [f"v{i}" for i in range(len(sequences))],
        [True] * len(sequences),
        [seq.pgy for seq in sequences],
    )
    result = check_arrays(roster, arrays, timezone=timezone, settings=settings, period=period)
    found: dict[int, set[str]] = {}
    for violation in result.errors:
        if violation.rule in rules:
            found.setdefault(int(violation.person[1:]), set()).add(violation.rule)
    return {index: tuple(sorted(names)) for index, names in found.items()}


def period_violations(
    sequences: Sequence[Sequence3], settings: RuleSettings, timezone: str, anchor: date
) -> dict[int, tuple[str, ...]]:
    """Index of each sequence breaking a duty-period rule -> the rules it breaks."""
    return judge_sequences(sequences, settings, timezone, (anchor, anchor), PERIOD_RULES)
