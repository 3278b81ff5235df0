"""End-to-end fixtures: the real server in a subprocess, and Debian's Chromium via Playwright.

- `live`: a fresh SQLite database holding the demo program (for the academic year that
  holds a block starting at least 8 days from today, so swaps and leave are in the
  future and outside the freeze window), a coordinator and one account per person
  (username: the person's name in lower case, dots for spaces); then `residency serve`
  on a free local port, stopped after the module.
- `browser`: headless Chromium at /usr/bin/chromium (never a downloaded browser; the
  test command installs Debian's package when it is missing).
- `shoot(page, name)`: screenshots at 1280 px and at 390 px (a phone) into
  test-artifacts/screenshots/.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright

from residency.auth.passwords import Passwords
from residency.config import Settings
from residency.core.calendar import academic_year_of, generate_blocks, weekday_number
from residency.db import create_engine_for, create_session_factory, unit_of_work
from residency.demo.generator import build_demo_program
from residency.demo.loader import load_program_file
from residency.migrate import upgrade
from residency.people.repository import PersonRepository
from residency.users.schemas import RoleGrant, UserCreate
from residency.users.service import UserService

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "plum-Orbit-vessel-42"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
TEST_COSTS = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "64", "ARGON2_PARALLELISM": "1"}


@dataclass
class Live:
    base_url: str
    database_url: str
    program_id: str
    academic_year: int
    block: int
    block_start: date
    block_end: date
    usernames: dict[str, str] = field(default_factory=dict)  # person id -> username

    def url(self, path: str) -> str:
        return f"{self.base_url}/ui/programs/{self.program_id}/{path.lstrip('/')}"


def username_of(name: str) -> str:
    return ".".join(name.lower().replace("'", "").split())


def future_block(today: date) -> tuple[int, int, date, date]:
    """(academic year, block, start, end) of the first block at least 8 days away."""
    soon = today + timedelta(days=8)
    for year in (academic_year_of(soon), academic_year_of(soon) + 1):
        for span in generate_blocks(year, weekday_number("thursday")):
            if span.number >= 1 and span.start >= soon:
                return year, span.number, span.start, span.end
    raise AssertionError("no future block")


async def _seed(database_url: str, year: int) -> tuple[str, dict[str, str]]:
    settings = Settings(database_url=database_url, **{k.lower(): v for k, v in TEST_COSTS.items()})  # type: ignore[arg-type]
    await upgrade(settings)
    engine = create_engine_for(settings)
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            program = await load_program_file(session, build_demo_program(academic_year=year))
            users = UserService(session, Passwords(settings))
            await users.create(
                UserCreate(
                    username="coordinator",
                    password=PASSWORD,
                    roles=[RoleGrant(program_id=program.id, role="coordinator")],
                )
            )
            usernames = {}
            for person in await PersonRepository(session).all_for(program.id):
                username = username_of(person.name)
                role = "resident" if person.role.value == "resident" else "faculty"
                await users.create(
                    UserCreate(
                        username=username,
                        password=PASSWORD,
                        display_name=person.name,
                        roles=[RoleGrant(program_id=program.id, role=role, person_id=person.id)],
                    )
                )
                usernames[str(person.id)] = username
            return str(program.id), usernames
    finally:
        await engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    folder = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite+aiosqlite:///{folder / 'e2e.db'}"
    year, block, start, end = future_block(date.today())
    program_id, usernames = await _seed(database_url, year)
    port = _free_port()
    env = {
        **os.environ,
        **TEST_COSTS,
        "DATABASE_URL": database_url,
        "JWT_SECRET": "browser-tests-secret-0123456789abcdef",
        "SOLVER_WORKERS": "1",
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "residency",
        "serve",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=(folder / "server.log").open("wb"),
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(150):
                try:
                    if (await http.get(f"{base_url}/health/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
            else:
                raise AssertionError((folder / "server.log").read_text()[-3000:])
        yield Live(base_url, database_url, program_id, year, block, start, end, usernames)
    finally:
        server.terminate()
        try:
            await asyncio.wait_for(server.wait(), 15)
        except TimeoutError:
            server.kill()
            await server.wait()


def chromium_path() -> str:
    """Debian's Chromium; the suite fails (never downloads a browser) without it."""
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if found is None:
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run scripts/test (it installs Debian's "
            "chromium package) or `apt-get install chromium`"
        )
    return found


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    executable = await asyncio.to_thread(chromium_path)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield chromium
        await chromium.close()


async def new_page(browser: Browser) -> Page:
    """A fresh browser context (its own cookies) at 1280 px, accepting confirm dialogs."""
    context = await browser.new_context(viewport=WIDE)  # type: ignore[arg-type]
    page = await context.new_page()

    async def accept(dialog: Any) -> None:
        await dialog.accept()

    page.on("dialog", accept)
    return page


async def sign_in(page: Page, live: Live, username: str) -> None:
    await page.goto(f"{live.base_url}/ui/sign-in")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/ui/programs/**")


async def shoot(page: Page, name: str) -> list[Path]:
    """The page at 1280 px and at 390 px, full length; neither scrolls sideways (wide
    tables and the grid scroll inside their own region)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    for label, size in (("1280", WIDE), ("390", PHONE)):
        await page.set_viewport_size(size)  # type: ignore[arg-type]
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name}: the page is {width} px wide at {label} px"
        path = SCREENSHOTS / f"{name}-{label}.png"
        await page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    await page.set_viewport_size(WIDE)  # type: ignore[arg-type]
    return paths
