"""Benchmark of the ACGME compliance engine (issue 3).

Generates, deterministically, (a) one program of 18 residents for an academic year and
(b) an institution of 3,000 residents (~2 million slot-sized duties), then times the engine
(median of several runs, data generation excluded), the array conversions separately, and
the peak memory. Run: ``.venv/bin/python benchmarks/compliance.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import gc
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from residency.compliance import (
    KIND_CODES,
    DutyArrays,
    DutyKind,
    Roster,
    check_arrays,
    check_timeline,
    parse_timeline,
    records_to_arrays,
    timeline_to_arrays,
)

ZONE = "America/Chicago"
YEAR_START = date(2026, 7, 1)
DAYS = 365
HOURS = (7, 8, 10, 12, 13, 17, 18, 19, 21, 22, 23)
PROGRAM_TARGET_S = 0.050
INSTITUTION_TARGET_S = 5.0

WARDS, CLINIC, NIGHTS, ELECTIVE = range(4)


@dataclass(frozen=True)
class Dataset:
    """A generated roster and its duties."""

    name: str
    roster: Roster
    duties: DutyArrays


def local_times(zone: ZoneInfo, first: date, days: int) -> dict[int, np.ndarray]:
    """Epoch of local hour h on each day (DST-aware), for every hour in HOURS."""
    table = {h: np.empty(days + 1, dtype=np.int64) for h in HOURS}
    for i in range(days + 1):
        day = first + timedelta(days=i)
        for h in HOURS:
            table[h][i] = int(datetime(day.year, day.month, day.day, h, tzinfo=zone).timestamp())
    return table


class YearBuilder:
    """Vectorised generator of one academic year for n residents (grid: resident x day)."""

    def __init__(self, n_residents: int, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.n = n_residents
        self.at = local_times(ZoneInfo(ZONE), YEAR_START, DAYS)
        res = np.arange(n_residents)[:, None]
        day = np.arange(DAYS)[None, :]
        self.res, self.day = np.broadcast_arrays(res, day)
        self.weekday = (YEAR_START.weekday() + self.day) % 7
        self.rotation = (self.res + self.day // 28) % 4
        self.off = self.weekday == (self.res % 7)
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(
        self,
        mask: np.ndarray,
        start: tuple[int, int],
        end: tuple[int, int],
        kind: str,
        day_shift: np.ndarray | int = 0,
    ) -> None:
        """Add a duty on every masked (resident, day): local (hour, +days) start and end."""
        res, day = self.res[mask], self.day[mask] + day_shift
        if isinstance(day_shift, np.ndarray):
            day = self.day[mask] + day_shift[mask]
        begin = self.at[start[0]][np.minimum(day + start[1], DAYS)]
        finish = self.at[end[0]][np.minimum(day + end[1], DAYS)]
        code = np.full(res.size, KIND_CODES[DutyKind(kind)], dtype=np.int8)
        self.parts.append((res, begin, finish, code))

    def build(self) -> DutyArrays:
        res, start, end, kind = (np.concatenate(p) for p in zip(*self.parts, strict=True))
        order = np.lexsort((start, res))
        return DutyArrays.build(res[order], start[order], end[order], kind[order])


def year_of_duties(n_residents: int, seed: int) -> DutyArrays:
    """Clinic/ward sessions, noon conference, q4 calls, night-float runs, home call, moonlighting.

    Rotations change every 28 days; one weekday off per week (no call or home call the
    evening before it); night float runs Sunday to Thursday nights.
    """
    b = YearBuilder(n_residents, seed)
    rot, off, weekday = b.rotation, b.off, b.weekday
    before_off = np.zeros_like(off)
    before_off[:, :-1] = off[:, 1:]
    call = (rot == WARDS) & ((b.day + b.res) % 4 == 0) & ~off & ~before_off
    post_call = np.zeros_like(call)
    post_call[:, 1:] = call[:, :-1]
    leave = b.rng.random(off.shape) < 0.03
    day_shift = (rot != NIGHTS) & ~off & ~post_call & ~leave
    education = day_shift & (weekday == 2)
    noon = day_shift & (rot != ELECTIVE) & (weekday < 5)
    b.add(day_shift, (8, 0), (12, 0), "clinical")
    b.add(noon, (12, 0), (13, 0), "education")
    b.add(day_shift & ~education, (13, 0), (17, 0), "clinical")
    b.add(education, (13, 0), (17, 0), "education")
    b.add(call, (17, 0), (7, 1), "in_house_call")
    b.add(call, (7, 1), (10, 1), "transition")
    nights = (rot == NIGHTS) & ~off & ~before_off
    b.add(nights, (19, 0), (7, 1), "night_float")
    home = (rot == ELECTIVE) & ((b.day + b.res) % 7 == 3) & (weekday < 5) & ~before_off
    b.add(home, (17, 0), (8, 1), "home_call")
    b.add(home & (b.rng.random(home.shape) < 0.3), (21, 0), (22, 0), "home_call_active")
    senior = (b.res % 3 != 0) | (b.rng.random(off.shape) < 0.02)
    moonlight = (rot == ELECTIVE) & (weekday == 5) & senior & (b.rng.random(off.shape) < 0.1)
    b.add(moonlight & ~off, (18, 0), (23, 0), "moonlighting")
    return b.build()


def dataset(name: str, n_residents: int, seed: int) -> Dataset:
    """A roster of residents (PGY 1-3 in turn) and their generated year."""
    ids = [f"r{i:05d}" for i in range(n_residents)]
    pgy = [1 + i % 3 for i in range(n_residents)]  # PGY-1 when i % 3 == 0
    roster = Roster.build(ids, [True] * n_residents, pgy)
    return Dataset(name, roster, year_of_duties(n_residents, seed))


def timeline_document(data: Dataset) -> dict[str, Any]:
    """The JSON-shaped timeline of a dataset (ISO strings with offsets)."""
    zone = ZoneInfo(ZONE)
    kinds = list(KIND_CODES)
    d = data.duties

    def iso(epoch: np.int64) -> str:
        return datetime.fromtimestamp(int(epoch), tz=zone).isoformat()

    return {
        "timezone": ZONE,
        "people": [
            {"id": pid, "role": "resident", "pgy": int(pgy)}
            for pid, pgy in zip(data.roster.ids, data.roster.pgy, strict=True)
        ],
        "duties": [
            {"person": data.roster.ids[p], "start": iso(s), "end": iso(e), "kind": kinds[k].value}
            for p, s, e, k in zip(d.person, d.start, d.end, d.kind, strict=True)
        ],
    }


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls (after one warm-up call)."""
    action()
    times = []
    for _ in range(runs):
        gc.collect()
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def peak_mib(action: Callable[[], object]) -> float:
    """Peak traced allocation (MiB) during one call."""
    gc.collect()
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def engine(data: Dataset) -> Callable[[], object]:
    return lambda: check_arrays(data.roster, data.duties, timezone=ZONE)


