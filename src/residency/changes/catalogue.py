"""A program's catalogue for the change engine, and a cache of it per process.

The catalogue is everything a schedule window is judged with besides its rows: people,
activities, rotations, blocks, the rotation plan, absences and holidays. Loading it is
seven queries; a validation needs it every time. On PostgreSQL the engine keeps the
last catalogue of each program in memory with an exact fingerprint of those tables
(md5 of every row's id and version, in one query), and reuses it while the fingerprint
is unchanged: any insert, update or delete, through any code path, changes it.
SQLite (the embedded, single-writer mode) always loads it.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from residency.core.calendar import BlockSpan
from residency.core.schedule import (
    AbsenceInfo,
    ActivityInfo,
    PersonInfo,
    PlanEntry,
    RotationInfo,
    ScheduleSnapshot,
    activity_info,
    rotation_info,
)
from residency.core.settings import ProgramSettings

CACHED_PROGRAMS = 64


@dataclass(frozen=True)
class Catalogue:
    activities: dict[str, ActivityInfo]  # by code
    activity_codes: dict[str, str]  # id -> code
    people: dict[str, PersonInfo]
    rotations: dict[str, RotationInfo]  # by abbreviation
    blocks: list[tuple[str, BlockSpan]]  # (block id, span), by start date
    plan: dict[str, list[tuple[str, str, int]]]  # block id -> (person, rotation, half)
    absences: list[AbsenceInfo]
    holidays: dict[date, str]

    @classmethod
    def of(
        cls,
        activities: Sequence[Any],
        people: Sequence[Any],
        rotations: Sequence[Any],
        blocks: Sequence[Any],
        plan: Sequence[Any],
        absences: Sequence[Any],
        holidays: Sequence[Any],
    ) -> Catalogue:
        abbreviations = {r.id: r.abbreviation for r in rotations}
        by_block: dict[str, list[tuple[str, str, int]]] = {}
        for e in plan:
            by_block.setdefault(str(e.block_id), []).append(
                (str(e.person_id), abbreviations[e.rotation_id], e.half)
            )
        return cls(
            activities={a.code: activity_info(a) for a in activities},
            activity_codes={str(a.id): a.code for a in activities},
            people={
                str(p.id): PersonInfo(str(p.id), p.name, str(p.role), p.pgy, p.weekly_clinic_cap)
                for p in people
            },
            rotations={r.abbreviation: rotation_info(r) for r in rotations},
            blocks=[
                (str(b.id), BlockSpan(b.number, b.start_date, b.end_date))
                for b in sorted(blocks, key=lambda b: b.start_date)
            ],
            plan=by_block,
            absences=[
                AbsenceInfo(
                    str(a.person_id),
                    str(a.kind),
                    a.start_date,
                    a.end_date,
                    str(a.status),
                    a.override_reason,
                )
                for a in absences
            ],
            holidays={h.date: str(h.clinic_level) for h in holidays},
        )

    def snapshot(
        self, timezone: str, settings: ProgramSettings, span: tuple[date, date]
    ) -> ScheduleSnapshot:
        """The catalogue over the local dates of `span`, as a snapshot without rows."""
        first, last = span
        blocks = [(bid, b) for bid, b in self.blocks if b.end >= first and b.start <= last]
        return ScheduleSnapshot(
            timezone=timezone,
            settings=settings,
            period=span,
            blocks=[b for _, b in blocks],
            activities=self.activities,
            people=self.people,
            rotations=self.rotations,
            plan=[
                PlanEntry(person, block.number, rotation, half)
                for bid, block in blocks
                for person, rotation, half in self.plan.get(bid, [])
            ],
            absences=[a for a in self.absences if a.end_date >= first and a.start_date <= last],
            holidays={d: level for d, level in self.holidays.items() if first <= d <= last},
        )


class CatalogueCache:
    """The last catalogue of each program, with its fingerprint (least recent dropped)."""

    def __init__(self, size: int = CACHED_PROGRAMS) -> None:
        self.size = size
        self.entries: OrderedDict[uuid.UUID, tuple[str, Catalogue]] = OrderedDict()

    def get(self, program_id: uuid.UUID, fingerprint: str) -> Catalogue | None:
        entry = self.entries.get(program_id)
        if entry is None or entry[0] != fingerprint:
            return None
        self.entries.move_to_end(program_id)
        return entry[1]

    def put(self, program_id: uuid.UUID, fingerprint: str, catalogue: Catalogue) -> None:
        self.entries[program_id] = (fingerprint, catalogue)
        self.entries.move_to_end(program_id)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


CACHE = CatalogueCache()
