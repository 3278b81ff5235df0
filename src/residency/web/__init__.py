"""The web UI: server-rendered pages (Jinja2) under /ui, on the services the API uses.

`install_web(app)` mounts the pages and their static files, the page error handlers and
the response middleware; `start_web(app, secret)` runs in the app's lifespan, once the
JWT secret is known, to derive the page session keys. See README, "Web UI".
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from residency.auth.declarations import refuse_undeclared
from residency.web.errors import install_page_errors
from residency.web.middleware import PageResponseMiddleware
from residency.web.pages import PAGE_ROUTERS
from residency.web.render import STATIC_DIR, UI, preload
from residency.web.session import RefreshCoalescer, WebKeys


def install_web(app: FastAPI) -> None:
    """Call after the API routers and the problem handlers are installed."""
    pages = APIRouter(include_in_schema=False, dependencies=[Depends(refuse_undeclared)])
    for router in PAGE_ROUTERS:
        pages.include_router(router)
    app.include_router(pages)
    app.mount(f"{UI}/static", StaticFiles(directory=STATIC_DIR), name="ui-static")
    install_page_errors(app)
    app.add_middleware(PageResponseMiddleware)
    preload()


def start_web(app: FastAPI, secret: str) -> None:
    app.state.web_keys = WebKeys(secret)
    app.state.web_refresh = RefreshCoalescer()
