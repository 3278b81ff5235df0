"""Rules for activities: unique codes, paired times, no deletion while in use."""

from __future__ import annotations

from typing import Any

from residency.activities.models import Activity
from residency.activities.repository import ActivityRepository
from residency.assignments.models import Assignment
from residency.errors import Conflict, InvalidInput
from residency.rotations.repository import RotationRepository
from residency.service_base import ScopedService


class ActivityService(ScopedService[Activity]):
    repository_class = ActivityRepository

    async def check(self, values: dict[str, Any], current: Activity | None) -> None:
        for session in ("am", "pm"):
            if (values.get(f"{session}_start") is None) != (values.get(f"{session}_end") is None):
                raise InvalidInput.field(
                    f"{session}_end", f"give both {session}_start and {session}_end, or neither"
                )
        if values.get("provides_supervision") and values.get("needs_supervision"):
            raise InvalidInput.field("provides_supervision", "cannot also need supervision")
        same_code = await ActivityRepository(self.session).by_code(self.program.id, values["code"])
        if same_code is not None and same_code is not current:
            raise Conflict(f"activity code '{values['code']}' exists", rule="unique_activity_code")
        if current is not None and values["code"] != current.code:
            await self._check_not_in_patterns(current, "renamed")

    async def check_delete(self, row: Activity) -> None:
        if await self.repository.exists(Assignment.activity_id == row.id):
            raise Conflict(f"activity '{row.code}' is used by assignments", rule="activity_in_use")
        await self._check_not_in_patterns(row, "deleted")

    async def _check_not_in_patterns(self, activity: Activity, verb: str) -> None:
        users = await RotationRepository(self.session).using_activity(
            self.program.id, activity.code
        )
        if users:
            raise Conflict(
                f"activity '{activity.code}' cannot be {verb}: rotation(s) "
                + ", ".join(sorted(users))
                + " use it in their weekly pattern",
                rule="activity_in_use",
            )
