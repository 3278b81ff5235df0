"""Housekeeping: what changes with the passing of time alone, done every few minutes.

- Open swaps whose first date has passed become `expired` (audited, as the system), so
  that lists and the swaps centre show them expired without anyone acting on them first.
- Sign-in throttle rows that hold nothing any more (their failure window ended and no
  lockout runs) are deleted: every user name ever tried leaves one.

Every API process runs it every `settings.housekeeping_interval_s` seconds (0: never);
two processes never do the same work twice (overdue swaps are locked with SKIP LOCKED,
and a throttle row is deleted once).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from residency.auth.repository import ThrottleRepository
from residency.config import Settings
from residency.db import unit_of_work
from residency.programs.models import Program
from residency.swaps.repository import SwapRepository
from residency.swaps.service import SwapService

log = logging.getLogger(__name__)
# Every time zone's "today" is at most a day ahead of UTC's.
AHEAD_OF_UTC = timedelta(days=1)


@dataclass(frozen=True)
class Swept:
    expired_swaps: int
    purged_throttle_rows: int


async def sweep(
    factory: async_sessionmaker[AsyncSession], now: datetime, settings: Settings
) -> Swept:
    """One housekeeping pass at `now`."""
    async with unit_of_work(factory, write=False) as session:
        programs = await SwapRepository(session).programs_with_open_swaps_before(
            (now + AHEAD_OF_UTC).date()
        )
    expired = 0
    for program_id in programs:  # one transaction per program: each in its own time zone
        async with unit_of_work(factory) as session:
            program = await session.get(Program, program_id)
            if program is not None:
                expired += await SwapService(session, program, now=now).expire_overdue()
    window = timedelta(minutes=settings.login_failure_window_minutes)
    async with unit_of_work(factory) as session:
        purged = await ThrottleRepository(session).purge_stale(now - window, now)
    return Swept(expired, purged)


async def keep_house(app: FastAPI) -> None:
    """Sweep every interval until cancelled; a failed pass is logged and retried later."""
    state = app.state
    while True:
        await asyncio.sleep(state.settings.housekeeping_interval_s)
        try:
            swept = await sweep(state.session_factory, state.clock.now(), state.settings)
        except Exception:  # the next pass tries again; the API goes on
            log.exception("housekeeping pass failed")
            continue
        if swept.expired_swaps or swept.purged_throttle_rows:
            log.info(
                "housekeeping: %d swap(s) expired, %d sign-in throttle row(s) purged",
                swept.expired_swaps,
                swept.purged_throttle_rows,
            )


def start_housekeeping(app: FastAPI) -> asyncio.Task[None] | None:
    """The housekeeping task of this process, or None when it is turned off."""
    if app.state.settings.housekeeping_interval_s <= 0:
        return None
    return asyncio.get_running_loop().create_task(keep_house(app), name="housekeeping")
