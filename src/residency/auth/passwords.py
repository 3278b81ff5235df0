"""Password hashing (Argon2id through pwdlib) and the password policy.

Hashing is CPU-heavy by design, so it runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import re
from functools import lru_cache
from importlib.resources import files

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher

from residency.config import Settings

MIN_LENGTH = 12
MAX_LENGTH = 256
_LEET = str.maketrans("@40!13$57+", "aaoiiesstt")  # the usual letter swaps, undone
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "1234567890" * 3,
)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords and base words (auth/common_passwords.txt)."""
    text = files("residency.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why `password` is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    lowered = password.lower()
    if username and len(username) >= 3 and username.lower() in lowered:
        return "must not contain the username"
    if _is_common(lowered):
        return "is too common: it is, or is built on, a frequently used password"
    if _is_pattern(lowered):
        return "is too easy to guess: it repeats or follows a keyboard or alphabet sequence"
    return None


def _is_common(lowered: str) -> bool:
    common = common_passwords()
    candidates = {lowered, _EDGES.sub("", lowered), lowered.translate(_LEET)}
    candidates.add(_EDGES.sub("", lowered.translate(_LEET)))
    candidates.add(_EDGES.sub("", lowered).translate(_LEET))
    return any(candidate in common or len(candidate) < 4 for candidate in candidates)


def _is_pattern(lowered: str) -> bool:
    periodic = lowered in (lowered + lowered)[1:-1]
    sequential = any(lowered in seq or lowered in seq[::-1] for seq in _SEQUENCES)
    return periodic or sequential or len(set(lowered)) <= 3


class Passwords:
    """Argon2id hashing with the configured cost; verification also flags old costs."""

    def __init__(self, settings: Settings) -> None:
        self._hash = PasswordHash(
            (
                Argon2Hasher(
                    time_cost=settings.argon2_time_cost,
                    memory_cost=settings.argon2_memory_kib,
                    parallelism=settings.argon2_parallelism,
                ),
            )
        )
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, stored: str | None) -> tuple[bool, str | None]:
        """(matches, a new hash when the stored one used other parameters).

        With no stored hash (unknown user) a dummy is verified, so the answer takes
        as long as for a real account.
        """
        if stored is None:
            stored = self._dummy or await self.hash("not a password: equalises timing")
            self._dummy = stored
        return await asyncio.to_thread(self._verify, password, stored)

    def _verify(self, password: str, stored: str) -> tuple[bool, str | None]:
        try:
            return self._hash.verify_and_update(password, stored)
        except UnknownHashError:
            return False, None
