"""The only credential the calendar feed routes accept: the person's feed token.

A calendar route (issue 8) declares `person: CalendarFeedPerson` and nothing else: it
takes no bearer token and no cookie, only the secret `token` of its path (or query),
which resolves to the person whose feed it is, or 404. Regenerating a person's token
(`POST .../people/{person_id}/calendar-token`) revokes the old one at once.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from residency.api.deps import SessionDep
from residency.auth.access import Guard
from residency.auth.permissions import Permission
from residency.auth.tokens import digest
from residency.errors import NotFound
from residency.feeds.repository import CalendarTokenRepository
from residency.people.models import Person


class CalendarFeedGuard(Guard):
    """Declares `calendar.feed` and resolves the feed token to its person."""

    async def __call__(self, token: str, session: SessionDep) -> Person:  # type: ignore[override]
        person = await CalendarTokenRepository(session).person_of(digest(token))
        if person is None:
            raise NotFound("no calendar feed for this token (it may have been regenerated)")
        return person


_feed_guard = CalendarFeedGuard(Permission.CALENDAR_FEED)
CalendarFeedPerson = Annotated[Person, Depends(_feed_guard)]
