"""The compliance dashboard: findings linked to their cells, hours charts, fairness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import Access
from residency.auth.permissions import Permission
from residency.compliance import Violation
from residency.core.settings import ProgramSettings
from residency.schedule.compliance import WINDOW_DAYS, judge_snapshot
from residency.schedule.service import load_snapshot
from residency.schedule.visibility import visible_part
from residency.web.access import page_requires
from residency.web.charts import HoursChart, hours_chart
from residency.web.context import int_param, year_view
from residency.web.fairness import fairness
from residency.web.grid import cell_anchor
from residency.web.render import program_context, program_url, render, today_in

router = APIRouter(include_in_schema=False)
Reader = Annotated[Access, page_requires(Permission.COMPLIANCE_READ)]

RULE_NAMES = {
    "hours_80": "80 hours a week (28-day average)",
    "day_off": "One day in seven free (28-day window)",
    "continuous_duty": "Continuous duty limit",
    "transition_time": "Transition time after 24 hours",
    "rest_after_24": "Rest after a 24-hour period",
    "rest_between": "Rest between duty periods",
    "call_frequency": "In-house call no more than every third night",
    "night_float_consecutive": "Consecutive night-float nights",
    "pgy1_moonlighting": "PGY-1 moonlighting",
    "supervision_ratio": "Supervision ratio in clinic",
    "clinic_capacity": "Clinic rooms",
    "rotation_capacity": "Rotation capacity",
    "protected_education": "Protected didactics time",
    "leave_eligibility": "Leave on a rotation that does not allow it",
    "fmit_week": "FMIT week rules",
    "faculty_call_coverage": "Faculty call coverage",
    "post_call": "Post-call relief",
    "faculty_clinic_cap": "Faculty weekly clinic cap",
    "away_days": "Away days in the year",
}


@dataclass(frozen=True, slots=True)
class FindingRow:
    rule: str
    rule_name: str
    severity: str
    person_id: str
    person: str
    start: Any
    end: Any
    message: str
    value: float
    limit: float
    grid_url: str | None


@dataclass(frozen=True, slots=True)
class RuleGroup:
    rule: str
    rule_name: str
    violations: int
    warnings: int
    findings: list[FindingRow]


def by_rule(findings: list[FindingRow]) -> list[RuleGroup]:
    """Findings grouped by rule: rules with violations first, then by name."""
    groups: dict[str, list[FindingRow]] = {}
    for finding in findings:
        groups.setdefault(finding.rule, []).append(finding)
    result = [
        RuleGroup(
            rule,
            rows[0].rule_name,
            sum(1 for r in rows if r.severity == "violation"),
            sum(1 for r in rows if r.severity == "warning"),
            rows,
        )
        for rule, rows in groups.items()
    ]
    return sorted(result, key=lambda g: (g.violations == 0, g.rule_name))


@dataclass(frozen=True, slots=True)
class ResidentChart:
    person_id: str
    name: str
    pgy: int | None
    total_hours: float
    calls: int
    chart: HoursChart
    weeks: list[Any]
    findings: int


@router.get("/ui/programs/{program_id}/compliance")
async def compliance_page(
    request: Request, access: Reader, program: ProgramDep, session: SessionDep
) -> Any:
    """Violations and warnings of the published schedule, hours and fairness."""
    today = today_in(request, program)
    years = await year_view(session, program, today, int_param(request.query_params.get("year")))
    context: dict[str, Any] = {
        **program_context(request, access, program, "compliance"),
        "years": years,
        "findings": [],
        "rule_groups": [],
        "violations": 0,
        "warnings": 0,
        "charts": [],
        "fairness": [],
        "means": [],
        "own_only": access.restriction() is not None,
        "block_filter": None,
        "limit": 80.0,
        "focus": None,
        "range": None,
    }
    if years.year is None:
        return render(request, "compliance.html", context)
    first, last = years.year.start_date, years.year.end_date
    snapshot = await load_snapshot(
        session, program, first - timedelta(days=WINDOW_DAYS), last + timedelta(days=1)
    )
    report = visible_part(judge_snapshot(snapshot, first, last), access.restriction())
    block_number = int_param(request.query_params.get("block"), 0, 13)
    block = next((b for b in years.blocks if b.number == block_number), None)
    shown = report.violations
    if block is not None:
        shown = [v for v in shown if _local_day(v.end, snapshot.zone) >= block.start_date]
        shown = [v for v in shown if _local_day(v.start, snapshot.zone) <= block.end_date]
    findings = [_finding_row(program, years, v, report.names, snapshot.zone) for v in shown]
    limit = ProgramSettings.model_validate(program.settings).duty_hours.max_weekly_hours
    counted: dict[str, int] = {}
    for v in report.violations:
        counted[v.person] = counted.get(v.person, 0) + 1
    charts = [
        ResidentChart(
            person_id=summary.person,
            name=report.names.get(summary.person, summary.person),
            pgy=summary.pgy,
            total_hours=summary.total_hours,
            calls=summary.calls,
            chart=hours_chart(summary, limit, first, last),
            weeks=list(summary.weeks),
            findings=counted.get(summary.person, 0),
        )
        for summary in sorted(
            report.residents,
            key=lambda s: (s.pgy or 0, report.names.get(s.person, s.person).lower()),
        )
    ]
    rows, means = fairness(snapshot, first, last)
    own = access.restriction()
    if own is not None:
        rows = [row for row in rows if row.person_id == str(own)]
    context.update(
        findings=findings,
        rule_groups=by_rule(findings),
        violations=sum(1 for f in findings if f.severity == "violation"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        charts=charts,
        fairness=rows,
        means=means,
        block_filter=block,
        limit=limit,
        focus=request.query_params.get("person"),
        range=(first, last),
    )
    return render(request, "compliance.html", context)


def _local_day(moment: Any, zone: Any) -> date:
    result: date = moment.astimezone(zone).date()
    return result


def _finding_row(
    program: Any, years: Any, violation: Violation, names: dict[str, str], zone: Any
) -> FindingRow:
    start = violation.start.astimezone(zone)
    end = violation.end.astimezone(zone)
    first_day = start.date()
    last_day = (end - timedelta(microseconds=1)).date() if end > start else first_day
    block = years.block_of(first_day) or years.block_of(last_day)
    grid_url = None
    if block is not None:
        session = None
        if first_day == last_day and end - start <= timedelta(hours=12):
            session = "AM" if start.hour < 12 else "PM"
        params = {
            "view": "block",
            "block": block.number,
            "year": years.year.start_year,
            "flag_person": violation.person or "",
            "flag_from": first_day.isoformat(),
            "flag_to": min(last_day, block.end_date).isoformat(),
        }
        if session:
            params["flag_session"] = session
        anchor = ""
        if violation.person:
            anchor = "#" + cell_anchor(
                violation.person, max(first_day, block.start_date), session or "AM"
            )
        query = urlencode({k: v for k, v in params.items() if v != ""})
        grid_url = program_url(program, "schedule") + f"?{query}{anchor}"
    return FindingRow(
        rule=violation.rule,
        rule_name=RULE_NAMES.get(violation.rule, violation.rule.replace("_", " ")),
        severity=violation.severity,
        person_id=violation.person,
        person=names.get(violation.person, "Whole program") if violation.person else "Program",
        start=start,
        end=end,
        message=violation.message,
        value=violation.value,
        limit=violation.limit,
        grid_url=grid_url,
    )
