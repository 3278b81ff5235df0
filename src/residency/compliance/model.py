"""Input models of the compliance engine: the duty timeline (schemas/duty-timeline.schema.json).

`parse_timeline` validates a whole document before anything is evaluated and raises a
`TimelineError` listing every problem, each naming the offending item by index and field
(``duties[3].end: must be after start``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from residency.compliance.settings import RuleSettings

Role = Literal["resident", "faculty"]


class DutyKind(enum.StrEnum):
    """Duty kinds of ACGME.md; every kind but `home_call` is work."""

    CLINICAL = "clinical"
    EDUCATION = "education"
    IN_HOUSE_CALL = "in_house_call"
    NIGHT_FLOAT = "night_float"
    HOME_CALL = "home_call"
    HOME_CALL_ACTIVE = "home_call_active"
    MOONLIGHTING = "moonlighting"
    TRANSITION = "transition"

    @property
    def is_work(self) -> bool:
        """Whether time on this kind counts toward duty hours."""
        return self is not DutyKind.HOME_CALL


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason an input is unusable: the field path and why."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"

    def as_dict(self) -> dict[str, str]:
        """The RFC 9457 `errors` item form: ``{"field": ..., "reason": ...}``."""
        return {"field": self.field, "reason": self.reason}


class TimelineError(ValueError):
    """The input is unusable; `problems` names every offending field."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems) or "invalid timeline")

    def errors(self) -> list[dict[str, str]]:
        """The structured form: a list of ``{"field": ..., "reason": ...}``."""
        return [p.as_dict() for p in self.problems]


@lru_cache(maxsize=64)
def load_zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError naming it when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None


def _aware_datetime(value: Any) -> datetime:
    """An aware datetime from ISO 8601 text (``datetime.fromisoformat``, fast) or a datetime."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or len(value) <= len("YYYY-MM-DD"):
            raise PydanticCustomError("datetime_text", "not an ISO 8601 date-time")
    elif isinstance(value, datetime):
        moment = value
    else:
        raise PydanticCustomError("datetime_text", "must be an ISO 8601 date-time string")
    if moment.utcoffset() is None:
        raise PydanticCustomError("timezone_aware", "missing UTC offset")
    return moment


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_text", "must be an ISO 8601 date (YYYY-MM-DD)")


DateTimeText = Annotated[
    datetime,
    PlainValidator(_aware_datetime),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
DateText = Annotated[date, BeforeValidator(_iso_date)]
StrictText = Annotated[str, Field(strict=True)]


class Person(BaseModel):
    """A person of the timeline; only residents are checked."""

    id: Annotated[str, Field(strict=True, min_length=1)]
    role: Role
    name: StrictText | None = None
    pgy: Annotated[int, Field(strict=True, ge=1, le=8)] | None = None

    @property
    def is_resident(self) -> bool:
        return self.role == "resident"


class Duty(BaseModel):
    """One duty interval [start, end) of a person."""

    person: StrictText
    start: DateTimeText
    end: DateTimeText
    kind: DutyKind
    label: StrictText | None = None


class Period(BaseModel):
    """Inclusive local dates to evaluate."""

    start: DateText
    end: DateText

    @field_validator("end")
    @classmethod
    def _not_before_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError("must not be before period.start")
        return end


class TimelineFields(BaseModel):
    """The timeline's fields, each validated on its own (no cross-references)."""

    model_config = ConfigDict(extra="allow")

    timezone: StrictText
    period: Period | None = None
    rules: RuleSettings = Field(default_factory=RuleSettings)
    people: list[Person]
    duties: list[Duty]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        load_zone(name)
        return name

    @property
    def zone(self) -> ZoneInfo:
        """The timeline's IANA zone."""
        return load_zone(self.timezone)


class Timeline(TimelineFields):
    """A validated duty timeline: people, their duties, the zone, period and rules.

    Beyond each field's own checks: every duty ends after it starts, names a known person,
    and person ids are unique.
    """

    @model_validator(mode="after")
    def _consistent(self) -> Timeline:
        problems = order_problems([(d.start, d.end) for d in self.duties])
        problems += reference_problems([p.id for p in self.people], [d.person for d in self.duties])
        if problems:
            raise ValueError("; ".join(str(p) for p in problems[:20]))
        return self


def order_problems(spans: list[tuple[Any, Any]]) -> list[Problem]:
    """Duties whose end is not after their start (pairs that are not datetimes are skipped)."""
    return [
        Problem(f"duties[{index}].end", "must be after start")
        for index, (start, end) in enumerate(spans)
        if isinstance(start, datetime) and isinstance(end, datetime) and end <= start
    ]


