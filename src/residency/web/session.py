"""The page session: a signed cookie carrying the API's own access and refresh tokens.

No table holds page sessions. Signing in through the sign-in page runs the same
`AuthService.login` as `POST /api/v1/auth/token`; the token pair it issues is kept in one
cookie, `residency_session`:

- its value is `base64url(JSON {"a": access token, "r": refresh token}) "." base64url(HMAC)`,
  signed with HMAC-SHA256 under a key derived from the JWT secret, so a changed cookie is
  refused before any token in it is read;
- it is `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page or form
  sends it), `Path=/`, and `Secure` when the request came over HTTPS;
- it lives as long as the refresh token. When the access token has expired, the page
  guard spends the refresh token (`AuthService.refresh`, rotating it as the API does) and
  the response carries the new cookie.

CSRF: every form POST carries `csrf_token`, an HMAC of the sign-in session id (the `sid`
of the access token) under a second derived key; it is the same for the whole sign-in
session, survives token rotation, and cannot be computed without the key. Before sign-in,
the sign-in form's token is tied the same way to a random nonce kept in the
`residency_presession` cookie (also HttpOnly, SameSite=Strict).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from fastapi import Request, Response

from residency.auth.schemas import TokenPair

SESSION_COOKIE = "residency_session"
PRESESSION_COOKIE = "residency_presession"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
REFRESH_REUSE_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class CookieTokens:
    """The token pair a page session cookie carries."""

    access: str
    refresh: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class WebKeys:
    """Keys derived from the JWT secret: one signs cookies, one makes CSRF tokens."""

    def __init__(self, secret: str) -> None:
        root = secret.encode()
        self._cookie = hmac.new(root, b"residency/web/session-cookie/v1", hashlib.sha256).digest()
        self._csrf = hmac.new(root, b"residency/web/csrf/v1", hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "WebKeys(...)"  # never the keys

    # --- the session cookie ---------------------------------------------------------

    def seal(self, tokens: CookieTokens) -> str:
        body = _b64(json.dumps({"a": tokens.access, "r": tokens.refresh}).encode())
        return f"{body}.{self._signature(body)}"

    def open(self, value: str | None) -> CookieTokens | None:
        """The tokens of a cookie whose signature holds, else None."""
        if not value or value.count(".") != 1 or len(value) > 4000:
            return None
        body, signature = value.split(".")
        if not hmac.compare_digest(signature, self._signature(body)):
            return None
        try:
            data = json.loads(_unb64(body))
            tokens = CookieTokens(str(data["a"]), str(data["r"]))
        except (ValueError, KeyError, TypeError, binascii.Error):
            return None
        return tokens

    def _signature(self, body: str) -> str:
        return _b64(hmac.new(self._cookie, body.encode(), hashlib.sha256).digest())

    # --- CSRF -------------------------------------------------------------------------

    def csrf_for(self, binding: str) -> str:
        """The CSRF token of a sign-in session (`sid:<uuid>`) or a pre-session nonce."""
        return _b64(hmac.new(self._csrf, binding.encode(), hashlib.sha256).digest())

    def csrf_matches(self, binding: str, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(str(presented), self.csrf_for(binding))


def session_binding(session_id: object) -> str:
    return f"sid:{session_id}"


def presession_binding(nonce: str) -> str:
    return f"pre:{nonce}"


def set_session_cookie(
    response: Response, request: Request, keys: WebKeys, pair: TokenPair
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        keys.seal(CookieTokens(pair.access_token, pair.refresh_token)),
        max_age=pair.refresh_expires_in,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def presession_nonce(request: Request) -> tuple[str, bool]:
    """The pre-session nonce of the request's cookie, or a new one (and True)."""
    nonce = request.cookies.get(PRESESSION_COOKIE, "")
    if 20 <= len(nonce) <= 100 and nonce.replace("-", "").replace("_", "").isalnum():
        return nonce, False
    return secrets.token_urlsafe(24), True


def set_presession_cookie(response: Response, request: Request, nonce: str) -> None:
    response.set_cookie(
        PRESESSION_COOKIE,
        nonce,
        path="/ui",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


class RefreshCoalescer:
    """Requests that arrive together with the same expired access token refresh once.

    A refresh token works once; a second use revokes the whole sign-in session. Two page
    requests of one browser (a page and its progress stream) can both find the access
    token expired: within one process the second waits for the first and reuses the pair
    it got for a few seconds. (Across processes the later one may still be refused; the
    user then signs in again. Access tokens last 15 minutes, so this is rare.)
    """

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._recent: dict[str, tuple[float, TokenPair]] = {}

    def lock(self, refresh_token: str) -> asyncio.Lock:
        key = hashlib.sha256(refresh_token.encode()).hexdigest()
        self._forget_old()
        return self._locks.setdefault(key, asyncio.Lock())

    def recent(self, refresh_token: str) -> TokenPair | None:
        found = self._recent.get(hashlib.sha256(refresh_token.encode()).hexdigest())
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def remember(self, refresh_token: str, pair: TokenPair) -> None:
        key = hashlib.sha256(refresh_token.encode()).hexdigest()
        self._recent[key] = (time.monotonic() + REFRESH_REUSE_SECONDS, pair)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [k for k, (until, _) in self._recent.items() if until < now]:
            self._recent.pop(key, None)
            lock = self._locks.get(key)
            if lock is not None and not lock.locked():
                self._locks.pop(key, None)
        if len(self._locks) > 10_000:  # never grows without bound
            for key in [k for k, lock in self._locks.items() if not lock.locked()]:
                self._locks.pop(key, None)
