"""Swap validation and execution under load (issue 6): p95 latency with 20 concurrent clients.

On a fresh PostgreSQL database the script loads the demo program (18 residents, 13
faculty; `residency.demo.loader`), builds by hand compliant published blocks of faculty
rows (six by default: FMIT weeks, one faculty member on call every covered night, two
preceptors in every weekday clinic session; no clinic during an attending's week or
recovery Friday, on a post-call morning, on leave or past a weekly cap), checks it with
the schedule validator, and plans clinic give-aways that stay valid in any order. It then
starts the real server (`residency serve`, one process), signs in and warms it up as a
server in service would be: 20 users at once validate and execute a swap each (every
server process opens its pool's connections and prepares its statements), which are
then rolled back. None of this is timed.

Timed, one phase per pace: every planned swap is requested, accepted and approved (not
timed), shuffled (independent users' swaps fall on different days, while two changes on
one date or about one person wait for each other's locks) and shared among 20 clients
that run at once. They join over the first 2 s (users do not start in step), then each
loops over its share: `POST …/swaps/validate` with the swap as proposed, then `POST
…/swaps/{id}/execute`, then a pause of the pace's think time (0.5x-1.5x). Every
execution locks, re-validates (the duty-hour engine with 28 days of history and the
program rules) and writes the rows with their audit entries. After the phase every swap
is rolled back (not timed, but validated and audited like any rollback), so each pace
starts from the same schedule. Paces run from people acting at human speed (2 s between
swaps) to none at all (saturation: latency is then the queue behind the 2 cores, which
the server shares with PostgreSQL and this load generator; the report gives each one's
CPU time per request). Target: p95 < 100 ms per request.

    .venv/bin/python benchmarks/swaps.py [--clients 20] [--swaps-per-client 11]
        [--paces 2,1,0.5,0.25,0] [--blocks 6] [--workers 1]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/swaps_bench]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
from serving import start_and_wait
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from residency.absences.models import Absence, AbsenceStatus  # noqa: E402
from residency.activities.models import Activity  # noqa: E402
from residency.assignments.models import Assignment  # noqa: E402
from residency.config import Settings  # noqa: E402
from residency.core.calendar import Session, iter_days  # noqa: E402
from residency.core.settings import ProgramSettings, weekday_index  # noqa: E402
from residency.db import create_engine_for, create_session_factory, unit_of_work  # noqa: E402
from residency.demo.generator import build_demo_program  # noqa: E402
from residency.demo.loader import load_program_file  # noqa: E402
from residency.migrate import upgrade_sync  # noqa: E402
from residency.people.kinds import PersonRole  # noqa: E402
from residency.people.models import Person  # noqa: E402
from residency.programs.models import Block, Program  # noqa: E402
from residency.schedule.compliance import program_compliance  # noqa: E402
from residency.shifts.models import Shift, ShiftKind  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "Swap-load-" + uuid.uuid4().hex
PRECEPTORS_PER_SESSION = 2
FREEZE_MARGIN = timedelta(days=8)
WARM_UP_ROUNDS = 5
RAMP_UP_S = 2.0  # users join over the first seconds of a phase, not all at once
TARGET_MS = 100.0


# --- the hand-built block --------------------------------------------------------------


@dataclass
class FacultyBlock:
    program: Program
    first: date
    last: date
    zone: ZoneInfo
    settings: ProgramSettings
    faculty: list[Person]
    away: set[tuple[uuid.UUID, date]]
    at: uuid.UUID
    fmit: dict[date, uuid.UUID] = field(default_factory=dict)  # Friday -> attending
    calls: dict[date, uuid.UUID] = field(default_factory=dict)  # night -> faculty
    clinic: dict[tuple[date, Session], list[uuid.UUID]] = field(default_factory=dict)

    def attending(self, day: date) -> uuid.UUID | None:
        friday = day - timedelta(days=(day.weekday() - 4) % 7)
        return self.fmit.get(friday)

    def recovering(self, day: date) -> uuid.UUID | None:
        return self.fmit.get(day - timedelta(days=7)) if day.weekday() == 4 else None

    def free_for_clinic(
        self, person: Person, day: date, session: Session, cap_extra: int = 0
    ) -> bool:
        pid = person.id
        return (
            (pid, day) not in self.away
            and self.attending(day) != pid
            and self.recovering(day) != pid
            and not (session is Session.AM and self.calls.get(day - timedelta(days=1)) == pid)
            and pid not in self.clinic.get((day, session), [])
            and self.week_count(pid, day) + cap_extra < (person.weekly_clinic_cap or 0)
        )

    def week_count(self, pid: uuid.UUID, day: date) -> int:
        monday = day - timedelta(days=day.weekday())
        return sum(
            pid in people
            for (d, _), people in self.clinic.items()
            if monday <= d < monday + timedelta(days=7)
        )


def build_block(b: FacultyBlock) -> None:
    """FMIT weeks, then calls, then precepting: greedy, least loaded first."""
    days = list(iter_days(b.first, b.last))
    roles = set(b.settings.fmit_faculty_roles)
    fmit_count: Counter[uuid.UUID] = Counter()
    for friday in [d for d in days if d.weekday() == 4]:
        week = list(iter_days(friday, friday + timedelta(days=7)))
        options = [
            f
            for f in b.faculty
            if f.faculty_role in roles
            and all((f.id, d) not in b.away for d in week)
            and b.fmit.get(friday - timedelta(days=7)) != f.id
        ]
        chosen = min(options, key=lambda f: (fmit_count[f.id], f.name))
        b.fmit[friday] = chosen.id
        fmit_count[chosen.id] += 1
    covered = {weekday_index(n) for n in b.settings.covered_call_nights}
    call_count: Counter[uuid.UUID] = Counter()
    for night in days:
        if night.weekday() not in covered:
            continue
        options = [
            f
            for f in b.faculty
            if (f.id, night) not in b.away
            and (f.id, night + timedelta(days=1)) not in b.away
            and b.attending(night) != f.id
            and b.attending(night + timedelta(days=1)) != f.id
            and b.calls.get(night - timedelta(days=1)) != f.id
        ]
        chosen = min(options, key=lambda f: (call_count[f.id], f.name))
        b.calls[night] = chosen.id
        call_count[chosen.id] += 1
    for day in days:
        if day.weekday() >= 5:
            continue
        for session in (Session.AM, Session.PM):
            slot = b.clinic.setdefault((day, session), [])
            for _ in range(PRECEPTORS_PER_SESSION):
                options = [f for f in b.faculty if b.free_for_clinic(f, day, session)]
                if options:
                    slot.append(min(options, key=lambda f: (b.week_count(f.id, day), f.name)).id)


def rows_of(b: FacultyBlock) -> list[Any]:
    zone, pid = b.zone, b.program.id
    sessions = b.settings.sessions
    rows: list[Any] = []
    for friday, person in b.fmit.items():
        rows.append(
            Shift(
                program_id=pid,
                person_id=person,
                kind=ShiftKind.FMIT_WEEK,
                date=friday,
                start_at=datetime.combine(friday, clock(0), tzinfo=zone),
                end_at=datetime.combine(friday + timedelta(days=7), clock(0), tzinfo=zone),
            )
        )
    for night, person in b.calls.items():
        rows.append(
            Shift(
                program_id=pid,
                person_id=person,
                kind=ShiftKind.FACULTY_CALL,
                date=night,
                start_at=datetime.combine(night, sessions.pm_end, tzinfo=zone),
                end_at=datetime.combine(night + timedelta(days=1), sessions.am_start, tzinfo=zone),
            )
        )
    for (day, session), people in b.clinic.items():
        for person in people:
            rows.append(
                Assignment(
                    program_id=pid, person_id=person, date=day, session=session, activity_id=b.at
                )
            )
    return rows


def plan_give_aways(
    b: FacultyBlock, wanted: int
) -> list[tuple[uuid.UUID, uuid.UUID, date, Session]]:
    """(holder, recipient, day, session): any subset stays valid, in any order. Each slot
    and holder once; a recipient is free in that slot and stays within their weekly cap
    counting every session they hold or receive (never what they give away, which may
    execute after what they receive)."""
    received: Counter[tuple[uuid.UUID, date]] = Counter()
    taken: set[tuple[uuid.UUID, date, Session]] = set()
    plan = []
    for (day, session), people in sorted(b.clinic.items()):
        if len(plan) == wanted:
            break
        if not people:
            continue
        holder = people[0]
        monday = day - timedelta(days=day.weekday())
        options = [
            f
            for f in b.faculty
            if f.id != holder
            and b.free_for_clinic(f, day, session, cap_extra=received[(f.id, monday)])
            and (f.id, day, session) not in taken
        ]
        if not options:
            continue
        recipient = min(options, key=lambda f: (received[(f.id, monday)], f.name))
        received[(recipient.id, monday)] += 1
        taken.add((recipient.id, day, session))
        plan.append((holder, recipient.id, day, session))
    return plan


async def prepare(url: str, wanted: int, block_count: int) -> tuple[str, list[dict[str, Any]], int]:
    """Load the demo, add the block, plan the swaps; (program id, proposals, rows)."""
    engine = create_engine_for(Settings(database_url=url))
    factory = create_session_factory(engine)
    try:
        async with unit_of_work(factory) as session:
            program = await load_program_file(session, build_demo_program(seed=2026))
        async with unit_of_work(factory) as session:
            program = await session.get(Program, program.id)
            assert program is not None
            zone = ZoneInfo(program.timezone)
            today = datetime.now(UTC).astimezone(zone).date()
            blocks = (
                (
                    await session.execute(
                        select(Block)
                        .where(Block.program_id == program.id, Block.number > 0)
                        .order_by(Block.start_date)
                    )
                )
                .scalars()
                .all()
            )
            ahead = [x for x in blocks if x.start_date >= today + FREEZE_MARGIN][:block_count]
            if len(ahead) < block_count:
                raise SystemExit(
                    f"the demo year has no {block_count} blocks after the freeze window"
                )
            first, last = ahead[0].start_date, ahead[-1].end_date
            faculty = list(
                (
                    await session.execute(
                        select(Person)
                        .where(Person.program_id == program.id, Person.role == PersonRole.FACULTY)
                        .order_by(Person.name)
                    )
                )
                .scalars()
                .all()
            )
            away = {
                (a.person_id, day)
                for a in (
                    await session.execute(
                        select(Absence).where(
                            Absence.program_id == program.id,
                            Absence.status == AbsenceStatus.APPROVED,
                        )
                    )
                )
                .scalars()
                .all()
                for day in iter_days(a.start_date, a.end_date)
            }
            at = (
                await session.execute(
                    select(Activity.id).where(
                        Activity.program_id == program.id, Activity.code == "AT"
                    )
                )
            ).scalar_one()
            b = FacultyBlock(
                program,
                first,
                last,
                zone,
                ProgramSettings.model_validate(program.settings),
                faculty,
                away,
                at,
            )
            build_block(b)
            rows = rows_of(b)
            session.add_all(rows)
        async with unit_of_work(factory, write=False) as session:
            report = await program_compliance(session, program, first, last)
            faculty_ids = {str(f.id) for f in faculty}
            bad = [
                v
                for v in report.violations
                if v.severity == "violation"
                and (
                    v.person in faculty_ids
                    or v.rule in ("faculty_call_coverage", "supervision_ratio")
                )
                and first <= v.start.date() <= last - timedelta(days=1)
            ]
            if bad:
                raise SystemExit(f"the hand-built block is not compliant: {bad[:3]}")
        proposals = [
            {
                "kind": "clinic_session",
                "requester_id": str(holder),
                "counterparty_id": str(recipient),
                "offered": {"date": day.isoformat(), "session": session.value},
            }
            for holder, recipient, day, session in plan_give_aways(b, wanted)
        ]
        return str(program.id), proposals, len(rows)
    finally:
        await engine.dispose()


# --- the server and the load -------------------------------------------------------------


async def reset_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.replace("postgresql+asyncpg", "postgresql").rsplit("/", 1)[0] + "/postgres"
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def start_server(env: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    subprocess.run(
        [sys.executable, "-m", "residency", "users", "create-admin", "--username", "bench"],
        env={**env, "RESIDENCY_ADMIN_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
    )
    command = [sys.executable, "-m", "residency", "serve", "--port", str(PORT)]
    if workers > 1:  # N stateless API processes (DESIGN.md, "Scale path")
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "residency.app:create_app",
            "--factory",
            "--port",
            str(PORT),
            "--workers",
            str(workers),
            "--no-access-log",
        ]
    return start_and_wait(command, env, BASE)


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


@dataclass
class Timings:
    validate: list[float] = field(default_factory=list)
    execute: list[float] = field(default_factory=list)
    both: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per request, by process group


# --- where the CPU goes: the server, PostgreSQL and this load generator share the cores ---

TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name_ends = text.rindex(")")
    return [pid, text[text.index("(") + 1 : name_ends], *text[name_ends + 2 :].split()]


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU time used so far (user + system) by the server (with its worker processes),
    by every PostgreSQL process, and by this process."""
    stats = [st for pid in os.listdir("/proc") if pid.isdigit() and (st := _stat(pid))]
    parents = {st[0]: st[3] for st in stats}

    def in_server(pid: str) -> bool:
        while pid not in ("0", "1", str(server_pid)):
            pid = parents.get(pid, "0")
        return pid == str(server_pid)

    totals = {"server": 0.0, "PostgreSQL": 0.0}
    for st in stats:
        used = (int(st[13]) + int(st[14])) * TICK_S
        if st[1].startswith("postgres"):
            totals["PostgreSQL"] += used
        elif in_server(st[0]):
            totals["server"] += used
    totals["load generator"] = time.process_time()
    return totals


