"""Duty-hour rule settings (ACGME.md): every number is a program setting with a default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

PositiveHours = Annotated[float, Field(gt=0, strict=True)]
NonNegativeHours = Annotated[float, Field(ge=0, strict=True)]

LONG_PERIOD_HOURS = 24.0
"""A duty period at least this long is followed by `rest_after_24` (VI.F.8.b.2)."""


class RuleSettings(BaseModel):
    """The duty-hour numbers of ACGME.md with their defaults; a program may tighten any.

    Field names are those of the timeline's ``rules`` member, so a program's settings
    (``ProgramSettings.duty_hours``) are this model itself.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_weekly_hours: PositiveHours = 80.0
    min_free_days_per_28: Annotated[int, Field(ge=0, strict=True)] = 4
    max_continuous_hours: PositiveHours = 24.0
    pgy1_max_continuous_hours: PositiveHours | None = None
    max_transition_hours: NonNegativeHours = 4.0
    min_rest_after_24_hours: NonNegativeHours = 14.0
    min_rest_between_hours: NonNegativeHours = 8.0
    call_every_nth_night: Annotated[int, Field(ge=1, strict=True)] = 3
    max_consecutive_night_float: Annotated[int, Field(ge=1, strict=True)] = 6
    period_merge_gap_hours: NonNegativeHours = 4.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> RuleSettings:
        """Defaults overridden by ``values`` (unknown names are rejected)."""
        return cls.model_validate(dict(values or {}))

    @property
    def max_hours_per_28(self) -> float:
        """`hours_80` limit: 4 x `max_weekly_hours` hours in a 28-day window."""
        return 4.0 * self.max_weekly_hours

    @property
    def max_calls_per_28(self) -> int:
        """`call_frequency` limit: floor(28 / `call_every_nth_night`) calls per window."""
        return 28 // self.call_every_nth_night

    @property
    def transition_limit_hours(self) -> float:
        """`transition_time` limit: `max_continuous_hours` + `max_transition_hours`."""
        return self.max_continuous_hours + self.max_transition_hours

    def continuous_limit_hours(self, pgy: int | None) -> float:
        """`continuous_duty` limit for a resident of the given PGY level."""
        if pgy == 1 and self.pgy1_max_continuous_hours is not None:
            return self.pgy1_max_continuous_hours
        return self.max_continuous_hours
