"""Queries on holidays."""

from __future__ import annotations

from typing import ClassVar

from residency.programs.models import Holiday
from residency.repository_base import Repository


class HolidayRepository(Repository[Holiday]):
    model = Holiday
    label = "holiday"
    default_order: ClassVar[tuple[str, ...]] = ("date",)