async def client_loop(
    headers: dict[str, str],
    base: str,
    work: list[tuple[dict, str]],
    timings: Timings,
    think: float,
    rng: random.Random,
) -> None:
    """One user: validate a swap, execute it, think, next."""
    async with httpx.AsyncClient(base_url=BASE, headers=headers, timeout=60) as http:
        await asyncio.sleep(rng.uniform(0, RAMP_UP_S))  # users do not start in step
        for proposal, swap_id in work:
            started = time.perf_counter()
            checked = await http.post(f"{base}/swaps/validate", json=proposal)
            middle = time.perf_counter()
            done = await http.post(f"{base}/swaps/{swap_id}/execute")
            finished = time.perf_counter()
            timings.validate.append((middle - started) * 1000)
            timings.execute.append((finished - middle) * 1000)
            timings.both.append((finished - started) * 1000)
            timings.statuses[f"validate {checked.status_code}"] += 1
            timings.statuses[f"execute {done.status_code}"] += 1
            if done.status_code != 200:
                timings.statuses[f"execute refused: {done.json().get('rule')}"] += 1
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def sign_in() -> dict[str, str]:
    async with httpx.AsyncClient(base_url=BASE, timeout=60) as http:
        answer = await http.post(
            "/api/v1/auth/token", data={"username": "bench", "password": PASSWORD}
        )
    if answer.status_code != 200:
        raise SystemExit(f"sign-in failed: {answer.text}")
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def request_and_approve(
    headers: dict[str, str], base: str, proposals: list[dict[str, Any]]
) -> list[tuple[dict, str]]:
    """Request, accept and approve every proposal (not timed): (proposal, swap id)."""
    work: list[tuple[dict, str]] = []
    async with httpx.AsyncClient(base_url=BASE, headers=headers, timeout=60) as http:
        for proposal in proposals:
            created = await http.post(f"{base}/swaps", json=proposal)
            created.raise_for_status()
            swap_id = created.json()["id"]
            for step in ("accept", "approve"):
                (await http.post(f"{base}/swaps/{swap_id}/{step}")).raise_for_status()
            work.append((proposal, swap_id))
    return work


