"""API responsiveness during a year solve (issue 4): p95 latency idle versus during a solve.

Starts the real server (`residency serve`) on a fresh database with the demo program,
measures the p95 latency of `GET people` and of a block's schedule while idle, starts a
whole-year solve, measures the same while it runs, and prints the ratio (target <= 1.5).

    .venv/bin/python benchmarks/api_responsiveness.py [--requests 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from serving import start_and_wait

PORT = 8123
BASE = f"http://127.0.0.1:{PORT}"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def measure(client: httpx.Client, urls: dict[str, str], requests: int) -> dict[str, float]:
    """p95 milliseconds of each URL over `requests` sequential calls."""
    figures = {}
    for name, url in urls.items():
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
        figures[name] = p95(samples)
    return figures


ADMIN, PASSWORD = "bench-admin", "a long benchmark passphrase 42"


def start_server(env: dict[str, str]) -> subprocess.Popen[bytes]:
    subprocess.run([sys.executable, "-m", "residency", "demo"], env=env, check=True)
    subprocess.run(
        [sys.executable, "-m", "residency", "users", "create-admin", "--username", ADMIN],
        env={**env, "RESIDENCY_ADMIN_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
    )
    return start_and_wait(
        [sys.executable, "-m", "residency", "serve", "--port", str(PORT)], env, BASE
    )


def sign_in(client: httpx.Client) -> None:
    token = client.post("/api/v1/auth/token", data={"username": ADMIN, "password": PASSWORD})
    token.raise_for_status()
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"


def urls_of(client: httpx.Client) -> tuple[str, dict[str, str]]:
    program = client.get("/api/v1/programs").json()["items"][0]["id"]
    base = f"/api/v1/programs/{program}"
    block = client.get(f"{base}/blocks", params={"number": 1}).json()["items"][0]["id"]
    return base, {
        "GET people": f"{base}/people?limit=100",
        "GET block schedule": f"{base}/blocks/{block}/schedule",
    }


def run(requests: int, database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SOLVER_WORKERS": "1"}
    server = start_server(env)
    try:
        with httpx.Client(base_url=BASE, timeout=30) as client:
            sign_in(client)
            base, urls = urls_of(client)
            measure(client, urls, 20)  # warm up
            idle = measure(client, urls, requests)
            run_url = start_year_solve(client, base)
            during = measure(client, urls, requests)
            status = client.get(run_url).json()["status"]
            client.post(f"{run_url}/cancel")
        report(idle, during, status, requests, database_url)
    finally:
        server.terminate()
        server.wait(timeout=30)


def start_year_solve(client: httpx.Client, base: str) -> str:
    run = client.post(f"{base}/schedule-runs", json={"scope": "year", "time_limit_s": 600})
    run.raise_for_status()
    run_url = f"{base}/schedule-runs/{run.json()['id']}"
    for _ in range(300):
        if client.get(run_url).json()["status"] == "running":
            time.sleep(3)  # let the solver processes spin up and load the CPUs
            return run_url
        time.sleep(0.1)
    raise SystemExit("the solve did not start")


def report(
    idle: dict[str, float], during: dict[str, float], status: str, requests: int, url: str
) -> None:
    print(f"requests per figure: {requests}; database: {url.split(':')[0]}")
    print(f"the solve was still '{status}' when the second measurement ended")
    print("| request | p95 idle (ms) | p95 during solve (ms) | ratio (target <= 1.5) |")
    print("|---|---:|---:|---:|")
    for name in idle:
        ratio = during[name] / idle[name]
        print(f"| {name} | {idle[name]:.1f} | {during[name]:.1f} | {ratio:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        run(args.requests, url)


if __name__ == "__main__":
    main()
