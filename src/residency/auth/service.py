"""Sign-in: password login with lockout, refresh token rotation with reuse detection, logout.

Nothing here logs or stores a password or a token: sessions keep the SHA-256 digest of
their refresh tokens, and log lines name only the user and the client address.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from residency.auth.models import AuthSession, RefreshToken
from residency.auth.passwords import Passwords
from residency.auth.repository import AuthSessionRepository, RefreshTokenRepository
from residency.auth.schemas import TokenPair
from residency.auth.throttle import LoginThrottler
from residency.auth.tokens import TokenCodec, digest, new_secret
from residency.config import Settings
from residency.errors import Unauthorized
from residency.users.models import User
from residency.users.repository import UserRepository

log = logging.getLogger(__name__)


class SignInRefused(Unauthorized):
    """Wrong credentials. The failure just counted toward lockout is committed."""

    commit_anyway = True


class RefreshTokenReused(Unauthorized):
    """A used refresh token came back: its whole session was revoked, and that sticks."""

    commit_anyway = True


class AuthService:
    def __init__(
        self,
        session: AsyncSession,
        settings: Settings,
        *,
        codec: TokenCodec,
        passwords: Passwords,
        now: datetime,
    ) -> None:
        self.session = session
        self.settings = settings
        self.codec = codec
        self.passwords = passwords
        self.now = now
        self.users = UserRepository(session)
        self.sessions = AuthSessionRepository(session)
        self.tokens = RefreshTokenRepository(session)

    async def login(self, username: str, password: str, client: str) -> TokenPair:
        """Tokens for the right password; 401 otherwise; 429 while locked out."""
        username = username.strip().lower()
        throttler = LoginThrottler(self.session, self.settings, self.now)
        rows = await throttler.admit(username, client)
        user = await self.users.by_username(username)
        matches, new_hash = await self.passwords.verify(
            password, user.password_hash if user else None
        )
        if user is None or not user.active or not matches:
            throttler.failed(rows)
            # A mistyped password sometimes lands in the username field: only known names.
            log.info(
                "sign-in refused for %s from %s",
                repr(user.username) if user else "an unknown user",
                client,
            )
            raise SignInRefused("wrong username or password", error=None)
        throttler.succeeded(rows)
        if new_hash is not None:
            user.password_hash = new_hash
        log.info("signed in %r from %s", username, client)
        return await self.open_session(user, client)

    async def open_session(self, user: User, client: str | None) -> TokenPair:
        """A new sign-in session for `user`, with its first token pair."""
        auth_session = AuthSession(
            id=uuid.uuid4(), user_id=user.id, client=client, created_at=self.now
        )
        await self.sessions.add(auth_session)
        return await self._token_pair(user.id, auth_session.id)

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: the presented token is spent and a new pair issued in the same session.

        A token presented twice means it leaked: the session and every token in it are
        revoked, and the caller (legitimate or not) must sign in again.
        """
        token = await self.tokens.by_digest(digest(refresh_token), for_update=True)
        if token is None:
            raise Unauthorized("unknown refresh token")
        auth_session = await self.sessions.get_or_404(token.session_id, for_update=True)
        if auth_session.revoked_at is not None:
            raise Unauthorized("the session has ended; sign in again")
        if token.used_at is not None:
            await self.sessions.revoke(auth_session.id, self.now, "refresh_token_reused")
            log.warning("refresh token reused: session %s revoked", auth_session.id)
            raise RefreshTokenReused("refresh token already used; the session is revoked")
        if token.expires_at <= self.now:
            raise Unauthorized("the refresh token has expired; sign in again")
        if await self.sessions.signed_in(auth_session.user_id, auth_session.id) is None:
            raise Unauthorized("the account is disabled")
        token.used_at = self.now
        return await self._token_pair(auth_session.user_id, auth_session.id)

    async def logout(self, refresh_token: str) -> None:
        """End the session of the refresh token (its access tokens stop working too)."""
        token = await self.tokens.by_digest(digest(refresh_token))
        if token is not None:
            await self.sessions.revoke(token.session_id, self.now, "logout")
            log.info("signed out session %s", token.session_id)

    async def _token_pair(self, user_id: uuid.UUID, session_id: uuid.UUID) -> TokenPair:
        secret = new_secret()
        lifetime = timedelta(days=self.settings.refresh_token_days)
        await self.tokens.add(
            RefreshToken(
                session_id=session_id,
                token_hash=digest(secret),
                issued_at=self.now,
                expires_at=self.now + lifetime,
            )
        )
        return TokenPair(
            access_token=self.codec.issue(user_id, session_id, self.now),
            expires_in=int(self.codec.lifetime.total_seconds()),
            refresh_token=secret,
            refresh_expires_in=int(lifetime.total_seconds()),
        )