async def roll_back(headers: dict[str, str], base: str, work: list[tuple[dict, str]]) -> None:
    """Undo the executed swaps, newest first (not timed): every pace starts from the same
    schedule, and each rollback is itself validated and audited."""
    async with httpx.AsyncClient(base_url=BASE, headers=headers, timeout=60) as http:
        for _, swap_id in reversed(work):
            (await http.post(f"{base}/swaps/{swap_id}/rollback")).raise_for_status()


async def warm_up(
    headers: dict[str, str], base: str, proposals: list[dict[str, Any]], clients: int
) -> None:
    """Bring the server to its steady state before anything is timed, as after a while in
    service: `clients` users at once validate a few times, then execute a swap each,
    so that every server process has opened its pool's connections and prepared its
    statements on each; the swaps are then rolled back (none of this is measured)."""
    work = await request_and_approve(headers, base, proposals[:clients])

    async def user(proposal: dict[str, Any], swap_id: str) -> None:
        async with httpx.AsyncClient(base_url=BASE, headers=headers, timeout=60) as http:
            for _ in range(WARM_UP_ROUNDS):
                (await http.post(f"{base}/swaps/validate", json=proposal)).raise_for_status()
            (await http.post(f"{base}/swaps/{swap_id}/execute")).raise_for_status()

    await asyncio.gather(*(user(proposal, swap_id) for proposal, swap_id in work))
    await roll_back(headers, base, work)


