"""Web UI (issue 7): how fast the schedule grid loads on the demo program (target < 1 s).

Builds a fresh SQLite database with the demo program (18 residents, 13 faculty),
generates and publishes one block with the real solver, starts the real server
(`residency serve`), signs in through the sign-in page, and measures:

- server: the full HTTP response time of the grid page (block, week and person views)
  and of the compliance dashboard, over `--requests` sequential requests (median, p95,
  max), and the page size;
- browser: headless Chromium (Debian's, through Playwright) navigating to the block view
  until the `load` event, the page rendered (median and max of `--browser-runs`).

    .venv/bin/python benchmarks/ui_grid.py [--requests 30] [--browser-runs 10] [--block 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from serving import start_and_wait

PASSWORD = "plum-Orbit-vessel-42"
PORT = 8124
BASE = f"http://127.0.0.1:{PORT}"
ENV = {
    "JWT_SECRET": "benchmark-secret-0123456789abcdef0123",
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_KIB": "64",
    "ARGON2_PARALLELISM": "1",
}


async def seed(database_url: str, block: int) -> str:
    """The demo program with one published block, and a coordinator; the program id."""
    from residency.app import create_app
    from residency.config import Settings
    from residency.db import unit_of_work
    from residency.demo.generator import build_demo_program
    from residency.demo.loader import load_program_file
    from residency.migrate import upgrade
    from residency.runs.execution import execute_run
    from residency.runs.schemas import RunCreate
    from residency.runs.service import RunService
    from residency.users.schemas import RoleGrant, UserCreate
    from residency.users.service import UserService

    settings = Settings(database_url=database_url, **{k.lower(): v for k, v in ENV.items()})  # type: ignore[arg-type]
    await upgrade(settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        state = app.state
        async with unit_of_work(state.session_factory) as session:
            program = await load_program_file(session, build_demo_program())
            await UserService(session, state.passwords).create(
                UserCreate(
                    username="coordinator",
                    password=PASSWORD,
                    roles=[RoleGrant(program_id=program.id, role="coordinator")],
                )
            )
            run, _ = await RunService(session, program).create(
                RunCreate(scope=block, time_limit_s=30, seed=1), None
            )
        await execute_run(state.session_factory, state.runner.solve, run.id)
        async with unit_of_work(state.session_factory) as session:
            from residency.programs.repository import ProgramRepository

            program = await ProgramRepository(session).get_or_404(program.id)
            published = await RunService(session, program).publish(run.id)
            assert published.published_at is not None, "the block did not publish"
        return str(program.id)


def start_server(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return start_and_wait(
        [sys.executable, "-m", "residency", "serve", "--port", str(PORT)], env, BASE
    )


def signed_in_client() -> httpx.Client:
    client = httpx.Client(base_url=BASE, timeout=30)
    page = client.get("/ui/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/ui/sign-in",
        data={"username": "coordinator", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 303, response.text[:300]
    return client


def measure(client: httpx.Client, url: str, requests: int) -> dict[str, float]:
    first = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - first) * 1000
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {
        "first": cold,
        "median": statistics.median(samples),
        "p95": statistics.quantiles(samples, n=20, method="inclusive")[18],
        "max": max(samples),
        "kib": len(response.content) / 1024,
        "cells": response.text.count('<td id="c-'),
    }


def browser_load(url: str, runs: int) -> dict[str, float] | None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    from playwright.sync_api import sync_playwright

    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{BASE}/ui/sign-in")
        page.get_by_label("Username").fill("coordinator")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/ui/programs/**")
        page.goto(url, wait_until="load")  # warm up
        for _ in range(runs):
            started = time.perf_counter()
            page.goto(url, wait_until="load")
            timings.append((time.perf_counter() - started) * 1000)
        browser.close()
    return {"median": statistics.median(timings), "max": max(timings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--browser-runs", type=int, default=10)
    parser.add_argument("--block", type=int, default=1)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ui-grid-"))
    database_url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    started = time.perf_counter()
    program = asyncio.run(seed(database_url, options.block))
    print(
        f"seeded the demo program and published block {options.block} in "
        f"{time.perf_counter() - started:.1f} s"
    )
    env = {**os.environ, **ENV, "DATABASE_URL": database_url}
    server = start_server(env)
    try:
        client = signed_in_client()
        base = f"/ui/programs/{program}"
        block_view = f"{base}/schedule?view=block&block={options.block}"
        pages = {
            "grid, block view (31 people x 28 days)": block_view,
            "grid, block view, edit mode": f"{block_view}&edit=1",
            "grid, week view": f"{base}/schedule?view=week&week=2026-07-06",
            "grid, person view": f"{base}/schedule?view=person&block={options.block}",
            "compliance dashboard (year)": f"{base}/compliance",
        }
        rows = []
        for name, url in pages.items():
            figures = measure(client, url, options.requests)
            rows.append((name, figures))
        browser = browser_load(
            BASE + pages["grid, block view (31 people x 28 days)"], options.browser_runs
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"\nMachine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"Server response, {options.requests} sequential requests after one first request:\n")
    print("| page | first (ms) | median (ms) | p95 (ms) | max (ms) | size (KiB) | cells |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, f in rows:
        print(
            f"| {name} | {f['first']:.0f} | {f['median']:.0f} | {f['p95']:.0f} | "
            f"{f['max']:.0f} | {f['kib']:.0f} | {int(f['cells'])} |"
        )
    if browser is not None:
        print(
            f"\nBrowser (headless Chromium, navigation to `load`, block view, "
            f"{options.browser_runs} runs): median {browser['median']:.0f} ms, "
            f"max {browser['max']:.0f} ms"
        )
    block = rows[0][1]
    verdict = (
        "PASS" if block["p95"] < 1000 and (browser is None or browser["max"] < 1000) else "FAIL"
    )
    print(f"\nTarget: the grid loads in under 1 s: {verdict}")


if __name__ == "__main__":
    main()
