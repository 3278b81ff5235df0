"""The web UI in a real browser (headless Chromium, Playwright) against the real server.

The flows run in order on one server and database: a coordinator generates a block and
publishes it; faculty swap FMIT weeks (request, accept, approve) and the grid shows the
new owner; a resident requests leave and the coordinator sees the coverage gap; a manual
edit plants a violation that the compliance dashboard lists and links back to its cell.
Screenshots of each page, at 1280 px and 390 px, land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from residency.activities.models import Activity
from residency.assignments.models import Assignment
from residency.config import Settings
from residency.core.calendar import Session
from residency.db import create_engine_for, create_session_factory, unit_of_work
from residency.people.models import Person
from residency.programs.repository import ProgramRepository
from residency.shifts.models import Shift, ShiftKind
from residency.swaps.kinds import SwapKind
from residency.swaps.schemas import SwapProposal, UnitRef
from residency.swaps.service import SwapService
from residency.web.grid import cell_anchor
from tests.browser.conftest import Live, new_page, shoot, sign_in

SOLVE_WAIT_MS = 180_000


async def rows(live: Live, stmt: Any) -> list[Any]:
    engine = create_engine_for(Settings(database_url=live.database_url))
    try:
        async with unit_of_work(create_session_factory(engine), write=False) as session:
            return list((await session.execute(stmt)).all())
    finally:
        await engine.dispose()


async def publish_block(page: Page, live: Live) -> None:
    """Generate the block on the generation page, follow it live, publish the draft."""
    await page.get_by_role("link", name="Generate").click()
    await expect(page.get_by_role("heading", name="Generate a schedule")).to_be_visible()
    await page.get_by_label("What to solve").select_option(str(live.block))
    await page.get_by_label("Academic year").select_option(str(live.academic_year))
    await page.get_by_label("Time limit (seconds)").fill("60")
    await page.get_by_label("Seed").fill("1")
    await page.get_by_role("button", name="Start the run").click()
    await expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    await expect(page.get_by_text("The run has started.")).to_be_visible()
    await shoot(page, "03-run-progress")
    diff = page.get_by_role("heading", name="Draft compared with what is published")
    await expect(diff).to_be_visible(timeout=SOLVE_WAIT_MS)  # SSE `end`, then a reload
    await expect(page.locator("[data-field=status]")).to_have_text("succeeded")
    await expect(page.get_by_text(re.compile(r"\d+ slots added"))).to_be_visible()
    await shoot(page, "04-run-diff")
    await page.get_by_role("button", name="Publish the draft").click()
    await expect(page.get_by_text("The draft is published")).to_be_visible()


async def test_coordinator_signs_in_generates_publishes_and_sees_the_grid(
    browser: Browser, live: Live
) -> None:
    page = await new_page(browser)
    await page.goto(f"{live.base_url}/")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.get_by_label("Username").fill("coordinator")
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    await shoot(page, "01-sign-in-error")
    await sign_in(page, live, "coordinator")
    await expect(page.get_by_role("heading", name="Schedule")).to_be_visible()
    await page.keyboard.press("Tab")  # keyboard: the skip link comes first, visibly focused
    skip = page.get_by_role("link", name="Skip to main content")
    await expect(skip).to_be_focused()
    outline = await skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    await shoot(page, "02-empty-grid")

    await publish_block(page, live)
    assert f"block={live.block}" in page.url
    grid = page.locator("table.grid")
    await expect(grid).to_be_visible()
    await expect(grid.locator("caption")).not_to_contain_text("nothing is published")
    assert await grid.locator("td.cell.a0, td.cell[class*=' a']").count() > 500
    groups = await grid.locator("tr.group-row th").all_inner_texts()
    assert groups == ["PGY-1 residents", "PGY-2 residents", "PGY-3 residents", "Faculty"]
    await expect(page.locator("details.legend")).to_contain_text("Continuity clinic")
    fmit = grid.locator("td.cell", has_text="FMIT")
    assert await fmit.count() > 20
    await shoot(page, "05-grid-block")

    await page.get_by_label("View").select_option("week")
    await page.get_by_role("button", name="Show").click()
    await expect(page.locator("table.grid thead th.day")).to_have_count(7)
    await page.get_by_label("View").select_option("person")
    await page.get_by_role("button", name="Show").click()
    await expect(page.locator("table.grid caption")).to_contain_text("by week")
    await shoot(page, "06-grid-person")
    await page.context.close()


async def _fmit_weeks(live: Live) -> list[tuple[date, uuid.UUID, str]]:
    found = await rows(
        live,
        select(Shift.date, Shift.person_id, Person.name)
        .join(Person, Person.id == Shift.person_id)
        .where(Shift.kind == ShiftKind.FMIT_WEEK)
        .where(Shift.date >= live.block_start, Shift.date <= live.block_end)
        .order_by(Shift.date),
    )
    return [(day, person, name) for day, person, name in found]


async def _a_swap_the_rules_allow(
    live: Live, weeks: list[tuple[date, uuid.UUID, str]]
) -> tuple[tuple[date, uuid.UUID, str], tuple[date, uuid.UUID, str]] | None:
    """Two FMIT weeks of different faculty whose exchange passes every rule. The solver
    is not deterministic (CP-SAT, two workers), so the pair is found, not assumed; the
    page then shows the same check."""
    engine = create_engine_for(Settings(database_url=live.database_url))
    try:
        async with unit_of_work(create_session_factory(engine), write=False) as session:
            program = await ProgramRepository(session).get_or_404(uuid.UUID(live.program_id))
            service = SwapService(session, program, now=datetime.now(UTC))
            for index, first in enumerate(weeks):
                for second in weeks[index + 2 :]:  # not back to back
                    if first[1] == second[1]:
                        continue
                    proposal = SwapProposal(
                        kind=SwapKind.FMIT_WEEK,
                        requester_id=first[1],
                        counterparty_id=second[1],
                        offered=UnitRef(date=first[0]),
                        wanted=UnitRef(date=second[0]),
                    )
                    if (await service.validate_proposal(proposal)).executable:
                        return first, second
    finally:
        await engine.dispose()
    return None


async def test_faculty_swap_fmit_weeks_and_the_grid_shows_the_new_owner(
    browser: Browser, live: Live
) -> None:
    weeks = await _fmit_weeks(live)
    pair = await _a_swap_the_rules_allow(live, weeks)
    assert pair is not None, f"no FMIT swap of the block passes the rules: {weeks}"
    (offered_friday, alice, _), (wanted_friday, bob, bob_name) = pair
    requester = await new_page(browser)
    await sign_in(requester, live, live.usernames[str(alice)])
    await requester.get_by_role("link", name="Swaps").click()
    await requester.get_by_role("link", name="Request a swap").click()
    await requester.get_by_label("What to swap").select_option("fmit_week")
    await requester.get_by_label("How").select_option("directed")
    await requester.get_by_label("With").select_option(str(bob))
    await requester.locator("#f-offered-date").fill(offered_friday.isoformat())
    await requester.locator("#f-wanted-date").fill(wanted_friday.isoformat())
    await requester.get_by_role("button", name="Check this swap").click()
    check = requester.locator("#check")
    await expect(check).to_contain_text("keeps the schedule within every rule")
    await expect(check.get_by_role("table")).to_contain_text("FMIT week")
    await shoot(requester, "07-swap-check")
    await requester.get_by_role("button", name="Send the request").click()
    await expect(requester.get_by_text("Swap requested.")).to_be_visible()
    await requester.context.close()

    counterparty = await new_page(browser)
    await sign_in(counterparty, live, live.usernames[str(bob)])
    await counterparty.get_by_role("link", name="Swaps").click()
    waiting = counterparty.locator("section", has_text="Requests waiting for your answer")
    await waiting.get_by_role("link", name=re.compile("^Open")).first.click()
    await expect(counterparty.locator("#check")).to_contain_text("within every rule")
    await counterparty.get_by_role("button", name="Accept the swap").click()
    await expect(counterparty.get_by_text("Swap accepted.")).to_be_visible()
    await counterparty.context.close()

    coordinator = await new_page(browser)
    await sign_in(coordinator, live, "coordinator")
    await coordinator.get_by_role("link", name="Swaps").click()
    approvals = coordinator.locator("section", has_text="Approvals waiting for you")
    await approvals.get_by_role("link", name=re.compile("^Open")).first.click()
    await shoot(coordinator, "08-swap-approval")
    await coordinator.get_by_role("button", name="Approve and carry out").click()
    await expect(coordinator.get_by_text("Swap approved and carried out")).to_be_visible()
    done = coordinator.locator("section", has_text="What changed")
    await expect(done.get_by_role("row", name=re.compile("FMIT week"))).to_have_count(2)
    await expect(done).to_contain_text(bob_name)
    await shoot(coordinator, "09-swap-done")

    await coordinator.goto(live.url(f"schedule?view=week&week={offered_friday.isoformat()}"))
    bob_cell = coordinator.locator(f"#{cell_anchor(str(bob), offered_friday, 'AM')}")
    alice_cell = coordinator.locator(f"#{cell_anchor(str(alice), offered_friday, 'AM')}")
    await expect(bob_cell).to_contain_text("FMIT")
    await expect(alice_cell).not_to_contain_text("FMIT")
    await shoot(coordinator, "10-grid-after-swap")
    await coordinator.context.close()


async def test_resident_requests_leave_and_the_coordinator_sees_the_coverage_gap(
    browser: Browser, live: Live
) -> None:
    soon = date.today() + timedelta(days=8)
    calls = await rows(
        live,
        select(Shift.date, Shift.person_id, Person.name)
        .join(Person, Person.id == Shift.person_id)
        .where(Shift.kind == ShiftKind.CALL)
        .where(Shift.date >= max(live.block_start, soon), Shift.date <= live.block_end)
        .order_by(Shift.date),
    )
    assert calls, "the block has no resident call night"
    night, resident, name = calls[0]
    # Leave over the weekend of the call (Friday and Saturday nights are resident call
    # nights): the night the resident leaves is uncovered, the other is someone else's.
    first = night if night.weekday() == 4 else night - timedelta(days=night.weekday() - 4)
    last = first + timedelta(days=1)
    page = await new_page(browser)
    await sign_in(page, live, live.usernames[str(resident)])
    await page.get_by_role("link", name="Leave").click()
    await page.get_by_label("Kind of leave").select_option("conference")
    await page.get_by_label("First day").fill(first.isoformat())
    await page.get_by_label("Last day").fill((first - timedelta(days=1)).isoformat())
    await page.get_by_role("button", name="Request leave").click()
    await expect(page.locator("#f-end_date-error")).to_be_visible()  # errors in place
    await shoot(page, "11-leave-error")
    await page.get_by_label("Last day").fill(last.isoformat())
    await page.get_by_role("button", name="Request leave").click()
    await expect(page.get_by_text("Your leave request is filed")).to_be_visible()
    await page.context.close()

    coordinator = await new_page(browser)
    await sign_in(coordinator, live, "coordinator")
    await coordinator.get_by_role("link", name="Leave").click()
    await coordinator.get_by_role(
        "link", name=f"Review the request of {name} from {first:%a %d %b}"
    ).click()
    gaps = coordinator.locator("#gaps")
    await expect(gaps).to_contain_text(f"Resident call night uncovered: {night:%a %d %b %Y}")
    await expect(gaps.get_by_role("table").first).to_be_visible()  # ranked candidates
    await shoot(coordinator, "12-leave-coverage")
    await coordinator.get_by_label("Override reason").fill("Presenting at a conference")
    await coordinator.get_by_role("button", name="Approve the leave").click()
    await expect(coordinator.get_by_text("Leave approved.")).to_be_visible()
    await expect(gaps).to_contain_text("still open")
    await gaps.get_by_role("button", name=re.compile("^Assign ")).first.click()
    await expect(coordinator.get_by_text("Coverage assigned.")).to_be_visible()
    await expect(gaps).to_contain_text("No coverage gap")
    await coordinator.context.close()


async def test_compliance_lists_a_violation_planted_by_a_manual_edit(
    browser: Browser, live: Live
) -> None:
    wednesdays = [
        live.block_start + timedelta(days=offset)
        for offset in range((live.block_end - live.block_start).days + 1)
        if (live.block_start + timedelta(days=offset)).weekday() == 2
    ]
    found = await rows(
        live,
        select(Assignment.person_id, Assignment.date, Person.name)
        .join(Activity, Activity.id == Assignment.activity_id)
        .join(Person, Person.id == Assignment.person_id)
        .where(Activity.code == "LEC", Assignment.session == Session.PM)
        .where(Assignment.date.in_(wednesdays))
        .order_by(Assignment.date, Person.name),
    )
    assert found, "no resident has didactics on a Wednesday afternoon of the block"
    person_id, day, name = found[0]
    page = await new_page(browser)
    await sign_in(page, live, "coordinator")
    await page.goto(live.url(f"schedule?view=block&block={live.block}&edit=1"))
    anchor = cell_anchor(str(person_id), day, "PM")
    await page.locator(f"#{anchor} a").click()
    await expect(page.get_by_role("heading", name=re.compile(name))).to_be_visible()
    await page.get_by_label("Activity").select_option(label="C — Continuity clinic")
    await page.get_by_role("button", name="Save the cell").click()
    await expect(page.get_by_text("The cell is saved.")).to_be_visible()

    await page.get_by_role("link", name="Compliance").click()
    await page.get_by_label("Show findings in").select_option(str(live.block))
    await page.get_by_role("button", name="Show").click()
    group = page.locator("#rule-protected_education")
    await expect(group).to_contain_text(f"{name}: C during protected didactics on {day}")
    await expect(page.locator("svg[role=img]").first).to_be_visible()  # hours charts
    await expect(page.locator("#fairness")).to_be_visible()
    await shoot(page, "13-compliance")
    await group.get_by_role("link", name=re.compile("Show in grid")).first.click()
    flagged = page.locator(f"#{anchor}")
    await expect(flagged).to_have_class(re.compile(r"\bfl\b"))
    await expect(flagged).to_contain_text("C")
    await shoot(page, "14-grid-flagged")
    await page.context.close()
