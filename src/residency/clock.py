"""The time source of sign-in, tokens and lockouts (`app.state.clock`).

Production reads the system clock; tests replace it with a clock they move by hand,
so expiry and lockout are tested without sleeping.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from residency.models_base import utcnow


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return utcnow()
