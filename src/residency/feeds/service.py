"""Calendar feed tokens: read the status, regenerate (revoking the old one), revoke."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from residency.audit.service import AuditTrail, snapshot
from residency.auth.tokens import digest, new_secret
from residency.errors import Forbidden
from residency.feeds.models import CalendarToken
from residency.feeds.repository import CalendarTokenRepository
from residency.feeds.schemas import CalendarTokenIssued, CalendarTokenStatus
from residency.models_base import utcnow
from residency.people.models import Person
from residency.people.repository import PersonRepository
from residency.programs.models import Program


class CalendarTokenService:
    """Feed tokens of one program's people; `owner` restricts it to one person."""

    def __init__(
        self, session: AsyncSession, program: Program, *, owner: uuid.UUID | None = None
    ) -> None:
        self.session = session
        self.program = program
        self.owner = owner
        self.tokens = CalendarTokenRepository(session)
        self.audit = AuditTrail(session)

    async def status(self, person_id: uuid.UUID) -> CalendarTokenStatus:
        await self._person(person_id)
        token = await self.tokens.of_person(person_id)
        return CalendarTokenStatus(
            person_id=person_id,
            active=token is not None,
            created_at=token.created_at if token else None,
        )

    async def regenerate(self, person_id: uuid.UUID) -> CalendarTokenIssued:
        """A new token for the person; the old one stops working at once."""
        await self._person(person_id)
        secret, now = new_secret(), utcnow()
        token = await self.tokens.of_person(person_id, for_update=True)
        before = snapshot(token) if token else None
        if token is None:
            token = CalendarToken(program_id=self.program.id, person_id=person_id)
            self.session.add(token)
        token.token_hash, token.created_at = digest(secret), now
        await self.session.flush()
        await self.audit.record(
            "regenerate", token, program_id=self.program.id, before=before, after=snapshot(token)
        )
        return CalendarTokenIssued(person_id=person_id, token=secret, created_at=now)

    async def revoke(self, person_id: uuid.UUID) -> None:
        await self._person(person_id)
        token = await self.tokens.of_person(person_id, for_update=True)
        if token is not None:
            before = snapshot(token)
            await self.tokens.delete(token)
            await self.audit.record("delete", token, program_id=self.program.id, before=before)

    async def _person(self, person_id: uuid.UUID) -> Person:
        person = await PersonRepository(self.session).get_or_404(person_id, self.program.id)
        if self.owner is not None and person.id != self.owner:
            raise Forbidden("this is another person's calendar feed")
        return person
