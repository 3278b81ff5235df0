"""ACGME duty-hour compliance engine (pure: no I/O, no database).

Parse a duty timeline (`parse_timeline` / `parse_document`), evaluate it (`check_timeline`,
or `check_arrays` on NumPy arrays), and render the report (`to_report`). The rules and
their numbers are those of shared/ACGME.md.
"""

from residency.compliance.arrays import (
    KIND_CODES,
    DutyArrays,
    Roster,
    records_to_arrays,
    timeline_to_arrays,
)
from residency.compliance.engine import check_arrays, check_timeline
from residency.compliance.model import (
    Duty,
    DutyKind,
    Period,
    Person,
    Problem,
    Timeline,
    TimelineError,
    extract_timeline,
    parse_document,
    parse_timeline,
    timeline_problems,
)
from residency.compliance.result import ComplianceResult, Severity, Violation, to_report
from residency.compliance.rules import RULES
from residency.compliance.settings import RuleSettings
from residency.compliance.summary import (
    DayAverage,
    ResidentSummary,
    WeekHours,
    WindowFreeDays,
    summarize,
    summarize_arrays,
)

__all__ = [
    "KIND_CODES",
    "RULES",
    "ComplianceResult",
    "DayAverage",
    "Duty",
    "DutyArrays",
    "DutyKind",
    "Period",
    "Person",
    "Problem",
    "ResidentSummary",
    "Roster",
    "RuleSettings",
    "Severity",
    "Timeline",
    "TimelineError",
    "Violation",
    "WeekHours",
    "WindowFreeDays",
    "check_arrays",
    "check_timeline",
    "extract_timeline",
    "parse_document",
    "parse_timeline",
    "records_to_arrays",
    "summarize",
    "summarize_arrays",
    "timeline_problems",
    "timeline_to_arrays",
    "to_report",
]