def reference_problems(person_ids: list[Any], duty_persons: list[Any]) -> list[Problem]:
    """Duplicate person ids and duties naming an unknown person (non-strings are skipped)."""
    problems: list[Problem] = []
    known: set[str] = set()
    for index, pid in enumerate(person_ids):
        if not isinstance(pid, str):
            continue
        if pid in known:
            problems.append(Problem(f"people[{index}].id", f"duplicate id {pid!r}"))
        known.add(pid)
    for index, pid in enumerate(duty_persons):
        if isinstance(pid, str) and pid not in known:
            problems.append(Problem(f"duties[{index}].person", f"unknown person {pid!r}"))
    return problems


def _field_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(root)"


_SIMPLE_REASONS = {
    "missing": "required",
    "timezone_aware": "missing UTC offset",
    "string_type": "must be a string",
    "string_too_short": "must not be empty",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "list_type": "must be an array",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
}


def _reason(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = error["loc"]
    if kind in _SIMPLE_REASONS:
        return _SIMPLE_REASONS[kind]
    if kind in ("enum", "literal_error") and loc:
        return f"unknown {loc[-1]} {error['input']!r}"
    if kind == "extra_forbidden":
        return "unknown setting" if loc and loc[0] == "rules" else "unknown field"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind in ("datetime_text", "datetime_parsing") and isinstance(error["input"], str):
        return f"not an ISO 8601 date-time: {error['input']!r}"
    if kind == "greater_than":
        return f"must be greater than {ctx['gt']:g}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']:g}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']:g}"
    return str(error["msg"])


def problems_from_validation(exc: ValidationError, prefix: str = "") -> list[Problem]:
    """Translate a pydantic ValidationError into field-named problems."""
    problems = []
    for error in exc.errors(include_url=False):
        path = _field_path(error["loc"])
        if prefix:
            path = prefix if path == "(root)" else f"{prefix}.{path}"
        problems.append(Problem(path, _reason(error)))
    return problems


def _items(data: Mapping[str, Any], key: str, field: str) -> list[Any]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [item.get(field) if isinstance(item, Mapping) else None for item in items]


def _moment_or_none(value: Any) -> datetime | None:
    try:
        return _aware_datetime(value)
    except PydanticCustomError:
        return None


def timeline_problems(data: Any) -> list[Problem]:
    """Every problem of a timeline document (empty when it is usable), in document order."""
    if not isinstance(data, Mapping):
        return [Problem("(root)", "must be an object")]
    problems: list[Problem] = []
    try:
        TimelineFields.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc))
    starts = [_moment_or_none(v) for v in _items(data, "duties", "start")]
    ends = [_moment_or_none(v) for v in _items(data, "duties", "end")]
    problems.extend(order_problems(list(zip(starts, ends, strict=True))))
    if isinstance(data.get("people"), list):
        problems.extend(
            reference_problems(_items(data, "people", "id"), _items(data, "duties", "person"))
        )
    return sorted(problems, key=_document_order)


def _document_order(problem: Problem) -> tuple[int, int]:
    """Sort key: top-level member order, then item index (stable within an item)."""
    head, _, rest = problem.field.partition("[")
    number = rest.split("]", 1)[0]
    section = head.split(".")[0]
    rank = _SECTIONS.index(section) if section in _SECTIONS else 0
    return rank, int(number) if number.isdigit() else -1


_SECTIONS = ("(root)", "timezone", "period", "rules", "people", "duties")


def parse_timeline(data: Any) -> Timeline:
    """Validate a timeline document completely; TimelineError lists every problem."""
    try:
        return Timeline.model_validate(data)
    except ValidationError as exc:
        problems = timeline_problems(data) or problems_from_validation(exc)
    raise TimelineError(problems)


def extract_timeline(doc: Any) -> Any:
    """The timeline of a document: its `timeline` member when it has one, else itself."""
    if isinstance(doc, Mapping) and "timeline" in doc:
        return doc["timeline"]
    return doc


def parse_document(doc: Any) -> Timeline:
    """Parse a plain timeline or a schedule document embedding one under `timeline`.

    Problems inside an embedded timeline are named ``timeline.duties[3].end`` etc.
    """
    if not (isinstance(doc, Mapping) and "timeline" in doc):
        return parse_timeline(doc)
    try:
        return parse_timeline(doc["timeline"])
    except TimelineError as exc:
        raise TimelineError(_prefixed(exc.problems, "timeline")) from None


def _prefixed(problems: Iterable[Problem], prefix: str) -> list[Problem]:
    return [
        Problem(prefix if p.field == "(root)" else f"{prefix}.{p.field}", p.reason)
        for p in problems
    ]
