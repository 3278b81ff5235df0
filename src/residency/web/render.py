"""Rendering pages: the Jinja2 environment, the shared page context and the navigation.

Templates live in `web/templates` (shipped in the wheel) and are compiled once at start-up
(`preload`), so rendering never touches the disk. Templates only display: every figure
and every decision comes from the services and the view models (`grid.py`, `charts.py`,
`fairness.py`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from residency.auth.access import Access
from residency.auth.permissions import Permission, program_grant
from residency.programs.models import Program

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
UI = "/ui"

NOTICES = {
    "signed-out": "You are signed out.",
    "published": "The draft is published: the grid now shows it.",
    "run-started": "The run has started.",
    "cancel-requested": "Cancel requested: the solver stops within a second or so.",
    "saved": "Saved.",
    "created": "Created.",
    "deleted": "Deleted.",
    "leave-requested": "Your leave request is filed; a coordinator will decide it.",
    "leave-approved": "Leave approved.",
    "leave-denied": "Leave denied.",
    "leave-cancelled": "Leave request cancelled.",
    "feed-revoked": "The calendar feed link is revoked: it no longer works.",
    "cell-saved": "The cell is saved.",
    "swap-requested": "Swap requested.",
    "swap-accepted": "Swap accepted.",
    "swap-declined": "Swap declined.",
    "swap-denied": "Swap denied.",
    "swap-cancelled": "Swap cancelled.",
    "swap-approved": "Swap approved and carried out: the grid shows the change.",
    "swap-rolled-back": "Swap rolled back.",
    "coverage-assigned": "Coverage assigned.",
}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        cache_size=-1,
    )
    env.filters["hours"] = lambda value: "\u2013" if value is None else f"{value:.1f}"
    env.filters["num"] = _number
    env.filters["day"] = lambda value: value.strftime("%a %d %b %Y") if value else ""
    env.filters["short_day"] = lambda value: value.strftime("%a %d %b") if value else ""
    env.filters["when"] = lambda value: value.strftime("%d %b %Y %H:%M") if value else ""
    env.globals["query"] = lambda **params: urlencode(
        {k: v for k, v in params.items() if v not in (None, "")}
    )
    return env


def _number(value: Any, digits: int = 2) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


ENV = _environment()


def preload() -> None:
    """Compile every template now (start-up), so requests never read template files."""
    for name in ENV.list_templates(extensions=["html", "svg"]):
        ENV.get_template(name)


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    label: str
    href: str
    current: bool


# (key, label, path under the program, the permission the page declares)
PROGRAM_PAGES: tuple[tuple[str, str, str, Permission], ...] = (
    ("schedule", "Schedule", "schedule", Permission.SCHEDULE_READ),
    ("compliance", "Compliance", "compliance", Permission.COMPLIANCE_READ),
    ("generate", "Generate", "generate", Permission.SCHEDULE_MANAGE),
    ("swaps", "Swaps", "swaps", Permission.SWAPS_READ),
    ("leave", "Leave", "leave", Permission.REQUESTS_READ),
    ("calendar", "My calendar", "calendar", Permission.CALENDAR_TOKEN),
    ("people", "People", "admin/people", Permission.PEOPLE_MANAGE),
    ("rotations", "Rotations", "admin/rotations", Permission.PROGRAM_MANAGE),
    ("activities", "Activities", "admin/activities", Permission.PROGRAM_MANAGE),
    ("settings", "Settings", "admin/settings", Permission.PROGRAM_MANAGE),
)


def may(access: Access | None, permission: Permission) -> bool:
    """Whether the signed-in user holds `permission` in the program (the API's table)."""
    if access is None or access.principal is None:
        return False
    if access.is_admin:
        return True
    return access.role is not None and program_grant(access.role, permission) is not None


def program_url(program: Program | uuid.UUID, *parts: str) -> str:
    program_id = program if isinstance(program, uuid.UUID) else program.id
    tail = "/".join(part.strip("/") for part in parts if part)
    return f"{UI}/programs/{program_id}" + (f"/{tail}" if tail else "")


def nav_for(access: Access | None, program: Program, current: str) -> list[NavItem]:
    return [
        NavItem(key, label, program_url(program, path), key == current)
        for key, label, path, permission in PROGRAM_PAGES
        if may(access, permission)
    ]


def today_in(request: Request, program: Program) -> date:
    now: datetime = request.app.state.clock.now()
    return now.astimezone(ZoneInfo(program.timezone)).date()


def base_context(request: Request) -> dict[str, Any]:
    principal = getattr(request.state, "web_principal", None)
    notice_key = request.query_params.get("notice", "")
    return {
        "request": request,
        "csrf_token": getattr(request.state, "web_csrf", ""),
        "csp_nonce": getattr(request.state, "csp_nonce", ""),
        "username": principal.username if principal else None,
        "access": getattr(request.state, "web_access", None),
        "notice": NOTICES.get(notice_key),
        "program": None,
        "nav": [],
        "page_styles": "",
        "ui": UI,
    }


def program_context(
    request: Request, access: Access, program: Program, current: str
) -> dict[str, Any]:
    return {
        "program": program,
        "p": program_url(program),
        "nav": nav_for(access, program, current),
        "today": today_in(request, program),
        "manager": may(access, Permission.SCHEDULE_MANAGE),
    }


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    values = {**base_context(request), **context}
    html = ENV.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)


def see_other(url: str, notice: str | None = None, anchor: str | None = None) -> RedirectResponse:
    """303 after a successful POST (post/redirect/get), with an optional fixed notice."""
    if notice:
        url += ("&" if "?" in url else "?") + urlencode({"notice": notice})
    if anchor:
        url += f"#{anchor}"
    return RedirectResponse(url, status_code=303)
