"""Login throttling and lockout, per account and per client address.

The state lives in the database (`login_throttle`), so every API process sees it.
Both rows are locked for the whole attempt, so parallel guesses queue behind each other
instead of slipping past the count. It fails closed: when the state cannot be read or
written, the attempt is refused with 429 and no password is checked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from residency.auth.models import LoginThrottle
from residency.auth.repository import ThrottleRepository
from residency.config import Settings
from residency.errors import TooManyRequests

ACCOUNT, CLIENT = "account:", "client:"


class LoginThrottler:
    def __init__(self, session: AsyncSession, settings: Settings, now: datetime) -> None:
        self.repository = ThrottleRepository(session)
        self.settings = settings
        self.now = now
        self.window = timedelta(minutes=settings.login_failure_window_minutes)
        self.lockout = timedelta(minutes=settings.login_lockout_minutes)

    async def admit(self, username: str, client: str) -> list[LoginThrottle]:
        """Lock the account's and the client's rows; 429 while either is locked out."""
        keys = [f"{ACCOUNT}{username}"[:200], f"{CLIENT}{client}"[:200]]
        try:
            rows = await self.repository.lock(keys, self.now)
        except SQLAlchemyError as error:  # fail closed
            raise self._refusal(self.lockout, "sign-in is unavailable; try again later") from error
        for row in rows:
            if row.locked_until is not None and row.locked_until > self.now:
                raise self._refusal(row.locked_until - self.now, _locked_message(row.key))
        return rows

    def failed(self, rows: Sequence[LoginThrottle]) -> None:
        """Count a failure on each row; reaching its limit locks it out."""
        for row in rows:
            if row.window_started_at + self.window <= self.now or row.locked_until is not None:
                row.failures, row.window_started_at, row.locked_until = 0, self.now, None
            row.failures += 1
            if row.failures >= self._limit(row.key):
                row.locked_until = self.now + self.lockout

    def succeeded(self, rows: Sequence[LoginThrottle]) -> None:
        """The account starts afresh; the client's failures still count."""
        for row in rows:
            if row.key.startswith(ACCOUNT):
                row.failures, row.window_started_at, row.locked_until = 0, self.now, None

    def _limit(self, key: str) -> int:
        if key.startswith(ACCOUNT):
            return self.settings.login_max_failures_per_account
        return self.settings.login_max_failures_per_client

    @staticmethod
    def _refusal(wait: timedelta, message: str) -> TooManyRequests:
        return TooManyRequests(message, retry_after=math.ceil(wait.total_seconds()))


def _locked_message(key: str) -> str:
    what = "this account" if key.startswith(ACCOUNT) else "this client address"
    return f"too many failed sign-ins for {what}; try again later"
