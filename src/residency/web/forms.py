"""Forms: read the posted fields, build the API's own schemas, and put errors in place.

A page form posts plain fields; `build` turns them into the same pydantic schema the API
route takes (so the same validation applies), and `FormErrors` carries every problem,
keyed by the field's name, in plain words, for the form to show next to its input.
Service refusals (`InvalidInput`, `Conflict`, `PreconditionFailed`) land in the same place:
`FormErrors.from_problem`. After a refusal the route rolls the transaction back
(`settle`), so a refused form never leaves a partial write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from residency.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    PreconditionFailed,
    ProblemError,
    rule_for_integrity_error,
)

# Conflict rules that belong to one field of the form.
RULE_FIELDS = {
    "unique_person_name": "name",
    "unique_activity_code": "code",
    "unique_rotation_name": "name",
    "unique_rotation_abbreviation": "abbreviation",
    "unique_program_name": "name",
    "absence_overlap": "start_date",
    "date_outside_academic_year": "start_date",
    "rotation_pgy_eligibility": "pgy",
    "one_activity_per_slot": "activity",
    "leave_eligibility": "activity",
}

_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"^Field required", "This is required."),
        (r"^String should have at least 1 character", "This can't be empty."),
        (r"^String should have at least (\d+) characters?", "Use at least {0} characters."),
        (r"^String should have at most (\d+) characters?", "Use at most {0} characters."),
        (r"^Input should be a valid integer", "Enter a whole number."),
        (r"^Input should be a valid number", "Enter a number."),
        (r"^Input should be greater than or equal to (\S+)", "Enter {0} or more."),
        (r"^Input should be greater than (\S+)", "Enter more than {0}."),
        (r"^Input should be less than or equal to (\S+)", "Enter {0} or less."),
        (r"^Input should be less than (\S+)", "Enter less than {0}."),
        (r"^Input should be a valid time", "Enter a time such as 08:00."),
        (r"^Input should be a valid date", "Enter a date such as 2026-07-01."),
        (r"^Input should be a valid boolean", "Choose yes or no."),
        (r"^Input should be '", "Choose one of the options."),
        (r"^Input should be a valid UUID", "Choose one of the options."),
        (r"^List should have at least 1 item", "Choose at least one."),
        (r"^String should match pattern", "Use letters, digits, '-', '_' or '+' only."),
        (r"^Extra inputs are not permitted", "This field is not expected here."),
    )
)


def plain(reason: str) -> str:
    """A validation message in plain words, as one sentence."""
    reason = reason.strip().removeprefix("Value error, ")
    for pattern, message in _MESSAGES:
        match = pattern.match(reason)
        if match:
            return message.format(*match.groups())
    reason = reason.replace("_", " ")
    if not reason:
        return "This value can't be used."
    reason = reason[0].upper() + reason[1:]
    return reason if reason.endswith((".", "?", "!")) else reason + "."


@dataclass
class FormErrors:
    """Problems of a posted form: by field name, plus those of the form as a whole."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, name: str, reason: str) -> None:
        self.fields.setdefault(name, plain(reason))

    def add_general(self, reason: str) -> None:
        message = plain(reason)
        if message not in self.general:
            self.general.append(message)

    @classmethod
    def from_validation(
        cls, error: ValidationError, known: set[str] | None = None, prefix: str = ""
    ) -> FormErrors:
        found = cls()
        for item in error.errors():
            location = [str(part) for part in item["loc"]]
            name = prefix + ".".join(location)
            message = str(item["msg"])
            if not location:  # a rule over several fields: "pgy: required for a resident"
                found._split_model_message(message, known)
            elif known is not None and name not in known and location[0] in known:
                found.add(location[0], message)
            else:
                found.add(name, message)
        return found

    def _split_model_message(self, message: str, known: set[str] | None) -> None:
        for part in message.removeprefix("Value error, ").split("; "):
            name, _, reason = part.partition(": ")
            if reason and (known is None or name in known):
                self.add(name, reason)
            else:
                self.add_general(part)

    @classmethod
    def from_problem(cls, error: ProblemError, known: set[str] | None = None) -> FormErrors:
        found = cls()
        if isinstance(error, PreconditionFailed):
            found.add_general(
                "Someone changed this while you were editing it. Reload the page to see "
                "their change, then make yours again"
            )
            return found
        errors: list[FieldError] = list(error.errors)
        if isinstance(error, InvalidInput) and errors:
            for item in errors:
                name = item.field
                if known is not None and name not in known:
                    found.add_general(f"{name.replace('_', ' ')}: {item.reason}")
                else:
                    found.add(name, item.reason)
            return found
        if isinstance(error, Conflict):
            target = RULE_FIELDS.get(error.rule)
            if target is not None and (known is None or target in known):
                found.add(target, error.detail)
                return found
        found.add_general(error.detail)
        return found

    @classmethod
    def from_integrity(cls, error: IntegrityError, known: set[str] | None = None) -> FormErrors:
        rule = rule_for_integrity_error(error)
        return cls.from_problem(
            Conflict(f"the change breaks the rule '{rule.replace('_', ' ')}'", rule=rule), known
        )


async def settle(session: AsyncSession, error: Exception, *reload: Any) -> None:
    """After a refusal the form shows in place: undo the request's writes (unless the
    refusal must keep them, like a counted failed sign-in). A rollback expires every
    loaded row, so the rows the page shows again (`reload`) are read afresh; anything
    else the page needs is queried again after this call."""
    if isinstance(error, ProblemError) and error.commit_anyway:
        return
    await session.rollback()
    for row in reload:
        await session.refresh(row)


def text(form: FormData | Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def optional_text(form: FormData | Mapping[str, Any], name: str) -> str | None:
    return text(form, name) or None


def checkbox(form: FormData | Mapping[str, Any], name: str) -> bool:
    return text(form, name) in ("on", "true", "1", "yes")


def number(form: FormData | Mapping[str, Any], name: str) -> Any:
    """An int or float when the text is one; otherwise the text (validation names it)."""
    raw = text(form, name)
    if raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        return raw


def build(schema: type[BaseModel], values: dict[str, Any]) -> BaseModel:
    """The API's schema from form values (ValidationError names the bad fields)."""
    return schema.model_validate(values)
