"""Access tokens (HS256 JWTs) and opaque secrets (refresh and feed tokens).

An access token names its user (`sub`) and sign-in session (`sid`); it lives 15 minutes.
Opaque secrets are 256-bit random strings, stored only as their SHA-256 digest.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

ALGORITHM = "HS256"
ISSUER = "residency"
ACCESS = "access"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: datetime


class InvalidToken(Exception):
    """The token is malformed, tampered with, expired or of the wrong kind."""


class TokenCodec:
    """Signs and checks access tokens with the process's JWT secret."""

    def __init__(self, secret: str, lifetime: timedelta) -> None:
        self._secret = secret
        self.lifetime = lifetime

    def __repr__(self) -> str:
        return f"TokenCodec(lifetime={self.lifetime})"  # never the secret

    def issue(self, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> str:
        claims = {
            "iss": ISSUER,
            "typ": ACCESS,
            "sub": str(user_id),
            "sid": str(session_id),
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def read(self, token: str, now: datetime) -> AccessClaims:
        """The claims of a valid, unexpired access token, or `InvalidToken`.

        The signature, algorithm and issuer are checked by PyJWT; the time claims against
        `now` (the app's clock), so tests move time instead of sleeping.
        """
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={
                    "verify_exp": False,  # checked below against the app's clock
                    "verify_iat": False,
                    "require": ["exp", "iat", "sub", "sid", "typ"],
                },
            )
            expires = datetime.fromtimestamp(int(claims["exp"]), tz=now.tzinfo)
            parsed = AccessClaims(uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"]), expires)
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise InvalidToken("the access token is not valid") from error
        if claims["typ"] != ACCESS:
            raise InvalidToken("not an access token")
        if parsed.expires_at <= now:
            raise InvalidToken("the access token has expired")
        return parsed


def new_secret() -> str:
    """A fresh 256-bit URL-safe secret."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The stored form of an opaque secret (high entropy: SHA-256 suffices)."""
    return hashlib.sha256(secret.encode()).hexdigest()
