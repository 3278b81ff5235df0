"""Business errors that carry their own HTTP status (rendered as RFC 9457 problems).

Services raise these; routers never build error responses themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy.exc import IntegrityError


@dataclass(frozen=True, slots=True)
class FieldError:
    """One bad field: its path in the payload (`duties[3].end`) and why."""

    field: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "reason": self.reason}


class ProblemError(Exception):
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    slug: ClassVar[str] = "bad-request"
    # A refusal that must still keep its writes (a failed sign-in is counted, a reused
    # refresh token revokes its family): the unit of work commits before answering.
    commit_anyway: ClassVar[bool] = False

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.headers = headers

    def extra(self) -> dict[str, Any]:
        return {}


class NotFound(ProblemError):
    status, title, slug = 404, "Not found", "not-found"


class InvalidInput(ProblemError):
    """A well-formed payload whose values cannot be used (422, fields named)."""

    status, title, slug = 422, "Invalid request", "invalid-request"

    @classmethod
    def field(cls, field: str, reason: str) -> InvalidInput:
        return cls(f"{field}: {reason}", errors=[FieldError(field, reason)])


class Conflict(ProblemError):
    """A business rule refuses the change (409); `rule` names it."""

    status, title, slug = 409, "Conflict", "conflict"

    def __init__(self, detail: str, *, rule: str, **context: Any) -> None:
        super().__init__(detail)
        self.rule = rule
        self.context = context

    def extra(self) -> dict[str, Any]:
        return {"rule": self.rule, **self.context}


class PreconditionFailed(ProblemError):
    status, title, slug = 412, "Precondition failed", "precondition-failed"


class Unauthorized(ProblemError):
    """No credential, or one that is expired, tampered with or revoked (401)."""

    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str, *, error: str | None = "invalid_token") -> None:
        challenge = f'Bearer error="{error}"' if error else "Bearer"
        super().__init__(detail, headers={"WWW-Authenticate": challenge})


class Forbidden(ProblemError):
    """Signed in, but the role does not allow this (403)."""

    status, title, slug = 403, "Forbidden", "forbidden"


class TooManyRequests(ProblemError):
    """Throttled: try again after `retry_after` seconds (429 with Retry-After)."""

    status, title, slug = 429, "Too many requests", "too-many-requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after))})
        self.retry_after = max(1, retry_after)

    def extra(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}


# Unique constraints by the columns they cover, named as the rule they enforce.
_UNIQUE_RULES: dict[str, str] = {
    "assignments(person_id,date,session)": "one_activity_per_slot",
    "people(program_id,name)": "unique_person_name",
    "activities(program_id,code)": "unique_activity_code",
    "rotations(program_id,name)": "unique_rotation_name",
    "rotations(program_id,abbreviation)": "unique_rotation_abbreviation",
    "rotation_plan(person_id,block_id,half)": "one_rotation_per_block",
    "shifts(person_id,kind,date)": "one_shift_per_day",
    "programs(name)": "unique_program_name",
    "academic_years(program_id,start_year)": "unique_academic_year",
    "holidays(program_id,date)": "one_holiday_per_date",
}
_CONSTRAINT_NAME = re.compile(r"\"?(uq|fk|ck)_([a-z_]+?)_([a-z_]+)\"?")


def rule_for_integrity_error(error: IntegrityError) -> str:
    """Name the rule behind a constraint failure on PostgreSQL or SQLite."""
    text = str(error.orig)
    sqlite = re.search(r"UNIQUE constraint failed: ([\w., ]+)", text)
    if sqlite:
        columns = [part.strip().split(".") for part in sqlite.group(1).split(",")]
        key = f"{columns[0][0]}({','.join(column for _, column in columns)})"
        return _UNIQUE_RULES.get(key, f"unique:{key}")
    for key, rule in _UNIQUE_RULES.items():
        table, columns = key[:-1].split("(")
        if f"uq_{table}_{'_'.join(columns.split(','))}" in text:
            return rule
    if "FOREIGN KEY" in text or "foreign key" in text:
        return "referenced_row_in_use"
    return "database_constraint"
