"""ETag / If-Match on editable rows: the ETag is the row's version (412 when stale)."""

from __future__ import annotations

from fastapi import Response

from residency.errors import InvalidInput, PreconditionFailed


def etag_for(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def check_if_match(if_match: str | None, current_version: int) -> None:
    """No header means no precondition; `*` matches any version; otherwise it must match."""
    if if_match is None or if_match.strip() == "*":
        return
    tags = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    if not all(tag.startswith('"') and tag.endswith('"') for tag in tags):
        raise InvalidInput.field("If-Match", 'expected an entity tag such as "3"')
    if etag_for(current_version) not in tags:
        raise PreconditionFailed(
            f"If-Match {if_match} does not match the current version {etag_for(current_version)}"
        )