def records_of(data: Dataset) -> list[tuple[int, datetime, datetime, DutyKind]]:
    """DB-row-like records: (person index, start, end, kind), datetimes in UTC as stored."""
    zone = UTC
    kinds = list(KIND_CODES)
    d = data.duties
    return [
        (
            int(p),
            datetime.fromtimestamp(int(s), tz=zone),
            datetime.fromtimestamp(int(e), tz=zone),
            kinds[k],
        )
        for p, s, e, k in zip(d.person, d.start, d.end, d.kind, strict=True)
    ]


def _period(period: tuple[date, date] | None) -> str:
    return f"{period[0]} .. {period[1]}" if period else "no period"


def bench_program(runs: int) -> list[tuple[str, str, str]]:
    data = dataset("program", 18, seed=3)
    doc = timeline_document(data)
    timeline = parse_timeline(doc)
    result = check_arrays(data.roster, data.duties, timezone=ZONE)
    rows = [
        ("(a) duties", f"{len(data.duties):,}", f"18 residents, {_period(result.period)}"),
        ("(a) findings", f"{len(result.errors)} violations, {len(result.warnings)} warnings", ""),
    ]
    t_engine = median_seconds(engine(data), runs)
    verdict = "PASS" if t_engine < PROGRAM_TARGET_S else "FAIL"
    rows.append(
        (
            "(a) engine on arrays",
            f"{t_engine * 1e3:.1f} ms",
            f"target < {PROGRAM_TARGET_S * 1e3:.0f} ms: {verdict}",
        )
    )
    t_parse = median_seconds(lambda: parse_timeline(doc), runs)
    rows.append(("(a) parse_timeline (dict -> models)", f"{t_parse * 1e3:.1f} ms", ""))
    t_conv = median_seconds(lambda: timeline_to_arrays(timeline), runs)
    rows.append(("(a) timeline_to_arrays", f"{t_conv * 1e3:.1f} ms", ""))
    t_full = median_seconds(lambda: check_timeline(timeline), runs)
    rows.append(("(a) check_timeline (conversion + engine)", f"{t_full * 1e3:.1f} ms", ""))
    rows.append(("(a) engine peak traced memory", f"{peak_mib(engine(data)):.1f} MiB", ""))
    return rows


def bench_institution(runs: int) -> list[tuple[str, str, str]]:
    began = time.perf_counter()
    data = dataset("institution", 3000, seed=7)
    generated = time.perf_counter() - began
    result = check_arrays(data.roster, data.duties, timezone=ZONE)
    rows = [
        ("(b) duties", f"{len(data.duties):,}", f"3,000 residents, generated in {generated:.1f} s"),
        ("(b) findings", f"{len(result.errors)} violations, {len(result.warnings)} warnings", ""),
    ]
    t_engine = median_seconds(engine(data), runs)
    verdict = "PASS" if t_engine < INSTITUTION_TARGET_S else "FAIL"
    rows.append(
        (
            "(b) engine on arrays",
            f"{t_engine:.2f} s",
            f"target < {INSTITUTION_TARGET_S:.0f} s: {verdict}",
        )
    )
    rows.append(("(b) engine peak traced memory", f"{peak_mib(engine(data)):.0f} MiB", ""))
    records = records_of(data)
    t_conv = median_seconds(lambda: records_to_arrays(records), max(1, runs // 2))
    rows.append(("(b) records_to_arrays (UTC row tuples)", f"{t_conv:.2f} s", "not in target"))
    return rows


def machine() -> str:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                model,
            )
    except OSError:
        pass
    import os

    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    for label, value, note in rows:
        print(f"| {label.ljust(width)} | {value:>26} | {note} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    rows = bench_program(args.runs) + bench_institution(max(3, args.runs // 2))
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("process max RSS", f"{maxrss:.0f} MiB", "includes data generation"))
    print_table(rows)
    failed = [r for r in rows if r[2].endswith("FAIL")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
