"""Array form of a duty timeline: the input of the vectorised engine.

Duties are four parallel arrays: person index (into a `Roster`), start and end as int64
epoch seconds, and a kind code (`KIND_CODES`). The DB layer and the benchmarks build these
directly; `timeline_to_arrays` converts a parsed `Timeline`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from residency.compliance.model import DutyKind, Person, Timeline

KIND_CODES: dict[DutyKind, int] = {kind: code for code, kind in enumerate(DutyKind)}
"""Kind code of every duty kind, in `DutyKind` declaration order."""

CLINICAL = KIND_CODES[DutyKind.CLINICAL]
EDUCATION = KIND_CODES[DutyKind.EDUCATION]
IN_HOUSE_CALL = KIND_CODES[DutyKind.IN_HOUSE_CALL]
NIGHT_FLOAT = KIND_CODES[DutyKind.NIGHT_FLOAT]
HOME_CALL = KIND_CODES[DutyKind.HOME_CALL]
HOME_CALL_ACTIVE = KIND_CODES[DutyKind.HOME_CALL_ACTIVE]
MOONLIGHTING = KIND_CODES[DutyKind.MOONLIGHTING]
TRANSITION = KIND_CODES[DutyKind.TRANSITION]


@dataclass(frozen=True)
class Roster:
    """The people of a timeline: ids, whether each is a resident, and PGY (0 = unknown)."""

    ids: tuple[str, ...]
    is_resident: np.ndarray
    pgy: np.ndarray

    @classmethod
    def build(
        cls, ids: Sequence[str], is_resident: Sequence[bool], pgy: Sequence[int | None]
    ) -> Roster:
        """A roster from parallel sequences (``None`` PGY stored as 0)."""
        if not len(ids) == len(is_resident) == len(pgy):
            raise ValueError("roster sequences differ in length")
        return cls(
            ids=tuple(ids),
            is_resident=np.asarray(is_resident, dtype=bool),
            pgy=np.asarray([p or 0 for p in pgy], dtype=np.int16),
        )

    @classmethod
    def from_people(cls, people: Iterable[Person]) -> Roster:
        """A roster from parsed `Person` models, in their order."""
        people = list(people)
        return cls.build(
            [p.id for p in people], [p.is_resident for p in people], [p.pgy for p in people]
        )

    def __len__(self) -> int:
        return len(self.ids)

    def index(self) -> dict[str, int]:
        """Person id -> index."""
        return {pid: i for i, pid in enumerate(self.ids)}


@dataclass(frozen=True)
class DutyArrays:
    """Duties as parallel arrays: person index, start/end epoch seconds, kind code."""

    person: np.ndarray
    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray

    @classmethod
    def build(
        cls,
        person: Sequence[int] | np.ndarray,
        start: Sequence[int] | np.ndarray,
        end: Sequence[int] | np.ndarray,
        kind: Sequence[int] | np.ndarray,
    ) -> DutyArrays:
        """Arrays with the engine's dtypes (int64, int64, int64, int8)."""
        return cls(
            person=np.asarray(person, dtype=np.int64),
            start=np.asarray(start, dtype=np.int64),
            end=np.asarray(end, dtype=np.int64),
            kind=np.asarray(kind, dtype=np.int8),
        )

    def __len__(self) -> int:
        return int(self.person.shape[0])

    def validate(self, n_people: int) -> None:
        """ValueError unless the arrays are consistent and every duty has end > start."""
        n = len(self)
        if not (self.start.shape == self.end.shape == self.kind.shape == (n,)):
            raise ValueError("duty arrays must be one-dimensional and of equal length")
        if n == 0:
            return
        if self.person.min() < 0 or self.person.max() >= n_people:
            raise ValueError("duty person index out of range")
        if self.kind.min() < 0 or self.kind.max() >= len(KIND_CODES):
            raise ValueError("unknown duty kind code")
        bad = np.flatnonzero(self.end <= self.start)
        if bad.size:
            raise ValueError(f"duties[{int(bad[0])}].end: must be after start")


def _epochs(values: Sequence[datetime], rounding: np.ufunc) -> np.ndarray:
    """Epoch seconds of aware datetimes, rounded with `rounding` (fastest for UTC ones)."""
    seconds = np.fromiter(map(datetime.timestamp, values), dtype=np.float64, count=len(values))
    return rounding(seconds).astype(np.int64)


def records_to_arrays(
    records: Sequence[tuple[int, datetime, datetime, DutyKind | str]],
) -> DutyArrays:
    """Arrays from ``(person_index, start, end, kind)`` records (aware datetimes).

    Times resolve to whole seconds: starts are floored and ends ceiled, so no duty vanishes.
    Datetimes in UTC (as the database returns them) convert about four times faster than
    ones with other offsets.
    """
    n = len(records)
    person = np.fromiter((r[0] for r in records), dtype=np.int64, count=n)
    codes = {str(kind): code for kind, code in KIND_CODES.items()}
    kind = np.fromiter((codes[str(r[3])] for r in records), dtype=np.int8, count=n)
    start = _epochs([r[1] for r in records], np.floor)
    end = _epochs([r[2] for r in records], np.ceil)
    return DutyArrays(person=person, start=start, end=end, kind=kind)


def timeline_to_arrays(timeline: Timeline) -> tuple[Roster, DutyArrays]:
    """The roster and duty arrays of a parsed timeline (people in their listed order)."""
    roster = Roster.from_people(timeline.people)
    index = roster.index()
    records = [(index[d.person], d.start, d.end, d.kind) for d in timeline.duties]
    return roster, records_to_arrays(records)
