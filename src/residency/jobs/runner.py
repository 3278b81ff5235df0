"""The embedded job runner: solves in a process pool, progress and cancel through the DB.

The API process keeps no state that matters: a run's status, progress and cancel flag
live in its `schedule_runs` row, so any API process can report on or cancel any run.
The runner only owns the process pool and the local handles of the runs it started.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from multiprocessing.managers import SyncManager
from typing import Any

from residency.jobs.worker import run_solve

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5  # progress and cancel checks; the solver itself stops within 0.1 s
SOLVER_NICENESS = 19

ProgressHandler = Callable[[dict[str, Any]], Awaitable[None]]
CancelCheck = Callable[[], Awaitable[bool]]


class EmbeddedRunner:
    """Runs solves in a spawn-started process pool; the event loop only waits."""

    def __init__(self, workers: int, solver_threads: int) -> None:
        self.workers = workers
        self.solver_threads = solver_threads
        self._pool: ProcessPoolExecutor | None = None
        self._manager: SyncManager | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _ensure_pool(self) -> tuple[ProcessPoolExecutor, SyncManager]:
        if self._pool is None or self._manager is None:
            context = multiprocessing.get_context("spawn")
            self._manager = context.Manager()
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_yield_cpu_to_api
            )
        return self._pool, self._manager

    def spawn(self, job: Awaitable[None]) -> None:
        """Keep a reference to a background job until it ends."""
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def solve(
        self, request_json: str, on_progress: ProgressHandler, cancel_requested: CancelCheck
    ) -> str:
        """Solve in the pool; forward progress; pass on a cancel seen in the database."""
        pool, manager = await asyncio.to_thread(self._ensure_pool)
        progress, cancel = manager.Queue(), manager.Event()
        future: Future[str] = pool.submit(
            run_solve, request_json, progress, cancel, self.solver_threads
        )
        waiter = asyncio.wrap_future(future)
        try:
            while not waiter.done():
                await asyncio.wait([waiter], timeout=POLL_SECONDS)
                updates = await asyncio.to_thread(_drain, progress)
                if updates:  # only the newest report matters; older ones are already stale
                    await on_progress(updates[-1])
                if not cancel.is_set() and await cancel_requested():
                    await asyncio.to_thread(cancel.set)
            return await waiter
        except asyncio.CancelledError:  # shutting down: stop the search, don't wait it out
            await asyncio.to_thread(cancel.set)
            raise

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await task
        if self._pool is not None:
            await asyncio.to_thread(self._pool.shutdown, True, cancel_futures=True)
        if self._manager is not None:
            await asyncio.to_thread(self._manager.shutdown)


def _yield_cpu_to_api() -> None:
    """Solver processes run at the lowest CPU priority, so the API always answers first."""
    with suppress(OSError):
        os.nice(SOLVER_NICENESS)


def _drain(progress: Any) -> list[dict[str, Any]]:
    items = []
    with suppress(queue.Empty, EOFError, OSError):
        while True:
            items.append(progress.get_nowait())
    return items
