"""Request and response shapes of swaps."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from residency.core.calendar import Session
from residency.schedule.schemas import ViolationOut
from residency.swaps.kinds import SwapKind, SwapMode, SwapStatus


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitRef(Strict):
    """A unit of the schedule: an FMIT week (its Friday), a call night, a clinic slot."""

    date: dt.date
    session: Session | None = Field(None, description="clinic sessions only: AM or PM")


class SwapProposal(Strict):
    """A swap as proposed: A (`requester_id`) gives `offered`, for B's `wanted` unit
    (one-to-one) or for nothing (`wanted` null: a give-away)."""

    kind: SwapKind
    requester_id: uuid.UUID
    counterparty_id: uuid.UUID
    offered: UnitRef
    wanted: UnitRef | None = None
    reason: str | None = Field(None, max_length=500, description="needed inside the freeze window")


class SwapCreate(Strict):
    kind: SwapKind
    mode: SwapMode = SwapMode.DIRECTED
    requester_id: uuid.UUID
    counterparty_id: uuid.UUID | None = Field(None, description="directed requests only")
    offered: UnitRef
    wanted: UnitRef | None = None
    reason: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _mode_fits(self) -> SwapCreate:
        if self.mode is SwapMode.DIRECTED and self.counterparty_id is None:
            raise ValueError("a directed request names its counterparty_id")
        if self.mode is SwapMode.OFFER and self.counterparty_id is not None:
            raise ValueError("an open offer has no counterparty_id: anyone eligible claims it")
        return self


class Claim(Strict):
    person_id: uuid.UUID | None = Field(
        None,
        description="who claims the offer (coordinators name them; others claim it for themselves)",
    )


class Reason(Strict):
    reason: str | None = Field(None, max_length=500)


class SwapRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: SwapKind
    mode: SwapMode
    status: SwapStatus
    requester_id: uuid.UUID
    counterparty_id: uuid.UUID | None
    offered_date: dt.date
    offered_session: Session | None
    wanted_date: dt.date | None
    wanted_session: Session | None
    first_date: dt.date
    last_date: dt.date
    reason: str | None
    note: str | None
    created_at: dt.datetime
    created_by: uuid.UUID | None
    accepted_at: dt.datetime | None
    approved_at: dt.datetime | None
    approved_by: uuid.UUID | None
    closed_at: dt.datetime | None
    closed_by: uuid.UUID | None
    executed_at: dt.datetime | None
    executed_by: uuid.UUID | None
    rolled_back_at: dt.datetime | None
    rolled_back_by: uuid.UUID | None
    changes: list[dict[str, Any]] | None
    rollback_changes: list[dict[str, Any]] | None
    version: int


class SwapFilters(BaseModel):
    status: SwapStatus | None = None
    kind: SwapKind | None = None
    mode: SwapMode | None = None
    person_id: uuid.UUID | None = Field(None, description="requester or counterparty")
    date_from: dt.date | None = Field(None, description="touching this date or later")
    date_to: dt.date | None = Field(None, description="touching this date or earlier")


class PersonSwapFilters(BaseModel):
    status: SwapStatus | None = None
    kind: SwapKind | None = None
    mode: SwapMode | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class Problem(BaseModel):
    """A check other than the rule engines refuses the swap (eligibility, freeze...)."""

    rule: str
    message: str
    person: str | None = None
    date: dt.date | None = None


class FindingOut(ViolationOut):
    """A finding of the after-state, in the compliance report's shape."""

    introduced: bool = Field(description="a violation the change would add or worsen")


class RowChangeOut(BaseModel):
    table: Literal["assignments", "shifts"]
    id: str
    op: Literal["create", "update", "delete"]
    date: dt.date
    session: Session | None = None
    kind: str | None = None
    person_before: str | None
    person_after: str | None
    activity_before: str | None = None
    activity_after: str | None = None


class Validation(BaseModel):
    """The after-state judged: executable only with no problem and no introduced violation."""

    executable: bool
    problems: list[Problem]
    violations: list[FindingOut]
    changes: list[RowChangeOut]
