"""Every route's declared permission, read from the routes themselves.

- `declared_permissions(app)`: (method, path) -> the permissions its route declares.
- `install_permission_checks(app)`: fail closed at runtime (a route that declares no
  permission answers 403 to everyone) and publish each route's permission in the
  OpenAPI document as `x-permission`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts

from residency.auth.access import guards_of
from residency.auth.permissions import Permission
from residency.errors import Forbidden

Declarations = dict[tuple[str, str], list[Permission]]


def declared_permissions(app: FastAPI) -> Declarations:
    """(METHOD, path) of every API route -> the permissions it declares (one is right)."""
    found: Declarations = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        permissions = [guard.permission for guard in guards_of(route.dependant)]
        for method in context.methods or ():
            found[(method, str(context.path))] = permissions
    return found


def _declared_endpoints(app: FastAPI) -> set[Callable[..., Any]]:
    return {
        context.original_route.endpoint
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and len(guards_of(context.original_route.dependant)) == 1
    }


async def refuse_undeclared(request: Request) -> None:
    """A route under /api that declares no permission (or several) answers 403."""
    declared = request.app.state.declared_endpoints
    if request.scope.get("endpoint") not in declared:
        raise Forbidden("this route declares no permission, so nobody may use it")


def install_permission_checks(app: FastAPI) -> None:
    """Call after every router is included."""
    app.state.declared_endpoints = _declared_endpoints(app)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for (method, path), permissions in declared_permissions(app).items():
                operation = schema["paths"].get(path, {}).get(method.lower())
                if operation is not None and len(permissions) == 1:
                    operation["x-permission"] = permissions[0].value
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