async def run_phase(
    headers: dict[str, str],
    base: str,
    work: list[tuple[dict, str]],
    clients: int,
    think: float,
    server_pid: int,
) -> Timings:
    shares: dict[int, list[tuple[dict, str]]] = defaultdict(list)
    for index, item in enumerate(work):
        shares[index % clients].append(item)
    timings = Timings()
    cpu_before = cpu_seconds(server_pid)
    started = time.perf_counter()
    await asyncio.gather(
        *(client_loop(headers, base, shares[n], timings, think, random.Random(n)) for n in shares)
    )
    timings.statuses["wall ms"] = int((time.perf_counter() - started) * 1000)
    requests = 2 * len(work)
    timings.cpu_ms = {
        group: (used - cpu_before[group]) * 1000 / requests
        for group, used in cpu_seconds(server_pid).items()
    }
    return timings


async def load(
    program: str,
    proposals: list[dict[str, Any]],
    clients: int,
    paces: list[float],
    server_pid: int,
) -> list[tuple[str, Timings]]:
    """One phase per pace (mean think time), each over every planned swap."""
    headers = await sign_in()
    base = f"/api/v1/programs/{program}"
    await warm_up(headers, base, proposals, clients)
    phases = []
    for think in paces:
        work = await request_and_approve(headers, base, proposals)
        # Independent users' swaps are spread over the weeks, not taken in date order:
        # two changes on one date (or about one person) do wait for each other (locks).
        random.Random(2026).shuffle(work)
        timings = await run_phase(headers, base, work, clients, think, server_pid)
        await roll_back(headers, base, work)
        name = (
            f"{clients} users, think time {think:g} s (0.5x-1.5x) between swaps"
            if think
            else f"{clients} clients, no think time (saturation)"
        )
        phases.append((name, timings))
    return phases


