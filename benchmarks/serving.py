"""Shared by the benchmarks that measure the real server: start it and wait until ready."""

from __future__ import annotations

import subprocess
import time

import httpx

READY_ATTEMPTS = 150
READY_PAUSE_S = 0.2


def start_and_wait(command: list[str], env: dict[str, str], base: str) -> subprocess.Popen[bytes]:
    """Start `command` (a `residency serve`), then wait until `base`/health/ready answers 200."""
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(READY_ATTEMPTS):
        try:
            if httpx.get(f"{base}/health/ready").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(READY_PAUSE_S)
    server.kill()
    raise SystemExit("the server did not start")
