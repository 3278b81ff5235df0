"""One pagination shape for every list: `items`, `total`, `limit`, `offset`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel


class PageParams(BaseModel):
    limit: int = 100
    offset: int = 0


def page_params(
    limit: Annotated[int, Query(ge=1, le=1000, description="items per page")] = 100,
    offset: Annotated[int, Query(ge=0, description="items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    limit: int
    offset: int


def page_of(
    schema: type[BaseModel],
    rows: Sequence[Any],
    total: int,
    page: PageParams,
    context: dict[str, Any] | None = None,
) -> Page[Any]:
    """Shape one page of ORM rows with `schema` (`context` reaches its validators)."""
    return Page[schema](  # type: ignore[valid-type]
        items=[schema.model_validate(row, context=context) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
