"""Page tests: a browser-like client that carries the page session cookie and CSRF token.

`page_client` signs a user in the way the sign-in page does (the same token pair the API
issues, sealed in the `residency_session` cookie) without a password round trip, and
keeps the CSRF token of that session for form posts (`post_form`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import httpx
from fastapi import FastAPI

from residency.web.session import SESSION_COOKIE, CookieTokens, session_binding
from tests.api.factories import Grant, open_session

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class PageClient:
    http: httpx.AsyncClient
    csrf: str

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(url, **kwargs)

    async def post_form(
        self, url: str, data: dict[str, Any] | list[tuple[str, Any]] | None = None
    ) -> httpx.Response:
        pairs = list(data.items()) if isinstance(data, dict) else list(data or [])
        fields: dict[str, Any] = {}
        for name, value in [*pairs, ("csrf_token", self.csrf)]:
            if name in fields:
                previous = fields[name]
                fields[name] = (
                    [*previous, value] if isinstance(previous, list) else [previous, value]
                )
            else:
                fields[name] = value
        return await self.http.post(url, data=fields)


def session_cookie(app: FastAPI, access: str, refresh: str) -> tuple[str, str]:
    """(cookie value, CSRF token) of a page session holding this token pair."""
    keys = app.state.web_keys
    claims = app.state.tokens.read(access, app.state.clock.now())
    return keys.seal(CookieTokens(access, refresh)), keys.csrf_for(
        session_binding(claims.session_id)
    )


async def page_client(
    app: FastAPI, username: str, *, is_admin: bool = False, roles: Sequence[Grant] = ()
) -> PageClient:
    pair = await open_session(app, username, is_admin=is_admin, roles=roles)
    cookie, csrf = session_cookie(app, pair.access_token, pair.refresh_token)
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://test",
        cookies={SESSION_COOKIE: cookie},
    )
    return PageClient(http, csrf)


def is_sign_in_redirect(response: httpx.Response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/ui/sign-in")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def element_by_id(html: str, element_id: str) -> str:
    """The opening tag and text of the element with `id` (enough for cell checks)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match is not None, f"no element #{element_id}"
    return match.group(0)
