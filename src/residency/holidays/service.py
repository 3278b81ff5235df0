"""Rules for holidays: inside an academic year, one per date."""

from __future__ import annotations

from typing import Any

from residency.errors import Conflict
from residency.holidays.repository import HolidayRepository
from residency.programs.models import Holiday
from residency.service_base import ScopedService, require_inside_academic_year


class HolidayService(ScopedService[Holiday]):
    repository_class = HolidayRepository

    async def check(self, values: dict[str, Any], current: Holiday | None) -> None:
        await require_inside_academic_year(self.session, self.program.id, values["date"], "date")
        same_day = await self.repository.exists(
            Holiday.program_id == self.program.id,
            Holiday.date == values["date"],
            *([Holiday.id != current.id] if current else []),
        )
        if same_day:
            raise Conflict(f"{values['date']} is already a holiday", rule="one_holiday_per_date")
