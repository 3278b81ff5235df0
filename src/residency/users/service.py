"""The admin's user management: create, list, change roles, disable, reset passwords.

Rules: passwords meet the policy (auth/passwords.py); a person is linked to at most one
user, in their own program, with a role that fits (a resident or chief is a resident,
faculty is faculty); the last active admin cannot be disabled or demoted.
Every change is audited; disabling or resetting a password ends the user's sessions.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from residency.api.etags import check_if_match
from residency.audit.service import AuditTrail, snapshot
from residency.auth.passwords import Passwords, password_problem
from residency.auth.repository import AuthSessionRepository
from residency.errors import Conflict, InvalidInput
from residency.models_base import utcnow
from residency.people.kinds import PersonRole
from residency.people.models import Person
from residency.programs.models import Program
from residency.users.kinds import ProgramRole
from residency.users.models import ProgramMembership, User
from residency.users.repository import MembershipRepository, UserRepository
from residency.users.schemas import RoleGrant, UserCreate, UserUpdate

PERSON_ROLE_FOR = {
    ProgramRole.RESIDENT: PersonRole.RESIDENT,
    ProgramRole.CHIEF: PersonRole.RESIDENT,
    ProgramRole.FACULTY: PersonRole.FACULTY,
}


class UserService:
    def __init__(self, session: AsyncSession, passwords: Passwords) -> None:
        self.session = session
        self.passwords = passwords
        self.users = UserRepository(session)
        self.audit = AuditTrail(session)

    async def page(
        self, filters: Mapping[str, Any], *, limit: int, offset: int
    ) -> tuple[Sequence[User], int]:
        return await self.users.page_filtered(filters, limit=limit, offset=offset)

    async def get(self, user_id: uuid.UUID) -> User:
        return await self.users.get_or_404(user_id)

    async def create(self, payload: UserCreate) -> User:
        await self._check_password(payload.password, payload.username)
        if await self.users.by_username(payload.username) is not None:
            raise Conflict(
                f"a user named '{payload.username}' already exists", rule="unique_username"
            )
        user = User(
            id=uuid.uuid4(),
            username=payload.username,
            display_name=payload.display_name,
            is_admin=payload.is_admin,
            password_hash=await self.passwords.hash(payload.password),
            roles=[],
        )
        await self.users.add(user)
        await self._set_roles(user, payload.roles)
        await self.audit.record("create", user, program_id=None, after=user_snapshot(user))
        return user

    async def update(self, user_id: uuid.UUID, payload: UserUpdate, if_match: str | None) -> User:
        user = await self.users.get_or_404(user_id, for_update=True)
        check_if_match(if_match, user.version)
        before = user_snapshot(user)
        changes = payload.model_dump(exclude_unset=True, exclude={"roles"})
        await self._check_admins_remain(user, changes)
        for name, value in changes.items():
            setattr(user, name, value)
        if payload.roles is not None:
            await self._set_roles(user, payload.roles)
            if before["roles"] != user_snapshot(user)["roles"]:
                flag_modified(user, "display_name")  # new roles are a new version of the user
        await self.session.flush()
        if changes.get("active") is False:
            await AuthSessionRepository(self.session).revoke_all_of(user.id, utcnow(), "disabled")
        await self.audit.record(
            "update", user, program_id=None, before=before, after=user_snapshot(user)
        )
        return user

    async def reset_password(self, user_id: uuid.UUID, password: str) -> User:
        """Set a new password and end every session of the user."""
        user = await self.users.get_or_404(user_id, for_update=True)
        await self._check_password(password, user.username)
        user.password_hash = await self.passwords.hash(password)
        user.password_changed_at = utcnow()
        await self.session.flush()
        await AuthSessionRepository(self.session).revoke_all_of(
            user.id, user.password_changed_at, "password_reset"
        )
        await self.audit.record(
            "reset_password",
            user,
            program_id=None,
            after={"password_changed_at": snapshot(user)["password_changed_at"]},
        )
        return user

    async def _check_password(self, password: str, username: str) -> None:
        problem = password_problem(password, username)
        if problem is not None:
            raise InvalidInput.field("password", problem)

    async def _check_admins_remain(self, user: User, changes: Mapping[str, Any]) -> None:
        leaves = changes.get("is_admin") is False or changes.get("active") is False
        if user.is_admin and user.active and leaves and await self.users.active_admins() <= 1:
            raise Conflict("the last active admin cannot be demoted or disabled", rule="last_admin")

    async def _set_roles(self, user: User, grants: Sequence[RoleGrant]) -> None:
        """Replace the user's roles with `grants`, updating the rows that stay in place."""
        await self._check_grants(user, grants)
        current = {membership.program_id: membership for membership in user.roles}
        wanted = {grant.program_id: grant for grant in grants}
        for program_id, membership in list(current.items()):
            if program_id not in wanted:
                user.roles.remove(membership)
        await self.session.flush()  # free (user, program) and person links before reuse
        for program_id, grant in wanted.items():
            membership = current.get(program_id)
            if membership is None:
                user.roles.append(ProgramMembership(program_id=program_id, user_id=user.id))
                membership = user.roles[-1]
            membership.role, membership.person_id = grant.role, grant.person_id
        await self.session.flush()

    async def _check_grants(self, user: User, grants: Sequence[RoleGrant]) -> None:
        seen: set[uuid.UUID] = set()
        for index, grant in enumerate(grants):
            field = f"roles[{index}]"
            if grant.program_id in seen:
                raise InvalidInput.field(f"{field}.program_id", "one role per program")
            seen.add(grant.program_id)
            if await self.session.get(Program, grant.program_id) is None:
                raise InvalidInput.field(f"{field}.program_id", "no such program")
            if grant.person_id is not None:
                await self._check_person(user, grant, f"{field}.person_id")

    async def _check_person(self, user: User, grant: RoleGrant, field: str) -> None:
        person = await self.session.get(Person, grant.person_id)
        if person is None or person.program_id != grant.program_id:
            raise InvalidInput.field(field, "no such person in this program")
        expected = PERSON_ROLE_FOR.get(grant.role)
        if expected is not None and person.role != expected:
            raise InvalidInput.field(field, f"a {grant.role} is linked to a {expected}")
        holder = await MembershipRepository(self.session).holder_of_person(person.id)
        if holder is not None and holder.user_id != user.id:
            raise Conflict(
                f"{person.name} is already linked to another user", rule="person_linked_once"
            )


def user_snapshot(user: User) -> dict[str, Any]:
    """The user as audited: columns without the password hash, and the roles."""
    return {
        **snapshot(user),
        "roles": [
            RoleGrant.model_validate(role).model_dump(mode="json")
            for role in sorted(user.roles, key=lambda role: str(role.program_id))
        ],
    }
