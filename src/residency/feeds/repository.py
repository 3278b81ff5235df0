"""Queries on calendar feed tokens."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from residency.feeds.models import CalendarToken
from residency.people.models import Person
from residency.repository_base import Repository


class CalendarTokenRepository(Repository[CalendarToken]):
    model = CalendarToken
    label = "calendar token"

    async def of_person(
        self, person_id: uuid.UUID, *, for_update: bool = False
    ) -> CalendarToken | None:
        stmt = select(CalendarToken).where(CalendarToken.person_id == person_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def person_of(self, token_hash: str) -> Person | None:
        """The active person whose feed token has this digest."""
        stmt = (
            select(Person)
            .join(CalendarToken, CalendarToken.person_id == Person.id)
            .where(CalendarToken.token_hash == token_hash, Person.active.is_(True))
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