def throughput(timings: Timings) -> float:
    return 2 * len(timings.both) / (timings.statuses["wall ms"] / 1000)


def worst_p95(timings: Timings) -> float:
    return max(percentile(timings.validate, 95), percentile(timings.execute, 95))


def summary(phases: list[tuple[str, Timings]]) -> None:
    """One line per pace: the load it made and the p95s, against the target."""
    print(
        "| phase | requests/s | p95 validate (ms) | p95 execute (ms) | p95 both (ms) | target "
        "| CPU ms per request: server / PostgreSQL / load generator |"
    )
    print("|---|---:|---:|---:|---:|---|---|")
    for name, timings in phases:
        cpu = " / ".join(f"{ms:.1f}" for ms in timings.cpu_ms.values())
        print(
            f"| {name} | {throughput(timings):.0f} | {percentile(timings.validate, 95):.1f} | "
            f"{percentile(timings.execute, 95):.1f} | {percentile(timings.both, 95):.1f} | "
            f"{'PASS' if worst_p95(timings) < TARGET_MS else 'FAIL'} | {cpu} |"
        )
    print()


def table(name: str, timings: Timings) -> None:
    print(f"**{name}** — answers: {dict(sorted(timings.statuses.items()))}")
    print()
    print("| request | n | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, samples in (
        ("POST swaps/validate", timings.validate),
        ("POST swaps/{id}/execute", timings.execute),
        ("validate + execute", timings.both),
    ):
        print(
            f"| {label} | {len(samples)} | {statistics.median(samples):.1f} | "
            f"{percentile(samples, 95):.1f} | {percentile(samples, 99):.1f} | "
            f"{max(samples):.1f} |"
        )
    print()


def report(phases: list[tuple[str, Timings]], rows: int, swaps: int, workers: int) -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"- Machine: {os.cpu_count()} CPUs, {cpu}, Python {platform.python_version()}, "
        f"PostgreSQL (local, same machine); load average {os.getloadavg()[0]:.2f} at the end"
    )
    print(f"- Date: {datetime.now(UTC):%a %b %d %H:%M:%S UTC %Y}")
    print(
        f"- Data: demo program (18 residents, 13 faculty) plus hand-built faculty rows "
        f"({rows} rows); {swaps} approved clinic give-aways; {workers} server process(es)"
    )
    print()
    summary(phases)
    for name, timings in phases:
        table(name, timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--swaps-per-client", type=int, default=11, help="in each phase")
    parser.add_argument(
        "--paces",
        default="2,1,0.5,0.25,0",
        help="mean think times (s) between one user's swaps, one phase each; 0: saturation",
    )
    parser.add_argument("--blocks", type=int, default=6, help="blocks of hand-built rows")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/swaps_bench"
    )
    args = parser.parse_args()
    asyncio.run(reset_database(args.database_url))
    upgrade_sync(args.database_url)
    paces = [float(pace) for pace in args.paces.split(",")]
    wanted = args.clients * args.swaps_per_client
    program, proposals, rows = asyncio.run(prepare(args.database_url, wanted, args.blocks))
    if len(proposals) < wanted:
        print(f"note: only {len(proposals)} valid give-aways could be planned", file=sys.stderr)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "JWT_SECRET": "bench-" + "0123456789abcdef" * 3,
        "DB_POOL_SIZE": "25",
        "DB_MAX_OVERFLOW": "10",
    }
    server = start_server(env, args.workers)
    try:
        phases = asyncio.run(load(program, proposals, args.clients, paces, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(phases, rows, len(proposals), args.workers)


if __name__ == "__main__":
    main()
