"""Queries on users and their program roles."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from residency.repository_base import Repository
from residency.users.models import ProgramMembership, User


class UserRepository(Repository[User]):
    model = User
    label = "user"
    default_order: ClassVar[tuple[str, ...]] = ("username",)

    def scoped(self, program_id: uuid.UUID | None) -> Select[Any]:
        """Users with their roles loaded; `program_id`: only those with a role there."""
        stmt = select(User).options(selectinload(User.roles))
        if program_id is not None:
            members = select(ProgramMembership.user_id).where(
                ProgramMembership.program_id == program_id
            )
            stmt = stmt.where(User.id.in_(members))
        return stmt

    async def by_username(self, username: str) -> User | None:
        stmt = self.scoped(None).where(User.username == username)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def active_admins(self) -> int:
        stmt = select(func.count()).where(User.is_admin.is_(True), User.active.is_(True))
        return int(await self.session.scalar(stmt) or 0)

    async def page_filtered(
        self, filters: Mapping[str, Any], *, limit: int, offset: int
    ) -> tuple[Sequence[User], int]:
        filters = dict(filters)
        program_id = filters.pop("program_id", None)
        stmt = self.apply_filters(self.scoped(program_id), filters)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.execute(stmt.order_by(User.username).limit(limit).offset(offset))
        return rows.scalars().all(), int(total or 0)


class MembershipRepository(Repository[ProgramMembership]):
    model = ProgramMembership
    label = "program role"

    async def of(self, user_id: uuid.UUID, program_id: uuid.UUID) -> ProgramMembership | None:
        """The user's role in the program, if any."""
        stmt = select(ProgramMembership).where(
            ProgramMembership.user_id == user_id, ProgramMembership.program_id == program_id
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def holder_of_person(self, person_id: uuid.UUID) -> ProgramMembership | None:
        stmt = select(ProgramMembership).where(ProgramMembership.person_id == person_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()
