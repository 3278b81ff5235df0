"""The code that runs inside a solver process (no event loop, no database).

It receives the request as JSON, reports progress through a queue, watches a cancel
event, and returns the result as JSON, so nothing but plain data crosses processes.
"""

from __future__ import annotations

from typing import Any, Protocol


class ProgressSink(Protocol):
    def put(self, item: dict[str, Any]) -> None: ...


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


def run_solve(
    request_json: str, progress: ProgressSink, cancel: CancelFlag, threads: int
) -> str:
    """Solve one request with `threads` CP-SAT workers; `cancel` stops the search."""
    from residency.scheduling import SolveRequest, solve

    request = SolveRequest.model_validate_json(request_json).model_copy(
        update={"workers": threads}
    )
    result = solve(
        request,
        on_progress=lambda update: progress.put(update.model_dump(mode="json")),
        should_stop=cancel.is_set,
    )
    return result.model_dump_json()
