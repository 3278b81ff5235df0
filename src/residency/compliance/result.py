"""Findings of the compliance engine and their JSON report form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Severity = Literal["violation", "warning"]


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding: a violation, or a warning (`rest_between`).

    `start`/`end` are timezone-aware, in the timeline's zone; `value` and `limit` are in the
    rule's unit (hours, days or a count) rounded to 2 decimals.
    """

    rule: str
    person: str
    severity: Severity
    start: datetime
    end: datetime
    value: float
    limit: float
    message: str

    @property
    def sort_key(self) -> tuple[str, datetime, str]:
        """ACGME.md order: person, then start, then rule id."""
        return (self.person, self.start, self.rule)

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ISO 8601 times with the program zone's offset."""
        return {
            "rule": self.rule,
            "person": self.person,
            "severity": self.severity,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "value": self.value,
            "limit": self.limit,
            "message": self.message,
        }


@dataclass(frozen=True)
class ComplianceResult:
    """Every finding (violations and warnings) in report order, and what was evaluated."""

    violations: tuple[Violation, ...]
    timezone: str
    period: tuple[date, date] | None = None
    residents: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> list[Violation]:
        """Findings of severity `violation`."""
        return [v for v in self.violations if v.severity == "violation"]

    @property
    def warnings(self) -> list[Violation]:
        """Findings of severity `warning`."""
        return [v for v in self.violations if v.severity == "warning"]

    @property
    def has_violations(self) -> bool:
        """Whether any finding is a violation (warnings do not count)."""
        return any(v.severity == "violation" for v in self.violations)

    @property
    def exit_code(self) -> int:
        """`residency check` exit status: 1 with a violation, else 0."""
        return 1 if self.has_violations else 0


def to_report(result: ComplianceResult) -> dict[str, list[dict[str, Any]]]:
    """The ``{"violations": [...]}`` report (warnings included, severity tells them apart)."""
    return {"violations": [v.as_dict() for v in result.violations]}
