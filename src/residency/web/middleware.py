"""Page responses: the cookies the guard decided on, and the security headers.

A pure ASGI middleware (it streams, so server-sent events pass through untouched). For
paths under `/ui` it
- gives each request a CSP nonce (`request.state.csp_nonce`) for the page's one inline
  `<style>` (the activity colours);
- adds the renewed session cookie after a refresh, or the new pre-session cookie;
- sets Content-Security-Policy (scripts and styles from this site only), no framing,
  no MIME sniffing, a same-origin referrer policy and `Cache-Control: no-store` on pages.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from residency.web.session import set_presession_cookie, set_session_cookie

PAGE_PREFIX = "/ui"


def is_page_path(path: str) -> bool:
    return path == "/" or path == PAGE_PREFIX or path.startswith(PAGE_PREFIX + "/")


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


class PageResponseMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_page_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        nonce = secrets.token_urlsafe(16)
        state["csp_nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _extra_headers(
                    scope, state, nonce, message["headers"]
                )
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _extra_headers(
    scope: Scope, state: dict[str, Any], nonce: str, existing: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    present = {name.lower() for name, _ in existing}
    carrier = Response()
    carrier.raw_headers = []
    request = Request(scope)
    pair = state.get("web_new_pair")
    keys = getattr(request.app.state, "web_keys", None)
    cleared = any(
        name.lower() == b"set-cookie" and value.startswith(b"residency_session=")
        for name, value in existing
    )
    if pair is not None and keys is not None and not cleared:
        set_session_cookie(carrier, request, keys, pair)
    new_presession = state.get("web_new_presession")
    if new_presession is not None:
        set_presession_cookie(carrier, request, new_presession)
    headers = list(carrier.raw_headers)
    content_type = dict(existing).get(b"content-type", b"")
    defaults = {
        b"x-content-type-options": b"nosniff",
        b"x-frame-options": b"DENY",
        b"referrer-policy": b"same-origin",
    }
    if content_type.startswith(b"text/html"):
        defaults[b"content-security-policy"] = content_security_policy(nonce).encode()
        defaults[b"cache-control"] = b"no-store"
    headers += [(name, value) for name, value in defaults.items() if name not in present]
    return headers
