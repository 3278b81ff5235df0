"""Queries on people."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import select

from residency.people.models import Person
from residency.repository_base import Repository


class PersonRepository(Repository[Person]):
    model = Person
    label = "person"
    default_order: ClassVar[tuple[str, ...]] = ("role", "pgy", "name")

    async def by_name(self, program_id: uuid.UUID, name: str) -> Person | None:
        stmt = select(Person).where(Person.program_id == program_id, Person.name == name)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def all_for(self, program_id: uuid.UUID) -> Sequence[Person]:
        stmt = self.scoped(program_id).order_by(Person.role.desc(), Person.pgy, Person.name)
        return (await self.session.execute(stmt)).scalars().all()
