"""Object-level rule of the compliance report: a resident sees only their own figures."""

from __future__ import annotations

import uuid
from dataclasses import replace

from residency.schedule.compliance import ComplianceReport


def visible_part(report: ComplianceReport, person_id: uuid.UUID | None) -> ComplianceReport:
    """The whole report (`person_id` None), or only the findings and hours of one person."""
    if person_id is None:
        return report
    person = str(person_id)
    return replace(
        report,
        violations=[v for v in report.violations if v.person == person],
        residents=[s for s in report.residents if s.person == person],
    )
