"""Queries on sign-in sessions, refresh tokens and login throttling rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from residency.auth.models import AuthSession, LoginThrottle, RefreshToken
from residency.repository_base import Repository
from residency.users.models import User


class AuthSessionRepository(Repository[AuthSession]):
    model = AuthSession
    label = "session"

    async def signed_in(
        self, user_id: uuid.UUID, session_id: uuid.UUID
    ) -> Row[tuple[uuid.UUID, str, bool]] | None:
        """(id, username, is_admin) of an active user in an unrevoked session, else None."""
        stmt = (
            select(User.id, User.username, User.is_admin)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(
                User.id == user_id,
                User.active.is_(True),
                AuthSession.id == session_id,
                AuthSession.revoked_at.is_(None),
            )
        )
        return (await self.session.execute(stmt)).first()

    async def revoke(self, session_id: uuid.UUID, now: datetime, reason: str) -> None:
        await self._revoke_where(AuthSession.id == session_id, now, reason)

    async def revoke_all_of(self, user_id: uuid.UUID, now: datetime, reason: str) -> None:
        await self._revoke_where(AuthSession.user_id == user_id, now, reason)

    async def _revoke_where(self, condition: object, now: datetime, reason: str) -> None:
        await self.session.execute(
            update(AuthSession)
            .where(condition, AuthSession.revoked_at.is_(None))  # type: ignore[arg-type]
            .values(revoked_at=now, revoked_reason=reason)
            .execution_options(synchronize_session=False)
        )


class RefreshTokenRepository(Repository[RefreshToken]):
    model = RefreshToken
    label = "refresh token"

    async def by_digest(self, token_hash: str, *, for_update: bool = False) -> RefreshToken | None:
        stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()


class ThrottleRepository(Repository[LoginThrottle]):
    model = LoginThrottle
    label = "login throttle"

    async def lock(self, keys: Sequence[str], now: datetime) -> list[LoginThrottle]:
        """The throttle rows of `keys` (created when missing), locked, in `keys` order."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        for key in keys:
            await self.session.execute(
                insert(LoginThrottle)
                .values(id=uuid.uuid4(), key=key, failures=0, window_started_at=now)
                .on_conflict_do_nothing(index_elements=["key"])
            )
        stmt = (
            select(LoginThrottle)
            .where(LoginThrottle.key.in_(keys))
            .order_by(LoginThrottle.key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        rows = {row.key: row for row in (await self.session.execute(stmt)).scalars()}
        return [rows[key] for key in keys]

    async def purge_stale(self, window_started_before: datetime, now: datetime) -> int:
        """Delete the rows that hold nothing any more: their failure window ended and no
        lockout runs (a row a sign-in holds is re-checked once it is free). The count."""
        result = await self.session.execute(
            delete(LoginThrottle).where(
                LoginThrottle.window_started_at <= window_started_before,
                or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
